"""
What a person does in the Sheets UI, replayed against the emulator's store.

Each edit is the request the UI itself sends (``insertDimension``, ``deleteDimension``,
``sortRange``, ``moveDimension``, a USER_ENTERED values write) applied through
``SheetsApi.handle``, so notes, formats, validation and developer metadata move exactly as
the emulator's core moves them for the real API. Schedule them between a worker's
requests with ``handle.faults.before_request(n, lambda store: insert_rows(store, ...))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sheets_emulator.api.router import ApiRequest, SheetsApi
from sheets_emulator.model.a1 import column_index, quote_title
from sheets_emulator.model.store import Store

__all__ = [
    "EditRejected",
    "delete_rows",
    "insert_rows",
    "move_rows",
    "sort_rows",
    "type_value",
    "type_values",
]


class EditRejected(RuntimeError):
    """
    Raised when the emulator refuses a person's edit, with Google's error message.
    """


def _sheet_id(store: Store, spreadsheet_id: str, tab: str) -> tuple[int, int]:
    with store.lock:
        sheet = store.get(spreadsheet_id).sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"spreadsheet {spreadsheet_id} has no tab {tab!r}")
        return sheet.sheet_id, sheet.column_count


def _call(store: Store, request: ApiRequest) -> Any:
    response = SheetsApi(store).handle(request)
    if not 200 <= response.status < 300:
        message = response.body
        if isinstance(message, dict):
            message = (message.get("error") or {}).get("message", message)
        raise EditRejected(f"{request.method} {request.raw_path} → {response.status}: {message}")
    return response.body


def _batch(store: Store, spreadsheet_id: str, requests: list[dict[str, Any]]) -> Any:
    return _call(
        store,
        ApiRequest(
            method="POST",
            raw_path=f"/v4/spreadsheets/{quote(spreadsheet_id, safe='')}:batchUpdate",
            body={"requests": requests},
        ),
    )


def _column(by_col: int | str) -> int:
    return by_col - 1 if isinstance(by_col, int) else column_index(by_col)


def type_values(
    store: Store, spreadsheet_id: str, tab: str, start_a1: str, rows: Sequence[Sequence[Any]]
) -> None:
    """
    Type (or paste) a block of values starting at ``start_a1``, parsed as the UI parses typing.
    """
    target = quote(f"{quote_title(tab)}!{start_a1}", safe="")
    _call(
        store,
        ApiRequest(
            method="PUT",
            raw_path=f"/v4/spreadsheets/{quote(spreadsheet_id, safe='')}/values/{target}",
            query={"valueInputOption": ["USER_ENTERED"]},
            body={"values": [list(r) for r in rows]},
        ),
    )


def type_value(store: Store, spreadsheet_id: str, tab: str, a1: str, value: Any) -> None:
    """
    Type one value into one cell (``""`` empties it).
    """
    type_values(store, spreadsheet_id, tab, a1, [[value]])


def _span(
    store: Store, spreadsheet_id: str, tab: str, dimension: str, first: int, count: int
) -> dict[str, Any]:
    """The DimensionRange of ``count`` rows/columns from 1-based ``first``."""
    sheet_id, _ = _sheet_id(store, spreadsheet_id, tab)
    return {
        "sheetId": sheet_id,
        "dimension": dimension,
        "startIndex": first - 1,
        "endIndex": first - 1 + count,
    }


def _insert(
    store: Store, spreadsheet_id: str, tab: str, dimension: str, first: int, count: int
) -> None:
    span = _span(store, spreadsheet_id, tab, dimension, first, count)
    request = {"insertDimension": {"range": span, "inheritFromBefore": first > 1}}
    _batch(store, spreadsheet_id, [request])


def _delete(
    store: Store, spreadsheet_id: str, tab: str, dimension: str, first: int, count: int
) -> None:
    span = _span(store, spreadsheet_id, tab, dimension, first, count)
    _batch(store, spreadsheet_id, [{"deleteDimension": {"range": span}}])


def insert_rows(
    store: Store,
    spreadsheet_id: str,
    tab: str,
    at_row: int,
    count: int = 1,
    values: Sequence[Sequence[Any]] | None = None,
) -> None:
    """
    Insert ``count`` rows so the first new one is row ``at_row`` (1-based), then type ``values``.

    Like "Insert row above", the new rows take their formatting from the row above them.
    """
    _insert(store, spreadsheet_id, tab, "ROWS", at_row, count)
    if values:
        type_values(store, spreadsheet_id, tab, f"A{at_row}", values)


def insert_columns(
    store: Store, spreadsheet_id: str, tab: str, at_col: int, count: int = 1
) -> None:
    """
    Insert ``count`` columns so the first new one is column ``at_col`` (1-based: A is 1).

    Like "Insert column left"; everything right of it (and whatever is anchored there) moves.
    """
    _insert(store, spreadsheet_id, tab, "COLUMNS", at_col, count)


def delete_rows(
    store: Store, spreadsheet_id: str, tab: str, start_row: int, count: int = 1
) -> None:
    """
    Delete ``count`` rows starting at row ``start_row`` (1-based), as "Delete row" does.
    """
    _delete(store, spreadsheet_id, tab, "ROWS", start_row, count)


def delete_columns(
    store: Store, spreadsheet_id: str, tab: str, at_col: int, count: int = 1
) -> None:
    """
    Delete ``count`` columns starting at column ``at_col`` (1-based: A is 1), as "Delete column".
    """
    _delete(store, spreadsheet_id, tab, "COLUMNS", at_col, count)


def delete_named_range(store: Store, spreadsheet_id: str, name: str) -> None:
    """
    Remove a named range by its name, as Data → Named ranges → Remove does.
    """
    with store.lock:
        ids = [
            n.get("namedRangeId")
            for n in store.get(spreadsheet_id).named_ranges
            if n.get("name") == name
        ]
    if not ids:
        raise KeyError(f"spreadsheet {spreadsheet_id} has no named range {name!r}")
    _batch(store, spreadsheet_id, [{"deleteNamedRange": {"namedRangeId": ids[0]}}])


def sort_rows(
    store: Store,
    spreadsheet_id: str,
    tab: str,
    start_row: int,
    end_row: int,
    by_col: int | str,
    descending: bool = False,
) -> None:
    """
    Sort rows ``start_row``..``end_row`` (1-based, inclusive) by a column (1-based or letters).

    This is "Data → Sort range" over whole rows, which sends ``sortRange``.
    """
    sheet_id, columns = _sheet_id(store, spreadsheet_id, tab)
    _batch(
        store,
        spreadsheet_id,
        [
            {
                "sortRange": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": start_row - 1,
                        "endRowIndex": end_row,
                        "startColumnIndex": 0,
                        "endColumnIndex": columns,
                    },
                    "sortSpecs": [
                        {
                            "dimensionIndex": _column(by_col),
                            "sortOrder": "DESCENDING" if descending else "ASCENDING",
                        }
                    ],
                }
            }
        ],
    )


def move_rows(
    store: Store, spreadsheet_id: str, tab: str, start_row: int, count: int, to_row: int
) -> None:
    """
    Drag ``count`` rows from ``start_row`` to before row ``to_row`` (1-based, numbered pre-move).
    """
    sheet_id, _ = _sheet_id(store, spreadsheet_id, tab)
    _batch(
        store,
        spreadsheet_id,
        [
            {
                "moveDimension": {
                    "source": {
                        "sheetId": sheet_id,
                        "dimension": "ROWS",
                        "startIndex": start_row - 1,
                        "endIndex": start_row - 1 + count,
                    },
                    "destinationIndex": to_row - 1,
                }
            }
        ],
    )
