"""
Random "people editing" between a run's requests: the proof that nothing lands misplaced.

Shipped in the package (not only in tests) so operators can rehearse the same scenario on
a copy of a live sheet. A trial schedules seeded edits — insert, delete, sort (whole rows or
only people's columns), move, type, insert a column among people's — before chosen requests
of a run, then checks:

- no misplaced value: a second run right after, with nobody editing, has nothing to write;
- no lost edit: people's cells equal the same edits replayed on a copy the worker never saw.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.model.store import Store
from sync.core.cells import column_letter

Edit = Callable[[Store], None]


@dataclass(frozen=True)
class ScheduledEdit:
    """One person's action, to run just before request number `before_request` of a run."""

    before_request: int
    description: str
    apply: Edit


def _grid(store: Store, sid: str, tab: str) -> list[list[Any]]:
    return store.get_values(sid, tab, render="FORMULA")


def _block_start(grid: list[list[Any]]) -> int:
    header = grid[2] if len(grid) > 2 else []
    worker = [c for c, v in enumerate(header) if v in h.WORKER_HEADERS]
    return min(worker) if worker else len(header)


def random_edit(rng: random.Random, store: Store, sid: str, tabs: list[str]) -> tuple[str, Edit]:
    """Draw one edit against the current shape of a random regional tab."""
    tab = rng.choice(tabs)
    grid = _grid(store, sid, tab)
    last = max(len(grid), 5)
    people_cols = _block_start(grid)
    kind = rng.choice(
        ["insert", "delete", "sort", "sort_people_columns", "move", "type", "insert_column"]
    )
    row = rng.randint(4, last)
    if kind == "insert_column":
        at = rng.randint(1, max(people_cols, 1))
        note = rng.choice([None, "หมายเหตุ"])

        def insert_column(s: Store) -> None:
            people.insert_columns(s, sid, tab, at)
            if note is not None:
                people.type_value(s, sid, tab, f"{column_letter(at - 1)}{row}", note)

        return f"insert a column at {tab}!{at} (typing {note!r} in row {row})", insert_column
    if kind == "insert":
        count = rng.randint(1, 2)
        source = grid[rng.randint(3, len(grid) - 1)][:people_cols] if len(grid) > 3 else []
        values = [list(source)] * count if rng.random() < 0.5 else None

        def insert(s: Store) -> None:
            people.insert_rows(s, sid, tab, row, count, values=values)

        return f"insert {count} row(s) at {tab}!{row}", insert
    if kind == "delete":

        def delete(s: Store) -> None:
            current = _grid(s, sid, tab)
            if row <= len(current):
                people.delete_rows(s, sid, tab, row, row)

        return f"delete {tab}!{row}", delete
    if kind in ("sort", "sort_people_columns"):
        by = rng.randint(0, max(people_cols - 1, 0))
        descending = rng.random() < 0.5
        whole = kind == "sort"

        def sort(s: Store) -> None:
            current = _grid(s, sid, tab)
            end = len(current)
            if end < 5:
                return
            if whole:
                people.sort_rows(s, sid, tab, 4, end, by + 1, descending)
            else:
                _sort_range(s, sid, tab, 4, end, _block_start(current), by, descending)

        what = "whole rows" if whole else "people's columns only"
        return f"sort {tab}!4: by column {by} ({what})", sort
    if kind == "move":
        to = rng.randint(4, last + 1)

        def move(s: Store) -> None:
            current = _grid(s, sid, tab)
            if row < len(current) and to != row:
                people.move_rows(s, sid, tab, row, 1, to)

        return f"move {tab}!{row} to {to}", move
    col = rng.randint(0, max(people_cols - 1, 0))
    value = rng.choice(["", "แก้ไขแล้ว", 123, "0812345678", "=1+1", "ไม่ทราบ"])

    def type_(s: Store) -> None:
        people.type_value(s, sid, tab, f"{column_letter(col)}{row}", value)

    return f"type {value!r} into {tab}!{col}:{row}", type_


def _sort_range(
    store: Store, sid: str, tab: str, first: int, last: int, width: int, by: int, desc: bool
) -> None:
    """Data → Sort range over people's columns only: the worker's cells stay where they are."""
    sheet = store.get(sid).sheet_by_title(tab)
    assert sheet is not None
    people._batch(
        store,
        sid,
        [
            {
                "sortRange": {
                    "range": {
                        "sheetId": sheet.sheet_id,
                        "startRowIndex": first - 1,
                        "endRowIndex": last,
                        "startColumnIndex": 0,
                        "endColumnIndex": width,
                    },
                    "sortSpecs": [
                        {"dimensionIndex": by, "sortOrder": "DESCENDING" if desc else "ASCENDING"}
                    ],
                }
            }
        ],
    )


@dataclass
class Trial:
    """Edits of one seeded trial, in the order they fire."""

    seed: int
    edits: list[ScheduledEdit] = field(default_factory=list)


def plan_trial(
    seed: int, store: Store, sid: str, tabs: list[str], *, max_edits: int = 3, max_request: int = 4
) -> Trial:
    """Draw 1..max_edits edits, each before a random request among the run's first few."""
    rng = random.Random(seed)
    trial = Trial(seed)
    for _ in range(rng.randint(1, max_edits)):
        description, apply = random_edit(rng, store, sid, tabs)
        trial.edits.append(ScheduledEdit(rng.randint(1, max_request), description, apply))
    trial.edits.sort(key=lambda e: e.before_request)
    return trial
