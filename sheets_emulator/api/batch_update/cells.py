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

from sheets_emulator.api.batch_update._common import (
    Context,
    Handler,
    merge_inside,
    merge_overlaps,
    need,
    stored_range,
    strip_nulls,
)
from sheets_emulator.api.fields import Mask, merge_masked, parse_mask
from sheets_emulator.api.values import CELL_TOO_LONG
from sheets_emulator.model.a1 import Grid, shifted_formula
from sheets_emulator.model.errors import RequestInvalid
from sheets_emulator.model.render import as_double, user_entered_json
from sheets_emulator.model.store import MAX_CELL_CHARS, CellValue, Formula, Row, Sheet

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
        return as_double(value)
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


# A first sync sends tens of thousands of updateCells with the same one or two masks; parsed
# masks are only read, never changed, so each distinct text is parsed and validated once.
_MASKS: dict[str, Mask] = {}
_MASK_CACHE_SIZE = 256
# The mask of plain value writes, served without building and merging a JSON view per cell.
_VALUE_ONLY: Mask = {"userEnteredValue": {}}
_PLAIN = frozenset({str, int, float, bool})
_NESTED = (dict, list)


def _mask(body: dict[str, Any]) -> Mask:
    fields = body.get("fields")
    if type(fields) is str:
        known = _MASKS.get(fields)
        if known is not None:
            return known
    fields = need(body, "fields")
    text = str(strip_nulls(fields) if isinstance(fields, (dict, list)) else fields)
    mask = _MASKS.get(text)
    if mask is None:
        mask = _parse_cell_mask(text)
        if len(_MASKS) >= _MASK_CACHE_SIZE:
            _MASKS.clear()
        _MASKS[text] = mask
    return mask


