"""
People insert, delete, sort, move and type while a run is between its requests.

200 seeded trials in-process (the emulator's API object, no socket) and 25 over real HTTP
through gspread: after each, no value is misplaced (a run right after has nothing to write)
and no person's edit is lost (people's cells equal the edits replayed without the worker).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec
import pytest

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import Store
from sync.backends.base import CallLog
from sync.backends.gspread_backend import GspreadBackend
from sync.backends.memory import MemoryBackend
from sync.core.cells import column_letter
from sync.core.errors import WriteOutcomeUnknown
from sync.core.settings import SyncSettings
from sync.core.setup import anchor_base, anchor_name
from sync.demo.data import generate_spreadsheet
from sync.demo.rehearsal import Trial, plan_trial
from sync.demo.seed import load_demo, people_view, snapshot
from sync.run.loop import run_sync
from tests.sync.conftest import FAST_RETRY, FIXED_NOW

REGIONS = ("ศก.1", "ศก.2", "ศก.3")
SPREADSHEET = "1rehearsalSpreadsheet0000000000000000000000"


@pytest.fixture(scope="module")
def synced_base() -> dict[str, object]:
    """A small spreadsheet after its first run (block, rules and summary in place)."""
    store = Store()
    load_demo(store, generate_spreadsheet(rows_per_region=10, seed=11), spreadsheet_id=SPREADSHEET)
    run_sync(MemoryBackend(store), _settings(), clock=lambda: FIXED_NOW)
    return store.to_json()


def _settings(**kw: Any) -> SyncSettings:
    return SyncSettings(spreadsheet_id=SPREADSHEET, regions=REGIONS, **kw)


def _prepare(base: dict[str, object], seed: int) -> tuple[Store, Store, Trial]:
    store = Store.from_json(base)
    # Give the run something to write: change one figure in one row.
    people.type_value(store, SPREADSHEET, REGIONS[seed % 3], f"A{4 + seed % 8}", f"ศก.{seed % 7}")
    replay = Store.from_json(store.to_json())
    trial = plan_trial(seed, store, SPREADSHEET, list(REGIONS))
    return store, replay, trial


def _check(store: Store, replay: Store, trial: Trial, fired: int) -> None:
    for edit in trial.edits[:fired]:
        edit.apply(replay)
    after = run_sync(MemoryBackend(store), _settings(), clock=lambda: FIXED_NOW)
    story = "; ".join(e.description for e in trial.edits[:fired])
    assert 0 == after.writes, f"seed {trial.seed}: misplaced values after [{story}]"
    assert people_view(snapshot(replay, SPREADSHEET)) == people_view(
        snapshot(store, SPREADSHEET)
    ), f"seed {trial.seed}: a person's edit was lost after [{story}]"


@pytest.mark.parametrize("seed", range(200))
def test_in_process_trial(synced_base: dict[str, object], seed: int) -> None:
    """Edits before random requests of a run leave no misplaced value and lose no edit."""
    store, replay, trial = _prepare(synced_base, seed)
    pending = list(trial.edits)
    fired = 0

    def before(number: int, s: Store) -> None:
        nonlocal fired
        while pending and pending[0].before_request == number:
            pending.pop(0).apply(s)
            fired += 1

    report = run_sync(
        MemoryBackend(store, before_request=before),
        _settings(),
        clock=lambda: FIXED_NOW,
        pause=lambda attempt: None,
    )
    assert "ok" == report.outcome and 0 == report.unconverged_cells
    _check(store, replay, trial, fired)


@pytest.mark.parametrize("seed", range(1000, 1025))
def test_over_http_trial(synced_base: dict[str, object], seed: int) -> None:
    """The same through gspread and a real socket, edits fired by the emulator's hook."""
    store, replay, trial = _prepare(synced_base, seed)
    with run_emulator(store) as emulator:
        for edit in trial.edits:
            emulator.faults.before_request(edit.before_request, edit.apply)
        client = make_gspread_client(emulator.base_url)
        try:
            report = run_sync(
                GspreadBackend(client, retry=FAST_RETRY),
                _settings(),
                clock=lambda: FIXED_NOW,
                pause=lambda attempt: None,
            )
        finally:
            client.http_client.session.close()
        fired = len(trial.edits) - emulator.faults.pending_edits
        assert not emulator.faults.edit_errors
    assert "ok" == report.outcome and 0 == report.unconverged_cells
    _check(store, replay, trial, fired)


