"""
KPIs of the cluster-project reporting sheet: per-row formulas, and the summary against targets.

`compute_row` / `evaluate_row` fill a row's KPI cells from the operating manual's formulas
(section การคำนวณผลลัพธ์ตัวชี้วัด); `summarise` turns every row's outcome into the per-region
and total figures of the summary tab and judges them against a `TargetProfile`.
"""

from kpi.aggregate import (
    FORM_CHECKBOXES,
    GroupFigures,
    ProblemCount,
    ProblemLine,
    RegionFigures,
    RowOutcome,
    Share,
    Summary,
    summarise,
)
from kpi.frame import to_frame
from kpi.row import KpiResult, compute_row, evaluate_row
from kpi.targets import PROFILES, TargetProfile, TargetResult

__all__ = [
    "FORM_CHECKBOXES",
    "PROFILES",
    "GroupFigures",
    "KpiResult",
    "ProblemCount",
    "ProblemLine",
    "RegionFigures",
    "RowOutcome",
    "Share",
    "Summary",
    "TargetProfile",
    "TargetResult",
    "compute_row",
    "evaluate_row",
    "summarise",
    "to_frame",
]
