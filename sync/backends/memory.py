"""
A backend that calls the emulator's API object in-process: same semantics, no HTTP.

For analysts' notebooks, fast tests of the pipeline and benchmarks of the pure parts. The
same pipeline also runs through gspread against the emulator over a socket (see
`sync.backends.gspread_backend`); a contract test holds both to the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import msgspec

from sheets_emulator.api.router import ApiRequest, SheetsApi
from sheets_emulator.model.store import Store
from sync.backends.base import INFO_FIELDS, ApiCall, Grid, SpreadsheetInfo, Tracer, parse_info
from sync.core.errors import error_for_status

if TYPE_CHECKING:
    from sync.core.diff import Request


class MemoryBackend:
    """SheetsBackend over an in-process emulator store."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        tracer: Tracer | None = None,
        before_request: Callable[[int, Store], None] | None = None,
    ) -> None:
        self.store = store or Store()
        self.api = SheetsApi(self.store)
        self._tracer = tracer
        self._before = before_request
        self.requests = 0

    def _call(
        self,
        kind: str,
        name: str,
        method: str,
        path: str,
        query: Mapping[str, Sequence[str]],
        body: Any = None,
    ) -> Any:
        self.requests += 1
        if self._before is not None:
            # Rehearsal hook: "a person edits" just before request number N is served.
            self._before(self.requests, self.store)
        if self._tracer is not None:
            self._tracer(ApiCall(kind=kind, method=name))
        response = self.api.handle(ApiRequest(method=method, raw_path=path, query=query, body=body))
        if response.status < 300:
            return response.body or {}
        error = (response.body or {}).get("error", {})
        message = str(error.get("message", ""))
        spreadsheet = path.split("/")[3] if path.count("/") >= 3 else ""
        raise error_for_status(response.status, spreadsheet, message)

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """One values:batchGet, in request order."""
        options = {
            "valueRenderOption": ["UNFORMATTED_VALUE"],
            "dateTimeRenderOption": ["SERIAL_NUMBER"],
            "majorDimension": ["ROWS"],
        }
        return self._batch_get(spreadsheet_id, ranges, options)

    def read_formatted(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """One values:batchGet of the cells as people see them (`FORMATTED_VALUE`)."""
        return self._batch_get(spreadsheet_id, ranges, {"valueRenderOption": ["FORMATTED_VALUE"]})

    def _batch_get(
        self, spreadsheet_id: str, ranges: Sequence[str], options: dict[str, list[str]]
    ) -> list[Grid]:
        """The grids of one values:batchGet of `ranges` with the render `options`."""
        body = self._call(
            "read",
            "values.batchGet",
            "GET",
            f"/v4/spreadsheets/{quote(spreadsheet_id, safe='')}/values:batchGet",
            {"ranges": list(ranges), **options},
        )
        return [list(vr.get("values", [])) for vr in body.get("valueRanges", [])]

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        """One spreadsheets.get restricted to the fields the worker uses."""
        body = self._call(
            "read",
            "spreadsheets.get",
            "GET",
            f"/v4/spreadsheets/{quote(spreadsheet_id, safe='')}",
            {"fields": [INFO_FIELDS]},
        )
        return parse_info(spreadsheet_id, body)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        """One atomic spreadsheets:batchUpdate."""
        body = self._call(
            "write",
            "spreadsheets.batchUpdate",
            "POST",
            f"/v4/spreadsheets/{quote(spreadsheet_id, safe='')}:batchUpdate",
            {},
            # The JSON sent, as the API receives it (a request may be encoded already).
            msgspec.json.decode(msgspec.json.encode({"requests": list(requests)})),
        )
        return list(body.get("replies", []))

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        """One values:batchUpdate."""
        body: Mapping[str, Any] = self._call(
            "write",
            "values.batchUpdate",
            "POST",
            f"/v4/spreadsheets/{quote(spreadsheet_id, safe='')}/values:batchUpdate",
            {},
            {"valueInputOption": input_option, "data": list(data)},
        )
        return body