def test_trials_really_move_rows(synced_base: dict[str, object]) -> None:
    """The trials exercise every kind of edit (so a pass means something)."""
    kinds: set[str] = set()
    for seed in range(200):
        _, _, trial = _prepare(synced_base, seed)
        kinds |= {e.description.split()[0] for e in trial.edits}
    assert {"insert", "delete", "sort", "move", "type"} <= kinds
    assert any(
        "a column" in e.description
        for seed in range(200)
        for e in _prepare(synced_base, seed)[2].edits
    )


def _type_into(store: Store, tab: str, header: str, row: int, value: object) -> list[object]:
    """A person types into the column under `header`; returns the tab's header row."""
    headers: list[object] = store.get_values(SPREADSHEET, tab, render="FORMULA")[2]
    a1 = f"{column_letter(headers.index(header))}{row}"
    people.type_value(store, SPREADSHEET, tab, a1, value)
    return headers


Clock = Callable[[], datetime]


def test_column_inserted_between_read_and_write_leaves_people_cells_alone(
    synced_base: dict[str, object],
) -> None:
    """A person inserts a column while the run is about to write: nobody's cell changes."""
    store = Store.from_json(synced_base)
    _type_into(store, REGIONS[0], h.NATIONAL_ID, 5, "123")
    seen: list[dict[str, list[list[object]]]] = []

    def before(number: int, s: Store) -> None:
        if number == 2:  # the first write: the run has read and planned
            people.insert_columns(s, SPREADSHEET, REGIONS[0], 2)
            seen.append(people_view(snapshot(s, SPREADSHEET)))

    run_sync(
        MemoryBackend(store, before_request=before),
        _settings(),
        clock=lambda: FIXED_NOW,
        pause=lambda attempt: None,
    )
    assert seen, "the column was never inserted"
    assert seen[0] == people_view(snapshot(store, SPREADSHEET))


def _anchors(store: Store) -> dict[str, dict[str, int]]:
    return {n["name"]: n["range"] for n in store.get(SPREADSHEET).named_ranges}


def _anchor_headers(store: Store) -> dict[str, object]:
    """
    What each worker anchor tops: the header cell of the column it names now, by the anchor
    it stands for (one put back after its namesake was deleted carries a generation tag).
    """
    out = {}
    for name, grid_range in _anchors(store).items():
        sheet = next(
            s for s in store.get(SPREADSHEET).sheets if s.sheet_id == grid_range["sheetId"]
        )
        header = store.get_values(SPREADSHEET, sheet.title, render="FORMULA")[2]
        col = grid_range["startColumnIndex"]
        out[anchor_base(name)] = header[col] if col < len(header) else None
    return out


def test_a_deleted_anchor_is_put_back_and_the_run_still_writes(
    synced_base: dict[str, object],
) -> None:
    """Someone removes the worker's named ranges: the next run restores them and finishes."""
    store = Store.from_json(synced_base)
    wanted = _anchor_headers(store)
    assert len(wanted) == len(REGIONS) * 19
    for name in [n for n in wanted if n.endswith("_check_status") or n.endswith("_details")]:
        people.delete_named_range(store, SPREADSHEET, name)
    _type_into(store, REGIONS[1], h.NATIONAL_ID, 6, "123")
    before = people_view(snapshot(store, SPREADSHEET))

    report = run_sync(
        MemoryBackend(store), _settings(), clock=lambda: FIXED_NOW, pause=lambda attempt: None
    )
    assert "ok" == report.outcome
    assert wanted == _anchor_headers(store)
    assert before == people_view(snapshot(store, SPREADSHEET))
    check = run_sync(MemoryBackend(store), _settings(dry_run=True), clock=lambda: FIXED_NOW)
    assert [] == check.planned  # the row's new status was written


class _LostReply(MemoryBackend):
    """The set-up that adds anchors is applied, but its answer never reaches the worker."""

    lost = False

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]
    ) -> list[Mapping[str, Any]]:
        replies = super().batch_update(spreadsheet_id, requests)
        sent = msgspec.json.decode(msgspec.json.encode(list(requests)))  # (as sent)
        if not self.lost and any("addNamedRange" in r for r in sent):
            self.lost = True
            raise WriteOutcomeUnknown("the answer was lost")
        return replies


