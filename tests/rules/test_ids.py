"""
National ID and tax ID rules (domain spec §3.1).
"""

from __future__ import annotations

import random

import pytest
from stdnum.th import pin

from rules.checks.ids import check_national_id, check_tax_id, is_pin_checksum_valid
from rules.findings import Severity
from rules.headers import NATIONAL_ID, TAX_ID

from ._rows import VALID_PIN, VALID_TAX_ID


def codes_of(result: tuple[object, tuple[object, ...]]) -> list[tuple[str, Severity]]:
    """
    Return (code, severity) of each finding of a cell check.
    """
    return [(f.code, f.severity) for f in result[1]]  # type: ignore[attr-defined]


E = Severity.ERROR
W = Severity.WARNING


@pytest.mark.parametrize(
    ("raw", "expected_value", "expected"),
    [
        (VALID_PIN, VALID_PIN, []),
        ("1-1037-02071-81-1", VALID_PIN, []),
        ("1 1037 02071 81 1", VALID_PIN, []),
        ("๑๑๐๓๗๐๒๐๗๑๘๑๑", VALID_PIN, []),
        ("'1103702071811", VALID_PIN, []),
        ("\u200b1103702071811 ", VALID_PIN, []),
        (1103702071811, VALID_PIN, []),
        (1103702071811.0, VALID_PIN, []),
        ("1103702071812", "1103702071812", [("pin_checksum", E)]),
        ("110370207181", None, [("pin_format", E)]),
        ("11037020718111", None, [("pin_format", E)]),
        ("1103702O71811", None, [("pin_format", E)]),
        ("ไม่มี", None, [("pin_format", E)]),
        (True, None, [("pin_format", E)]),
        (110370207181, None, [("pin_leading_zero_lost", E)]),
        (12.5, None, [("pin_format", E)]),
    ],
)
def test_national_id(raw: object, expected_value: str | None, expected: list[object]) -> None:
    """A national ID must be 13 digits with the right check digit, typed in any common form."""
    result = check_national_id(NATIONAL_ID, raw)
    assert (expected_value, expected) == (result[0], codes_of(result))


def with_check_digit(first12: str) -> str:
    """
    Complete 12 digits with their check digit.
    """
    return first12 + pin.calc_check_digit(first12)


@pytest.mark.parametrize("first", ["0", "9"])
def test_national_id_special_prefix_is_warning(first: str) -> None:
    """A 0 or 9 first digit with a right check digit only asks a person to confirm."""
    number = with_check_digit(first + "10370207181")
    assert [("pin_special_prefix", W)] == codes_of(check_national_id(NATIONAL_ID, number))


def test_national_id_zero_prefix_lost_as_number() -> None:
    """A 0-prefixed ID that came back as a number is an error (the 0 cannot be trusted)."""
    number = with_check_digit("010370207181")
    assert [("pin_leading_zero_lost", E)] == codes_of(check_national_id(NATIONAL_ID, int(number)))


def test_checksum_agrees_with_stdnum() -> None:
    """The inlined check-digit formula agrees with python-stdnum on random numbers."""
    rng = random.Random(2567)
    numbers = ["".join(rng.choice("0123456789") for _ in range(13)) for _ in range(20000)]
    expected = [pin.calc_check_digit(n) == n[-1] for n in numbers]
    assert expected == [is_pin_checksum_valid(n) for n in numbers]


@pytest.mark.parametrize(
    ("raw", "expected_value", "expected"),
    [
        (VALID_TAX_ID, VALID_TAX_ID, []),
        ("0-1055-36012-34-6", VALID_TAX_ID, []),
        (VALID_PIN, VALID_PIN, []),
        (105536012346, VALID_TAX_ID, [("tax_id_leading_zero_lost", W)]),
        ("0105536012341", "0105536012341", [("tax_id_checksum", E)]),
        ("จ3-50(1)-1/45สบ", "จ3-50(1)-1/45สบ", []),
        ("1-10-01-01/1-0001", "1-10-01-01/1-0001", []),
        ("12345", "12345", [("tax_id_format", W)]),
        ("ไม่มี", "ไม่มี", [("tax_id_format", W)]),
        (True, None, [("tax_id_format", W)]),
    ],
)
def test_tax_id(raw: object, expected_value: str | None, expected: list[object]) -> None:
    """A tax ID is 13 digits with a right check digit, or a plausible registration number."""
    result = check_tax_id(TAX_ID, raw)
    assert (expected_value, expected) == (result[0], codes_of(result))


def test_a_tax_id_whose_zero_was_lost_is_not_said_to_be_fixed_in_the_cell() -> None:
    """The 0 is put back only for counting; the message must not claim the cell was changed."""
    (finding,) = check_tax_id(TAX_ID, 105536012346)[1]
    assert "ไม่ได้แก้ในช่องนี้" in finding.message
    assert "กรอกใหม่เป็นข้อความ" in finding.message
