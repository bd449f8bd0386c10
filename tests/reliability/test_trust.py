"""
7. What people can edit is a hint: tab titles and ids, the system record, labels, look-alikes.

People swap, duplicate, rename and delete tabs, type into the record marked ห้ามแก้ไข, tidy the
compiled list and clear the block's label between runs. Each case runs through gspread
against the emulator; afterwards no person's cell changed, every row's worker cells equal a
clean run on a copy holding only the people's cells, each regional tab has one worker
block, and the next run writes nothing.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.api.router import ApiRequest, SheetsApi
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import Store
from sync.backends.memory import MemoryBackend
from sync.core.cells import column_letter
from sync.core.errors import SyncError
from sync.core.layout import match_titles
from sync.core.summary import META_LABEL
from sync.demo.data import DemoSpreadsheet
from sync.demo.seed import WORKER_TABS, load_demo
from sync.run.loop import run_sync
from sync.run.report import RunReport
from tests.reliability._harness import (
    REGIONS,
    SPREADSHEET,
    Snap,
    fixed_clock,
    fresh_store,
    gspread_backend,
    no_pause,
    settings,
    take,
)
from tests.reliability.conftest import Tally, found_and_fixed

pytestmark = pytest.mark.reliability

Edit = Callable[[Store], None]
WorkerCells = dict[str, dict[int, dict[str, Any]]]


# -- what people do (the requests the Sheets UI sends) ---------------------------------------


def _batch(store: Store, requests: list[dict[str, Any]]) -> dict[str, Any]:
    response = SheetsApi(store).handle(
        ApiRequest(
            method="POST",
            raw_path=f"/v4/spreadsheets/{quote(SPREADSHEET, safe='')}:batchUpdate",
            body={"requests": requests},
        )
    )
    assert 200 <= response.status < 300, response.body
    body: dict[str, Any] = response.body
    return body


def _id(store: Store, title: str) -> int:
    with store.lock:
        sheet = store.get(SPREADSHEET).sheet_by_title(title)
        assert sheet is not None, title
        return sheet.sheet_id


def _titles(store: Store) -> list[str]:
    with store.lock:
        return [s.title for s in store.get(SPREADSHEET).sheets]


def rename(store: Store, old: str, new: str) -> None:
    """Double-click a tab and type a new name."""
    _batch(
        store,
        [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": _id(store, old), "title": new},
                    "fields": "title",
                }
            }
        ],
    )


def swap(store: Store, a: str, b: str) -> None:
    """Give two tabs each other's name (through a temporary one, as the UI needs)."""
    rename(store, a, a + " (ชั่วคราว)")
    rename(store, b, a)
    rename(store, a + " (ชั่วคราว)", b)


def duplicate(store: Store, title: str, name: str) -> None:
    """Tab menu → Duplicate, right after the original, named `name`."""
    index = _titles(store).index(title)
    _batch(
        store,
        [
            {
                "duplicateSheet": {
                    "sourceSheetId": _id(store, title),
                    "insertSheetIndex": index + 1,
                    "newSheetName": name,
                }
            }
        ],
    )


def backup(store: Store, title: str) -> None:
    """Keep a copy: duplicate, call the original `… เดิม` and give the copy its name."""
    duplicate(store, title, f"สำเนาของ {title}")
    rename(store, title, f"{title} เดิม")
    rename(store, f"สำเนาของ {title}", title)


def delete_tab(store: Store, title: str) -> None:
    """Tab menu → Delete."""
    _batch(store, [{"deleteSheet": {"sheetId": _id(store, title)}}])


def add_tab(store: Store, title: str, grid: list[list[Any]], index: int | None = None) -> None:
    """A person's own tab, filled in."""
    props: dict[str, Any] = {"title": title}
    if index is not None:
        props["index"] = index
    _batch(store, [{"addSheet": {"properties": props}}])
    store.set_values(SPREADSHEET, title, "A1", grid, user_entered=False)


def edit_record(store: Store, change: Callable[[dict[str, Any]], None]) -> None:
    """Type into the cell marked ห้ามแก้ไข: a plausible record with other ids."""
    grid = store.get_values(SPREADSHEET, h.SUMMARY_TAB, render="FORMULA")
    row = next(r for r, cells in enumerate(grid, start=1) if cells and cells[0] == META_LABEL)
    record = json.loads(grid[row - 1][1])
    change(record)
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    store.set_values(SPREADSHEET, h.SUMMARY_TAB, f"B{row}", [[text]], user_entered=False)


