"""
Cell-content requests: updateCells, repeatCell, appendCells, updateBorders, setDataValidation,
mergeCells and unmergeCells (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request).

``updateCells``/``repeatCell`` apply their ``fields`` mask per cell over a JSON view of the cell
(userEnteredValue, note, userEnteredFormat, dataValidation); in updateCells, cells of ``range`` not
covered by ``rows`` get the masked fields cleared, as the reference documents.  A typed
``stringValue`` is always text, even when it starts with ``=``.
"""

from __future__ import annotations

from typing import Any

from sync.emulator.a1 import Grid
from sync.emulator.errors import RequestInvalid
from sync.emulator.fields import Mask, merge_masked, parse_mask
from sync.emulator.render import user_entered_json
from sync.emulator.requests._common import Context, Handler, need, stored_range
from sync.emulator.store import MAX_CELL_CHARS, CellValue, Formula, Sheet
from sync.emulator.values import CELL_TOO_LONG

_CELL_PARTS = ("userEnteredValue", "note", "userEnteredFormat", "dataValidation")


def extended_to_value(data: Any) -> CellValue:
    """
    Convert an ExtendedValue to a stored value (stringValue stays text, formulaValue is a Formula).
    """
    if not data:
        return None
    if not isinstance(data, dict) or len(data) != 1:
        raise RequestInvalid(
            "userEnteredValue must set exactly one of stringValue, numberValue, boolValue, "
            "formulaValue"
        )
    ((kind, value),) = data.items()
    if kind == "stringValue":
        text = str(value)
        if len(text) > MAX_CELL_CHARS:
            raise RequestInvalid(CELL_TOO_LONG)
        return text or None
    if kind == "numberValue":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RequestInvalid(f"Invalid numberValue: {value}")
        return value
    if kind == "boolValue":
        return bool(value)
    if kind == "formulaValue":
        text = str(value)
        if not text.startswith("="):
            raise RequestInvalid(f"Invalid formulaValue (must start with '='): {text}")
        if len(text) > MAX_CELL_CHARS:
            raise RequestInvalid(CELL_TOO_LONG)
        return Formula(text)
    raise RequestInvalid(f"Unsupported userEnteredValue kind: {kind}")


def cell_view(sheet: Sheet, r: int, c: int, parts: tuple[str, ...]) -> dict[str, Any]:
    """
    Build the JSON view of the writable parts of one cell.
    """
    out: dict[str, Any] = {}
    if "userEnteredValue" in parts:
        value = user_entered_json(sheet.cell(r, c))
        if value is not None:
            out["userEnteredValue"] = value
    for part, kind in (
        ("note", "notes"),
        ("userEnteredFormat", "formats"),
        ("dataValidation", "validations"),
    ):
        if part in parts:
            extra = sheet.extra(kind, r, c)
            if extra:
                out[part] = extra
    return out


def write_cell(sheet: Sheet, r: int, c: int, source: dict[str, Any], mask: Mask) -> None:
    """
    Apply ``source`` to one cell under ``mask`` (masked fields absent from source are cleared).
    """
    parts = tuple(p for p in _CELL_PARTS if "*" in mask or p in mask)
    if not source and sheet.rows[r] is None:
        return  # nothing to clear on an untouched row
    current = cell_view(sheet, r, c, parts)
    effective_mask = {p: {} for p in parts} if "*" in mask else mask
    merged = merge_masked(current, source, effective_mask)
    if "userEnteredValue" in parts and merged.get("userEnteredValue") != current.get(
        "userEnteredValue"
    ):
        sheet.set_cell(r, c, extended_to_value(merged.get("userEnteredValue")))
    for part, kind in (
        ("note", "notes"),
        ("userEnteredFormat", "formats"),
        ("dataValidation", "validations"),
    ):
        if part in parts:
            sheet.set_extra(kind, r, c, merged.get(part))


def _mask(body: dict[str, Any]) -> Mask:
    mask = parse_mask(str(need(body, "fields")))
    unknown = [
        k
        for k in mask
        if k
        not in (
            *_CELL_PARTS,
            "*",
            "effectiveValue",
            "formattedValue",
            "effectiveFormat",
            "hyperlink",
            "textFormatRuns",
        )
    ]
    if unknown:
        raise RequestInvalid(f"Invalid field mask: unknown field {unknown[0]}")
    return mask


