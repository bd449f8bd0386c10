"""
The one I/O seam of the worker: four calls against a spreadsheet.

The pipeline never imports gspread. Google (through gspread), the emulator in-process and
tests all provide this protocol, so the same run logic works against each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sync.core.sheet import Grid, SheetInfo, SpreadsheetInfo, ValuesRead, quote_title

if TYPE_CHECKING:
    from sync.core.diff import Request

__all__ = [
    "INFO_FIELDS",
    "ApiCall",
    "CallLog",
    "Gate",
    "Grid",
    "SheetInfo",
    "SheetsBackend",
    "SpreadsheetInfo",
    "Tracer",
    "ValuesRead",
    "innermost",
    "parse_info",
    "quote_title",
    "read_formatted",
    "read_values",
]


@dataclass(frozen=True)
class ApiCall:
    """One request made to the service, as reported to a tracer."""

    kind: str  # "read" or "write"
    method: str  # e.g. "values.batchGet"
    detail: str = ""


Tracer = Callable[[ApiCall], None]
"""Receives every API call a backend makes; used for the run report and call-budget tests."""

Gate = Callable[[str], AbstractContextManager[None]]
"""Held around each request sent, by its kind ("read" or "write"): the shared per-minute
quota (`sync.service.quota`), which counts every request the API receives, retries too."""


def innermost(backend: object) -> object:
    """
    The backend a chain of wrappers ends in (each wrapper keeps the one it wraps as
    `.backend`): what only the backend that sends requests can do (hold a gate around each
    attempt, tell of its retries) is asked of it through any wrapper.
    """
    while (inner := getattr(backend, "backend", None)) is not None:
        backend = inner
    return backend


class SheetsBackend(Protocol):
    """Four requests are all a run needs."""

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """One values:batchGet with UNFORMATTED_VALUE and SERIAL_NUMBER, in request order."""
        ...

    # Optional: `read_values(spreadsheet_id, ranges) -> ValuesRead`, the same read with the
    # answer's bytes kept (see `read_values` below), and `read_formatted(spreadsheet_id,
    # ranges) -> list[Grid]`, cells as people see them (`read_formatted`); wrappers pass
    # them on when they can.

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        """One spreadsheets.get of properties, tabs, conditional formats, protections, charts."""
        ...

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        """One atomic spreadsheets:batchUpdate; returns its replies."""
        ...

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        """One values:batchUpdate (`RAW` or `USER_ENTERED`); returns the response body."""
        ...


def read_values(backend: SheetsBackend, spreadsheet_id: str, ranges: Sequence[str]) -> ValuesRead:
    """
    One values:batchGet as a `ValuesRead`: the backend's own when it keeps the answer's bytes
    (`read_values`, optional), else its grids with the digest of their JSON.
    """
    own = getattr(backend, "read_values", None)
    if own is not None:
        read: ValuesRead = own(spreadsheet_id, ranges)
        return read
    return ValuesRead.of_grids(backend.read_ranges(spreadsheet_id, ranges))


def read_formatted(
    backend: SheetsBackend, spreadsheet_id: str, ranges: Sequence[str]
) -> list[Grid] | None:
    """
    One values:batchGet of cells as people see them (`FORMATTED_VALUE`: `92%` where the
    value is 0.92), the backend's optional `read_formatted`; None when it has none (the
    cells are then taken as their values: `sync.core.percent`).
    """
    own = getattr(backend, "read_formatted", None)
    if own is None:
        return None
    grids: list[Grid] = own(spreadsheet_id, ranges)
    return grids


@dataclass
class CallLog:
    """A tracer that keeps every call, for run reports and tests."""

    calls: list[ApiCall] = field(default_factory=list)

    def __call__(self, call: ApiCall) -> None:
        self.calls.append(call)

    @property
    def reads(self) -> int:
        """Number of read requests so far."""
        return sum(1 for c in self.calls if c.kind == "read")

    @property
    def writes(self) -> int:
        """Number of write requests so far."""
        return sum(1 for c in self.calls if c.kind == "write")


INFO_FIELDS = (
    "spreadsheetId,properties(title,timeZone),"
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
    "conditionalFormats,protectedRanges,charts(chartId,spec(title))),"
    "namedRanges(namedRangeId,name,range)"
)
"""Field mask of the metadata read: only what the worker uses (smaller, faster responses)."""


def parse_info(spreadsheet_id: str, body: Mapping[str, Any]) -> SpreadsheetInfo:
    """Turn a spreadsheets.get response (masked by INFO_FIELDS) into SpreadsheetInfo."""
    props = body.get("properties", {})
    sheets = []
    for sheet in body.get("sheets", []):
        p = sheet.get("properties", {})
        grid = p.get("gridProperties", {})
        sheets.append(
            SheetInfo(
                sheet_id=int(p.get("sheetId", 0)),
                title=str(p.get("title", "")),
                index=int(p.get("index", 0)),
                row_count=int(grid.get("rowCount", 0)),
                column_count=int(grid.get("columnCount", 0)),
                conditional_formats=tuple(sheet.get("conditionalFormats", ())),
                protected_ranges=tuple(sheet.get("protectedRanges", ())),
                charts=tuple(sheet.get("charts", ())),
            )
        )
    return SpreadsheetInfo(
        spreadsheet_id=spreadsheet_id,
        title=str(props.get("title", "")),
        time_zone=str(props.get("timeZone", "Asia/Bangkok")),
        sheets=tuple(sorted(sheets, key=lambda s: s.index)),
        named_ranges=tuple(body.get("namedRanges", ())),
    )
