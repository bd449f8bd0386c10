"""
The row-by-row and first-run shortcuts of planning and writing give exactly what the general,
cell-by-cell way gives (kept here as the reference).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import headers as h
from sheets_emulator.model.store import Store
from sync.backends.memory import MemoryBackend
from sync.core import round as round_mod
from sync.core.cells import (
    CellValue,
    Formula,
    as_read,
    cells_as_read,
    same_value,
    shows,
    to_extended,
    to_raw,
)
from sync.core.diff import (
    Block,
    CellChange,
    _json_size,
    diff_grid,
    diff_tab,
    padding_for,
    update_requests,
    value_writes,
)
from sync.core.evaluate import (
    Evaluation,
    RowCache,
    RowCells,
    evaluate,
    options_from_grid,
    worker_values,
)
from sync.core.round import RowPadding, _BlockRows, _Marks, _row_changes
from sync.core.settings import BANGKOK, SyncSettings
from sync.core.sheet import ReadRows
from sync.core.tabs import RegionTab, map_tabs
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run.counter import Counter
from sync.run.read import read_snapshot
from tests.conftest import record_rows_compared

WANTED_VALUES: list[CellValue] = [
    None,
    "",
    "ผ่าน",
    "0",
    "1",
    Decimal("120840"),
    Decimal("120840.00"),
    Decimal("9.71"),
    Decimal("1E+400"),
    7,
    0,
    True,
    False,
    Formula('=HYPERLINK("#gid=1&range=A2","x")', "x"),
]
READ_VALUES: list[object] = [None, "", "ผ่าน", "0", "1", 120840, 120840.0, 9.71, 7, 0, True, "x"]


def grid_cells(grid: list[list[CellValue]]) -> dict[tuple[int, int], CellValue]:
    """A grid as (1-based row, 0-based column) -> value, blanks left out."""
    return {
        (r, c): value
        for r, row in enumerate(grid, start=1)
        for c, value in enumerate(row)
        if value is not None and value != ""
    }


def reference_grid_changes(
    title: str,
    current: list[list[object]],
    wanted: Mapping[tuple[int, int], CellValue],
    skip: set[tuple[int, int]],
) -> tuple[list[CellChange], list[CellChange]]:
    """The general way: every wanted and every read cell in (row, column) maps, then diffed."""
    by_row: dict[int, dict[int, CellValue]] = {}
    for (r, c), value in wanted.items():
        if (r, c) not in skip:
            by_row.setdefault(r, {})[c] = value
    skip_rows = {r for r, _ in skip}
    desired: dict[tuple[int, int], CellValue] = {}
    for r in sorted(set(by_row) | set(range(1, len(current) + 1))):
        want = by_row.get(r, {})
        line = current[r - 1] if r <= len(current) else []
        if r not in skip_rows:
            size = max(len(line), 1 + max(want, default=-1))
            if shows(
                cells_as_read(line, range(size)), tuple(as_read(want.get(c)) for c in range(size))
            ):
                continue
        desired.update(((r, c), value) for c, value in want.items())
        for c, value in enumerate(line):
            if c not in want and (r, c) not in skip and value not in (None, ""):
                desired[(r, c)] = None
    changes = diff_tab(title, current, desired)
    columns = [c for r, c in wanted if (r, c) not in skip] + [c for _, c in desired]
    width = 1 + max(columns, default=0)
    rows = {change.row for change in changes}
    fillable = {
        (r, c): wanted.get((r, c)) for r in rows for c in range(width) if (r, c) not in skip
    }
    return changes, padding_for(changes, fillable, title)


def grids(values: list[object]) -> st.SearchStrategy[list[list[object]]]:
    return st.lists(st.lists(st.sampled_from(values), max_size=6), max_size=7)


@settings(max_examples=400, deadline=None)
@given(
    current=grids(READ_VALUES),
    wanted=grids(WANTED_VALUES),
    skip=st.sets(st.tuples(st.integers(1, 8), st.integers(0, 6)), max_size=3),
)
def test_diff_grid_equals_the_cell_by_cell_diff(
    current: list[list[object]], wanted: list[list[CellValue]], skip: set[tuple[int, int]]
) -> None:
    """Same changes in the same order; the same padding cells (the write sorts them)."""
    changes, padding = diff_grid("t", current, wanted, skip)
    expected_changes, expected_padding = reference_grid_changes(
        "t", current, grid_cells(wanted), skip
    )
    assert expected_changes == changes
    assert sorted(expected_padding) == sorted(padding)


def read_back_of(value: CellValue) -> object:
    """What a read returns for a cell holding `value`."""
    if isinstance(value, Formula):
        return value.shown
    shown = as_read(value)
    if shown is UNSURE:
        return value if isinstance(value, bool) else str(value)
    return "" if shown is None else shown


@settings(max_examples=300, deadline=None)
@given(
    wanted=grids(WANTED_VALUES),
    kept=st.lists(st.sampled_from(["as wanted", "cut short", "longer", "other"]), max_size=9),
    other=grids(READ_VALUES),
)
def test_diff_grid_equals_the_cell_by_cell_diff_on_a_written_tab(
    wanted: list[list[CellValue]], kept: list[str], other: list[list[object]]
) -> None:
    """Most rows already as wanted (a verify round), some not: the same as the general way."""
    current: list[list[object]] = []
    for number, how in enumerate(kept):
        row = [read_back_of(v) for v in wanted[number]] if number < len(wanted) else []
        if how == "cut short":
            row = row[: len(row) // 2]
        elif how == "longer":
            row = [*row, "x"]
        elif how == "other":
            row = other[number] if number < len(other) else []
        current.append(row)
    changes, padding = diff_grid("t", current, wanted)
    expected_changes, expected_padding = reference_grid_changes(
        "t", current, grid_cells(wanted), set()
    )
    assert expected_changes == changes
    assert sorted(expected_padding) == sorted(padding)


def test_a_first_run_writes_every_non_blank_cell_and_pads_the_blank_ones() -> None:
    """Nothing read yet: each non-blank cell is a change, each blank one in its row padding."""
    wanted: list[list[CellValue]] = [["h1", "h2", "h3"], ["a", None, Decimal("2")], [], ["", "b"]]
    changes, padding = diff_grid("t", [], wanted)
    expected = [(1, 0, "h1"), (1, 1, "h2"), (1, 2, "h3"), (2, 0, "a"), (2, 2, Decimal("2"))]
    expected.append((4, 1, "b"))
    assert expected == [(c.row, c.col, c.value) for c in changes]
    assert [(2, 1, None), (4, 0, None), (4, 2, None)] == [(c.row, c.col, c.value) for c in padding]


def test_shared_cell_data_sends_the_same_bodies() -> None:
    """Equal values of different types (1, True, 1.0 as Decimal) each keep their own CellData."""
    values: list[CellValue] = [1, True, Decimal("1"), Decimal("1.0"), "1", None, 1, True, "1"]
    values += [Decimal("1E+400"), Decimal("10E+399"), False, 0, "", Formula("=A1", "x"), "1"]
    rows = (tuple(values), tuple(reversed(values)))
    requests = update_requests([Block("t", 2, 0, rows)], {"t": 9})
    expected = [[to_extended(v) for v in row] for row in rows]
    (request,) = requests  # (JSON already: what is sent)
    rows = [{"values": row} for row in expected]
    assert msgspec.json.encode(rows) in bytes(request)
    sent = [row["values"] for row in msgspec.json.decode(request)["updateCells"]["rows"]]
    assert expected == sent
    assert {"userEnteredValue": {"stringValue": "1E+400"}} == sent[0][9]
    assert {"userEnteredValue": {"stringValue": "1.0E+400"}} == sent[0][10]  # equal, not shared


def reference_row_changes(
    tab: RegionTab, evaluation: Evaluation, stamp: str
) -> tuple[list[CellChange], list[CellChange]]:
    """The general way for rows with results: every worker cell compared on its own."""
    changes: list[CellChange] = []
    padding: list[CellChange] = []
    for row in evaluation.rows:
        if row.region != tab.region:
            continue
        line = tab.grid[row.row - 1] if row.row <= len(tab.grid) else []
        row_changes: list[CellChange] = []
        row_padding: list[CellChange] = []
        for header, value in worker_values(row, tab.worker_columns).items():
            col = tab.worker_columns[header]
            got = line[col] if col < len(line) else None
            got = None if got == "" else got
            unchanged = as_read(value) is None if got is None else same_value(got, value)
            cell = CellChange(tab.title, row.row, col, value)
            (row_padding if unchanged else row_changes).append(cell)
        if row_changes:
            changes.extend(sorted(row_changes, key=lambda c: c.col))
            checked = tab.worker_columns[h.CHECKED_AT]
            changes.append(CellChange(tab.title, row.row, checked, stamp))
            padding.extend(row_padding)
    return changes, padding


@pytest.fixture(scope="module")
def first_read() -> tuple[list[RegionTab], Evaluation]:
    """Two regional tabs of demo data as a first run reads them, and their evaluation."""
    store = Store()
    regions = ("ศก.1", "ศก.2")
    sid = load_demo(store, generate_spreadsheet(rows_per_region=40, seed=11, regions=regions))
    config = SyncSettings(spreadsheet_id=sid, regions=regions)
    snapshot = read_snapshot(Counter(MemoryBackend(store)), config)
    tabs = map_tabs(config, snapshot).tabs
    today = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK).date()
    options = options_from_grid(snapshot.grids.get(snapshot.options_title, []))
    return tabs, evaluate(tabs, options=options, fiscal_year=2567, as_of=today)


@pytest.mark.parametrize("seed", range(12))
def test_row_changes_equal_the_cell_by_cell_comparison(
    first_read: tuple[list[RegionTab], Evaluation], seed: int
) -> None:
    """
    Worker blocks empty (a first run), as wanted, or holding anything a read returns: the
    same changes in the same order, and the same padding cells.
    """
    tabs, evaluation = first_read
    pick = random.Random(seed)
    tab = tabs[0]
    if seed % 2:  # people moved the worker columns about among themselves
        headers, places = list(tab.worker_columns), list(tab.worker_columns.values())
        pick.shuffle(places)
        tab = replace(tab, worker_columns=dict(zip(headers, places, strict=True)))
    grid = [list(line) for line in tab.grid]
    for row in evaluation.rows if seed else ():  # seed 0: the tab as a first run reads it
        if row.region != tab.region:
            continue
        line = grid[row.row - 1]
        line.extend([""] * (1 + max(tab.worker_columns.values()) - len(line)))
        style = pick.choice(("blank", "wanted", "look-alike", "random", "one off"))
        for header, value in worker_values(row, tab.worker_columns).items():
            col = tab.worker_columns[header]
            shown = value.shown if isinstance(value, Formula) else as_read(value)
            if style == "blank":
                line[col] = pick.choice(("", None))
            elif style == "random" or (style == "one off" and pick.random() < 0.2):
                line[col] = pick.choice(READ_VALUES)
            elif style == "look-alike" and type(shown) in (int, float):
                # Equal in Python, not in a sheet: 1 and True, 0 and False; 2 and 2.0 are alike.
                line[col] = shown == 1 if shown in (0, 1) else float(shown)
            else:
                line[col] = shown
    varied = replace(tab, grid=grid)
    expected_changes, expected_padding = reference_row_changes(varied, evaluation, "now")
    changes, blank_padding = _row_changes(varied, replace(evaluation, blank_rows={}), "now")
    padding = RowPadding.of((varied,), evaluation).cells(changes)  # built only when a write asks
    assert expected_changes == changes
    assert [] == blank_padding
    assert sorted(expected_padding) == sorted(padding)
    if seed == 0:  # a first run writes every row with results
        rows = {row.row for row in evaluation.rows if row.region == tab.region}
        assert rows == {change.row for change in changes}


def reference_value_writes(
    changes: list[CellChange], anchors: Mapping[tuple[str, int], str], chunk_bytes: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The general way: each column's cells split into both sides one by one through to_raw."""
    skip = object()
    by_anchor: dict[str, dict[int, CellValue]] = {}
    for change in changes:
        by_anchor.setdefault(anchors[(change.tab, change.col)], {})[change.row] = change.value
    raw: list[dict[str, Any]] = []
    formulas: list[dict[str, Any]] = []

    def emit(name: str, column: list[object]) -> None:
        sides = (
            [None if v is skip or isinstance(v, Formula) else to_raw(v) for v in column],
            [v.text if isinstance(v, Formula) else None for v in column],
        )
        for values, out in zip(sides, (raw, formulas), strict=True):
            while values and values[-1] is None:
                values.pop()
            if values:
                out.append({"range": name, "majorDimension": "COLUMNS", "values": [values]})

    for name, cells in by_anchor.items():
        size = 0
        column: list[object] = []
        for row in sorted(cells):
            if size > chunk_bytes:
                emit(name, column)
                column = [skip] * len(column)
                size = 0
            column.extend([skip] * (row - 1 - len(column)))
            column.append(cells[row])
            size += _json_size(cells[row]) + 1
        emit(name, column)
    return raw, formulas


