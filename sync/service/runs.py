"""
The one way a run starts, manual or scheduled: under the spreadsheet's lock, through the limiter.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sync.backends.base import SheetsBackend
from sync.core.settings import Config
from sync.run.history import RunHistory
from sync.run.logconfig import get_logger
from sync.run.loop import bangkok_now
from sync.run.report import RunReport
from sync.run.runner import RunRequest, open_backend, run_once
from sync.service.locks import spreadsheet_lock
from sync.service.progress import ProgressBackend, ProgressPrinter
from sync.service.quota import RateLimiter, ThrottledBackend

if TYPE_CHECKING:
    from sync.core.round import Plan

BackendFactory = Callable[[Config], AbstractContextManager[SheetsBackend]]
"""Opens a backend for the configured endpoint and closes it afterwards (`open_backend`)."""


class SyncCall(Protocol):
    """
    The shape of `sync.run.runner.run_once`, so tests can instrument what a run calls.
    """

    def __call__(
        self,
        config: Config,
        request: RunRequest,
        *,
        backend: SheetsBackend | None = None,
        clock: Callable[[], datetime] = bangkok_now,
        on_plan: Callable[[Plan], None] | None = None,
        history: RunHistory | None = None,
    ) -> RunReport:
        """
        Run one spreadsheet and record it.
        """
        ...


@contextmanager
def _opened(
    factory: BackendFactory,
    config: Config,
    request: RunRequest,
    clock: Callable[[], datetime],
    history: RunHistory | None,
) -> Iterator[SheetsBackend]:
    """
    Open the backend; a failure to open (bad key, no credentials) is recorded as a run.
    """
    with ExitStack() as stack:
        try:
            backend = stack.enter_context(factory(config))
        except Exception as exc:
            if not request.dry_run:
                _record_failure(config, request, exc, clock, history)
            raise
        yield backend


def _record_failure(
    config: Config,
    request: RunRequest,
    exc: Exception,
    clock: Callable[[], datetime],
    history: RunHistory | None,
) -> None:
    now = clock().isoformat(timespec="seconds")
    report = RunReport.failed(request.spreadsheet_id, exc, run_id=uuid.uuid4().hex[:12], at=now)
    (history or RunHistory(config.service.history)).record(
        report, label=config.spreadsheet(request.spreadsheet_id).label, trigger=request.trigger
    )
    get_logger(spreadsheet=request.spreadsheet_id, trigger=request.trigger).error(
        "run_failed", run_id=report.run_id, error=report.error
    )


def run_unlocked(
    config: Config,
    request: RunRequest,
    *,
    backend_factory: BackendFactory = open_backend,
    limiter: RateLimiter | None = None,
    progress: ProgressPrinter | None = None,
    clock: Callable[[], datetime] = bangkok_now,
    history: RunHistory | None = None,
    sync: SyncCall = run_once,
    on_plan: Callable[[Plan], None] | None = None,
) -> RunReport:
    """
    Run one spreadsheet through the limiter and the progress display; the caller holds the lock.
    """
    if limiter is None and progress is None and backend_factory is open_backend:
        return sync(config, request, clock=clock, history=history, on_plan=on_plan)
    plan_hooks = [hook for hook in (on_plan, progress.on_plan if progress else None) if hook]

    def on_each_plan(plan: Plan) -> None:
        for hook in plan_hooks:
            hook(plan)

    with _opened(backend_factory, config, request, clock, history) as opened:
        backend: SheetsBackend = opened
        if limiter is not None:
            backend = ThrottledBackend(backend, limiter)
        if progress is not None:
            backend = ProgressBackend(backend, progress)
        return sync(
            config,
            request,
            backend=backend,
            clock=clock,
            on_plan=on_each_plan if plan_hooks else None,
            history=history,
        )


def run_locked(
    config: Config,
    request: RunRequest,
    *,
    backend_factory: BackendFactory = open_backend,
    limiter: RateLimiter | None = None,
    progress: ProgressPrinter | None = None,
    clock: Callable[[], datetime] = bangkok_now,
    history: RunHistory | None = None,
    sync: SyncCall = run_once,
    on_plan: Callable[[Plan], None] | None = None,
) -> RunReport:
    """
    Run one spreadsheet holding its lock; SpreadsheetBusy at once when another run holds it.

    A dry run writes nothing, so it takes no lock and may look at a sheet while it syncs.
    """
    lock: AbstractContextManager[object] = (
        nullcontext()
        if request.dry_run
        else spreadsheet_lock(config.service.lock_dir, request.spreadsheet_id)
    )
    with lock:
        return run_unlocked(
            config,
            request,
            backend_factory=backend_factory,
            limiter=limiter,
            progress=progress,
            clock=clock,
            history=history,
            sync=sync,
            on_plan=on_plan,
        )
