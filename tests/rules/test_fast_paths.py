"""
`check_row` and the parsers take shortcuts for the commonest cells (whole and decimal amounts,
`d/m/yyyy` dates): each shortcut must give exactly what the full rule gives.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules import check_row, clean, parse
from rules import headers as h
from rules.checks import ids, numbers, phones

from ._rows import AS_OF, OPTIONS, valid_row

CELL_CODES = frozenset({"not_a_number", "number_negative"})
"""What `check_amount` itself reports (the row's other rules add their own findings)."""


def checked(header: str, raw: object) -> tuple[object, tuple[str, ...]]:
    """Return the value `check_row` keeps for one cell of a valid row, and the cell's codes."""
    result = check_row(
        valid_row(**{header: raw}), region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF
    )
    codes = tuple(f.code for f in result.findings if f.column == header and f.code in CELL_CODES)
    return result.values.get(header), codes


def by_the_rule(header: str, raw: object) -> tuple[object, tuple[str, ...]]:
    """Return what `check_amount` makes of the cell."""
    value, found = numbers.check_amount(header, raw)
    return value, tuple(f.code for f in found)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=True, allow_infinity=True),
    )
)
@example(0)
@example(-1)
@example(0.0)
@example(-0.0)
@example(1e-300)
@example(float("inf"))
@example(float("nan"))
@example(366.85)
def test_api_numbers_in_an_amount_column_read_as_check_amount_reads_them(raw: float) -> None:
    """Whole numbers and floats of every sign and size: same value (exponent too), same codes."""
    value, codes = checked(h.COST_BEFORE, raw)
    expected_value, expected_codes = by_the_rule(h.COST_BEFORE, raw)
    assert (repr(expected_value), expected_codes) == (repr(value), codes)


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", fullmatch=True),
        st.builds(
            "{}/{}/{}".format,
            st.integers(0, 40),
            st.integers(0, 14),
            st.integers(0, 9999),
        ),
        st.from_regex(r"[0-9๐-๙]{1,3}[/.\- ]{1,2}[0-9๐-๙]{1,3}[/.\- ]{1,2}[0-9๐-๙]{2,5}\s?"),
        st.text(alphabet="0123456789/ .-๑๒", max_size=14),
    )
)
@example("29/2/2567")
@example("29/2/2566")
@example("31/4/2567")
@example("0/0/0000")
@example("15/3/2024")
@example("15/3/9999")
def test_plain_dates_read_as_the_general_path_reads_them(text: str) -> None:
    """`d/m/yyyy` and look-alikes: the shortcut gives the general path's date or `date_invalid`."""
    assert parse._parse_date_general(text) == parse.parse_date(text)


def _typed_phone(digits: str, dashes: list[int], marks: str = "-") -> str:
    """Write a number as people type it: a mark (dash, space) after the given positions."""
    out = digits
    positions = sorted({p % (len(digits) + 1) for p in dashes}, reverse=True)
    for index, position in enumerate(positions):
        mark = marks[index % len(marks)]
        out = out[:position] + mark + out[position:]
    return out


PHONE_TEXTS = st.one_of(
    st.builds(
        _typed_phone,
        st.from_regex(r"0(?:6[0-9]|8[0-9]|9[0-9]|2|[3-7][0-9])[0-9]{5,8}", fullmatch=True),
        st.lists(st.integers(0, 12), max_size=3),
    ),
    st.builds(
        _typed_phone,
        st.from_regex(r"0(?:6[0-9]|8[0-9]|9[0-9]|2|[3-7][0-9])[0-9]{5,8}", fullmatch=True),
        st.lists(st.integers(0, 12), max_size=4),
        st.sampled_from([" ", "- ", " -", "  "]),
    ),
    st.sampled_from(["060-123-4567", "068-123-4567", "0600000000", "0680000000", "02-123-4567"]),
    st.text(alphabet="0123456789-+ ๐๘๑", max_size=14),
)


