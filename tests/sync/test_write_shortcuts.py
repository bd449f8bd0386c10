"""
The shortcuts a first run's diff and write take (a whole row at once, a column of one kind at
once, cells as Structs) give exactly what the general path gives, on any values.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.core.cells import CellValue, Formula, as_read, row_as_read, to_extended
from sync.core.diff import (
    Block,
    CellChange,
    _json_size,
    _sides,
    _size_bound,
    _wanted_at,
    diff_grid,
    encode,
    update_requests,
)
from sync.core.sheet import bytes_digest, expected_digest

DECIMALS = st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [Decimal("-0.00"), Decimal("12.50"), Decimal(2**53), Decimal(2**53 - 1), Decimal("1e400")]
)
VALUES: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["", "ผ่าน", 'a"b', "=1+1"]),
    st.integers(-(2**60), 2**60),
    st.booleans(),
    DECIMALS.filter(lambda d: not d.is_snan()),
    st.builds(Formula, st.sampled_from(["=1+1", "=A1"])),
)


@given(st.lists(VALUES, max_size=12))
def test_a_row_as_read_is_each_value_as_read(values: list[CellValue]) -> None:
    """Decimals converted inline read as `as_read` reads each (a marker for the unsure)."""
    got, one_by_one = row_as_read(values), [as_read(v) for v in values]
    for a, b in zip(got, one_by_one, strict=True):
        assert (a == b and type(a) is type(b)) or (a is not None and a != a and b != b)
    with pytest.raises(ValueError):  # a signalling NaN fails as `as_read` fails on it
        row_as_read([Decimal("sNaN")])


@given(st.lists(VALUES, max_size=12))
def test_a_list_line_s_digest_is_the_digest_of_the_line_as_read(values: list[CellValue]) -> None:
    """`expected_digest` is the digest of the line as a read shows it (`row_as_read`), sent
    as a compact answer sends it (a blank as '', none trailing), made in one pass (a value a
    read cannot be sure of, a tick or a formula, which no list line holds, fails both alike)."""
    try:
        sent = ["" if cell is None else cell for cell in row_as_read(values)]
        while sent and sent[-1] == "":
            sent.pop()
        expected: bytes | type[Exception] = bytes_digest(msgspec.json.encode(sent))
    except TypeError:
        expected = TypeError
    if expected is TypeError:
        with pytest.raises(TypeError):
            expected_digest(values)
    else:
        assert expected_digest(values) == expected


@given(
    st.lists(st.lists(VALUES, max_size=8).map(tuple), min_size=1, max_size=5).map(tuple),
    st.integers(0, 3),
)
def test_update_cells_encode_as_the_cell_data_of_each_value(
    rows: tuple[tuple[CellValue, ...], ...], col: int
) -> None:
    """Text, whole numbers and rows as Structs: byte for byte the JSON of `to_extended`."""
    (request,) = update_requests([Block("ศก.1", 3, col, rows)], {"ศก.1": 7})
    expected = {
        "updateCells": {
            "start": {"sheetId": 7, "rowIndex": 2, "columnIndex": col},
            "rows": [{"values": [to_extended(v) for v in row]} for row in rows],
            "fields": "userEnteredValue",
        }
    }
    assert bytes(request) == encode(expected)


def _column(kind: str) -> st.SearchStrategy[list[Any]]:
    if kind == "text":
        return st.lists(st.text(max_size=6), min_size=1, max_size=10)
    return st.lists(DECIMALS.filter(lambda d: not d.is_snan()), min_size=1, max_size=10)


@given(st.sampled_from(["text", "decimal"]).flatmap(_column), st.data())
def test_a_column_of_one_kind_has_the_sides_of_the_general_path(
    values: list[Any], data: st.DataObject
) -> None:
    """A column of text, or of Decimals, converted at once, as cell by cell; its size bound
    is never below its JSON's size, so one piece never outgrows a call."""
    rows = sorted(
        data.draw(st.sets(st.integers(1, 40), min_size=len(values), max_size=len(values)))
    )
    kinds = set(map(type, values))
    general = kinds | {int}  # (a kind no cell has: the cell-by-cell path)
    fast, slow = _sides(rows, values, kinds), _sides(rows, values, general)
    assert msgspec.json.encode(fast) == msgspec.json.encode(slow)
    bound = _size_bound(values, kinds)
    assert bound is not None and bound >= sum(_json_size(v) + 1 for v in values)
    assert all(not isinstance(v, float) or math.isfinite(v) for v in fast[0])


@given(st.lists(st.lists(VALUES, max_size=6), max_size=8))
def test_a_list_written_into_an_empty_tab_is_every_cell_wanted(wanted: list[list[Any]]) -> None:
    """Nothing read: each non-blank wanted cell is a change, in order, and each changed row is
    padded out to the widest changed column with what is wanted there."""
    changes, padding = diff_grid("รายชื่อ", [], wanted)
    expected = [
        CellChange("รายชื่อ", r, c, v)
        for r, row in enumerate(wanted, start=1)
        for c, v in enumerate(row)
        if v is not None and v != ""
    ]
    assert list(changes) == expected
    top = max((c.col for c in expected), default=0)
    changed = {(c.row, c.col) for c in expected}
    fill = [
        CellChange("รายชื่อ", r, c, _wanted_at(wanted, r, c))
        for r in sorted({r for r, _ in changed})
        for c in range(top + 1)
        if (r, c) not in changed
    ]
    assert padding == fill
