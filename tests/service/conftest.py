"""Fixtures for the service: an emulator with demo sheets, a config on temp paths, a clock."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sheets_emulator.http.server import EmulatorHandle
from sync.core.settings import BANGKOK, Config
from sync.demo.data import DemoSpreadsheet, generate_spreadsheet
from sync.demo.seed import load_demo

START = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK)


@pytest.fixture(scope="session")
def tiny_demo() -> DemoSpreadsheet:
    """Seven regional tabs of five rows: enough for a real run, quick to sync."""
    return generate_spreadsheet(rows_per_region=5, seed=11)


@pytest.fixture
def sheet_ids(emulator: EmulatorHandle, tiny_demo: DemoSpreadsheet) -> list[str]:
    """Three demo spreadsheets loaded into the emulator."""
    return [load_demo(emulator.store, tiny_demo) for _ in range(3)]


@pytest.fixture
def make_config(emulator: EmulatorHandle, tmp_path: Path) -> Callable[..., Config]:
    """A configuration pointing at the emulator, with history and locks under tmp_path."""

    def make(ids: list[str], **defaults: object) -> Config:
        return Config.model_validate(
            {
                "service": {
                    "endpoint": emulator.base_url,
                    "history": str(tmp_path / "history.sqlite3"),
                    "lock_dir": str(tmp_path / "locks"),
                    "retry_seconds": 2,
                    # The memory these services see is pytest's, not a service's: starting
                    # afresh is tested on its own (test_renew.py).
                    "renew_above_mib": 0,
                },
                "defaults": {"schedule": "0 0 1 1 *", "nightly": "", **defaults},
                "spreadsheets": [{"id": sid, "label": f"sheet {n}"} for n, sid in enumerate(ids)],
            }
        )

    return make


@pytest.fixture
def ticking_clock() -> Callable[[], datetime]:
    """A wall clock that moves one minute per reading, so every run stamps a new time."""
    counter = itertools.count()
    return lambda: START + timedelta(minutes=next(counter))
