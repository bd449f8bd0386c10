"""
Per-region and total figures of the summary tab (domain spec §6 and §7), worked by hand.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kpi import PROFILES, ProblemCount, RegionFigures, RowOutcome, summarise
from rules import headers as h

from .sample import REGIONS, kpis, outcome

EMPTY = RegionFigures(
    rows_read=0,
    passed=0,
    warned=0,
    failed=0,
    duplicates=0,
    cancelled=0,
    counted=0,
    unique_participants=0,
    unique_enterprises=0,
    satisfaction_average=None,
    satisfied_share=None,
    productivity_share=None,
    waste_reduction_average=None,
    cost_reduction_average=None,
    sales_increase_average=None,
    economic_value=None,
)

REGION_1 = RegionFigures(
    rows_read=5,
    passed=2,  # rows 4 and 8 (8 is cancelled, but its check status is ผ่าน)
    warned=1,
    failed=1,
    duplicates=1,
    cancelled=1,
    counted=2,  # rows 4 and 5
    unique_participants=2,  # A, B
    unique_enterprises=1,  # T1
    satisfaction_average=D("90.00"),  # (100 + 80) ÷ 2
    satisfied_share=D("100.00"),  # 2 of 2 at ≥ 80
    productivity_share=D("100.00"),  # T1: ใช่ on row 4 wins over ไม่ใช่ on row 5 → 1 of 1
    waste_reduction_average=D("60.00"),
    cost_reduction_average=D("5.00"),
    sales_increase_average=None,
    economic_value=D("1500.00"),  # 1000 + 500
)

REGION_2 = RegionFigures(
    rows_read=4,
    passed=2,
    warned=2,
    failed=0,
    duplicates=0,
    cancelled=0,
    counted=4,
    unique_participants=4,  # E, F, G, H
    unique_enterprises=4,  # T1, row 5 (no tax id), T4, T5
    satisfaction_average=D("75.56"),  # (60 + 91.11) ÷ 2 = 75.555 → 75.56 (half-up)
    satisfied_share=D("50.00"),  # only 91.11 of (60, 91.11) is ≥ 80
    productivity_share=D("66.67"),  # T1 ใช่, T4 ไม่ใช่, T5 ใช่; row 5 not computable → 2 ÷ 3
    waste_reduction_average=D("-10.00"),
    cost_reduction_average=None,
    sales_increase_average=D("20.00"),
    economic_value=D("1700.00"),  # 2000 − 300
)

TOTAL = RegionFigures(
    rows_read=9,
    passed=4,
    warned=3,
    failed=1,
    duplicates=1,
    cancelled=1,
    counted=6,
    unique_participants=6,  # A, B, E, F, G, H
    unique_enterprises=4,  # T1 (in both regions, once), ศก.2 row 5, T4, T5
    satisfaction_average=D("82.78"),  # (100 + 80 + 60 + 91.11) ÷ 4 = 82.7775 → 82.78
    satisfied_share=D("75.00"),  # 100, 80, 91.11 of 4
    productivity_share=D("66.67"),  # T1 ใช่, T4 ไม่ใช่, T5 ใช่ → 2 ÷ 3
    waste_reduction_average=D("25.00"),  # (60 − 10) ÷ 2
    cost_reduction_average=D("5.00"),
    sales_increase_average=D("20.00"),
    economic_value=D("3200.00"),  # 1500 + 1700
)


def test_region_figures(outcomes: list[RowOutcome]) -> None:
    """Each region gets its figures, in the given order, even a region without rows."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["manual-2567"])
    assert list(REGIONS) == list(summary.regions)
    assert summary.regions == {"ศก.1": REGION_1, "ศก.2": REGION_2, "ศก.3": EMPTY}


def test_total_counts_uniques_over_the_whole_spreadsheet(outcomes: list[RowOutcome]) -> None:
    """The total counts an enterprise seen in two regions once."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["manual-2567"])
    assert summary.total == TOTAL


def test_problems_sorted_by_count_region_code(outcomes: list[RowOutcome]) -> None:
    """Problems are counted in rows per code and region, most frequent first."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["manual-2567"])
    assert (
        # ศก.1 rows 5 and 7; ศก.2 rows 6 (the code twice, one row) and 5: first row 5.
        ProblemCount("name_no_space", "ศก.1", 2, 5),
        ProblemCount("name_no_space", "ศก.2", 2, 5),
        # ties on count and region are ordered by code.
        ProblemCount("mobile_invalid", "ศก.1", 1, 6),
        ProblemCount("pin_checksum", "ศก.1", 1, 6),
    ) == summary.problems


def test_no_rows() -> None:
    """A spreadsheet without rows gives empty figures and no problems."""
    summary = summarise([], regions=REGIONS, profile=PROFILES["tor-2569"])
    assert ({region: EMPTY for region in REGIONS}, EMPTY, ()) == (
        summary.regions,
        summary.total,
        summary.problems,
    )


def test_share_satisfied_uses_the_profile_level() -> None:
    """A respondent is satisfied at the profile's level or more (80 in both built-ins)."""
    rows = [
        outcome("ศก.1", 4, h.STATUS_PASS, "A", None, kpis(satisfaction="79.99")),
        outcome("ศก.1", 5, h.STATUS_PASS, "B", None, kpis(satisfaction="80.00")),
        outcome("ศก.1", 6, h.STATUS_PASS, "C", None, kpis(satisfaction="95.56")),
    ]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["manual-2567"])
    # 2 of 3 at ≥ 80: 2 ÷ 3 × 100 = 66.666… → 66.67.
    assert D("66.67") == summary.total.satisfied_share


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [outcome("ศก.9", 4, h.STATUS_PASS, "A", None, kpis())],
            "Row 4 is from region 'ศก.9'",
        ),
    ],
)
def test_unknown_region_is_refused(rows: list[RowOutcome], message: str) -> None:
    """A row from a region not listed is an error, not silently dropped."""
    with pytest.raises(ValueError, match=message):
        summarise(rows, regions=REGIONS, profile=PROFILES["manual-2567"])


def test_repeated_region_is_refused() -> None:
    """Listing a region twice is an error."""
    with pytest.raises(ValueError, match="repeat"):
        summarise([], regions=["ศก.1", "ศก.1"], profile=PROFILES["manual-2567"])


def test_unknown_status_is_refused() -> None:
    """A status outside ผ่าน/คำเตือน/ไม่ผ่าน/ซ้ำ is refused when the outcome is built."""
    with pytest.raises(ValueError, match="expected one of"):
        outcome("ศก.1", 4, "ok", "A", None, kpis())


@pytest.mark.parametrize(
    ("status", "cancelled", "expected"),
    [
        (h.STATUS_PASS, False, True),
        (h.STATUS_WARN, False, True),
        (h.STATUS_FAIL, False, False),
        (h.STATUS_DUPLICATE, False, False),
        (h.STATUS_PASS, True, False),
        (h.STATUS_WARN, True, False),
    ],
)
def test_counted(status: str, cancelled: bool, expected: bool) -> None:
    """Only ผ่าน and คำเตือน rows that are not cancelled count."""
    row = outcome("ศก.1", 4, status, "A", None, kpis(), cancelled=cancelled)
    assert expected == row.counted
