"""
The backend that talks to Google (or the emulator) through the real gspread client.

Only gspread's low-level HTTP client is used: `Client.open_by_key` and
`Spreadsheet.worksheet()` each refetch metadata, which would spend the per-minute quota
(https://developers.google.com/sheets/api/limits) on nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import gspread
import requests
from google.auth import exceptions as auth_exceptions

from sync.backends.base import (
    INFO_FIELDS,
    ApiCall,
    Grid,
    SpreadsheetInfo,
    Tracer,
    parse_info,
)
from sync.backends.retry import RetryableError, RetryPolicy, call_with_retry
from sync.errors import (
    AuthenticationFailed,
    BackendError,
    BadRequest,
    EmulatorUnavailable,
    PermissionDenied,
    QuotaExceeded,
    RetriesExhausted,
    SpreadsheetNotFound,
    WriteOutcomeUnknown,
)

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
"""The worker reads and writes sheets only; it never needs Drive."""

PROCESSING_LIMIT_S = 180.0
"""
Google stops processing a request after 180 s (https://developers.google.com/sheets/api/limits):
a write whose answer never came may still be applied until then, so that is how long it takes
before a read shows the write's fate for sure.
"""

READ_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}
"""Numbers as numbers and dates as serials: 13-digit IDs stay exact (domain spec §3.1)."""


def _retry_after(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - _now())
        except (TypeError, ValueError):
            return None


def _log_retry(method: str) -> Any:
    from sync.logconfig import get_logger

    log = get_logger()

    def on_retry(attempt: int, wait: float, error: BaseException) -> None:
        log.warning(
            "retrying", method=method, attempt=attempt, wait_s=round(wait, 2), error=str(error)
        )

    return on_retry


def _never_sent(exc: requests.ConnectionError) -> bool:
    """A refused or unreachable connection: the request never reached the server."""
    text = str(exc)
    return (
        isinstance(exc, requests.ConnectTimeout)
        or "Connection refused" in text
        or "Failed to establish a new connection" in text
    )


def _now() -> float:
    import time

    return time.time()


@contextmanager
def translate_errors(spreadsheet_id: str) -> Iterator[None]:
    """Map gspread/requests/google-auth failures onto the worker's error tree."""
    try:
        yield
    except RetryableError as exc:
        if exc.status == 429:
            raise QuotaExceeded(
                f"Spreadsheet {spreadsheet_id}: Google kept answering 429 (quota exceeded) "
                "until the retry budget ran out; wait a minute or lower the request rate.",
                status=429,
            ) from exc
        if exc.status is None and "Connection refused" in str(exc):
            raise EmulatorUnavailable(
                f"Nothing answers at the configured endpoint ({exc}); start it or fix --endpoint.",
            ) from exc
        raise RetriesExhausted(
            f"Spreadsheet {spreadsheet_id}: the service kept failing ({exc}) "
            "until the retry budget ran out.",
            status=exc.status,
        ) from exc
    except gspread.exceptions.APIError as exc:
        code = exc.code
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else str(exc)
        if code == 404:
            raise SpreadsheetNotFound(
                f"Spreadsheet {spreadsheet_id} was not found (404) — check the id in the "
                "configuration.",
                status=404,
            ) from exc
        if code == 403:
            raise PermissionDenied(
                f"Spreadsheet {spreadsheet_id} is not shared with the service account (403) — "
                "share it (Editor) with the service account's e-mail.",
                status=403,
            ) from exc
        if code == 400:
            raise BadRequest(f"Spreadsheet {spreadsheet_id}: {message}", status=400) from exc
        raise BackendError(
            f"Spreadsheet {spreadsheet_id}: the service answered {code}: {message}", status=code
        ) from exc
    except auth_exceptions.GoogleAuthError as exc:
        raise AuthenticationFailed(
            f"The service-account credentials were refused ({type(exc).__name__}: {exc}) — "
            "check the key file and that the account is enabled.",
        ) from exc


class GspreadBackend:
    """SheetsBackend over `gspread.Client.http_client`, with backoff and call tracing."""

    def __init__(
        self,
        client: gspread.Client,
        *,
        tracer: Tracer | None = None,
        retry: RetryPolicy | None = None,
        write_settle_s: float = 0.0,
    ) -> None:
        self._http = client.http_client
        self._tracer = tracer
        self._retry = retry or RetryPolicy()
        self._write_settle_s = write_settle_s
        """How long after sending a write whose answer never came its fate is settled."""

    def _settle(self, sent: float) -> None:
        # The server may still be working on a write the client gave up on; had the run read
        # and re-planned now, the late write could land after people moved rows, beside the
        # wrong row and after the run had verified the sheet.
        wait = sent + self._write_settle_s - time.monotonic()
        if wait > 0:
            (self._retry.sleep or time.sleep)(wait)

    def _call(self, kind: str, method: str, spreadsheet_id: str, fn: Any) -> Any:
        # Reads are retried on any transient failure. A write is retried only when it surely
        # did not apply (429, or no connection at all); after a 5xx or a dropped connection
        # it may have applied, and set-up requests (add a rule, a tab) are not idempotent,
        # so the caller must look again instead of sending it twice.
        uncertain_write = kind == "write"

        def attempt() -> Any:
            if self._tracer is not None:
                self._tracer(ApiCall(kind=kind, method=method))
            sent = time.monotonic()
            try:
                return fn()
            except gspread.exceptions.APIError as exc:
                if exc.code == 429 or (
                    not uncertain_write and (exc.code >= 500 or exc.code in (-1, 408))
                ):
                    raise RetryableError(
                        f"HTTP {exc.code}",
                        status=exc.code,
                        retry_after=_retry_after(exc.response),
                    ) from exc
                if uncertain_write and (exc.code >= 500 or exc.code in (-1, 408)):
                    raise WriteOutcomeUnknown(
                        f"Spreadsheet {spreadsheet_id}: the write failed with {exc.code}; "
                        "it may or may not have been applied.",
                        status=exc.code,
                    ) from exc
                raise
            except requests.ConnectionError as exc:
                if uncertain_write and not _never_sent(exc):
                    self._settle(sent)
                    raise WriteOutcomeUnknown(
                        f"Spreadsheet {spreadsheet_id}: the connection dropped during a write "
                        f"({type(exc).__name__}); it may or may not have been applied."
                    ) from exc
                raise RetryableError(str(exc), status=None, retry_after=None) from exc
            except (requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                if uncertain_write:
                    if isinstance(exc, requests.Timeout):
                        self._settle(sent)
                    raise WriteOutcomeUnknown(
                        f"Spreadsheet {spreadsheet_id}: no complete answer to a write "
                        f"({type(exc).__name__}); it may or may not have been applied."
                    ) from exc
                raise RetryableError(str(exc), status=None, retry_after=None) from exc

        with translate_errors(spreadsheet_id):
            return call_with_retry(self._retry, attempt, on_retry=_log_retry(method))

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """One values:batchGet, in request order."""
        params = dict(READ_PARAMS)
        body = self._call(
            "read",
            "values.batchGet",
            spreadsheet_id,
            lambda: self._http.values_batch_get(spreadsheet_id, list(ranges), params=dict(params)),
        )
        return [list(vr.get("values", [])) for vr in body.get("valueRanges", [])]

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        """One spreadsheets.get restricted to the fields the worker uses."""
        body = self._call(
            "read",
            "spreadsheets.get",
            spreadsheet_id,
            lambda: self._http.fetch_sheet_metadata(spreadsheet_id, params={"fields": INFO_FIELDS}),
        )
        return parse_info(spreadsheet_id, body)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]
    ) -> list[Mapping[str, Any]]:
        """One atomic spreadsheets:batchUpdate."""
        body = {"requests": list(requests)}
        reply = self._call(
            "write",
            "spreadsheets.batchUpdate",
            spreadsheet_id,
            lambda: self._http.batch_update(spreadsheet_id, body),
        )
        return list(reply.get("replies", []))

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        """One values:batchUpdate; a 5xx is reported as unknown outcome, like any write."""
        body = {"valueInputOption": input_option, "data": list(data)}
        reply: Mapping[str, Any] = self._call(
            "write",
            "values.batchUpdate",
            spreadsheet_id,
            lambda: self._http.values_batch_update(spreadsheet_id, body),
        )
        return reply


def load_credentials(path: Path) -> Any:
    """Read a service-account key file, with a clear error when it is unusable."""
    import json

    from google.oauth2 import service_account

    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AuthenticationFailed(f"Credentials file {path} does not exist.") from exc
    except (OSError, ValueError) as exc:
        raise AuthenticationFailed(f"Credentials file {path} is not valid JSON ({exc}).") from exc
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise AuthenticationFailed(
            f"Credentials file {path} is not a service-account key "
            '("type": "service_account" missing) — download a JSON key of the service account.'
        )
    try:
        return service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, KeyError) as exc:
        raise AuthenticationFailed(
            f"Credentials file {path} holds a malformed key ({type(exc).__name__}) — "
            "download a fresh JSON key."
        ) from exc
