"""
The KPI formulas of the operating manual, as plain functions over Decimals.

Source: the department's operating manual for the industrial-cluster project, section
"การคำนวณผลลัพธ์ตัวชี้วัด", formulas 1–7, as restated in domain spec §4. Every function takes
`Decimal | None` inputs (None = the cell is blank or unusable) and never rounds: results keep
full precision until `round_half_up` is applied when a value is written (domain spec §4,
"round only when writing").

Each percentage is computed as the manual writes it, rearranged algebraically so that a single
division is the only inexact step; a value that is exactly 12.345 stays exactly 12.345 and
rounds to 12.35, instead of drifting to 12.3449… through an intermediate quotient.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import cast

import msgspec

PRECISION = 28
"""Significant digits of every KPI computation (Decimal's default, set explicitly)."""

CENT = Decimal("0.01")
"""Output step: money and percentages are written rounded to 2 decimals (domain spec §3.2)."""

HUNDRED = Decimal(100)
MONTHS_PER_YEAR = Decimal(12)
"""The manual's "X ๑๒ เดือน": monthly baht figures become yearly ones."""

SATISFACTION_ITEM_COUNT = 9
SATISFACTION_MAX_SCORE = 5
SATISFACTION_FULL_SCORE = Decimal(SATISFACTION_ITEM_COUNT * SATISFACTION_MAX_SCORE)
"""Full score of the satisfaction form: nine items of 1–5 points, 45 in all (formula 6)."""

PRODUCTIVITY_THRESHOLD = Decimal(10)
"""Productivity counts as improved at 10 % or more (manual §7 and Milestone level 3)."""


# Its methods are called directly (`_CONTEXT.multiply`) rather than through `localcontext`,
# which would copy a context on every operation; only its flags ever change.
_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_UP)
"""The arithmetic context, explicit so results never depend on the caller's context."""

_ADD = _CONTEXT.add
_SUBTRACT = _CONTEXT.subtract
_MULTIPLY = _CONTEXT.multiply
_DIVIDE = _CONTEXT.divide
_QUANTIZE = _CONTEXT.quantize


class Change(msgspec.Struct, frozen=True, gc=False):
    """
    One KPI's result: the percentage, the yearly baht value where the manual defines one (a
    frozen Struct: up to six a row, built in C several times faster than a dataclass).

    `zero_input` names the parameter whose zero value left the percentage undefined (for
    example "cost_before"), so the caller can report it on the right column; it is None when
    the percentage was computed or its inputs were simply missing.
    """

    percent: Decimal | None
    baht_per_year: Decimal | None = None
    zero_input: str | None = None


BLANK = Change(None)
"""The result of a KPI whose inputs are missing: blank, never 0 (domain spec §4)."""


def round_half_up(value: Decimal | None) -> Decimal | None:
    """
    Round a result to 2 decimals, halves away from zero (as Sheets' ROUND does), keeping None.
    """
    if value is None:
        return None
    # Enough digits for the integer part plus the two decimals, so quantize never overflows.
    # `Context.quantize(value, CENT)` is `value.quantize(CENT, context=...)` without the
    # keyword-argument parsing, which costs more than the rounding (this runs ~15 times a row).
    digits = value.adjusted() + 4
    if digits <= PRECISION:
        return _QUANTIZE(value, CENT)
    return Context(prec=digits, rounding=ROUND_HALF_UP).quantize(value, CENT)


def _percent_of(difference: Decimal, base: Decimal) -> Decimal:
    """
    Return difference ÷ base × 100 with one division, so exact results stay exact.
    """
    return _DIVIDE(_MULTIPLY(difference, HUNDRED), base)


def _yearly(monthly_difference: Decimal) -> Decimal:
    """
    Turn a monthly baht difference into a yearly one ("X ๑๒ เดือน").
    """
    return _MULTIPLY(monthly_difference, MONTHS_PER_YEAR)


def _difference(first: Decimal | None, second: Decimal | None) -> Decimal | None:
    """
    Return first − second, or None when either is missing.
    """
    if first is None or second is None:
        return None
    return _SUBTRACT(first, second)


def _reduction(before: Decimal | None, after: Decimal | None, base_name: str) -> Change:
    """
    Compute (before − after) ÷ before × 100 and (before − after) × 12, the manual's reductions.
    """
    difference = _difference(before, after)
    if before is None or difference is None:
        return BLANK
    baht = _yearly(difference)
    if before == 0:
        return Change(None, baht, zero_input=base_name)
    return Change(_percent_of(difference, before), baht)


def _increase(before: Decimal | None, after: Decimal | None, base_name: str) -> Change:
    """
    Compute (after − before) ÷ before × 100 and (after − before) × 12, the manual's increases.
    """
    difference = _difference(after, before)
    if before is None or difference is None:
        return BLANK
    baht = _yearly(difference)
    if before == 0:
        return Change(None, baht, zero_input=base_name)
    return Change(_percent_of(difference, before), baht)


