"""
The kpi package's public surface, and that every exported KPI is documented.
"""

from __future__ import annotations

import inspect

import pytest

import kpi
from rules import headers as h


def test_all_is_the_public_api() -> None:
    """__all__ lists exactly the intended public names, sorted as ruff sorts them."""
    assert kpi.__all__ == [
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


@pytest.mark.parametrize(
    "name", [n for n in kpi.__all__ if n not in ("PROFILES", "FORM_CHECKBOXES")]
)
def test_exported_names_have_docstrings(name: str) -> None:
    """Every exported class and function says what it is for."""
    assert inspect.getdoc(getattr(kpi, name))


@pytest.mark.parametrize("header", h.KPI_HEADERS)
def test_every_kpi_is_documented(header: str) -> None:
    """Each KPI column evaluate_row fills is named in its docstring with its formula."""
    doc = inspect.getdoc(kpi.evaluate_row) or ""
    assert header in doc
    assert "การคำนวณผลลัพธ์ตัวชี้วัด" in doc
