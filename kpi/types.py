"""
Named types shared by the KPI modules, so signatures say what a value means.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeAlias

KpiValue: TypeAlias = Decimal | str | None
"""One computed KPI cell: a Decimal rounded to 2 places, `ใช่`/`ไม่ใช่`, or None for blank."""

KpiValues: TypeAlias = Mapping[str, KpiValue]
"""The KPI cells of one row, keyed by the worker-block headers of `rules.headers.KPI_HEADERS`."""

Cells: TypeAlias = Mapping[str, object]
"""One row as the Sheets API returns it: raw cell values keyed by Thai input header."""
