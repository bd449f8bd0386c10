"""
Developer metadata requests: createDeveloperMetadata, updateDeveloperMetadata,
deleteDeveloperMetadata (https://developers.google.com/sheets/api/guides/metadata).

Row/column metadata is attached to the ``Row``/``Column`` object, so it moves with insertDimension,
deleteDimension (deleted with its row) and moveDimension; sortRange leaves rows in place, so
metadata stays with the row position (see ``ranges``).
"""

from __future__ import annotations

from typing import Any

from sheets_emulator.api.batch_update._common import Context, Handler, need
from sheets_emulator.api.datafilter import Location, locate, matching_metadata, metadata_json
from sheets_emulator.api.fields import merge_masked, parse_mask
from sheets_emulator.model.errors import ApiError, RequestInvalid
from sheets_emulator.model.store import Column, Row

_VISIBILITY = ("DOCUMENT", "PROJECT")


def _detach(ctx: Context, mid: int) -> None:
    for sheet in list(ctx.spreadsheet.sheets):
        holders: list[Row | Column] = [
            *(r for _, r in sheet.used_rows()),
            *(c for c in sheet.columns if c is not None),
        ]
        if any(h.metadata and mid in h.metadata for h in holders):
            own = ctx.writable(sheet)
            own_holders: list[Row | Column] = [
                *(r for _, r in own.used_rows()),
                *(c for c in own.columns if c is not None),
            ]
            for holder in own_holders:
                if holder.metadata and mid in holder.metadata:
                    holder.metadata.remove(mid)
                    if not holder.metadata:
                        holder.metadata = None


def _attach(ctx: Context, mid: int, location: Any) -> tuple[dict[str, Any], Location]:
    """
    Place metadata at a location; returns the stored location and where it now sits.
    """
    if not isinstance(location, dict):
        raise RequestInvalid("developerMetadata.location is required.")
    if location.get("spreadsheet"):
        return {"locationType": "SPREADSHEET"}, ("SPREADSHEET", None, None)
    if location.get("sheetId") is not None and location.get("dimensionRange") is None:
        sheet = ctx.sheet(location["sheetId"])
        return {"locationType": "SHEET", "sheetId": sheet.sheet_id}, ("SHEET", sheet, None)
    dim = location.get("dimensionRange")
    if not isinstance(dim, dict):
        raise RequestInvalid(
            "developerMetadata.location must set spreadsheet, sheetId or dimensionRange."
        )
    sheet = ctx.sheet(dim.get("sheetId"))
    start, end = dim.get("startIndex"), dim.get("endIndex")
    if start is None or end is None or int(end) - int(start) != 1:
        raise RequestInvalid(
            "The specified DimensionRange must represent a single row or column. "
            "It cannot be unbounded or span multiple rows or columns."
        )
    index = int(start)
    if dim.get("dimension") == "ROWS":
        if index >= sheet.row_count:
            raise RequestInvalid(f"Row {index} is outside the grid.")
        holder: Any = sheet.row(index)
        kind = "ROW"
    elif dim.get("dimension") == "COLUMNS":
        if index >= sheet.column_count:
            raise RequestInvalid(f"Column {index} is outside the grid.")
        holder = sheet.column(index)
        kind = "COLUMN"
    else:
        raise RequestInvalid(f"Invalid dimension: {dim.get('dimension')}")
    holder.metadata = [*(holder.metadata or []), mid]
    return {"locationType": kind, "sheetId": sheet.sheet_id}, (kind, sheet, index)


def create_developer_metadata(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Create metadata at a spreadsheet, sheet, row or column location; replies with its metadataId.
    """
    data = need(body, "developerMetadata")
    if not data.get("metadataKey"):
        raise RequestInvalid("developerMetadata.metadataKey is required.")
    visibility = data.get("visibility") or "DOCUMENT"
    if visibility not in _VISIBILITY:
        raise RequestInvalid(f"Invalid visibility: {visibility}")
    store = ctx.spreadsheet.developer_metadata
    mid = data.get("metadataId")
    if mid is not None:
        mid = int(mid)
        if mid <= 0:
            raise RequestInvalid("metadataId must be positive.")
        if mid in store:
            raise RequestInvalid(f"Developer metadata with ID {mid} already exists.")
    else:
        mid = ctx.new_id(store.keys())
    location, where = _attach(ctx, mid, data.get("location"))
    store[mid] = {
        "metadataKey": str(data["metadataKey"]),
        "metadataValue": data.get("metadataValue"),
        "visibility": visibility,
        "location": location,
    }
    reply = metadata_json(ctx.spreadsheet, mid, {mid: where})
    return {"createDeveloperMetadata": {"developerMetadata": reply}}


def _matches(ctx: Context, filters: Any) -> list[int]:
    found: list[int] = []
    for data_filter in filters or []:
        try:
            for mid in matching_metadata(ctx.spreadsheet, data_filter):
                if mid not in found:
                    found.append(mid)
        except ApiError as exc:
            raise RequestInvalid(exc.message) from exc
    return found


def update_developer_metadata(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Update the masked fields of every metadata entry matched by ``dataFilters``.
    """
    filters = need(body, "dataFilters")
    data = need(body, "developerMetadata")
    mask = parse_mask(str(need(body, "fields")))
    if "metadataId" in mask:
        raise RequestInvalid("metadataId cannot be updated.")
    updated = []
    for mid in _matches(ctx, filters):
        current = ctx.spreadsheet.developer_metadata[mid]
        merged = merge_masked(current, data, {k: v for k, v in mask.items() if k != "location"})
        if merged.get("visibility", "DOCUMENT") not in _VISIBILITY:
            raise RequestInvalid(f"Invalid visibility: {merged.get('visibility')}")
        if "location" in mask:
            _detach(ctx, mid)
            merged["location"], _ = _attach(ctx, mid, data.get("location"))
        ctx.spreadsheet.developer_metadata[mid] = merged
        updated.append(mid)
    where = locate(ctx.spreadsheet)
    items = [metadata_json(ctx.spreadsheet, mid, where) for mid in updated]
    return {"updateDeveloperMetadata": {"developerMetadata": items} if items else {}}


def delete_developer_metadata(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Delete every metadata entry matched by ``dataFilter``; replies with what was deleted.
    """
    where = locate(ctx.spreadsheet)
    matched = _matches(ctx, [need(body, "dataFilter")])
    deleted = [metadata_json(ctx.spreadsheet, mid, where) for mid in matched]
    for mid in matched:
        _detach(ctx, mid)
        del ctx.spreadsheet.developer_metadata[mid]
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted} if deleted else {}}


HANDLERS: dict[str, Handler] = {
    "createDeveloperMetadata": create_developer_metadata,
    "updateDeveloperMetadata": update_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
}