@settings(max_examples=300, deadline=None)
@given(
    cells=st.dictionaries(
        st.tuples(st.sampled_from(["ศก.1", "ศก.2"]), st.integers(1, 40), st.integers(60, 62)),
        st.sampled_from([*WANTED_VALUES, Decimal("NaN"), Decimal("-0.5"), "=1+1"]),
        max_size=60,
    ),
    chunk_bytes=st.sampled_from([1, 40, 400_000]),
)
def test_value_writes_equal_the_cell_by_cell_split(
    cells: dict[tuple[str, int, int], CellValue], chunk_bytes: int
) -> None:
    """Same data entries, in the same order, with the same values and nulls, on both sides."""
    changes = [CellChange(tab, row, col, value) for (tab, row, col), value in cells.items()]
    anchors = {(tab, col): f"{tab}_{col}" for tab in ("ศก.1", "ศก.2") for col in (60, 61, 62)}
    anchors[("ศก.2", 62)] = "ศก.1_62"  # two tabs' cells through one name: one column
    writes = value_writes(changes, anchors, chunk_bytes=chunk_bytes)
    expected = reference_value_writes(changes, anchors, chunk_bytes)
    assert expected == (writes.raw, writes.formulas)
    once = value_writes(iter(changes), anchors, chunk_bytes=chunk_bytes)  # walked only once
    assert expected == (once.raw, once.formulas)
    assert msgspec.json.encode(expected) == msgspec.json.encode((writes.raw, writes.formulas))


