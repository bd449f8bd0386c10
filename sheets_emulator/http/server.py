"""
The emulator over real HTTP: a threaded HTTP/1.1 server in front of ``SheetsApi``.

Layers, outermost first: socket and JSON (this module) → test controls under
``/__emulator/`` and the fault schedule (``faults``) → OAuth2 (``auth``) → the Sheets and
Drive API (``api``) → the store. Rehearsal state persists through ``persistence``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import socket
import socketserver
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sheets_emulator.api.gcpause import gc_paused
from sheets_emulator.api.methods import classify, is_read
from sheets_emulator.api.router import ApiRequest, ApiResponse, SheetsApi
from sheets_emulator.files import xlsx
from sheets_emulator.files.state import StatePersister, load_store
from sheets_emulator.http import jsoncodec
from sheets_emulator.http.auth import AuthConfig, TokenAuthority, load_service_accounts
from sheets_emulator.http.faults import Counters, DropMode, Faults, google_error, handle_admin
from sheets_emulator.model.errors import reason_of
from sheets_emulator.model.store import Store

__all__ = ["CannotListen", "EmulatorHandle", "EmulatorServer", "run_emulator", "serve_forever"]

log = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=UTF-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


_API_PATHS = ("/v4/", "/drive/", "/upload/")
"""Paths of the Sheets and Drive APIs (the emulator's own controls are under `/__emulator/`)."""


def _pretty(query: str) -> bool:
    """
    Whether Google would lay the answer out for reading: the `prettyPrint` system parameter,
    true unless the request says false (https://cloud.google.com/apis/docs/system-parameters).
    A client that reads large answers sends `prettyPrint=false`: the indents and line breaks
    of a 7 x 2,000-row read add about two thirds to its bytes.
    """
    if "prettyPrint" not in query:
        return True
    values = parse_qs(query, keep_blank_values=True).get("prettyPrint") or ["true"]
    return values[0].lower() not in ("false", "0")


class _Reply:
    """
    A response on its way out: status, payload bytes, headers and an optional connection drop.
    """

    __slots__ = ("drop", "headers", "injected", "json", "payload", "status")

    def __init__(
        self,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        drop: DropMode | None = None,
        raw: bytes | None = None,
        content_type: str = JSON_TYPE,
        injected: bool = False,
    ) -> None:
        self.status = status
        self.injected = injected
        self.headers = dict(headers or {})
        self.drop = drop
        self.json = False
        """The payload is an answer's JSON, compact (`_pretty` lays it out as Google does)."""
        if raw is not None:
            self.payload = raw
            self.headers.setdefault("Content-Type", content_type)
        elif body is None:
            # Google answers Drive's delete with 204, an empty body and text/html.
            self.payload = b""
            self.headers.setdefault("Content-Type", "text/html")
        else:
            self.payload = jsoncodec.dumps(body)
            self.json = True
            self.headers.setdefault("Content-Type", JSON_TYPE)


_GOOGLE_HEADERS = (
    ("X-XSS-Protection", "0"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-Content-Type-Options", "nosniff"),
)
"""Headers every recorded Google answer carries (gspread's cassettes), besides `Server: ESF`."""


class _Handler(BaseHTTPRequestHandler):
    """
    Turns one HTTP request into an ``ApiRequest`` and writes the JSON answer back.
    """

    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK (~40 ms per request on Linux). Google's front ends do not.
    disable_nagle_algorithm = True
    server_version = "ESF"
    sys_version = ""

    def version_string(self) -> str:
        """`Server: ESF`, as every recorded Google answer says (not "ESF " with a space)."""
        return self.server_version

    # Idle keep-alive connections are closed after this many seconds.
    timeout = 120
    server: EmulatorServer

    def do_GET(self) -> None:
        """
        Serve any method: routing by method happens in the API, not in the HTTP layer.
        """
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """
        Send access lines to the logger at debug level instead of stderr.
        """
        log.debug("%s %s", self.address_string(), format % args)

    def _serve(self) -> None:
        target = self.path
        if target.startswith(("http://", "https://")):
            # Absolute-form request target, as sent through a proxy.
            parts = urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        raw_path, _, query = target.partition("?")
        body = self._read_body()
        try:
            reply = self.server.dispatch(
                self.command, raw_path, query, body, self.headers.get("Authorization")
            )
        except Exception:  # the server must answer like Google, never hang up silently
            log.exception("emulator failed on %s %s", self.command, raw_path)
            reply = _Reply(500, google_error(500))
        self._write(reply)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _write(self, reply: _Reply) -> None:
        if reply.drop == "before_response" or (reply.drop and not reply.payload):
            self._cut()
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        for name, value in _GOOGLE_HEADERS:
            if name not in reply.headers:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.payload)))
        if reply.headers.get("Connection", "").lower() == "close":
            self.close_connection = True
        self.end_headers()
        if reply.drop == "mid_body":
            self.wfile.write(reply.payload[: len(reply.payload) // 2])
            self._cut()
            return
        self.wfile.write(reply.payload)

    def _cut(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)


class EmulatorServer(ThreadingHTTPServer):
    """
    The Sheets/Drive emulator bound to a socket; ``start()`` serves it from a background thread.

    Args:
        store: the data to serve; None loads ``state_file`` when it exists, else starts empty.
        auth: OAuth2 settings; None (or ``enabled=False``) accepts any or no bearer.
        state_file: JSON file the store is saved to after changes (atomically, debounced).
        host: interface to bind; loopback by default (the test controls have no auth).
        port: TCP port; 0 picks a free one.
        save_interval_s: at most one save per this many seconds while changes keep coming.
        api_time_zone: the zone of spreadsheets created through the API without one; None
            keeps the store's (``Etc/GMT``, Google's for a service account's new spreadsheet).
        seed_time_zone: the zone of spreadsheets created through the controls or the store
            without one (an application's rehearsal copies); None keeps the store's.
        validate_schema: check every Sheets request body and query parameter against Google's
            discovery document and refuse what Google refuses (on by default; off saves a few
            per cent of the emulator's time per request, and accepts bodies Google would not).
    """

    daemon_threads = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(
        self,
        store: Store | None = None,
        *,
        auth: AuthConfig | None = None,
        state_file: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        save_interval_s: float = 0.5,
        api_time_zone: str | None = None,
        seed_time_zone: str | None = None,
        validate_schema: bool = True,
    ) -> None:
        if store is None and state_file is not None:
            store = load_store(state_file)
        self.store: Store = store if store is not None else Store()
        if api_time_zone is not None:
            self.store.api_time_zone = api_time_zone
        if seed_time_zone is not None:
            self.store.seed_time_zone = seed_time_zone
        self.api = SheetsApi(self.store, validate_schema=validate_schema)
        self.faults = Faults()
        self.counters = Counters()
        self.persister = (
            StatePersister(self.store, state_file, min_interval_s=save_interval_s)
            if state_file is not None
            else None
        )
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self.connections_accepted = 0
        self._thread: threading.Thread | None = None
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)
        self.auth = TokenAuthority(auth, token_uris=[self.base_url + "/token"])

    def server_bind(self) -> None:
        """
        Bind without HTTPServer's reverse-DNS lookup of the host, which can stall offline.
        """
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    @property
    def base_url(self) -> str:
        """
        The URL clients use, e.g. ``http://127.0.0.1:54321``.
        """
        host = str(self.server_address[0])
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.server_address[1]}"

    # -- connection bookkeeping, so stop() can end idle keep-alive connections -----------

    def process_request(self, request: Any, client_address: Any) -> None:
        """
        Track the connection, then serve it on its own thread.
        """
        with self._conn_lock:
            self._connections.add(request)
            self.connections_accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """
        Forget the connection and close it.
        """
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """
        Log a connection that failed instead of printing its traceback to stderr (socketserver's
        default): a client that hangs up before its answer is sent (a timeout, a process that
        ended) is routine, a debug line; anything else is an error with its traceback.
        """
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            log.debug("client %s went away: %s", client_address, exc)
            return
        log.error("emulator failed serving %s", client_address, exc_info=True)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> EmulatorHandle:
        """
        Serve from a background thread and return a handle to control the emulator.
        """
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"sheets-emulator-{self.server_address[1]}",
                daemon=True,
            )
            self._thread.start()
        return EmulatorHandle(self)

    def stop(self) -> None:
        """
        Stop serving, end open connections, wait for handlers and save state; safe to repeat.
        """
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        with self._conn_lock:
            open_connections = list(self._connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self.server_close()
        if self.persister is not None:
            self.persister.close()

    # -- request pipeline -------------------------------------------------------------------

    def dispatch(
        self, method: str, raw_path: str, query: str, body: bytes, authorization: str | None
    ) -> _Reply:
        """
        Answer one request: controls, then faults, then auth, then the API itself.
        """
        method = method.upper()
        if raw_path.startswith("/__emulator/"):
            return self._admin(method, raw_path, query, body)
        kind = classify(method, raw_path)
        self.counters.record_request(kind)
        try:
            reply = self._dispatch_api(method, raw_path, query, body, authorization, kind)
        except Exception:  # answer like Google's backend does, never hang up silently
            log.exception("emulator failed on %s %s", method, raw_path)
            reply = _Reply(500, google_error(500))
        self.counters.record_status(
            reply.status, injected=reply.injected, method=method, raw_path=raw_path, kind=kind
        )
        if reply.json and raw_path.startswith(_API_PATHS) and _pretty(query):
            reply.payload = jsoncodec.pretty(reply.payload)
        return reply

    def _dispatch_api(
        self,
        method: str,
        raw_path: str,
        query: str,
        body: bytes,
        authorization: str | None,
        kind: str,
    ) -> _Reply:
        if kind == "token":
            if method != "POST":
                return _Reply(405, {"error": "invalid_request", "error_description": "POST only"})
            status, token_body = self.auth.token_endpoint(body)
            return _Reply(status, token_body, {"Cache-Control": "no-store"})
        if kind == "iam.allowedLocations":
            # Not emulated: google-auth treats the 404 as "no boundary" and backs off.
            return _Reply(404, google_error(404), {"Connection": "close"})
        if not raw_path.startswith(_API_PATHS):
            return _Reply(404, google_error(404))

        plan = self.faults.plan(kind)
        if plan.edits:
            self._run_edits(plan.edits)
        if plan.latency_s > 0:
            self._stopping.wait(plan.latency_s)
        if plan.status is not None:
            return _Reply(plan.status, plan.body, dict(plan.headers or {}), injected=True)

        api = "drive" if raw_path.startswith(("/drive/", "/upload/")) else "sheets"
        verdict = self.auth.authenticate(authorization, api=api, read_only=is_read(kind))
        if not verdict.ok:
            return _Reply(verdict.status, verdict.body, dict(verdict.headers))

        # The parsed body and the answer's JSON die inside ``_answer``, before the collector
        # is back on (see ``gcpause``).
        with gc_paused():
            return self._answer(method, raw_path, query, body, verdict.principal, plan.drop)

    def _answer(
        self,
        method: str,
        raw_path: str,
        query: str,
        body: bytes,
        principal: str | None,
        drop: DropMode | None,
    ) -> _Reply:
        try:
            if raw_path.startswith("/upload/"):
                payload: Any = body  # media uploads carry the file itself, not JSON
            else:
                payload = jsoncodec.loads(body) if body.strip() else None
        except ValueError as exc:
            error = google_error(400)
            error["error"]["message"] = (
                str(exc)
                if isinstance(exc, jsoncodec.PayloadError)
                else f"Invalid JSON payload received. {exc}."
            )
            return _Reply(400, error)
        response: ApiResponse = self.api.handle(
            ApiRequest(
                method=method,
                raw_path=raw_path,
                query=parse_qs(query, keep_blank_values=True),
                body=payload,
                principal=principal,
                # The bytes hold no `null` token, so the tree holds no None (a string that
                # merely contains "null" only costs the check).
                body_has_nulls=b"null" in body,
            )
        )
        if method != "GET" and 200 <= response.status < 300:
            self.mark_changed()
        if response.raw is not None:
            content_type = response.headers.pop("Content-Type", "application/octet-stream")
            return _Reply(
                response.status,
                raw=response.raw,
                content_type=content_type,
                headers=response.headers,
                drop=drop,
            )
        return _Reply(response.status, response.body, dict(response.headers), drop=drop)

    def _run_edits(self, edits: Sequence[Callable[[Store], object]]) -> None:
        # A failing edit must not turn the worker's request into a 500: record it for the test.
        with self.store.lock:
            for edit in edits:
                try:
                    edit(self.store)
                except Exception as exc:
                    log.exception("scheduled edit %r failed", edit)
                    self.faults.edit_errors.append(exc)
        self.mark_changed()

    def mark_changed(self) -> None:
        """
        Note that the store changed, so the state file gets saved (debounced).
        """
        if self.persister is not None:
            self.persister.mark_dirty()

    def _admin(self, method: str, path: str, query: str, body: bytes) -> _Reply:
        if path.startswith("/__emulator/spreadsheets/"):
            return self._admin_spreadsheet(method, path, query, body)
        try:
            args = json.loads(body) if body.strip() else None
        except ValueError:
            return _Reply(400, google_error(400))
        answer = handle_admin(self.faults, self.counters, method, path, args)
        if answer is not None:
            return _Reply(*answer)
        if path == "/__emulator/health" and method == "GET":
            return _Reply(200, {"ok": True, "spreadsheets": len(self.store.list())})
        if path == "/__emulator/reset" and method == "POST":
            self.faults.reset()
            self.counters.reset()
            return _Reply(200, {"ok": True})
        if path == "/__emulator/state" and method == "GET":
            with self.store.lock:
                return _Reply(200, self.store.to_json())
        if path == "/__emulator/spreadsheets":
            return self._admin_spreadsheets(method, args)
        return _Reply(404, google_error(404))

    def _admin_spreadsheets(self, method: str, args: Any) -> _Reply:
        if method == "GET":
            with self.store.lock:
                items = [
                    {"spreadsheetId": s.spreadsheet_id, "title": s.title, "revision": s.revision}
                    for s in self.store.list()
                ]
            return _Reply(200, {"spreadsheets": items})
        if method == "POST":
            spec = args if isinstance(args, dict) else {}
            shared = spec.get("sharedWith")
            try:
                spreadsheet = self.store.create_spreadsheet(
                    str(spec.get("title") or "Untitled spreadsheet"),
                    spreadsheet_id=spec.get("spreadsheetId"),
                    sheets=tuple(spec.get("sheets") or ("Sheet1",)),
                    time_zone=spec.get("timeZone") or None,
                    shared_with=shared,
                )
            except ValueError as exc:
                error = google_error(400)
                error["error"]["message"] = str(exc)
                return _Reply(400, error)
            self.mark_changed()
            return _Reply(200, {"spreadsheetId": spreadsheet.spreadsheet_id})
        return _Reply(405, google_error(400))

    def _admin_spreadsheet(self, method: str, path: str, query: str, body: bytes) -> _Reply:
        rest = path[len("/__emulator/spreadsheets/") :]
        sid, _, what = rest.partition("/")
        if what == "xlsx" and method == "GET":
            if self.store.find(sid) is None:
                return _Reply(404, google_error(404))
            data = xlsx.export_bytes(self.store, sid)
            disposition = f'attachment; filename="{sid}.xlsx"'
            return _Reply(
                200, raw=data, content_type=XLSX_TYPE, headers={"Content-Disposition": disposition}
            )
        if what == "xlsx" and method in ("PUT", "POST"):
            params = parse_qs(query)
            title = params.get("title", [None])[0]
            try:
                spreadsheet = xlsx.import_bytes(
                    self.store, body, spreadsheet_id=sid, title=title, replace=method == "PUT"
                )
            except (ValueError, KeyError, zipfile.BadZipFile) as exc:
                error = google_error(400)
                error["error"]["message"] = f"Cannot import this .xlsx file: {exc}"
                return _Reply(400, error)
            self.mark_changed()
            return _Reply(200, {"spreadsheetId": spreadsheet.spreadsheet_id})
        if what == "" and method == "DELETE":
            try:
                self.store.delete(sid)
            except KeyError:
                return _Reply(404, google_error(404))
            self.mark_changed()
            return _Reply(200, {"ok": True})
        return _Reply(404, google_error(404))


class EmulatorHandle:
    """
    Controls of a running emulator: its URL, store, faults, counters and auth, and ``stop()``.
    """

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server

    @property
    def base_url(self) -> str:
        """
        ``http://127.0.0.1:PORT``: pass it to ``make_gspread_client``.
        """
        return self.server.base_url

    @property
    def token_uri(self) -> str:
        """
        The emulator's OAuth2 token endpoint, for a service-account key file's ``token_uri``.
        """
        return self.server.base_url + "/token"

    @property
    def port(self) -> int:
        """
        The bound TCP port.
        """
        return int(self.server.server_address[1])

    @property
    def store(self) -> Store:
        """
        The served data (lock ``store.lock`` while reading it from another thread).
        """
        return self.server.store

    @property
    def api(self) -> SheetsApi:
        """
        The transport-free API the server calls.
        """
        return self.server.api

    @property
    def faults(self) -> Faults:
        """
        Latency, injected errors, dropped connections and people's edits.
        """
        return self.server.faults

    @property
    def counters(self) -> Counters:
        """
        Requests received per kind, with read and write totals.
        """
        return self.server.counters

    @property
    def auth(self) -> TokenAuthority:
        """
        The token authority (register keys, expire tokens).
        """
        return self.server.auth

    def apply(self, edit: Callable[[Store], object]) -> None:
        """
        Run an edit against the store now (e.g. a ``people`` function) and schedule a save.
        """
        with self.server.store.lock:
            edit(self.server.store)
        self.server.mark_changed()

    def save(self) -> None:
        """
        Write the state file now (no-op without one).
        """
        if self.server.persister is not None:
            self.server.persister.flush()

    def stop(self) -> None:
        """
        Stop the server and save its state; safe to call twice.
        """
        self.server.stop()


@contextlib.contextmanager
def run_emulator(
    store: Store | None = None,
    *,
    auth: AuthConfig | None = None,
    state_file: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    save_interval_s: float = 0.5,
    api_time_zone: str | None = None,
    seed_time_zone: str | None = None,
    validate_schema: bool = True,
) -> Iterator[EmulatorHandle]:
    """
    Run an emulator for the duration of a ``with`` block (see ``EmulatorServer`` for arguments).
    """
    server = EmulatorServer(
        store,
        auth=auth,
        state_file=state_file,
        host=host,
        port=port,
        save_interval_s=save_interval_s,
        api_time_zone=api_time_zone,
        seed_time_zone=seed_time_zone,
        validate_schema=validate_schema,
    )
    handle = server.start()
    try:
        yield handle
    finally:
        handle.stop()


class CannotListen(OSError):
    """
    The emulator cannot listen where it was asked to: a host name that does not resolve, an
    address that is not this machine's, a port another program holds (``errno`` says which).
    """

    def __init__(self, errno: int | None, host: str, port: int, reason: str) -> None:
        super().__init__(errno, reason)
        self.host, self.port = host, port

    def __str__(self) -> str:
        return f"cannot listen on {self.host}:{self.port}: {self.strerror}"


def _imported_before(store: Store, path: Path) -> str | None:
    """The spreadsheet the store imported from these very bytes (a workbook from Google
    records no id of ours), if any."""
    try:
        digest = xlsx.workbook_digest(path.read_bytes())
    except OSError:
        return None  # (the import says why)
    with store.lock:
        return next((s.spreadsheet_id for s in store.list() if s.imported_from == digest), None)


def serve_forever(
    host: str = "127.0.0.1",
    port: int = 8765,
    state_file: Path | None = None,
    *,
    auth: AuthConfig | None = None,
    auth_keys: Path | None = None,
    import_xlsx: Sequence[Path] = (),
    store: Store | None = None,
    on_ready: Callable[[EmulatorHandle], None] | None = None,
    api_time_zone: str | None = None,
    seed_time_zone: str | None = None,
    validate_schema: bool = True,
) -> None:
    """
    Run the emulator in the foreground until SIGINT or SIGTERM, then save state and return.

    ``auth_keys`` (a folder of ``<e-mail>.pem`` public keys or service-account JSON files)
    switches auth mode on for those accounts. Binding anything but loopback is allowed but
    warned about: the test controls under ``/__emulator/`` have no authentication.
    """
    if auth is None and auth_keys is not None:
        auth = AuthConfig(enabled=True, service_accounts=load_service_accounts(auth_keys))
    if not 0 <= port <= 65535:
        raise CannotListen(None, host, port, "not a port (0-65535; 0 picks a free one)")
    try:  # (a state file it cannot use stops it here too, before it binds: `load_store`)
        server = EmulatorServer(
            store,
            auth=auth,
            state_file=state_file,
            host=host,
            port=port,
            api_time_zone=api_time_zone,
            seed_time_zone=seed_time_zone,
            validate_schema=validate_schema,
        )
    except OSError as exc:  # an unknown host, an address not this machine's, a port taken
        raise CannotListen(exc.errno, host, port, reason_of(exc)) from None
    if host not in _LOOPBACK:
        log.warning(
            "Sheets emulator bound to %s: anyone who can reach this address can read and change"
            " its spreadsheets and its /__emulator/ controls. Use --host 127.0.0.1 unless"
            " that is intended.",
            host,
        )
    if import_xlsx:
        try:
            for path in import_xlsx:
                # A restart with the same command keeps what the state file holds (the edits of
                # a rehearsal), rather than add another copy of the workbook each time.
                kept = xlsx.recorded_id(path) or _imported_before(server.store, path)
                if kept is not None and server.store.find(kept) is not None:
                    print(
                        f"kept spreadsheet {kept} as the store has it, not {path} again "
                        "(delete it there, or start without the state file, to import afresh)",
                        file=sys.stderr,
                    )
                    continue
                spreadsheet = xlsx.import_xlsx(server.store, path)
                print(
                    f"imported {path} as spreadsheet {spreadsheet.spreadsheet_id}", file=sys.stderr
                )
        except BaseException:
            server.server_close()  # (nothing was served, nor saved: the state file is as it was)
            raise
        if server.persister is not None:
            server.persister.mark_dirty()
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    handle = server.start()
    print(f"Sheets emulator listening on {handle.base_url}", file=sys.stderr)
    try:
        if on_ready is not None:
            on_ready(handle)
        while not stop.wait(0.2):
            pass
    finally:
        handle.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
        print("Sheets emulator stopped", file=sys.stderr)
