"""
The KPI cells of one regional-tab row, computed from its raw input cells.

The row's inputs are read with the rules package's number parser; an input that is blank,
unparseable or negative counts as missing here (the rules package reports it), so a KPI is
blank rather than wrong. Results are rounded half-up to 2 decimals only at this boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kpi import formulas
from kpi.formulas import Change, round_half_up
from kpi.types import Cells, KpiValue
from rules import Finding, Severity
from rules import headers as h
from rules.parse import parse_number

ZERO_BASE_CODE = "kpi_zero_base"
"""Finding code of a percentage left blank because its base (the "before" value) is 0."""

ZERO_BASE_MESSAGE = "ค่าก่อนเป็นศูนย์ คำนวณร้อยละไม่ได้"
"""Message of `kpi_zero_base`, worded as in domain spec §4."""

ZERO_PRODUCED_AFTER_CODE = "kpi_zero_produced_after"
"""Finding code of a waste reduction left blank because nothing was produced after."""

ZERO_PRODUCED_AFTER_MESSAGE = "ผลิตทั้งหมดหลังเป็นศูนย์ คำนวณอัตราของเสียหลังไม่ได้"
"""Message of `kpi_zero_produced_after`: the waste rate after has no denominator."""

_ZERO_INPUT_COLUMNS: dict[str, str] = {
    "produced_before": h.PRODUCED_BEFORE,
    "waste_before": h.WASTE_BEFORE,
    "produced_after": h.PRODUCED_AFTER,
    "cost_before": h.COST_BEFORE,
    "unit_cost_before": h.UNIT_COST_BEFORE,
    "sales_before": h.SALES_BEFORE,
    "income_before": h.INCOME_BEFORE,
    "price_before": h.PRICE_BEFORE,
    "carbon_before": h.CARBON_BEFORE,
}


@dataclass(frozen=True, slots=True)
class KpiResult:
    """
    The KPI cells of one row and the warnings explaining any percentage left blank by a zero.

    `values` is keyed by exactly `rules.headers.KPI_HEADERS`; numbers are Decimals rounded
    half-up to 2 places, the productivity flag is `ใช่`, `ไม่ใช่` or None, and None is a blank.
    """

    values: dict[str, KpiValue]
    findings: tuple[Finding, ...]


_NUMBER_MEMO_LIMIT = 100_000
"""Parsed inputs kept per value type before the cache starts afresh (bounds memory)."""

_NUMBERS: dict[type, dict[object, Decimal | None]] = {str: {}, int: {}}
"""Parsed inputs by exact type, then raw value: the same amounts recur down a sheet."""

_MISSING = Decimal("NaN")
"""Marks a value not in the cache (never stored: a cached input is finite or None)."""

_INPUT_HEADERS: tuple[str, ...] = (
    h.WASTE_BEFORE,
    h.PRODUCED_BEFORE,
    h.WASTE_AFTER,
    h.PRODUCED_AFTER,
    h.WASTE_VALUE_BEFORE,
    h.WASTE_VALUE_AFTER,
    h.PRICE_BEFORE,
    h.PRICE_AFTER,
    h.COST_BEFORE,
    h.COST_AFTER,
    h.UNIT_COST_BEFORE,
    h.UNIT_COST_AFTER,
    h.UNITS_PRODUCED_12M,
    h.SALES_BEFORE,
    h.SALES_AFTER,
    h.INCOME_BEFORE,
    h.INCOME_AFTER,
    h.UNITS_SOLD_AFTER,
    h.CARBON_BEFORE,
    h.CARBON_AFTER,
    *h.SATISFACTION_ITEMS,
)
"""Every numeric input of the KPIs, in the order `evaluate_row` unpacks them."""


def _number(raw: object) -> Decimal | None:
    """
    Read one numeric input, treating blank, unparseable and negative values as missing.
    """
    value = parse_number(raw)
    if value is None or not value.is_finite() or value < 0:
        return None
    return value


def _inputs(cells: Cells) -> list[Decimal | None]:
    """
    Read every numeric input of a row once, through a cache of text and whole-number values.
    """
    numbers: list[Decimal | None] = []
    append = numbers.append
    for raw in map(cells.get, _INPUT_HEADERS):
        if raw is None:
            append(None)
            continue
        memo = _NUMBERS.get(raw.__class__)  # exact type: True and 1.0 must not hit 1
        if memo is None:
            append(_number(raw))
            continue
        value = memo.get(raw, _MISSING)
        if value is _MISSING:
            if len(memo) >= _NUMBER_MEMO_LIMIT:
                memo.clear()
            value = memo[raw] = _number(raw)
        append(value)
    return numbers


_SCORES: dict[int, Decimal] = {score: Decimal(score) for score in range(1, 6)}
"""The satisfaction scores `check_row` can return, as the Decimals the formula adds up."""


def _parsed_inputs(parsed: Mapping[str, object]) -> list[Decimal | None]:
    """
    Take every numeric input from what `rules.check_row` already parsed, instead of again.

    Its values hold a Decimal ≥ 0 for an amount and an int 1–5 for a score, and nothing for a
    cell that is blank, not a number, negative or out of range: what `_inputs` makes of the
    same raw cells (a test proves both agree on a corpus and on arbitrary cells).
    """
    numbers: list[Decimal | None] = []
    append = numbers.append
    for value in map(parsed.get, _INPUT_HEADERS):
        if value is None or value.__class__ is Decimal:
            append(value)
        elif value.__class__ is int:
            append(_SCORES.get(value) or Decimal(value))
        else:
            append(None)
    return numbers


def _zero_finding(change: Change) -> Finding | None:
    """
    Turn a formula's zero input into a warning on the column that holds it.
    """
    if change.zero_input is None:
        return None
    column = _ZERO_INPUT_COLUMNS[change.zero_input]
    if change.zero_input == "produced_after":
        return Finding(
            ZERO_PRODUCED_AFTER_CODE, Severity.WARNING, column, ZERO_PRODUCED_AFTER_MESSAGE
        )
    return Finding(ZERO_BASE_CODE, Severity.WARNING, column, ZERO_BASE_MESSAGE)


def evaluate_row(cells: Cells, *, parsed: Mapping[str, object] | None = None) -> KpiResult:
    """
    Compute every KPI of one row (operating manual, การคำนวณผลลัพธ์ตัวชี้วัด, formulas 1–7).

    `parsed` is the `values` of `rules.check_row` for the same cells (default template), when
    the caller has it: the numbers are then taken from there rather than parsed a second time,
    with the same results.

    Columns filled, by worker-block header (domain spec §3.2 and §4):

    - ของเสียลดลง (ร้อยละ) = (waste rate before − waste rate after) ÷ waste rate before × 100,
      where waste rate = waste ÷ total produced × 100 (formula 1).
    - ของเสียลดลง (บาท/ปี) = (waste value before − waste value after) × 12 (formula 1).
    - ต้นทุนลดลง (ร้อยละ) = (cost before − cost after) ÷ cost before × 100 (formula 2); when the
      selling price is unchanged and both monthly costs are blank, formula 5.2 instead:
      (unit cost before − unit cost after) ÷ unit cost before × 100 (domain spec §4, "Choice").
    - ต้นทุนลดลง (บาท/ปี) = (cost before − cost after) × 12 (formula 2), or under 5.2 (unit cost
      before − unit cost after) × units produced in 12 months.
    - ยอดขายเพิ่มขึ้น (ร้อยละ) = (sales after − sales before) ÷ sales before × 100 (formula 3).
    - ยอดขายเพิ่มขึ้น (บาท/ปี) = (sales after − sales before) × 12 (formula 3).
    - รายได้เพิ่มขึ้น (ร้อยละ) = (income after − income before) ÷ income before × 100 (formula 4).
    - รายได้เพิ่มขึ้น (บาท/ปี) = (income after − income before) × 12 (formula 4).
    - มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ) = (price after − price before) ÷ price before × 100, only
      when the price changed (formula 5.1); blank when it did not (5.2).
    - มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี) = (price after − price before) × units sold per month
      after × 12 (formula 5.1).
    - คาร์บอนฟุตพริ้นท์ลดลง (ร้อยละ) = (footprint before − after) ÷ footprint before × 100
      (formula 7).
    - ความพึงพอใจ (ร้อยละ) = sum of the nine item scores ÷ 45 × 100, only when all nine are whole
      scores from 1 to 5 (formula 6).
    - มูลค่าทางเศรษฐกิจ (บาท/ปี) = sum of the yearly baht of waste, cost (2 or 5.2), sales and
      product value; income is left out so sales are not counted twice; blank when none is
      computable (domain spec §3.2, "Choice").
    - ผลิตภาพเพิ่มขึ้น ≥10% = `ใช่` when waste reduction, cost reduction or sales increase, as
      written to 2 places, is ≥ 10; `ไม่ใช่` when at least one is computable and none is;
      blank otherwise (manual §7 and Milestone level 3).

    An input that is blank, unparseable or negative counts as missing, and a KPI whose inputs
    are missing is blank, never 0. A zero base leaves the percentage blank and adds a
    `kpi_zero_base` warning on the base column (`kpi_zero_produced_after` when nothing was
    produced after); the baht value, which needs no division, is still filled. Negative
    results are kept. Numbers are rounded half-up to 2 places here, and only here.
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
    ) = _inputs(cells) if parsed is None else _parsed_inputs(parsed)
    waste = formulas.waste_reduction(
        waste_before=waste_before,
        produced_before=produced_before,
        waste_after=waste_after,
        produced_after=produced_after,
        value_before=waste_value_before,
        value_after=waste_value_after,
    )
    cost = formulas.cost_reduction_columns(
        cost_before=cost_before,
        cost_after=cost_after,
        price_before=price_before,
        price_after=price_after,
        unit_cost_before=unit_cost_before,
        unit_cost_after=unit_cost_after,
        units_produced_12m=units_produced_12m,
    )
    sales = formulas.sales_increase(sales_before, sales_after)
    income = formulas.income_increase(income_before, income_after)
    product = formulas.product_value_increase(price_before, price_after, units_sold_after)
    carbon = formulas.carbon_reduction(carbon_before, carbon_after)
    satisfaction = formulas.satisfaction_percent(scores)
    economic = formulas.economic_value(
        waste.baht_per_year, cost.baht_per_year, sales.baht_per_year, product.baht_per_year
    )
    improved = formulas.productivity_improved(waste.percent, cost.percent, sales.percent)

    values: dict[str, KpiValue] = {
        h.WASTE_REDUCTION_PCT: round_half_up(waste.percent),
        h.WASTE_REDUCTION_BAHT: round_half_up(waste.baht_per_year),
        h.COST_REDUCTION_PCT: round_half_up(cost.percent),
        h.COST_REDUCTION_BAHT: round_half_up(cost.baht_per_year),
        h.SALES_INCREASE_PCT: round_half_up(sales.percent),
        h.SALES_INCREASE_BAHT: round_half_up(sales.baht_per_year),
        h.INCOME_INCREASE_PCT: round_half_up(income.percent),
        h.INCOME_INCREASE_BAHT: round_half_up(income.baht_per_year),
        h.PRODUCT_VALUE_PCT: round_half_up(product.percent),
        h.PRODUCT_VALUE_BAHT: round_half_up(product.baht_per_year),
        h.CARBON_REDUCTION_PCT: round_half_up(carbon.percent),
        h.SATISFACTION_PCT: round_half_up(satisfaction),
        h.ECONOMIC_VALUE: round_half_up(economic),
        h.PRODUCTIVITY_FLAG: None if improved is None else h.YES if improved else h.NO,
    }
    findings = tuple(
        finding
        for change in (waste, cost, sales, income, product, carbon)
        if (finding := _zero_finding(change)) is not None
    )
    return KpiResult(values=values, findings=findings)


def compute_row(cells: Cells) -> dict[str, KpiValue]:
    """
    Return the KPI cells of one row keyed by `rules.headers.KPI_HEADERS` (see `evaluate_row`).
    """
    return evaluate_row(cells).values
