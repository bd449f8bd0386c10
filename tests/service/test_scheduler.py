"""The service's schedule: when runs fire, that they happen, never overlap, and coalesce."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine

from sheets_emulator.http.server import EmulatorHandle
from sync.core.settings import BANGKOK, Config
from sync.run.history import RunHistory
from sync.run.report import RunReport
from sync.run.runner import RunRequest, run_once
from sync.service import OffsetTrigger, SyncService, parse_cron, spread_offsets, trigger_for

MONDAY = datetime(2024, 10, 7, 6, 50, tzinfo=BANGKOK)


def _next(trigger: Any, now: datetime) -> datetime:
    fire: datetime = trigger.get_next_fire_time(None, now)
    return fire


@pytest.mark.parametrize(
    ("expr", "now", "expected"),
    [
        ("*/15 7-18 * * mon-fri", MONDAY, datetime(2024, 10, 7, 7, 0, tzinfo=BANGKOK)),
        ("*/15 7-18 * * mon-fri", MONDAY.replace(hour=18, minute=50), MONDAY + timedelta(1, 600)),
        ("*/15 7-18 * * 1-5", MONDAY - timedelta(days=2), MONDAY + timedelta(minutes=10)),
        ("30 1 * * 0", MONDAY, datetime(2024, 10, 13, 1, 30, tzinfo=BANGKOK)),
        ("30 1 * * 7", MONDAY, datetime(2024, 10, 13, 1, 30, tzinfo=BANGKOK)),
        # Day of month and weekday both restricted: either runs (crontab(5)), so the next
        # Monday, then the 1st of the month (a Friday).
        ("0 8 1 * mon", MONDAY.replace(hour=9), datetime(2024, 10, 14, 8, 0, tzinfo=BANGKOK)),
        (
            "0 8 1 * mon",
            datetime(2024, 10, 28, 9, tzinfo=BANGKOK),
            datetime(2024, 11, 1, 8, tzinfo=BANGKOK),
        ),
        # (A field starting with `*` counts as unrestricted, as in cron: odd days that are
        # Mondays.)
        ("0 8 */2 * mon", MONDAY.replace(hour=9), datetime(2024, 10, 21, 8, 0, tzinfo=BANGKOK)),
    ],
)
def test_cron_lines_mean_what_crontab_says(expr: str, now: datetime, expected: datetime) -> None:
    """
    Five crontab fields in Bangkok time; weekday numbers count Sunday as 0 and 7; a day of the
    month and a weekday both restricted mean either.
    """
    assert expected == _next(parse_cron(expr), now)


def test_a_cron_line_with_the_wrong_number_of_fields_is_explained() -> None:
    """The error names the line, the count, and what a schedule looks like."""
    with pytest.raises(ValueError, match="has 4 fields; a schedule needs 5"):
        parse_cron("*/15 7-18 * *")


def test_schedule_and_nightly_combine_and_shift_by_the_offset(
    make_config: Callable[..., Config],
) -> None:
    """After the last weekday run at 18:45, the next is the nightly 01:30, both offset."""
    config = make_config(["a"], schedule="*/15 7-18 * * mon-fri", nightly="30 1 * * *")
    trigger = trigger_for(config, config.spreadsheets[0], 42)
    friday_evening = datetime(2024, 10, 11, 18, 46, tzinfo=BANGKOK)
    expected = [
        datetime(2024, 10, 11, 18, 45, 42, tzinfo=BANGKOK),
        datetime(2024, 10, 12, 1, 30, 42, tzinfo=BANGKOK),
    ]
    assert isinstance(trigger, OffsetTrigger)
    assert expected == [
        _next(trigger, friday_evening - timedelta(minutes=1)),
        _next(trigger, friday_evening),
    ]


def test_thirty_spreadsheets_get_thirty_distinct_fixed_offsets() -> None:
    """Offsets depend on the id only: distinct seconds, in range, the same in any order."""
    ids = [f"1sheet{n:02d}xyz" for n in range(30)]
    offsets = spread_offsets(ids)
    assert 30 == len(set(offsets.values()))
    assert all(0 <= o < 240 for o in offsets.values())
    assert offsets == spread_offsets(list(reversed(ids)))


def test_the_first_run_of_the_day_is_at_seven_plus_the_offset(
    make_config: Callable[..., Config],
) -> None:
    """Started at 06:50 on a Monday, a spreadsheet's job is due at 07:00 plus its offset."""
    config = make_config(["a"], schedule="*/15 7-18 * * mon-fri", nightly="30 1 * * *")
    service = SyncService(config)
    with time_machine.travel(MONDAY, tick=False):
        service.start(paused=True, poll=False)
        try:
            job = service.scheduler.get_job("a")
            expected = datetime(2024, 10, 7, 7, 0, tzinfo=BANGKOK) + timedelta(
                seconds=service.offsets["a"]
            )
            assert expected == job.next_run_time
        finally:
            service.stop()


