"""
The backend that talks to Google (or the emulator) through the real gspread client.

Only gspread's low-level HTTP client is used: `Client.open_by_key` and
`Spreadsheet.worksheet()` each refetch metadata, which would spend the per-minute quota
(https://developers.google.com/sheets/api/limits) on nothing.
"""

from __future__ import annotations

import errno
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gspread
import msgspec
import requests
import structlog
import urllib3
from google.auth import exceptions as auth_exceptions
from gspread.urls import (
    SPREADSHEET_BATCH_UPDATE_URL,
    SPREADSHEET_VALUES_BATCH_UPDATE_URL,
    SPREADSHEET_VALUES_BATCH_URL,
)
from urllib3.exceptions import NameResolutionError

from sync.backends.base import (
    INFO_FIELDS,
    ApiCall,
    Gate,
    Grid,
    SpreadsheetInfo,
    Tracer,
    ValuesRead,
    parse_info,
)
from sync.backends.retry import RetryableError, RetryPolicy, call_with_retry
from sync.core.errors import (
    AuthenticationFailed,
    BackendError,
    CannotReachGoogle,
    EmulatorUnavailable,
    QuotaExceeded,
    RetriesExhausted,
    WriteOutcomeUnknown,
    error_for_status,
)

if TYPE_CHECKING:
    from sync.core.diff import Request

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

FORMATTED_PARAMS = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}
"""Cells as people see them: a percentage with its `%` (`sync.core.percent`)."""


JSON_BODY = {"Content-Type": "application/json"}
"""The header requests sets for `json=`; a body sent as bytes must say it is JSON."""


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


RetryListener = Callable[[int, float, BaseException], None]
"""Told (attempt, seconds to wait, error) before each wait: a terminal shows a line."""


def _log_retry(method: str, listeners: Sequence[RetryListener] = ()) -> RetryListener:
    # The worker's logger by name: `sync.run.logconfig` configures it (masking included), and
    # the I/O seam does not import the run-time layer above it.
    log = structlog.get_logger("sheetsync")

    def on_retry(attempt: int, wait: float, error: BaseException) -> None:
        # When someone watches a progress line, the log line would say the same twice.
        emit = log.info if listeners else log.warning
        emit("retrying", method=method, attempt=attempt, wait_s=round(wait, 2), error=str(error))
        for listener in listeners:
            listener(attempt, wait, error)

    return on_retry


FATAL_CONNECTION = frozenset({"refused", "dns", "unreachable", "tls"})
"""Connection failures that no retry heals when nothing has answered yet: a wrong endpoint."""

NEVER_SENT = FATAL_CONNECTION | {"connect-timeout"}
"""Failures before the request left this machine: even a write is safe to send again."""


def connection_failure(exc: BaseException) -> str:
    """
    What went wrong under a requests or google-auth transport error, as one word.

    `refused`, `dns`, `unreachable`, `tls` and `connect-timeout` happen before the request
    is sent; `reset` (a connection cut mid-answer) and `timeout` after.
    """
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
    # Most specific first: urllib3's NewConnectionError is also a ConnectTimeoutError.
    tests: list[tuple[str, Callable[[BaseException], bool]]] = [
        ("dns", lambda e: isinstance(e, NameResolutionError | socket.gaierror)),
        ("tls", lambda e: isinstance(e, ssl.SSLError | urllib3.exceptions.SSLError)),
        ("refused", lambda e: isinstance(e, ConnectionRefusedError)),
        (
            "unreachable",
            lambda e: isinstance(e, OSError) and e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH),
        ),
    ]
    for name, test in tests:
        if any(test(item) for item in seen):
            return name
    text = " ".join(str(item) for item in seen)
    if "Connection refused" in text:
        return "refused"
    if "Name or service not known" in text or "Temporary failure in name resolution" in text:
        return "dns"
    if any(isinstance(item, requests.ConnectTimeout) for item in seen):
        return "connect-timeout"
    if any(isinstance(item, TimeoutError | requests.Timeout) for item in seen):
        return "timeout"
    return "reset"


