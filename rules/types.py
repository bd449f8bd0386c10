"""
Named types shared by the rule modules, each documented once here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeAlias

from rules.findings import Finding

Cells: TypeAlias = Mapping[str, object]
"""One row's raw cells keyed by canonical Thai header; values as the Sheets API returns them."""

Options: TypeAlias = Mapping[str, Sequence[str]]
"""Dropdown lists read from the `ตัวเลือก` tab: list name → allowed values."""

Values: TypeAlias = Mapping[str, object]
"""One row's parsed values keyed by canonical Thai header (Decimal, int, date, bool, str)."""

Findings: TypeAlias = Iterable[Finding]
"""What a rule returns: zero or more findings."""

CellCheck: TypeAlias = Callable[[str, object], tuple[object, tuple[Finding, ...]]]
"""A single-cell rule: (header, raw cell) → (parsed value or None, findings)."""