def update_cells(ctx: Context, body: dict[str, Any]) -> None:
    """
    Write rows of CellData into a range (or from a start coordinate), honouring the field mask.
    """
    mask = _mask(body)
    rows = body.get("rows") or []
    if body.get("range") is not None:
        grid = ctx.grid(body["range"])
    elif body.get("start") is not None:
        start = body["start"]
        sheet = ctx.sheet(start.get("sheetId"))
        r0, c0 = int(start.get("rowIndex") or 0), int(start.get("columnIndex") or 0)
        height = len(rows)
        width = max((len(r.get("values") or []) for r in rows), default=0)
        if r0 + height > sheet.row_count or c0 + width > sheet.column_count:
            raise RequestInvalid(
                "Range exceeds grid limits. "
                f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
            )
        grid = Grid(sheet, r0, c0, r0 + height, c0 + width)
    else:
        raise RequestInvalid("One of range or start must be set.")
    sheet = grid.sheet
    if len(rows) > grid.rows or any(len(r.get("values") or []) > grid.columns for r in rows):
        raise RequestInvalid("The rows provided do not fit in the requested range.")
    for i in range(grid.rows):
        values = (rows[i].get("values") or []) if i < len(rows) else []
        for j in range(grid.columns):
            source = values[j] if j < len(values) else {}
            write_cell(sheet, grid.r0 + i, grid.c0 + j, source or {}, mask)


def repeat_cell(ctx: Context, body: dict[str, Any]) -> None:
    """
    Apply one CellData to every cell of a range under the field mask.
    """
    mask = _mask(body)
    grid = ctx.grid(need(body, "range"))
    cell = body.get("cell") or {}
    extended_to_value(cell.get("userEnteredValue"))  # validate once up front
    for r in range(grid.r0, grid.r1):
        for c in range(grid.c0, grid.c1):
            write_cell(grid.sheet, r, c, cell, mask)


def append_cells(ctx: Context, body: dict[str, Any]) -> None:
    """
    Append rows of CellData after the last row with data, growing the grid if needed.
    """
    sheet = ctx.sheet(need(body, "sheetId"))
    mask = _mask(body)
    rows = body.get("rows") or []
    last = max(
        (i for i, r in sheet.used_rows() if any(v is not None for v in r.values)), default=-1
    )
    start = last + 1
    width = max((len(r.get("values") or []) for r in rows), default=0)
    if start + len(rows) > sheet.row_count:
        sheet.rows.extend([None] * (start + len(rows) - sheet.row_count))
    if width > sheet.column_count:
        sheet.columns.extend([None] * (width - sheet.column_count))
    ctx.check_cells()
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.get("values") or []):
            write_cell(sheet, start + i, j, cell or {}, mask)


_BORDER_SIDES = ("top", "bottom", "left", "right", "innerHorizontal", "innerVertical")


def update_borders(ctx: Context, body: dict[str, Any]) -> None:
    """
    Set cell borders around and inside a range (a border with style NONE removes it).
    """
    grid = ctx.grid(need(body, "range"))
    sheet = grid.sheet
    for r in range(grid.r0, grid.r1):
        for c in range(grid.c0, grid.c1):
            updates: dict[str, Any] = {}
            if r == grid.r0 and "top" in body:
                updates["top"] = body["top"]
            if r == grid.r1 - 1 and "bottom" in body:
                updates["bottom"] = body["bottom"]
            if c == grid.c0 and "left" in body:
                updates["left"] = body["left"]
            if c == grid.c1 - 1 and "right" in body:
                updates["right"] = body["right"]
            if "innerHorizontal" in body:
                if r > grid.r0:
                    updates["top"] = body["innerHorizontal"]
                if r < grid.r1 - 1:
                    updates["bottom"] = body["innerHorizontal"]
            if "innerVertical" in body:
                if c > grid.c0:
                    updates["left"] = body["innerVertical"]
                if c < grid.c1 - 1:
                    updates["right"] = body["innerVertical"]
            if not updates:
                continue
            fmt = dict(sheet.extra("formats", r, c) or {})
            borders = dict(fmt.get("borders") or {})
            for side, border in updates.items():
                if not border or border.get("style") == "NONE":
                    borders.pop(side, None)
                else:
                    borders[side] = border
            if borders:
                fmt["borders"] = borders
            else:
                fmt.pop("borders", None)
            sheet.set_extra("formats", r, c, fmt or None)


_CONDITIONS = {
    "NUMBER_GREATER",
    "NUMBER_GREATER_THAN_EQ",
    "NUMBER_LESS",
    "NUMBER_LESS_THAN_EQ",
    "NUMBER_EQ",
    "NUMBER_NOT_EQ",
    "NUMBER_BETWEEN",
    "NUMBER_NOT_BETWEEN",
    "TEXT_CONTAINS",
    "TEXT_NOT_CONTAINS",
    "TEXT_STARTS_WITH",
    "TEXT_ENDS_WITH",
    "TEXT_EQ",
    "TEXT_IS_EMAIL",
    "TEXT_IS_URL",
    "DATE_EQ",
    "DATE_BEFORE",
    "DATE_AFTER",
    "DATE_ON_OR_BEFORE",
    "DATE_ON_OR_AFTER",
    "DATE_BETWEEN",
    "DATE_NOT_BETWEEN",
    "DATE_IS_VALID",
    "ONE_OF_RANGE",
    "ONE_OF_LIST",
    "BLANK",
    "NOT_BLANK",
    "CUSTOM_FORMULA",
    "BOOLEAN",
    "TEXT_NOT_EQ",
    "DATE_NOT_EQ",
    "FILTER_EXPRESSION",
}


