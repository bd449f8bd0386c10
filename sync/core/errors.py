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
    │   └── WriteOutcomeUnknown    a write failed in a way that may or may not have applied
    ├── SheetLayoutError           a tab or a required column is missing
    └── ConfigError                the configuration file or a flag is wrong
"""

from __future__ import annotations


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
