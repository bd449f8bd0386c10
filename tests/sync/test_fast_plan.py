"""
The row-by-row and first-run shortcuts of planning and writing give exactly what the general,
cell-by-cell way gives (kept here as the reference).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core.cells import CellValue, Formula, as_read, cells_as_read, shows, to_extended
from sync.core.diff import Block, CellChange, diff_grid, diff_tab, padding_for, update_requests
from sync.core.summary import grid_cells

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
    sent = [row["values"] for row in requests[0]["updateCells"]["rows"]]
    assert expected == sent
    assert msgspec.json.encode(expected) == msgspec.json.encode(sent)
    assert {"userEnteredValue": {"stringValue": "1E+400"}} == sent[0][9]
    assert {"userEnteredValue": {"stringValue": "1.0E+400"}} == sent[0][10]  # equal, not shared
