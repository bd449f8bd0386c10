"""
What the worker reads of a spreadsheet, as plain values: grids of cells and the tabs' metadata.

Every backend returns these and the pure core decides from them, so they sit in the core and
the I/O seam (`sync.backends.base`) hands them on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Grid = list[list[Any]]
"""Values of one range as the API returns them: ragged rows, trailing empties trimmed."""


@dataclass(frozen=True)
class SheetInfo:
    """What the worker needs to know about one tab."""

    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    conditional_formats: tuple[Mapping[str, Any], ...] = ()
    protected_ranges: tuple[Mapping[str, Any], ...] = ()
    charts: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class SpreadsheetInfo:
    """Title, time zone and tabs of one spreadsheet."""

    spreadsheet_id: str
    title: str
    time_zone: str
    sheets: tuple[SheetInfo, ...]
    named_ranges: tuple[Mapping[str, Any], ...] = ()

    def by_title(self) -> dict[str, SheetInfo]:
        """Tabs keyed by their exact title."""
        return {s.title: s for s in self.sheets}


def quote_title(title: str) -> str:
    """Quote a tab title for an A1 range the way gspread does (embedded quotes doubled)."""
    return "'" + title.replace("'", "''") + "'"
