"""
The cyclic collector is paused while a sync runs, and always switched back on afterwards.
"""

from __future__ import annotations

import gc

import pytest

from sheets_emulator.model.store import Store
from sync.backends.memory import MemoryBackend
from sync.core.settings import SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run.gcpause import gc_paused
from sync.run.loop import run_sync


def test_gc_paused_nests_and_restores_the_collector() -> None:
    """
    The collector is off inside (nested) blocks, back on after, and left off if it was off.
    """
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def _seen_during_run(fail_at: int | None = None) -> list[bool]:
    """Run a sync on a small demo and note whether the collector was on at each request."""
    store = Store()
    sid = load_demo(store, generate_spreadsheet(rows_per_region=3, seed=5))
    seen: list[bool] = []

    def before(number: int, _store: Store) -> None:
        seen.append(gc.isenabled())
        if number == fail_at:
            raise RuntimeError("backend went away")

    run_sync(MemoryBackend(store, before_request=before), SyncSettings(spreadsheet_id=sid))
    return seen


def test_collector_is_off_during_every_request_of_a_run_and_on_after() -> None:
    """A run's reads and writes all happen with the collector paused."""
    assert gc.isenabled()
    seen = _seen_during_run()
    assert len(seen) >= 3 and not any(seen)
    assert gc.isenabled()


def test_collector_is_back_on_after_a_failed_run() -> None:
    """A run that fails half-way still leaves the collector on."""
    with pytest.raises(RuntimeError, match="backend went away"):
        _seen_during_run(fail_at=2)
    assert gc.isenabled()
