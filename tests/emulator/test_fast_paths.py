"""
The emulator's fast paths give exactly the answers of the generic code they stand in for.

A first sync sends tens of thousands of ``updateCells`` with ``fields=userEnteredValue`` and
reads whole tabs back; those are served without per-cell JSON merging or per-cell rendering
calls, with value writes journaled in place instead of cloning tabs.  These tests compare them
with the generic per-cell code on random input and pin that a failing batch still changes nothing.
"""

from __future__ import annotations

import gc
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_emulator.api.batch_update._common import strip_nulls
from sheets_emulator.api.batch_update.cells import write_cell
from sheets_emulator.api.router import SheetsApi
from sheets_emulator.model.a1 import Grid
from sheets_emulator.model.render import read_block, render_value
from sheets_emulator.model.store import CellValue, FormattedNumber, Formula, Row, Sheet, Store

SID = "fast-paths"
BASE = f"/v4/spreadsheets/{SID}"
VALUE_MASK: dict[str, Any] = {"userEnteredValue": {}}

STORED: list[CellValue] = [
    None,
    "a",
    "=not a formula",
    5,
    0,
    5.0,
    2.5,
    -1e20,
    True,
    False,
    Formula("=1+1"),
    Formula("=UNKNOWNFN(1)"),
    Formula("=1/0"),
    FormattedNumber(45000, "DATE", "yyyy-mm-dd"),
    FormattedNumber(0.25, "PERCENT", "0%"),
]
EXTENDED: list[Any] = [
    None,
    {},
    {"stringValue": ""},
    {"stringValue": "a"},
    {"stringValue": "=A1"},
    {"stringValue": 5},
    {"stringValue": None},
    {"stringValue": "b", "numberValue": None},
    {"stringValue": "b", "numberValue": 1},
    {"numberValue": 5},
    {"numberValue": 5.0},
    {"numberValue": 0},
    {"numberValue": 45000},
    {"numberValue": 2.5},
    {"numberValue": True},
    {"numberValue": "5"},
    {"boolValue": True},
    {"boolValue": False},
    {"boolValue": 1},
    {"formulaValue": "=1+1"},
    {"formulaValue": "=2"},
    {"formulaValue": "oops"},
    {"errorValue": {"type": "REF"}},
    {"stringValue": {"nested": None}},
    "text",
    0,
]
CELLS: list[Any] = [
    None,
    {},
    0,
    "",
    "not a cell",
    {"note": "n"},
    {"userEnteredFormat": None},
    *({"userEnteredValue": v} for v in EXTENDED),
    *({"userEnteredValue": v, "note": None} for v in EXTENDED[:6]),
]


def typed(values: list[Any]) -> list[tuple[type, Any]]:
    """
    Values with their types, so ``5``, ``5.0`` and ``True`` do not compare equal.
    """
    return [(type(v), repr(v) if isinstance(v, float) and math.isnan(v) else v) for v in values]


def grid_state(sheet: Sheet) -> list[Any]:
    """
    Every row slot of a tab: ``None`` for an empty slot, else its typed values and extras.
    """
    return [
        None if r is None else (typed(r.values), r.notes, r.formats, r.validations)
        for r in sheet.rows
    ]


def make_store(stored: list[list[CellValue]]) -> Store:
    """
    A store with one 6 x 5 tab holding ``stored`` from A1 (``None`` rows stay empty slots).
    """
    store = Store()
    spreadsheet = store.create_spreadsheet("fast", spreadsheet_id=SID)
    sheet = spreadsheet.sheets[0]
    sheet.rows = [None] * 6
    sheet.columns = [None] * 5
    for r, values in enumerate(stored):
        if values:
            row = Row()
            row.values = list(values)
            sheet.rows[r] = row
    return store


def reference_update(sheet: Sheet, body: dict[str, Any]) -> None:
    """
    updateCells with the generic per-cell code: nulls stripped, then ``write_cell`` per cell.
    """
    body = strip_nulls(body)
    rows = body.get("rows") or []
    start = body["start"]
    r0, c0 = start["rowIndex"], start["columnIndex"]
    width = max((len(r.get("values") or []) for r in rows), default=0)
    for i, row in enumerate(rows):
        values = row.get("values") or []
        for j in range(width):
            source = values[j] if j < len(values) else {}
            write_cell(sheet, r0 + i, c0 + j, source or {}, VALUE_MASK)


