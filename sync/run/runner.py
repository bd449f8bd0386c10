"""
One on-demand run as the CLI and the scheduler start it: config in, report and history out.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from sync.backends.base import SheetsBackend
from sync.backends.endpoint import make_gspread_client
from sync.backends.gspread_backend import PROCESSING_LIMIT_S, GspreadBackend, load_credentials
from sync.backends.retry import RetryPolicy
from sync.core.errors import ConfigError, SpreadsheetNotFound
from sync.core.settings import Config, SyncSettings
from sync.run.history import RunHistory
from sync.run.logconfig import get_logger
from sync.run.loop import bangkok_now, kept_rows_data, restore_kept_rows, run_sync
from sync.run.read import hint_key_text, restore_title_hint, title_hint_data
from sync.run.report import RunReport
from sync.run.settled import code_fingerprint, restore_settled, settled_text

if TYPE_CHECKING:
    from sync.core.round import Plan


@dataclass(frozen=True)
class RunRequest:
    """Which spreadsheet, with which per-run overrides of the configuration."""

    spreadsheet_id: str
    fiscal_year: int | None = None
    profile: str | None = None
    dry_run: bool = False
    trigger: str = "manual"
    id_source: str | None = None
    """Where the id came from (`--spreadsheet`); None: the configuration's entry."""


def settings_for(config: Config, request: RunRequest) -> SyncSettings:
    """Merge the spreadsheet's entry, the defaults and the request's overrides."""
    sheet = config.spreadsheet(request.spreadsheet_id)
    defaults = config.defaults
    profile_name = request.profile or sheet.profile or defaults.profile
    return SyncSettings(
        spreadsheet_id=request.spreadsheet_id,
        regions=tuple(sheet.regions or defaults.regions),
        fiscal_year=request.fiscal_year or sheet.fiscal_year or defaults.fiscal_year,
        profile=config.profile(profile_name),
        header_row=sheet.header_row or defaults.header_row,
        first_data_row=sheet.first_data_row or defaults.first_data_row,
        dry_run=request.dry_run,
    )


