"""
Range-rewriting requests: sortRange, copyPaste, cutPaste, findReplace, trimWhitespace,
deleteDuplicates (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request).

Choices where Google documents nothing:

* sortRange moves cell *contents* (values, notes, formats, validation) between rows inside the
  range's columns; rows themselves stay put, so developer metadata on a row stays with the row
  POSITION, not with the sorted data.  Ascending order is numbers (and dates) < text
  (case-insensitive) < booleans (FALSE < TRUE) < errors; empty cells always sort last; the sort is
  stable.
* copyPaste/cutPaste copy formulas verbatim (relative references are not re-based).
* findReplace searches text and formula cells (formulas only with ``includeFormulas``), not numbers.
"""

from __future__ import annotations

import re
from typing import Any

from sheets_emulator.api.batch_update._common import (
    Context,
    Handler,
    merge_inside,
    merge_overlaps,
    need,
)
from sheets_emulator.model.a1 import Grid
from sheets_emulator.model.errors import RequestInvalid
from sheets_emulator.model.render import FormulaError, effective
from sheets_emulator.model.store import FormattedNumber, Formula, Sheet

Snapshot = tuple[Any, Any, Any, Any]  # value, note, format, validation
_KINDS = ("notes", "formats", "validations")


def _snap(sheet: Sheet, r: int, c: int) -> Snapshot:
    return (
        sheet.cell(r, c),
        sheet.extra("notes", r, c),
        sheet.extra("formats", r, c),
        sheet.extra("validations", r, c),
    )


def _put(
    sheet: Sheet, r: int, c: int, snap: Snapshot, parts: tuple[bool, bool, bool, bool]
) -> None:
    if parts[0]:
        sheet.set_cell(r, c, snap[0])
    for flag, kind, value in zip(parts[1:], _KINDS, snap[1:], strict=True):
        if flag:
            sheet.set_extra(kind, r, c, value)


_ALL = (True, True, True, True)
RowSnap = tuple[list[Any], dict[int, Any], dict[int, Any], dict[int, Any]]


def _snap_row(sheet: Sheet, r: int, c0: int, c1: int) -> RowSnap:
    """
    Copy one row's slice [c0, c1): values plus notes/formats/validation keyed by offset.
    """
    row = sheet.rows[r]
    width = c1 - c0
    if row is None:
        return ([None] * width, {}, {}, {})
    values = row.values[c0:c1]
    values.extend([None] * (width - len(values)))
    extras = tuple(
        {c - c0: v for c, v in d.items() if c0 <= c < c1} if d else {}
        for d in (row.notes, row.formats, row.validations)
    )
    return (values, extras[0], extras[1], extras[2])


def _put_row(sheet: Sheet, r: int, c0: int, snap: RowSnap) -> None:
    """
    Write a row slice captured by ``_snap_row`` back at column ``c0``.
    """
    values, *extras = snap
    row = sheet.rows[r]
    if row is None and not any(v is not None for v in values) and not any(extras):
        return
    row = sheet.row(r)
    end = c0 + len(values)
    if len(row.values) < end:
        row.values.extend([None] * (end - len(row.values)))
    row.values[c0:end] = values
    while row.values and row.values[-1] is None:
        row.values.pop()
    for kind, extra in zip(_KINDS, extras, strict=True):
        current = getattr(row, kind) or {}
        kept = {c: v for c, v in current.items() if not c0 <= c < end}
        kept.update({c0 + k: v for k, v in extra.items()})
        setattr(row, kind, kept or None)
    if row.is_blank():
        sheet.rows[r] = None


def _sort_key(ctx: Context, sheet: Sheet, value: Any) -> tuple[int, Any]:
    result = effective(ctx.spreadsheet, sheet, value)
    if isinstance(result, FormattedNumber):
        result = result.number
    if result is None or result == "" or not isinstance(result, (int, float, str, bool)):
        return (9, 0)  # blanks and uncomputable formulas last, whatever the order
    key: Any
    if isinstance(result, FormulaError):
        rank, key = 3, str(result)
    elif isinstance(result, bool):
        rank, key = 2, int(result)
    elif isinstance(result, (int, float)):
        rank, key = 0, result
    else:
        rank, key = 1, result.lower()
    return (rank, key)