def waste_rate(waste: Decimal | None, produced: Decimal | None) -> Decimal | None:
    """
    Return the waste rate, waste ÷ total produced × 100 (formula 1), or None if undefined.
    """
    if waste is None or produced is None or produced == 0:
        return None
    return _percent_of(waste, produced)


def waste_reduction(
    *,
    waste_before: Decimal | None,
    produced_before: Decimal | None,
    waste_after: Decimal | None,
    produced_after: Decimal | None,
    value_before: Decimal | None,
    value_after: Decimal | None,
) -> Change:
    """
    Compute formula 1, waste reduction (ของเสียลดลง).

    Percent = (rate before − rate after) ÷ rate before × 100, where rate = waste ÷ total
    produced × 100; baht/year = (waste value before − waste value after) × 12. The base is the
    rate before, so `produced_before` or `waste_before` of 0 is a zero base; `produced_after`
    of 0 leaves the rate after undefined. The baht value needs only the two waste values.
    """
    value_difference = _difference(value_before, value_after)
    baht = None if value_difference is None else _yearly(value_difference)
    if waste_before is None or produced_before is None:
        return Change(None, baht)
    if waste_after is None or produced_after is None:
        return Change(None, baht)
    for name, amount in (
        ("produced_before", produced_before),
        ("waste_before", waste_before),
        ("produced_after", produced_after),
    ):
        if amount == 0:
            return Change(None, baht, zero_input=name)
    # (wb/pb − wa/pa) ÷ (wb/pb) × 100 = (wb·pa − wa·pb) × 100 ÷ (wb·pa): one division.
    denominator = _MULTIPLY(waste_before, produced_after)
    numerator = _SUBTRACT(denominator, _MULTIPLY(waste_after, produced_before))
    return Change(_percent_of(numerator, denominator), baht)


def cost_reduction(before: Decimal | None, after: Decimal | None) -> Change:
    """
    Compute formula 2, cost reduction: (before − after) ÷ before × 100, baht (before − after) × 12.
    """
    return _reduction(before, after, "cost_before")


def sales_increase(before: Decimal | None, after: Decimal | None) -> Change:
    """
    Compute formula 3, sales increase: (after − before) ÷ before × 100, baht (after − before) × 12.
    """
    return _increase(before, after, "sales_before")


def income_increase(before: Decimal | None, after: Decimal | None) -> Change:
    """
    Compute formula 4, income increase: (after − before) ÷ before × 100, baht likewise × 12.
    """
    return _increase(before, after, "income_before")


def price_unchanged(price_before: Decimal | None, price_after: Decimal | None) -> bool | None:
    """
    Tell which case of formula 5 applies: True for 5.2 (same price), False for 5.1, None if unknown.
    """
    if price_before is None or price_after is None:
        return None
    return price_before == price_after


def product_value_increase(
    price_before: Decimal | None,
    price_after: Decimal | None,
    units_sold_after: Decimal | None,
) -> Change:
    """
    Compute formula 5.1, product value increase when the selling price changed.

    Percent = (price after − price before) ÷ price before × 100; baht/year = (price after −
    price before) × units sold per month after × 12. With the price unchanged (case 5.2) the
    product-value columns stay blank (domain spec §4, "Choice").
    """
    if price_unchanged(price_before, price_after) is not False:
        return BLANK
    increase = _increase(price_before, price_after, "price_before")
    difference = _difference(price_after, price_before)
    baht = None
    if difference is not None and units_sold_after is not None:
        baht = _MULTIPLY(_MULTIPLY(difference, units_sold_after), MONTHS_PER_YEAR)
    return Change(increase.percent, baht, increase.zero_input)


def unit_cost_reduction(
    unit_cost_before: Decimal | None,
    unit_cost_after: Decimal | None,
    units_produced_12m: Decimal | None,
) -> Change:
    """
    Compute formula 5.2, the per-unit cost reduction used when the selling price is unchanged.

    Percent = (unit cost before − unit cost after) ÷ unit cost before × 100; baht/year = (unit
    cost before − unit cost after) × units produced in 12 months.
    """
    difference = _difference(unit_cost_before, unit_cost_after)
    if unit_cost_before is None or difference is None:
        return BLANK
    baht = None
    if units_produced_12m is not None:
        baht = _MULTIPLY(difference, units_produced_12m)
    if unit_cost_before == 0:
        return Change(None, baht, zero_input="unit_cost_before")
    return Change(_percent_of(difference, unit_cost_before), baht)