def _header(store: Store, title: str) -> list[Any]:
    return list(store.get_values(SPREADSHEET, title, render="FORMULA")[2])


def _col(store: Store, title: str, header: str) -> int:
    """1-based column of a header in row 3."""
    return _header(store, title).index(header) + 1


# -- the checks -----------------------------------------------------------------------------


def _region_titles(titles: list[str]) -> list[str]:
    """Tabs the worker takes as regions (exact title first, as the run resolves them)."""
    try:
        found = match_titles(REGIONS, titles)
    except ValueError:
        return []
    return [t for t in found.values() if t is not None]


def _worker_cols(grid: list[list[Any]]) -> set[int]:
    header = grid[2] if len(grid) > 2 else []
    return {c for c, v in enumerate(header) if v in h.WORKER_HEADERS}


def peoples_cells(snap: Snap) -> dict[str, dict[tuple[int, int], Any]]:
    """
    Every non-empty cell people own: whole tabs but the worker's and the regional ones, and
    in a regional tab everything but the columns under a worker header (and their label).
    """
    regions = set(_region_titles(list(snap)))
    out: dict[str, dict[tuple[int, int], Any]] = {}
    for title, grid in snap.items():
        if title in WORKER_TABS:
            continue
        skip = _worker_cols(grid) if title in regions else set()
        out[title] = {
            (r, c): v
            for r, row in enumerate(grid, start=1)
            for c, v in enumerate(row)
            if v not in (None, "")
            and c not in skip
            and not (title in regions and r == 2 and v == h.WORKER_SECTION_LABEL)
        }
    return out


def worker_cells(snap: Snap) -> WorkerCells:
    """Each data row's worker cells by header, per regional tab."""
    out: WorkerCells = {}
    for title in _region_titles(list(snap)):
        grid = snap[title]
        header = grid[2] if len(grid) > 2 else []
        cols = {v: c for c, v in enumerate(header) if v in h.WORKER_HEADERS}
        rows: dict[int, dict[str, Any]] = {}
        for r, row in enumerate(grid[3:], start=4):
            cells = {x: row[c] if c < len(row) and row[c] != "" else None for x, c in cols.items()}
            if any(v not in (None, "") for v in cells.values()):
                rows[r] = cells
        out[title] = rows
    return out


def clean_copy(snap: Snap) -> Store:
    """A spreadsheet holding only the people's cells of `snap` (same tabs, same order)."""
    regions = set(_region_titles(list(snap)))
    tabs: dict[str, list[list[Any]]] = {}
    for title, grid in snap.items():
        if title in WORKER_TABS:
            continue
        drop = _worker_cols(grid) if title in regions else set()
        rows = []
        for r, row in enumerate(grid, start=1):
            kept = [v for c, v in enumerate(row) if c not in drop]
            if r == 2 and title in regions:
                kept = [None if v == h.WORKER_SECTION_LABEL else v for v in kept]
            rows.append(kept)
        tabs[title] = rows
    store = Store()
    load_demo(
        store, DemoSpreadsheet(title="สำเนา", tabs=tabs, truth={}), spreadsheet_id=SPREADSHEET
    )
    return store


def verdict(before: Snap, store: Store, report: RunReport, next_writes: int) -> list[str]:
    """What broke a promise after a run of a sheet people had edited into `before`."""
    after = take(store)
    problems = []
    if report.outcome != "ok":
        problems.append(f"run ended {report.outcome}: {report.error}")
    if report.unconverged_cells:
        problems.append(f"run left {report.unconverged_cells} cells unverified (nobody edited)")
    if next_writes:
        problems.append(f"the next run wrote {next_writes} requests")
    owned_before, owned_after = peoples_cells(before), peoples_cells(after)
    if owned_before != owned_after:
        changed = {
            t for t in {*owned_before, *owned_after} if owned_before.get(t) != owned_after.get(t)
        }
        problems.append(f"people's cells changed in {sorted(changed)}")
    clean = clean_copy(before)
    run_sync(MemoryBackend(clean), settings(), clock=fixed_clock)
    want, got = worker_cells(take(clean)), worker_cells(after)
    for title in want:
        wrong = [
            r
            for r in set(want[title]) | set(got.get(title, {}))
            if want[title].get(r) != got.get(title, {}).get(r)
        ]
        if wrong:
            problems.append(
                f"{title}: worker cells of rows {sorted(wrong)[:5]} differ from a clean run"
            )
    for title in _region_titles(list(after)):
        blocks = sum(
            1 for v in (after[title][2] if len(after[title]) > 2 else []) if v == h.CHECK_STATUS
        )
        if blocks != 1:
            problems.append(f"{title} has {blocks} worker blocks")
    return problems