def _host_of(exc: BaseException, endpoint: str | None) -> str:
    if endpoint is not None:
        return endpoint
    found = re.search(r"host='([^']+)'", str(exc)) or re.search(r"https?://([^/:]+)", str(exc))
    return found[1] if found else "Google's API hosts"


def unreachable(
    kind: str, exc: BaseException, endpoint: str | None, *, token: bool
) -> BackendError:
    """One error that names what to fix for a connection that cannot work as configured."""
    what = "the token endpoint" if token else "the Sheets API"
    host = _host_of(exc, endpoint)
    if endpoint == "":
        endpoint = "the configured endpoint"
    if endpoint is None:
        reasons = {
            "dns": f"cannot resolve {host} (DNS)",
            "refused": f"{host} refused the connection",
            "unreachable": f"no route to {host}",
            "tls": f"the TLS handshake with {host} failed",
        }
        untried = "; the key was not tried" if token else ""
        return CannotReachGoogle(
            f"Cannot reach Google ({what}): {reasons.get(kind, kind)} — check this machine's "
            f"network, DNS, proxy and firewall{untried}."
        )
    fixes = {
        "refused": f"nothing listens at {endpoint} (connection refused) — start the emulator "
        "there or fix the endpoint",
        "dns": f"the host of {endpoint} cannot be resolved (DNS) — fix the endpoint",
        "unreachable": f"no route to {endpoint} — fix the endpoint",
        "tls": f"the TLS handshake with {endpoint} failed — "
        + (
            "the server speaks plain HTTP: use http://"
            if endpoint.startswith("https://")
            else "check the endpoint"
        ),
    }
    return EmulatorUnavailable(f"Endpoint {endpoint}: {fixes.get(kind, kind)}.")


def not_the_api(endpoint: str | None, status: int | None, content_type: str) -> BackendError:
    """
    One error for an answer that is not the Sheets API's JSON (a web server at the endpoint,
    a proxy's sign-in page in front of Google): said at once, never retried, never decoded.
    """
    answered = (f"answered {status} with " if status else "answered with ") + (
        content_type or "no Content-Type"
    )
    if endpoint is None:
        return CannotReachGoogle(
            f"Cannot reach Google (the Sheets API): something {answered}, not the API's JSON — "
            "a proxy or a sign-in page in between? Check this machine's network and proxy."
        )
    where = endpoint or "the configured endpoint"
    return EmulatorUnavailable(
        f"Endpoint {where}: it {answered}, not the Sheets API's JSON — point it at the "
        "emulator (sheetsync emulator) or fix the endpoint."
    )


def _json_only(response: requests.Response, endpoint: str | None) -> None:
    """Refuse an answer that does not say it is JSON, as Google's and the emulator's all do
    (`not_the_api`)."""
    kind = response.headers.get("Content-Type", "")
    if kind.split(";", 1)[0].strip().lower() != "application/json":
        response.close()
        raise not_the_api(endpoint, response.status_code, kind)


def _now() -> float:
    import time

    return time.time()


