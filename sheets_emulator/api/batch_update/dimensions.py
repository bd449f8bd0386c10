"""
Row/column requests: appendDimension, insertDimension, deleteDimension, moveDimension,
updateDimensionProperties, autoResizeDimensions and the dimension-group requests.

Row/column developer metadata follows its row or column on insert, delete (deleted with it) and
move, as https://developers.google.com/sheets/api/guides/metadata documents.
"""

from __future__ import annotations

from typing import Any

from sheets_emulator.api.batch_update._common import Context, Handler, dimension, need
from sheets_emulator.api.fields import merge_masked, parse_mask
from sheets_emulator.model.errors import RequestInvalid
from sheets_emulator.model.render import render_value
from sheets_emulator.model.shift import (
    append_dimension,
    delete_dimension,
    insert_dimension,
    move_dimension,
)
from sheets_emulator.model.store import Column, Row, Sheet
from sheets_emulator.model.textwidth import fitted_height_px, fitted_width_px


def _span(ctx: Context, data: Any, *, bounded: bool = True) -> tuple[Sheet, str, int, int]:
    if not isinstance(data, dict):
        raise RequestInvalid("Missing range")
    sheet = ctx.sheet(data.get("sheetId"))
    dim = dimension(data.get("dimension"))
    size = sheet.row_count if dim == "ROWS" else sheet.column_count
    start = int(data.get("startIndex") or 0)
    end = int(data["endIndex"]) if data.get("endIndex") is not None else size
    if start < 0 or end < start:
        raise RequestInvalid(f"Invalid dimension range: startIndex {start}, endIndex {end}")
    if bounded and end > size:
        raise RequestInvalid(
            f"Invalid dimension range: endIndex {end} is past the end of the grid ({size})"
        )
    return sheet, dim, start, end


def append_dimension_request(ctx: Context, body: dict[str, Any]) -> None:
    """
    Add rows or columns at the end of a sheet, within the 10M-cell workbook limit.
    """
    sheet = ctx.sheet(need(body, "sheetId"))
    dim = dimension(body.get("dimension"))
    length = int(need(body, "length"))
    if length < 1:
        raise RequestInvalid("length must be greater than 0")
    extra = length * (sheet.column_count if dim == "ROWS" else sheet.row_count)
    ctx.check_cells(extra)
    append_dimension(sheet, dim, length)


def insert_dimension_request(ctx: Context, body: dict[str, Any]) -> None:
    """
    Insert empty rows/columns, shifting everything positioned below or right of them.
    """
    ctx.all_writable()
    span = need(body, "range")
    if isinstance(span, dict) and (span.get("startIndex") is None or span.get("endIndex") is None):
        # "Both the start and end indexes must be bounded" (InsertDimensionRequest.range).
        raise RequestInvalid("The range to insert must have both a startIndex and an endIndex.")
    sheet, dim, start, end = _span(ctx, span, bounded=False)
    size = sheet.row_count if dim == "ROWS" else sheet.column_count
    if start > size:
        raise RequestInvalid(f"Cannot insert at index {start}: the grid has only {size}")
    inherit = bool(body.get("inheritFromBefore", False))
    if inherit and start == 0:
        raise RequestInvalid("Cannot inherit properties from before the first row or column.")
    count = end - start
    if count < 1:
        raise RequestInvalid("The range to insert must not be empty.")
    ctx.check_cells(count * (sheet.column_count if dim == "ROWS" else sheet.row_count))
    insert_dimension(ctx.spreadsheet, sheet, dim, start, end, inherit_before=inherit)


def delete_dimension_request(ctx: Context, body: dict[str, Any]) -> None:
    """
    Delete rows/columns with their contents and metadata.
    """
    ctx.all_writable()
    sheet, dim, start, end = _span(ctx, need(body, "range"), bounded=False)
    size = sheet.row_count if dim == "ROWS" else sheet.column_count
    end = min(end, size)
    if start >= end:
        raise RequestInvalid("The range to delete must not be empty.")
    if start == 0 and end == size:
        noun = "rows" if dim == "ROWS" else "columns"
        raise RequestInvalid(f"You can't delete all the {noun} on the sheet.")
    delete_dimension(ctx.spreadsheet, sheet, dim, start, end)


def move_dimension_request(ctx: Context, body: dict[str, Any]) -> None:
    """
    Move rows/columns to ``destinationIndex`` (counted before the source is removed).
    """
    ctx.all_writable()
    sheet, dim, start, end = _span(ctx, need(body, "source"))
    size = sheet.row_count if dim == "ROWS" else sheet.column_count
    dest = int(need(body, "destinationIndex"))
    if dest < 0 or dest > size:
        raise RequestInvalid(f"destinationIndex {dest} is outside the grid")
    if start < dest < end:
        raise RequestInvalid("The destination must not be inside the source range.")
    if start < end:
        move_dimension(ctx.spreadsheet, sheet, dim, start, end, dest)


