"""
Inserting, deleting and moving rows or columns, and shifting everything positioned on them.

Rows and columns are objects (``Row``/``Column``) that carry values, notes, formats, validation and
their developer metadata, so list operations move all of that together.  Objects positioned by
GridRange (merges, protected ranges, conditional-format ranges, named ranges, basic filter, groups,
chart sources and anchors) are re-indexed here.  Per
https://developers.google.com/sheets/api/guides/metadata, metadata on a deleted row is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sheets_emulator.model.store import Column, Row, Sheet, Spreadsheet

Interval = tuple[int, int]
Mapper = Callable[[int, int], Interval | None]
PointMapper = Callable[[int], int | None]

_KEYS = {
    "ROWS": ("startRowIndex", "endRowIndex", "rowIndex"),
    "COLUMNS": ("startColumnIndex", "endColumnIndex", "columnIndex"),
}


def _insert_mapper(start: int, count: int) -> tuple[Mapper, PointMapper]:
    def interval(a: int, b: int) -> Interval | None:
        return (a + count if a >= start else a, b + count if b > start else b)

    def point(p: int) -> int | None:
        return p + count if p >= start else p

    return interval, point


def _delete_mapper(start: int, end: int) -> tuple[Mapper, PointMapper]:
    count = end - start

    def edge(p: int) -> int:
        return p if p <= start else (start if p <= end else p - count)

    def interval(a: int, b: int) -> Interval | None:
        na, nb = edge(a), edge(b)
        return (na, nb) if nb > na else None

    def point(p: int) -> int | None:
        if start <= p < end:
            return None
        return p if p < start else p - count

    return interval, point


def move_permutation(start: int, end: int, dest: int) -> Callable[[int], int]:
    """
    Map an old index to its new index after moveDimension (dest given before removal, per the docs).
    """
    count = end - start
    target = dest if dest < start else dest - count

    def new_index(p: int) -> int:
        if start <= p < end:
            return target + (p - start)
        q = p if p < start else p - count
        return q + count if q >= target else q

    return new_index


def _move_mapper(start: int, end: int, dest: int) -> tuple[Mapper, PointMapper]:
    perm = move_permutation(start, end, dest)

    def interval(a: int, b: int) -> Interval | None:
        if b - a > 5000:  # large spans: the block stays contiguous in practice
            return (min(perm(a), perm(b - 1)), max(perm(a), perm(b - 1)) + 1)
        mapped = [perm(p) for p in range(a, b)]
        return (min(mapped), max(mapped) + 1) if mapped else (a, b)

    return interval, perm


def _adjust(obj: Any, sheet_id: int, dim: str, interval: Mapper, point: PointMapper) -> bool:
    """
    Re-index one GridRange/DimensionRange/GridCoordinate dict in place; False if it vanished.
    """
    if not isinstance(obj, dict) or int(obj.get("sheetId") or 0) != sheet_id:
        return True
    if "dimension" in obj:
        if obj["dimension"] != dim:
            return True
        a, b = obj.get("startIndex", 0), obj.get("endIndex")
        if b is None:
            obj["startIndex"] = point(a) if point(a) is not None else a
            return True
        new = interval(a, b)
        if new is None:
            return False
        obj["startIndex"], obj["endIndex"] = new
        return True
    start_key, end_key, point_key = _KEYS[dim]
    if point_key in obj:
        moved = point(obj[point_key])
        if moved is None:
            return False
        obj[point_key] = moved
        return True
    if start_key not in obj and end_key not in obj:
        return True
    a = obj.get(start_key, 0)
    b = obj.get(end_key)
    if b is None:
        moved = point(a)
        obj[start_key] = moved if moved is not None else a
        return True
    new = interval(a, b)
    if new is None:
        return False
    obj[start_key], obj[end_key] = new
    return True


_GRID_KEYS = frozenset(
    {
        "sheetId",
        "startRowIndex",
        "endRowIndex",
        "startColumnIndex",
        "endColumnIndex",
        "rowIndex",
        "columnIndex",
    }
)
"""Keys only a GridRange or a GridCoordinate has (in a chart): one on sheet 0 leaves its
sheetId out (proto3), as Google writes it and as a chart read back and sent again has it."""


_NOT_RANGES = frozenset({"filterSpecs"})
"""Chart keys whose objects hold a `columnIndex` that is no cell (a filter's column offset)."""


def _walk(obj: Any, fn: Callable[[dict[str, Any]], bool]) -> None:
    if isinstance(obj, dict):
        if not _GRID_KEYS.isdisjoint(obj):
            fn(obj)
        for key, value in obj.items():
            if key not in _NOT_RANGES:
                _walk(value, fn)
    elif isinstance(obj, list):
        for value in obj:
            _walk(value, fn)


def _shift_objects(
    spreadsheet: Spreadsheet, sheet: Sheet, dim: str, interval: Mapper, point: PointMapper
) -> None:
    sid = sheet.sheet_id

    def alive(obj: Any) -> bool:
        return _adjust(obj, sid, dim, interval, point)

    sheet.merges = [m for m in sheet.merges if alive(m)]
    rules = []
    for rule in sheet.conditional_formats:
        rule["ranges"] = [r for r in rule.get("ranges", []) if alive(r)]
        if rule["ranges"]:
            rules.append(rule)
    sheet.conditional_formats = rules
    kept = []
    for protected in sheet.protected_ranges:
        if "range" in protected and not alive(protected["range"]):
            continue
        protected["unprotectedRanges"] = [
            r for r in protected.get("unprotectedRanges", []) if alive(r)
        ]
        if not protected["unprotectedRanges"]:
            del protected["unprotectedRanges"]
        kept.append(protected)
    sheet.protected_ranges = kept
    if sheet.basic_filter is not None and not alive(sheet.basic_filter.get("range")):
        sheet.basic_filter = None
    group_list = sheet.row_groups if dim == "ROWS" else sheet.column_groups
    group_list[:] = [g for g in group_list if alive(g["range"])]
    named = []
    for each in spreadsheet.named_ranges:
        if alive(each.get("range")):
            named.append(each)
        else:  # its cells are gone: the name stays taken, unlisted (`broken_names`)
            spreadsheet.broken_names.append(str(each.get("name", "")))
    spreadsheet.named_ranges = named
    for other in spreadsheet.sheets:
        _walk(other.charts, alive)


def _drop_metadata(spreadsheet: Spreadsheet, holders: list[Any]) -> None:
    for holder in holders:
        if holder is not None and holder.metadata:
            for mid in holder.metadata:
                spreadsheet.developer_metadata.pop(mid, None)


def _shift_keys(d: dict[int, Any] | None, fn: Callable[[int], int | None]) -> dict[int, Any] | None:
    if not d:
        return d
    out = {}
    for k, v in d.items():
        nk = fn(k)
        if nk is not None:
            out[nk] = v
    return out


def _remap_columns(sheet: Sheet, fn: Callable[[int], int | None], width: int) -> None:
    for _, row in sheet.used_rows():
        new_values: list[Any] = [None] * width
        for c, v in enumerate(row.values):
            if v is None:
                continue
            nc = fn(c)
            if nc is not None:
                new_values[nc] = v
        while new_values and new_values[-1] is None:
            new_values.pop()
        row.values = new_values
        row.notes = _shift_keys(row.notes, fn)
        row.formats = _shift_keys(row.formats, fn)
        row.validations = _shift_keys(row.validations, fn)


def insert_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dim: str, start: int, end: int, *, inherit_before: bool
) -> None:
    """
    Insert ``end - start`` empty rows/columns at ``start``, inheriting formats from a neighbour.
    """
    count = end - start
    source = start - 1 if inherit_before else start
    if dim == "ROWS":
        template = sheet.rows[source] if 0 <= source < sheet.row_count else None
        new_rows: list[Row | None] = []
        for _ in range(count):
            if template is not None and template.formats:
                row = Row()
                row.formats = dict(template.formats)
                new_rows.append(row)
            else:
                new_rows.append(None)
        sheet.rows[start:start] = new_rows
    else:
        gap: list[Any] = [None] * count

        def shift(c: int) -> int | None:
            return c + count if c >= start else c

        # The new columns take the formats of their neighbour (at its shifted position).
        inherits = 0 <= source < sheet.column_count
        original = source if source < start else source + count
        for _, row in sheet.used_rows():
            # What `_remap_columns` does for a shift, at slice speed (every set-up inserts
            # the worker's columns into each regional tab).
            if start < len(row.values):
                row.values = row.values[:start] + gap + row.values[start:]
            if row.notes:
                row.notes = _shift_keys(row.notes, shift)
            if row.formats:
                row.formats = _shift_keys(row.formats, shift)
                if inherits and row.formats and original in row.formats:
                    for c in range(start, end):
                        row.formats[c] = row.formats[original]
            if row.validations:
                row.validations = _shift_keys(row.validations, shift)
        sheet.columns[start:start] = [None] * count
    interval, point = _insert_mapper(start, count)
    _shift_objects(spreadsheet, sheet, dim, interval, point)


