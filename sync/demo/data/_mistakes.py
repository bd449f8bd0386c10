"""
The realistic mistakes a demo row can carry, one per altered row, each recorded by kind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rules import headers as h
from sync.demo.data import _forms as f
from sync.demo.data import _geo as geo
from sync.demo.data import _vocab as v
from sync.demo.data._rows import FIGURE_HEADERS, PAIRS, Record, RowMeta

PIN_CHECK_DIGIT = "pin_check_digit"
PIN_LOST_LEADING_ZERO = "pin_lost_leading_zero"
POSTCODE_NEIGHBOUR_DISTRICT = "postcode_neighbour_district"
CE_YEAR_VALID = "ce_year_valid"
THAI_DIGITS_VALID = "thai_digits_valid"
TEXT_IN_NUMBER = "text_in_number"
MISSING_PAIR_HALF = "missing_pair_half"
WASTE_OVER_PRODUCTION = "waste_over_production"
END_BEFORE_START = "end_before_start"
INVALID_PHONE = "invalid_phone"
INVALID_EMAIL = "invalid_email"
DROPDOWN_NOT_IN_LIST = "dropdown_not_in_list"
SATISFACTION_OUT_OF_RANGE = "satisfaction_out_of_range"
BLANK_NAME = "blank_name"
NAME_NO_SPACE = "name_no_space"
MOO_OUT_OF_RANGE = "moo_out_of_range"
DUPLICATE = "duplicate"
WARNING_KINDS = frozenset({NAME_NO_SPACE, MOO_OUT_OF_RANGE})
"""Kinds the rules flag as warnings only: the row stays counted, with a note to check."""

Injector = Callable[[Record, RowMeta, f.Draw], bool]
"""Alters a record in place and says whether the mistake could be made in that row."""


def _pin_check_digit(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    wrong = meta.pin[:12] + str((int(meta.pin[12]) + 1 + int(draw() * 9)) % 10)
    cell = record[h.NATIONAL_ID]
    if isinstance(cell, int):
        record[h.NATIONAL_ID] = int(wrong)
    elif isinstance(cell, str) and "-" in cell:
        record[h.NATIONAL_ID] = f.dashed_pin(wrong)
    else:
        record[h.NATIONAL_ID] = wrong
    return True


def _pin_lost_leading_zero(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    # A 0-prefixed PIN typed into a plain cell: Sheets stores a 12-digit number.
    record[h.NATIONAL_ID] = int(f.zero_pin(draw))
    return True


def _postcode_neighbour_district(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    postcode = geo.neighbour_postcode(meta.district_code)
    if postcode is None:
        return False
    record[h.POSTCODE] = int(postcode)
    return True


def _ce_year(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    x = draw()
    if x < 0.4:
        record[h.START_DATE] = f.ce_date(meta.start)
    elif x < 0.6:
        record[h.END_DATE] = f.ce_date(meta.end)
    else:
        birth = meta.birth
        record[h.BIRTH_DATE] = f"{birth.day}/{birth.month}/{birth.year}"
    return True


def _thai_digits(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    x = draw()
    figures = [c for c in FIGURE_HEADERS if record.get(c, "") != ""]
    if x < 0.4:
        cell = record[h.MOBILE]
        text = (
            f"{meta.mobile[:3]}-{meta.mobile[3:6]}-{meta.mobile[6:]}"
            if isinstance(cell, int)
            else str(cell)
        )
        record[h.MOBILE] = f.thai_digits(text)
    elif x < 0.6:
        record[h.BIRTH_DATE] = f.thai_digits(str(record[h.BIRTH_DATE]))
    elif x < 0.8 or not figures:
        record[h.START_DATE] = f.thai_digits(str(record[h.START_DATE]))
    else:
        column = f.pick(draw, figures)
        record[column] = f.thai_digits(f.figure_text(record[column]))
    return True


def _text_in_number(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    figures = [c for c in FIGURE_HEADERS if record.get(c, "") != ""]
    if not figures:
        return False
    record[f.pick(draw, figures)] = f.pick(draw, v.NOT_A_NUMBER)
    return True


def _missing_pair_half(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    pairs = [p for p in PAIRS if record.get(p[0], "") != "" and record.get(p[1], "") != ""]
    if not pairs:
        return False
    record[f.pick(draw, pairs)[int(draw() * 2)]] = ""
    return True


def _waste_over_production(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    # The usual slip: the two counts typed into each other's columns.
    if record.get(h.WASTE_BEFORE, "") == "":
        return False
    waste, produced = (
        (h.WASTE_BEFORE, h.PRODUCED_BEFORE) if draw() < 0.5 else (h.WASTE_AFTER, h.PRODUCED_AFTER)
    )
    record[waste], record[produced] = record[produced], record[waste]
    return True


def _end_before_start(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    record[h.END_DATE] = f.be_date(meta.start - timedelta(days=1 + int(draw() * 20)))
    return True


def _invalid_phone(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    digits = meta.mobile[:-1] if draw() < 0.5 else meta.mobile + str(int(draw() * 10))
    record[h.MOBILE] = digits if draw() < 0.5 else f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return True


def _invalid_email(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    domain = f.pick(draw, v.EMAIL_DOMAINS)
    local = meta.email_local
    x = draw()
    if x < 0.3:
        record[h.EMAIL] = f"{local}{domain}"
    elif x < 0.6:
        record[h.EMAIL] = f"{local}@{domain.split('.')[0]}"
    elif x < 0.8:
        record[h.EMAIL] = f"{local}@@{domain}"
    else:
        record[h.EMAIL] = f"{local}@{domain.replace('.', ',')}"
    return True


def _dropdown_not_in_list(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    column = f.pick(draw, tuple(v.WRONG_DROPDOWN_VALUES))
    record[column] = f.pick(draw, v.WRONG_DROPDOWN_VALUES[column])
    return True


def _satisfaction_six(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    for item in h.SATISFACTION_ITEMS:
        if record.get(item, "") == "":
            record[item] = 3 + int(draw() * 3)
    record[f.pick(draw, h.SATISFACTION_ITEMS)] = 6
    return True


def _blank_name(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    record[h.FULL_NAME] = ""
    return True


def _name_no_space(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    # Given and family name typed together, as happens on phones.
    name = str(record.get(h.FULL_NAME) or "")
    if " " not in name:
        return False
    record[h.FULL_NAME] = name.replace(" ", "")
    return True


def _moo_out_of_range(record: Record, meta: RowMeta, draw: f.Draw) -> bool:
    # A house number typed into the village-number column.
    record[h.MOO] = 100 + int(draw() * 400)
    return True


INJECTORS: dict[str, Injector] = {
    PIN_CHECK_DIGIT: _pin_check_digit,
    PIN_LOST_LEADING_ZERO: _pin_lost_leading_zero,
    POSTCODE_NEIGHBOUR_DISTRICT: _postcode_neighbour_district,
    CE_YEAR_VALID: _ce_year,
    THAI_DIGITS_VALID: _thai_digits,
    TEXT_IN_NUMBER: _text_in_number,
    MISSING_PAIR_HALF: _missing_pair_half,
    WASTE_OVER_PRODUCTION: _waste_over_production,
    END_BEFORE_START: _end_before_start,
    INVALID_PHONE: _invalid_phone,
    INVALID_EMAIL: _invalid_email,
    DROPDOWN_NOT_IN_LIST: _dropdown_not_in_list,
    SATISFACTION_OUT_OF_RANGE: _satisfaction_six,
    BLANK_NAME: _blank_name,
    NAME_NO_SPACE: _name_no_space,
    MOO_OUT_OF_RANGE: _moo_out_of_range,
}
"""Every mistake kind and how it is made, in the order kinds are drawn."""

_KINDS = tuple(INJECTORS)


def inject_one(record: Record, meta: RowMeta, draw: f.Draw) -> str:
    """
    Makes one mistake of a randomly drawn kind, moving on to the next kind when the row
    lacks what the drawn one needs (no figures to garble, no other district nearby).
    """
    first = int(draw() * len(_KINDS))
    for step in range(len(_KINDS)):
        kind = _KINDS[(first + step) % len(_KINDS)]
        if INJECTORS[kind](record, meta, draw):
            return kind
    raise AssertionError("blank_name applies to every row")  # pragma: no cover
