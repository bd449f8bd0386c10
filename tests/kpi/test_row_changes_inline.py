"""
`row_changes` writes the formula functions out inline for speed: it must give exactly what
wiring the public formula functions together gives, value for value and exponent for exponent.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpi import formulas as f
from rules import headers as h


def composed(numbers: Sequence[Decimal | None]) -> f.RowChanges:
    """The formulas applied one public function at a time (row_changes as first written)."""
    (wb, pb, wa, pa, wvb, wva, prb, pra, cb, ca, ucb, uca, u12, sb, sa, ib, ia, usa, crb, cra) = (
        numbers[:20]
    )
    scores = numbers[20:]
    waste = f.waste_reduction(
        waste_before=wb,
        produced_before=pb,
        waste_after=wa,
        produced_after=pa,
        value_before=wvb,
        value_after=wva,
    )
    cost = f.cost_reduction_columns(
        cost_before=cb,
        cost_after=ca,
        price_before=prb,
        price_after=pra,
        unit_cost_before=ucb,
        unit_cost_after=uca,
        units_produced_12m=u12,
    )
    sales = f.sales_increase(sb, sa)
    product = f.product_value_increase(prb, pra, usa)
    return f.RowChanges(
        waste=waste,
        cost=cost,
        sales=sales,
        income=f.income_increase(ib, ia),
        product=product,
        carbon=f.carbon_reduction(crb, cra),
        satisfaction=f.satisfaction_percent(scores),
        economic=f.economic_value(
            waste.baht_per_year, cost.baht_per_year, sales.baht_per_year, product.baht_per_year
        ),
        improved=f.productivity_improved(waste.percent, cost.percent, sales.percent),
    )


def same(expected: f.RowChanges, actual: f.RowChanges) -> None:
    """Equal, and every Decimal written the same way (`1.0` is not `1`)."""
    assert expected == actual
    assert repr(expected) == repr(actual)


AMOUNTS = st.one_of(
    st.none(),
    st.sampled_from([Decimal(0), Decimal("0.00"), Decimal(10), Decimal("10.0"), Decimal(550)]),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    st.decimals(min_value=-1000, max_value=10**12, allow_nan=False, allow_infinity=False),
)
SCORES = st.one_of(
    st.none(),
    st.sampled_from([Decimal(s) for s in range(0, 7)] + [Decimal("3.0"), Decimal("2.5")]),
)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(AMOUNTS, min_size=20, max_size=20),
    st.lists(SCORES, min_size=9, max_size=9),
    st.booleans(),
)
@example([Decimal(0)] * 20, [Decimal(5)] * 9, True)
@example([None] * 20, [None] * 9, False)
@example([Decimal(3)] * 20, [Decimal("1.0")] * 9, True)
def test_inline_row_changes_equal_the_formula_functions(
    amounts: list[Decimal | None], scores: list[Decimal | None], same_price: bool
) -> None:
    """Zero bases, blanks, 5.1/5.2, whole and odd scores: the same results either way."""
    if same_price:
        amounts[7] = amounts[6]  # price after = price before: formula 5.2's case
    numbers = [*amounts, *scores]
    assert len(numbers) == len(h.KPI_INPUT_HEADERS)
    same(composed(numbers), f.row_changes(numbers))


def test_blank_costs_with_an_unchanged_price_use_the_unit_costs() -> None:
    """A 5.2 row, written out: the cost columns come from the unit costs."""
    numbers: list[Decimal | None] = [None] * 29
    numbers[6] = numbers[7] = Decimal(550)
    numbers[10], numbers[11], numbers[12] = Decimal("366.85"), Decimal("355.65"), Decimal(100)
    result = f.row_changes(numbers)
    same(composed(numbers), result)
    assert Decimal("1120.00") == result.cost.baht_per_year


@pytest.mark.parametrize(
    "after",
    ["90005", "90005.00000000000000000000001", "90005.1", "90004.9", "90000", "90010", "100000"],
)
def test_productivity_at_the_rounding_boundary(after: str) -> None:
    """Cost reductions of about 9.995 %: the flag follows the percentage rounded to 2 places."""
    numbers: list[Decimal | None] = [None] * 29
    numbers[8], numbers[9] = Decimal(100000), Decimal(after)  # cost before, cost after
    result = f.row_changes(numbers)
    same(composed(numbers), result)
    rounded = f.round_half_up(result.cost.percent)
    assert rounded is not None
    assert result.improved is (rounded >= f.PRODUCTIVITY_THRESHOLD)


@settings(max_examples=2000, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
@example(Decimal("9.995"))
@example(Decimal("9.994999999999999999999999999"))
@example(Decimal("-9.995"))
@example(Decimal("1E+40"))
def test_a_percentage_counts_exactly_when_it_rounds_to_ten(value: Decimal) -> None:
    """The flag's shortcut (≥ 9.995) is the same as rounding first, for any finite value."""
    rounded = f.round_half_up(value)
    assert rounded is not None
    assert (value >= f._ROUNDS_TO_THRESHOLD) is (rounded >= f.PRODUCTIVITY_THRESHOLD)