def set_data_validation(ctx: Context, body: dict[str, Any]) -> None:
    """
    Set (or, without ``rule``, clear) data validation on every cell of a range.
    """
    grid = ctx.grid(need(body, "range"))
    rule = body.get("rule")
    if rule is not None:
        condition = need(rule, "condition")
        kind = condition.get("type")
        if kind not in _CONDITIONS:
            raise RequestInvalid(f"Invalid ConditionType: {kind}")
        values = condition.get("values") or []
        if kind == "ONE_OF_LIST" and not values:
            raise RequestInvalid("ONE_OF_LIST condition requires at least one value.")
        if kind == "ONE_OF_RANGE":
            if len(values) != 1:
                raise RequestInvalid("ONE_OF_RANGE condition requires exactly one value.")
            from sync.emulator.a1 import parse_range

            text = str(values[0].get("userEnteredValue", "")).lstrip("=")
            try:
                parse_range(ctx.spreadsheet, text)
            except Exception as exc:
                raise RequestInvalid(f"Invalid range in ONE_OF_RANGE condition: {text}") from exc
        if kind == "BOOLEAN" and len(values) > 2:
            raise RequestInvalid("BOOLEAN condition takes at most two values.")
        if not values:
            condition = {k: v for k, v in condition.items() if k != "values"}
            rule = {**rule, "condition": condition}
    for r in range(grid.r0, grid.r1):
        for c in range(grid.c0, grid.c1):
            grid.sheet.set_extra("validations", r, c, rule)


def _overlaps(a: dict[str, Any], g: Grid) -> bool:
    return (
        a["startRowIndex"] < g.r1
        and g.r0 < a["endRowIndex"]
        and a["startColumnIndex"] < g.c1
        and g.c0 < a["endColumnIndex"]
    )


def merge_cells(ctx: Context, body: dict[str, Any]) -> None:
    """
    Merge a range (MERGE_ALL, MERGE_COLUMNS or MERGE_ROWS), keeping each merge's top-left value.
    """
    grid = ctx.grid(need(body, "range"))
    kind = body.get("mergeType") or "MERGE_ALL"
    if kind not in ("MERGE_ALL", "MERGE_COLUMNS", "MERGE_ROWS"):
        raise RequestInvalid(f"Invalid mergeType: {kind}")
    sheet = grid.sheet
    for m in sheet.merges:
        inside = (
            grid.r0 <= m["startRowIndex"]
            and m["endRowIndex"] <= grid.r1
            and grid.c0 <= m["startColumnIndex"]
            and m["endColumnIndex"] <= grid.c1
        )
        if _overlaps(m, grid) and not inside:
            raise RequestInvalid("You can't merge cells that partially overlap an existing merge.")
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, grid)]
    pieces: list[Grid]
    if kind == "MERGE_ALL":
        pieces = [grid]
    elif kind == "MERGE_COLUMNS":
        pieces = [Grid(sheet, grid.r0, c, grid.r1, c + 1) for c in range(grid.c0, grid.c1)]
    else:
        pieces = [Grid(sheet, r, grid.c0, r + 1, grid.c1) for r in range(grid.r0, grid.r1)]
    for piece in pieces:
        if piece.rows * piece.columns < 2:
            continue
        for r in range(piece.r0, piece.r1):
            for c in range(piece.c0, piece.c1):
                if (r, c) != (piece.r0, piece.c0):
                    sheet.set_cell(r, c, None)
        sheet.merges.append(
            stored_range(
                piece,
                {
                    "startRowIndex": piece.r0,
                    "endRowIndex": piece.r1,
                    "startColumnIndex": piece.c0,
                    "endColumnIndex": piece.c1,
                },
            )
        )


def unmerge_cells(ctx: Context, body: dict[str, Any]) -> None:
    """
    Remove every merge intersecting the range.
    """
    grid = ctx.grid(need(body, "range"))
    grid.sheet.merges = [m for m in grid.sheet.merges if not _overlaps(m, grid)]


HANDLERS: dict[str, Handler] = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "updateBorders": update_borders,
    "setDataValidation": set_data_validation,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
}