def cost_reduction_columns(
    *,
    cost_before: Decimal | None,
    cost_after: Decimal | None,
    price_before: Decimal | None,
    price_after: Decimal | None,
    unit_cost_before: Decimal | None,
    unit_cost_after: Decimal | None,
    units_produced_12m: Decimal | None,
) -> Change:
    """
    Fill the cost-reduction columns from formula 2, or from formula 5.2 when it applies.

    Formula 5.2 is used only when the price is unchanged and both of formula 2's own inputs are
    blank (domain spec §4, "Choice"), so a row that reports monthly costs is never overridden.
    """
    if (
        cost_before is None
        and cost_after is None
        and price_unchanged(price_before, price_after) is True
    ):
        return unit_cost_reduction(unit_cost_before, unit_cost_after, units_produced_12m)
    return cost_reduction(cost_before, cost_after)


def satisfaction_percent(scores: Sequence[Decimal | None]) -> Decimal | None:
    """
    Compute formula 6, individual satisfaction: sum of the nine item scores ÷ 45 × 100.

    Blank unless all nine items are present and each is a whole score from 1 to 5, so a
    half-filled or mistyped form never yields a figure.
    """
    if len(scores) != SATISFACTION_ITEM_COUNT:
        return None
    total = Decimal(0)
    for score in scores:
        if score is None or score != score.to_integral_value():
            return None
        if not 1 <= score <= SATISFACTION_MAX_SCORE:
            return None
        total += score
    return _percent_of(total, SATISFACTION_FULL_SCORE)


def carbon_reduction(before: Decimal | None, after: Decimal | None) -> Change:
    """
    Compute formula 7, carbon-footprint reduction: (before − after) ÷ before × 100 (no baht value).
    """
    result = _reduction(before, after, "carbon_before")
    return Change(result.percent, None, result.zero_input)


def economic_value(*baht_per_year: Decimal | None) -> Decimal | None:
    """
    Sum the yearly baht values given, or None when none of them is computable.

    The row passes waste, cost (formula 2 or 5.2), sales and product value; income is left out
    so sales are not counted twice (domain spec §3.2, "Choice").
    """
    present = [value for value in baht_per_year if value is not None]
    if not present:
        return None
    total = Decimal(0)
    for value in present:
        total = _ADD(total, value)
    return total


def productivity_improved(*percents: Decimal | None) -> bool | None:
    """
    Tell whether any of the given percentages reaches 10, None when none is computable.

    The row passes waste reduction, cost reduction and sales increase (manual, Milestone level
    3). Each is compared at the 2 decimals written to the sheet, so the flag never contradicts
    the percentage a person reads next to it (9.996 is shown as 10.00 and counts).
    """
    present = [round_half_up(value) for value in percents if value is not None]
    if not present:
        return None
    return any(value is not None and value >= PRODUCTIVITY_THRESHOLD for value in present)


class RowChanges(msgspec.Struct, frozen=True, gc=False):
    """
    Every formula's result for one row: what the worker writes and what checks compare with
    (a frozen Struct, one a row).
    """

    waste: Change
    cost: Change
    sales: Change
    income: Change
    product: Change
    carbon: Change
    satisfaction: Decimal | None
    economic: Decimal | None
    improved: bool | None


_ZERO = Decimal(0)

_ROUNDS_TO_THRESHOLD = PRODUCTIVITY_THRESHOLD - CENT / 2
"""The least value that `round_half_up` makes `PRODUCTIVITY_THRESHOLD` (9.995)."""

_WHOLE_SCORES = frozenset(Decimal(score) for score in range(1, SATISFACTION_MAX_SCORE + 1))
"""The scores formula 6 accepts (1–5; equal Decimals such as 1.0 hash alike)."""


