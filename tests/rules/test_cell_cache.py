"""
`check_row` caches each column's results per value: a cached result never leaks to another value.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import RowResult, check_row
from rules import headers as h
from rules.checks import phones
from rules.clean import pre_clean

from ._rows import AS_OF, OPTIONS


def check(row: dict[str, object]) -> RowResult:
    """
    Check a row for region ศก.3 in FY 2567 with the shared options.
    """
    return check_row(row, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)


def test_unticked_checkbox_is_not_the_number_zero() -> None:
    """False (an unticked box) leaves a row blank; 0 typed in the box does not, in any order."""
    for _ in range(2):
        assert check({h.BUSINESS_MATCHING: False}).is_blank
        assert not check({h.BUSINESS_MATCHING: 0}).is_blank


@pytest.mark.parametrize("first, second", [(0.0, -0.0), (-0.0, 0.0)])
def test_signed_zeros_are_told_apart(first: float, second: float) -> None:
    """-0.0 equals 0.0, yet each is checked as itself whichever the cache saw first."""
    check({h.REMARK: first, h.COST_BEFORE: first})
    values = check({h.REMARK: second, h.COST_BEFORE: second}).values
    assert (repr(second), str(second)) == (values[h.REMARK], str(values[h.COST_BEFORE]))


def test_equal_numbers_of_other_types_are_told_apart() -> None:
    """1, 1.0 and True are equal in Python but are three different cells."""
    results = [check({h.COST_BEFORE: raw, h.COST_AFTER: 1}) for raw in (1, 1.0, True, 1)]
    assert ["1", "1.0", None, "1"] == [
        None if h.COST_BEFORE not in r.values else str(r.values[h.COST_BEFORE]) for r in results
    ]
    assert ((), (), ("not_a_number",), ()) == tuple(r.codes for r in results)


def test_nan_is_checked_every_time() -> None:
    """NaN equals nothing, so it is never looked up in the cache and still gives its finding."""
    for _ in range(2):
        assert ("not_a_number",) == check({h.COST_BEFORE: float("nan"), h.COST_AFTER: 1}).codes


def test_unhashable_and_other_values_are_checked_uncached() -> None:
    """Values the API never sends (a list, a date) are still checked, and nothing is cached."""
    row: dict[str, object] = {h.REMARK: ["x"], h.START_DATE: date(2024, 3, 15)}
    for _ in range(2):
        values = check(row).values
        assert (date(2024, 3, 15), "['x']") == (values[h.START_DATE], values[h.REMARK])


def _classify_each_type(national: str) -> phones.PhoneKind | None:
    """
    Classify a number the plain way, one type description at a time, as the reference.
    """
    if not phones._matches(national, phones._GENERAL):
        return None
    if any(phones._matches(national, desc) for desc in phones._OTHER_TYPES):
        return phones.PhoneKind.OTHER
    if phones._matches(national, phones._FIXED):
        return phones.PhoneKind.FIXED_LINE
    if phones._matches(national, phones._MOBILE):
        return phones.PhoneKind.MOBILE
    return None


@pytest.mark.parametrize("prefix", ["", "0", "1", "2", "6", "8", "9", "18", "19", "00", "001800"])
def test_one_pattern_per_length_classifies_like_each_type_in_turn(prefix: str) -> None:
    """The combined pattern picks the same type as trying the types one by one."""
    for length in range(7, 15):
        for fill in "0123456789":
            national = (prefix + fill * length)[:length]
            assert _classify_each_type(national) == phones.classify_national(national)


@given(st.text(alphabet="0123456789 -,;/#x+ต่อหรือ\n", max_size=30))
def test_plain_phone_text_splits_like_the_general_path(text: str) -> None:
    """Skipping the split for digits, spaces and dashes gives the general path's parts."""
    cleaned = pre_clean(text)
    assert phones.split_parts(cleaned) == phones.phone_parts(text)
