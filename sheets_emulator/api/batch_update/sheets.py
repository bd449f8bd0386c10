"""
Sheet-level requests: addSheet, deleteSheet, updateSheetProperties, updateSpreadsheetProperties,
duplicateSheet (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request).

duplicateSheet copies values, notes, formats, validation, merges, conditional formats and the
basic filter; it does not copy developer metadata, protected ranges or charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheets_emulator.api.batch_update._common import Context, Handler, need
from sheets_emulator.api.fields import merge_masked, parse_mask
from sheets_emulator.api.spreadsheets_get import sheet_properties
from sheets_emulator.model.errors import RequestInvalid
from sheets_emulator.model.shift import resize
from sheets_emulator.model.store import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    Column,
    Row,
    Sheet,
    Spreadsheet,
    Store,
)

if TYPE_CHECKING:
    from sheets_emulator.api.call import Call


def _check_title(ctx: Context, title: Any, *, own: Sheet | None = None) -> str:
    if not isinstance(title, str) or not title.strip():
        raise RequestInvalid("Sheet title must not be empty.")
    for other in ctx.spreadsheet.sheets:
        if other is not own and other.title.lower() == title.lower():
            raise RequestInvalid(
                f'A sheet with the name "{title}" already exists. Please enter another name.'
            )
    return title


def _default_title(ctx: Context) -> str:
    n = len(ctx.spreadsheet.sheets) + 1
    titles = {s.title.lower() for s in ctx.spreadsheet.sheets}
    while f"sheet{n}" in titles:
        n += 1
    return f"Sheet{n}"


def _color(props: dict[str, Any]) -> dict[str, Any] | None:
    style = props.get("tabColorStyle")
    if isinstance(style, dict) and isinstance(style.get("rgbColor"), dict):
        return dict(style["rgbColor"])
    if isinstance(props.get("tabColor"), dict):
        return dict(props["tabColor"])
    return None


def _apply_properties(ctx: Context, sheet: Sheet, props: dict[str, Any], new_index: Any) -> None:
    grid = props.get("gridProperties") or {}
    rows = grid.get("rowCount", sheet.row_count)
    cols = grid.get("columnCount", sheet.column_count)
    if int(rows) < 1 or int(cols) < 1:
        raise RequestInvalid("A sheet must have at least one row and one column.")
    frozen_rows = int(grid.get("frozenRowCount") or 0)
    frozen_cols = int(grid.get("frozenColumnCount") or 0)
    if frozen_rows >= int(rows) or frozen_cols >= int(cols):
        raise RequestInvalid(
            "You can't freeze all visible rows on the sheet."
            if frozen_rows >= int(rows)
            else "You can't freeze all visible columns on the sheet."
        )
    resize(ctx.spreadsheet, sheet, int(rows), int(cols))
    ctx.check_cells()
    sheet.frozen_row_count = frozen_rows
    sheet.frozen_column_count = frozen_cols
    sheet.hide_gridlines = bool(grid.get("hideGridlines", False))
    sheet.row_group_control_after = bool(grid.get("rowGroupControlAfter", False))
    sheet.column_group_control_after = bool(grid.get("columnGroupControlAfter", False))
    sheet.hidden = bool(props.get("hidden", False))
    sheet.right_to_left = bool(props.get("rightToLeft", False))
    sheet.tab_color = _color(props)
    if props.get("title") != sheet.title:
        sheet.title = _check_title(ctx, props.get("title"), own=sheet)
    if sheet.hidden and all(s.hidden for s in ctx.spreadsheet.sheets):
        raise RequestInvalid("You can't hide all the sheets in a document.")
    if new_index is not None:
        # "When updating sheet indices ... movement is considered in 'before the move' indexes"
        # (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetProperties).
        sheets = ctx.spreadsheet.sheets
        old_index = sheets.index(sheet)
        target = int(new_index)
        if target > old_index:
            target -= 1
        sheets.remove(sheet)
        sheets.insert(max(0, min(target, len(sheets))), sheet)


def add_sheet(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Add a tab (default 1000x26) and reply with its full properties.
    """
    props = dict(body.get("properties") or {})
    if props.get("sheetType", "GRID") != "GRID":
        raise RequestInvalid(f"Unsupported sheetType: {props['sheetType']}")
    taken = [s.sheet_id for s in ctx.spreadsheet.sheets]
    if props.get("sheetId") is not None:
        sheet_id = int(props["sheetId"])
        if sheet_id < 0:  # "Must be non-negative" (SheetProperties.sheetId)
            raise RequestInvalid(f"Invalid sheet id {sheet_id}: it must not be negative.")
        if sheet_id in taken:
            raise RequestInvalid(f"A sheet with the id {sheet_id} already exists.")
    else:
        sheet_id = ctx.new_id(taken)
    title = _check_title(ctx, props.get("title") or _default_title(ctx))
    grid = props.get("gridProperties") or {}
    sheet = Sheet(
        sheet_id=sheet_id,
        title=title,
        rows=[None] * int(grid.get("rowCount") or DEFAULT_ROWS),
        columns=[None] * int(grid.get("columnCount") or DEFAULT_COLUMNS),
    )
    ctx.spreadsheet.sheets.append(sheet)
    ctx.cloned.add(sheet_id)
    props["title"] = title
    ctx.spreadsheet.sheets.remove(sheet)
    index = props.get("index")
    sheets = ctx.spreadsheet.sheets
    sheets.insert(len(sheets) if index is None else max(0, min(int(index), len(sheets))), sheet)
    _apply_properties(ctx, sheet, props, None)
    return {"addSheet": {"properties": sheet_properties(ctx.spreadsheet, sheet)}}


