"""
A new `sheetsync run` process after a few edits checks about those rows only: the rows the last
process checked are kept in the run history, under the planning code and libraries they were
checked with; anything else there (another version, a damaged entry) only costs a run that
checks every row.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import structlog

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import EmulatorHandle
from sync.core import round as round_mod
from sync.core.cells import column_letter
from sync.core.packed import PackedRows, dump_kept, load_kept
from sync.core.settings import Config, ServiceConfig
from sync.run import runner
from sync.run.history import RunHistory
from sync.run.loop import forget_row_caches
from sync.run.read import forget_title_hints, hint_key_text
from sync.run.runner import RunRequest, run_once, settings_for
from sync.run.settled import code_fingerprint, forget_settled
from tests.conftest import count_rows_checked, record_rows_compared, record_rows_decoded


@pytest.fixture
def history(tmp_path: Path) -> RunHistory:
    return RunHistory(tmp_path / "history.sqlite3")


@pytest.fixture
def one_shot(
    emulator: EmulatorHandle, loaded: str, history: RunHistory, clock: Callable[[], datetime]
) -> Callable[..., Any]:
    """`sheetsync run` in a new process: nothing in memory, only the run history."""
    config = Config(service=ServiceConfig(endpoint=emulator.base_url, history=history.path))

    def run(*, dry_run: bool = False) -> Any:
        forget_row_caches()
        forget_settled()
        forget_title_hints()
        return run_once(
            config, RunRequest(spreadsheet_id=loaded, dry_run=dry_run), history=history, clock=clock
        )

    return run


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"rows": 0}
    count_rows_checked(monkeypatch, counts)
    return counts


def _key(emulator: EmulatorHandle, loaded: str, history: RunHistory) -> str:
    config = Config(service=ServiceConfig(endpoint=emulator.base_url, history=history.path))
    return hint_key_text(settings_for(config, RunRequest(spreadsheet_id=loaded)))


def _edit_a_name(emulator: EmulatorHandle, loaded: str) -> None:
    header = emulator.store.get_values(loaded, "ศก.3", "3:3")[0]
    name = column_letter(header.index(h.FULL_NAME))
    people.type_value(emulator.store, loaded, "ศก.3", f"{name}5", "สมหญิง แก้ชื่อใหม่")


def test_a_new_process_checks_and_compares_only_the_row_edited_since_the_last(
    emulator: EmulatorHandle,
    loaded: str,
    history: RunHistory,
    one_shot: Callable[..., Any],
    checked: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = one_shot()
    assert "ok" == first.outcome and checked["rows"] == 140
    assert history.kept_rows(_key(emulator, loaded, history), code_fingerprint())
    _edit_a_name(emulator, loaded)
    checked["rows"] = 0
    compared: list[tuple[str, int]] = []
    record_rows_compared(monkeypatch, compared)

    edited = one_shot()

    assert "ok" == edited.outcome and edited.cells_written > 0
    assert 1 == checked["rows"]  # of 140: the others came from the history
    assert [("ศก.3", 5)] == compared  # the rows found right before are known from it too
    history.forget(loaded)  # and a run from nothing finds the sheet right
    checked["rows"] = 0
    assert 0 == one_shot().cells_written
    assert checked["rows"] == 140


def test_a_new_process_decodes_only_the_rows_edited_since_the_last(
    emulator: EmulatorHandle,
    loaded: str,
    one_shot: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The digests of the rows as the last process read them are kept with them: a new one
    decodes of its first read only the rows whose bytes changed (and the header rows)."""
    one_shot()
    header = emulator.store.get_values(loaded, "ศก.3", "3:3")[0]
    sales = column_letter(header.index(h.SALES_AFTER))
    people.type_value(emulator.store, loaded, "ศก.3", f"{sales}5", 987_654)  # listed nowhere
    decoded: list[int] = []
    record_rows_decoded(monkeypatch, decoded)

    edited = one_shot()

    assert "ok" == edited.outcome and edited.cells_written > 0
    rows = emulator.store.get_values(loaded, "ศก.3", "4:1000")
    blank = [n for n, row in enumerate(rows, 4) if not any(v not in ("", None) for v in row)]
    data = sorted(row for row in decoded if row >= 4)
    # Of 147 data rows: the edited row in the first read (the verify read has it with the
    # bytes told for it once written), and the blank row of its tab (its tab is walked
    # again); besides, each tab's header rows.
    assert sorted([5, *blank]) == data and 1 == len(blank)
    assert len(decoded) <= len(data) + 2 * 7 * 3


