"""
Result rules (domain spec §3.0 and §4): a percentage the manual's formulas cannot take because
its base is zero, and a result the regional staff typed that disagrees with the one the raw
figures give.

Both need the formulas themselves, so they are taken from `kpi` (`kpi.formulas` is pure
arithmetic; `kpi.row` reads only this package's leaf modules, never `rules.row`): the verdict
`check_row` gives is then the one the worker writes, with no formula written twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kpi.formulas import Change, RowChanges, round_half_up, row_changes
from kpi.row import raw_figures
from rules import headers as h
from rules.findings import Finding, warning

ZERO_BASE_CODE = "kpi_zero_base"
"""Finding code of a percentage left blank because its base (the "before" value) is 0."""

ZERO_BASE_MESSAGE = "ค่าก่อนเป็นศูนย์ คำนวณร้อยละไม่ได้"
"""Message of `kpi_zero_base`, worded as in domain spec §4."""

ZERO_PRODUCED_AFTER_CODE = "kpi_zero_produced_after"
"""Finding code of a waste reduction left blank because nothing was produced after."""

ZERO_PRODUCED_AFTER_MESSAGE = "ผลิตทั้งหมดหลังเป็นศูนย์ คำนวณอัตราของเสียหลังไม่ได้"
"""Message of `kpi_zero_produced_after`: the waste rate after has no denominator."""

DISAGREES_CODE = "result_disagrees"
"""Finding code of a typed result more than `TOLERANCE` points from the computed one."""

TOLERANCE = Decimal("0.5")
"""How far (in percentage points) a typed result may be from the computed one (§3.0)."""

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
"""The formulas' name of a zero input -> the column that holds it."""


def _zero_finding(change: Change) -> Finding | None:
    """
    Turn a formula's zero input into a warning on the column that holds it.
    """
    if change.zero_input is None:
        return None
    column = _ZERO_INPUT_COLUMNS[change.zero_input]
    if change.zero_input == "produced_after":
        return warning(ZERO_PRODUCED_AFTER_CODE, column, ZERO_PRODUCED_AFTER_MESSAGE)
    return warning(ZERO_BASE_CODE, column, ZERO_BASE_MESSAGE)


_RESULT_COLUMNS = (
    h.RESULT_WASTE_PCT,
    h.RESULT_COST_PCT,
    h.RESULT_SALES_PCT,
    h.RESULT_INCOME_PCT,
    h.RESULT_PRODUCT_VALUE_PCT,
    h.RESULT_SATISFACTION_PCT,
)
"""The typed result columns, in the order `_pairs` gives their computed percentages."""

_TYPED_COLUMNS = frozenset(_RESULT_COLUMNS)
"""The same, for telling at once that a row has none of them."""


def _pairs(changes: RowChanges) -> tuple[tuple[str, Decimal | None], ...]:
    """
    Each typed result column with the percentage the formulas give for it.
    """
    computed = (
        changes.waste.percent,
        changes.cost.percent,
        changes.sales.percent,
        changes.income.percent,
        changes.product.percent,
        changes.satisfaction,
    )
    return tuple(zip(_RESULT_COLUMNS, computed, strict=True))


def _number_text(value: Decimal) -> str:
    """
    Write a figure as a person reads it in a message (2 decimals, no exponent).
    """
    return f"{round_half_up(value):f}"


def changes_of(given: Mapping[str, object], values: Mapping[str, object]) -> RowChanges | None:
    """
    The formulas' results for a row's raw figures, None for a row without any (the form
    without raw figures): computed once, for these checks and for the KPI cells.
    """
    if given.keys().isdisjoint(h.KPI_INPUT_HEADERS):
        return None
    return row_changes(raw_figures(values))


def check_results(changes: RowChanges | None, values: Mapping[str, object]) -> list[Finding]:
    """
    Warn where a formula's base is zero, and where a typed result is more than half a point
    from the one its raw figures give (naming both values). Nothing to do without raw figures.
    """
    if changes is None:
        return []
    findings = [
        found
        for change in (
            changes.waste,
            changes.cost,
            changes.sales,
            changes.income,
            changes.product,
            changes.carbon,
        )
        if change.zero_input is not None and (found := _zero_finding(change)) is not None
    ]
    if values.keys().isdisjoint(_TYPED_COLUMNS):  # no typed result to compare
        return findings
    for column, computed in _pairs(changes):
        typed = values.get(column)
        if computed is None or not isinstance(typed, Decimal):
            continue
        # Against the exact result (§4: round only when writing): 10 typed where the figures
        # give 10.504 is more than half a point off, though 10.504 is written as 10.50.
        if abs(typed - computed) > TOLERANCE:
            source = (
                "คะแนนความพึงพอใจ 9 ข้อ" if column == h.RESULT_SATISFACTION_PCT else "ตัวเลขก่อน/หลัง"
            )
            message = (
                f"กรอกไว้ {_number_text(typed)} แต่คำนวณจาก{source}ได้ "
                f"{_number_text(computed)} (ต่างกันเกิน {TOLERANCE} จุด)"
            )
            findings.append(warning(DISAGREES_CODE, column, message))
    return findings
