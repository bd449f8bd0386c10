"""
The manual's KPI formulas (การคำนวณผลลัพธ์ตัวชี้วัด, formulas 1–7) over Decimals, worked by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

import pytest

from kpi import formulas as f
from kpi.formulas import Change


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        # rate before 50/1000×100 = 5 %, after 20/1000×100 = 2 %; (5 − 2) ÷ 5 × 100 = 60 %.
        # baht: (3000 − 1200) × 12 = 21600.
        ((D(50), D(1000), D(20), D(1000), D(3000), D(1200)), Change(D(60), D(21600))),
        # rate before 10/200 = 5 %, after 12/300 = 4 %; (5 − 4) ÷ 5 × 100 = 20 %; no values.
        ((D(10), D(200), D(12), D(300), None, None), Change(D(20), None)),
        # worse: 5 % → 8 % (80/1000); (5 − 8) ÷ 5 × 100 = −60 %; (1000 − 1600) × 12 = −7200.
        ((D(50), D(1000), D(80), D(1000), D(1000), D(1600)), Change(D(-60), D(-7200))),
        # after missing: no percentage, but the baht needs only the values: (500 − 200) × 12.
        ((D(50), D(1000), None, D(1000), D(500), D(200)), Change(None, D(3600))),
        # everything missing: blank, not 0.
        ((None, None, None, None, None, None), Change(None, None)),
        # zero bases: nothing produced before, no waste before; nothing produced after.
        ((D(5), D(0), D(2), D(100), None, None), Change(None, None, "produced_before")),
        ((D(0), D(100), D(2), D(100), None, None), Change(None, None, "waste_before")),
        ((D(5), D(100), D(0), D(0), None, None), Change(None, None, "produced_after")),
    ],
)
def test_waste_reduction(inputs: tuple[D | None, ...], expected: Change) -> None:
    """Formula 1 compares the waste rates and values the waste saved per year."""
    wb, pb, wa, pa, vb, va = inputs
    actual = f.waste_reduction(
        waste_before=wb,
        produced_before=pb,
        waste_after=wa,
        produced_after=pa,
        value_before=vb,
        value_after=va,
    )
    assert expected == actual


@pytest.mark.parametrize(
    ("waste", "produced", "expected"),
    [(D(50), D(1000), D(5)), (D(1), D(3), D(100) / D(3)), (D(1), D(0), None), (None, D(9), None)],
)
def test_waste_rate(waste: D | None, produced: D | None, expected: D | None) -> None:
    """The waste rate is waste ÷ total produced × 100, undefined for nothing produced."""
    assert expected == f.waste_rate(waste, produced)


@pytest.mark.parametrize(
    ("function", "before", "after", "expected"),
    [
        # (100000 − 80000) ÷ 100000 × 100 = 20 %; 20000 × 12 = 240000.
        (f.cost_reduction, D(100000), D(80000), Change(D(20), D(240000))),
        # costs rose: (100 − 150) ÷ 100 × 100 = −50 %; −50 × 12 = −600.
        (f.cost_reduction, D(100), D(150), Change(D(-50), D(-600))),
        (f.cost_reduction, D(0), D(10), Change(None, D(-120), "cost_before")),
        (f.cost_reduction, D(100), None, Change(None, None)),
        # (55000 − 50000) ÷ 50000 × 100 = 10 %; 5000 × 12 = 60000.
        (f.sales_increase, D(50000), D(55000), Change(D(10), D(60000))),
        (f.sales_increase, D(0), D(5), Change(None, D(60), "sales_before")),
        (f.sales_increase, None, D(5), Change(None, None)),
        # (36000 − 40000) ÷ 40000 × 100 = −10 %; −4000 × 12 = −48000.
        (f.income_increase, D(40000), D(36000), Change(D(-10), D(-48000))),
        (f.income_increase, D(0), D(0), Change(None, D(0), "income_before")),
        # carbon (formula 7) has no baht value: (2000 − 1500) ÷ 2000 × 100 = 25 %.
        (f.carbon_reduction, D(2000), D(1500), Change(D(25), None)),
        (f.carbon_reduction, D(0), D(1), Change(None, None, "carbon_before")),
        (f.carbon_reduction, None, None, Change(None, None)),
    ],
)
def test_before_after_formulas(
    function: Callable[[D | None, D | None], Change],
    before: D | None,
    after: D | None,
    expected: Change,
) -> None:
    """Formulas 2, 3, 4 and 7 divide the change by the value before."""
    assert expected == function(before, after)


@pytest.mark.parametrize(
    ("price_before", "price_after", "units", "expected"),
    [
        # 5.1: (120 − 100) ÷ 100 × 100 = 20 %; (120 − 100) × 500 units × 12 = 120000.
        (D(100), D(120), D(500), Change(D(20), D(120000))),
        # price cut: (90 − 100) ÷ 100 × 100 = −10 %; −10 × 10 × 12 = −1200.
        (D(100), D(90), D(10), Change(D(-10), D(-1200))),
        # units sold missing: percentage only.
        (D(100), D(120), None, Change(D(20), None)),
        # 5.2 (price unchanged, 100 and 100.00 are the same price): product value stays blank.
        (D(100), D("100.00"), D(500), Change(None, None)),
        # zero base: the percentage is blank, the baht is still (10 − 0) × 3 × 12 = 360.
        (D(0), D(10), D(3), Change(None, D(360), "price_before")),
        (None, D(120), D(500), Change(None, None)),
    ],
)
def test_product_value_increase(
    price_before: D | None, price_after: D | None, units: D | None, expected: Change
) -> None:
    """Formula 5.1 values a changed price; an unchanged price leaves it blank."""
    assert expected == f.product_value_increase(price_before, price_after, units)


@pytest.mark.parametrize(
    ("before", "after", "units", "expected"),
    [
        # (50 − 40) ÷ 50 × 100 = 20 %; (50 − 40) × 12000 units in 12 months = 120000.
        (D(50), D(40), D(12000), Change(D(20), D(120000))),
        (D(50), D(40), None, Change(D(20), None)),
        (D(0), D(5), D(10), Change(None, D(-50), "unit_cost_before")),
        (None, D(40), D(10), Change(None, None)),
    ],
)
def test_unit_cost_reduction(
    before: D | None, after: D | None, units: D | None, expected: Change
) -> None:
    """Formula 5.2 uses the per-unit cost and the units produced in 12 months."""
    assert expected == f.unit_cost_reduction(before, after, units)


@pytest.mark.parametrize(
    ("costs", "prices", "expected"),
    [
        # price unchanged, monthly costs blank: 5.2 gives (50 − 40) ÷ 50 × 100 = 20 %, 10 × 1200.
        ((None, None), (D(100), D(100)), Change(D(20), D(12000))),
        # price unchanged but monthly costs given: formula 2, (1000 − 900) ÷ 1000 × 100 = 10 %.
        ((D(1000), D(900)), (D(100), D(100)), Change(D(10), D(1200))),
        # only half of formula 2's inputs: they are not blank, so 5.2 does not step in.
        ((D(1000), None), (D(100), D(100)), Change(None, None)),
        # price changed (5.1): the cost columns come from formula 2 only, here blank.
        ((None, None), (D(100), D(120)), Change(None, None)),
        # no prices at all: the case is unknown, so 5.2 does not apply.
        ((None, None), (None, None), Change(None, None)),
    ],
)
def test_cost_reduction_columns(
    costs: tuple[D | None, D | None], prices: tuple[D | None, D | None], expected: Change
) -> None:
    """The cost columns take 5.2 only when the price is unchanged and formula 2 is blank."""
    actual = f.cost_reduction_columns(
        cost_before=costs[0],
        cost_after=costs[1],
        price_before=prices[0],
        price_after=prices[1],
        unit_cost_before=D(50),
        unit_cost_after=D(40),
        units_produced_12m=D(1200),
    )
    assert expected == actual


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [(D(1), D(2), False), (D(3), D("3.0"), True), (None, D(2), None), (D(2), None, None)],
    ids=["changed", "unchanged", "before-missing", "after-missing"],
)
def test_price_unchanged(before: D | None, after: D | None, expected: bool | None) -> None:
    """The case of formula 5 is known only when both prices are given."""
    assert expected == f.price_unchanged(before, after)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # 9 × 5 = 45; 45 ÷ 45 × 100 = 100 %.
        ([D(5)] * 9, D(100)),
        # 5+5+5+5+4+4+4+4+4 = 40; 40 ÷ 45 × 100 = 88.888…
        ([D(5)] * 4 + [D(4)] * 5, D(4000) / D(45)),
        # 9 × 4 = 36; 36 ÷ 45 × 100 = 80 %.
        ([D(4)] * 9, D(80)),
        ([D(5)] * 8 + [None], None),
        ([D(5)] * 8, None),
        ([D(5)] * 8 + [D(6)], None),
        ([D(5)] * 8 + [D(0)], None),
        ([D(5)] * 8 + [D("4.5")], None),
        ([D(5)] * 8 + [D("4.0")], D(4400) / D(45)),
    ],
)
def test_satisfaction_percent(scores: list[D | None], expected: D | None) -> None:
    """Formula 6 is the nine scores' sum ÷ 45 × 100, only for a complete, valid form."""
    assert expected == f.satisfaction_percent(scores)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # 21600 + 240000 + 60000 + 120000 = 441600.
        ((D(21600), D(240000), D(60000), D(120000)), D(441600)),
        # losses count too: 1000 − 1200 = −200.
        ((D(1000), None, D(-1200), None), D(-200)),
        ((None, None, None, None), None),
        ((D(0), None, None, None), D(0)),
    ],
)
def test_economic_value(parts: tuple[D | None, ...], expected: D | None) -> None:
    """The economic value sums the computable yearly baht values, blank when there are none."""
    assert expected == f.economic_value(*parts)


