"""Planning writes: exact diffs, few requests, text that can never run as a formula."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sync.cells import Formula, hyperlink, same_value, to_extended
from sync.plan import Block, CellChange, diff_tab, group_blocks, update_requests


@pytest.mark.parametrize(
    ("current", "desired", "same"),
    [
        (None, None, True),
        ("", None, True),
        ("x", None, False),
        (12.5, Decimal("12.50"), True),
        (12.5, Decimal("12.51"), False),
        ("12.5", Decimal("12.50"), False),  # text in a number cell is not the number
        (True, True, True),
        (1, True, False),  # a number is not a checkbox
        ("ผ่าน", "ผ่าน", True),
        ("ซ้ำกับ ศก.3 แถว 12", Formula("=HYPERLINK(...)", "ซ้ำกับ ศก.3 แถว 12"), True),
        (60, 60, True),
        (0.1 + 0.2, Decimal("0.30"), False),  # 0.30000000000000004 is not 0.30
    ],
)
def test_same_value(current: object, desired: object, same: bool) -> None:
    """A cell counts as up to date only when the API would read back exactly the wanted value."""
    assert same_value(current, desired) is same  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ['=IMPORTXML("http://x","//a")', "+66812345678", "-5", "@SUM(A1)", "'quoted"]
)
def test_person_text_goes_out_as_string_value(text: str) -> None:
    """Text that looks like a formula is sent as stringValue, which Sheets never evaluates."""
    assert {"userEnteredValue": {"stringValue": text}} == to_extended(text)


def test_only_worker_formulas_are_formulas() -> None:
    """HYPERLINKs the worker builds are formulaValue, with quotes in the label doubled."""
    link = hyperlink(42, "B12", 'ศก.3 แถว 12 "x"')
    assert {
        "userEnteredValue": {"formulaValue": '=HYPERLINK("#gid=42&range=B12","ศก.3 แถว 12 ""x""")'}
    } == to_extended(link)


def test_diff_names_only_cells_that_differ() -> None:
    """Unchanged cells are not written; a blank wanted over a filled cell clears it."""
    current = [["h"], ["a", 1.5, "keep"], ["b", None, "old"]]
    desired = {(2, 1): Decimal("1.50"), (2, 2): "keep", (3, 1): Decimal(2), (3, 2): None}
    assert [
        CellChange("t", 3, 1, Decimal(2)),
        CellChange("t", 3, 2, None),
    ] == diff_tab("t", current, desired)


def test_grouping_merges_runs_and_rectangles() -> None:
    """Adjacent cells become one run; identical runs on consecutive rows one rectangle."""
    changes = [
        CellChange("t", 5, 10, "a"),
        CellChange("t", 5, 11, "b"),
        CellChange("t", 6, 10, "c"),
        CellChange("t", 6, 11, "d"),
        CellChange("t", 6, 13, "e"),
        CellChange("u", 4, 0, 1),
    ]
    assert [
        Block("t", 5, 10, (("a", "b"), ("c", "d"))),
        Block("t", 6, 13, (("e",),)),
        Block("u", 4, 0, ((1,),)),
    ] == group_blocks(changes)


def test_update_requests_are_typed_and_zero_based() -> None:
    """Blocks become updateCells with a 0-based start and a userEnteredValue mask."""
    requests = update_requests([Block("t", 5, 10, (("a", None),))], {"t": 7})
    assert [
        {
            "updateCells": {
                "start": {"sheetId": 7, "rowIndex": 4, "columnIndex": 10},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "a"}}, {}]}],
                "fields": "userEnteredValue",
            }
        }
    ] == requests
