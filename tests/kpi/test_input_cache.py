"""
`evaluate_row` caches parsed inputs per value: a cached input never leaks to another value.
"""

from __future__ import annotations

from kpi import evaluate_row
from rules import headers as h


def test_equal_inputs_of_other_types_are_told_apart() -> None:
    """1 is a number and True (a checkbox) is not, whichever the cache saw first."""
    for _ in range(2):
        number = evaluate_row({h.SALES_BEFORE: 1, h.SALES_AFTER: 2}).values
        checkbox = evaluate_row({h.SALES_BEFORE: True, h.SALES_AFTER: 2}).values
        assert (100, None) == (number[h.SALES_INCREASE_PCT], checkbox[h.SALES_INCREASE_PCT])


def test_signed_zeros_are_told_apart() -> None:
    """-0.0 equals 0.0, yet each is read as itself: the sign shows in a zero difference."""
    for after in (0.0, -0.0, 0.0):
        values = evaluate_row({h.SALES_BEFORE: 0, h.SALES_AFTER: after}).values
        assert str(after).replace(".0", ".00") == str(values[h.SALES_INCREASE_BAHT])
