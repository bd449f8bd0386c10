"""
The backend as a run sees it: every call counted, each one API request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sync.backends.base import Grid, SheetsBackend, SpreadsheetInfo, ValuesRead, read_values

if TYPE_CHECKING:
    from sync.core.diff import Request


class Counter:
    """Counts the requests a run makes (each backend call is one API request)."""

    def __init__(self, backend: SheetsBackend) -> None:
        self.backend = backend
        self.reads = 0
        self.writes = 0

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        self.reads += 1
        return self.backend.read_ranges(spreadsheet_id, ranges)

    def read_values(self, spreadsheet_id: str, ranges: Sequence[str]) -> ValuesRead:
        self.reads += 1
        return read_values(self.backend, spreadsheet_id, ranges)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        self.reads += 1
        return self.backend.read_info(spreadsheet_id)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        self.writes += 1
        return self.backend.batch_update(spreadsheet_id, requests)

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        self.writes += 1
        return self.backend.write_values(spreadsheet_id, data, input_option=input_option)
