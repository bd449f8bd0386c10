"""
Common plumbing for batchUpdate request handlers: the transaction context and JSON utilities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sheets_emulator.api.public import public as public
from sheets_emulator.model.a1 import Grid, grid_from_range
from sheets_emulator.model.errors import ApiError, RequestInvalid
from sheets_emulator.model.store import MAX_CELLS, CellValue, Row, Sheet, Spreadsheet, Store


@dataclass
class Context:
    """
    One batchUpdate transaction: handlers mutate ``spreadsheet`` (a clone) and may draw new IDs.

    Tabs are cloned on first modification (``writable``), except for in-place value writes,
    which are journaled (``save_row``) and undone by ``rollback`` when the batch fails.
    """

    store: Store
    spreadsheet: Spreadsheet
    principal: str | None
    body_has_nulls: bool = True
    """False when the request bytes held no JSON null: payloads are then used as decoded."""
    cloned: set[int] = field(default_factory=set)
    # Rows of shared (not cloned) tabs whose values were changed in place, with their prior state
    # (the Row or None, and a copy of its values), so a failing batch can put them back.
    journal: list[tuple[Sheet, int, Row | None, list[CellValue]]] = field(default_factory=list)
    journaled: set[tuple[int, int]] = field(default_factory=set)
    # sheetId -> (position, tab) of the last lookup, rechecked against the live list on use.
    found: dict[int, tuple[int, Sheet]] = field(default_factory=dict, init=False, repr=False)
    # Lower-cased named-range name -> IDs carrying it, and the named ranges it was read from.
    _names: dict[str, list[Any]] = field(default_factory=dict, init=False, repr=False)
    _names_source: list[dict[str, Any]] = field(default_factory=list, init=False, repr=False)

    def shared(self, sheet: Sheet) -> bool:
        """
        Tell whether a tab is still the stored one (changing it in place needs ``save_row``).
        """
        return sheet.sheet_id not in self.cloned

    def save_row(self, sheet: Sheet, index: int) -> None:
        """
        Remember a shared tab's row before its values change in place; a no-op after the first.

        Cloning a whole tab for a handful of changed rows cost more than the change itself, so
        plain value writes go straight into the stored tab and ``rollback`` undoes them.
        """
        key = (id(sheet), index)
        if key in self.journaled:
            return
        self.journaled.add(key)
        row = sheet.rows[index]
        self.journal.append((sheet, index, row, list(row.values) if row is not None else []))

    def rollback(self) -> None:
        """
        Undo every in-place change recorded by ``save_row``, newest first.
        """
        for sheet, index, row, values in reversed(self.journal):
            if row is not None:
                row.values[:] = values
            sheet.rows[index] = row
        self.journal.clear()
        self.journaled.clear()

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

    def named_range_names(self) -> dict[str, list[Any]]:
        """
        Map each lower-cased named-range name to the IDs carrying it, as the batch sees them.

        A set-up batch adds a hundred named ranges, each name checked against every other, so
        the map is kept between requests: extended when one named range was appended since,
        rebuilt when the list no longer equals (entry by entry, identity first) the one it was
        read from. Handlers change a named range by replacing its dict, never in place.
        """
        ranges = self.spreadsheet.named_ranges
        source = self._names_source
        if len(ranges) == len(source) + 1 and ranges[:-1] == source:
            added = ranges[-1]
            self._names.setdefault(added.get("name", "").lower(), []).append(
                added.get("namedRangeId")
            )
            source.append(added)
        elif ranges != source:
            names: dict[str, list[Any]] = {}
            for n in ranges:
                names.setdefault(n.get("name", "").lower(), []).append(n.get("namedRangeId"))
            self._names, self._names_source = names, list(ranges)
        return self._names

    def new_id(self, taken: Any = ()) -> int:
        """
        Draw a fresh positive integer ID.
        """
        return self.store.new_int_id(taken)

    def find(self, sheet_id: Any) -> Sheet:
        """
        Find a sheet by ID as the transaction sees it (no copy) or fail the way Google does.

        A batch addresses the same few tabs tens of thousands of times, so the last position of
        each ID is remembered and used while that slot still holds that tab.
        """
        key = int(sheet_id or 0)
        sheets = self.spreadsheet.sheets
        hit = self.found.get(key)
        if hit is not None:
            index, sheet = hit
            if index < len(sheets) and sheets[index] is sheet and sheet.sheet_id == key:
                return sheet
        for index, sheet in enumerate(sheets):
            if sheet.sheet_id == key:
                self.found[key] = (index, sheet)
                return sheet
        raise RequestInvalid(f"No grid with id: {key}")

    def sheet(self, sheet_id: Any) -> Sheet:
        """
        Find a sheet by ID, made writable, or fail the request the way Google does.
        """
        return self.writable(self.find(sheet_id))

    def grid(self, data: Any, *, name: str = "range", writable: bool = True) -> Grid:
        """
        Resolve a GridRange from a request body, turning API errors into request errors.

        With ``writable=False`` the tab is not cloned (the caller journals what it changes).
        """
        if not isinstance(data, dict):
            raise RequestInvalid(f"Missing {name}")
        if writable:
            self.sheet(data.get("sheetId"))
        else:
            self.find(data.get("sheetId"))
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
        return {
            k: strip_nulls(v) if isinstance(v, (dict, list)) else v
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list):
        return [strip_nulls(v) if isinstance(v, (dict, list)) else v for v in value]
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


def merge_overlaps(merge: dict[str, Any], grid: Grid) -> bool:
    """Whether a merge and a range share a cell."""
    return (
        merge["startRowIndex"] < grid.r1
        and grid.r0 < merge["endRowIndex"]
        and merge["startColumnIndex"] < grid.c1
        and grid.c0 < merge["endColumnIndex"]
    )


def merge_inside(merge: dict[str, Any], grid: Grid) -> bool:
    """Whether a merge lies wholly inside a range."""
    return (
        grid.r0 <= merge["startRowIndex"]
        and merge["endRowIndex"] <= grid.r1
        and grid.c0 <= merge["startColumnIndex"]
        and merge["endColumnIndex"] <= grid.c1
    )