stored_rows = st.lists(
    st.one_of(st.none(), st.lists(st.sampled_from(STORED), max_size=5)), min_size=6, max_size=6
)
cell_rows = st.lists(
    st.one_of(
        st.fixed_dictionaries({"values": st.lists(st.sampled_from(CELLS), max_size=3)}),
        st.just({"values": None}),
        st.just({}),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(stored=stored_rows, rows=cell_rows, r0=st.integers(0, 3), c0=st.integers(0, 2))
def test_value_writes_match_the_generic_cell_merge(
    stored: list[list[CellValue] | None], rows: list[dict[str, Any]], r0: int, c0: int
) -> None:
    """
    updateCells with fields=userEnteredValue ends exactly where the per-cell merge ends.
    """
    initial = [list(v) if v else [] for v in stored]
    body = {"start": {"sheetId": 0, "rowIndex": r0, "columnIndex": c0}, "rows": rows}
    expected_store = make_store(initial)
    expected_sheet = expected_store.get(SID).sheets[0]
    try:
        reference_update(expected_sheet, body)
        expected: list[Any] | None = grid_state(expected_sheet)
    except Exception:
        expected = None  # the batch must fail and change nothing

    store = make_store(initial)
    sheet = store.get(SID).sheets[0]
    before = grid_state(sheet)
    # The handlers' own merge, beneath the schema check (which refuses some bodies first).
    response = SheetsApi(store, validate_schema=False).call(
        "POST",
        f"{BASE}:batchUpdate",
        {"requests": [{"updateCells": {**body, "fields": "userEnteredValue"}}]},
    )
    if expected is None:
        assert response.status == 400, response.body
        assert grid_state(sheet) == before
    else:
        assert response.status == 200, response.body
        assert grid_state(sheet) == expected


@pytest.mark.parametrize(
    ("stored", "cells", "expected"),
    [
        # A cell emptied at the row's end trims it; a later cell still lands in its own column.
        (["a", "b"], [{"stringValue": ""}, {"stringValue": "x"}], ["a", None, "x"]),
        (["a", "b"], [None, {"numberValue": 1}], ["a", None, 1]),
        (["a", "b", "c"], [{"stringValue": "x"}, {}], ["a", "x"]),
        (["a", "b", "c"], [{}, {}], ["a"]),
        ([], [{"stringValue": ""}, {"boolValue": False}], [None, None, False]),
        (["a", None, None, "d"], [None, None, {"stringValue": "c"}], ["a", None, None, "c"]),
    ],
)
def test_clearing_and_writing_in_one_row(
    stored: list[CellValue], cells: list[Any], expected: list[CellValue]
) -> None:
    """
    Clears that shorten a row and writes after them in the same row end where the merge ends.
    """
    store = make_store([stored])
    rows = [{"values": [{"userEnteredValue": v} for v in cells]}]
    body = {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 1}, "rows": rows}
    reference = make_store([stored])
    reference_update(reference.get(SID).sheets[0], body)
    request = {"updateCells": {**body, "fields": "userEnteredValue"}}
    response = SheetsApi(store).call("POST", f"{BASE}:batchUpdate", {"requests": [request]})
    assert response.status == 200, response.body
    assert grid_state(store.get(SID).sheets[0]) == grid_state(reference.get(SID).sheets[0])
    row = store.get(SID).sheets[0].rows[0]
    assert typed(row.values if row is not None else []) == typed(expected)


def test_a_range_clears_what_its_rows_do_not_reach() -> None:
    """
    With ``range``, cells right of a short row and rows below the data are cleared.
    """
    store = make_store([["a", "b", "c", "d"], ["e", "f"], ["g"]])
    request = {
        "updateCells": {
            "range": {
                "sheetId": 0,
                "startRowIndex": 0,
                "endRowIndex": 2,
                "startColumnIndex": 1,
                "endColumnIndex": 3,
            },
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}],
            "fields": "userEnteredValue",
        }
    }
    response = SheetsApi(store).call("POST", f"{BASE}:batchUpdate", {"requests": [request]})
    assert response.status == 200, response.body
    sheet = store.get(SID).sheets[0]
    assert [r.values if r is not None else None for r in sheet.rows[:3]] == [
        ["a", "x", None, "d"],
        ["e"],
        ["g"],
    ]


