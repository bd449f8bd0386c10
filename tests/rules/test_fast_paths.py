"""
`check_row` and the parsers take shortcuts for the commonest cells (whole and decimal amounts,
`d/m/yyyy` dates): each shortcut must give exactly what the full rule gives.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules import check_row
from rules import headers as h
from rules.checks import numbers

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
