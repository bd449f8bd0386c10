"""
Cell values the worker writes, and how they compare with what the API reads back.

Values go out with `valueInputOption=RAW` (`to_raw`), under which Sheets stores text as text
whatever it starts with (`=`, `+`, `-`, `@`) and never parses dates or numbers out of it.
Only the worker's own `Formula` objects are sent with `USER_ENTERED`. Set-up cells (headers)
go in a spreadsheets:batchUpdate as a typed `ExtendedValue` (`to_extended`): `stringValue`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Formula:
    """A formula the worker builds itself; `shown` is what an UNFORMATTED read returns."""

    text: str
    shown: str


CellValue: TypeAlias = str | int | Decimal | bool | Formula | None
"""A value the worker may write; None means the cell must be empty."""


EXACT_INTS = 2**53
"""Whole numbers below this in magnitude are doubles exactly: a write sends such an int as a
double (`to_extended`), and a read shows such a whole double as a whole number (`as_read`)."""


def hyperlink(gid: int, a1: str, label: str) -> Formula:
    """A link to a cell of another tab of the same spreadsheet."""
    safe = label.replace('"', '""')
    return Formula(text=f'=HYPERLINK("#gid={gid}&range={a1}","{safe}")', shown=label)


def to_extended(value: CellValue) -> dict[str, Any]:
    """The CellData for one value (an empty dict clears the cell under a userEnteredValue mask)."""
    if value is None:
        return {}
    if isinstance(value, Formula):
        return {"userEnteredValue": {"formulaValue": value.text}}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | Decimal):
        number = _as_double(value)
        if number is None:
            # Beyond a double's range a sheet has no number for it, and JSON no token for the
            # infinity float() would give: show the figure as text rather than fail the write.
            return {"userEnteredValue": {"stringValue": str(value)}}
        return {"userEnteredValue": {"numberValue": number}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def to_raw(value: CellValue) -> str | float | bool:
    """
    The JSON value for a `values:batchUpdate` with `RAW` input: stored as given, never parsed.

    Text starting with `=` stays text under RAW. An empty string clears the cell (`null`
    would mean "leave it alone"). Formulas are never sent this way: see `plan.value_writes`.
    """
    if value is None:
        return ""
    if isinstance(value, Formula):
        raise ValueError("a formula is written with USER_ENTERED, not RAW")
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        number = _as_double(value)
        return str(value) if number is None else number
    return str(value)


def _as_double(value: int | Decimal) -> float | None:
    """The IEEE double a sheet stores for a number; None when the number is out of its range."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _as_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None


_UNSURE = object()
"""Equal to nothing: `as_read` of a value whose read-back form it does not predict."""


def as_read(value: CellValue) -> object:
    """
    The value as a read shows a cell that holds it (blank as None, a number as a double), or
    a marker equal to nothing when not sure: a quick test for a whole row of cells at once.
    Equal with equal types implies `same_value`; anything else is left to `same_value`.
    """
    kind = type(value)
    if kind is str:  # the most common first: text, then blanks, then numbers
        return value if value else None
    if value is None:
        return None
    if kind is Decimal or kind is int:
        try:
            number = float(value)  # type: ignore[arg-type]
        except OverflowError:
            return _UNSURE
        if not math.isfinite(number):
            return _UNSURE
        # The API writes a whole double without a fraction (`120840`, not `120840.0`).
        return int(number) if number.is_integer() and abs(number) < EXACT_INTS else number
    return None if value == "" else _UNSURE


def row_as_read(values: Iterable[CellValue]) -> list[object]:
    """
    `as_read` of each value, text, blanks and Decimals (most of a row: a regional row's
    figures) done inline: a large sheet's diff takes this for hundreds of thousands of cells.
    """
    decimal, finite = Decimal, math.isfinite
    return [
        (v or None)
        if (kind := v.__class__) is str
        else None
        if v is None
        else (
            (int(number) if number.is_integer() and -EXACT_INTS < number < EXACT_INTS else number)
            if finite(number := float(v))  # type: ignore[arg-type]  # (a Decimal: no error)
            else _UNSURE
        )
        if kind is decimal
        else as_read(v)
        for v in values
    ]


def read_back(value: object) -> object:
    """A cell as read, blank as None (the API sends an empty cell as '' or leaves it out)."""
    return None if value == "" else value


def cells_as_read(line: Sequence[object], columns: Iterable[int]) -> tuple[object, ...]:
    """The cells of a row as read at `columns` (blank, or beyond the row's end, as None)."""
    size = len(line)
    return tuple([None if c >= size or (v := line[c]) == "" else v for c in columns])


def shows(got: tuple[object, ...], shown: tuple[object, ...]) -> bool:
    """
    Whether cells as read (`cells_as_read`) already show the wanted values (`as_read` of each):
    equal, and of the same types (1, 1.0 and True are equal in Python, not in a sheet). True
    implies `same_value` for every cell; False leaves each cell to `same_value`.
    """
    return got == shown and tuple(map(type, got)) == tuple(map(type, shown))


def same_value(current: object, desired: CellValue) -> bool:
    """Whether the cell as read (UNFORMATTED_VALUE) already shows the desired value."""
    if desired is None or desired == "":
        return current is None or current == ""
    if isinstance(desired, Formula):
        return current == desired.shown
    if isinstance(desired, bool):
        return current is desired
    if isinstance(desired, int | Decimal):
        stored = _as_double(desired)
        if stored is None:
            return current == str(desired)
        got = _as_decimal(current)
        # A sheet keeps a number as an IEEE double (it is written as one, see `to_extended`),
        # so a value with more digits than a double holds reads back rounded: compare both.
        return got is not None and (got == Decimal(desired) or got == _as_decimal(stored))
    return isinstance(current, str) and current == desired


def cell_at(grid: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    """Value at 1-based sheet row `row`, 0-based column `col` of a trimmed grid (None if absent)."""
    if row - 1 >= len(grid):
        return None
    values = grid[row - 1]
    return values[col] if col < len(values) else None


def column_letter(col: int) -> str:
    """A1 column letters for a 0-based column index."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