@contextmanager
def translate_errors(
    spreadsheet_id: str, *, endpoint: str | None = None, budget_s: float | None = None
) -> Iterator[None]:
    """
    Map gspread/requests/google-auth failures onto the worker's error tree.

    `endpoint` None is Google; an empty string is not known (the message names no place).
    """
    where = "at Google" if endpoint is None else (f"at {endpoint}" if endpoint else "")
    at = f" {where}" if where else ""
    try:
        yield
    except RetryableError as exc:
        if exc.beyond_budget:
            left = f" ({budget_s:.0f} s, service.retry_seconds)" if budget_s else ""
            kind = QuotaExceeded if exc.status == 429 else RetriesExhausted
            raise kind(
                f"Spreadsheet {spreadsheet_id}: the service answered {exc} and asked to wait "
                f"{exc.retry_after:.0f} s (Retry-After), longer than the retry budget left{left}"
                " — try again later.",
                status=exc.status,
            ) from exc
        if exc.status == 429:
            raise QuotaExceeded(
                f"Spreadsheet {spreadsheet_id}: Google kept answering 429 (quota exceeded) "
                "until the retry budget ran out; wait a minute or lower the request rate.",
                status=429,
            ) from exc
        if exc.token:
            if endpoint is None:
                raise CannotReachGoogle(
                    f"Cannot reach Google: its token endpoint kept failing ({exc}) until the "
                    "retry budget ran out — a problem on Google's side or the network, not "
                    "the key; try again later.",
                ) from exc
            raise RetriesExhausted(
                f"The token endpoint{at} kept failing ({exc}) until the retry budget ran "
                "out — a server error, not the key.",
            ) from exc
        if exc.status is None and str(exc).startswith(("refused", "dns", "unreachable")):
            failure = {"refused": "connection refused", "dns": "the name did not resolve"}.get(
                str(exc).split(":", 1)[0], "the network is unreachable"
            )
            if endpoint is None:
                raise CannotReachGoogle(
                    f"Cannot reach Google any more ({failure}) after the retry budget ran "
                    "out — check this machine's network, DNS and proxy, then try again.",
                ) from exc
            raise EmulatorUnavailable(
                f"Nothing answers {where or 'at the endpoint'} any more ({failure}) "
                "after the retry budget ran out; start it again or fix the endpoint.",
            ) from exc
        raise RetriesExhausted(
            f"Spreadsheet {spreadsheet_id}: the service{at} kept failing ({_short(exc)}) "
            "until the retry budget ran out.",
            status=exc.status,
        ) from exc
    except gspread.exceptions.APIError as exc:
        code = exc.code
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else str(exc)
        raise error_for_status(code, spreadsheet_id, message, at=at) from exc
    except auth_exceptions.GoogleAuthError as exc:
        raise AuthenticationFailed(
            f"The service-account credentials were refused ({type(exc).__name__}: {exc}) — "
            "check the key file and that the account is enabled.",
        ) from exc
    except requests.RequestException as exc:
        raise BackendError(
            f"Spreadsheet {spreadsheet_id}: the request{at} could not be made "
            f"({type(exc).__name__}: {_short(exc)})."
        ) from exc