def update_dimension_properties(ctx: Context, body: dict[str, Any]) -> None:
    """
    Set masked DimensionProperties (pixelSize, hiddenByUser) on a span of rows or columns.
    """
    sheet, dim, start, end = _span(ctx, need(body, "range"))
    mask = parse_mask(str(need(body, "fields")))
    props = need(body, "properties")
    for i in range(start, end):
        holder = sheet.row(i) if dim == "ROWS" else sheet.column(i)
        current: dict[str, Any] = {}
        if holder.pixel_size is not None:
            current["pixelSize"] = holder.pixel_size
        if holder.hidden:
            current["hiddenByUser"] = True
        merged = merge_masked(current, props, mask)
        size = merged.get("pixelSize")
        holder.pixel_size = int(size) if size is not None else None
        holder.hidden = bool(merged.get("hiddenByUser", False))


def _displayed(ctx: Context, sheet: Sheet, r: int, c: int) -> tuple[str, float]:
    value = sheet.cell(r, c)
    if value is None:
        return "", 10
    text = render_value(ctx.spreadsheet, sheet, value, "FORMATTED_VALUE", "SERIAL_NUMBER")
    fmt = sheet.extra("formats", r, c) or {}
    size = (fmt.get("textFormat") or {}).get("fontSize") or 10
    return str(text), float(size)


def auto_resize_dimensions(ctx: Context, body: dict[str, Any]) -> None:
    """
    Fit columns to their widest displayed text and rows to their tallest cell, as Google does.

    Widths are estimated from Arial 10's character widths (``textwidth``); a row or column with
    nothing in it goes back to the default size.
    """
    sheet, dim, start, end = _span(ctx, need(body, "dimensions"))
    for i in range(start, end):
        if dim == "ROWS":
            row = sheet.rows[i]
            texts = [_displayed(ctx, sheet, i, c) for c in range(len(row.values))] if row else []
            size = fitted_height_px(texts)
            holder: Row | Column | None = sheet.row(i) if size is not None else row
        else:
            texts = [_displayed(ctx, sheet, r, i) for r in range(sheet.row_count)]
            size = fitted_width_px(texts)
            holder = sheet.column(i) if size is not None else sheet.columns[i]
        if holder is not None:
            holder.pixel_size = size


def _groups(sheet: Sheet, dim: str) -> list[dict[str, Any]]:
    return sheet.row_groups if dim == "ROWS" else sheet.column_groups


def _group_range(sheet: Sheet, dim: str, start: int, end: int) -> dict[str, Any]:
    return {"sheetId": sheet.sheet_id, "dimension": dim, "startIndex": start, "endIndex": end}


def _recompute_depths(groups: list[dict[str, Any]]) -> None:
    # A group's depth is one more than the number of groups strictly containing it.
    for g in groups:
        r = g["range"]
        g["depth"] = 1 + sum(
            1
            for o in groups
            if o is not g
            and o["range"]["startIndex"] <= r["startIndex"]
            and r["endIndex"] <= o["range"]["endIndex"]
            and (o["range"]["startIndex"], o["range"]["endIndex"])
            != (r["startIndex"], r["endIndex"])
        )
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))


def add_dimension_group(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Group rows/columns; the reply lists every group of that dimension, as Google's does.
    """
    sheet, dim, start, end = _span(ctx, need(body, "range"))
    if start >= end:
        raise RequestInvalid("The group range must not be empty.")
    groups = _groups(sheet, dim)
    if any((g["range"]["startIndex"], g["range"]["endIndex"]) == (start, end) for g in groups):
        raise RequestInvalid("A group with this range already exists.")
    groups.append({"range": _group_range(sheet, dim, start, end), "depth": 1})
    # Google turns the group's +/- control to after the group and keeps it so afterwards.
    if dim == "ROWS":
        sheet.row_group_control_after = True
    else:
        sheet.column_group_control_after = True
    _recompute_depths(groups)
    return {"addDimensionGroup": {"dimensionGroups": list(groups)}}


def delete_dimension_group(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Remove the group over exactly this range; the reply lists the groups that remain.
    """
    sheet, dim, start, end = _span(ctx, need(body, "range"))
    groups = _groups(sheet, dim)
    match = [
        g for g in groups if (g["range"]["startIndex"], g["range"]["endIndex"]) == (start, end)
    ]
    if not match:
        raise RequestInvalid("No group matches the given range.")
    groups.remove(match[-1])
    _recompute_depths(groups)
    return {"deleteDimensionGroup": {"dimensionGroups": list(groups)} if groups else {}}


def update_dimension_group(ctx: Context, body: dict[str, Any]) -> None:
    """
    Collapse or expand a group (the ``collapsed`` field).
    """
    group = need(body, "dimensionGroup")
    sheet, dim, start, end = _span(ctx, need(group, "range"))
    mask = parse_mask(str(need(body, "fields")))
    for g in _groups(sheet, dim):
        if (g["range"]["startIndex"], g["range"]["endIndex"]) == (start, end):
            merged = merge_masked(g, group, {k: v for k, v in mask.items() if k == "collapsed"})
            g.clear()
            g.update(merged)
            return
    raise RequestInvalid("No group matches the given range.")


HANDLERS: dict[str, Handler] = {
    "appendDimension": append_dimension_request,
    "insertDimension": insert_dimension_request,
    "deleteDimension": delete_dimension_request,
    "moveDimension": move_dimension_request,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
    "addDimensionGroup": add_dimension_group,
    "deleteDimensionGroup": delete_dimension_group,
    "updateDimensionGroup": update_dimension_group,
}