def sort_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Sort the rows of a range by one or more columns (stable; blanks last).
    """
    grid = ctx.grid(need(body, "range"))
    sheet = grid.sheet
    specs = body.get("sortSpecs") or [{"dimensionIndex": grid.c0, "sortOrder": "ASCENDING"}]
    for spec in specs:
        col = int(spec.get("dimensionIndex") or 0)
        if not grid.c0 <= col < grid.c1:
            raise RequestInvalid(f"Sort column {col} is outside the range being sorted.")
        if spec.get("sortOrder", "ASCENDING") not in (
            "ASCENDING",
            "DESCENDING",
            "SORT_ORDER_UNSPECIFIED",
        ):
            raise RequestInvalid(f"Invalid sortOrder: {spec.get('sortOrder')}")
    rows = [_snap_row(sheet, r, grid.c0, grid.c1) for r in range(grid.r0, grid.r1)]
    order = list(range(len(rows)))
    for spec in reversed(specs):  # successive stable sorts = lexicographic multi-key sort
        col = int(spec.get("dimensionIndex") or 0) - grid.c0
        descending = spec.get("sortOrder") == "DESCENDING"
        keyed = [(i, _sort_key(ctx, sheet, rows[i][0][col])) for i in order]
        present = [item for item in keyed if item[1][0] != 9]
        blanks = [item for item in keyed if item[1][0] == 9]
        # reverse=True keeps Python's sort stable, so equal keys keep their relative order.
        present.sort(key=lambda item: item[1], reverse=descending)
        order = [i for i, _ in present] + [i for i, _ in blanks]
    for offset, source in enumerate(order):
        if offset != source:
            _put_row(sheet, grid.r0 + offset, grid.c0, rows[source])


_PASTE_PARTS = {
    "PASTE_NORMAL": (True, True, True, True),
    "PASTE_VALUES": (True, False, False, False),
    "PASTE_FORMAT": (False, False, True, False),
    "PASTE_NO_BORDERS": (True, True, True, True),
    "PASTE_FORMULA": (True, False, False, False),
    "PASTE_DATA_VALIDATION": (False, False, False, True),
    "PASTE_CONDITIONAL_FORMATTING": (False, False, False, False),
}


def _paste_parts(body: dict[str, Any]) -> tuple[str, tuple[bool, bool, bool, bool]]:
    kind = body.get("pasteType") or "PASTE_NORMAL"
    if kind not in _PASTE_PARTS:
        raise RequestInvalid(f"Invalid pasteType: {kind}")
    return kind, _PASTE_PARTS[kind]


def _adapt(ctx: Context, sheet: Sheet, snap: Snapshot, kind: str) -> Snapshot:
    value, note, fmt, validation = snap
    if kind == "PASTE_VALUES" and isinstance(value, Formula):
        result = effective(ctx.spreadsheet, sheet, value)
        value = result if isinstance(result, (str, int, float, bool)) and result != "" else None
    if kind == "PASTE_NO_BORDERS" and fmt and "borders" in fmt:
        fmt = {k: v for k, v in fmt.items() if k != "borders"} or None
    return (value, note, fmt, validation)


_WITH_MERGES = frozenset({"PASTE_NORMAL", "PASTE_NO_BORDERS"})
"""Paste types that carry merges: PASTE_NORMAL is "values, formulas, formats, and merges" (DD),
PASTE_NO_BORDERS is the same without borders."""


def _paste_merges(source: Grid, target: Grid, *, tile: tuple[int, int]) -> None:
    """
    The merges inside `source` again in each `tile`-sized tile of `target` (the paste's
    area, inside its grid); `target`'s own merges there go first.
    """
    sheet = target.sheet
    found = [dict(m) for m in source.sheet.merges if merge_inside(m, source)]
    sheet.merges = [m for m in sheet.merges if not merge_overlaps(m, target)]
    height, width = tile
    for top in range(target.r0, target.r1, height):
        for left in range(target.c0, target.c1, width):
            for merge in found:
                moved = {
                    "sheetId": sheet.sheet_id,
                    "startRowIndex": merge["startRowIndex"] - source.r0 + top,
                    "endRowIndex": merge["endRowIndex"] - source.r0 + top,
                    "startColumnIndex": merge["startColumnIndex"] - source.c0 + left,
                    "endColumnIndex": merge["endColumnIndex"] - source.c0 + left,
                }
                if moved["endRowIndex"] <= target.r1 and moved["endColumnIndex"] <= target.c1:
                    sheet.merges.append(moved)


def copy_paste(ctx: Context, body: dict[str, Any]) -> None:
    """
    Copy a range onto another, tiling the source when the destination is a multiple of it.
    """
    source = ctx.grid(need(body, "source"), name="source")
    dest = ctx.grid(need(body, "destination"), name="destination")
    kind, parts = _paste_parts(body)
    transpose = body.get("pasteOrientation") == "TRANSPOSE"
    block = [
        [_snap(source.sheet, r, c) for c in range(source.c0, source.c1)]
        for r in range(source.r0, source.r1)
    ]
    if transpose:
        block = [list(col) for col in zip(*block, strict=True)] if block else []
    height, width = len(block), len(block[0]) if block else 0
    if not height or not width:
        return
    rows = max(height, dest.rows - dest.rows % height if dest.rows >= height else height)
    cols = max(width, dest.columns - dest.columns % width if dest.columns >= width else width)
    sheet = dest.sheet
    for i in range(min(rows, sheet.row_count - dest.r0)):
        for j in range(min(cols, sheet.column_count - dest.c0)):
            snap = _adapt(ctx, source.sheet, block[i % height][j % width], kind)
            _put(sheet, dest.r0 + i, dest.c0 + j, snap, parts)
    if kind in _WITH_MERGES and not transpose:
        area = Grid(
            sheet,
            dest.r0,
            dest.c0,
            min(dest.r0 + rows, sheet.row_count),
            min(dest.c0 + cols, sheet.column_count),
        )
        _paste_merges(source, area, tile=(height, width))


def cut_paste(ctx: Context, body: dict[str, Any]) -> None:
    """
    Move a range to a destination cell; the source is cleared.
    """
    source = ctx.grid(need(body, "source"), name="source")
    target = need(body, "destination")
    sheet = ctx.sheet(target.get("sheetId"))
    r0, c0 = int(target.get("rowIndex") or 0), int(target.get("columnIndex") or 0)
    if r0 + source.rows > sheet.row_count or c0 + source.columns > sheet.column_count:
        raise RequestInvalid("The destination range exceeds the grid limits.")
    kind, parts = _paste_parts(body)
    block = [
        [_snap(source.sheet, r, c) for c in range(source.c0, source.c1)]
        for r in range(source.r0, source.r1)
    ]
    # "All the source data will be cut, regardless of what is pasted" (DD, pasteType).
    for r in range(source.r0, source.r1):
        for c in range(source.c0, source.c1):
            _put(source.sheet, r, c, (None, None, None, None), _PASTE_PARTS["PASTE_NORMAL"])
    for i, row in enumerate(block):
        for j, snap in enumerate(row):
            _put(sheet, r0 + i, c0 + j, _adapt(ctx, source.sheet, snap, kind), parts)
    gone = {id(m) for m in source.sheet.merges if merge_inside(m, source)}
    if kind in _WITH_MERGES:  # (as a copy's: the destination's own merges there go)
        area = Grid(sheet, r0, c0, r0 + source.rows, c0 + source.columns)
        _paste_merges(source, area, tile=(source.rows, source.columns))
    # The source's merges go with it (by identity: one pasted back in place is new).
    source.sheet.merges = [m for m in source.sheet.merges if id(m) not in gone]


def _search_grids(ctx: Context, body: dict[str, Any]) -> list[Grid]:
    if body.get("range") is not None:
        return [ctx.grid(body["range"])]
    if body.get("sheetId") is not None:
        sheet = ctx.sheet(body["sheetId"])
        return [Grid(sheet, 0, 0, sheet.row_count, sheet.column_count)]
    if body.get("allSheets"):
        sheets = [ctx.writable(s) for s in list(ctx.spreadsheet.sheets)]
        return [Grid(s, 0, 0, s.row_count, s.column_count) for s in sheets]
    raise RequestInvalid("One of range, sheetId or allSheets must be set.")


def find_replace(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Replace text in cells; the reply counts values, formulas, rows, sheets and occurrences changed.
    """
    find = body.get("find")
    if not find:
        raise RequestInvalid("find must not be empty.")
    replacement = str(body.get("replacement") or "")
    flags = 0 if body.get("matchCase") else re.IGNORECASE
    if body.get("searchByRegex"):
        try:
            pattern = re.compile(str(find), flags)
        except re.error as exc:
            raise RequestInvalid(f"Invalid regular expression: {find}") from exc
        replacement = re.sub(r"\$(\d+)", r"\\\1", replacement)
    else:
        pattern = re.compile(re.escape(str(find)), flags)
        replacement = replacement.replace("\\", "\\\\")
    if body.get("matchEntireCell"):
        pattern = re.compile(r"\A(?:" + pattern.pattern + r")\Z", flags)
    counts = {"valuesChanged": 0, "formulasChanged": 0, "occurrencesChanged": 0}
    rows: set[tuple[int, int]] = set()
    sheets: set[int] = set()
    for grid in _search_grids(ctx, body):
        for r in range(grid.r0, grid.r1):
            row = grid.sheet.rows[r]
            if row is None:
                continue
            for c in range(grid.c0, min(grid.c1, len(row.values))):
                value = row.values[c]
                is_formula = isinstance(value, Formula)
                if is_formula and not body.get("includeFormulas"):
                    continue
                if not isinstance(value, str) and not is_formula:
                    continue
                text = value.text if isinstance(value, Formula) else str(value)
                new, n = pattern.subn(replacement, text)
                if not n:
                    continue
                counts["occurrencesChanged"] += n
                counts["formulasChanged" if is_formula else "valuesChanged"] += 1
                row.values[c] = (
                    Formula(new) if is_formula and new.startswith("=") else (new or None)
                )
                rows.add((grid.sheet.sheet_id, r))
                sheets.add(grid.sheet.sheet_id)
    reply = {**counts, "rowsChanged": len(rows), "sheetsChanged": len(sheets)}
    return {"findReplace": {k: v for k, v in reply.items() if v}}