def over_http(store: Store) -> list[str]:
    """Run through gspread against the emulator, run again, and judge."""
    before = take(store)
    with run_emulator(store) as emulator, gspread_backend(emulator.base_url) as backend:
        try:
            report = run_sync(backend, settings(), clock=fixed_clock, pause=no_pause)
            again = run_sync(backend, settings(), clock=fixed_clock)
        except SyncError as exc:
            return [f"run failed: {type(exc).__name__}: {exc}"]
    return verdict(before, store, report, again.writes)


def _case(tally: Tally, edit: Edit, *, synced: bool = True) -> None:
    store = fresh_store(rows=8, seed=5, synced=synced)
    edit(store)
    problems = over_http(store)
    tally.record(not problems, "; ".join(problems))
    tally.assert_clean()


# -- 1. tabs swapped or replaced -----------------------------------------------------------


@found_and_fixed(
    "sync/pipeline.py took title -> id from the system record and wrote through anchors "
    "named after the old ids, so one tab's findings landed in the other; its first write "
    "now starts with a guard per id (refused whole when a tab's id and title disagree) and "
    "the run re-plans from the metadata"
)
def test_region_titles_swapped(tally: Tally) -> None:
    """ศก.1 and ศก.2 swap titles after a sync: each tab gets its own rows' results."""
    _case(tally, lambda store: swap(store, "ศก.1", "ศก.2"))


@found_and_fixed(
    "sync/pipeline.py wrote into a person's backup (the original ศก.1 renamed ศก.1 เดิม) "
    "through the old anchors; the id guard refuses, and the copy now titled ศก.1 is synced"
)
def test_region_tab_replaced_by_a_copy(tally: Tally) -> None:
    """ศก.1 duplicated as a backup, the original renamed `ศก.1 เดิม`: the backup is untouched."""
    _case(tally, lambda store: backup(store, "ศก.1"))


# -- 2. the system record edited -------------------------------------------------------------


def _point(tab: str, at: Callable[[Store], int]) -> Edit:
    def edit(store: Store) -> None:
        target = at(store)
        edit_record(store, lambda record: record["sheet_ids"].__setitem__(tab, target))

    return edit


@found_and_fixed(
    "sync/pipeline.py wrote the summary over a people's tab whose id was typed into the "
    "record; refused by the id guard"
)
def test_record_names_a_peoples_tab_as_summary(tally: Tally) -> None:
    """The record's summary id is typed over with that of `สรุปโครงการ`, a people's tab."""
    _case(tally, _point(h.SUMMARY_TAB, lambda store: _id(store, "สรุปโครงการ")))


@found_and_fixed(
    "sync/pipeline.py resized ศก.3 to the compiled list's width (people's cells destroyed) "
    "when the record named its id; refused by the id guard, and growth without a metadata "
    "read is relative (appendDimension), never a shrink"
)
def test_record_names_a_region_as_compiled_list(tally: Tally) -> None:
    """The record's id of the compiled list is ศก.3's: ศก.3 keeps every cell and its size."""
    _case(tally, _point(h.COMPILED_TAB, lambda store: _id(store, "ศก.3")))


# -- 3. the compiled list tidied -------------------------------------------------------------


def _tidy_compiled(columns: bool) -> Edit:
    def edit(store: Store) -> None:
        grid = store.get_values(SPREADSHEET, h.COMPILED_TAB, render="FORMULA")
        with store.lock:
            sheet = store.get(SPREADSHEET).sheet_by_title(h.COMPILED_TAB)
            assert sheet is not None
            rows = sheet.row_count
        if columns:
            people.delete_columns(store, SPREADSHEET, h.COMPILED_TAB, max(len(r) for r in grid))
        else:
            people.delete_rows(store, SPREADSHEET, h.COMPILED_TAB, len(grid) + 1, rows - len(grid))

    return edit


@found_and_fixed(
    "sync/pipeline.py took the worker tabs' sizes from the record even after a metadata "
    "read, so every later run failed with 'Range exceeds grid limits'; sizes come from the "
    "metadata now"
)
def test_compiled_list_column_deleted(tally: Tally) -> None:
    """A person deletes the compiled list's last column: the run grows it back and finishes."""
    _case(tally, _tidy_compiled(columns=True))