def delete_sheet(ctx: Context, body: dict[str, Any]) -> None:
    """
    Delete a tab with everything on it, including its developer metadata and named ranges.
    """
    sheet = ctx.sheet(need(body, "sheetId"))
    if len(ctx.spreadsheet.sheets) == 1:
        raise RequestInvalid("You can't remove all the sheets in a document.")
    for holder in [*sheet.rows, *sheet.columns]:
        for mid in (holder.metadata if holder is not None else None) or ():
            ctx.spreadsheet.developer_metadata.pop(mid, None)
    for mid, meta in list(ctx.spreadsheet.developer_metadata.items()):
        loc = meta.get("location") or {}
        if loc.get("locationType") == "SHEET" and int(loc.get("sheetId") or 0) == sheet.sheet_id:
            del ctx.spreadsheet.developer_metadata[mid]
    on_sheet = [
        n
        for n in ctx.spreadsheet.named_ranges
        if int((n.get("range") or {}).get("sheetId") or 0) == sheet.sheet_id
    ]
    ctx.spreadsheet.broken_names += [str(n.get("name", "")) for n in on_sheet]
    ctx.spreadsheet.named_ranges = [n for n in ctx.spreadsheet.named_ranges if n not in on_sheet]
    ctx.spreadsheet.sheets.remove(sheet)
    if all(s.hidden for s in ctx.spreadsheet.sheets):
        raise RequestInvalid("You can't remove all the visible sheets in a document.")


def update_sheet_properties(ctx: Context, body: dict[str, Any]) -> None:
    """
    Update the masked SheetProperties fields (title, index, grid size, frozen counts, colour...).
    """
    props = need(body, "properties")
    mask_text = need(body, "fields")
    sheet = ctx.sheet(props.get("sheetId"))
    mask = parse_mask(str(mask_text))
    if "sheetId" in mask and int(props.get("sheetId") or 0) != sheet.sheet_id:
        raise RequestInvalid("Cannot change sheetId")
    current = sheet_properties(ctx.spreadsheet, sheet)
    if "tabColor" in mask and "tabColorStyle" not in mask:
        mask = {**mask, "tabColorStyle": {}}
        props = (
            {**props, "tabColorStyle": {"rgbColor": props.get("tabColor")}}
            if props.get("tabColor")
            else props
        )
    if "tabColorStyle" in mask and "tabColor" not in mask:
        mask = {**mask, "tabColor": {}}
    merged = merge_masked(current, props, mask)
    new_index = merged.get("index") if "index" in mask else None
    _apply_properties(ctx, sheet, merged, new_index)


def update_spreadsheet_properties(ctx: Context, body: dict[str, Any]) -> None:
    """
    Update the masked SpreadsheetProperties fields (title, locale, timeZone, autoRecalc).
    """
    from sheets_emulator.api.spreadsheets_get import spreadsheet_properties

    props = need(body, "properties")
    mask = parse_mask(str(need(body, "fields")))
    merged = merge_masked(spreadsheet_properties(ctx.spreadsheet), props, mask)
    title = merged.get("title")
    if not title:
        raise RequestInvalid("Spreadsheet title must not be empty.")
    ss = ctx.spreadsheet
    ss.title = str(title)
    ss.locale = str(merged.get("locale") or ss.locale)
    ss.time_zone = str(merged.get("timeZone") or ss.time_zone)
    ss.auto_recalc = str(merged.get("autoRecalc") or ss.auto_recalc)


