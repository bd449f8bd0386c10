"""
Parsers of cell values as people type them and as the Sheets API returns them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.parse import (
    CHECKBOX_INVALID,
    DATE_INVALID,
    NOT_A_NUMBER,
    NOT_AN_INTEGER,
    SHEETS_EPOCH,
    is_blank,
    parse_checkbox,
    parse_date,
    parse_integer_cell,
    parse_number,
    parse_number_cell,
)

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.binary(),
    st.lists(st.integers(), max_size=3),
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("\u200b", True),
        (" \ufeff\u00a0\u200c ", True),
        ("\t\n", True),
        ("0", False),
        (0, False),
        (False, False),
        ("-", False),
        ("ก", False),
    ],
)
def test_is_blank(raw: object, expected: bool) -> None:
    """A cell is blank when it holds nothing a person typed."""
    assert expected == is_blank(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234, Decimal("1234")),
        (0.1, Decimal("0.1")),
        (1234.5, Decimal("1234.5")),
        (-3, Decimal("-3")),
        ("1,234", Decimal("1234")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("  42  ", Decimal("42")),
        ("1,500 บาท", Decimal("1500")),
        ("1,500บาท", Decimal("1500")),
        ("฿1,500", Decimal("1500")),
        ("1,500.-", Decimal("1500")),
        ("1,500.- บาท", Decimal("1500")),
        ("1,500 บ.", Decimal("1500")),
        ("12.5%", Decimal("12.5")),
        ("12 %", Decimal("12")),
        ("๑๒๓", Decimal("123")),
        ("๑,๒๓๔.๕ บาท", Decimal("1234.5")),
        ("-5", Decimal("-5")),
        ("\u22125", Decimal("-5")),
        (".5", Decimal("0.5")),
        ("7.", Decimal("7")),
        ("\u200b100\u200b", Decimal("100")),
        (Decimal("2.50"), Decimal("2.50")),
    ],
)
def test_parse_number_accepts_typed_forms(raw: object, expected: Decimal) -> None:
    """Numbers parse from API numbers and from the ways people type them."""
    assert expected == parse_number(raw)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        True,
        False,
        "abc",
        "1,2345",
        "12,34",
        "1.2.3",
        "-",
        "%",
        "บาท",
        float("nan"),
        float("inf"),
        "12 kg",
        [1],
        b"1",
        "1" * 500,
    ],
)
def test_parse_number_returns_none(raw: object) -> None:
    """Blank, boolean and non-numeric cells give None."""
    assert None is parse_number(raw)


def test_parse_number_uses_shortest_float_repr() -> None:
    """An API float becomes the decimal people saw, not its binary expansion."""
    assert Decimal("0.3") == parse_number(0.1 + 0.2 - 0.00000000000000004)
    assert "1.1" == str(parse_number(1.1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("", None), ("12", Decimal("12")), ("x", NOT_A_NUMBER), (True, NOT_A_NUMBER)],
)
def test_parse_number_cell(raw: object, expected: object) -> None:
    """The rule variant tells blank (None) from unparseable (a finding code)."""
    assert expected == parse_number_cell(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), (4.0, 4), ("๕", 5), ("2.5", NOT_AN_INTEGER), ("x", NOT_A_NUMBER), ("", None)],
)
def test_parse_integer_cell(raw: object, expected: object) -> None:
    """Whole numbers parse to int; fractions and text give a finding code."""
    assert expected == parse_integer_cell(raw)


MARCH_15_2024 = date(2024, 3, 15)


@pytest.mark.parametrize(
    "raw",
    [
        "15/3/2567",
        "15/03/2567",
        "15/03/67",
        "15-03-2567",
        "15.3.2567",
        " 15 / 3 / 2567 ",
        "15 มี.ค. 2567",
        "15 มี.ค.67",
        "15 มีค 2567",
        "15 มีนาคม 2567",
        "15 มีนาคม พ.ศ. 2567",
        "วันที่ 15 มีนาคม 2567",
        "๑๕ มีนาคม ๒๕๖๗",
        "๑๕/๓/๒๕๖๗",
        "15-มี.ค.-67",
        "2024-03-15",
        "2024-03-15T00:00:00",
        "15/3/2024",
        "15 Mar 2024",
        "15 มีนาคม ค.ศ. 2024",
        45366,
        45366.75,
        MARCH_15_2024,
    ],
)
def test_parse_date_accepts_typed_forms(raw: object) -> None:
    """Every way people type 15 March 2024 (BE or CE), and the Sheets serial, parse."""
    assert MARCH_15_2024 == parse_date(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2567",
        "32/1/2567",
        "15/13/2567",
        "15 มีนาคมม 2567",
        "15/3/567",
        "15/3/1500",
        "ไม่ทราบ",
        "2567",
        True,
        -1000000,
        float("nan"),
        10**12,
        "x" * 500,
        [15, 3, 2567],
    ],
)
def test_parse_date_rejects(raw: object) -> None:
    """Impossible or unreadable dates give the `date_invalid` code."""
    assert DATE_INVALID == parse_date(raw)


@pytest.mark.parametrize("raw", [None, "", "  ", "\u200b"])
def test_parse_date_blank(raw: object) -> None:
    """A blank date cell is None, not a finding."""
    assert None is parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("TRUE", True),
        ("false", False),
        ("✓", True),
        ("✔", True),
        ("ใช่", True),
        ("ไม่ใช่", False),
        ("มี", True),
        ("ไม่มี", False),
        (1, True),
        (0, False),
        ("", None),
        (None, None),
        ("บางที", CHECKBOX_INVALID),
        (2, CHECKBOX_INVALID),
    ],
)
def test_parse_checkbox(raw: object, expected: object) -> None:
    """Checkboxes accept booleans, TRUE/FALSE, ✓, ใช่/ไม่ใช่ and มี/ไม่มี."""
    assert expected == parse_checkbox(raw)


@given(ANY_CELL)
def test_parsers_never_raise(raw: object) -> None:
    """No parser raises, whatever the cell holds."""
    parse_number(raw)
    parse_number_cell(raw)
    parse_integer_cell(raw)
    parse_date(raw)
    parse_checkbox(raw)
    assert is_blank(raw) in (True, False)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_number_round_trip(value: Decimal) -> None:
    """A decimal typed with separators, baht, percent or Thai digits parses back equal."""
    typed = [
        f"{value:,}",
        f"{value:,} บาท",
        f"{value}%",
        f"  {value}  ",
        f"{value:,}".translate(THAI_DIGITS),
    ]
    assert [value] * len(typed) == [parse_number(text) for text in typed]


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_number_from_api_float(value: float) -> None:
    """An API float parses to the decimal of its shortest repr."""
    assert Decimal(repr(value)) == parse_number(value)


THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_ABBREVIATIONS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


@given(st.dates(min_value=date(1910, 1, 1), max_value=date(2099, 12, 31)))
def test_date_round_trip(day: date) -> None:
    """A date typed in each common Thai form parses back equal."""
    be = day.year + 543
    typed = [
        f"{day.day}/{day.month}/{be}",
        f"{day.day:02d}/{day.month:02d}/{be}",
        f"{day.day} {THAI_ABBREVIATIONS[day.month - 1]} {be}",
        f"{day.day} {THAI_MONTHS[day.month - 1]} {be}".translate(THAI_DIGITS),
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        (day - SHEETS_EPOCH).days,
    ]
    if 2500 <= be <= 2599:
        typed.append(f"{day.day}/{day.month}/{be % 100:02d}")
    assert [day] * len(typed) == [parse_date(text) for text in typed]


@pytest.mark.parametrize("raw", [2567, 2520.0, 1990])
def test_bare_year_in_date_cell_is_invalid(raw: object) -> None:
    """A year typed alone into a date cell (a serial of 1904–1907) is not read as a date."""
    assert DATE_INVALID == parse_date(raw)


def test_serial_fraction_is_time_of_day() -> None:
    """A serial with a fraction (date and time) keeps its day."""
    assert SHEETS_EPOCH + timedelta(days=45000) == parse_date(45000.99)


def test_buddhist_era_date_typed_into_a_date_cell() -> None:
    """`15/3/2567` in a date cell arrives as the serial of 15 March 2567 CE; it means 2024."""
    serial_2567 = (date(2567, 3, 15) - date(1899, 12, 30)).days
    assert date(2024, 3, 15) == parse_date(serial_2567)
    assert date(2024, 3, 15) == parse_date(float(serial_2567) + 0.5)