def delete_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dim: str, start: int, end: int
) -> None:
    """
    Delete rows/columns [start, end) together with their metadata.
    """
    if dim == "ROWS":
        _drop_metadata(spreadsheet, sheet.rows[start:end])
        del sheet.rows[start:end]
    else:
        _drop_metadata(spreadsheet, sheet.columns[start:end])
        count = end - start
        _remap_columns(
            sheet,
            lambda c: c if c < start else (None if c < end else c - count),
            sheet.column_count - count,
        )
        del sheet.columns[start:end]
    interval, point = _delete_mapper(start, end)
    _shift_objects(spreadsheet, sheet, dim, interval, point)


def move_dimension(
    spreadsheet: Spreadsheet, sheet: Sheet, dim: str, start: int, end: int, dest: int
) -> None:
    """
    Move rows/columns [start, end) to ``dest`` (an index before the removal, as Google defines it).
    """
    perm = move_permutation(start, end, dest)
    if dim == "ROWS":
        rows: list[Row | None] = [None] * sheet.row_count
        for i, row in enumerate(sheet.rows):
            rows[perm(i)] = row
        sheet.rows = rows
    else:
        columns: list[Column | None] = [None] * sheet.column_count
        for i, col in enumerate(sheet.columns):
            columns[perm(i)] = col
        sheet.columns = columns
        _remap_columns(sheet, perm, sheet.column_count)
    interval, point = _move_mapper(start, end, dest)
    _shift_objects(spreadsheet, sheet, dim, interval, point)


def append_dimension(sheet: Sheet, dim: str, length: int) -> None:
    """
    Add ``length`` empty rows/columns at the end of the grid.
    """
    if dim == "ROWS":
        sheet.rows.extend([None] * length)
    else:
        sheet.columns.extend([None] * length)


def resize(spreadsheet: Spreadsheet, sheet: Sheet, rows: int | None, columns: int | None) -> None:
    """
    Set rowCount/columnCount, deleting from or appending to the end of the grid.
    """
    if rows is not None:
        if rows < sheet.row_count:
            delete_dimension(spreadsheet, sheet, "ROWS", rows, sheet.row_count)
        else:
            append_dimension(sheet, "ROWS", rows - sheet.row_count)
    if columns is not None:
        if columns < sheet.column_count:
            delete_dimension(spreadsheet, sheet, "COLUMNS", columns, sheet.column_count)
        else:
            append_dimension(sheet, "COLUMNS", columns - sheet.column_count)