def trim_whitespace(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Strip leading/trailing whitespace and collapse inner runs to one space in text cells.
    """
    grid = ctx.grid(need(body, "range"))
    changed = 0
    for r in range(grid.r0, grid.r1):
        row = grid.sheet.rows[r]
        if row is None:
            continue
        for c in range(grid.c0, min(grid.c1, len(row.values))):
            value = row.values[c]
            if isinstance(value, str):
                new = " ".join(value.split())
                if new != value:
                    grid.sheet.set_cell(r, c, new or None)
                    changed += 1
    return {"trimWhitespace": {"cellsChangedCount": changed} if changed else {}}


def delete_duplicates(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Remove rows of a range whose comparison columns repeat an earlier row; later rows move up.
    """
    grid = ctx.grid(need(body, "range"))
    sheet = grid.sheet
    columns: list[int] = []
    for dim in body.get("comparisonColumns") or []:
        start = int(dim.get("startIndex") or 0)
        end = int(dim["endIndex"]) if dim.get("endIndex") is not None else grid.c1
        columns.extend(range(start, end))
    columns = columns or list(range(grid.c0, grid.c1))
    if any(not grid.c0 <= c < grid.c1 for c in columns):
        raise RequestInvalid("Comparison columns must be inside the range.")
    seen: set[tuple[Any, ...]] = set()
    keep: list[int] = []
    for r in range(grid.r0, grid.r1):
        key = tuple(_dedupe_key(ctx, sheet, sheet.cell(r, c)) for c in columns)
        if key in seen:
            continue
        seen.add(key)
        keep.append(r)
    removed = grid.rows - len(keep)
    if removed:
        snaps = [_snap_row(sheet, r, grid.c0, grid.c1) for r in keep]
        empty: RowSnap = ([None] * grid.columns, {}, {}, {})
        for i in range(grid.rows):
            _put_row(sheet, grid.r0 + i, grid.c0, snaps[i] if i < len(snaps) else empty)
    return {"deleteDuplicates": {"duplicatesRemovedCount": removed} if removed else {}}


def _dedupe_key(ctx: Context, sheet: Sheet, value: Any) -> Any:
    result = effective(ctx.spreadsheet, sheet, value)
    if isinstance(result, FormattedNumber):
        return result.number
    if isinstance(result, str):
        return result.lower()
    return result if isinstance(result, (int, float, bool)) or result is None else str(result)


def _last_used_row(sheet: Sheet) -> int:
    return max((i for i, _ in sheet.used_rows()), default=-1)


def _shift_band(ctx: Context, body: dict[str, Any], inserting: bool) -> None:
    grid = ctx.grid(need(body, "range"))
    dim = body.get("shiftDimension")
    if dim not in ("ROWS", "COLUMNS"):
        raise RequestInvalid(f"Invalid shiftDimension: {dim}")
    sheet = grid.sheet
    empty_width = grid.columns
    if dim == "ROWS":
        count = grid.rows
        if inserting:
            ctx.check_cells(count * sheet.column_count)
            sheet.rows.extend([None] * count)
        last = _last_used_row(sheet)
        snaps = [_snap_row(sheet, r, grid.c0, grid.c1) for r in range(grid.r0, last + 1)]
        blank: RowSnap = ([None] * empty_width, {}, {}, {})
        moved: list[RowSnap] = [blank] * count + snaps if inserting else snaps[count:]
        for i in range(max(len(snaps), len(moved))):
            if grid.r0 + i >= sheet.row_count:
                break
            snap = moved[i] if i < len(moved) else blank
            _put_row(sheet, grid.r0 + i, grid.c0, snap)
        return
    count = grid.columns
    if inserting:
        ctx.check_cells(count * sheet.row_count)
        sheet.columns.extend([None] * count)
    width = sheet.column_count
    for r in range(grid.r0, grid.r1):
        if sheet.rows[r] is None:
            continue
        values, notes, formats, validations = _snap_row(sheet, r, grid.c0, width)
        gap: list[Any] = [None] * count
        if inserting:
            values = gap + values[: len(values) - count]
            shift = [
                {k + count: v for k, v in d.items() if k + count < width - grid.c0}
                for d in (notes, formats, validations)
            ]
        else:
            values = values[count:] + gap
            shift = [
                {k - count: v for k, v in d.items() if k >= count}
                for d in (notes, formats, validations)
            ]
        _put_row(sheet, r, grid.c0, (values, shift[0], shift[1], shift[2]))


def insert_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Insert empty cells, pushing the cells of that row/column band down or right (grid grows).

    Objects positioned by GridRange (merges, protected ranges...) are not re-indexed.
    """
    _shift_band(ctx, body, inserting=True)


def delete_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Delete cells, pulling the cells of that row/column band up or left (grid keeps its size).
    """
    _shift_band(ctx, body, inserting=False)


HANDLERS: dict[str, Handler] = {
    "insertRange": insert_range,
    "deleteRange": delete_range,
    "sortRange": sort_range,
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
    "findReplace": find_replace,
    "trimWhitespace": trim_whitespace,
    "deleteDuplicates": delete_duplicates,
}