def duplicate_sheet(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Copy a tab under a new ID and name ("Copy of X" by default).
    """
    source = ctx.sheet(need(body, "sourceSheetId"))
    taken = [s.sheet_id for s in ctx.spreadsheet.sheets]
    new_id = body.get("newSheetId")
    if new_id is not None and int(new_id) in taken:
        raise RequestInvalid(f"A sheet with the id {new_id} already exists.")
    sheet_id = int(new_id) if new_id is not None else ctx.new_id(taken)
    # "If empty, a new name is chosen for you" (DD): one no tab has.
    title = _check_title(ctx, body.get("newSheetName") or _copy_title(ctx.spreadsheet, source))
    twin = _copy_sheet(source, sheet_id, title)
    twin.hidden = source.hidden  # duplicateSheet keeps visibility; copyTo shows the copy
    index = body.get("insertSheetIndex")
    sheets = ctx.spreadsheet.sheets
    sheets.insert(len(sheets) if index is None else max(0, min(int(index), len(sheets))), twin)
    ctx.cloned.add(sheet_id)
    ctx.check_cells()
    return {"duplicateSheet": {"properties": sheet_properties(ctx.spreadsheet, twin)}}


def _copy_title(spreadsheet: Spreadsheet, source: Sheet) -> str:
    """The name of a copy of `source` no tab of `spreadsheet` has: `Copy of X`, `Copy 2 of X`…"""
    title, n = f"Copy of {source.title}", 2
    while any(s.title.lower() == title.lower() for s in spreadsheet.sheets):
        title = f"Copy {n} of {source.title}"
        n += 1
    return title


def _copy_sheet(source: Sheet, sheet_id: int, title: str) -> Sheet:
    twin = source.clone()
    twin.sheet_id = sheet_id
    twin.title = title
    twin.hidden = False
    twin.rows = [_without_metadata(r) for r in twin.rows]
    twin.columns = [_without_column_metadata(c) for c in twin.columns]
    twin.protected_ranges = []
    twin.charts = []
    for obj in (
        twin.merges,
        twin.conditional_formats,
        twin.basic_filter,
        twin.row_groups,
        twin.column_groups,
    ):
        _retarget(obj, source.sheet_id, sheet_id)
    return twin


def _without_metadata(row: Row | None) -> Row | None:
    if row is not None:
        row.metadata = None
    return row


def _without_column_metadata(col: Column | None) -> Column | None:
    if col is not None:
        col.metadata = None
    return col


def _retarget(obj: Any, old: int, new: int) -> None:
    if isinstance(obj, dict):
        if "sheetId" in obj and int(obj["sheetId"] or 0) == old:
            obj["sheetId"] = new
        for value in obj.values():
            _retarget(value, old, new)
    elif isinstance(obj, list):
        for value in obj:
            _retarget(value, old, new)


def copy_sheet_to(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve spreadsheets.sheets.copyTo: copy one tab into another spreadsheet as "Copy of <title>".
    """
    from sheets_emulator.model.errors import invalid_argument, not_found, permission_denied

    source = call.spreadsheet.sheet_by_id(int(call.range_text or 0))
    if source is None:
        raise not_found()
    dest_id = call.body.get("destinationSpreadsheetId")
    if not dest_id:
        raise invalid_argument("'destinationSpreadsheetId' is required but not specified")
    destination = store.find(str(dest_id))
    if destination is None:
        raise not_found()
    principal = call.request.principal
    if not destination.can_edit(principal):  # (no role there at all: no edit either)
        raise permission_denied()  # (the source needs reading only: the router let it in)
    working = destination.clone(sheets=False)
    ctx = Context(store, working, principal)
    title = _copy_title(working, source)
    twin = _copy_sheet(source, ctx.new_id(s.sheet_id for s in working.sheets), title)
    working.sheets.append(twin)
    working.touch()
    committed = store.commit(working)
    return sheet_properties(committed, twin)


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "duplicateSheet": duplicate_sheet,
}