def reference_as_read(value: CellValue) -> object:
    """The general way: blanks first, then by type."""
    if value is None or value == "":
        return None
    if type(value) is str:
        return value
    if type(value) in (Decimal, int):
        try:
            number = float(value)  # type: ignore[arg-type]
        except OverflowError:
            return UNSURE
        if not math.isfinite(number):
            return UNSURE
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return UNSURE


UNSURE = as_read(True)


@pytest.mark.parametrize(
    "value",
    [*WANTED_VALUES, Decimal("NaN"), Decimal("-0"), Decimal(2**60), 2**60, 10**400, -3, "ก"],
)
def test_as_read_equals_the_blank_first_test(value: CellValue) -> None:
    """The same value of the same type, or the same marker, for every kind of cell value."""
    expected, got = reference_as_read(value), as_read(value)
    assert (type(expected), expected) == (type(got), got) or expected is got is UNSURE


@pytest.mark.parametrize("line", [[], ["", None, 0, "a"], [1.0, "", False], ["x"] * 5])
def test_cells_as_read_reads_blanks_and_missing_cells_as_none(line: list[object]) -> None:
    """'' and cells beyond the row's end read as None; every other cell as it is, typed."""
    columns = [3, 0, 1, 2, 7]
    expected = tuple(None if c >= len(line) or line[c] == "" else line[c] for c in columns)
    assert expected == cells_as_read(line, columns)
    assert [type(v) for v in expected] == [type(v) for v in cells_as_read(line, columns)]


