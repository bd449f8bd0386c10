"""
Common pieces of the reliability suite: seeded spreadsheets, backends and the checks every
scenario ends with (people's cells untouched, no worker value beside the wrong row).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.model.store import Store
from sync.backends.endpoint import make_gspread_client
from sync.backends.gspread_backend import GspreadBackend
from sync.backends.memory import MemoryBackend
from sync.backends.retry import RetryPolicy
from sync.core.settings import BANGKOK, SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo, snapshot
from sync.run.loop import run_sync

REGIONS = ("ศก.1", "ศก.2", "ศก.3")
SPREADSHEET = "1reliabilitySpreadsheet00000000000000000000"
FIXED_NOW = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK)
FAST_RETRY = RetryPolicy(max_attempts=4, max_total_seconds=5, initial_wait=0.01, max_wait=0.05)
"""Retries in milliseconds: the faults under test, not the waiting, are what matters."""

Snap = dict[str, list[list[Any]]]
WorkerRows = dict[str, dict[int, tuple[Any, ...]]]


def fixed_clock() -> datetime:
    """Every run reads the same time, so a faulted and a clean copy can be compared exactly."""
    return FIXED_NOW


def no_pause(attempt: int) -> None:
    """Re-plan at once after an uncertain write (the waiting is not what is tested)."""


def settings(**overrides: Any) -> SyncSettings:
    """The three regional tabs the suite's spreadsheets are run with."""
    return SyncSettings(spreadsheet_id=SPREADSHEET, regions=REGIONS, **overrides)


@functools.cache
def _state(rows: int, seed: int, synced: bool) -> dict[str, Any]:
    store = Store()
    demo = generate_spreadsheet(rows_per_region=rows, seed=seed, regions=REGIONS)
    load_demo(store, demo, spreadsheet_id=SPREADSHEET)
    if synced:
        run_sync(MemoryBackend(store), settings(), clock=fixed_clock)
        # People went on typing since: the next run has rows to recompute in every tab.
        for n, tab in enumerate(REGIONS):
            people.type_value(store, SPREADSHEET, tab, f"B{5 + n}", f"กิจกรรมแก้ไข {seed}")
            people.type_value(store, SPREADSHEET, tab, "C6", "")
    return store.to_json()


def fresh_store(*, rows: int = 8, seed: int = 5, synced: bool = False) -> Store:
    """A new copy of a seeded demo spreadsheet: never synced, or synced and edited since."""
    return Store.from_json(_state(rows, seed, synced))


@functools.cache
def _converged(rows: int, seed: int, synced: bool) -> tuple[dict[str, Any], tuple[Any, ...]]:
    store = fresh_store(rows=rows, seed=seed, synced=synced)
    report = run_sync(MemoryBackend(store), settings(), clock=fixed_clock)
    assert "ok" == report.outcome
    return store.to_json(), tab_shape(store)


def converged_store(*, rows: int = 8, seed: int = 5, synced: bool = False) -> Store:
    """The same spreadsheet after one clean run with nobody editing and nothing failing."""
    return Store.from_json(_converged(rows, seed, synced)[0])


def tab_shape(store: Store, sid: str = SPREADSHEET) -> tuple[Any, ...]:
    """Per tab: title, size and how many rules, protections and charts (a doubled set-up shows)."""
    with store.lock:
        spreadsheet = store.get(sid)
        return tuple(
            (
                s.title,
                s.row_count,
                s.column_count,
                len(s.conditional_formats),
                len(s.protected_ranges),
                len(s.charts),
            )
            for s in spreadsheet.sheets
        )


def take(store: Store, sid: str = SPREADSHEET) -> Snap:
    """A snapshot taken under the store's lock (a server thread may be writing)."""
    with store.lock:
        return snapshot(store, sid)


def worker_rows(snap: Snap, tabs: tuple[str, ...] = REGIONS) -> WorkerRows:
    """Each data row's worker cells, by tab and sheet row (empty rows left out)."""
    out: WorkerRows = {}
    for tab in tabs:
        grid = snap.get(tab, [])
        header = grid[2] if len(grid) > 2 else []
        cols = [c for c, v in enumerate(header) if v in h.WORKER_HEADERS]
        rows: dict[int, tuple[Any, ...]] = {}
        for r, row in enumerate(grid[3:], start=4):
            cells = tuple(row[c] if c < len(row) else None for c in cols)
            if any(v not in (None, "") for v in cells):
                rows[r] = cells
        out[tab] = rows
    return out


def misplaced(after: Snap, before: Snap, converged: Snap) -> list[str]:
    """
    Worker rows that are neither the row's old values nor its new ones.

    Without people editing, rows keep their numbers, so a run that stopped part-way may leave
    a row as it was or as the clean run leaves it, and nothing else.
    """
    problems = []
    old, new, now = worker_rows(before), worker_rows(after), worker_rows(converged)
    for tab, rows in new.items():
        for r, cells in rows.items():
            if cells not in (old[tab].get(r), now[tab].get(r)):
                problems.append(f"{tab}!{r}: {cells!r}")
    return problems


@contextmanager
def gspread_backend(
    base_url: str,
    *,
    timeout: float = 30,
    retry: RetryPolicy = FAST_RETRY,
    write_settle_s: float = 0.0,
) -> Iterator[GspreadBackend]:
    """The worker's real backend: gspread over HTTP, closed afterwards."""
    client = make_gspread_client(base_url, timeout=timeout)
    try:
        yield GspreadBackend(client, retry=retry, write_settle_s=write_settle_s)
    finally:
        client.http_client.session.close()