@pytest.mark.parametrize(
    ("stored", "extended", "expected"),
    [
        # Equal JSON leaves the stored value alone: a typed date keeps its format...
        (FormattedNumber(45000, "DATE", "yyyy-mm-dd"), {"numberValue": 45000}, None),
        # ...an integer stays an integer, and an equal value is not even validated.
        (5, {"numberValue": 5.0}, None),
        (1, {"numberValue": True}, None),
        (Formula("=1+1"), {"formulaValue": "=1+1"}, None),
        # Different JSON is written.
        (True, {"numberValue": 1}, 1),
        (5, {"stringValue": "5"}, "5"),
        ("=x", {"stringValue": "=x"}, None),
        (None, {"numberValue": 5.0}, 5.0),
    ],
)
def test_an_equal_value_is_not_rewritten(
    stored: CellValue, extended: dict[str, Any], expected: CellValue
) -> None:
    """
    A value whose ExtendedValue equals the stored one's JSON keeps the stored value as it is.
    """
    store = make_store([["a", stored]])
    request = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 1},
            "rows": [{"values": [{"userEnteredValue": extended}]}],
            "fields": "userEnteredValue",
        }
    }
    # numberValue: true is refused by Google's schema; the handler beneath it is tested here.
    api = SheetsApi(store, validate_schema=False)
    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": [request]})
    assert response.status == 200, response.body
    value = store.get(SID).sheets[0].cell(0, 1)
    want = stored if expected is None else expected
    assert (type(value), value) == (type(want), want)


def test_values_written_in_place_are_rolled_back_when_a_later_request_fails() -> None:
    """
    Rows written without cloning the tab (new, extended, cleared) are restored on failure.
    """
    store = make_store([["a", "b"], [], ["x", None, "z"]])
    sheet = store.get(SID).sheets[0]
    first_row = sheet.rows[0]
    before = grid_state(sheet)
    revision = store.get(SID).revision
    requests = [
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 1},
                "rows": [
                    {"values": [{"userEnteredValue": {"stringValue": "B"}}, None, {}]},
                    {"values": [{"userEnteredValue": {"numberValue": 7}}]},
                    {"values": [{"userEnteredValue": None}, {"userEnteredValue": {}}]},
                ],
                "fields": "userEnteredValue",
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 3, "columnIndex": 4},
                "rows": [{"values": [{"userEnteredValue": {"boolValue": True}}]}],
                "fields": "userEnteredValue",
            }
        },
        {"deleteSheet": {"sheetId": 999}},
    ]
    response = SheetsApi(store).call("POST", f"{BASE}:batchUpdate", {"requests": requests})
    assert response.status == 400
    assert response.body["error"]["message"] == (
        "Invalid requests[2].deleteSheet: No grid with id: 999"
    )
    assert grid_state(sheet) == before
    assert sheet.rows[0] is first_row
    assert store.get(SID).revision == revision


def test_writes_past_a_rows_end_are_rolled_back_when_a_later_request_fails() -> None:
    """
    Rows extended past their end in place, and rows created, are put back when the batch fails.
    """
    store = make_store([["a"], [], ["x"]])
    sheet = store.get(SID).sheets[0]
    first_row = sheet.rows[0]
    before = grid_state(sheet)
    write = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 1},
            "rows": [
                {
                    "values": [
                        {"userEnteredValue": {"stringValue": "s"}},
                        {},
                        {"userEnteredValue": {"numberValue": 2.5}},
                        {},
                    ]
                },
                {"values": [{}, {"userEnteredValue": {"numberValue": 1}}]},
                {"values": [{"userEnteredValue": {"stringValue": ""}}]},
            ],
            "fields": "userEnteredValue",
        }
    }
    api = SheetsApi(store)
    failing = {"deleteSheet": {"sheetId": 999}}
    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": [write, failing]})
    assert response.status == 400
    assert response.body["error"]["message"] == (
        "Invalid requests[1].deleteSheet: No grid with id: 999"
    )
    assert grid_state(sheet) == before
    assert sheet.rows[0] is first_row
    assert sheet.rows[1] is None

    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": [write]})
    assert response.status == 200, response.body
    assert [typed(r.values) if r is not None else None for r in sheet.rows[:3]] == [
        typed(["a", "s", None, 2.5]),
        typed([None, None, 1]),
        typed(["x"]),
    ]


