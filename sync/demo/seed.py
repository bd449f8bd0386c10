"""
Helpers shipped with the package for rehearsals and tests: load data, take snapshots.

`people_view` is how every end-to-end check proves the promise that the worker never
changes a cell a person typed: it is the spreadsheet with the worker's own columns and tabs
taken out, which must be identical before and after any run.
"""

from __future__ import annotations

from typing import Any

import rules
from rules import headers as h
from sheets_emulator.model.store import Store
from sync.demo.data import DemoSpreadsheet

WORKER_TABS = (h.SUMMARY_TAB, h.COMPILED_TAB)
# The operators' own sheets, and so their rehearsal copies, are kept in Bangkok time.
REHEARSAL_TIME_ZONE = "Asia/Bangkok"


def load_demo(store: Store, demo: DemoSpreadsheet, *, spreadsheet_id: str | None = None) -> str:
    """Create the demo spreadsheet in an emulator store, values stored exactly as generated."""
    spreadsheet = store.create_spreadsheet(
        demo.title,
        spreadsheet_id=spreadsheet_id,
        sheets=tuple(demo.tabs),
        time_zone=REHEARSAL_TIME_ZONE,
    )
    sid = spreadsheet.spreadsheet_id
    for title, grid in demo.tabs.items():
        store.set_values(sid, title, "A1", grid, user_entered=False)
    return sid


def snapshot(store: Store, spreadsheet_id: str) -> dict[str, list[list[Any]]]:
    """Every tab's values as a FORMULA read returns them (formulas as text, numbers as numbers)."""
    spreadsheet = store.get(spreadsheet_id)
    return {
        sheet.title: store.get_values(spreadsheet_id, sheet.title, render="FORMULA")
        for sheet in spreadsheet.sheets
    }


def _worker_columns(grid: list[list[Any]], header_row: int) -> set[int]:
    """The worker's columns exactly as the worker finds them (under its section label)."""
    if len(grid) < header_row:
        return set()
    sections = grid[header_row - 2] if header_row >= 2 else []
    return set(rules.map_headers(grid[header_row - 1], sections).worker.values())


def _trim(row: list[Any]) -> list[Any]:
    out = list(row)
    while out and out[-1] in (None, ""):
        out.pop()
    return out


def people_view(
    snap: dict[str, list[list[Any]]], *, header_row: int = 3
) -> dict[str, list[list[Any]]]:
    """The snapshot without worker tabs and worker columns (and the block's section label)."""
    view: dict[str, list[list[Any]]] = {}
    for title, grid in snap.items():
        if title in WORKER_TABS:
            continue
        drop = _worker_columns(grid, header_row)
        rows = []
        for r, row in enumerate(grid, start=1):
            kept = [v for c, v in enumerate(row) if c not in drop]
            if r == header_row - 1 and drop:
                kept = [
                    v for c, v in enumerate(row) if c not in drop and v != h.WORKER_SECTION_LABEL
                ]
            rows.append(_trim(kept))
        while rows and not rows[-1]:
            rows.pop()
        view[title] = rows
    return view
