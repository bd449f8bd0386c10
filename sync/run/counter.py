"""
The backend as a run sees it: every request counted, the ones a call retried too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sync.backends.base import (
    Grid,
    SheetsBackend,
    SpreadsheetInfo,
    ValuesRead,
    innermost,
    read_formatted,
    read_values,
)

if TYPE_CHECKING:
    from sync.core.diff import Request


class Counter:
    """
    Counts the requests a run makes: one per backend call, and one more for each retry the
    backend tells of (the quota and the run's report count what Google received).
    """

    def __init__(self, backend: SheetsBackend) -> None:
        self.backend = backend
        self.reads = 0
        self.writes = 0
        self._side = "read"
        """The side of the call under way, which a retry counts on (a run makes one at a time)."""
        self._listeners: list[Any] | None = getattr(innermost(backend), "retry_listeners", None)
        if self._listeners is not None:
            self._listeners.append(self._retried)

    def _sending(self, side: str) -> None:
        """Count one request of this side, the call now under way."""
        self._side = side
        if side == "read":
            self.reads += 1
        else:
            self.writes += 1

    def _retried(self, attempt: int, wait: float, error: BaseException) -> None:
        """The call under way is sent again after `wait` seconds."""
        self._sending(self._side)

    def close(self) -> None:
        """Stop counting the backend's retries (it may serve other runs)."""
        if self._listeners is not None and self._retried in self._listeners:
            self._listeners.remove(self._retried)

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        self._sending("read")
        return self.backend.read_ranges(spreadsheet_id, ranges)

    def read_values(self, spreadsheet_id: str, ranges: Sequence[str]) -> ValuesRead:
        self._sending("read")
        return read_values(self.backend, spreadsheet_id, ranges)

    def read_formatted(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid] | None:
        """Cells as people see them, when the backend can read them (one request then)."""
        if getattr(innermost(self.backend), "read_formatted", None) is None:
            return None  # (no request is made)
        self._sending("read")  # counted as it is sent, as every other request
        return read_formatted(self.backend, spreadsheet_id, ranges)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        self._sending("read")
        return self.backend.read_info(spreadsheet_id)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        self._sending("write")
        return self.backend.batch_update(spreadsheet_id, requests)

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        self._sending("write")
        return self.backend.write_values(spreadsheet_id, data, input_option=input_option)