@pytest.mark.parametrize(
    ("percents", "expected"),
    [
        ((D(10), None, None), True),
        ((D("9.99"), D(5), D(-20)), False),
        ((None, None, D("10.00")), True),
        # 9.995 is written as 10.00 (half-up), so the flag agrees with the cell a person reads.
        ((D("9.995"), None, None), True),
        ((D("9.994999"), None, None), False),
        ((D(-50), D(50), None), True),
        ((None, None, None), None),
    ],
)
def test_productivity_improved(percents: tuple[D | None, ...], expected: bool | None) -> None:
    """Productivity improved when waste, cost or sales moved by 10 % or more."""
    assert expected == f.productivity_improved(*percents)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("12.345"), D("12.35")),
        (D("12.344999"), D("12.34")),
        (D("12.335"), D("12.34")),
        (D("-12.345"), D("-12.35")),
        (D("0.005"), D("0.01")),
        (D(60), D("60.00")),
        (D("123456789012345678901234567890.005"), D("123456789012345678901234567890.01")),
        (None, None),
    ],
)
def test_round_half_up(value: D | None, expected: D | None) -> None:
    """Results are rounded to 2 places with halves away from zero, never to even."""
    actual = f.round_half_up(value)
    assert expected == actual
    assert actual is None or actual.as_tuple().exponent == -2


def test_single_division_keeps_exact_halves() -> None:
    """A percentage that is exactly …5 in the third decimal stays exact, so it rounds up."""
    # (100 − 87.655) ÷ 100 × 100 = 12.345 exactly → 12.35.
    assert D("12.345") == f.cost_reduction(D(100), D("87.655")).percent
    # rates 3/7 % → 1/7 %: ((3/7) − (1/7)) ÷ (3/7) × 100 = 66.666…, not a drifted quotient.
    assert D("66.67") == f.round_half_up(
        f.waste_reduction(
            waste_before=D(3),
            produced_before=D(7),
            waste_after=D(1),
            produced_after=D(7),
            value_before=None,
            value_after=None,
        ).percent
    )