def test_row_cells_get_answers_as_a_dict_of_the_row_would() -> None:
    """Present, beyond the row's end (None), and not a column of the tab (the default)."""
    cells = RowCells(["a", "", 3], {"x": 0, "y": 1, "z": 2, "w": 5})
    as_dict = dict(cells)
    for header in ("x", "y", "z", "w", "absent"):
        assert as_dict.get(header) == cells.get(header)
        assert as_dict.get(header, "d") == cells.get(header, "d")
    assert ("a", "", 3, None) == (cells["x"], cells["y"], cells["z"], cells["w"])


def test_row_padding_goes_tab_by_tab_before_the_blank_rows_each_tab_clears(
    first_read: tuple[list[RegionTab], Evaluation],
) -> None:
    """One list of both, as the write groups it: each tab's rows, then its other padding."""
    tabs, evaluation = first_read
    changes = [change for tab in tabs for change in _row_changes(tab, evaluation, "now")[0]]
    other = [CellChange(tabs[1].title, 999, 1, None), CellChange("สรุป", 2, 0, None)]
    other.insert(0, CellChange(tabs[0].title, 998, 1, None))
    padding = RowPadding.of(tabs, evaluation)
    rows = padding.cells(changes)
    first_tab = [cell for cell in rows if cell.tab == tabs[0].title]
    second_tab = [cell for cell in rows if cell.tab == tabs[1].title]
    assert first_tab and second_tab
    expected = [*first_tab, other[0], *second_tab, other[1], other[2]]
    assert expected == padding.around(other, changes)