@found_and_fixed(
    "sync/pipeline.py trusted the record's row count of the compiled list: once it grew, "
    "every run failed with 'Range exceeds grid limits'"
)
def test_compiled_list_empty_rows_deleted(tally: Tally) -> None:
    """A person deletes the compiled list's empty rows, then fixes a row: the list grows."""
    store = fresh_store(rows=8, seed=5, synced=True)
    run_sync(MemoryBackend(store), settings(), clock=fixed_clock)
    _tidy_compiled(columns=False)(store)
    # The date fresh_store cleared is typed back: one more row passes and is compiled.
    date = fresh_store(rows=8, seed=5).get_values(SPREADSHEET, "ศก.1", render="FORMULA")[5][2]
    store.set_values(SPREADSHEET, "ศก.1", "C6", [[date]], user_entered=False)
    problems = over_http(store)
    tally.record(not problems, "; ".join(problems))
    tally.assert_clean()


# -- 5. the worker's section label lost ----------------------------------------------------


def _label_col(store: Store, title: str) -> int:
    return _col(store, title, h.WORKER_HEADERS[0])


def _set_label(text: str) -> Edit:
    def edit(store: Store) -> None:
        col = _label_col(store, "ศก.2")
        people.type_value(store, SPREADSHEET, "ศก.2", f"{_letter(col)}2", text)

    return edit


def _letter(col: int) -> str:
    return column_letter(col - 1)


@found_and_fixed(
    "sync/pipeline.py found the worker block only under its section label and added a "
    "second block; it now finds it by its anchors and puts the label back"
)
def test_worker_label_cleared(tally: Tally) -> None:
    """The block's section label is cleared: one block, its label back, results right."""
    _case(tally, _set_label(""))


@found_and_fixed("sync/pipeline.py added a second worker block when the section label was retyped")
def test_worker_label_retyped(tally: Tally) -> None:
    """The label is retyped in other words: still one block."""
    _case(tally, _set_label("ผลตรวจ (ระบบ)"))


@found_and_fixed(
    "sync/pipeline.py added a whole second block when the block's first column (with the "
    "label) was deleted; now only the deleted column comes back"
)
def test_worker_block_first_column_deleted(tally: Tally) -> None:
    """The block's first column is deleted: only that column comes back, in the same block."""
    _case(
        tally,
        lambda store: people.delete_columns(store, SPREADSHEET, "ศก.2", _label_col(store, "ศก.2")),
    )


@found_and_fixed(
    "sync/pipeline.py added a second block and left a dragged worker column stale; it is "
    "found by its anchor, and the record remembers where"
)
def test_worker_column_dragged_among_peoples(tally: Tally) -> None:
    """The status column is dragged to column D: it is kept there and kept up to date."""

    def edit(store: Store) -> None:
        col = _col(store, "ศก.2", h.CHECK_STATUS) - 1
        _batch(
            store,
            [
                {
                    "moveDimension": {
                        "source": {
                            "sheetId": _id(store, "ศก.2"),
                            "dimension": "COLUMNS",
                            "startIndex": col,
                            "endIndex": col + 1,
                        },
                        "destinationIndex": 3,
                    }
                }
            ],
        )

    _case(tally, edit)


# -- 6. look-alike tabs, and titles typed differently -----------------------------------------


@found_and_fixed(
    "sync/layout.py matched the first whitespace-insensitive title, so a person's `ศก. 1` "
    "before `ศก.1` got the worker's block; an exact title wins now"
)
def test_look_alike_tab_before_the_region(tally: Tally) -> None:
    """A person's own `ศก. 1` in front of `ศก.1`: the worker never touches it."""

    def edit(store: Store) -> None:
        grid = store.get_values(SPREADSHEET, "ศก.1", render="FORMULA")
        add_tab(store, "ศก. 1", [row[:6] for row in grid], index=0)

    _case(tally, edit, synced=False)


@pytest.mark.parametrize(
    ("old", "new"),
    [("ศก.2", "ศก.\u200b2"), ("ศก.1", "ศก.๑")],
    ids=["zero-width-space", "thai-digit"],
)
@found_and_fixed(
    "sync/layout.py kept zero-width characters and Thai digits in titles, so such a tab "
    "matched no region and stopped the whole spreadsheet"
)
def test_title_typed_differently(old: str, new: str, tally: Tally) -> None:
    """A region tab's title carries a zero-width space or a Thai digit: it is still found."""
    _case(tally, lambda store: rename(store, old, new))


