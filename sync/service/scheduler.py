"""
`sheetsync serve`: every configured spreadsheet on its cron schedule, plus the checkbox.

One APScheduler job per spreadsheet fires on its schedule or its nightly time (Asia/Bangkok),
shifted by a fixed offset derived from its id so thirty spreadsheets do not start on the same
second. A job never runs twice at once (`max_instances=1`); runs missed while the machine was
busy or asleep collapse into one (`coalesce`) if they are less than `MISFIRE_GRACE_SECONDS`
late. Every run takes the spreadsheet's file lock (so a manual `sheetsync run` and the
service never write at the same time) and goes through one shared `RateLimiter`. A poll
thread looks at each spreadsheet's `ซิงก์ทันที` checkbox about once a minute and starts a run
when it is ticked. `stop()` lets the runs in flight finish — their writes and verify read,
so a stop never leaves a sheet half written — and starts no new ones.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from rules import headers as h
from sync.backends.base import SheetsBackend
from sync.core.errors import BadRequest, ConfigError, SyncError
from sync.core.settings import BANGKOK, Config, SpreadsheetConfig
from sync.run.history import RunHistory
from sync.run.logconfig import get_logger
from sync.run.loop import bangkok_now, pack_kept_rows
from sync.run.memory import resident_mib
from sync.run.report import RunReport
from sync.run.runner import RunRequest, open_backend, run_once
from sync.service.locks import SpreadsheetBusy, spreadsheet_lock
from sync.service.quota import RateLimiter, ThrottledBackend
from sync.service.renew import renewal_due, renewals
from sync.service.runs import BackendFactory, SyncCall, run_unlocked
from sync.service.sync_now import TICK_SECONDS, CheckboxWatcher, gap_for, is_ticked
from sync.service.warm import warm_up

MISFIRE_GRACE_SECONDS = 300
"""A run more than five minutes late is dropped; the next scheduled one catches up."""
SPREAD_SECONDS = 240
"""Runs of one schedule start within this many seconds after the cron time, one per second."""
MAX_WORKERS = 4
"""Runs in parallel at most (they share the quota anyway; more threads only queue)."""
RECENT_RUNS = 1000
"""Jobs the service keeps in memory for tests and diagnostics (the history keeps them all)."""

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _weekday_number(token: str) -> int:
    name = token.strip().lower()[:3]
    if name in _WEEKDAYS:
        return _WEEKDAYS.index(name)
    number = int(token)
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {token!r} is not 0-7 (0 and 7 are Sunday)")
    return number


def _cron_weekdays(field: str) -> str:
    """
    Cron's weekday numbers (0 or 7 = Sunday) as names: APScheduler 3 counts 0 as Monday.
    """
    if not any(ch.isdigit() for ch in field.split("/")[0]) and "/" not in field:
        return field
    days: list[str] = []
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            first, last = 0, 6
        elif "-" in body:
            start, end = body.split("-", 1)
            first, last = _weekday_number(start), _weekday_number(end)
        else:
            first = _weekday_number(body)
            last = 6 if step_text else first
        if last < first:
            raise ValueError(f"weekday range {body!r} runs backwards")
        days.extend(_WEEKDAYS[n % 7] for n in range(first, last + 1, step))
    return ",".join(dict.fromkeys(days))


def parse_cron(expr: str) -> BaseTrigger:
    """
    A standard five-field crontab line (minute hour day month weekday) in Bangkok time.

    As crontab(5) says, when both the day of the month and the weekday are restricted (not
    `*`), a day matching either runs (`0 8 1 * mon`: the 1st and every Monday), where
    APScheduler's one CronTrigger would need both.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(
            f"{expr!r} has {len(fields)} fields; a schedule needs 5 "
            "(minute hour day month weekday), e.g. '*/15 7-18 * * mon-fri'"
        )
    minute, hour, day, month, weekday = fields

    def cron(day: str, weekday: str) -> CronTrigger:
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=_cron_weekdays(weekday),
            timezone=BANGKOK,
        )

    trigger: BaseTrigger = (
        cron(day, weekday)
        if day.startswith("*") or weekday.startswith("*")
        else OrTrigger([cron(day, "*"), cron("*", weekday)])
    )
    if trigger.get_next_fire_time(None, datetime.now(BANGKOK)) is None:
        raise ValueError(
            f"{expr!r} never comes: no date has that day in those months (31 February, "
            "31 April…) — pick a day every chosen month has"
        )
    return trigger


