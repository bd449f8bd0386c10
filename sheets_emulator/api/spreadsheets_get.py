"""
``spreadsheets.get`` (and ``getByDataFilter``): the Spreadsheet resource, optionally with grid data.

Output mimics proto3 JSON as recorded from the real API: default values (``hidden: false``,
``frozenRowCount: 0``, ``sheetId`` 0 inside ranges, zero colour components) are omitted, and
optional collections (namedRanges, merges, protectedRanges...) appear only when non-empty.
Per https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get, a ``fields`` mask
overrides ``includeGridData``: grid data is returned when the mask selects ``sheets.data``.
Limitation: grid data carries no ``effectiveFormat`` (only what was entered), and cells report
``formattedValue`` with the emulator's simple number rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheets_emulator.api.datafilter import MetadataIndex, filter_grids, locate, metadata_json
from sheets_emulator.api.fields import Mask, apply_mask, parse_mask
from sheets_emulator.api.public import public
from sheets_emulator.api.values import option_bool
from sheets_emulator.model.a1 import Grid, clamp, parse_range
from sheets_emulator.model.errors import ApiError, invalid_argument
from sheets_emulator.model.render import effective_json, render_value, user_entered_json
from sheets_emulator.model.store import Sheet, Spreadsheet, Store

if TYPE_CHECKING:
    from sheets_emulator.api.call import Call

DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100
_DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _theme_color(kind: str, red: float = 0, green: float = 0, blue: float = 0) -> dict[str, Any]:
    rgb = {k: v for k, v in (("red", red), ("green", green), ("blue", blue)) if v}
    return {"colorType": kind, "color": {"rgbColor": rgb}}


# The default theme of a new spreadsheet, as Google sends it in every spreadsheets.get
# (recorded in gspread's cassettes; colours are float32 values of the 8-bit components).
_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        _theme_color("TEXT"),
        _theme_color("BACKGROUND", 1, 1, 1),
        _theme_color("ACCENT1", 0.25882354, 0.52156866, 0.95686275),
        _theme_color("ACCENT2", 0.91764706, 0.2627451, 0.20784314),
        _theme_color("ACCENT3", 0.9843137, 0.7372549, 0.015686275),
        _theme_color("ACCENT4", 0.20392157, 0.65882355, 0.3254902),
        _theme_color("ACCENT5", 1, 0.42745098, 0.003921569),
        _theme_color("ACCENT6", 0.27450982, 0.7411765, 0.7764706),
        _theme_color("LINK", 0.06666667, 0.33333334, 0.8),
    ],
}


def spreadsheet_url(spreadsheet_id: str) -> str:
    """
    Return the browser URL Google reports as ``spreadsheetUrl``.
    """
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"


def spreadsheet_properties(spreadsheet: Spreadsheet) -> dict[str, Any]:
    """
    Render SpreadsheetProperties.
    """
    return {
        "title": spreadsheet.title,
        "locale": spreadsheet.locale,
        "autoRecalc": spreadsheet.auto_recalc,
        "timeZone": spreadsheet.time_zone,
        "defaultFormat": _DEFAULT_FORMAT,
        "spreadsheetTheme": _THEME,
    }


def sheet_properties(spreadsheet: Spreadsheet, sheet: Sheet) -> dict[str, Any]:
    """
    Render SheetProperties with proto3 default omission.
    """
    grid: dict[str, Any] = {"rowCount": sheet.row_count, "columnCount": sheet.column_count}
    if sheet.frozen_row_count:
        grid["frozenRowCount"] = sheet.frozen_row_count
    if sheet.frozen_column_count:
        grid["frozenColumnCount"] = sheet.frozen_column_count
    if sheet.hide_gridlines:
        grid["hideGridlines"] = True
    if sheet.row_group_control_after:
        grid["rowGroupControlAfter"] = True
    if sheet.column_group_control_after:
        grid["columnGroupControlAfter"] = True
    props: dict[str, Any] = {
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "index": spreadsheet.sheets.index(sheet),
        "sheetType": "GRID",
        "gridProperties": grid,
    }
    if sheet.hidden:
        props["hidden"] = True
    if sheet.tab_color:
        props["tabColor"] = public(sheet.tab_color)
        props["tabColorStyle"] = {"rgbColor": public(sheet.tab_color)}
    if sheet.right_to_left:
        props["rightToLeft"] = True
    return props


def _cell_json(spreadsheet: Spreadsheet, sheet: Sheet, r: int, c: int) -> dict[str, Any]:
    value = sheet.cell(r, c)
    cell: dict[str, Any] = {}
    if value is not None:
        cell["userEnteredValue"] = user_entered_json(value)
        eff = effective_json(spreadsheet, sheet, value)
        if eff is not None:
            cell["effectiveValue"] = eff
        formatted = render_value(spreadsheet, sheet, value, "FORMATTED_VALUE", "SERIAL_NUMBER")
        if formatted != "":
            cell["formattedValue"] = formatted
    fmt = sheet.extra("formats", r, c)
    if fmt:
        cell["userEnteredFormat"] = public(_with_styles(fmt))
    validation = sheet.extra("validations", r, c)
    if validation:
        cell["dataValidation"] = public(validation)
    note = sheet.extra("notes", r, c)
    if note:
        cell["note"] = note
    return cell


def _with_styles(fmt: dict[str, Any]) -> dict[str, Any]:
    # The server mirrors deprecated colour fields into their *Style twins (recorded in test_format).
    out = dict(fmt)
    if "backgroundColor" in out and "backgroundColorStyle" not in out:
        out["backgroundColorStyle"] = {"rgbColor": out["backgroundColor"]}
    text = out.get("textFormat")
    if isinstance(text, dict) and "foregroundColor" in text and "foregroundColorStyle" not in text:
        out["textFormat"] = {**text, "foregroundColorStyle": {"rgbColor": text["foregroundColor"]}}
    return out


def grid_data(spreadsheet: Spreadsheet, grid: Grid, where: dict[int, Any]) -> dict[str, Any]:
    """
    Render one GridData block: rowData trimmed of trailing empty rows, plus dimension metadata.
    """
    sheet = grid.sheet
    out: dict[str, Any] = {}
    if grid.r0:
        out["startRow"] = grid.r0
    if grid.c0:
        out["startColumn"] = grid.c0
    rows: list[dict[str, Any]] = []
    for r in range(grid.r0, grid.r1):
        row = sheet.rows[r]
        if row is None:
            rows.append({})
            continue
        used = [len(row.values)]
        used.extend(max(d) + 1 for d in (row.notes, row.formats, row.validations) if d)
        end = min(grid.c1, max(used))
        cells = [_cell_json(spreadsheet, sheet, r, c) for c in range(grid.c0, end)]
        while cells and not cells[-1]:
            cells.pop()
        rows.append({"values": cells} if cells else {})
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        out["rowData"] = rows
    out["rowMetadata"] = [
        _dimension_json(sheet.rows[r], DEFAULT_ROW_PIXELS, spreadsheet, where)
        for r in range(grid.r0, grid.r1)
    ]
    out["columnMetadata"] = [
        _dimension_json(sheet.columns[c], DEFAULT_COLUMN_PIXELS, spreadsheet, where)
        for c in range(grid.c0, grid.c1)
    ]
    return out


def _dimension_json(
    holder: Any, default_px: int, spreadsheet: Spreadsheet, where: dict[int, Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {"pixelSize": default_px}
    if holder is None:
        return out
    if holder.pixel_size is not None:
        out["pixelSize"] = holder.pixel_size
    if holder.hidden:
        out["hiddenByUser"] = True
    if holder.metadata:
        out["developerMetadata"] = [
            metadata_json(spreadsheet, mid, where)
            for mid in holder.metadata
            if mid in spreadsheet.developer_metadata
        ]
    return out


def render_sheet(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    grids: list[Grid] | None,
    where: dict[int, Any],
) -> dict[str, Any]:
    """
    Render one Sheet resource; ``grids`` (possibly empty) requests grid data for those ranges.
    """
    out: dict[str, Any] = {"properties": sheet_properties(spreadsheet, sheet)}
    if grids is not None:
        out["data"] = [grid_data(spreadsheet, g, where) for g in grids]
    optional = {
        "merges": sheet.merges,
        "conditionalFormats": sheet.conditional_formats,
        "protectedRanges": sheet.protected_ranges,
        "basicFilter": sheet.basic_filter,
        "charts": sheet.charts,
        "rowGroups": sheet.row_groups,
        "columnGroups": sheet.column_groups,
    }
    for key, value in optional.items():
        if value:
            out[key] = public(value)
    sheet_meta = [
        metadata_json(spreadsheet, mid, where)
        for mid, loc in where.items()
        if loc[0] == "SHEET" and loc[1] is sheet
    ]
    if sheet_meta:
        out["developerMetadata"] = sheet_meta
    return out


def render_spreadsheet(
    spreadsheet: Spreadsheet,
    *,
    include_grid_data: bool,
    grids: list[Grid] | None = None,
) -> dict[str, Any]:
    """
    Render the Spreadsheet resource; ``grids`` limits sheets (and grid data) to those ranges.
    """
    where = locate(spreadsheet)
    sheets_json = []
    for sheet in spreadsheet.sheets:
        if grids is not None:
            mine = [g for g in grids if g.sheet is sheet]
            if not mine:
                continue
            sheets_json.append(
                render_sheet(spreadsheet, sheet, mine if include_grid_data else None, where)
            )
        else:
            whole = [Grid(sheet, 0, 0, sheet.row_count, sheet.column_count)]
            sheets_json.append(
                render_sheet(spreadsheet, sheet, whole if include_grid_data else None, where)
            )
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "properties": spreadsheet_properties(spreadsheet),
        "sheets": sheets_json,
    }
    if spreadsheet.named_ranges:
        out["namedRanges"] = public(spreadsheet.named_ranges)
    top_meta = [
        metadata_json(spreadsheet, mid, where)
        for mid, loc in where.items()
        if loc[0] == "SPREADSHEET"
    ]
    if top_meta:
        out["developerMetadata"] = top_meta
    out["spreadsheetUrl"] = spreadsheet_url(spreadsheet.spreadsheet_id)
    return out


def _wants_data(mask: Mask | None) -> bool:
    if mask is None:
        return False
    if "*" in mask:
        return True
    sheets = mask.get("sheets")
    return sheets is not None and (not sheets or "data" in sheets or "*" in sheets)


def _respond(
    spreadsheet: Spreadsheet, include: bool, grids: list[Grid] | None, fields: str | None
) -> dict[str, Any]:
    mask = parse_mask(fields) if fields else None
    if mask is not None:
        include = _wants_data(mask)
    body = render_spreadsheet(spreadsheet, include_grid_data=include, grids=grids)
    if mask is None:
        return body
    masked = apply_mask(body, mask)
    for sheet in masked.get("sheets", []):
        for block in sheet.get("data", []):
            _trim_masked(block)
    return masked


def _trim_masked(block: dict[str, Any]) -> None:
    # Grid data is generated for the masked fields only, so cells left empty by the mask are
    # trimmed like empty cells (recorded: notes read as {"sheets":[{"data":[{}]}]}).
    rows = block.get("rowData")
    if rows is None:
        return
    for row in rows:
        cells = row.get("values")
        if cells is None:
            continue
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            del row["values"]
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        del block["rowData"]


def handle_get(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve spreadsheets.get.
    """
    include = option_bool(call.param("includeGridData"), "include_grid_data")
    grids = [clamp(parse_range(call.spreadsheet, text)) for text in call.params("ranges")]
    return _respond(call.spreadsheet, include, grids or None, call.param("fields"))


def handle_get_by_data_filter(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve spreadsheets.getByDataFilter.
    """
    body = call.body
    include = option_bool(body.get("includeGridData"), "include_grid_data")
    grids: list[Grid] = []
    index = MetadataIndex(call.spreadsheet)
    for i, data_filter in enumerate(body.get("dataFilters") or []):
        try:
            grids.extend(filter_grids(call.spreadsheet, data_filter, index))
        except ApiError as exc:
            raise invalid_argument(f"Invalid dataFilters[{i}]: {exc.message}") from exc
    # Filters that match nothing select nothing ("the portions … that intersect ranges
    # matched by any of the filters", DD); no filter at all is the whole spreadsheet.
    selected = grids if body.get("dataFilters") else None
    return _respond(call.spreadsheet, include, selected, call.param("fields"))
