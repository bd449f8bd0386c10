"""
Typed cell values the worker writes, and how they compare with what the API reads back.

Every value is written as a typed `ExtendedValue`
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ExtendedValue):
text goes out as `stringValue`, which Sheets never runs as a formula whatever it starts with
(`=`, `+`, `-`, `@`). Only the worker's own `Formula` objects become `formulaValue`.
"""

from __future__ import annotations

import math
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


def cell_at(grid: list[list[Any]], row: int, col: int) -> Any:
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