def check_key_permissions(path: Path) -> str | None:
    """A warning when others may read the key file (it grants access to every shared sheet)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (
            f"Credentials file {path} is readable by other users (mode {stat.filemode(mode)}); "
            f"run: chmod 600 {path}"
        )
    return None


@contextmanager
def open_backend(config: Config) -> Iterator[SheetsBackend]:
    """The gspread backend for the configured endpoint (Google, or the emulator)."""
    service = config.service
    credentials: Any = None
    if service.credentials is not None:
        warning = check_key_permissions(service.credentials)
        if warning:
            get_logger().warning("credentials_permissions", message=warning)
        credentials = load_credentials(service.credentials)
    elif service.endpoint is None:
        raise ConfigError(
            "No credentials: set service.credentials in the config, pass --credentials, or set "
            "GOOGLE_APPLICATION_CREDENTIALS (only an emulator --endpoint works without a key)."
        )
    client = make_gspread_client(service.endpoint, credentials, timeout=service.timeout_seconds)
    try:
        yield GspreadBackend(
            client,
            retry=RetryPolicy(max_total_seconds=service.retry_seconds),
            write_settle_s=PROCESSING_LIMIT_S,
            endpoint=service.endpoint,
        )
    finally:
        client.http_client.session.close()


def run_once(
    config: Config,
    request: RunRequest,
    *,
    backend: SheetsBackend | None = None,
    clock: Callable[[], datetime] = bangkok_now,
    on_plan: Callable[[Plan], None] | None = None,
    history: RunHistory | None = None,
) -> RunReport:
    """Run one spreadsheet, log it, record it in the history; errors propagate after recording."""
    settings = settings_for(config, request)
    label = config.spreadsheet(request.spreadsheet_id).label
    run_id = uuid.uuid4().hex[:12]
    # Every line logged during the run, by any module, carries the run id.
    structlog.contextvars.bind_contextvars(run_id=run_id, spreadsheet=request.spreadsheet_id)
    log = get_logger(trigger=request.trigger)
    history = history or RunHistory(config.service.history)
    report: RunReport | None = None
    started = time.monotonic()
    hint_key = hint_key_text(settings)
    kept_hint = history.title_hint(hint_key)
    restore_title_hint(settings, kept_hint)
    kept_settled = history.settled_read(hint_key)
    restore_settled(settings, kept_settled)
    restore_kept_rows(settings, lambda: history.kept_rows(hint_key, code_fingerprint()))
    try:
        if backend is None:
            with open_backend(config) as opened:
                report = _run(opened, settings, clock, on_plan, log, run_id)
        else:
            report = _run(backend, settings, clock, on_plan, log, run_id)
        report.duration_s = time.monotonic() - started
        return report
    except BaseException as raised:
        # KeyboardInterrupt too: an interrupted run is recorded, then the interrupt goes on.
        exc = _explained(raised, config, request)
        failed = getattr(raised, "report", None)
        now = clock().isoformat(timespec="seconds")
        if isinstance(failed, RunReport):
            report = failed
        else:
            report = RunReport(run_id=run_id, spreadsheet_id=request.spreadsheet_id, started_at=now)
        report.finished_at = report.finished_at or now
        report.duration_s = time.monotonic() - started
        if isinstance(raised, RunInterrupted) and isinstance(failed, RunReport):
            # The run's request counter counted the request this stopped before sending.
            if raised.unsent == "read":
                report.reads = max(report.reads - 1, 0)
            else:
                report.writes = max(report.writes - 1, 0)
        if not isinstance(raised, Exception):
            report.outcome = "interrupted"
            report.error = "Interrupted: stopped by the operator (Ctrl-C)"
        elif not isinstance(failed, RunReport) or exc is not raised:
            report.fail(exc)
        log.error("run_failed", outcome=report.outcome, error=report.error)
        if exc is not raised:
            exc.report = report  # type: ignore[attr-defined]
            raise exc from raised
        raise
    finally:
        if report is not None and not request.dry_run:
            history.record(report, label=label, trigger=request.trigger)
            hint = title_hint_data(settings)
            if hint != kept_hint:
                history.remember_title_hint(hint_key, request.spreadsheet_id, hint)
            settled = settled_text(settings)
            if settled != kept_settled:
                history.remember_settled_read(hint_key, request.spreadsheet_id, settled)
            rows = kept_rows_data(settings)
            if rows is not None:
                try:
                    history.remember_kept_rows(
                        hint_key, request.spreadsheet_id, code_fingerprint(), rows
                    )
                except (OSError, sqlite3.Error) as exc:  # only costs the next process time
                    log.warning("kept_rows_not_saved", error=f"{type(exc).__name__}: {exc}")
        structlog.contextvars.unbind_contextvars("run_id", "spreadsheet")


class RunInterrupted(KeyboardInterrupt):
    """The operator's Ctrl-C, raised at a safe point between two writes (not inside one)."""

    def __init__(self, message: str, *, unsent: str) -> None:
        super().__init__(message)
        self.unsent = unsent
        """The kind of request ("read" or "write") stopped before it was sent: not counted."""


def _explained(exc: BaseException, config: Config, request: RunRequest) -> BaseException:
    """A 404 rephrased to name the id and the endpoint to check and where each came from."""
    if not isinstance(exc, SpreadsheetNotFound):
        return exc
    sid = request.spreadsheet_id
    id_from = request.id_source or config.source_of(f"id:{sid}")
    endpoint = config.service.endpoint
    if endpoint is None:
        hint = f"check the id {sid} (from {id_from}): it is the part of the sheet's URL after /d/"
    else:
        hint = (
            f"check the id {sid} (from {id_from}) and the endpoint {endpoint} (from "
            f"{config.source_of('endpoint')}): a wrong path there answers 404 for every id"
        )
    return SpreadsheetNotFound(f"{str(exc).rstrip('.')} — {hint}.", status=exc.status)


def _run(
    backend: SheetsBackend,
    settings: SyncSettings,
    clock: Callable[[], datetime],
    on_plan: Callable[[Plan], None] | None,
    log: Any,
    run_id: str,
) -> RunReport:
    holder: dict[str, RunReport] = {}
    try:
        report = run_sync(
            backend, settings, clock=clock, on_plan=on_plan, report_sink=holder, run_id=run_id
        )
    except BaseException as exc:
        if "report" in holder:
            exc.report = holder["report"]  # type: ignore[attr-defined]
        raise
    log.info(
        "run_finished",
        outcome=report.outcome,
        reads=report.reads,
        writes=report.writes,
        cells_written=report.cells_written,
        rounds=report.rounds,
        error=report.error,
    )
    return report
