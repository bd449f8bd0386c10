"""
Percentages typed with a `%` sign: what the sheet keeps and what the person typed.

Typing `92%` into a cell makes Sheets keep the number 0.92 with a percent format, and a read
of values (`UNFORMATTED_VALUE`, the worker's) gives 0.92: a satisfaction of 92 % would count
as 0.92 % (domain spec §3.1: values must parse as people type them, a trailing `%`
included). Only the cell's format tells the two apart, so a round whose percent columns hold
numbers reads those cells once more as people see them (`FORMATTED_VALUE`) and reads each
one shown with a `%` as the text typed (`92%`, which the rules read as 92). Pure: the loop
does the read (`sync.run.read.look_at_typed_percents`).

Only the rows a round checks (again) are looked at: a row read byte for byte as before,
whose results are kept for this day, year and lists, is known as it was then; so a cell
whose format alone changed (its number did not) is seen when its row changes, or the next
day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast

from rules.template import TEMPLATE, Kind
from sync.core.cells import column_letter
from sync.core.sheet import ReadRows, quote_title
from sync.core.tabs import RegionTab, Snapshot

PERCENT_KINDS = frozenset({Kind.PERCENT, Kind.REDUCTION, Kind.INCREASE})
"""Columns that hold a percentage a person types (`ร้อยละ`)."""

PERCENT_HEADERS = frozenset(c.header for c in TEMPLATE.columns if c.kind in PERCENT_KINDS)

Overlay = dict[str, dict[int, dict[int, str]]]
"""Per tab title, per row index of its grid, per column: the text to read the cell as."""


@dataclass(frozen=True)
class Suspects:
    """The cells of one percent column of one tab holding numbers that may be such fractions."""

    title: str
    column: int
    rows: tuple[int, ...]
    """Row indexes of the grid (0 = sheet row 1), ascending."""
    numbers: tuple[int | float, ...]
    """Each row's number, as read."""

    @property
    def a1(self) -> str:
        """The range that holds them, for the read of what people see."""
        letter = column_letter(self.column)
        return f"{quote_title(self.title)}!{letter}{self.rows[0] + 1}:{letter}{self.rows[-1] + 1}"


def may_be_a_fraction(number: float) -> bool:
    """
    Whether a number read from a percent column may be the fraction Sheets keeps for a `%`
    typed: up to 1 (100 %; 0 aside, 0 % is 0 either way), or with decimals up to 10 (150 %,
    which the rules then refuse where 100 is the most). A person's plain figures are mostly
    above 1 (12, 85.5), so a sheet whose people type no `%` mostly costs no read for it; a
    whole 200 % or 300 % typed with its sign is read as 2 or 3.
    """
    size = abs(number)
    return 0 < size <= 1 or (size <= 10 and size != int(size))


def suspects(
    tabs: Sequence[RegionTab], rows_of: Callable[[RegionTab], Iterable[int]]
) -> list[Suspects]:
    """
    The numbers of the percent columns of the tabs' data rows `rows_of` gives (the rows a
    round checks anew) that may be a fraction Sheets keeps for a `%` typed.
    """
    found: list[Suspects] = []
    for tab in tabs:
        columns = sorted(
            col for header, col in tab.headers.columns.items() if header in PERCENT_HEADERS
        )
        if not columns:
            continue
        by_column: dict[int, list[tuple[int, int | float]]] = {col: [] for col in columns}
        grid = tab.grid
        for index in rows_of(tab):
            cells = (
                grid.cells_at(index, columns)
                if isinstance(grid, ReadRows)
                else tuple(grid[index][c] if c < len(grid[index]) else None for c in columns)
            )
            for col, cell in zip(columns, cells, strict=True):
                if (cell.__class__ is int or cell.__class__ is float) and may_be_a_fraction(
                    cast(float, cell)
                ):
                    by_column[col].append((index, cast(int | float, cell)))
        for col, numbers in by_column.items():
            if numbers:
                found.append(
                    Suspects(
                        tab.title,
                        col,
                        tuple(index for index, _ in numbers),
                        tuple(number for _, number in numbers),
                    )
                )
    return found


def overlay_of(found: Sequence[Suspects], shown: Sequence[Sequence[Sequence[object]]]) -> Overlay:
    """
    The cells shown with a `%` (`shown`: each range of `found` as people see it, in order),
    each as the text typed: the number read × 100 with the sign, exactly (a `0%` format shows
    0.925 as `93%`; the person's figure is 92.5). A cell shown as a number other than the
    one read (a row moved between the two reads) is left as read.
    """
    overlay: Overlay = {}
    for each, grid in zip(found, shown, strict=True):
        start = each.rows[0]
        for index, number in zip(each.rows, each.numbers, strict=True):
            line = grid[index - start] if index - start < len(grid) else ()
            text = line[0] if line else None
            if not isinstance(text, str):
                continue
            percent = _shown_percent(text)
            if percent is None:
                continue
            typed = (Decimal(repr(number)) * 100).normalize()
            if abs(typed - percent) > _shown_step(text):
                continue  # not this cell's number: the rows moved between the reads
            overlay.setdefault(each.title, {}).setdefault(index, {})[each.column] = f"{typed:f}%"
    return overlay


def _shown_percent(text: str) -> Decimal | None:
    """The percentage a cell shown with a `%` says (`92%`, `12.50 %`, `1,200%`), else None."""
    body = text.strip()
    if not body.endswith("%"):
        return None
    try:
        return Decimal(body[:-1].strip().replace(",", ""))
    except InvalidOperation:
        return None


def _shown_step(text: str) -> Decimal:
    """Half the last digit a shown percentage keeps: how far the number it stands for may be."""
    body = text.strip()[:-1].strip()
    decimals = len(body.partition(".")[2])
    return Decimal(5).scaleb(-decimals - 1)


def apply_overlay(snapshot: Snapshot, overlay: Overlay) -> None:
    """
    Make the snapshot's tabs read the overlaid cells as given (its grids are the round's
    own).
    """
    for title, rows in overlay.items():
        grid = snapshot.grids[title]
        if isinstance(grid, ReadRows):
            grid.overlay(rows)
            continue
        for index, cells in rows.items():
            line = grid[index]
            for col, text in cells.items():
                line[col] = text
