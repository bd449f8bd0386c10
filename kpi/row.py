"""
The KPI cells of one regional-tab row, computed from its raw input cells.

The row's inputs are read with the rules package's number parser; an input that is blank,
unparseable or negative counts as missing here (the rules package reports it), so a KPI is
blank rather than wrong. Results are rounded half-up to 2 decimals only at this boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import msgspec

from kpi import formulas
from kpi.formulas import round_half_up
from kpi.types import KPI_PLACES, Cells, KpiCells, KpiValue
from rules import headers as h
from rules.checks.cells import CELL_CHECKS
from rules.parse import parse_number
from rules.template import TEMPLATE


class KpiResult(msgspec.Struct, frozen=True):
    """
    The KPI cells of one row, and the row's figures for the summary (a frozen Struct, one a
    row).

    Both are keyed by exactly `rules.headers.KPI_HEADERS`; numbers are Decimals rounded half-up
    to 2 places, the productivity flag is `ใช่`, `ไม่ใช่` or None, and None is a blank.
    `values` holds only what the manual's formulas computed from the raw figures (what the
    worker writes); `figures` takes the result the regional staff typed (Part 2, the group
    section) wherever the formulas had nothing to compute from (domain spec §3.0).
    """

    values: Mapping[str, KpiValue]
    figures: Mapping[str, KpiValue]


_NUMBER_MEMO_LIMIT = 100_000
"""Parsed inputs kept per value type before the cache starts afresh (bounds memory)."""

_NUMBERS: dict[type, dict[object, Decimal | None]] = {str: {}, int: {}}
"""Parsed inputs by exact type, then raw value: the same amounts recur down a sheet."""

_MISSING = Decimal("NaN")
"""Marks a value not in the cache (never stored: a cached input is finite or None)."""

_INPUT_HEADERS: tuple[str, ...] = h.KPI_INPUT_HEADERS
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


def raw_figures(values: Mapping[str, object]) -> list[Decimal | None]:
    """
    Return the row's raw figures in `KPI_INPUT_HEADERS` order from what `rules.check_row`
    parsed: a Decimal ≥ 0 for an amount, an int 1–5 for a score, nothing for a cell that is
    blank, not a number, negative or out of range — what `_inputs` makes of the same raw cells
    (a test proves both agree on a corpus and on arbitrary cells).
    """
    numbers: list[Decimal | None] = []
    append = numbers.append
    for value in map(values.get, _INPUT_HEADERS):
        if value is None or value.__class__ is Decimal:
            append(value)
        elif value.__class__ is int:
            append(_SCORES.get(value) or Decimal(value))
        else:
            append(None)
    return numbers


def evaluate_row(
    cells: Cells,
    *,
    parsed: Mapping[str, object] | None = None,
    changes: formulas.RowChanges | None = None,
    shared: dict[str, Decimal] | None = None,
) -> KpiResult:
    """
    Compute every KPI of one row (operating manual, การคำนวณผลลัพธ์ตัวชี้วัด, formulas 1–7).

    `parsed` is the `values` of `rules.check_row` for the same cells (default template), when
    the caller has it: the numbers are then taken from there rather than parsed a second time,
    with the same results; `changes` is its `changes` (the formulas already applied, for a row
    with raw figures).

    Columns filled, by worker-block header (each ends in the mark `(คำนวณโดยระบบ)`, so it is
    never a people's column; domain spec §3.2 and §4):

    - ของเสียลดลง (ร้อยละ) (คำนวณโดยระบบ):
      (waste rate before − waste rate after) ÷ waste rate before × 100,
      where waste rate = waste ÷ total produced × 100 (formula 1).
    - ของเสียลดลง (บาท/ปี) (คำนวณโดยระบบ):
      (waste value before − waste value after) × 12 (formula 1).
    - ต้นทุนลดลง (ร้อยละ) (คำนวณโดยระบบ):
      (cost before − cost after) ÷ cost before × 100 (formula 2); when the
      selling price is unchanged and both monthly costs are blank, formula 5.2 instead:
      (unit cost before − unit cost after) ÷ unit cost before × 100 (domain spec §4, "Choice").
    - ต้นทุนลดลง (บาท/ปี) (คำนวณโดยระบบ):
      (cost before − cost after) × 12 (formula 2), or under 5.2 (unit cost
      before − unit cost after) × units produced in 12 months.
    - ยอดขายเพิ่มขึ้น (ร้อยละ) (คำนวณโดยระบบ):
      (sales after − sales before) ÷ sales before × 100 (formula 3).
    - ยอดขายเพิ่มขึ้น (บาท/ปี) (คำนวณโดยระบบ):
      (sales after − sales before) × 12 (formula 3).
    - รายได้เพิ่มขึ้น (ร้อยละ) (คำนวณโดยระบบ):
      (income after − income before) ÷ income before × 100 (formula 4).
    - รายได้เพิ่มขึ้น (บาท/ปี) (คำนวณโดยระบบ):
      (income after − income before) × 12 (formula 4).
    - มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ) (คำนวณโดยระบบ):
      (price after − price before) ÷ price before × 100, only
      when the price changed (formula 5.1); blank when it did not (5.2).
    - มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี) (คำนวณโดยระบบ):
      (price after − price before) × units sold per month
      after × 12 (formula 5.1).
    - คาร์บอนฟุตพริ้นท์ลดลง (ร้อยละ) (คำนวณโดยระบบ):
      (footprint before − after) ÷ footprint before × 100
      (formula 7).
    - ความพึงพอใจ (ร้อยละ) (คำนวณโดยระบบ):
      sum of the nine item scores ÷ 45 × 100, only when all nine are whole
      scores from 1 to 5 (formula 6).
    - มูลค่าทางเศรษฐกิจ (บาท/ปี) (คำนวณโดยระบบ):
      sum of the yearly baht of waste, cost (2 or 5.2), sales and
      product value; income is left out so sales are not counted twice; blank when none is
      computable (domain spec §3.2, "Choice").
    - ผลิตภาพเพิ่มขึ้น ≥10% (คำนวณโดยระบบ):
      `ใช่` when waste reduction, cost reduction or sales increase, as
      written to 2 places, is ≥ 10; `ไม่ใช่` when at least one is computable and none is;
      blank otherwise (manual §7 and Milestone level 3).

    An input that is blank, unparseable or negative counts as missing, and a KPI whose inputs
    are missing is blank, never 0. A zero base leaves the percentage blank (`rules.check_row`
    warns about it on the base column); the baht value, which needs no division, is still
    filled. Negative results are kept. Numbers are rounded half-up to 2 places here, and only
    here.

    `shared`, when given, holds the results of the rows evaluated before with it, each equal
    result as one object: a caller keeping many rows' cells passes the same dict for them all
    (a first run of 14,000 rows keeps ~123,000 results, ~25,000 of them distinct). It is keyed
    by a result's text, which for results rounded to cents tells equal ones alike: a new
    Decimal's hash costs ~0.8 µs, its text ~0.1 (~0.08 s of a first run).
    """
    if changes is None:
        numbers = _inputs(cells) if parsed is None else raw_figures(parsed)
        changes = formulas.row_changes(numbers)
    waste, cost, sales = changes.waste, changes.cost, changes.sales
    improved = changes.improved
    rounded: tuple[Decimal | None, ...] = (  # in `KPI_HEADERS` order, the flag last
        round_half_up(waste.percent),
        round_half_up(waste.baht_per_year),
        round_half_up(cost.percent),
        round_half_up(cost.baht_per_year),
        round_half_up(sales.percent),
        round_half_up(sales.baht_per_year),
        round_half_up(changes.income.percent),
        round_half_up(changes.income.baht_per_year),
        round_half_up(changes.product.percent),
        round_half_up(changes.product.baht_per_year),
        round_half_up(changes.carbon.percent),
        round_half_up(changes.satisfaction),
        round_half_up(changes.economic),
    )
    if shared is not None:
        # One object per distinct result across the rows (a blank or a zero as it is: -0.00
        # equals 0.00 but is written with its sign): the same few percentages recur.
        rounded = tuple([x if not x else shared.setdefault(str(x), x) for x in rounded])
    values = KpiCells((*rounded, None if improved is None else h.YES if improved else h.NO))
    return KpiResult(values, _figures(values, cells, parsed))  # (values, figures): no keywords


_TYPED_FIGURES: tuple[tuple[str, str], ...] = (
    (h.WASTE_REDUCTION_PCT, h.RESULT_WASTE_PCT),
    (h.WASTE_REDUCTION_BAHT, h.RESULT_WASTE_BAHT),
    (h.COST_REDUCTION_PCT, h.RESULT_COST_PCT),
    (h.COST_REDUCTION_BAHT, h.RESULT_COST_BAHT),
    (h.SALES_INCREASE_PCT, h.RESULT_SALES_PCT),
    (h.INCOME_INCREASE_PCT, h.RESULT_INCOME_PCT),
    (h.PRODUCT_VALUE_PCT, h.RESULT_PRODUCT_VALUE_PCT),
    (h.SATISFACTION_PCT, h.RESULT_SATISFACTION_PCT),
    (h.ECONOMIC_VALUE, h.RESULT_ECONOMIC_VALUE),
)
"""(computed KPI, typed result that stands in for it when the formula has no inputs)."""
_TYPED_HEADERS = frozenset(typed for _, typed in _TYPED_FIGURES)


def _typed(header: str, cells: Cells, parsed: Mapping[str, object] | None) -> Decimal | None:
    """
    Return a typed result as the rules read it: a Decimal, or None when blank or invalid.
    """
    if parsed is not None:
        value = parsed.get(header)
        return value if isinstance(value, Decimal) else None
    raw = cells.get(header)
    if raw is None:
        return None
    value, _ = CELL_CHECKS[TEMPLATE.column(header).kind](header, raw)
    return value if isinstance(value, Decimal) else None


def _figures(values: KpiCells, cells: Cells, parsed: Mapping[str, object] | None) -> KpiCells:
    """
    Return the row's figures for the summary: each computed KPI, else the typed result (the
    very `values` when no typed result stands in for a blank one).
    """
    if parsed is not None and parsed.keys().isdisjoint(_TYPED_HEADERS):
        return values  # no typed result parsed: nothing stands in for a blank KPI
    figures = list(values.cells)
    typed_any = False
    for computed, typed_header in _TYPED_FIGURES:
        place = KPI_PLACES[computed]
        if figures[place] is None:
            typed = _typed(typed_header, cells, parsed)
            if typed is not None:
                figures[place] = round_half_up(typed)
                typed_any = True
    if not typed_any:
        return values
    percents = [
        figures[KPI_PLACES[x]]
        for x in (h.WASTE_REDUCTION_PCT, h.COST_REDUCTION_PCT, h.SALES_INCREASE_PCT)
    ]
    improved = formulas.productivity_improved(
        *(x if isinstance(x, Decimal) else None for x in percents)
    )
    flag = None if improved is None else h.YES if improved else h.NO
    figures[KPI_PLACES[h.PRODUCTIVITY_FLAG]] = flag
    return KpiCells(tuple(figures))


def compute_row(cells: Cells) -> dict[str, KpiValue]:
    """
    Return the KPI cells of one row keyed by `rules.headers.KPI_HEADERS` (see `evaluate_row`).
    """
    return dict(evaluate_row(cells).values)
