"""
Planning a write: the exact worker cells whose value differs, grouped into few requests.

Pure functions: the pipeline hands in what it read and what it wants, and gets back cell
changes and the `updateCells` requests that carry them in one atomic batchUpdate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sync.cells import CellValue, cell_at, column_letter, same_value, to_extended


@dataclass(frozen=True, order=True)
class CellChange:
    """One cell to write: tab title, 1-based sheet row, 0-based column, new value."""

    tab: str
    row: int
    col: int
    value: CellValue

    @property
    def a1(self) -> str:
        """The cell's A1 address within its tab."""
        return f"{column_letter(self.col)}{self.row}"


DesiredCells = Mapping[tuple[int, int], CellValue]
"""Wanted values keyed by (1-based row, 0-based column) within one tab."""


def diff_tab(tab: str, current: list[list[Any]], desired: DesiredCells) -> list[CellChange]:
    """Changes that make `current` show `desired`; cells not named in `desired` are left alone."""
    changes = []
    for (row, col), value in desired.items():
        if not same_value(cell_at(current, row, col), value):
            changes.append(CellChange(tab, row, col, value))
    changes.sort(key=lambda c: (c.row, c.col))
    return changes


@dataclass(frozen=True)
class Block:
    """A rectangle of changed cells in one tab, written by one updateCells request."""

    tab: str
    row: int
    col: int
    values: tuple[tuple[CellValue, ...], ...]


MAX_BLOCK_ROWS = 500
"""Rows per updateCells at most, so one request never outgrows a write batch on its own."""


def group_blocks(changes: Iterable[CellChange], *, max_rows: int = MAX_BLOCK_ROWS) -> list[Block]:
    """Runs of adjacent columns per row, then identical runs on consecutive rows, merged."""
    by_tab: dict[str, list[CellChange]] = {}
    for change in changes:
        by_tab.setdefault(change.tab, []).append(change)
    blocks: list[Block] = []
    for tab, items in by_tab.items():
        items.sort(key=lambda c: (c.row, c.col))
        runs: list[tuple[int, int, list[CellValue]]] = []  # (row, start col, values)
        for change in items:
            if runs and runs[-1][0] == change.row and runs[-1][1] + len(runs[-1][2]) == change.col:
                runs[-1][2].append(change.value)
            else:
                runs.append((change.row, change.col, [change.value]))
        current: tuple[int, int, int, list[tuple[CellValue, ...]]] | None = None
        for row, col, values in runs:
            if (
                current is not None
                and current[0] + len(current[3]) == row
                and current[1] == col
                and current[2] == len(values)
                and len(current[3]) < max_rows
            ):
                current[3].append(tuple(values))
                continue
            if current is not None:
                blocks.append(Block(tab, current[0], current[1], tuple(current[3])))
            current = (row, col, len(values), [tuple(values)])
        if current is not None:
            blocks.append(Block(tab, current[0], current[1], tuple(current[3])))
    return blocks


def padding_for(
    changes: Sequence[CellChange], fillable: Mapping[tuple[int, int], CellValue], tab: str
) -> list[CellChange]:
    """
    Cells of changed rows rewritten with the value they already hold, to close gaps.

    Writing a row's whole worker span, not just its changed cells, lets consecutive rows
    merge into one rectangle: a first run then sends a few large updateCells instead of tens
    of thousands of small ones. `fillable` holds only worker-owned cells and their wanted
    (= current) values, so people's cells can never be part of a write.
    """
    rows = {c.row for c in changes}
    taken = {(c.row, c.col) for c in changes}
    return [
        CellChange(tab, row, col, value)
        for (row, col), value in fillable.items()
        if row in rows and (row, col) not in taken
    ]


def batches(requests: Sequence[dict[str, Any]], max_bytes: int) -> list[list[dict[str, Any]]]:
    """
    Requests split into batchUpdate calls of about `max_bytes` of JSON each, in order.

    Google recommends payloads of at most 2 MB (https://developers.google.com/sheets/api/limits).
    Each call is atomic on its own; if a later one fails, the run re-reads and re-plans, and
    since worker cells are derived data the earlier ones are simply part of the result.
    """
    out: list[list[dict[str, Any]]] = []
    size = 0
    for request in requests:
        cost = len(json.dumps(request, ensure_ascii=True, separators=(",", ":")))
        if out and size + cost <= max_bytes:
            out[-1].append(request)
            size += cost
        else:
            out.append([request])
            size = cost
    return out


def update_requests(blocks: Sequence[Block], sheet_ids: Mapping[str, int]) -> list[dict[str, Any]]:
    """One `updateCells` per block, values typed so text is never run as a formula."""
    requests = []
    for block in blocks:
        requests.append(
            {
                "updateCells": {
                    "start": {
                        "sheetId": sheet_ids[block.tab],
                        "rowIndex": block.row - 1,
                        "columnIndex": block.col,
                    },
                    "rows": [{"values": [to_extended(v) for v in row]} for row in block.values],
                    "fields": "userEnteredValue",
                }
            }
        )
    return requests