@pytest.mark.parametrize("lost_reply", [False, True], ids=["answered", "answer-lost"])
def test_an_anchor_set_while_columns_move_is_never_written_through(
    synced_base: dict[str, object], lost_reply: bool
) -> None:
    """
    Anchors restored by position while a person inserts a column: checked, dropped, redone.

    The restore's set-up is planned from a read; the person's column goes in just before it
    is sent, so the positions are one column off. The worker must notice before writing, and
    remove the wrong anchors even when the set-up's answer (with their ids) was lost.
    """
    store = Store.from_json(synced_base)
    wanted = _anchor_headers(store)
    for name in list(wanted):
        people.delete_named_range(store, SPREADSHEET, name)
    # New waste figures: the first worker column (next to the last person's column) changes.
    for row in range(4, 10):
        _type_into(store, REGIONS[0], h.WASTE_BEFORE, row, 400)
        _type_into(store, REGIONS[0], h.WASTE_AFTER, row, 100)
    log = CallLog()
    seen: list[dict[str, list[list[object]]]] = []

    def before(number: int, s: Store) -> None:
        methods = [c.method for c in log.calls]
        if "spreadsheets.get" in methods and methods[-1] == "values.batchGet" and not seen:
            # Between the read the restoring set-up is planned from and the set-up itself.
            people.insert_columns(s, SPREADSHEET, REGIONS[0], 3)
            seen.append(people_view(snapshot(s, SPREADSHEET)))

    backend_type = _LostReply if lost_reply else MemoryBackend
    report = run_sync(
        backend_type(store, before_request=before, tracer=log),
        _settings(),
        clock=lambda: FIXED_NOW,
        pause=lambda attempt: None,
    )
    assert seen, "the column was never inserted"
    assert "ok" == report.outcome
    assert seen[0] == people_view(snapshot(store, SPREADSHEET))
    assert wanted == _anchor_headers(store)
    methods = [c.method for c in log.calls]
    assert methods.count("spreadsheets.get") >= 2, methods  # looked again after the check
    check = run_sync(MemoryBackend(store), _settings(dry_run=True), clock=lambda: FIXED_NOW)
    assert [] == check.planned


def test_a_first_run_too_big_for_one_call_writes_new_columns_through_anchors() -> None:
    """
    Split calls are not atomic: a new column is then written by name, never by position.

    Between two calls of a split set-up a person inserts a column to the left of the new
    block; their column must come through untouched and every worker cell land right.
    """
    store = Store()
    load_demo(store, generate_spreadsheet(rows_per_region=10, seed=11), spreadsheet_id=SPREADSHEET)
    log = CallLog()
    seen: list[dict[str, list[list[object]]]] = []

    def before(number: int, s: Store) -> None:
        methods = [c.method for c in log.calls]
        if methods.count("spreadsheets.batchUpdate") == 1 and not seen:
            people.insert_columns(s, SPREADSHEET, REGIONS[0], 2)
            people.type_value(s, SPREADSHEET, REGIONS[0], "B6", "หมายเหตุของคน")
            seen.append(people_view(snapshot(s, SPREADSHEET)))

    report = run_sync(
        MemoryBackend(store, before_request=before, tracer=log),
        _settings(max_write_bytes=3_000),
        clock=lambda: FIXED_NOW,
        pause=lambda attempt: None,
    )
    methods = [c.method for c in log.calls]
    assert methods.count("spreadsheets.batchUpdate") > 1, methods  # the set-up was split
    assert "values.batchUpdate" in methods
    assert "ok" == report.outcome
    assert seen and seen[0] == people_view(snapshot(store, SPREADSHEET))
    check = run_sync(MemoryBackend(store), _settings(dry_run=True), clock=lambda: FIXED_NOW)
    assert [] == check.planned


