"""
An unchanged sheet costs its one read and nothing else: a run whose read is byte for byte the
answer an earlier run planned nothing from stops there, in the service and in a new process;
any edit, a new day or other settings make it plan again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core import round as round_mod
from sync.core.cells import column_letter
from sync.core.settings import Config, ServiceConfig, SyncSettings
from sync.run.history import RunHistory
from sync.run.loop import run_sync
from sync.run.read import hint_key_text
from sync.run.runner import RunRequest, run_once, settings_for
from sync.run.settled import forget_settled
from tests.conftest import count_rows_checked

from .conftest import FIXED_NOW


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many rounds were planned and rows checked since the fixture started."""
    counts = {"plans": 0, "rows": 0}
    plan_round = round_mod.plan_round

    def counted_plan(*args: Any, **kwargs: Any) -> Any:
        counts["plans"] += 1
        return plan_round(*args, **kwargs)

    monkeypatch.setattr(round_mod, "plan_round", counted_plan)
    count_rows_checked(monkeypatch, counts)
    return counts


def _figures(report: Any) -> dict[str, Any]:
    data = report.to_json()
    return {k: data[k] for k in ("title", "regions", "targets", "layout_problems", "outcome")}


def test_an_unchanged_sheet_is_read_once_and_nothing_is_planned(
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    work: dict[str, int],
) -> None:
    settings = SyncSettings(spreadsheet_id=loaded)
    first = run_sync(backend, settings, clock=clock)
    assert first.writes > 0 and work["plans"] == 2  # a first run: plan, write, verify
    work.update(plans=0, rows=0)

    again = run_sync(backend, settings, clock=clock)

    assert (1, 0, 1) == (again.reads, again.writes, again.rounds)
    assert (0, 0) == (work["plans"], work["rows"])
    assert _figures(first) == _figures(again)  # the same counts and targets reported


def test_one_typed_cell_makes_the_next_run_plan_and_write(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    work: dict[str, int],
) -> None:
    settings = SyncSettings(spreadsheet_id=loaded)
    run_sync(backend, settings, clock=clock)
    run_sync(backend, settings, clock=clock)
    work.update(plans=0)
    (header_row,) = backend.read_ranges(loaded, ["'ศก.3'!3:3"])[0]
    column = column_letter(header_row.index(h.NATIONAL_ID))
    people.type_value(emulator.store, loaded, "ศก.3", f"{column}4", "1234")  # a wrong ID typed
    edited = run_sync(backend, settings, clock=clock)
    assert work["plans"] >= 1 and edited.writes > 0 and edited.cells_written > 0


def test_a_new_day_or_other_settings_plan_again(
    backend: GspreadBackend, loaded: str, work: dict[str, int]
) -> None:
    settings = SyncSettings(spreadsheet_id=loaded)
    run_sync(backend, settings, clock=lambda: FIXED_NOW)
    work.update(plans=0)
    later_today = run_sync(backend, settings, clock=lambda: FIXED_NOW + timedelta(hours=5))
    assert (1, 0) == (later_today.reads, work["plans"])

    tomorrow = run_sync(backend, settings, clock=lambda: FIXED_NOW + timedelta(days=1))
    assert tomorrow.reads >= 1 and work["plans"] >= 1  # ages and deadlines move with the date
    work.update(plans=0)
    other_year = replace(settings, fiscal_year=settings.fiscal_year + 1)
    run_sync(backend, other_year, clock=lambda: FIXED_NOW + timedelta(days=1))
    assert work["plans"] >= 1


def test_a_ticked_sync_now_box_is_answered(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
) -> None:
    settings = SyncSettings(spreadsheet_id=loaded)
    run_sync(backend, settings, clock=clock)
    run_sync(backend, settings, clock=clock)
    people.type_value(emulator.store, loaded, settings.summary_tab, "E1", True)
    answered = run_sync(backend, settings, clock=clock)
    assert answered.writes > 0
    (summary,) = backend.read_ranges(loaded, [f"'{settings.summary_tab}'!E1"])
    assert [[False]] == summary  # unticked: the run answered it


def test_a_new_process_keeps_the_settled_read_in_the_run_history(
    emulator: EmulatorHandle, loaded: str, tmp_path: Path, work: dict[str, int]
) -> None:
    history = RunHistory(tmp_path / "history.sqlite3")
    config = Config(service=ServiceConfig(endpoint=emulator.base_url, history=history.path))
    request = RunRequest(spreadsheet_id=loaded)
    run_once(config, request, history=history)
    assert history.settled_read(hint_key_text(settings_for(config, request))) is not None
    forget_settled()  # a new process: nothing remembered in memory
    work.update(plans=0, rows=0)

    again = run_once(config, request, history=history)

    assert ("ok", 1, 0) == (again.outcome, again.reads, again.writes)
    assert (0, 0) == (work["plans"], work["rows"])
    assert again.regions and sum(c.rows for c in again.regions.values()) > 0

    history.forget(loaded)  # `status --prune`: the kept read goes with the runs
    assert history.settled_read(hint_key_text(settings_for(config, request))) is None