def _parse_cell_mask(text: str) -> Mask:
    mask = parse_mask(text)
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

    The body arrives with its explicit nulls (``RAW_PAYLOAD`` in the batchUpdate registry): every
    field is read null-safely, nested objects are stripped where read, and cells one by one,
    which for the ``userEnteredValue`` mask needs no copy at all.
    """
    mask = _mask(body)
    values_only = mask == _VALUE_ONLY
    rows = body.get("rows") or []
    if type(rows) is not list:
        rows = strip_nulls(rows)
    if body.get("range") is not None:
        grid = ctx.grid(strip_nulls(body["range"]), writable=not values_only)
        sheet, r0, c0, height, width = grid.sheet, grid.r0, grid.c0, grid.rows, grid.columns
        if len(rows) > height:
            raise RequestInvalid("The rows provided do not fit in the requested range.")
        row_values = _all_row_values(rows)
        if max(map(len, row_values), default=0) > width:
            raise RequestInvalid("The rows provided do not fit in the requested range.")
    elif body.get("start") is not None:
        start = body["start"]
        if type(start) is not dict:
            start = strip_nulls(start)
        sheet_id, r0, c0 = start.get("sheetId"), start.get("rowIndex"), start.get("columnIndex")
        if isinstance(sheet_id, _NESTED) or isinstance(r0, _NESTED) or isinstance(c0, _NESTED):
            start = strip_nulls(start)
            sheet_id, r0, c0 = start.get("sheetId"), start.get("rowIndex"), start.get("columnIndex")
        sheet = ctx.find(sheet_id)
        if not values_only:
            sheet = ctx.writable(sheet)
        r0, c0 = int(r0 or 0), int(c0 or 0)
        row_values = _all_row_values(rows)
        height = len(rows)
        width = max(map(len, row_values), default=0)
        if r0 + height > len(sheet.rows) or c0 + width > len(sheet.columns):
            raise RequestInvalid(
                "Range exceeds grid limits. "
                f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
            )
    else:
        raise RequestInvalid("One of range or start must be set.")
    if values_only:
        _write_values(ctx, sheet, r0, c0, height, width, row_values, mask)
        return
    for i in range(height):
        values = row_values[i] if i < len(row_values) else []
        _write_row(sheet, r0 + i, c0, width, values, mask, nulls=ctx.body_has_nulls)


def _write_row(
    sheet: Sheet, r: int, c0: int, width: int, values: Any, mask: Mask, *, nulls: bool = True
) -> None:
    """
    Apply one RowData's cells (nulls dropped) under any mask; cells past its end are cleared.

    ``nulls=False`` says the body holds no JSON null, so cells are used as decoded (``write_cell``
    stores copies of what it takes from them).
    """
    for j in range(width):
        source = values[j] if j < len(values) else {}
        if nulls:
            source = strip_nulls(source)
        write_cell(sheet, r, c0 + j, source or {}, mask)


def _all_row_values(rows: list[Any]) -> list[Any]:
    """
    Return the ``values`` of each RowData; only a malformed (non-list) one is stripped of nulls.
    """
    out = [r.get("values") or [] for r in rows]
    for i, values in enumerate(out):
        if type(values) is not list:
            out[i] = strip_nulls(values)
    return out


def _fresh_values(values: list[Any]) -> list[CellValue] | None:
    """
    Convert a row of plain cells bound for empty cells, or return None if any needs the loop.

    Plain is a CellData dict whose userEnteredValue is absent, null, one ``stringValue`` text
    within the cell limit or one ``numberValue`` number. Anything else, and so every cell that
    fails the request, goes through ``_write_values``' cell-by-cell loop, which reports it in
    order. Trailing empty cells are dropped: they leave the row as it is.
    """
    out: list[CellValue] = []
    append = out.append
    for source in values:
        if type(source) is not dict:
            return None
        new = source.get("userEnteredValue")
        if new is None:
            append(None)
            continue
        if type(new) is not dict or len(new) != 1:
            return None
        text = new.get("stringValue")
        if type(text) is str:
            if len(text) > MAX_CELL_CHARS:
                return None
            append(text or None)
            continue
        number = new.get("numberValue")
        if type(number) is float:  # (a double already: `as_double` would return it as it is)
            append(number)
            continue
        if type(number) is int:
            append(as_double(number))
            continue
        return None
    while out and out[-1] is None:
        out.pop()
    return out


def _padded_row(
    sheet: Sheet, r: int, row: Row | None, stored_values: list[CellValue], column: int
) -> tuple[Row, list[CellValue]]:
    """
    Return row ``r`` (created on first write) and its values, padded with empty cells up to
    ``column`` so the next value appended lands in that column.
    """
    if row is None:
        row = sheet.row(r)
        stored_values = row.values
    if column > len(stored_values):
        stored_values.extend([None] * (column - len(stored_values)))
    return row, stored_values


def _write_values(
    ctx: Context,
    sheet: Sheet,
    r0: int,
    c0: int,
    height: int,
    width: int,
    row_values: list[Any],
    mask: Mask,
) -> None:
    """
    Apply updateCells with ``fields=userEnteredValue``, the bulk of a sync's writes, cell by cell.

    Same outcome as ``write_cell``, without a JSON view and a merge per cell: a cell is rewritten
    only when the new ExtendedValue differs from the stored value's JSON (so ``numberValue: 5``
    over a typed date keeps the date), and an absent or null value clears the cell.  Anything but
    one plain typed value per cell takes ``write_cell``, after its nulls are dropped.  Cells are
    visited in the same row-major order, so a bad cell fails the request at the same point.

    A tab the batch has not cloned is written in place, each row journaled before its first
    change (``Context.save_row``); the generic path clones the tab first, as every handler does.
    """
    plain = _PLAIN
    shared = ctx.shared(sheet)
    rows = sheet.rows
    end = c0 + width
    for i in range(height):
        r = r0 + i
        values = row_values[i] if i < len(row_values) else []
        if type(values) is not list:
            sheet = ctx.writable(sheet)
            shared, rows = False, sheet.rows
            _write_row(sheet, r, c0, width, values, mask)
            continue
        row = rows[r]
        # The row's stored values and their count; ``set_cell`` trims this list in place (so
        # ``size`` is re-read after it), it never replaces it.
        stored_values: list[CellValue] = row.values if row is not None else []
        size = len(stored_values)
        saved = not shared
        if c0 >= size:
            # Every cell of the range is empty in this row (new columns, new tabs: nearly all
            # of a first sync), so nothing needs comparing or clearing: plain cells are
            # converted in one pass and appended.
            fresh = _fresh_values(values)
            if fresh is not None:
                if fresh:
                    if not saved:
                        ctx.save_row(sheet, r)
                    row, stored_values = _padded_row(sheet, r, row, stored_values, c0)
                    stored_values.extend(fresh)
                continue
        c = c0
        for source in values:
            if type(source) is dict:
                new = source.get("userEnteredValue")
                if type(new) is dict and len(new) == 1:
                    ((kind, value),) = new.items()
                else:
                    kind, value = "", new
            elif source:
                kind, value = "", source
            else:
                kind, value = "", None
            if kind and type(value) in plain:
                stored = stored_values[c] if c < size else None
                if stored is None or new != user_entered_json(stored):
                    converted: CellValue
                    if kind == "stringValue" and type(value) is str:
                        if len(value) > MAX_CELL_CHARS:
                            raise RequestInvalid(CELL_TOO_LONG)
                        converted = value or None
                    elif kind == "numberValue" and type(value) is float:
                        converted = value  # (a double already, as in `_fresh_values`)
                    elif kind == "numberValue" and type(value) is int:
                        converted = as_double(value)
                    else:
                        converted = extended_to_value(new)
                    if not saved:
                        ctx.save_row(sheet, r)
                        saved = True
                    if converted is None:
                        sheet.set_cell(r, c, None)
                        size = len(stored_values)
                    elif c < size:
                        stored_values[c] = converted
                    else:
                        row, stored_values = _padded_row(sheet, r, row, stored_values, c)
                        stored_values.append(converted)
                        size = c + 1
            elif value is None and not kind:
                # No value (or a null one): the cell is cleared.
                if c < size and stored_values[c] is not None:
                    if not saved:
                        ctx.save_row(sheet, r)
                        saved = True
                    sheet.set_cell(r, c, None)
                    size = len(stored_values)
            else:
                sheet = ctx.writable(sheet)
                shared, saved, rows = False, True, sheet.rows
                write_cell(sheet, r, c, strip_nulls(source), mask)
                row = rows[r]
                stored_values = row.values if row is not None else []
                size = len(stored_values)
            c += 1
        # Cells of the range that ``rows`` does not reach are cleared.
        while c < end and c < size:
            if stored_values[c] is not None:
                if not saved:
                    ctx.save_row(sheet, r)
                    saved = True
                sheet.set_cell(r, c, None)
                size = len(stored_values)
            c += 1


def repeat_cell(ctx: Context, body: dict[str, Any]) -> None:
    """
    Apply one CellData to every cell of a range under the field mask; a formula's relative
    references move with the cell ("writing a cell with formula =A1 into range B2:C4, B2
    would be =A1, B3 would be =A2, B4 would be =A3, C2 would be =B1", DD RepeatCellRequest).
    """
    mask = _mask(body)
    grid = ctx.grid(need(body, "range"))
    cell = body.get("cell") or {}
    extended_to_value(cell.get("userEnteredValue"))  # validate once up front
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    for r in range(grid.r0, grid.r1):
        for c in range(grid.c0, grid.c1):
            if isinstance(formula, str) and (r, c) != (grid.r0, grid.c0):
                moved = shifted_formula(formula, r - grid.r0, c - grid.c0)
                each = {**cell, "userEnteredValue": {"formulaValue": moved}}
                write_cell(grid.sheet, r, c, each, mask)
            else:
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
            from sheets_emulator.model.a1 import parse_range

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
        if merge_overlaps(m, grid) and not merge_inside(m, grid):
            raise RequestInvalid("You can't merge cells that partially overlap an existing merge.")
    sheet.merges = [m for m in sheet.merges if not merge_overlaps(m, grid)]
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
    Remove every merge inside the range; one the range only partly spans is refused ("The
    range must not partially span any merge", UnmergeCellsRequest.range).
    """
    grid = ctx.grid(need(body, "range"))
    for merge in grid.sheet.merges:
        if merge_overlaps(merge, grid) and not merge_inside(merge, grid):
            raise RequestInvalid("The range to unmerge must not partially span any merge.")
    grid.sheet.merges = [m for m in grid.sheet.merges if not merge_overlaps(m, grid)]


HANDLERS: dict[str, Handler] = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "updateBorders": update_borders,
    "setDataValidation": set_data_validation,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
}
