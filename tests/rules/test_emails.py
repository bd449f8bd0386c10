"""
E-mail rule (domain spec §3.1): syntax only, no network.
"""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.checks.emails import FAST_EMAIL, _fast_accept, check_email
from rules.headers import EMAIL


@pytest.mark.parametrize(
    "raw",
    [
        "somchai@example.com",
        "Somchai.J@Example.CO.TH",
        "  somchai@example.com  ",
        "somchai+cluster@gmail.com",
        "mailto:somchai@example.com",
        "สมชาย@ตัวอย่าง.ไทย",
        "somchai@ตัวอย่าง.ไทย",
        "\u200bsomchai@example.com",
    ],
)
def test_valid_email(raw: object) -> None:
    """Addresses as people type and paste them pass, including Thai IDN ones."""
    assert () == check_email(EMAIL, raw)[1]


@pytest.mark.parametrize(
    "raw",
    [
        "somchai",
        "somchai@",
        "@example.com",
        "somchai@example",
        "som chai@example.com",
        "somchai..j@example.com",
        "somchai@example..com",
        "somchai@@example.com",
        "somchai@localhost",
        "somchai@example.test",
        "ไม่มี",
        12345,
        True,
    ],
)
def test_invalid_email(raw: object) -> None:
    """Malformed addresses are errors."""
    assert ["email_invalid"] == [f.code for f in check_email(EMAIL, raw)[1]]


def library_accepts(text: str) -> bool:
    """
    Tell whether email-validator itself accepts an address.
    """
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@settings(max_examples=500)
@given(st.from_regex(FAST_EMAIL, fullmatch=True))
def test_fast_path_accepts_only_what_the_library_accepts(text: str) -> None:
    """Every address the fast pattern accepts, email-validator accepts too."""
    if _fast_accept(text):
        assert True is library_accepts(text)


@pytest.mark.parametrize("text", ["0@00--0.AA", "somchai@ab--cd.com", "somchai@xn--abc.com"])
def test_fast_path_leaves_reserved_hyphens_to_the_library(text: str) -> None:
    """A domain label with `--` (reserved for IDNA) gets the library's verdict, not the fast one."""
    assert library_accepts(text) is (check_email(EMAIL, text)[1] == ())
