"""
`check_rows` checks a tab's rows column by column: each row's result must be exactly what
`check_row` gives the same cells (status, findings in order, values and their types, IDs,
formulas' results), whatever the cells hold and whatever the cache already holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import rules
from rules import RowResult, check_row, check_rows
from rules import headers as h
from rules.row import UNIQUE_SAMPLE, _plan, forget_cells
from rules.template import TEMPLATE
from sync.demo.data import FORMS, generate_spreadsheet, options_lists

from ._rows import AS_OF, OPTIONS, valid_row


def one_by_one(
    headers: Sequence[str], rows: Sequence[Sequence[object]], region: str, options: object
) -> list[RowResult]:
    """Each row through `check_row`, as a dict of its cells (a short row's last ones blank)."""
    return [
        check_row(
            dict(zip(headers, [*row, *[None] * (len(headers) - len(row))], strict=True)),
            region=region,
            options=options,  # type: ignore[arg-type]
            fiscal_year=2567,
            as_of=AS_OF,
        )
        for row in rows
    ]


def same(expected: list[RowResult], actual: list[RowResult]) -> None:
    """Equal results, and every value written the same way (`1.0` is not `1`, `True` not 1)."""
    assert len(expected) == len(actual)
    for one, other in zip(expected, actual, strict=True):
        assert one == other
        assert repr(one) == repr(other)
        assert list(one.values) == list(other.values)  # same columns, in the same order


def every_column_unique() -> None:
    """
    Mark every column as one whose values hardly repeat, as `_Plan.learn` does once it saw
    enough of them: its cells are then checked without the cache.
    """
    plan = _plan(TEMPLATE)
    for column in plan.columns.values():
        plan.learn(column, UNIQUE_SAMPLE, UNIQUE_SAMPLE)
        assert column.unique


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("cache", ["empty", "warm", "not repeating", "full"])
def test_generated_tabs_check_as_row_by_row(
    form: str, cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    Every row of a generated spreadsheet (errors and repeats included), in every layout,
    whatever the cache holds or was found not worth holding, or when it fills up and starts
    afresh in the middle of a column.
    """
    if cache == "full":
        monkeypatch.setattr(rules.row, "MEMO_LIMIT", 150)
    demo = generate_spreadsheet(rows_per_region=300, seed=31, form=form)
    options = options_lists()
    checked = 0
    for region in (t for t in demo.tabs if t.startswith("ศก.")):
        grid = demo.tabs[region]
        mapping = rules.map_headers(grid[demo.header_row - 1], grid[demo.header_row - 2])
        headers = list(mapping.columns)
        rows = [
            tuple(mapping.row_cells(values).values()) for values in grid[demo.first_data_row - 1 :]
        ]
        forget_cells()
        if cache == "warm":
            one_by_one(headers, rows[::2], region, options)
        elif cache == "not repeating":
            every_column_unique()
        actual = check_rows(
            headers, rows, region=region, options=options, fiscal_year=2567, as_of=AS_OF
        )
        forget_cells()
        same(one_by_one(headers, rows, region, options), actual)
        checked += len(rows)
    assert checked > 2000


HEADERS: tuple[str, ...] = (
    h.COST_BEFORE,
    h.COST_AFTER,
    h.BUSINESS_MATCHING,
    h.SATISFACTION_ITEMS[0],
    h.MOO,
    h.ACTIVITY_TYPE,
    h.GENDER,
    h.REMARK,
    h.NATIONAL_ID,
    h.POSTCODE,
    h.START_DATE,
    "หัวคอลัมน์ที่ไม่รู้จัก",
)
"""Columns of every kind the fast path treats apart: amounts, checkbox, score, whole number,
dropdowns, free text, ID, postcode, date, and a column the template does not know."""

CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\u200b", "\u00a0x", "อบรม", "หญิง", " อบรม ", "ชาย"]),
    st.sampled_from([0, 1, 5, -1, 10200, True, False, 0.0, -0.0, 1.0, 5.0, 2.5, -3.5]),
    st.sampled_from([float("nan"), float("inf"), 1e300, 12.25, "1,000", "๑๐๒๐๐", "15/3/2567"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, width=32),
    st.text(max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(CELLS, min_size=0, max_size=len(HEADERS)), min_size=1, max_size=12),
    st.lists(st.lists(CELLS, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=4),
)
@example(
    rows=[[True] * len(HEADERS), [1.0] * len(HEADERS), [-0.0] * len(HEADERS), [False, 0.0]],
    seen_before=[[1] * len(HEADERS), [0] * len(HEADERS), [0.0] * len(HEADERS)],
)
@example(rows=[[1, 1, 1, 1, 1, 1, 1, 1], [True] * 8, [1.0] * 8], seen_before=[])
@example(rows=[[" ", "", "\u200b", None, "x", "อบรม"], ["1,000", "", "15/3/2567"]], seen_before=[])
@pytest.mark.parametrize("repeating", [True, False])
def test_odd_cells_check_as_row_by_row(
    repeating: bool, rows: list[list[object]], seen_before: list[list[object]]
) -> None:
    """
    Mixed types in one column (1, 1.0 and True; -0.0 and 0.0; NaN), blanks of every sort,
    short rows and repeated rows: the same results as one by one, with the cache holding
    other rows' values first (a cached 1 must not answer for True or 1.0), or with every
    column found not to repeat (text checked without the cache).
    """
    forget_cells()
    if not repeating:
        every_column_unique()
    one_by_one(HEADERS, seen_before, "ศก.3", OPTIONS)
    actual = check_rows(
        HEADERS, [*rows, *rows[:2]], region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF
    )
    forget_cells()
    same(one_by_one(HEADERS, [*rows, *rows[:2]], "ศก.3", OPTIONS), actual)


def test_a_valid_row_with_blank_rows_around_it() -> None:
    """A full valid row passes; all-blank rows (None, '', spaces, unticked boxes) are blank."""
    valid = valid_row()
    headers = list(valid)
    blank_rows = [
        [None] * len(headers),
        [""] * len(headers),
        [" " if header != h.BUSINESS_MATCHING else False for header in headers],
        [],
    ]
    results = check_rows(
        headers,
        [blank_rows[0], list(valid.values()), *blank_rows[1:]],
        region="ศก.3",
        options=OPTIONS,
        fiscal_year=2567,
        as_of=AS_OF,
    )
    assert [r.status for r in results] == ["", h.STATUS_PASS, "", "", ""]
    assert [r.is_blank for r in results] == [True, False, True, True, True]
    assert results[1].national_id == "1103702071811"
    assert check_rows(headers, [], region="ศก.3", options=OPTIONS, fiscal_year=2567) == []


def test_a_column_whose_values_do_not_repeat_is_not_cached() -> None:
    """
    National IDs (each new, as text or numbers) stop being cached once enough were seen,
    provinces (repeated) stay cached, and every row still gets what `check_row` gives it: the
    cache would only have held every ID of the sheet until the round ends.
    """
    from stdnum.th import pin

    from rules.row import UNIQUE_SAMPLE, _plan
    from rules.template import TEMPLATE

    valid = valid_row()
    headers = list(valid)
    rows = []
    for n in range(3 * UNIQUE_SAMPLE):
        body = f"1{n:011d}"
        digits = body + pin.calc_check_digit(body)
        # Typed as text and as numbers (the API sends a number for digits typed bare).
        cells = {**valid, h.NATIONAL_ID: digits if n % 2 else int(digits)}
        rows.append(tuple(cells.values()))
    forget_cells()
    actual = check_rows(
        headers, rows, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF
    )
    plan = _plan(TEMPLATE)
    ids, provinces = plan.columns[h.NATIONAL_ID], plan.columns[h.PROVINCE]
    assert ids.unique and not provinces.unique
    assert set(ids.memo) <= {"", None}  # (blanks are answered by the cache always)
    assert valid[h.PROVINCE] in provinces.memo
    assert plan.memo_size == sum(
        len([k for k in c.memo if k not in ("", None)]) for c in plan.columns.values()
    )
    assert {r.status for r in actual} == {h.STATUS_PASS}
    assert len({r.national_id for r in actual}) == len(rows)
    # Between tabs of one round the results go and what was learnt stays: the next tab's
    # IDs are not cached from its first one.
    forget_cells(learnt=True)
    assert ids.unique and not provinces.memo and plan.memo_size == 0
    check_rows(headers, rows[:3], region="ศก.4", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)
    assert set(ids.memo) <= {"", None} and valid[h.PROVINCE] in provinces.memo
    forget_cells()
    assert not ids.unique  # learnt afresh with the next round's rows
    same(one_by_one(headers, rows, "ศก.3", OPTIONS), actual)


def test_a_tab_without_columns_gives_blank_rows_as_check_row_does() -> None:
    """No headers: each row is as blank as `check_row` finds an empty row (no error)."""
    results = check_rows([], [[], []], region="ศก.1", options={}, fiscal_year=2567, as_of=AS_OF)
    same(one_by_one([], [[], []], "ศก.1", {}), results)
    assert [r.is_blank for r in results] == [True, True]
