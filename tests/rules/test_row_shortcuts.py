"""
The cross-field rules skip what cannot report anything (a blank start date, no typed result, a
satisfaction group left wholly blank or wholly filled): each skip must be one the full rule
would have made itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import msgspec
import pytest

from kpi.formulas import BLANK, Change, RowChanges
from rules import RowResult, check_row
from rules import headers as h
from rules.checks import dates
from rules.checks import results as result_checks

from ._rows import AS_OF, OPTIONS, valid_row


@pytest.mark.parametrize(
    "column",
    [
        h.RESULT_WASTE_PCT,
        h.RESULT_COST_PCT,
        h.RESULT_SALES_PCT,
        h.RESULT_INCOME_PCT,
        h.RESULT_PRODUCT_VALUE_PCT,
        h.RESULT_SATISFACTION_PCT,
    ],
)
def test_every_typed_result_column_is_compared(column: str) -> None:
    """A row whose only typed result is far from its formula's is warned, on that column:
    the shortcut for rows without typed results skips none of the form's result columns."""
    twenty = Change(Decimal(20))
    changes = RowChanges(twenty, twenty, twenty, twenty, twenty, BLANK, Decimal(20), None, None)
    found = result_checks.check_results(changes, {column: Decimal(50)})
    assert [(f.code, f.column) for f in found] == [(result_checks.DISAGREES_CODE, column)]
    assert result_checks.check_results(changes, {column: Decimal("20.4")}) == []


def test_a_typed_result_is_still_compared() -> None:
    """A typed result far from the computed one is reported; without one, nothing is."""
    changes = RowChanges(
        Change(Decimal(20), Decimal(1)), BLANK, BLANK, BLANK, BLANK, BLANK, None, None, None
    )
    found = result_checks.check_results(changes, {h.RESULT_WASTE_PCT: Decimal(50)})
    assert [f.code for f in found] == [result_checks.DISAGREES_CODE]
    assert result_checks.check_results(changes, {h.REMARK: "x"}) == []


@pytest.mark.parametrize("year", [2566, 2567, 2568])
def test_each_fiscal_year_has_its_own_bounds(year: int) -> None:
    """Years asked one after another (the bounds are kept per year): 1 October of the year
    before to 30 September are in the year, the days either side are not."""
    for fiscal_year in (year, year + 1, year):
        first, last = date(fiscal_year - 544, 10, 1), date(fiscal_year - 543, 9, 30)
        for day, inside in (
            (first - timedelta(days=1), False),
            (first, True),
            (last, True),
            (last + timedelta(days=1), False),
        ):
            found = dates.check_activity_dates(day, None, fiscal_year)
            outside = [f.code for f in found] == ["start_outside_fiscal_year"]
            assert outside is not inside, (fiscal_year, day)


@pytest.mark.parametrize("count", range(10))
def test_satisfaction_group_of_any_size(count: int) -> None:
    """0 and 9 items given: no finding; 1–8: the first missing item is reported."""
    cells = valid_row(**{item: None for item in h.SATISFACTION_ITEMS})
    cells.update({item: 4 for item in h.SATISFACTION_ITEMS[:count]})
    result = check_row(cells, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)
    codes = [f.code for f in result.findings if f.code == "satisfaction_incomplete"]
    assert codes == ([] if count in (0, 9) else ["satisfaction_incomplete"])


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({h.START_DATE: None, h.END_DATE: "1/1/2560"}, ["required_blank"]),
        (
            {h.START_DATE: "1/1/2560"},
            ["start_outside_fiscal_year", "activity_too_long", "age_mismatch"],
        ),
        ({h.BIRTH_DATE: None, h.AGE: None}, []),
        ({h.BIRTH_DATE: None, h.AGE: 12}, ["age_out_of_range"]),
        ({h.PROVINCE: None, h.POSTCODE: "99999"}, ["required_blank"]),
        ({h.ENTERPRISE_PROVINCE: None, h.ENTERPRISE_POSTCODE: "20000"}, ["required_blank"]),
    ],
)
def test_rules_without_their_cells(changes: dict[str, object], codes: list[str]) -> None:
    """Blank dates, age or province: what the full rules report for them, nothing more."""
    result = check_row(
        valid_row(**changes), region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF
    )
    assert [f.code for f in result.findings] == codes


def test_row_result_fields_in_the_order_check_rows_passes_them() -> None:
    """`_finish` builds RowResult positionally (once per row): the order holds."""
    assert [f.name for f in msgspec.structs.fields(RowResult)] == [
        "status",
        "findings",
        "values",
        "national_id",
        "tax_id",
        "cancelled",
        "is_blank",
        "changes",
    ]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({h.TAX_ID: None, h.ENTERPRISE_NAME: None}, []),
        ({h.ENTERPRISE_NAME: None}, ["enterprise_name_blank"]),
        ({h.TAX_ID: None}, []),
    ],
)
def test_enterprise_name_only_with_a_tax_id(changes: dict[str, object], codes: list[str]) -> None:
    """A blank enterprise name is reported only when its section's tax ID is given."""
    result = check_row(
        valid_row(**changes), region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF
    )
    assert [f.code for f in result.findings] == codes
