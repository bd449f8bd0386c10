"""
Thai phone-number rules (domain spec §3.1).
"""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from rules.checks.phones import PhoneKind, check_mobile, check_phone, classify_phone
from rules.headers import ENTERPRISE_PHONE, MOBILE


@pytest.mark.parametrize(
    "raw",
    [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "(081) 234-5678",
        "+66812345678",
        "+66 81 234 5678",
        "66812345678",
        "๐๘๑๒๓๔๕๖๗๘",
        "๐๘๑-๒๓๔-๕๖๗๘",
        812345678,
        812345678.0,
        "0912345678",
        "0812345678, 0898765432",
        "0812345678 หรือ 0898765432",
    ],
)
def test_valid_mobile(raw: object) -> None:
    """Thai mobile numbers pass in every common typed form and as API numbers."""
    assert () == check_mobile(MOBILE, raw)[1]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567", "mobile_invalid"),
        ("08123456789", "mobile_invalid"),
        ("1234", "mobile_invalid"),
        ("โทรมาได้เลย", "mobile_invalid"),
        ("+1 650 253 0000", "mobile_invalid"),
        (True, "mobile_invalid"),
        ("02 430 6869", "mobile_not_mobile"),
        (24306869, "mobile_not_mobile"),
        ("0812345678 / 02-430-6869", "mobile_not_mobile"),
    ],
)
def test_invalid_mobile(raw: object, expected: str) -> None:
    """Wrong lengths, foreign and fixed-line numbers fail the mobile column."""
    assert [expected] == [f.code for f in check_mobile(MOBILE, raw)[1]]


@pytest.mark.parametrize(
    "raw",
    [
        "02 430 6869",
        "02-430-6869 ต่อ 1235",
        "๐๒ ๔๓๐ ๖๘๖๙ ต่อ ๑๒๓๕ - ๓๗",
        "038 123 456",
        "02-430-6869 ext. 12",
        "0812345678",
        "053-123456",
    ],
)
def test_valid_enterprise_phone(raw: object) -> None:
    """Fixed-line and mobile numbers pass the enterprise column, extensions stripped."""
    assert () == check_phone(ENTERPRISE_PHONE, raw)[1]


@pytest.mark.parametrize("raw", ["02 430 686", "12345", "ไม่มี", "+44 20 7946 0958"])
def test_invalid_enterprise_phone(raw: object) -> None:
    """Invalid and foreign numbers fail the enterprise column."""
    assert ["phone_invalid"] == [f.code for f in check_phone(ENTERPRISE_PHONE, raw)[1]]


def library_kind(text: str) -> PhoneKind | None:
    """
    Classify with phonenumbers alone, the reference the fast path must agree with.
    """
    try:
        number = phonenumbers.parse(text, "TH")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 66 or not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return PhoneKind.MOBILE
    if kind == PhoneNumberType.FIXED_LINE:
        return PhoneKind.FIXED_LINE
    return PhoneKind.OTHER


def test_fast_path_agrees_with_phonenumbers() -> None:
    """The metadata fast path classifies like phonenumbers on every 3-digit prefix."""
    rng = random.Random(66)
    samples: list[str] = []
    for prefix in range(1000):
        for length in (7, 8, 9, 10, 11):
            rest = "".join(rng.choice("0123456789") for _ in range(max(length - 3, 0)))
            national = f"{prefix:03d}{rest}"[:length]
            samples += ["0" + national, "+66" + national, national]
    expected = [library_kind(text) for text in samples]
    assert expected == [classify_phone(text) for text in samples]