class OffsetTrigger(BaseTrigger):
    """
    Another trigger's fire times, each moved later by a fixed number of seconds.
    """

    __slots__ = ("offset_s", "trigger")

    def __init__(self, trigger: BaseTrigger, offset_s: float) -> None:
        self.trigger = trigger
        self.offset_s = offset_s

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """
        The wrapped trigger's next time after `now`, shifted by the offset.
        """
        shift = timedelta(seconds=self.offset_s)
        previous = previous_fire_time - shift if previous_fire_time is not None else None
        fire: datetime | None = self.trigger.get_next_fire_time(previous, now - shift)
        return None if fire is None else fire + shift

    def __str__(self) -> str:
        return f"{self.trigger} +{self.offset_s:g}s"

    def __repr__(self) -> str:
        return f"<OffsetTrigger {self.trigger!r} +{self.offset_s:g}s>"


def spread_offsets(ids: Iterable[str], spread_s: int = SPREAD_SECONDS) -> dict[str, int]:
    """
    A fixed start offset per spreadsheet id, distinct while there are fewer ids than seconds.

    The offset comes from a checksum of the id, so it survives restarts and reordering of the
    configuration; a collision moves to the next free second.
    """
    taken: set[int] = set()
    offsets: dict[str, int] = {}
    for sid in sorted(set(ids), key=lambda s: (zlib.crc32(s.encode()), s)):
        slot = zlib.crc32(sid.encode()) % spread_s
        while slot in taken and len(taken) < spread_s:
            slot = (slot + 1) % spread_s
        taken.add(slot)
        offsets[sid] = slot
    return offsets


def schedules_of(config: Config, sheet: SpreadsheetConfig) -> list[str]:
    """
    The cron lines of one spreadsheet: its schedule and nightly run, or the defaults' ("" = off).
    """
    schedule = sheet.schedule if sheet.schedule is not None else config.defaults.schedule
    nightly = sheet.nightly if sheet.nightly is not None else config.defaults.nightly
    return [line for line in (schedule, nightly) if line]


def trigger_for(config: Config, sheet: SpreadsheetConfig, offset_s: float) -> BaseTrigger | None:
    """
    The job trigger of one spreadsheet: every cron line of it, shifted by its offset.
    """
    lines = schedules_of(config, sheet)
    if not lines:
        return None
    try:
        triggers: list[BaseTrigger] = [parse_cron(line) for line in lines]
    except ValueError as exc:
        raise ConfigError(
            f"spreadsheets[{sheet.id}]: schedule: {exc} — run sheetsync check-config."
        ) from exc
    combined = triggers[0] if len(triggers) == 1 else OrTrigger(triggers)
    return OffsetTrigger(combined, offset_s)


@dataclass(frozen=True)
class RunRecord:
    """
    One job the service ran: which spreadsheet, why, and its outcome ('skipped' if busy).
    """

    spreadsheet_id: str
    trigger: str
    outcome: str


class _Scheduler(BackgroundScheduler):
    """
    APScheduler's loop, made to survive a one-shot job that vanished while it was run.

    Seen while stopping with a `run_now` job in flight: `_process_jobs` runs the job, then
    fails to remove it (JobLookupError), and the exception ends the scheduler's thread.
    The job has already been handed to the executor, so nothing is lost by going on.
    """

    def _process_jobs(self) -> float | None:
        try:
            result: float | None = super()._process_jobs()
        except JobLookupError as exc:
            self._logger.debug("one-shot job already gone: %s", exc)
            return 1.0  # look again shortly instead of dying
        return result


