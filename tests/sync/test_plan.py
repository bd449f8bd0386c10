"""Planning writes: exact diffs, few requests, text that can never run as a formula."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.core.cells import Formula, hyperlink, same_value, to_extended, to_raw
from sync.core.diff import Block, CellChange, diff_tab, group_blocks, update_requests, value_writes


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


@pytest.mark.parametrize(
    "text", ['=IMPORTXML("http://x","//a")', "+66812345678", "-5", "@SUM(A1)", "'quoted"]
)
def test_text_goes_out_raw_and_only_in_the_raw_write(text: str) -> None:
    """Text, whatever it looks like, is a RAW string and never part of the USER_ENTERED data."""
    writes = value_writes([CellChange("t", 5, 3, text)], {("t", 3): "sheetsync_7_details"})
    column = [None] * 4 + [text]
    assert [
        {"range": "sheetsync_7_details", "majorDimension": "COLUMNS", "values": [column]}
    ] == writes.raw
    assert [] == writes.formulas


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        (None, ""),  # clears the cell; null would leave it alone
        ("", ""),
        (True, True),
        (Decimal("12.50"), 12.5),
        (7, 7.0),
        (Decimal("1E+400"), "1E+400"),  # beyond a double: shown as text, not an infinity
    ],
)
def test_raw_values(value: object, raw: object) -> None:
    """What each kind of worker value becomes in a RAW write."""
    got = to_raw(value)  # type: ignore[arg-type]
    assert raw == got and type(raw) is type(got)


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


@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["t", "u"]),
            st.integers(1, 9),
            st.integers(0, 6),
            st.sampled_from([None, "x", 1, "y"]),
        ),
        max_size=60,
    ),
    max_rows=st.sampled_from([1, 2, 3, 500]),
)
def test_grouping_equals_the_cell_by_cell_rectangles(
    cells: list[tuple[str, int, int, object]], max_rows: int
) -> None:
    """
    Blocks as a cell-by-cell walk makes them: every cell in its tab's runs of adjacent
    columns (a repeated cell starts a run), runs of one width and column on consecutive rows
    stacked up to `max_rows`, tabs in the order first changed.
    """
    changes = [CellChange(tab, row, col, value) for tab, row, col, value in cells]  # type: ignore[arg-type]
    expected: list[Block] = []
    for tab in dict.fromkeys(c.tab for c in changes):
        runs: list[tuple[int, int, list[object]]] = []
        for c in sorted((c for c in changes if c.tab == tab), key=lambda c: (c.row, c.col)):
            last = runs[-1] if runs else None
            if last is not None and last[0] == c.row and last[1] + len(last[2]) == c.col:
                last[2].append(c.value)
            else:
                runs.append((c.row, c.col, [c.value]))
        stacks: list[tuple[int, int, list[tuple[object, ...]]]] = []
        for row, col, values in runs:
            top = stacks[-1] if stacks else None
            if (
                top is not None
                and top[0] + len(top[2]) == row
                and top[1] == col
                and len(top[2][0]) == len(values)
                and len(top[2]) < max_rows
            ):
                top[2].append(tuple(values))
            else:
                stacks.append((row, col, [tuple(values)]))
        expected += [Block(tab, row, col, tuple(lines)) for row, col, lines in stacks]  # type: ignore[arg-type]
    assert expected == group_blocks(changes, max_rows=max_rows)


def test_anchored_columns_skip_every_row_not_written() -> None:
    """A worker column goes by its anchor from row 1: unchanged rows are null, clears are ""."""
    link = hyperlink(42, "B12", "ศก.3 แถว 12")
    changes = [
        CellChange("t", 4, 10, "ผ่าน"),
        CellChange("t", 6, 10, None),
        CellChange("t", 4, 11, link),
        CellChange("t", 5, 11, "x"),
    ]
    anchors = {("t", 10): "sheetsync_7_check_status", ("t", 11): "sheetsync_7_duplicate_of"}
    writes = value_writes(changes, anchors)
    assert [
        {
            "range": "sheetsync_7_check_status",
            "majorDimension": "COLUMNS",
            "values": [[None, None, None, "ผ่าน", None, ""]],
        },
        {
            "range": "sheetsync_7_duplicate_of",
            "majorDimension": "COLUMNS",
            "values": [[None, None, None, None, "x"]],
        },
    ] == writes.raw
    assert [
        {
            "range": "sheetsync_7_duplicate_of",
            "majorDimension": "COLUMNS",
            "values": [[None, None, None, link.text]],
        }
    ] == writes.formulas


def test_long_anchored_columns_are_sent_in_pieces() -> None:
    """A column too big for one call is split; each piece skips the rows of the others."""
    changes = [CellChange("t", r, 3, "ข้อความยาว" * 10) for r in range(1, 101)]
    writes = value_writes(changes, {("t", 3): "n"}, chunk_bytes=10_000)
    assert len(writes.raw) > 1
    merged: dict[int, object] = {}
    for entry in writes.raw:
        for row, value in enumerate(entry["values"][0], start=1):
            if value is not None:
                assert row not in merged, "two pieces write the same cell"
                merged[row] = value
    assert {c.row: c.value for c in changes} == merged
    assert all(len(str(entry)) < 20_000 for entry in writes.raw)


def test_update_requests_are_typed_and_zero_based() -> None:
    """Blocks become updateCells with a 0-based start and a userEnteredValue mask (the rows
    JSON already: what is sent)."""
    requests = msgspec.json.decode(
        msgspec.json.encode(update_requests([Block("t", 5, 10, (("a", None),))], {"t": 7}))
    )
    assert [
        {
            "updateCells": {
                "start": {"sheetId": 7, "rowIndex": 4, "columnIndex": 10},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "a"}}, {}]}],
                "fields": "userEnteredValue",
            }
        }
    ] == requests


def test_padding_makes_changed_rows_rectangular() -> None:
    """Unchanged worker cells of changed rows fill the gaps, so rows merge into one block."""
    from sync.core.diff import padding_for

    desired = {(r, c): f"v{r}{c}" for r in (5, 6) for c in (10, 11, 12)}
    changes = [CellChange("t", 5, 10, "v510"), CellChange("t", 6, 12, "v612")]
    padding = padding_for(changes, desired, "t")
    blocks = group_blocks(changes + padding)
    assert [Block("t", 5, 10, (("v510", "v511", "v512"), ("v610", "v611", "v612")))] == blocks
    assert 4 == len(padding)


def test_padding_never_reaches_people_columns() -> None:
    """Only cells given as fillable (worker-owned) pad a row; a person's column splits it."""
    from sync.core.diff import padding_for

    desired = {(5, 10): "a", (5, 12): "c"}  # column 11 belongs to a person
    changes = [CellChange("t", 5, 10, "a"), CellChange("t", 5, 12, "c")]
    blocks = group_blocks(changes + padding_for(changes, desired, "t"))
    assert [Block("t", 5, 10, (("a",),)), Block("t", 5, 12, (("c",),))] == blocks


def test_batches_stay_under_the_size_limit_in_order() -> None:
    """Writes are split into calls of bounded size without reordering requests."""
    from sync.core.diff import batches

    requests = [{"updateCells": {"n": i, "pad": "x" * 100}} for i in range(50)]
    split = batches(requests, 1_000)
    assert requests == [r for batch in split for r in batch]
    assert all(len(str(batch)) < 1_500 for batch in split) and len(split) > 5


def test_requests_kept_together_are_never_split() -> None:
    """A span that must stay in one call does, even when it alone is over the limit."""
    from sync.core.diff import batches

    requests = [{"r": i, "pad": "x" * 100} for i in range(20)]
    split = batches(requests, 1_000, together=[(3, 15)])
    assert requests == [r for batch in split for r in batch]
    holding = [batch for batch in split if requests[3] in batch]
    assert 1 == len(holding) and all(r in holding[0] for r in requests[3:15])
