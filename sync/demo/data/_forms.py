"""
The shapes a value takes in a cell: how people type it and how the Sheets API hands it back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from stdnum.th import pin as th_pin

from sync.demo.data import _vocab as v

Draw = Callable[[], float]
"""A bound `random.Random.random`, passed around so the hot loop avoids attribute look-ups."""

T = TypeVar("T")

BE_OFFSET = 543
"""Buddhist Era year = Christian Era year + 543."""

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# 067 and 069 are not allocated to mobile operators; phonenumbers rejects most of them.
_MOBILE_PREFIXES: tuple[str, ...] = (
    *(f"06{d}" for d in "123456"),
    *(f"08{d}" for d in "0123456789"),
    *(f"09{d}" for d in "0123456789"),
)


def pick(draw: Draw, items: tuple[T, ...] | list[T]) -> T:
    """
    Draws one item with a single random number, cheaper than `Random.choice` in hot loops.
    """
    return items[int(draw() * len(items))]


def be_date(day: date) -> str:
    """
    Writes a date as the `dd/mm/yyyy` Buddhist-Era text the regional staff type.
    """
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def ce_date(day: date) -> str:
    """
    Writes a date with a Christian-Era year, the way someone used to foreign forms types it.
    """
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def birth_text(draw: Draw, day: date) -> str:
    """
    Writes a birth date in one of the forms people use, all with a Buddhist-Era year.
    """
    year = day.year + BE_OFFSET
    x = draw()
    if x < 0.35:
        return f"{day.day}/{day.month}/{year}"
    if x < 0.7:
        return f"{day.day:02d}/{day.month:02d}/{year}"
    if x < 0.9:
        return f"{day.day} {v.MONTHS_SHORT[day.month - 1]} {year}"
    return f"{day.day} {v.MONTHS_LONG[day.month - 1]} {year}"


def thai_digits(text: str) -> str:
    """
    Replaces ASCII digits with Thai ones, as a Thai keyboard layout types them.
    """
    return text.translate(_THAI_DIGITS)


def with_check_digit(first12: str) -> str:
    """
    Completes twelve digits with the mod-11 check digit shared by PINs and juristic numbers.
    """
    return first12 + th_pin.calc_check_digit(first12)


def new_pin(draw: Draw) -> str:
    """
    A valid 13-digit PIN of a Thai national: first digit 1-8 and a correct check digit.
    """
    return with_check_digit(f"{1 + int(draw() * 8)}{int(draw() * 1e11):011d}")


def zero_pin(draw: Draw) -> str:
    """
    A valid 0-prefixed PIN (no civil-registration status) whose second digit is not 0.
    """
    return with_check_digit(f"0{1 + int(draw() * 9)}{int(draw() * 1e10):010d}")


def pin_cell(draw: Draw, pin: str) -> object:
    """
    A PIN as it comes back from the sheet: mostly a number, else text with or without dashes.
    """
    x = draw()
    if x < 0.5 and pin[0] != "0":
        return int(pin)
    if x < 0.75:
        return pin
    if x < 0.95:
        return dashed_pin(pin)
    return f"{pin[0]} {pin[1:5]} {pin[5:10]} {pin[10:12]} {pin[12]}"


def dashed_pin(pin: str) -> str:
    """
    The 1-4-5-2-1 grouping printed on the ID card, the form people copy from it.
    """
    return f"{pin[0]}-{pin[1:5]}-{pin[5:10]}-{pin[10:12]}-{pin[12]}"


def new_mobile(draw: Draw) -> str:
    """
    Ten digits of a Thai mobile number on an allocated 06/08/09 prefix.
    """
    return f"{pick(draw, _MOBILE_PREFIXES)}{int(draw() * 1e7):07d}"


def mobile_cell(draw: Draw, digits: str) -> object:
    """
    A mobile number as typed; a plain-number cell drops the leading 0, as Sheets does.
    """
    x = draw()
    if x < 0.4:
        return digits
    if x < 0.7:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if x < 0.9:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return int(digits)


def fixed_line(draw: Draw, area: str) -> str:
    """
    A fixed-line number spaced the usual way: `02 123 4567` or `053 123 456`.
    """
    if area == "02":
        return f"02 {int(draw() * 900) + 100} {int(draw() * 1e4):04d}"
    return f"{area} {int(draw() * 900) + 100} {int(draw() * 1e3):03d}"


def juristic_number(draw: Draw, province_code: str, company: bool) -> str:
    """
    A 13-digit juristic-person number: 0, registering office, type (5 company, 3 partnership),
    Buddhist-Era year of registration, sequence, check digit.
    """
    office = "10" if province_code == "10" else province_code
    kind = "5" if company else "3"
    year = 540 + int(draw() * 27)
    return with_check_digit(f"0{office}{kind}{year}{int(draw() * 1e5):05d}")


def money(draw: Draw, value: float, unit: str = "บาท") -> object:
    """
    A figure as the API returns it, or now and then as text with separators and a unit.
    """
    x = draw()
    if x < 0.86:
        return value
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    if x < 0.95 or not unit:
        return text
    return f"{text} {unit}"


def figure_text(value: object) -> str:
    """
    The text form of a figure cell, with thousands separators, for variants that need text.
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