class SyncService:
    """
    The long-running service: scheduled runs, checkbox polls, one limiter, a clean stop.

    Args:
        config: the loaded configuration; every `[[spreadsheets]]` entry is served.
        backend_factory: opens a backend per run (and one for the polls).
        sync: the run itself (`run_once`); injectable to instrument runs in tests.
        limiter: the shared request budget; by default the configured per-minute quotas.
        clock: the runs' wall clock (Bangkok time).
        monotonic: the clock of the checkbox polls.
        max_workers: runs in parallel at most.
        tick_s: how often the poll thread wakes up.
        gap_s: longest time between two looks at a checkbox (default: a minute or, with many
            spreadsheets, what keeps the looks within 60 % of the read quota).
        resident: this process's resident memory in MiB, read after each run to decide on
            starting afresh (`renewing`).
    """

    def __init__(
        self,
        config: Config,
        *,
        backend_factory: BackendFactory = open_backend,
        sync: SyncCall = run_once,
        limiter: RateLimiter | None = None,
        clock: Callable[[], datetime] = bangkok_now,
        monotonic: Callable[[], float] = time.monotonic,
        history: RunHistory | None = None,
        max_workers: int = MAX_WORKERS,
        tick_s: float = TICK_SECONDS,
        gap_s: float | None = None,
        resident: Callable[[], float | None] = resident_mib,
    ) -> None:
        self.config = config
        self.ids = [sheet.id for sheet in config.spreadsheets]
        if not self.ids:
            raise ConfigError(
                "Nothing to serve: list the spreadsheets under [[spreadsheets]] in the config."
            )
        service = config.service
        self.limiter = limiter or RateLimiter(service.reads_per_minute, service.writes_per_minute)
        self.history = history or RunHistory(service.history)
        self.offsets = spread_offsets(self.ids)
        self.watcher = CheckboxWatcher(
            self.ids,
            gap_s=gap_s or gap_for(len(self.ids), service.reads_per_minute),
            tick_s=tick_s,
            clock=monotonic,
        )
        self._backend_factory = backend_factory
        self._sync = sync
        self._clock = clock
        self._log = get_logger()
        self._stopping = threading.Event()
        self._poll_thread: threading.Thread | None = None
        self._state = threading.Condition()
        self._pending: set[str] = set()
        self._look_errors: dict[str, str] = {}
        self.runs: deque[RunRecord] = deque(maxlen=RECENT_RUNS)
        """
        The latest jobs this service ran, in the order they finished.
        """
        self.finished = 0
        """
        How many jobs this service has finished since it started.
        """
        self._resident = resident
        self._ran = 0
        self.renewing = threading.Event()
        """
        Set once a run left this process above `service.renew_above_mib`: `serve` stops (the
        runs in flight finish) so that the caller starts the service afresh.
        """
        self._poll_error = ""
        # The service logs each run itself; APScheduler's per-job lines would double them.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.scheduler = _Scheduler(
            timezone=BANGKOK,
            executors={"default": ThreadPoolExecutor(max_workers)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            },
        )
        for sheet in config.spreadsheets:
            trigger = trigger_for(config, sheet, self.offsets[sheet.id])
            if trigger is not None:
                self.scheduler.add_job(
                    self.run_job,
                    trigger,
                    args=[sheet.id, "schedule"],
                    id=sheet.id,
                    name=sheet.label or sheet.id,
                )

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, *, paused: bool = False, poll: bool = True) -> None:
        """
        Start the scheduler (paused: jobs wait for `resume`) and, unless told not to, the polls.
        """
        self.scheduler.start(paused=paused)
        if poll:
            self._poll_thread = threading.Thread(
                target=self._poll_loop, name="sheetsync-checkbox-poll", daemon=True
            )
            self._poll_thread.start()
        self._log.info(
            "service_started",
            spreadsheets=len(self.ids),
            reads_per_minute=self.limiter.limits["read"],
            writes_per_minute=self.limiter.limits["write"],
            checkbox_gap_s=self.watcher.gap_s,
            renewals=renewals(),
        )

    def stop(self, *, wait: bool = True) -> None:
        """
        Start nothing new; with `wait`, return once the runs in flight have finished.
        """
        self._stopping.set()
        if self._poll_thread is not None:
            self._poll_thread.join()
            self._poll_thread = None
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)
        self._log.info("service_stopped")

    def warm_up(self) -> None:
        """
        Build what every run uses before any spreadsheet's rows (`sync.service.warm`); a
        failure only costs memory later, never a reason not to serve.
        """
        try:
            warm_up()
        except Exception as exc:
            self._log.warning("warm_up_failed", error=f"{type(exc).__name__}: {exc}")

    def serve(self) -> int:
        """
        Run until SIGTERM or Ctrl-C, then stop cleanly (runs in flight finish); exit status 0.
        A run that left the process above its memory limit stops it the same way, with
        `renewing` set: the caller then starts the service afresh (`sync.service.renew`).
        """
        stop = threading.Event()

        def _on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, _on_signal)
        try:
            self.warm_up()
            self.start()
            while not stop.wait(0.5):
                if self.renewing.is_set():
                    break
            reason = "signal" if stop.is_set() else "renew"
            self._log.info("service_stopping", reason=reason)
        finally:
            self.stop(wait=True)
            for number, handler in previous.items():
                signal.signal(number, handler)
        return 0

    # -- runs ---------------------------------------------------------------------------------

    def run_now(self, spreadsheet_id: str, trigger: str = "manual") -> None:
        """
        Queue a run of one spreadsheet to start as soon as a worker is free.
        """
        if self._stopping.is_set():
            return
        self.scheduler.add_job(
            self.run_job,
            "date",
            args=[spreadsheet_id, trigger],
            id=f"{spreadsheet_id}#{trigger}",
            name=f"{spreadsheet_id} ({trigger})",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def run_job(self, spreadsheet_id: str, trigger: str) -> RunReport | None:
        """
        One run under the spreadsheet's lock; a busy lock skips it, a failure stops only it.
        """
        log = self._log.bind(spreadsheet=spreadsheet_id, trigger=trigger)
        if self._stopping.is_set():
            # Queued before the stop: the service is going, and a run started now could be
            # cut off mid-write by the stop's deadline (the next start runs it, if still due).
            log.info("run_not_started", reason="the service is stopping")
            return None
        request = RunRequest(spreadsheet_id=spreadsheet_id, trigger=trigger)
        report: RunReport | None = None
        outcome = "failed"
        ran = False
        try:
            with spreadsheet_lock(self.config.service.lock_dir, spreadsheet_id):
                ran = True
                # The run reads E1 right away: that is a look, so the poll can wait, and a
                # tick a busy lock kept waiting is answered by this very run (only one seen
                # while it holds the lock is left for a run after it).
                self.watcher.note_look(spreadsheet_id)
                with self._state:
                    self._pending.discard(spreadsheet_id)
                report = run_unlocked(
                    self.config,
                    request,
                    backend_factory=self._backend_factory,
                    limiter=self.limiter,
                    clock=self._clock,
                    history=self.history,
                    sync=self._sync,
                )
                outcome = report.outcome
        except SpreadsheetBusy as exc:
            outcome = "skipped"
            log.info("run_skipped", reason=str(exc))
            if trigger == "checkbox":
                with self._state:
                    self._pending.add(spreadsheet_id)
        except SyncError as exc:
            if not ran:  # (the lock could not be taken: the run never started to say so)
                log.error("run_failed", error=f"{type(exc).__name__}: {exc}")
            # else logged and recorded in the history by the run itself
        except Exception:
            log.exception("run_crashed")
        finally:
            # The service runs again: the rows kept for that go packed meanwhile, and the heap
            # this run used goes back to the system.
            pack_kept_rows()
            if outcome != "skipped":
                self._after_run()
            with self._state:
                self.runs.append(RunRecord(spreadsheet_id, trigger, outcome))
                self.finished += 1
                again = outcome != "skipped" and spreadsheet_id in self._pending
                if again:
                    self._pending.discard(spreadsheet_id)
                self._state.notify_all()
            if again:
                # A ticked box was seen while this run held the lock: answer it for sure.
                self.run_now(spreadsheet_id, "checkbox")
        return report

    def _after_run(self) -> None:
        """Ask `serve` to start afresh once runs left this process above its memory limit."""
        limit = self.config.service.renew_above_mib
        resident = self._resident() if limit else None
        with self._state:  # two runs ending together ask (and log) once
            self._ran += 1
            if self.renewing.is_set() or not renewal_due(resident, limit, self._ran):
                return
            self.renewing.set()
            runs = self._ran
        assert resident is not None
        self._log.info("service_renewing", resident_mib=round(resident), limit_mib=limit, runs=runs)

    def wait_for_runs(self, count: int, timeout: float) -> bool:
        """
        Block until this service has finished `count` jobs (or the timeout passed).
        """
        with self._state:
            return self._state.wait_for(lambda: self.finished >= count, timeout)

    # -- the checkbox -------------------------------------------------------------------------

    def look(self, backend: SheetsBackend, spreadsheet_id: str) -> bool:
        """
        Read one spreadsheet's checkbox; ticked starts a run (trigger "checkbox").
        """
        self.watcher.note_look(spreadsheet_id)
        log = self._log.bind(spreadsheet=spreadsheet_id)
        try:
            ticked = is_ticked(backend, spreadsheet_id, h.SUMMARY_TAB)
        except SyncError as exc:
            # No summary tab yet (never synced), or the sheet is gone: say so once, not each
            # minute; the scheduled runs report the failure in the history as well.
            error = f"{type(exc).__name__}: {exc}"
            if self._look_errors.get(spreadsheet_id) != error:
                # A sheet never synced has no summary tab yet: expected, not a warning.
                level = log.info if isinstance(exc, BadRequest) else log.warning
                level("checkbox_unreadable", error=error)
            self._look_errors[spreadsheet_id] = error
            return False
        self._look_errors.pop(spreadsheet_id, None)
        if ticked:
            log.info("checkbox_ticked")
            self.run_now(spreadsheet_id, "checkbox")
        return ticked

    def poll_once(self, *, force: bool = False) -> list[str]:
        """
        Look at every spreadsheet due for a look (all with `force`); returns the ticked ones.
        """
        due = list(self.ids) if force else self.watcher.due()
        if not due:
            return []
        with self._backend_factory(self.config) as opened:
            backend = ThrottledBackend(opened, self.limiter)
            return [sid for sid in due if self.look(backend, sid)]

    def poll_due(self, backend: SheetsBackend) -> int:
        """
        Look at the spreadsheets due for a look while runs still have reads to spare.

        Looks never queue for the quota: when fewer than a fifth of the reads of the window
        are free, the rest wait for the next tick, so runs are never held up by looks.
        """
        spare = self.limiter.limits["read"] // 5
        looks = 0
        for sid in self.watcher.due():
            if self._stopping.is_set() or not self.limiter.has_room("read", spare=spare):
                break
            self.look(backend, sid)
            looks += 1
        return looks

    def _poll_loop(self) -> None:
        with ExitStack() as stack:
            backend: SheetsBackend | None = None
            while not self._stopping.is_set():
                if self.watcher.due():
                    try:
                        if backend is None:
                            opened = stack.enter_context(self._backend_factory(self.config))
                            backend = ThrottledBackend(opened, self.limiter)
                        self.poll_due(backend)
                    except Exception as exc:
                        # E.g. an unreadable key: said once, tried again each tick.
                        error = f"{type(exc).__name__}: {exc}"
                        if error != self._poll_error:
                            self._log.error("checkbox_poll_failed", error=error)
                        self._poll_error = error
                self._stopping.wait(self.watcher.tick_s)
