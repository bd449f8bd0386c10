"""
Common plumbing for batchUpdate request handlers: the transaction context and JSON utilities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.emulator.a1 import Grid, grid_from_range
from sync.emulator.errors import ApiError, RequestInvalid
from sync.emulator.sheets_get import public as public
from sync.emulator.store import MAX_CELLS, Sheet, Spreadsheet, Store


@dataclass
class Context:
    """
    One batchUpdate transaction: handlers mutate ``spreadsheet`` (a clone) and may draw new IDs.
    """

    store: Store
    spreadsheet: Spreadsheet
    principal: str | None
    cloned: set[int] = field(default_factory=set)

    def writable(self, sheet: Sheet) -> Sheet:
        """
        Return the transaction's own copy of a tab, cloning it on first modification.
        """
        if sheet.sheet_id in self.cloned:
            return sheet
        index = next(i for i, s in enumerate(self.spreadsheet.sheets) if s is sheet)
        twin = sheet.clone()
        self.spreadsheet.sheets[index] = twin
        self.cloned.add(twin.sheet_id)
        return twin

    def all_writable(self) -> None:
        """
        Make every tab writable, for changes that re-index objects across sheets (chart sources).
        """
        for sheet in list(self.spreadsheet.sheets):
            if sheet.charts:
                self.writable(sheet)

    def new_id(self, taken: Any = ()) -> int:
        """
        Draw a fresh positive integer ID.
        """
        return self.store.new_int_id(taken)

    def sheet(self, sheet_id: Any) -> Sheet:
        """
        Find a sheet by ID or fail the request the way Google does.
        """
        sheet = self.spreadsheet.sheet_by_id(int(sheet_id or 0))
        if sheet is None:
            raise RequestInvalid(f"No grid with id: {int(sheet_id or 0)}")
        return self.writable(sheet)

    def grid(self, data: Any, *, name: str = "range") -> Grid:
        """
        Resolve a GridRange from a request body, turning API errors into request errors.
        """
        if not isinstance(data, dict):
            raise RequestInvalid(f"Missing {name}")
        self.sheet(data.get("sheetId"))
        try:
            return grid_from_range(self.spreadsheet, data)
        except ApiError as exc:
            raise RequestInvalid(exc.message) from exc

    def check_cells(self, extra: int = 0) -> None:
        """
        Enforce the 10M-cell workbook limit after a change, or for ``extra`` cells to be added.
        """
        if self.spreadsheet.cell_count() + extra > MAX_CELLS:
            raise RequestInvalid(
                "This action would increase the number of cells in the workbook above the limit "
                f"of {MAX_CELLS} cells."
            )


Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]


def strip_nulls(value: Any) -> Any:
    """
    Drop explicit JSON nulls recursively: for the API a null field is an absent field.
    """
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def need(body: dict[str, Any], key: str) -> Any:
    """
    Return a required body field or fail the request.
    """
    if body.get(key) is None:
        raise RequestInvalid(f"Missing {key}")
    return body[key]


def dimension(value: Any) -> str:
    """
    Validate a ROWS/COLUMNS dimension.
    """
    if value not in ("ROWS", "COLUMNS"):
        raise RequestInvalid(f"Invalid dimension: {value}")
    return str(value)


def stored_range(grid: Grid, original: dict[str, Any]) -> dict[str, Any]:
    """
    Store a GridRange keeping the caller's unbounded sides unbounded, with an explicit sheetId.
    """
    out: dict[str, Any] = {"sheetId": grid.sheet.sheet_id}
    for key in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"):
        if original.get(key) is not None:
            out[key] = int(original[key])
    return out