@pytest.mark.parametrize("seed", range(4))
def test_row_padding_needs_none_of_the_rows_read(
    first_read: tuple[list[RegionTab], Evaluation], seed: int
) -> None:
    """
    A row's padding is its worker cells the changes leave out, with the values wanted, made
    without the rows read (so the plan keeps none into its write): what comparing each worker
    cell of the rows read with its wanted value pads with, over several tabs and whatever the
    worker blocks read.
    """
    tabs, evaluation = first_read
    pick = random.Random(seed)
    varied = []
    for tab in tabs:
        grid = [list(line) for line in tab.grid]
        for row in evaluation.rows_of(tab.region):
            if seed and pick.random() < 0.5:  # some blocks as wanted, some not
                line = grid[row.row - 1]
                line.extend([""] * (1 + max(tab.worker_columns.values()) - len(line)))
                for header, value in worker_values(row, tab.worker_columns).items():
                    line[tab.worker_columns[header]] = read_back_of(value)
        varied.append(replace(tab, grid=grid))
    changes = [change for tab in varied for change in _row_changes(tab, evaluation, "now")[0]]
    padding = RowPadding.of(varied, evaluation).cells(changes)
    # What comparing each worker cell of the rows read with its wanted value pads with.
    expected = [cell for tab in varied for cell in reference_row_changes(tab, evaluation, "now")[1]]
    assert padding  # blank KPI cells of changed rows, at least
    assert sorted(expected) == sorted(padding)
    assert not {(c.tab, c.row, c.col) for c in padding} & {(c.tab, c.row, c.col) for c in changes}


def _as_wanted(tab: RegionTab, evaluation: Evaluation) -> RegionTab:
    """The tab with every row's worker block showing what it should (a run found it so)."""
    grid = [list(line) for line in tab.grid]
    for row in evaluation.rows:
        if row.region == tab.region:
            line = grid[row.row - 1]
            line.extend([""] * (1 + max(tab.worker_columns.values()) - len(line)))
            for header, value in worker_values(row, tab.worker_columns).items():
                line[tab.worker_columns[header]] = read_back_of(value)
    return replace(tab, grid=grid)


