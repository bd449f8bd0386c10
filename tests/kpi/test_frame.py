"""
The pandas view of row outcomes for analysts.
"""

from __future__ import annotations

import math

import pandas as pd

from kpi import RowOutcome, to_frame
from rules import headers as h


def _column(frame: pd.DataFrame, name: str) -> list[object]:
    """Read a column back with pandas' missing marker turned into None."""
    return [None if pd.isna(value) else value for value in frame[name]]


def test_frame_rows_and_columns(outcomes: list[RowOutcome]) -> None:
    """One frame row per outcome, identity columns first, then every KPI header."""
    frame = to_frame(outcomes)
    assert len(outcomes) == len(frame)
    assert [
        "region",
        "row",
        "status",
        "cancelled",
        "counted",
        "participant",
        "enterprise",
        "codes",
        *h.KPI_HEADERS,
    ] == list(frame.columns)


def test_frame_values(outcomes: list[RowOutcome]) -> None:
    """KPIs are floats with NaN for blanks; the flag stays text; counted follows the status."""
    frame = to_frame(outcomes)
    first = frame.iloc[0]
    assert (
        first[h.WASTE_REDUCTION_PCT],
        first[h.PRODUCTIVITY_FLAG],
        first["counted"],
    ) == (60.0, "ใช่", True)
    assert math.isnan(first[h.COST_REDUCTION_PCT])
    assert str(frame[h.SATISFACTION_PCT].dtype) == "float64"
    # counted rows sum like the summary's total: 1000 + 500 − 300 + 2000 = 3200.
    assert frame.loc[frame["counted"], h.ECONOMIC_VALUE].sum() == 3200.0
    assert frame.iloc[2]["codes"] == ["pin_checksum", "mobile_invalid"]


def test_frame_hides_personal_data_by_default(outcomes: list[RowOutcome]) -> None:
    """IDs become pseudonyms in order of appearance; raw IDs only on request."""
    frame = to_frame(outcomes)
    assert "national_id" not in frame.columns
    assert list(frame["participant"]) == ["P1", "P2", "P3", "P1", "P4", "P5", "P6", "P7", "P8"]
    assert _column(frame, "enterprise") == ["E1", "E1", "E2", "E1", "E3", "E4", "E1", None, "E5"]
    # the sample's tax ids are T1, T1, T2, T1, T3, T4, T1, (none), T5.
    raw = to_frame(outcomes, personal_data=True)
    assert _column(raw, "tax_id") == ["T1", "T1", "T2", "T1", "T3", "T4", "T1", None, "T5"]


def test_empty_frame() -> None:
    """No outcomes give an empty frame with the same columns."""
    frame = to_frame([])
    assert (0, 8 + len(h.KPI_HEADERS)) == frame.shape
