"""
KPIs of the cluster-project reporting sheet: per-row formulas, and the summary against targets.

`compute_row` / `evaluate_row` fill a row's KPI cells from the operating manual's formulas
(section การคำนวณผลลัพธ์ตัวชี้วัด); `summarise` turns every row's outcome into the per-region
and total figures of the summary tab and judges them against a `TargetProfile`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kpi.aggregate import (
        FORM_CHECKBOXES,
        GroupFigures,
        ProblemCount,
        ProblemLine,
        RegionFigures,
        RowOutcome,
        Share,
        Summary,
        Tally,
        summarise,
        summary_of,
    )
    from kpi.frame import to_frame
    from kpi.row import KpiResult, compute_row, evaluate_row
    from kpi.targets import PROFILES, TargetProfile, TargetResult
    from kpi.types import KpiCells

_HOME = {
    "FORM_CHECKBOXES": "kpi.aggregate",
    "GroupFigures": "kpi.aggregate",
    "ProblemCount": "kpi.aggregate",
    "ProblemLine": "kpi.aggregate",
    "RegionFigures": "kpi.aggregate",
    "RowOutcome": "kpi.aggregate",
    "Share": "kpi.aggregate",
    "Summary": "kpi.aggregate",
    "summarise": "kpi.aggregate",
    "summary_of": "kpi.aggregate",
    "Tally": "kpi.aggregate",
    "to_frame": "kpi.frame",
    "KpiCells": "kpi.types",
    "KpiResult": "kpi.row",
    "compute_row": "kpi.row",
    "evaluate_row": "kpi.row",
    "PROFILES": "kpi.targets",
    "TargetProfile": "kpi.targets",
    "TargetResult": "kpi.targets",
}
"""Where each name lives: imported on first use, so that a run that finds the sheet unchanged,
which needs only the profiles' names, does not load the formulas and the aggregation."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "FORM_CHECKBOXES",
    "PROFILES",
    "GroupFigures",
    "KpiCells",
    "KpiResult",
    "ProblemCount",
    "ProblemLine",
    "RegionFigures",
    "RowOutcome",
    "Share",
    "Summary",
    "Tally",
    "TargetProfile",
    "TargetResult",
    "compute_row",
    "evaluate_row",
    "summarise",
    "summary_of",
    "to_frame",
]