@pytest.mark.parametrize("seed", range(8))
def test_rows_found_showing_what_they_should_are_compared_again_only_when_something_moved(
    first_read: tuple[list[RegionTab], Evaluation],
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    A row written is not compared again once it reads back as it should; a row last found
    right is compared again once its worker cells as read, its input cells (their digest),
    its status or its pointer differ, or the tab's context does. The changes are always the
    full comparison's, and the untouched rows are not compared at all.
    """
    tabs, evaluated = first_read
    evaluation = replace(evaluated, blank_rows={})
    marks: dict[str, Any] = {}
    context = ("columns and day", seed)
    compared: list[tuple[str, int]] = []
    record_rows_compared(monkeypatch, compared)
    ours = [row for row in evaluation.rows if row.region == tabs[0].region]
    written = _row_changes(tabs[0], evaluation, "now", marks, context)[0]  # a first run
    assert reference_row_changes(tabs[0], evaluation, "now")[0] == written
    assert [(tabs[0].title, row.row) for row in ours] == compared
    tab = _as_wanted(tabs[0], evaluation)  # the verify round's read
    compared.clear()
    assert ([], []) == _row_changes(tab, evaluation, "now", marks, context)
    assert [] == compared  # every row reads back as written: none compared

    pick = random.Random(seed)
    moved = sorted(pick.sample(range(len(ours)), 6))
    grid = [list(line) for line in tab.grid]
    rows = list(evaluation.rows)
    kinds = ("cell", "cell", "input", "status", "pointer", "cell")
    for how, index in zip(kinds, moved, strict=True):
        row = ours[index]
        if how == "cell":  # someone typed into the worker block: anything it does not read as
            # (the checking time, `ตรวจสอบล่าสุด`, is not compared: it moves with changes)
            col = pick.choice([c for x, c in tab.worker_columns.items() if x != h.CHECKED_AT])
            was = cells_as_read(grid[row.row - 1], [col])
            grid[row.row - 1][col] = pick.choice(
                [v for v in READ_VALUES if not shows(cells_as_read([v], [0]), was)]
            )
        else:
            at = rows.index(row)
            if how == "input":  # the input cells changed (with the same results)
                rows[at] = msgspec.structs.replace(row, digest=b"other inputs....")
            elif how == "status":
                rows[at] = msgspec.structs.replace(row, status=h.STATUS_DUPLICATE)
            else:
                rows[at] = msgspec.structs.replace(row, pointer="ศก.9 แถว 4")
    edited, now = replace(tab, grid=grid), replace(evaluation, rows=tuple(rows))
    compared.clear()
    expected = reference_row_changes(edited, now, "now")[0]
    assert expected == _row_changes(edited, now, "now", marks, context)[0]
    assert [(tab.title, ours[i].row) for i in moved] == compared
    compared.clear()
    assert expected == _row_changes(edited, now, "now", marks, ("another day", seed))[0]
    assert len(ours) == len(compared)  # another context: every row compared again


def test_a_blank_row_cleared_is_not_compared_again_until_a_worker_cell_of_it_is_typed_into(
    first_read: tuple[list[RegionTab], Evaluation], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its `ตรวจสอบล่าสุด` too: every worker cell of a blank row is cleared."""
    tabs, evaluated = first_read
    tab = _as_wanted(tabs[0], evaluated)
    gone = next(row for row in evaluated.rows if row.region == tab.region)
    evaluation = replace(
        evaluated,
        rows=tuple(row for row in evaluated.rows if row is not gone),
        blank_rows={tab.region: (gone.row,)},  # its inputs were all cleared
    )
    marks: dict[str, Any] = {}
    diffed: list[int] = []
    diff = round_mod.diff_tab

    def counted(title: str, grid: Any, desired: Any) -> Any:
        diffed.append(1)
        return diff(title, grid, desired)

    monkeypatch.setattr(round_mod, "diff_tab", counted)
    cleared = _row_changes(tab, evaluation, "now", marks, "context")[0]
    assert {(gone.row, None)} == {(change.row, change.value) for change in cleared}
    grid = [list(line) for line in tab.grid]
    for col in tab.worker_columns.values():
        grid[gone.row - 1][col] = ""
    diffed.clear()
    assert ([], []) == _row_changes(replace(tab, grid=grid), evaluation, "now", marks, "context")
    assert [] == diffed  # read back cleared: not compared
    checked_at = tab.worker_columns[h.CHECKED_AT]
    grid[gone.row - 1][checked_at] = "05/12/2569 09:00:00"
    again = _row_changes(replace(tab, grid=grid), evaluation, "now", marks, "context")[0]
    assert [(gone.row, checked_at, None)] == [(c.row, c.col, c.value) for c in again]


def _as_bytes(tab: RegionTab) -> RegionTab:
    """The tab as a read gives it: each row's bytes, and their digests (`ReadRows`)."""
    raws = [msgspec.Raw(msgspec.json.encode(line)) for line in tab.grid]
    return replace(tab, grid=ReadRows(raws, eager=True))


def test_a_block_read_and_decided_as_when_all_its_rows_were_right_is_taken_whole(
    first_read: tuple[list[RegionTab], Evaluation], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    With the rows read as bytes, a block of rows (`MARK_BLOCK`, 8 here) whose bytes, and
    whose rows' input digests, statuses and pointers, are as when every row of it was last
    found showing what it should is taken whole: none of its rows is marked or compared
    again. A block where someone typed, or where a row's status moved, goes row by row; the
    changes are always the full comparison's.
    """
    monkeypatch.setattr(round_mod, "MARK_BLOCK", 8)
    tabs, evaluated = first_read
    evaluation = replace(evaluated, blank_rows={})
    marks: dict[str, Any] = {}
    looked: list[int] = []
    unchanged = round_mod._Marks.unchanged

    def counted(self: Any, number: int, *args: Any) -> bool:
        looked.append(number)
        return unchanged(self, number, *args)

    monkeypatch.setattr(round_mod._Marks, "unchanged", counted)
    ours = [row for row in evaluation.rows if row.region == tabs[0].region]
    assert len({row.row // 8 for row in ours}) >= 5
    written = _row_changes(_as_bytes(tabs[0]), evaluation, "now", marks, "context")[0]
    assert reference_row_changes(tabs[0], evaluation, "now")[0] == written  # a first run
    wanted = _as_wanted(tabs[0], evaluation)
    looked.clear()
    assert ([], []) == _row_changes(_as_bytes(wanted), evaluation, "now", marks, "context")
    assert len(ours) == len(looked)  # the verify round: each row read back as written
    looked.clear()
    assert ([], []) == _row_changes(_as_bytes(wanted), evaluation, "now", marks, "context")
    assert [] == looked  # read as then: every block taken whole

    typed, moved = ours[3], ours[-5]  # in two blocks
    grid = [list(line) for line in wanted.grid]
    col = wanted.worker_columns[h.CHECK_STATUS]
    grid[typed.row - 1][col] = "แก้เอง"
    rows = list(evaluation.rows)
    rows[rows.index(moved)] = msgspec.structs.replace(moved, status=h.STATUS_DUPLICATE)
    edited, now = replace(wanted, grid=grid), replace(evaluation, rows=tuple(rows))
    expected = reference_row_changes(edited, now, "now")[0]
    assert {typed.row, moved.row} == {change.row for change in expected}
    looked.clear()
    assert expected == _row_changes(_as_bytes(edited), now, "now", marks, "context")[0]
    blocks = {typed.row // 8, moved.row // 8}
    assert sorted(looked) == [row.row for row in ours if row.row // 8 in blocks]
    looked.clear()
    again = _row_changes(_as_bytes(edited), now, "now", marks, ("another day",))[0]
    assert expected == again and len(ours) == len(looked)  # another context: every row


def test_the_cells_a_read_notes_make_the_marks_the_rows_decoded_make(
    first_read: tuple[list[RegionTab], Evaluation],
) -> None:
    """
    A read whose rows' worker cells alone changed since the tab's last evaluation (the verify
    read after a first run's write) keeps none of its data rows decoded, only the cells the
    marks read: each row's mark, made from those, is the mark of the row decoded whole (or
    the verify round would compare, and write, every row again).
    """
    tabs, evaluation = first_read
    today = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK).date()
    for tab in tabs:
        cache = RowCache()
        cache.next_run()
        evaluate([_as_bytes(tab)], options={}, fiscal_year=2567, as_of=today, cache=cache)
        written = _as_wanted(tab, evaluation)
        raws = [msgspec.Raw(msgspec.json.encode(line)) for line in written.grid]
        read = replace(written, grid=ReadRows(raws))  # (lazy: each row decoded when used)
        evaluate([read], options={}, fiscal_year=2567, as_of=today, cache=cache)
        assert read.grid.decoded < read.first_data_row  # (header rows only)
        read.grid._raws = None  # the bytes gone: a mark can only come from the cells noted
        columns = _BlockRows(written).columns
        noted, whole = _Marks(read, None, None), _Marks(written, None, None)
        for row in evaluation.rows_of(tab.region):
            decided = (row.digest, row.status, row.pointer)
            mark = noted._cells_mark(row.row, decided, columns)
            assert mark == whole._cells_mark(row.row, decided, columns)