@pytest.mark.parametrize(
    "middle",
    [
        # A generic request cloning the tab after it was written in place.
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}
            }
        },
        # A value write that needs the generic merge, on the same tab.
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "q"}, "note": "n"}]}],
                "fields": "userEnteredValue,note",
            }
        },
        # A cell of the value-only request itself that takes the generic merge.
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "q", "x": None}}]}],
                "fields": "userEnteredValue",
            }
        },
    ],
)
def test_in_place_and_cloned_changes_roll_back_together(middle: dict[str, Any]) -> None:
    """
    A batch mixing in-place value writes and cloned tabs still changes nothing when it fails.
    """
    store = make_store([["a", "b"], ["c"]])
    sheet = store.get(SID).sheets[0]
    before = grid_state(sheet)
    write = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "A"}}]}],
            "fields": "userEnteredValue",
        }
    }
    too_long = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 0},
            "rows": [
                {
                    "values": [
                        {"userEnteredValue": {"stringValue": "ok"}},
                        {"userEnteredValue": {"stringValue": "x" * 50_001}},
                    ]
                }
            ],
            "fields": "userEnteredValue",
        }
    }
    api = SheetsApi(store)
    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": [write, middle, too_long]})
    assert response.status == 400
    assert response.body["error"]["message"].startswith("Invalid requests[2].updateCells: ")
    assert grid_state(store.get(SID).sheets[0]) == before
    assert store.get(SID).sheets[0] is sheet

    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": [write, middle]})
    assert response.status == 200, response.body
    assert store.get(SID).sheets[0] is sheet
    assert "A" in [v for r in sheet.rows if r is not None for v in r.values]


def test_nulls_inside_rows_are_dropped_for_every_mask() -> None:
    """
    Explicit nulls deep in ``rows`` mean "absent" under a generic mask too (the note is cleared).
    """
    store = make_store([["a"]])
    sheet = store.get(SID).sheets[0]
    sheet.set_extra("notes", 0, 0, "old note")
    sheet.set_extra("formats", 0, 0, {"backgroundColor": {"red": 1}})
    request = {
        "updateCells": {
            "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
            "rows": [
                {
                    "values": [
                        {
                            "userEnteredValue": {"stringValue": "b", "numberValue": None},
                            "note": None,
                            "userEnteredFormat": {"backgroundColor": None},
                        }
                    ]
                }
            ],
            "fields": "userEnteredValue,note,userEnteredFormat",
        }
    }
    response = SheetsApi(store).call("POST", f"{BASE}:batchUpdate", {"requests": [request]})
    assert response.status == 200, response.body
    assert sheet.cell(0, 0) == "b"
    assert sheet.extra("notes", 0, 0) is None
    assert sheet.extra("formats", 0, 0) is None


RENDERED: list[CellValue] = [
    *STORED,
    1.0,
    2.0**53,
    -0.0,
    1 / 3,
    123456789012.5,
    float("inf"),
    float("nan"),
    10**20,
    "",
]