class ConcurrencyProbe:
    """Wraps run_once and records the most runs of one spreadsheet ever in flight together."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.lock = threading.Lock()
        self.active: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.started = threading.Event()
        self.hold = hold

    def __call__(self, config: Config, request: RunRequest, **kwargs: Any) -> RunReport:
        sid = request.spreadsheet_id
        with self.lock:
            self.active[sid] += 1
            self.peak[sid] = max(self.peak[sid], self.active[sid])
        self.started.set()
        try:
            if self.hold is not None:
                self.hold.wait(30)
            return run_once(config, request, **kwargs)
        finally:
            with self.lock:
                self.active[sid] -= 1


def test_runs_happen_and_a_missing_spreadsheet_does_not_stop_the_others(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """Every configured spreadsheet runs; the unknown one fails alone and is in the history."""
    config = make_config([*sheet_ids, "1doesNotExist"])
    service = SyncService(config)
    service.start(poll=False)
    try:
        for sid in [*sheet_ids, "1doesNotExist"]:
            service.scheduler.modify_job(sid, next_run_time=datetime.now(BANGKOK))
        assert service.wait_for_runs(4, timeout=120)
    finally:
        service.stop()
    outcomes = {run.spreadsheet_id: run.outcome for run in service.runs}
    history = {row.spreadsheet_id: row for row in RunHistory(config.service.history).last_runs()}
    assert {**dict.fromkeys(sheet_ids, "ok"), "1doesNotExist": "failed"} == outcomes
    assert "SpreadsheetNotFound" in (history["1doesNotExist"].error or "")
    assert {"schedule"} == {row.trigger for row in history.values()}


def test_runs_of_one_spreadsheet_never_overlap(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """Schedule, checkbox and manual runs fired together: one at a time, the rest skipped."""
    config = make_config(sheet_ids[:2])
    hold = threading.Event()
    probe = ConcurrencyProbe(hold)
    service = SyncService(config, sync=probe)
    service.start(poll=False)
    try:
        for sid in sheet_ids[:2]:
            service.scheduler.modify_job(sid, next_run_time=datetime.now(BANGKOK))
        assert probe.started.wait(30)
        for sid in sheet_ids[:2]:
            service.run_now(sid, "checkbox")
            service.run_now(sid, "manual")
        # Two runs in flight, four refused by the lock; then let the first two finish.
        assert service.wait_for_runs(4, timeout=60)
        hold.set()
        assert service.wait_for_runs(6, timeout=120)
    finally:
        hold.set()
        service.stop()
    assert {sid: 1 for sid in sheet_ids[:2]} == dict(probe.peak)
    assert 4 == sum(1 for run in service.runs if run.outcome == "skipped")


def test_missed_runs_coalesce_into_one(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """Five minutely runs missed while paused become a single run when the scheduler resumes."""
    config = make_config(sheet_ids[:1], schedule="* * * * *")
    frozen = datetime(2024, 10, 7, 10, 0, 30, tzinfo=BANGKOK)
    service = SyncService(config)
    with time_machine.travel(frozen, tick=False):
        service.start(paused=True, poll=False)
        try:
            service.scheduler.modify_job(sheet_ids[0], next_run_time=frozen - timedelta(minutes=5))
            service.scheduler.resume()
            assert service.wait_for_runs(1, timeout=60)
            job = service.scheduler.get_job(sheet_ids[0])
        finally:
            service.stop()
    assert ["ok"] == [run.outcome for run in service.runs]
    assert job.next_run_time > frozen


def test_stop_lets_the_run_in_flight_finish(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """stop() returns only after the running sync has finished and been recorded."""
    config = make_config(sheet_ids[:1])
    emulator.faults.set_latency(0.3)
    probe = ConcurrencyProbe()
    service = SyncService(config, sync=probe)
    service.start(poll=False)
    service.run_now(sheet_ids[0], "manual")
    assert probe.started.wait(30)
    service.stop()
    history = RunHistory(config.service.history).last_runs()
    assert ["ok"] == [run.outcome for run in service.runs], [row.error for row in history]
    assert 1 == len(history)


def test_runs_queued_when_the_service_stops_are_not_started(
    make_config: Callable[..., Config], sheet_ids: list[str]
) -> None:
    """
    Six boxes ticked at once queue six runs on two workers; the service is told to stop while
    the first two run. Those two finish; the four queued ones are not started (a run started
    then could be cut off mid-write by the stop's deadline).
    """
    import time

    ids = [f"1queued{n}{'x' * 30}" for n in range(6)]
    config = make_config(ids)
    started: list[str] = []
    both = threading.Event()

    def slow_sync(config: Config, request: RunRequest, **_: Any) -> RunReport:
        started.append(request.spreadsheet_id)
        if len(started) == 2:
            both.set()
        time.sleep(0.4)
        return RunReport(run_id="r", spreadsheet_id=request.spreadsheet_id, started_at="t")

    service = SyncService(config, sync=slow_sync, max_workers=2)
    service.start(poll=False)
    for sid in ids:
        service.run_now(sid, "checkbox")
    assert both.wait(30)
    service.stop(wait=True)
    assert len(started) == 2
    assert sorted(run.outcome for run in service.runs) == ["ok", "ok"]


def test_a_run_whose_lock_folder_cannot_be_made_is_said_in_the_log(
    make_config: Callable[..., Config], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lock folder lies under a file: the run fails before it starts, and the log says why."""
    from sync.run.logconfig import configure_logging

    (tmp_path / "locks").write_text("a file where the folder should be")
    config = make_config([f"1lockless{'x' * 30}"])
    configure_logging(level="INFO", json=True)
    service = SyncService(config, sync=lambda *a, **k: pytest.fail("the run started"))
    service.run_job(config.spreadsheets[0].id, "scheduled")
    assert [run.outcome for run in service.runs] == ["failed"]
    logged = capsys.readouterr()
    lines = [json.loads(x) for x in (logged.out + logged.err).splitlines() if x.startswith("{")]
    (failed,) = [x for x in lines if x.get("event") == "run_failed"]
    assert failed["error"].startswith("ConfigError: service.lock_dir: ")
    assert "cannot be made" in failed["error"]


@pytest.mark.parametrize("expr", ["30 1 31 2 *", "0 0 31 4,6 *"])
def test_a_cron_line_that_never_comes_is_refused(expr: str) -> None:
    """31 February, 31 April or June: a schedule with no date at all is refused, saying why,
    where the service listed it and never ran it."""
    with pytest.raises(ValueError, match="never comes"):
        parse_cron(expr)
