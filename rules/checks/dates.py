"""
Date rules (domain spec §3.1): activity start and end, fiscal year, duration, birth date and age.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rules import headers as h
from rules.findings import Finding, error, warning
from rules.parse import Invalid, parse_date, parse_date_range

DATE_INVALID = "อ่านวันที่ไม่ได้ (ตัวอย่างที่ถูกต้อง 15/3/2567)"
DATE_RANGE_INVALID = "อ่านช่วงวันที่ไม่ได้ (ตัวอย่างที่ถูกต้อง 15/3/2567 - 20/3/2567)"
END_BEFORE_START = "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มกิจกรรม"
ACTIVITY_TOO_LONG = "กิจกรรมยาวเกิน 270 วัน"
BIRTH_DATE_FUTURE = "วันเกิดอยู่ในอนาคต"
AGE_OUT_OF_RANGE = "อายุน้อยกว่า 15 ปีหรือมากกว่า 100 ปี กรุณาตรวจสอบ"

MAX_ACTIVITY_DAYS = 270
"""Longest activity without a warning (seed manual §7, "ภายในระยะเวลา ๒๗๐ วัน")."""
MIN_AGE = 15
MAX_AGE = 100
AGE_TOLERANCE_YEARS = 1


def check_date(header: str, raw: object) -> tuple[date | None, tuple[Finding, ...]]:
    """
    Check a date cell: it must parse (Buddhist or Common Era, text or serial number).
    """
    value = parse_date(raw)
    if isinstance(value, Invalid):
        return None, (error("date_invalid", header, DATE_INVALID),)
    return value, ()


def check_date_range(
    header: str, raw: object
) -> tuple[tuple[date, date] | None, tuple[Finding, ...]]:
    """
    Check the appendix's one-cell activity period: it must parse as a range or a single date.
    """
    value = parse_date_range(raw)
    if isinstance(value, Invalid):
        return None, (error("date_invalid", header, DATE_RANGE_INVALID),)
    return value, ()


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """
    Return the first and last day of Thai fiscal year N (BE): 1 Oct of N-1 to 30 Sep of N.
    """
    return date(fiscal_year - 544, 10, 1), date(fiscal_year - 543, 9, 30)


_bounds = lru_cache(maxsize=64, typed=True)(fiscal_year_bounds)
"""`fiscal_year_bounds`, kept per year: every row of a run asks for the same year's."""


def fiscal_year_of(day: date) -> int:
    """
    Return the Thai fiscal year (BE) a date falls in.
    """
    return day.year + 543 + (1 if day.month >= 10 else 0)


def age_on(birth: date, day: date) -> int:
    """
    Return the age in completed years on a given day.
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_activity_dates(
    start: date | None,
    end: date | None,
    fiscal_year: int,
    *,
    start_column: str = h.START_DATE,
    end_column: str = h.END_DATE,
) -> list[Finding]:
    """
    Check end ≥ start, duration ≤ 270 days (inclusive) and start within the fiscal year; the
    findings name the columns the dates came from (one column when the form has the range).
    """
    findings: list[Finding] = []
    if start is not None:
        first, last = _bounds(fiscal_year)
        if not first <= start <= last:
            message = f"ไม่อยู่ในปีงบประมาณ {fiscal_year} ({_thai_date(first)} – {_thai_date(last)})"
            findings.append(warning("start_outside_fiscal_year", start_column, message))
    if start is not None and end is not None:
        if end < start:
            findings.append(error("end_before_start", end_column, END_BEFORE_START))
        elif (end - start).days + 1 > MAX_ACTIVITY_DAYS:
            findings.append(warning("activity_too_long", end_column, ACTIVITY_TOO_LONG))
    return findings


def check_birth_and_age(
    birth: date | None, age: int | None, start: date | None, as_of: date | None
) -> list[Finding]:
    """
    Check the birth date is not in the future, the age is plausible and agrees with it.

    Age is taken as of the activity start date, else as of `as_of` (the run's today); a birth
    date after `as_of` (or, without it, after the start date) is in the future.
    """
    findings: list[Finding] = []
    reference = start or as_of
    if birth is not None:
        today = as_of or start
        if today is not None and birth > today:
            return [error("birth_date_future", h.BIRTH_DATE, BIRTH_DATE_FUTURE)]
        if reference is not None:
            computed = age_on(birth, reference)
            if not MIN_AGE <= computed <= MAX_AGE:
                findings.append(warning("age_out_of_range", h.BIRTH_DATE, AGE_OUT_OF_RANGE))
            if age is not None and abs(age - computed) > AGE_TOLERANCE_YEARS:
                message = f"อายุไม่ตรงกับวันเกิด (คำนวณได้ {computed} ปี)"
                findings.append(warning("age_mismatch", h.AGE, message))
    elif age is not None and not MIN_AGE <= age <= MAX_AGE:
        findings.append(warning("age_out_of_range", h.AGE, AGE_OUT_OF_RANGE))
    return findings


_THAI_MONTH_ABBREVIATIONS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def _thai_date(day: date) -> str:
    """
    Format a date the way the sheet's readers write it, e.g. `1 ต.ค. 2566`.
    """
    return f"{day.day} {_THAI_MONTH_ABBREVIATIONS[day.month - 1]} {day.year + 543}"
