"""
Masking personal data in log lines (Personal Data Protection Act B.E. 2562; domain spec §8).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import mask_pii


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-2345-67890-12-3", "1-xxxx-xxxxx-xx-3"),
        ("1234567890123", "1xxxxxxxxxxx3"),
        ("1 2345 67890 12 3", "1 xxxx xxxxx xx 3"),
        ("เลข๑๒๓๔๕๖๗๘๙๐๑๒๓", "เลข๑xxxxxxxxxxx๓"),
        ("0812345678", "08xxxxx678"),
        ("081-234-5678", "08x-xxx-x678"),
        ("02 430 6869", "02 xxx x869"),
        ("(02) 430-6869", "(02) xxx-x869"),
        ("+66 81 234 5678", "+66 81 xxx x678"),
        ("812345678", "81xxxx678"),
        ("somchai@example.com", "s***@example.com"),
        ("Somchai.J+x@mail.example.co.th", "S***@mail.example.co.th"),
        # Forms the checks accept: dots between digit groups, a Thai local part (its vowel
        # and tone marks are not `\\w`).
        ("081.234.5678", "08x.xxx.x678"),
        ("1.1037.02071.81.1", "1.xxxx.xxxxx.xx.1"),
        ("สมศักดิ์@example.com", "ส***@example.com"),
        ("วิไลวรรณ.ใจดี@ตัวอย่าง.ไทย", "ว***@ตัวอย่าง.ไทย"),
    ],
)
def test_masks_each_kind(text: str, expected: str) -> None:
    """IDs keep their first and last digit, phones their prefix and last three, e-mails a letter."""
    assert expected == mask_pii(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "row ศก.3!12 failed: id=3100100123456 phone=0812345678 email=somchai@example.com",
            "row ศก.3!12 failed: id=3xxxxxxxxxxx6 phone=08xxxxx678 email=s***@example.com",
        ),
        (
            "{'เลขบัตรประจำตัวประชาชน': '1-1037-02071-81-1', 'โทรศัพท์มือถือ': '๐๘๑๒๓๔๕๖๗๘'}",
            "{'เลขบัตรประจำตัวประชาชน': '1-xxxx-xxxxx-xx-1', 'โทรศัพท์มือถือ': '๐๘xxxxx๖๗๘'}",
        ),
        ("โทร0812345678หรือ02-430-6869", "โทร08xxxxx678หรือ02-xxx-x869"),
    ],
)
def test_masks_inside_log_lines(text: str, expected: str) -> None:
    """Personal data is masked wherever it sits in a log line, next to Thai text too."""
    assert expected == mask_pii(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22 01:50:32 [info] wrote 1,234 cells in 0.52s",
        "spreadsheet 1Uebq-x0ch5zbP381oR5jxAKQe2g range A12:Z40 gid=1821856754",
        "Spreadsheet 1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg was not found",
        "amount 1234567.50 baht, 45366 serial, row 12345",
        "CPython 3.11.7 on 127.0.0.1:8080, took 12.345 s, FY 2567.10",
        "เขียนผลลัพธ์ 120 แถว ศก.1 … ศก.7 เสร็จ",
        "",
    ],
)
def test_leaves_other_text_alone(text: str) -> None:
    """Timestamps, counts, sheet ids and amounts are not mistaken for personal data."""
    assert text == mask_pii(text)


@given(st.text(max_size=200))
def test_never_raises_and_keeps_plain_text(text: str) -> None:
    """Any text can be masked; text without digits or `@` comes back unchanged."""
    masked = mask_pii(text)
    if not any(ch in "0123456789๐๑๒๓๔๕๖๗๘๙@" for ch in text):
        assert text == masked


@given(
    st.text(alphabet="abc กขค=:,", max_size=20),
    st.from_regex(r"[1-8][0-9]{12}", fullmatch=True),
    st.text(alphabet="abc กขค=:,", max_size=20),
)
def test_ids_inside_text_are_always_masked(before: str, national_id: str, after: str) -> None:
    """A 13-digit ID anywhere in a line never survives masking."""
    masked = mask_pii(f"{before}{national_id}{after}")
    assert (False, f"{national_id[0]}{'x' * 11}{national_id[-1]}") == (
        national_id in masked,
        masked[len(before) : len(before) + 13],
    )


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("อีเมล sudarat_jaidee@hotmail ผิด", "sudarat_jaidee"),
        ("a.b@@mail.com", "a.b"),
        ("somchai@", "somchai"),
        ("เมล: somchai@example.com,", "somchai"),
    ],
)
def test_invalid_email_addresses_are_masked_too(text: str, hidden: str) -> None:
    """A mistyped address is still the person's: its local part never reaches a log."""
    assert hidden not in mask_pii(text)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("โทร 086-884-61594", "884-6159"),  # one digit too many
        ("มือถือ 08123456789", "1234567"),
        ("บัตร 1-1037-02071-83", "037-0207"),  # one digit short
        ("บัตร 110370207183838", "0370207183"),  # two too many
    ],
)
def test_mistyped_phones_and_ids_are_masked_too(text: str, hidden: str) -> None:
    """A phone or ID with a typo is still the person's: its middle never reaches a log."""
    assert hidden not in mask_pii(text)