def _short(exc: BaseException) -> str:
    """An exception as at most one short line (urllib3's reprs run to a thousand characters)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:159] + "…"


class GspreadBackend:
    """SheetsBackend over `gspread.Client.http_client`, with backoff and call tracing."""

    def __init__(
        self,
        client: gspread.Client,
        *,
        tracer: Tracer | None = None,
        retry: RetryPolicy | None = None,
        write_settle_s: float = 0.0,
        endpoint: str | None = "",
    ) -> None:
        self._http = client.http_client
        self._endpoint = endpoint
        """Where requests go (None = Google, "" = not said): named in errors, to say what to fix."""
        self._answered = False
        """Whether the endpoint ever answered: a connection refused after that is a restart."""
        self.retry_listeners: list[RetryListener] = []
        """Told before each wait for a retry (the progress display at a terminal, the run's
        count of requests sent)."""
        self.attempt_gate: Gate | None = None
        """Held around each request sent, retries included (the service's shared quota)."""
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
        waited = [0.0]  # seconds spent waiting for a quota slot: not part of the retry budget

        def attempt() -> Any:
            gate = self.attempt_gate
            if gate is None:
                return self._attempt(kind, method, spreadsheet_id, fn)
            asked = time.monotonic()
            with gate(kind):
                waited[0] += time.monotonic() - asked
                return self._attempt(kind, method, spreadsheet_id, fn)

        with translate_errors(
            spreadsheet_id, endpoint=self._endpoint, budget_s=self._retry.max_total_seconds
        ):
            return call_with_retry(
                self._retry,
                attempt,
                on_retry=_log_retry(method, self.retry_listeners),
                paused=lambda: waited[0],
            )

    def _attempt(self, kind: str, method: str, spreadsheet_id: str, fn: Any) -> Any:
        """One request sent and its failure classified: retryable, or not (raised as is)."""
        # Reads are retried on any transient failure. A write is retried only when it surely
        # did not apply (429, or no connection at all); after a 5xx or a dropped connection
        # it may have applied, and set-up requests (add a rule, a tab) are not idempotent,
        # so the caller must look again instead of sending it twice.
        uncertain_write = kind == "write"
        if self._tracer is not None:
            self._tracer(ApiCall(kind=kind, method=method))
        sent = time.monotonic()
        try:
            result = fn()
        except gspread.exceptions.APIError as exc:
            self._answered = True
            status = exc.response.status_code
            if 400 <= status < 500 and status not in (408, 429):
                # A 404 or 403 page of some web server or proxy, not an API error: said at
                # once (a 5xx page stays retried: Google's front ends send some as HTML).
                _json_only(exc.response, self._endpoint)
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
            failure = connection_failure(exc)
            self._give_up_on(failure, exc, token=False)
            if uncertain_write and failure not in NEVER_SENT:
                self._settle(sent)
                raise WriteOutcomeUnknown(
                    f"Spreadsheet {spreadsheet_id}: the connection dropped during a write "
                    f"({type(exc).__name__}); it may or may not have been applied."
                ) from exc
            raise RetryableError(
                f"{failure}: {_short(exc)}", status=None, retry_after=None
            ) from exc
        except (requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            if uncertain_write:
                if isinstance(exc, requests.Timeout):
                    self._settle(sent)
                raise WriteOutcomeUnknown(
                    f"Spreadsheet {spreadsheet_id}: no complete answer to a write "
                    f"({type(exc).__name__}); it may or may not have been applied."
                ) from exc
            raise RetryableError(_short(exc), status=None, retry_after=None) from exc
        except auth_exceptions.TransportError as exc:
            # The token request failed, so the API request itself was never sent.
            failure = connection_failure(exc)
            self._give_up_on(failure, exc, token=True)
            raise RetryableError(
                f"token endpoint: {failure}", status=None, retry_after=None, token=True
            ) from exc
        except auth_exceptions.RefreshError as exc:
            if not exc.retryable:
                raise
            # google-auth retried a server error (5xx) of the token endpoint a few times.
            raise RetryableError(
                f"token endpoint server error: {_short(exc)}",
                status=None,
                retry_after=None,
                token=True,
            ) from exc
        self._answered = True
        return result

    def _give_up_on(self, kind: str, exc: BaseException, *, token: bool) -> None:
        """Fail at once on a connection that cannot work as configured (nothing answered yet)."""
        if kind == "tls" or (kind in FATAL_CONNECTION and not self._answered):
            raise unreachable(kind, exc, self._endpoint, token=token) from exc

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """One values:batchGet, in request order."""
        return self.read_values(spreadsheet_id, ranges).grids()

    def read_values(self, spreadsheet_id: str, ranges: Sequence[str]) -> ValuesRead:
        """
        One values:batchGet as gspread's `values_batch_get` sends it, its answer kept as bytes.

        `values_batch_get` would return `r.json()`: a text copy of the whole body and then
        dicts of it; a run that finds the sheet unchanged needs neither (`ValuesRead`).
        """
        return ValuesRead.of_body(self._batch_get(spreadsheet_id, ranges, READ_PARAMS))

    def read_formatted(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """One values:batchGet of the cells as people see them (`FORMATTED_VALUE`)."""
        body = self._batch_get(spreadsheet_id, ranges, FORMATTED_PARAMS)
        return ValuesRead.of_body(body).grids()

    def _batch_get(
        self, spreadsheet_id: str, ranges: Sequence[str], options: Mapping[str, str]
    ) -> bytes | bytearray:
        """One values:batchGet of `ranges` with these render options: the answer's bytes."""
        params: dict[str, Any] = {**options, "ranges": list(ranges)}
        url = SPREADSHEET_VALUES_BATCH_URL % spreadsheet_id
        body: bytes | bytearray = self._call(
            "read", "values.batchGet", spreadsheet_id, lambda: self._get_body(url, dict(params))
        )
        return body

    def _get_body(self, url: str, params: Mapping[str, Any]) -> bytes | bytearray:
        """
        GET as gspread's `HTTPClient.request` does (an error answer raises its `APIError`),
        the body received into one buffer: `Response.content` gathers it in 10 kB pieces and
        then joins them, two copies of a 19 MB answer at once, at the run's peak when it is
        the verify read.
        """
        response = self._http.session.request(
            "get", url, params=params, timeout=self._http.timeout, stream=True
        )
        if not response.ok:
            raise gspread.exceptions.APIError(response)
        _json_only(response, self._endpoint)
        return received(response)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        """One spreadsheets.get restricted to the fields the worker uses."""

        def fetch() -> Any:
            try:
                return self._http.fetch_sheet_metadata(
                    spreadsheet_id, params={"fields": INFO_FIELDS}
                )
            except requests.exceptions.JSONDecodeError:  # (gspread's `r.json()` of no JSON)
                raise not_the_api(self._endpoint, None, "an answer that is no JSON") from None

        body = self._call("read", "spreadsheets.get", spreadsheet_id, fetch)
        return parse_info(spreadsheet_id, body)

    def _post(self, url: str, head: bytes, items: Sequence[Request]) -> Any:
        """
        POST a body of `head` (its opening, up to the list) and the list of `items`, each item
        serialised once: as the write's planning already encoded it when it did (`Batch`).
        """
        encoded = getattr(items, "encoded", None)
        if encoded is None or len(encoded) != len(items):
            encoded = [msgspec.json.encode(item) for item in items]
        body = _joined(head, encoded, b"]}")
        response = self._http.request("post", url, data=body, headers=dict(JSON_BODY))
        _json_only(response, self._endpoint)
        return msgspec.json.decode(response.content)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        """One atomic spreadsheets:batchUpdate."""
        url = SPREADSHEET_BATCH_UPDATE_URL % spreadsheet_id
        reply = self._call(
            "write",
            "spreadsheets.batchUpdate",
            spreadsheet_id,
            lambda: self._post(url, b'{"requests":[', requests),
        )
        return list(reply.get("replies", []))

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        """One values:batchUpdate; a 5xx is reported as unknown outcome, like any write."""
        url = SPREADSHEET_VALUES_BATCH_UPDATE_URL % spreadsheet_id
        head = b'{"valueInputOption":' + msgspec.json.encode(input_option) + b',"data":['
        reply: Mapping[str, Any] = self._call(
            "write",
            "values.batchUpdate",
            spreadsheet_id,
            lambda: self._post(url, head, data),
        )
        return reply


def _joined(head: bytes, items: Sequence[bytes], tail: bytes) -> bytes:
    """
    `head`, the items comma-separated, then `tail`, made in one allocation: a body of up to
    2 MB is not copied three times over (each copy of that size stays in the heap's pages).
    """
    parts = [b","] * (2 * len(items) - 1) if items else []
    parts[::2] = items  # the items, a comma between each two
    return b"".join([head, *parts, tail])


def received(response: requests.Response) -> bytes | bytearray:
    """
    A streamed response's whole body, in one buffer. A body sent with its length (as the
    emulator sends it) comes in one piece, taken as it is; one sent in pieces (chunked, as
    Google may) is gathered in a buffer that grows in place, never joined. Read through
    `iter_content`, so a broken transfer raises what `Response.content` would.
    """
    pieces = response.iter_content(chunk_size=None)
    first = next(pieces, b"")
    second = next(pieces, None)
    if second is None:
        return first
    buffer = bytearray(first)
    buffer += second
    for piece in pieces:
        buffer += piece
    return buffer


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