@found_and_fixed(
    "sync/pipeline.py asked for the configured title first on every run, so a tab typed "
    "with a no-break space cost a failed read and a metadata read each time; the titles a "
    "run resolved are now the next run's first guess in the same process"
)
def test_no_break_space_title_costs_one_read_when_unchanged(tally: Tally) -> None:
    """`ศก.2` typed with a no-break space: after the first run, unchanged runs cost one read."""
    store = fresh_store(rows=8, seed=5, synced=True)
    rename(store, "ศก.2", "ศก.2\u00a0")
    before = take(store)
    with run_emulator(store) as emulator, gspread_backend(emulator.base_url) as backend:
        report = run_sync(backend, settings(), clock=fixed_clock, pause=no_pause)
        costs = [
            (again.reads, again.writes)
            for again in (run_sync(backend, settings(), clock=fixed_clock) for _ in range(2))
        ]
    problems = verdict(before, store, report, sum(w for _, w in costs))
    if costs != [(1, 0), (1, 0)]:
        problems.append(f"unchanged runs cost {costs} (reads, writes)")
    tally.record(not problems, "; ".join(problems))
    tally.assert_clean()


def test_two_look_alikes_refused_in_one_line(tally: Tally) -> None:
    """Two tabs both like `ศก.1` and neither exact: one line naming both, nothing written."""
    store = fresh_store(rows=8, seed=5, synced=True)
    rename(store, "ศก.1", "ศก. 1")
    duplicate(store, "ศก. 1", "ศก.1 ")
    before = take(store)
    with pytest.raises(SyncError) as caught:
        run_sync(MemoryBackend(store), settings(), clock=fixed_clock, pause=no_pause)
    message = str(caught.value)
    ok = "'ศก. 1'" in message and "'ศก.1 '" in message and "\n" not in message
    ok = ok and take(store) == before
    tally.record(ok, message)
    assert ok, message


# -- between runs, at random ---------------------------------------------------------------


def _random_edit(rng: random.Random, store: Store) -> str:
    """One of: rename, swap, back up, delete a tab, edit the record. Returns what it did."""
    titles = _titles(store)
    regions = _region_titles(titles)
    kind = rng.choice(["swap", "backup", "delete", "record", "rename", "record-garble"])
    if kind == "swap":
        a, b = rng.sample(regions, 2)
        swap(store, a, b)
        return f"swap {a} {b}"
    if kind == "backup":
        tab = rng.choice(regions)
        if f"{tab} เดิม" in titles:
            return "nothing"
        backup(store, tab)
        return f"backup {tab}"
    if kind == "delete":
        extra = [t for t in titles if t not in regions and t != h.OPTIONS_TAB]
        if not extra:
            return "nothing"
        tab = rng.choice(extra)
        delete_tab(store, tab)
        return f"delete {tab}"
    if kind == "rename":
        tab = rng.choice(regions)
        new = rng.choice([tab.replace(".", ". "), tab.replace(".", ".\u200b"), tab + "\u00a0"])
        clash = match_titles([tab], [t for t in titles if t != tab])[tab]
        if clash is not None:
            return "nothing"
        rename(store, tab, new)
        return f"rename {tab} -> {new!r}"
    if h.SUMMARY_TAB not in titles:
        return "nothing"
    ids = [_id(store, t) for t in titles]
    if kind == "record":
        which = rng.choice([*REGIONS, h.SUMMARY_TAB, h.COMPILED_TAB])
        target = rng.choice(ids)
        edit_record(store, lambda r: r["sheet_ids"].__setitem__(which, target))
        return f"record {which} -> {target}"
    size = [rng.randint(1, 5), rng.randint(1, 3)]
    edit_record(store, lambda r: r["grid"].__setitem__(h.COMPILED_TAB, size))
    return f"record grid -> {size}"


def test_random_tab_and_record_edits_between_runs(tally: Tally) -> None:
    """Seeded sequences of renames, swaps, backups, deletions and record edits, three runs each."""
    for seed in range(14000, 14020):
        rng = random.Random(seed)
        store = fresh_store(rows=6, seed=7, synced=True)
        story: list[str] = []
        for run in range(3):
            story += [_random_edit(rng, store) for _ in range(rng.randint(1, 2))]
            before = take(store)
            try:
                report = run_sync(
                    MemoryBackend(store), settings(), clock=fixed_clock, pause=no_pause
                )
                again = run_sync(MemoryBackend(store), settings(), clock=fixed_clock)
            except SyncError as exc:
                problems = [f"run failed: {exc}"]
            else:
                problems = verdict(before, store, report, again.writes)
            tally.record(not problems, f"seed {seed} run {run + 1} after {story}: {problems}")
    tally.assert_clean()