def test_wrong_anchors_never_outlive_a_run_that_ends_on_them(
    synced_base: dict[str, object],
) -> None:
    """
    The check fails on the last round, with the set-up's answer lost: still nothing wrong stays.

    A later run trusts the anchors it finds without reading the layout, so a wrong one that
    survived would send its values into a person's column for good.
    """
    store = Store.from_json(synced_base)
    wanted = _anchor_headers(store)
    for name in list(wanted):
        people.delete_named_range(store, SPREADSHEET, name)
    _type_into(store, REGIONS[0], h.WASTE_BEFORE, 5, 400)
    log = CallLog()
    moved: list[bool] = []

    def before(number: int, s: Store) -> None:
        methods = [c.method for c in log.calls]
        if "spreadsheets.get" in methods and methods[-1] == "values.batchGet" and not moved:
            people.insert_columns(s, SPREADSHEET, REGIONS[0], 3)
            moved.append(True)

    report = run_sync(
        _LostReply(store, before_request=before, tracer=log),
        _settings(max_rounds=2),
        clock=lambda: FIXED_NOW,
        pause=lambda attempt: None,
    )
    assert moved and "ok" == report.outcome and report.unconverged_cells > 0
    left = _anchor_headers(store)
    assert all(wanted[name] == top for name, top in left.items()), "a wrong anchor survived"
    run_sync(MemoryBackend(store), _settings(), clock=lambda: FIXED_NOW)
    assert wanted == _anchor_headers(store)


def test_a_worker_column_deleted_mid_run_comes_back_and_nothing_else_moves(
    synced_base: dict[str, object],
) -> None:
    """Someone deletes `สถานะการตรวจสอบ` just before the write: the run puts the column back."""
    store = Store.from_json(synced_base)
    header = _type_into(store, REGIONS[2], h.NATIONAL_ID, 7, "123")
    status = header.index(h.CHECK_STATUS)
    seen: list[dict[str, list[list[object]]]] = []

    def before(number: int, s: Store) -> None:
        if number == 2:  # the first write: the run has read and planned
            people.delete_columns(s, SPREADSHEET, REGIONS[2], status + 1)
            seen.append(people_view(snapshot(s, SPREADSHEET)))

    report = run_sync(
        MemoryBackend(store, before_request=before),
        _settings(),
        clock=lambda: FIXED_NOW,
        pause=lambda attempt: None,
    )
    assert seen and "ok" == report.outcome
    assert seen[0] == people_view(snapshot(store, SPREADSHEET))
    grid = store.get_values(SPREADSHEET, REGIONS[2], render="FORMULA")
    assert h.CHECK_STATUS in grid[2]
    sheet_ids = [s.sheet_id for s in store.get(SPREADSHEET).sheets if s.title in REGIONS]
    wanted = {anchor_name(i, x): x for i in sheet_ids for x in h.WORKER_HEADERS}
    assert wanted == _anchor_headers(store)  # every anchor tops its own column again
    check = run_sync(MemoryBackend(store), _settings(dry_run=True), clock=lambda: FIXED_NOW)
    assert [] == check.planned


def test_a_rehearsal_copy_from_xlsx_gets_its_anchors_back_on_its_first_write(
    synced_base: dict[str, object],
) -> None:
    """.xlsx keeps no named ranges: the first write fails once, restores them, then writes."""
    from sheets_emulator.files import xlsx

    store = Store()
    data = xlsx.export_bytes(Store.from_json(synced_base), SPREADSHEET)
    sid = xlsx.import_bytes(store, data).spreadsheet_id
    assert [] == store.get(sid).named_ranges
    header = store.get_values(sid, REGIONS[0], render="FORMULA")[2]
    nid = column_letter(header.index(h.NATIONAL_ID))
    people.type_value(store, sid, REGIONS[0], f"{nid}5", "1")
    before = people_view(snapshot(store, sid))
    settings = SyncSettings(spreadsheet_id=sid, regions=REGIONS)
    log = CallLog()
    report = run_sync(
        MemoryBackend(store, tracer=log), settings, clock=lambda: FIXED_NOW, pause=lambda a: None
    )
    assert "ok" == report.outcome and 4 + 5 == len(log.calls), [c.method for c in log.calls]
    assert before == people_view(snapshot(store, sid))
    assert len(REGIONS) * 19 == len(store.get(sid).named_ranges)
    check = run_sync(
        MemoryBackend(store),
        SyncSettings(spreadsheet_id=sid, regions=REGIONS, dry_run=True),
        clock=lambda: FIXED_NOW,
    )
    assert [] == check.planned
