"""
The cross-field rules skip what cannot report anything (a blank start date, no typed result, a
satisfaction group left wholly blank or wholly filled): each skip must be one the full rule
would have made itself.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from kpi.formulas import BLANK, Change, RowChanges
from rules import RowResult, check_row
from rules import headers as h
from rules.checks import dates
from rules.checks import results as result_checks

from ._rows import AS_OF, OPTIONS, valid_row


def test_typed_result_columns_are_the_ones_compared() -> None:
    """The shortcut's set of typed columns is exactly the set the comparison walks."""
    changes = RowChanges(BLANK, BLANK, BLANK, BLANK, BLANK, BLANK, None, None, None)
    assert result_checks._TYPED_COLUMNS == {column for column, _ in result_checks._pairs(changes)}


def test_a_typed_result_is_still_compared() -> None:
    """A typed result far from the computed one is reported; without one, nothing is."""
    changes = RowChanges(
        Change(Decimal(20), Decimal(1)), BLANK, BLANK, BLANK, BLANK, BLANK, None, None, None
    )
    found = result_checks.check_results(changes, {h.RESULT_WASTE_PCT: Decimal(50)})
    assert [f.code for f in found] == [result_checks.DISAGREES_CODE]
    assert result_checks.check_results(changes, {h.REMARK: "x"}) == []


@pytest.mark.parametrize("year", [2566, 2567, 2568])
def test_fiscal_year_bounds_kept_per_year_are_the_bounds(year: int) -> None:
    """The cached bounds are the computed ones, year by year."""
    assert dates._bounds(year) == dates.fiscal_year_bounds(year)
    assert dates._bounds(year) == (date(year - 544, 10, 1), date(year - 543, 9, 30))


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
    """`_finish` builds RowResult positionally (keywords cost as much again): the order holds."""
    assert [f.name for f in fields(RowResult)] == [
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