@settings(max_examples=2000, deadline=None)
@given(PHONE_TEXTS)
@example("0")
@example("00812345678")
@example("00166140309092")
@example("0066620908212")
@example("-0812345678-")
@example("+66812345678")
@example("081 234 5678")
@example("๐๘๑๒๓๔๕๖๗๘")
@example(" 0812345678")
@example("0812345678 ")
@example("081 234 5678")
@example("081 234-5678")
@example("0 8 1 2 3 4 5 6 7 8")
@example("060 123 4567")
@example("02 123 4567")
@example(" ")
@example("-")
def test_plain_phone_cells_check_as_the_general_path_checks_them(text: str) -> None:
    """Dashed, undashed, 060/068, landlines, Thai digits, +66: same value, same finding."""
    assert phones._check_mobile_general(h.MOBILE, text) == phones.check_mobile(h.MOBILE, text)
    assert phones._check_phone_general(h.ENTERPRISE_PHONE, text) == phones.check_phone(
        h.ENTERPRISE_PHONE, text
    )


@settings(max_examples=1500, deadline=None)
@given(PHONE_TEXTS)
@example("0600000000")
@example("0680000000")
@example("0812345678")
@example("021234567")
@example("081 234 5678")
@example("068 123 4567")
@example("060 000 0000")
def test_plain_phone_cells_classify_as_phonenumbers_does(text: str) -> None:
    """The shortcut's number, classified by the metadata, is what phonenumbers itself says."""
    national = phones._plain_national(text)
    if national is not None:
        assert phones._classify_with_library(text) == phones.classify_national(national)


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?(?: ?บาท)?", fullmatch=True),
        st.from_regex(r"[0-9,]{1,12}(\.[0-9]{0,3})?( ?บาท| ?%| ?บ\.|-)?", fullmatch=True),
        st.text(alphabet="0123456789,. บาท๑-%", max_size=16),
    ).filter(lambda text: len(text) <= 200)  # longer text is no number at all, before either
)
@example("1,237")
@example("12,34")
@example("1,2345")
@example("389.01")
@example("542,200 บาท")
@example("542,200  บาท")
@example("0.")
@example(".5")
@example("007")
def test_plain_amounts_read_as_the_general_path_reads_them(text: str) -> None:
    """Grouped digits, decimals, `บาท`, and look-alikes: the same Decimal (or none) either way."""
    expected = parse._parse_number_text(text)
    actual = parse.parse_number(text)
    assert (repr(expected), str(expected)) == (repr(actual), str(actual))


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"[0-9]{13}", fullmatch=True), st.booleans())
def test_plain_tax_ids_check_as_compacted_ones(digits: str, from_number: bool) -> None:
    """Thirteen plain digits skip the compaction: the same as with a separator typed in."""
    spaced = f"{digits[:1]}-{digits[1:5]} {digits[5:10]}.{digits[10:]}"
    assert ids.check_tax_id_text(spaced, from_number) == ids.check_tax_id_text(digits, from_number)


@pytest.mark.parametrize("name", list(parse._PLAIN_MONTH_NAMES))
def test_thai_month_dates_read_as_the_general_path_reads_them(name: str) -> None:
    """Every month name the shortcut knows, every day 0–40, years of both eras and none."""
    assert clean.pre_clean(name) == name == name.lower()  # what the general path cleans
    for day in range(41):
        for year in (0, 1799, 1800, 1994, 2024, 2399, 2400, 2401, 2537, 2567, 2943, 9999):
            text = f"{day} {name} {year:04d}"
            assert parse._parse_date_general(text) == parse.parse_date(text), text


@settings(max_examples=1500, deadline=None)
@given(
    st.builds(
        "{}{}{}{}{}".format,
        st.from_regex(r"[0-9๐-๙]{0,3}", fullmatch=True),
        st.sampled_from([" ", "  ", "", "-", "/", "\u00a0"]),
        st.sampled_from([*parse._PLAIN_MONTH_NAMES, "มค", "ม.ค", "jan", "Jan", "พ.ศ.", "เดือน"]),
        st.sampled_from([" ", "  ", "", " พ.ศ. ", " ค.ศ. ", "-"]),
        st.from_regex(r"[0-9๐-๙]{0,5} ?", fullmatch=True),
    )
)
def test_near_thai_month_dates_read_as_the_general_path_reads_them(text: str) -> None:
    """Look-alikes (other spaces, eras, short years, Thai digits): the same date or finding."""
    assert parse._parse_date_general(text) == parse.parse_date(text)