def test_a_new_process_compares_the_compiled_list_decoding_only_the_line_edited(
    emulator: EmulatorHandle,
    loaded: str,
    history: RunHistory,
    one_shot: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What rows of the compiled list were found to show is kept with the rows: a new process
    whose edit changes a listed name compares the list decoding only the line that shows it
    (and the list's header), in both reads, and the list ends as a run from nothing has it."""
    one_shot()
    _edit_a_name(emulator, loaded)
    compiled: list[tuple[int, int]] = []
    plan_round = round_mod.plan_round

    def planned(settings: Any, snapshot: Any, *args: Any, **kwargs: Any) -> Any:
        plan = plan_round(settings, snapshot, *args, **kwargs)
        grid = snapshot.grids[snapshot.compiled_title]
        compiled.append((grid.decoded, len(grid)))
        return plan

    monkeypatch.setattr(round_mod, "plan_round", planned)
    edited = one_shot()

    assert "ok" == edited.outcome and edited.cells_written > 0
    listed = compiled[0][1]
    # (the verify round keeps the header only: the row written is decoded for its key)
    assert listed > 100 and [(2, listed), (1, listed)] == compiled
    listed_now = emulator.store.get_values(loaded, h.COMPILED_TAB, "A1:J1000")
    assert any("สมหญิง แก้ชื่อใหม่" in row for row in listed_now)
    history.forget(loaded)  # and a run from nothing finds the sheet right
    assert 0 == one_shot().cells_written


def test_an_unchanged_sheet_neither_loads_nor_rewrites_the_kept_rows(
    history: RunHistory,
    one_shot: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_shot()
    one_shot()  # settles: the next unchanged run stops after its read
    calls: list[str] = []
    for name in ("kept_rows", "remember_kept_rows"):
        method = getattr(history, name)
        monkeypatch.setattr(
            history, name, lambda *a, _m=method, _n=name: calls.append(_n) or _m(*a)
        )

    again = one_shot()

    assert ("ok", 1, 0) == (again.outcome, again.reads, again.writes)
    assert [] == calls


def test_rows_kept_by_other_code_or_libraries_are_not_used(
    emulator: EmulatorHandle,
    loaded: str,
    history: RunHistory,
    one_shot: Callable[..., Any],
    checked: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_shot()
    _edit_a_name(emulator, loaded)
    monkeypatch.setattr(runner, "code_fingerprint", lambda: "an upgraded geothai")
    checked["rows"] = 0

    assert "ok" == one_shot().outcome
    assert 140 == checked["rows"]


def _not_a_pickle(history: RunHistory, key: str, sid: str) -> None:
    history.remember_kept_rows(key, sid, code_fingerprint(), b"\x80\x05not a pickle")


def _rows_damaged_inside(history: RunHistory, key: str, sid: str) -> None:
    kept = load_kept(history.kept_rows(key, code_fingerprint()) or b"")
    damaged = dump_kept(replace(kept, packed=PackedRows(b"\x80\x05damaged rows", 140)))
    history.remember_kept_rows(key, sid, code_fingerprint(), damaged)


def _mappings_damaged_inside(history: RunHistory, key: str, sid: str) -> None:
    """One row's parsed values, KPI cells and figures (pickled apart in its record) damaged."""
    kept = load_kept(history.kept_rows(key, code_fingerprint()) or b"")
    *head, chunks, rows, tabs, base = pickle.loads(kept.packed.data)
    records = pickle.loads(chunks[0])
    records[0] = (*records[0][:-1], b"\x80\x05damaged mappings")
    chunks[0] = pickle.dumps(records)
    data = pickle.dumps((*head, chunks, rows, tabs, base))
    damaged = dump_kept(replace(kept, packed=PackedRows(data, kept.packed.rows)))
    history.remember_kept_rows(key, sid, code_fingerprint(), damaged)


def _lines_damaged_inside(history: RunHistory, key: str, sid: str) -> None:
    kept = load_kept(history.kept_rows(key, code_fingerprint()) or b"")
    assert kept.lines is not None  # the list's rows known to show their lines
    damaged = dump_kept(replace(kept, lines=(kept.lines[0], kept.lines[1][:-1], "keys")))
    history.remember_kept_rows(key, sid, code_fingerprint(), damaged)


@pytest.mark.parametrize(
    "damage",
    [_not_a_pickle, _rows_damaged_inside, _mappings_damaged_inside, _lines_damaged_inside],
    ids=["not a pickle", "damaged inside", "a row's mappings damaged", "list lines damaged"],
)
def test_a_damaged_entry_is_logged_and_every_row_is_checked(
    emulator: EmulatorHandle,
    loaded: str,
    history: RunHistory,
    one_shot: Callable[..., Any],
    checked: dict[str, int],
    damage: Callable[[RunHistory, str, str], None],
) -> None:
    """
    Unreadable, or sound on the outside and unreadable inside: found when loaded, not mid-run;
    the run checks every row and keeps a usable entry in its place.
    """
    one_shot()
    key = _key(emulator, loaded, history)
    damage(history, key, loaded)
    _edit_a_name(emulator, loaded)
    checked["rows"] = 0

    with structlog.testing.capture_logs() as logs:
        report = one_shot()

    assert "ok" == report.outcome and report.cells_written > 0
    assert 140 == checked["rows"]
    assert ["kept_rows_unusable"] == [e["event"] for e in logs if e["log_level"] == "warning"]
    assert load_kept(history.kept_rows(key, code_fingerprint()) or b"")  # replaced, usable


class _Planted:
    """What a hostile entry would hold: a call made while it is unpickled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.path),))


def test_an_entry_naming_any_other_class_or_function_is_refused_not_run(
    tmp_path: Path,
) -> None:
    planted = tmp_path / "planted"
    data = pickle.dumps((3, _Planted(planted), {}, {}, {}, 0, b""))
    with pytest.raises(ValueError, match="may not name"):
        load_kept(data)
    assert not planted.exists()


def test_a_dry_run_keeps_nothing_and_pruning_forgets_the_rows(
    emulator: EmulatorHandle,
    loaded: str,
    history: RunHistory,
    one_shot: Callable[..., Any],
) -> None:
    key = _key(emulator, loaded, history)
    one_shot(dry_run=True)
    assert history.kept_rows(key, code_fingerprint()) is None
    one_shot()
    assert history.kept_rows(key, code_fingerprint()) is not None
    history.forget(loaded)  # `status --prune`
    assert history.kept_rows(key, code_fingerprint()) is None


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_kept_rows_sit_apart_from_the_runs_readable_by_their_owner_only(
    history: RunHistory, one_shot: Callable[..., Any]
) -> None:
    """They hold every participant's national ID; the runs (for `status`) do not."""
    history.rows_path.touch(mode=0o644)
    history.rows_path.chmod(0o644)  # as a careless copy would leave it

    one_shot()

    assert 0o600 == stat.S_IMODE(history.rows_path.stat().st_mode)
    with closing(sqlite3.connect(history.path)) as db:  # (a connection's `with` only commits)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "kept_rows" not in tables


def test_rows_that_cannot_be_kept_only_cost_the_next_process_time(
    loaded: str, history: RunHistory, one_shot: Callable[..., Any]
) -> None:
    history.rows_path.mkdir()  # in the way: no database can be opened there

    with structlog.testing.capture_logs() as logs:
        report = one_shot()

    assert "ok" == report.outcome and report.cells_written > 0
    warned = [e["event"] for e in logs if e["log_level"] == "warning"]
    assert ["kept_rows_unusable", "kept_rows_not_saved"] == warned  # read, then written
    assert [report.run_id] == [run.run_id for run in history.runs(spreadsheet_id=loaded)]