def row_changes(numbers: Sequence[Decimal | None]) -> RowChanges:
    """
    Apply formulas 1–7 to one row's raw figures, given in the order of
    `rules.headers.KPI_INPUT_HEADERS` (None for a figure that is blank or unusable).

    One place wires the inputs to the formulas, so the worker's KPI cells and the checks that
    compare typed results with them can never read different figures. It runs for every row,
    so the formula functions above are written out inline here, operation for operation (a
    test proves the results equal those functions' on many generated rows).
    """
    (
        waste_before,
        produced_before,
        waste_after,
        produced_after,
        waste_value_before,
        waste_value_after,
        price_before,
        price_after,
        cost_before,
        cost_after,
        unit_cost_before,
        unit_cost_after,
        units_produced_12m,
        sales_before,
        sales_after,
        income_before,
        income_after,
        units_sold_after,
        carbon_before,
        carbon_after,
        *scores,
    ) = numbers
    multiply, subtract, divide = _MULTIPLY, _SUBTRACT, _DIVIDE
    # Formula 1 (waste_reduction).
    waste_baht = (
        None
        if waste_value_before is None or waste_value_after is None
        else multiply(subtract(waste_value_before, waste_value_after), MONTHS_PER_YEAR)
    )
    if (
        waste_before is None
        or produced_before is None
        or waste_after is None
        or produced_after is None
    ):
        waste = Change(None, waste_baht)
    elif produced_before == 0:
        waste = Change(None, waste_baht, "produced_before")
    elif waste_before == 0:
        waste = Change(None, waste_baht, "waste_before")
    elif produced_after == 0:
        waste = Change(None, waste_baht, "produced_after")
    else:
        denominator = multiply(waste_before, produced_after)
        numerator = subtract(denominator, multiply(waste_after, produced_before))
        waste = Change(divide(multiply(numerator, HUNDRED), denominator), waste_baht)
    # Formula 2, or 5.2 when the price is unchanged and both monthly costs are blank.
    same_price = (
        None if price_before is None or price_after is None else price_before == price_after
    )
    if cost_before is None and cost_after is None and same_price is True:
        if unit_cost_before is None or unit_cost_after is None:
            cost = BLANK
        else:
            difference = subtract(unit_cost_before, unit_cost_after)
            baht = None if units_produced_12m is None else multiply(difference, units_produced_12m)
            if unit_cost_before == 0:
                cost = Change(None, baht, "unit_cost_before")
            else:
                cost = Change(divide(multiply(difference, HUNDRED), unit_cost_before), baht)
    else:
        cost = _change(cost_before, cost_after, "cost_before", reduction=True)
    # Formulas 3 and 4.
    sales = _change(sales_before, sales_after, "sales_before", reduction=False)
    income = _change(income_before, income_after, "income_before", reduction=False)
    # Formula 5.1, only when the price changed.
    if same_price is not False:
        product = BLANK
    else:
        assert price_before is not None and price_after is not None
        difference = subtract(price_after, price_before)
        baht = (
            None
            if units_sold_after is None
            else multiply(multiply(difference, units_sold_after), MONTHS_PER_YEAR)
        )
        if price_before == 0:
            product = Change(None, baht, "price_before")
        else:
            product = Change(divide(multiply(difference, HUNDRED), price_before), baht)
    # Formula 7 (no baht value); blank inputs give BLANK, which equals Change(None, None, None).
    if carbon_before is None or carbon_after is None:
        carbon = BLANK
    elif carbon_before == 0:
        carbon = Change(None, None, "carbon_before")
    else:
        difference = subtract(carbon_before, carbon_after)
        carbon = Change(divide(multiply(difference, HUNDRED), carbon_before))
    # Formula 6: the common case of nine whole scores 1–5 summed directly, else the function.
    try:
        whole = len(scores) == SATISFACTION_ITEM_COUNT and _WHOLE_SCORES.issuperset(scores)
    except TypeError:  # a signalling NaN cannot be hashed: the function reports it
        whole = False
    satisfaction: Decimal | None
    if whole:
        # `sum` adds exactly as `total += score` from Decimal(0) would (same operator, same
        # context), in one call.
        total = sum(cast("list[Decimal]", scores), Decimal(0))
        satisfaction = divide(multiply(total, HUNDRED), SATISFACTION_FULL_SCORE)
    else:
        satisfaction = satisfaction_percent(scores)
    # economic_value: the yearly baht values present, added to 0 in this order.
    economic = None
    for baht in (
        waste.baht_per_year,
        cost.baht_per_year,
        sales.baht_per_year,
        product.baht_per_year,
    ):
        if baht is not None:
            economic = _ADD(_ZERO if economic is None else economic, baht)
    # productivity_improved: any computable percentage reaching 10 at 2 decimals. A finite
    # percentage rounds half-up to 10.00 or more exactly when it is at least 9.995, so it is
    # compared with that instead of being rounded (once one counts, the rest are not looked at).
    improved = None
    for percent in (waste.percent, cost.percent, sales.percent):
        if percent is None or improved:
            continue
        if percent.is_finite():
            improved = percent >= _ROUNDS_TO_THRESHOLD
        else:
            rounded = round_half_up(percent)
            improved = rounded is not None and rounded >= PRODUCTIVITY_THRESHOLD
    return RowChanges(waste, cost, sales, income, product, carbon, satisfaction, economic, improved)


def _change(
    before: Decimal | None, after: Decimal | None, base_name: str, *, reduction: bool
) -> Change:
    """
    `_reduction` (before − after) or `_increase` (after − before), with one call less per row.
    """
    if before is None or after is None:
        return BLANK
    difference = _SUBTRACT(before, after) if reduction else _SUBTRACT(after, before)
    baht = _MULTIPLY(difference, MONTHS_PER_YEAR)
    if before == 0:
        return Change(None, baht, base_name)
    return Change(_DIVIDE(_MULTIPLY(difference, HUNDRED), before), baht)
