"""
A1 (and simple R1C1) range parsing and echo formatting, following
https://developers.google.com/sheets/api/guides/concepts#cell.

Ranges resolve against the *grid*: an unbounded end stops at rowCount/columnCount, an end past the
grid is clamped, a start past it is an error, reversed corners are swapped and a 1x1 range echoes
as one cell.  A bare name is tried as a named range, then as a cell range on the first visible
sheet, then as a sheet title (Google's documented precedence for ``Sheet1`` vs ``'Sheet1'``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sheets_emulator.model.errors import ApiError, invalid_argument, unable_to_parse_range
from sheets_emulator.model.spreadsheet import Sheet, Spreadsheet

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")
_R1C1 = re.compile(r"^[Rr](\d+)[Cc](\d+)$")
_BARE_TITLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d+[Cc]\d+)$")


@dataclass(frozen=True)
class RangeRef:
    """
    A parsed range on a sheet with zero-based half-open bounds; ``None`` ends are unbounded.
    """

    sheet: Sheet
    r0: int
    c0: int
    r1: int | None
    c1: int | None


@dataclass(frozen=True)
class Grid:
    """
    A range resolved against its sheet's grid: every bound concrete, zero-based, half-open.
    """

    sheet: Sheet
    r0: int
    c0: int
    r1: int
    c1: int

    @property
    def rows(self) -> int:
        """
        Return the number of rows covered.
        """
        return self.r1 - self.r0

    @property
    def columns(self) -> int:
        """
        Return the number of columns covered.
        """
        return self.c1 - self.c0

    def a1(self) -> str:
        """
        Return Google's echo of this range, e.g. ``Sheet1!A1:Z1000`` or ``'ศก.1'!B2``.
        """
        return format_range(self.sheet.title, self.r0, self.c0, self.r1, self.c1)


def column_letters(index: int) -> str:
    """
    Convert a zero-based column index to letters (0 -> A, 26 -> AA).
    """
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """
    Convert column letters to a zero-based index (A -> 0).
    """
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def parse_cell(text: str) -> tuple[int, int]:
    """
    Parse a single cell like ``B3`` into zero-based (row, column).
    """
    m = _CELL.match(text.strip())
    if not m or not m.group(1) or not m.group(2) or int(m.group(2)) < 1:
        raise ValueError(f"not a cell reference: {text!r}")
    return int(m.group(2)) - 1, column_index(m.group(1))


def quote_title(title: str) -> str:
    """
    Quote a title as Google echoes it: bare only for plain identifiers that are not cell-like.
    """
    if _BARE_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_a1(row: int, col: int) -> str:
    """
    Format a zero-based cell as A1 text.
    """
    return f"{column_letters(col)}{row + 1}"


def format_range(title: str, r0: int, c0: int, r1: int, c1: int) -> str:
    """
    Format a concrete half-open range with its quoted sheet title; 1x1 collapses to one cell.
    """
    start = cell_a1(r0, c0)
    if r1 - r0 == 1 and c1 - c0 == 1:
        return f"{quote_title(title)}!{start}"
    return f"{quote_title(title)}!{start}:{cell_a1(r1 - 1, c1 - 1)}"


def _format_ref(ref: RangeRef) -> str:
    start = cell_a1(ref.r0, ref.c0)
    end_col = column_letters(ref.c1 - 1) if ref.c1 is not None else ""
    end_row = str(ref.r1) if ref.r1 is not None else ""
    end = f"{end_col}{end_row}"
    text = start if end == start else f"{start}:{end}"
    return f"{quote_title(ref.sheet.title)}!{text}"


def _endpoint(text: str) -> tuple[int | None, int | None] | None:
    """
    Parse one side of a range into (row, col) zero-based parts, either of which may be absent.
    """
    m = _R1C1.match(text)
    if m and int(m.group(1)) >= 1 and int(m.group(2)) >= 1:
        return int(m.group(1)) - 1, int(m.group(2)) - 1
    m = _CELL.match(text)
    if not m or (m.group(1) is None and m.group(2) is None):
        return None
    row = int(m.group(2)) - 1 if m.group(2) is not None else None
    if row is not None and row < 0:
        return None
    col = column_index(m.group(1)) if m.group(1) else None
    return row, col


def _cells(sheet: Sheet, text: str) -> RangeRef | None:
    """
    Parse the part after ``!`` (cell, ``A1:B2``, ``A:B``, ``1:2``, ``A5:B``...) or return ``None``.
    """
    if not text or text.count(":") > 1:
        return None
    if ":" not in text:
        point = _endpoint(text)
        if point is None or point[0] is None or point[1] is None:
            return None
        return RangeRef(sheet, point[0], point[1], point[0] + 1, point[1] + 1)
    left, right = text.split(":")
    a, b = _endpoint(left), _endpoint(right)
    if a is None or b is None:
        return None
    if bool(_R1C1.match(left)) != bool(_R1C1.match(right)):
        return None  # Mixing notations is a parse error on the real API.
    (ar, ac), (br, bc) = a, b
    if (ar is None and ac is None) or (br is None and bc is None):
        return None
    # Whole rows (1:2) need rows on both sides; whole columns (A:B) need columns on both sides.
    if ac is None and (br is None or bc is not None):
        return None
    r0, c0 = ar if ar is not None else 0, ac if ac is not None else 0
    r1 = br + 1 if br is not None else None
    c1 = bc + 1 if bc is not None else None
    if r1 is not None and r1 <= r0:
        r0, r1 = r1 - 1, r0 + 1
    if c1 is not None and c1 <= c0:
        c0, c1 = c1 - 1, c0 + 1
    return RangeRef(sheet, r0, c0, r1, c1)


def _named(spreadsheet: Spreadsheet, name: str) -> RangeRef | None:
    for named in spreadsheet.named_ranges:
        if named.get("name") == name:
            return ref_from_grid_range(spreadsheet, named.get("range") or {})
    return None


def _split_quoted(text: str) -> tuple[str, str | None] | None:
    """
    Split ``'ti''tle'!A1`` into the unescaped title and the cell part (``None`` when absent).
    """
    i = 1
    title = []
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                title.append("'")
                i += 2
                continue
            rest = text[i + 1 :]
            if rest == "":
                return "".join(title), None
            if rest.startswith("!"):
                return "".join(title), rest[1:]
            return None
        title.append(ch)
        i += 1
    return None


def parse_range(spreadsheet: Spreadsheet, text: str) -> RangeRef:
    """
    Parse a range as given to the API, without grid clamping; raises ``Unable to parse range``.
    """
    given = text
    text = text.strip()
    if text.startswith("'"):
        split = _split_quoted(text)
        if split is None:
            raise unable_to_parse_range(given)
        title, cells = split
    elif "!" in text:
        title, _, cells = text.rpartition("!")
    else:
        named = _named(spreadsheet, text)
        if named is not None:
            return named
        ref = _cells(spreadsheet.first_visible_sheet(), text)
        if ref is not None:
            return ref
        title, cells = text, None
    sheet = spreadsheet.sheet_by_title(title)
    if sheet is None:
        raise unable_to_parse_range(given)
    if cells is None:
        return RangeRef(sheet, 0, 0, None, None)
    ref = _cells(sheet, cells)
    if ref is None:
        ref = _named(spreadsheet, cells)
    if ref is None:
        raise unable_to_parse_range(given)
    return ref


def clamp(ref: RangeRef) -> Grid:
    """
    Resolve a parsed range against its grid, raising Google's "exceeds grid limits" for a bad start.
    """
    sheet = ref.sheet
    if ref.r0 >= sheet.row_count or ref.c0 >= sheet.column_count:
        raise invalid_argument(
            f"Range ({_format_ref(ref)}) exceeds grid limits. "
            f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
        )
    r1 = sheet.row_count if ref.r1 is None else min(ref.r1, sheet.row_count)
    c1 = sheet.column_count if ref.c1 is None else min(ref.c1, sheet.column_count)
    return Grid(sheet, ref.r0, ref.c0, r1, c1)


def resolve_range(spreadsheet: Spreadsheet, text: str) -> Grid:
    """
    Parse and clamp in one step, the common path for values endpoints.
    """
    return clamp(parse_range(spreadsheet, text))


def ref_from_grid_range(spreadsheet: Spreadsheet, data: dict[str, Any]) -> RangeRef:
    """
    Turn a GridRange JSON object (missing sheetId = sheet 0, missing bounds = unbounded) into a ref.
    """
    sheet_id = int(data.get("sheetId") or 0)
    sheet = spreadsheet.sheet_by_id(sheet_id)
    if sheet is None:
        raise ApiError(400, f"No grid with id: {sheet_id}")
    r0 = int(data.get("startRowIndex") or 0)
    c0 = int(data.get("startColumnIndex") or 0)
    r1 = data.get("endRowIndex")
    c1 = data.get("endColumnIndex")
    if r0 < 0 or c0 < 0:
        raise invalid_argument("GridRange start indexes must be non-negative")
    return RangeRef(
        sheet, r0, c0, int(r1) if r1 is not None else None, int(c1) if c1 is not None else None
    )


def grid_from_range(spreadsheet: Spreadsheet, data: dict[str, Any]) -> Grid:
    """
    Resolve a GridRange JSON object against its grid (ends clamped, a start past it refused).
    """
    ref = ref_from_grid_range(spreadsheet, data)
    if (ref.r1 is not None and ref.r1 < ref.r0) or (ref.c1 is not None and ref.c1 < ref.c0):
        raise invalid_argument("Invalid GridRange: end index before start index")
    return clamp(ref)  # (a start past the grid: "Range (T!A1001:B) exceeds grid limits…")


def grid_range_json(grid: Grid) -> dict[str, Any]:
    """
    Render a concrete range as GridRange JSON with an explicit sheetId.
    """
    return {
        "sheetId": grid.sheet.sheet_id,
        "startRowIndex": grid.r0,
        "endRowIndex": grid.r1,
        "startColumnIndex": grid.c0,
        "endColumnIndex": grid.c1,
    }


_FORMULA_PARTS = re.compile(
    r"""
      (?P<text>"(?:[^"]|"")*"|'(?:[^']|'')*')        # a string or a quoted title: as it is
    | (?<![A-Za-z0-9_.$])                            # not inside a name
      (?P<col_fixed>\$?)(?P<col>[A-Za-z]{1,3})
      (?P<row_fixed>\$?)(?P<row>[0-9]+)
      (?![A-Za-z0-9_(!])                             # not a function (LOG10), a name, a title
    """,
    re.VERBOSE,
)


_MAX_COLUMNS = 18_278
"""Columns a sheet may have (A … ZZZ)."""


def shifted_formula(formula: str, rows: int, columns: int) -> str:
    """
    A formula copied `rows` down and `columns` right: each relative part of its A1
    references moves, `$` parts stay; one moved off the grid's top or left is `#REF!`.
    """

    def move(match: re.Match[str]) -> str:
        if match["text"] is not None:
            return match[0]
        col = column_index(match["col"].upper())
        row = int(match["row"])
        if not match["col_fixed"]:
            col += columns
        if not match["row_fixed"]:
            row += rows
        if not 0 <= col < _MAX_COLUMNS or row < 1:
            return "#REF!"
        return f"{match['col_fixed']}{column_letters(col)}{match['row_fixed']}{row}"

    return _FORMULA_PARTS.sub(move, formula)
