"""
The worker's one error tree; gspread, requests and google-auth errors are translated here.

    SyncError                      anything that stops a run; the CLI prints "Type: message"
    ├── BackendError               the Sheets side failed
    │   ├── SpreadsheetNotFound    404: wrong id, or the spreadsheet was deleted
    │   ├── PermissionDenied       403: not shared with the service account
    │   ├── AuthenticationFailed   the key or token was refused
    │   ├── QuotaExceeded          429 after every retry
    │   ├── EmulatorUnavailable    nothing answers at the configured endpoint
    │   ├── CannotReachGoogle      Google's hosts cannot be resolved or connected to
    │   ├── RetriesExhausted       5xx / dropped connections after every retry
    │   ├── WriteOutcomeUnknown    a write failed in a way that may or may not have applied
    │   └── BadRequest             400: the service refused the request (a range, a body)
    ├── SheetLayoutError           a tab or a required column is missing
    ├── ConfigError                the configuration file or a flag is wrong
    ├── UsageError                 the command line is wrong
    ├── PortInUse                  the emulator's port is taken by another program
    └── SpreadsheetBusy            another run holds the lock (`sync.service.locks`)

Signals that never end a run with their own name (each is caught where it is raised, or
turned into one of the above): `sync.run.write.AnchorsMoved` (look again),
`sync.backends.retry.RetryableError` (retry), `sync.core.layout.AmbiguousTitle` (becomes a
SheetLayoutError) and `sync.run.runner.RunInterrupted` (Ctrl-C, a KeyboardInterrupt).

A failed API answer becomes an error of this tree in one place, `error_for_status`, for every
backend.
"""

from __future__ import annotations

import re

__all__ = [
    "AuthenticationFailed",
    "BackendError",
    "BadRequest",
    "CannotReachGoogle",
    "ConfigError",
    "EmulatorUnavailable",
    "PermissionDenied",
    "PortInUse",
    "QuotaExceeded",
    "RetriesExhausted",
    "SheetLayoutError",
    "SpreadsheetNotFound",
    "SyncError",
    "UsageError",
    "WriteOutcomeUnknown",
    "error_for_status",
]


class SyncError(Exception):
    """Root of every error that ends a run with a one-line reason."""


class BackendError(SyncError):
    """The spreadsheet service could not do what was asked."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SpreadsheetNotFound(BackendError):
    """The spreadsheet id does not exist (404)."""


class PermissionDenied(BackendError):
    """The spreadsheet is not shared with the service account (403)."""


class AuthenticationFailed(BackendError):
    """The credentials were refused or could not be read."""


class QuotaExceeded(BackendError):
    """Google kept answering 429 until the retry budget ran out."""


class EmulatorUnavailable(BackendError):
    """No server answered at the configured endpoint."""


class CannotReachGoogle(BackendError):
    """Google's API or token host cannot be resolved or reached from this machine."""


class RetriesExhausted(BackendError):
    """Server errors or dropped connections outlasted the retry budget."""


class WriteOutcomeUnknown(BackendError):
    """A write's connection dropped or the server failed: it may have been applied or not."""


class BadRequest(BackendError):
    """The service rejected a request (400), e.g. an unparsable range."""


class SheetLayoutError(SyncError):
    """A regional tab, the options tab or a required column is missing."""


class ConfigError(SyncError):
    """The configuration is invalid; the message says which field and how to fix it."""


class UsageError(SyncError):
    """The command line is wrong (argparse's complaint, on one line)."""


class PortInUse(SyncError):
    """The emulator's port is taken by another program."""


_NOT_SHARING = re.compile(
    r"has not been used in project|is disabled|SERVICE_DISABLED|insufficient authentication "
    r"scopes|ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    re.IGNORECASE,
)
"""Google's words for a 403 that sharing does not cure (the API off, a scope missing)."""


def error_for_status(
    status: int, spreadsheet_id: str, message: str, *, at: str = ""
) -> BackendError:
    """
    The error of this tree for an API answer with an error status, whichever backend got it.

    `at` says where, for a reader who configured an endpoint (" at http://…"), else "".
    """
    if status == 404:
        return SpreadsheetNotFound(
            f"Spreadsheet {spreadsheet_id} was not found (404){at}.", status=404
        )
    if status == 403:
        said = message.strip().rstrip(".")
        if _NOT_SHARING.search(said):
            # The API not enabled in the key's project, or a token without the Sheets scope:
            # sharing the sheet again would change nothing.
            return PermissionDenied(
                f"Spreadsheet {spreadsheet_id}: access refused (403): {said} — enable the "
                "Google Sheets API in the service account's project (or grant the scope), "
                "then try again.",
                status=403,
            )
        return PermissionDenied(
            f"Spreadsheet {spreadsheet_id} is not shared with the service account (403) — "
            "share it (Editor) with the service account's e-mail."
            + (f" (Google said: {said}.)" if said else ""),
            status=403,
        )
    if status == 400:
        return BadRequest(f"Spreadsheet {spreadsheet_id}: {message}", status=400)
    if status == 429:
        return QuotaExceeded(f"Spreadsheet {spreadsheet_id}: {message}", status=429)
    return BackendError(
        f"Spreadsheet {spreadsheet_id}: the service answered {status}: {message}", status=status
    )
