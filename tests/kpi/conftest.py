"""
Fixtures of the KPI tests.
"""

from __future__ import annotations

import pytest

from kpi import RowOutcome

from .sample import sample_outcomes


@pytest.fixture
def outcomes() -> list[RowOutcome]:
    """Nine rows in two regions (ศก.3 has none); see test_aggregate for the worked figures."""
    return sample_outcomes()
