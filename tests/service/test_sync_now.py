"""The `ซิงก์ทันที` checkbox end to end: tick E1, the poll sees it, a run answers and unticks it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rules import headers as h
from sheets_emulator.http.server import EmulatorHandle
from sync.core.settings import Config
from sync.run.history import RunHistory
from sync.service import CheckboxWatcher, SyncService, sync_now_range


def _summary_cell(emulator: EmulatorHandle, sid: str, a1: str) -> Any:
    grid = emulator.store.get_values(sid, h.SUMMARY_TAB, a1, render="UNFORMATTED_VALUE")
    return grid[0][0] if grid and grid[0] else None


def _after_one_run(
    sheet_ids: list[str], make_config: Callable[..., Config], clock: Callable[[], datetime]
) -> tuple[SyncService, str, Config]:
    """A started service (no poll thread) that has synced the first sheet once."""
    config = make_config(sheet_ids)
    service = SyncService(config, clock=clock)
    service.start(poll=False)
    service.run_now(sheet_ids[0], "manual")
    if not service.wait_for_runs(1, timeout=60):
        service.stop()
        raise AssertionError("the first run did not finish")
    return service, sheet_ids[0], config


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_range_is_e1_of_the_summary_tab() -> None:
    """The poll reads exactly one cell: the checkbox."""
    assert "'สรุปอัตโนมัติ'!E1" == sync_now_range()


def test_looks_are_never_further_apart_than_the_gap() -> None:
    """A spreadsheet is due once its last look is a tick short of the gap; a run counts."""
    ticker = Ticker()
    watcher = CheckboxWatcher(["a", "b"], gap_s=55, tick_s=5, clock=ticker)
    first = watcher.due()
    watcher.note_look("a")
    ticker.now += 30
    watcher.note_look("b")
    ticker.now += 20
    at_50 = watcher.due()
    ticker.now += 30
    assert (["a", "b"], ["a"], ["a", "b"]) == (first, at_50, watcher.due())


def test_a_ticked_box_starts_a_run_that_unticks_it_and_stamps_the_time(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    ticking_clock: Callable[[], datetime],
) -> None:
    """After a first run, tick E1; one poll reads it, a checkbox run unticks it and moves B3."""
    service, sid, config = _after_one_run(sheet_ids, make_config, ticking_clock)
    try:
        stamp_before = _summary_cell(emulator, sid, "B3")
        emulator.store.set_values(sid, h.SUMMARY_TAB, "E1", [[True]], user_entered=False)
        ticked = service.poll_once(force=True)
        assert service.wait_for_runs(2, timeout=60)
    finally:
        service.stop()
    last = {row.spreadsheet_id: row for row in RunHistory(config.service.history).last_runs()}
    assert [sid] == ticked
    assert "checkbox" == last[sid].trigger
    assert "ok" == last[sid].outcome
    assert _summary_cell(emulator, sid, "E1") is False
    assert stamp_before != _summary_cell(emulator, sid, "B3")


def test_an_unticked_box_starts_nothing(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """A poll with every box unticked costs one read per spreadsheet and starts no run."""
    config = make_config(sheet_ids)
    service = SyncService(config)
    service.start(poll=False)
    try:
        service.run_now(sheet_ids[0], "manual")
        assert service.wait_for_runs(1, timeout=60)
        reads_before = emulator.counters.count("values.batchGet")
        ticked = service.poll_once(force=True)
        reads = emulator.counters.count("values.batchGet") - reads_before
    finally:
        service.stop()
    assert ([], len(sheet_ids), 1) == (ticked, reads, len(service.runs))


def test_a_poll_skips_sheets_a_run_just_looked_at(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """A run reads E1 anyway, so the next poll leaves that spreadsheet alone."""
    config = make_config(sheet_ids[:2])
    service = SyncService(config)
    service.start(poll=False)
    try:
        service.run_now(sheet_ids[0], "manual")
        assert service.wait_for_runs(1, timeout=60)
        reads_before = emulator.counters.count("values.batchGet")
        service.poll_once()
        reads = emulator.counters.count("values.batchGet") - reads_before
    finally:
        service.stop()
    assert 1 == reads


def test_one_tick_kept_waiting_by_another_run_is_answered_once(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    ticking_clock: Callable[[], datetime],
) -> None:
    """
    A `sheetsync run` elsewhere holds the spreadsheet's lock when a user ticks the box: the
    poll's run is skipped. The next poll's run answers the tick and unticks the box; no third
    run follows that nobody asked for.
    """
    from sync.service.locks import spreadsheet_lock

    service, sid, config = _after_one_run(sheet_ids, make_config, ticking_clock)
    try:
        emulator.store.set_values(sid, h.SUMMARY_TAB, "E1", [[True]], user_entered=False)
        with spreadsheet_lock(config.service.lock_dir, sid):  # the other run
            service.poll_once(force=True)
            assert service.wait_for_runs(2, timeout=60)
        service.poll_once(force=True)
        assert service.wait_for_runs(3, timeout=60)
        assert not service.wait_for_runs(4, timeout=3)
    finally:
        service.stop()
    assert ["ok", "skipped", "ok"] == [run.outcome for run in service.runs]
    assert _summary_cell(emulator, sid, "E1") is False
