"""
National ID (Thai PIN) and tax-ID rules (domain spec §3.1).
"""

from __future__ import annotations

import re
from operator import mul
from typing import cast

from stdnum.th import tin

from rules.clean import pre_clean
from rules.findings import Finding, error, warning
from rules.headers import NATIONAL_ID, TAX_ID

PIN_LENGTH = 13

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]")
_DIGIT_RUNS = re.compile(r"\d")

PIN_FORMAT = "ต้องเป็นตัวเลข 13 หลัก"
PIN_CHECKSUM = "เลขตรวจสอบไม่ถูกต้อง"
PIN_SPECIAL_PREFIX = "ขึ้นต้นด้วย 0 หรือ 9 (ออกให้ผู้ที่ไม่มีสถานะทางทะเบียนราษฎร) กรุณาตรวจสอบยืนยัน"
PIN_LEADING_ZERO_LOST = "ถูกบันทึกเป็นตัวเลขจนเลข 0 ด้านหน้าหายไป กรุณากรอกใหม่เป็นข้อความ (ใส่ ' นำหน้า)"
TAX_ID_CHECKSUM = "เลข 13 หลักไม่ถูกต้อง (เลขตรวจสอบผิด)"
TAX_ID_FORMAT = "ไม่ใช่เลข 13 หลักหรือเลขทะเบียนสถานประกอบการที่ถูกต้อง กรุณาตรวจสอบ"
TAX_ID_LEADING_ZERO_LOST = (
    "ถูกบันทึกเป็นตัวเลขจนเลข 0 ด้านหน้าหายไป (ระบบเติม 0 ให้เฉพาะตอนนับสถานประกอบการ ไม่ได้แก้ในช่องนี้)"
    " กรุณากรอกใหม่เป็นข้อความ (ใส่ ' นำหน้า)"
)
"""The cell is never changed (§8): the 0 is put back only in the ID the summary counts by."""


def compact_id(text: str) -> str:
    """
    Remove the separators people type inside an ID (spaces, dashes, dots, a leading apostrophe).
    """
    return _SEPARATORS.sub("", pre_clean(text)).lstrip("'")


def _digits_of_number(raw: int | float) -> str | None:
    """
    Return the digits of an ID the sheet turned into a number, or None for a fractional one.
    """
    if isinstance(raw, float):
        if not raw.is_integer():
            return None
        raw = int(raw)
    return str(raw) if raw >= 0 else None


_WEIGHTS = tuple(range(13, 1, -1))
_ZERO_WEIGHTED = ord("0") * sum(_WEIGHTS)


def is_pin_checksum_valid(digits: str) -> bool:
    """
    Tell whether 13 ASCII digits carry the right mod-11 check digit.

    The formula of `stdnum.th.pin.calc_check_digit`, inlined for speed (a test proves they
    agree): the weighted sum of the first 12 digits with weights 13…2, check = (11 − sum mod 11)
    mod 10.
    """
    head = digits[:12]
    if head.isascii() and head.isdigit():  # each byte is a digit's code: subtract code of 0
        total = sum(map(mul, head.encode(), _WEIGHTS)) - _ZERO_WEIGHTED
    else:
        total = sum(map(mul, map(int, head), _WEIGHTS))
    return str((11 - total % 11) % 10) == digits[12]


def check_national_id_text(
    text: str, header: str = NATIONAL_ID
) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a national ID typed as text; findings name `header`, the column it was typed in.
    """
    plain = len(text) == PIN_LENGTH and text.isascii() and text.isdigit()
    digits = text if plain else compact_id(text)
    if len(digits) != PIN_LENGTH or not (digits.isascii() and digits.isdigit()):
        return None, (error("pin_format", header, PIN_FORMAT),)
    if not is_pin_checksum_valid(digits):
        return digits, (error("pin_checksum", header, PIN_CHECKSUM),)
    if digits[0] in "09":
        return digits, (warning("pin_special_prefix", header, PIN_SPECIAL_PREFIX),)
    return digits, ()


def check_national_id(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a national ID cell: 13 digits with a valid check digit; 0/9 prefix is a warning.

    A cell that came back as a number shorter than 13 digits lost its leading 0: that is an
    error, because the lost digit cannot be recovered with certainty.
    """
    if raw.__class__ is str:  # the commonest cell, and its own `str`
        return check_national_id_text(cast(str, raw), header)
    if isinstance(raw, bool):
        return None, (error("pin_format", header, PIN_FORMAT),)
    if isinstance(raw, int | float):
        digits = _digits_of_number(raw)
        if digits is None or len(digits) > PIN_LENGTH:
            return None, (error("pin_format", header, PIN_FORMAT),)
        if len(digits) < PIN_LENGTH:
            return None, (error("pin_leading_zero_lost", header, PIN_LEADING_ZERO_LOST),)
        return check_national_id_text(digits, header)
    return check_national_id_text(str(raw), header)


def check_tax_id_text(
    text: str, from_number: bool = False, header: str = TAX_ID
) -> tuple[str, tuple[Finding, ...]]:
    """
    Check a tax ID or registration number typed as text; findings name `header`, the column
    it was typed in (each of the form's three sections has one).
    """
    plain = len(text) == PIN_LENGTH and text.isascii() and text.isdigit()
    compact = text if plain else compact_id(text)  # 13 plain digits are already compact
    is_digits = plain or (compact.isascii() and compact.isdigit())
    if is_digits and from_number and len(compact) == PIN_LENGTH - 1:
        restored = "0" + compact
        if tin.is_valid(restored):
            return restored, (
                warning("tax_id_leading_zero_lost", header, TAX_ID_LEADING_ZERO_LOST),
            )
    if is_digits and len(compact) == PIN_LENGTH:
        if not is_pin_checksum_valid(compact):
            return compact, (error("tax_id_checksum", header, TAX_ID_CHECKSUM),)
        return compact, ()
    cleaned = " ".join(pre_clean(text).split())
    if is_digits or not _is_plausible_registration(cleaned):
        return cleaned, (warning("tax_id_format", header, TAX_ID_FORMAT),)
    return cleaned, ()


def _is_plausible_registration(text: str) -> bool:
    """
    Tell whether text looks like a registration number (e.g. `จ3-50(1)-1/45สบ`): some digits,
    not too long, and not only letters.
    """
    return len(_DIGIT_RUNS.findall(text)) >= 3 and len(text) <= 40


def check_tax_id(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a tax ID (13 digits, valid check digit) or a plausible enterprise registration number.
    """
    if raw.__class__ is str:  # the commonest cell, and its own `str`
        return check_tax_id_text(cast(str, raw), header=header)
    if isinstance(raw, bool):
        return None, (warning("tax_id_format", header, TAX_ID_FORMAT),)
    if isinstance(raw, int | float):
        digits = _digits_of_number(raw)
        if digits is None:
            return None, (warning("tax_id_format", header, TAX_ID_FORMAT),)
        return check_tax_id_text(digits, from_number=True, header=header)
    return check_tax_id_text(str(raw), header=header)