@settings(max_examples=200, deadline=None)
@given(
    stored=stored_rows.map(lambda rows: [r or [] for r in rows]),
    extra=st.lists(st.sampled_from(RENDERED), max_size=6),
    render=st.sampled_from(["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"]),
    datetime_render=st.sampled_from(["SERIAL_NUMBER", "FORMATTED_STRING"]),
    c0=st.integers(0, 3),
    c1=st.integers(1, 5),
)
def test_reading_a_block_matches_rendering_each_value(
    stored: list[list[CellValue]],
    extra: list[CellValue],
    render: str,
    datetime_render: str,
    c0: int,
    c1: int,
) -> None:
    """
    ``read_block`` answers what ``render_value`` gives cell by cell, trimmed the same way.
    """
    store = make_store([*stored[:5], extra])
    spreadsheet = store.get(SID)
    sheet = spreadsheet.sheets[0]
    sheet.columns = [None] * 6
    c0, c1 = min(c0, c1), max(c0, c1)
    grid = Grid(sheet, 0, c0, sheet.row_count, c1)
    expected: list[list[Any]] = []
    for r in range(sheet.row_count):
        row = sheet.rows[r]
        cells = [
            render_value(spreadsheet, sheet, v, render, datetime_render)
            for v in (row.values[c0:c1] if row is not None else [])
        ]
        while cells and cells[-1] == "":
            cells.pop()
        expected.append(cells)
    while expected and not expected[-1]:
        expected.pop()
    got = read_block(spreadsheet, grid, render, datetime_render, "ROWS")
    assert [typed(r) for r in got] == [typed(r) for r in expected]


@settings(max_examples=100, deadline=None)
@given(
    stored=stored_rows,
    render=st.sampled_from(["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"]),
    r0=st.integers(0, 5),
    c0=st.integers(0, 4),
)
def test_reading_by_columns_is_the_rows_read_turned(
    stored: list[list[CellValue] | None], render: str, r0: int, c0: int
) -> None:
    """
    A COLUMNS read is the ROWS read turned over, padded with "" and trimmed the same way.
    """
    store = make_store(stored)
    spreadsheet = store.get(SID)
    sheet = spreadsheet.sheets[0]
    grid = Grid(sheet, r0, c0, sheet.row_count, sheet.column_count)
    by_rows = read_block(spreadsheet, grid, render, "SERIAL_NUMBER", "ROWS")
    width = max(map(len, by_rows), default=0)
    expected = [[r[c] if c < len(r) else "" for r in by_rows] for c in range(width)]
    for column in expected:
        while column and column[-1] == "":
            column.pop()
    while expected and not expected[-1]:
        expected.pop()
    got = read_block(spreadsheet, grid, render, "SERIAL_NUMBER", "COLUMNS")
    assert [typed(c) for c in got] == [typed(c) for c in expected]


def test_gc_is_back_on_after_a_failing_request() -> None:
    """
    An error inside a request does not leave the collector switched off.
    """
    store = make_store([["a"]])
    response = SheetsApi(store).call("POST", f"{BASE}:batchUpdate", {"requests": [{"x": {}}]})
    assert response.status == 400
    assert gc.isenabled()


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(st.sampled_from([None, "a", 1, 2.5, True]), max_size=8), max_size=6),
    start=st.integers(min_value=0, max_value=9),
    count=st.integers(min_value=1, max_value=3),
)
def test_inserting_columns_matches_the_generic_remap(
    rows: list[list[CellValue]], start: int, count: int
) -> None:
    """Inserting columns by slicing leaves every value where the generic remap puts it."""
    from sheets_emulator.model.shift import _remap_columns, insert_dimension

    def sheet_of(values: list[list[CellValue]]) -> tuple[Any, Sheet]:
        spreadsheet = Store().create_spreadsheet("t")
        sheet = spreadsheet.sheets[0]
        for i, row_values in enumerate(values):
            row = Row()
            row.values = list(row_values)
            while row.values and row.values[-1] is None:
                row.values.pop()
            row.notes = {c: f"n{c}" for c, v in enumerate(row_values) if v == "a"} or None
            sheet.rows[i] = row
        return spreadsheet, sheet

    spreadsheet, fast = sheet_of(rows)
    insert_dimension(spreadsheet, fast, "COLUMNS", start, start + count, inherit_before=False)
    _, slow = sheet_of(rows)
    _remap_columns(slow, lambda c: c + count if c >= start else c, slow.column_count + count)

    def shown(sheet: Sheet) -> list[tuple[list[CellValue], Any]]:
        out = []
        for _, row in sheet.used_rows():
            values = list(row.values)
            while values and values[-1] is None:
                values.pop()
            out.append((values, row.notes))
        return out

    assert shown(slow) == shown(fast)
