"""
Number rules (domain spec §3.1): amounts ≥ 0, before/after pairs, waste ≤ production, the
nine satisfaction scores, percentages, and `หมู่`.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from decimal import Decimal

from rules import headers as h
from rules.findings import Finding, error, warning
from rules.parse import Invalid, parse_integer_cell, parse_number_cell

NOT_A_NUMBER = "ไม่ใช่ตัวเลข"
NUMBER_NEGATIVE = "ต้องไม่ติดลบ"
SCORE_OUT_OF_RANGE = "ต้องเป็นคะแนน 1–5"
PERCENT_OUT_OF_RANGE = "ต้องอยู่ระหว่าง 0–100"
REDUCTION_OVER_100 = "ลดลงได้ไม่เกินร้อยละ 100"
INCREASE_BELOW_MINUS_100 = "ลดลงได้ไม่เกินร้อยละ 100 (ค่าต่ำสุด -100)"
MOO_INVALID = "ควรเป็นเลขหมู่ที่ 1–99"
AGE_INVALID = "อายุควรเป็นจำนวนเต็ม"
WASTE_EXCEEDS_PRODUCTION = "ของเสียมากกว่าปริมาณผลิตทั้งหมด"
SATISFACTION_INCOMPLETE = "กรอกความพึงพอใจไม่ครบทั้ง 9 ข้อ"

BEFORE_AFTER_PAIRS: tuple[tuple[str, str], ...] = (
    (h.WASTE_BEFORE, h.WASTE_AFTER),
    (h.PRODUCED_BEFORE, h.PRODUCED_AFTER),
    (h.WASTE_VALUE_BEFORE, h.WASTE_VALUE_AFTER),
    (h.COST_BEFORE, h.COST_AFTER),
    (h.SALES_BEFORE, h.SALES_AFTER),
    (h.INCOME_BEFORE, h.INCOME_AFTER),
    (h.PRICE_BEFORE, h.PRICE_AFTER),
    (h.UNIT_COST_BEFORE, h.UNIT_COST_AFTER),
    (h.CARBON_BEFORE, h.CARBON_AFTER),
)
"""Columns that must be given together (domain spec §3.1, "one of a before/after pair")."""

WASTE_PRODUCTION_PAIRS: tuple[tuple[str, str], ...] = (
    (h.WASTE_BEFORE, h.PRODUCED_BEFORE),
    (h.WASTE_AFTER, h.PRODUCED_AFTER),
)
"""(waste, total produced) columns of the same period."""

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def check_amount(header: str, raw: object) -> tuple[Decimal | None, tuple[Finding, ...]]:
    """
    Check a quantity or baht amount: a number, not negative.
    """
    value = parse_number_cell(raw)
    if isinstance(value, Invalid):
        return None, (error("not_a_number", header, NOT_A_NUMBER),)
    if value is not None and value < _ZERO:
        return None, (error("number_negative", header, NUMBER_NEGATIVE),)
    return value, ()


def check_score(header: str, raw: object) -> tuple[int | None, tuple[Finding, ...]]:
    """
    Check one satisfaction score: a whole number 1–5.
    """
    value = parse_integer_cell(raw)
    if isinstance(value, Invalid):
        code = "not_a_number" if value.code == "not_a_number" else "score_out_of_range"
        message = NOT_A_NUMBER if code == "not_a_number" else SCORE_OUT_OF_RANGE
        return None, (error(code, header, message),)
    if value is not None and not 1 <= value <= 5:
        return None, (error("score_out_of_range", header, SCORE_OUT_OF_RANGE),)
    return value, ()


def check_percent(header: str, raw: object) -> tuple[Decimal | None, tuple[Finding, ...]]:
    """
    Check a percentage: a number 0–100 (a trailing `%` is allowed).
    """
    value = parse_number_cell(raw)
    if isinstance(value, Invalid):
        return None, (error("not_a_number", header, NOT_A_NUMBER),)
    if value is not None and not _ZERO <= value <= _HUNDRED:
        return None, (error("percent_out_of_range", header, PERCENT_OUT_OF_RANGE),)
    return value, ()


def check_baht_change(header: str, raw: object) -> tuple[Decimal | None, tuple[Finding, ...]]:
    """
    Check a typed change in baht: a number, of either sign (a cost that rose is negative).
    """
    value = parse_number_cell(raw)
    if isinstance(value, Invalid):
        return None, (error("not_a_number", header, NOT_A_NUMBER),)
    return value, ()


def check_reduction(header: str, raw: object) -> tuple[Decimal | None, tuple[Finding, ...]]:
    """
    Check a typed reduction in percent (waste, cost): at most 100, negative when it got worse.
    """
    value = parse_number_cell(raw)
    if isinstance(value, Invalid):
        return None, (error("not_a_number", header, NOT_A_NUMBER),)
    if value is not None and value > _HUNDRED:
        return None, (error("reduction_over_100", header, REDUCTION_OVER_100),)
    return value, ()


def check_increase(header: str, raw: object) -> tuple[Decimal | None, tuple[Finding, ...]]:
    """
    Check a typed increase in percent (sales, income, product value): −100 or more.
    """
    value = parse_number_cell(raw)
    if isinstance(value, Invalid):
        return None, (error("not_a_number", header, NOT_A_NUMBER),)
    if value is not None and value < -_HUNDRED:
        return None, (error("increase_below_minus_100", header, INCREASE_BELOW_MINUS_100),)
    return value, ()


def check_moo(header: str, raw: object) -> tuple[int | None, tuple[Finding, ...]]:
    """
    Check `หมู่` (village number): a whole number 1–99, else a warning.
    """
    value = parse_integer_cell(raw)
    if isinstance(value, Invalid) or (value is not None and not 1 <= value <= 99):
        return None, (warning("moo_invalid", header, MOO_INVALID),)
    return value, ()


def check_age(header: str, raw: object) -> tuple[int | None, tuple[Finding, ...]]:
    """
    Check `อายุ`: a whole number of years, else a warning (its range is checked with วันเกิด).
    """
    value = parse_integer_cell(raw)
    if isinstance(value, Invalid) or (value is not None and value < 0):
        return None, (warning("age_invalid", header, AGE_INVALID),)
    return value, ()


def check_pairs(
    given: Container[str],
    values: Mapping[str, object],
    pairs: Sequence[tuple[str, str]] = BEFORE_AFTER_PAIRS,
) -> list[Finding]:
    """
    Report each half of a before/after pair that is blank while the other half is given, and
    waste above total production. `pairs` are those the tab has both columns of: a missing
    column costs the checks that need it (domain spec §3.0).
    """
    findings: list[Finding] = []
    for before, after in pairs:
        has_before = before in given
        if has_before != (after in given):
            missing, other = (after, before) if has_before else (before, after)
            findings.append(error("pair_incomplete", missing, f"ต้องกรอกคู่กับ {other}"))
    for waste_header, produced_header in WASTE_PRODUCTION_PAIRS:
        waste = values.get(waste_header)
        produced = values.get(produced_header)
        if isinstance(waste, Decimal) and isinstance(produced, Decimal) and waste > produced:
            findings.append(
                error("waste_exceeds_production", waste_header, WASTE_EXCEEDS_PRODUCTION)
            )
    return findings


def check_satisfaction(
    given: Sequence[str], items: Sequence[str] = h.SATISFACTION_ITEMS
) -> list[Finding]:
    """
    Report the first missing item when some but not all satisfaction scores are given:
    `items` are the items the tab has (the nine of the manual on a full form).
    """
    if not given or len(given) == len(items):
        return []
    present = set(given)
    missing = [item for item in items if item not in present]
    numbers = ", ".join(item.rsplit(" ", 1)[-1] for item in missing)
    message = f"{SATISFACTION_INCOMPLETE} (ขาดข้อ {numbers})"
    return [error("satisfaction_incomplete", missing[0], message)]
