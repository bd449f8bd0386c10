"""
`evaluate_row(cells, parsed=check_row(cells).values)` gives exactly what `evaluate_row(cells)`
gives: the worker takes the KPI inputs from the rules' parse instead of parsing twice.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import rules
from kpi import evaluate_row
from kpi.row import _INPUT_HEADERS
from rules import headers as h
from sync.demo.data import generate_spreadsheet, options_lists

from ..rules._rows import AS_OF, OPTIONS, valid_row


def both_ways(cells: dict[str, object]) -> tuple[object, object]:
    """Return the KPI result computed from the raw cells and from the checked row's values."""
    checked = rules.check_row(cells, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)
    return evaluate_row(cells), evaluate_row(cells, parsed=checked.values)


def test_every_row_of_a_demo_sheet_with_mistakes_computes_the_same() -> None:
    """A generated sheet, a third of its rows carrying a typical mistake, row by row."""
    demo = generate_spreadsheet(rows_per_region=60, seed=11, error_rate=0.35)
    options = options_lists()
    compared = 0
    for region in (t for t in demo.tabs if t.startswith("ศก.")):
        grid = demo.tabs[region]
        mapping = rules.map_headers(grid[2], grid[1])
        for row in grid[3:]:
            cells = mapping.row_cells(row)
            checked = rules.check_row(
                cells, region=region, options=options, fiscal_year=2567, as_of=AS_OF
            )
            expected = evaluate_row(cells)
            assert expected == evaluate_row(cells, parsed=checked.values)
            assert expected == evaluate_row(cells, parsed=checked.values, changes=checked.changes)
            compared += 1
    assert compared >= 7 * 60


RAW_NUMBERS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-0",
            "1",
            "3",
            "5",
            "6",
            "4.0",
            "4.5",
            "1,234.50",
            "๑๒๓",
            "120 บาท",
            "50%",
            "−12",
            "abc",
            "1.2.3",
            ".5",
            "-",
            "12.-",
            "\u200b7",
            "฿ 99",
        ]
    ),
    st.text(alphabet="0123456789.,-๑๒ บาท%", max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_INPUT_HEADERS), RAW_NUMBERS, max_size=12))
def test_arbitrary_numeric_cells_compute_the_same(inputs: dict[str, object]) -> None:
    """Blank, negative, fractional, out-of-range, non-finite and garbled inputs alike."""
    without, with_parsed = both_ways(valid_row() | inputs)
    assert without == with_parsed


def test_satisfaction_scores_come_from_the_parsed_whole_numbers() -> None:
    """Nine scores typed as text and numbers give the same percentage both ways (36 ÷ 45)."""
    scores: dict[str, object] = dict.fromkeys(h.SATISFACTION_ITEMS, 4)
    scores[h.SATISFACTION_ITEMS[0]] = "๕"
    scores[h.SATISFACTION_ITEMS[1]] = 4.0
    scores[h.SATISFACTION_ITEMS[2]] = "3"
    without, with_parsed = both_ways(valid_row() | scores)
    assert without == with_parsed
    assert str(with_parsed.values[h.SATISFACTION_PCT]) == "80.00"  # type: ignore[attr-defined]
