"""
5. Idempotence: an unchanged sheet costs one read and no write, run after run.

The clock moves on between runs (every fifteen minutes, as scheduled): timestamps must not
change a sheet whose rows did not change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from sheets_emulator.http.server import run_emulator
from sync.backends.base import SheetsBackend
from sync.backends.memory import MemoryBackend
from sync.run.loop import run_sync
from tests.reliability._harness import (
    FIXED_NOW,
    fresh_store,
    gspread_backend,
    settings,
    tab_shape,
    take,
)
from tests.reliability.conftest import Tally

pytestmark = pytest.mark.reliability


def _ticking() -> Callable[[], datetime]:
    """A clock fifteen minutes later at every reading."""
    state = {"now": FIXED_NOW}

    def clock() -> datetime:
        state["now"] += timedelta(minutes=15)
        return state["now"]

    return clock


def _ten_runs(backend: SheetsBackend, store: object, tally: Tally, label: str) -> None:
    clock = _ticking()
    first = run_sync(backend, settings(), clock=clock)
    tally.record("ok" == first.outcome and first.writes >= 1, f"{label}: first run {first}")
    after_first = (take(store), tab_shape(store))  # type: ignore[arg-type]
    for n in range(2, 11):
        report = run_sync(backend, settings(), clock=clock)
        same = (take(store), tab_shape(store)) == after_first  # type: ignore[arg-type]
        cost = (report.reads, report.writes, report.cells_written)
        tally.record(
            "ok" == report.outcome and (1, 0, 0) == cost and same,
            f"{label}: run {n} cost {cost} (reads, writes, cells), sheet unchanged: {same}",
        )


@pytest.mark.parametrize("synced", [False, True], ids=["new-sheet", "edited-sheet"])
@pytest.mark.parametrize("seed", [5, 6, 7])
def test_ten_runs_in_process(seed: int, synced: bool, tally: Tally) -> None:
    """After the first run, nine more each make one read, write nothing, change nothing."""
    store = fresh_store(rows=12, seed=seed, synced=synced)
    _ten_runs(MemoryBackend(store), store, tally, f"seed {seed}")
    tally.assert_clean()


@pytest.mark.parametrize("synced", [False, True], ids=["new-sheet", "edited-sheet"])
def test_ten_runs_over_http(synced: bool, tally: Tally) -> None:
    """The same through gspread over a socket, counted by the emulator itself."""
    store = fresh_store(rows=12, seed=8, synced=synced)
    with run_emulator(store) as emulator, gspread_backend(emulator.base_url) as backend:
        _ten_runs(backend, store, tally, "http")
        emulator.counters.reset()
        run_sync(backend, settings(), clock=_ticking())
        served = (emulator.counters.reads, emulator.counters.writes)
    tally.record((1, 0) == served, f"the emulator served {served} (reads, writes)")
    tally.assert_clean()
