"""Fixtures for the worker: an emulator on a real socket, demo data, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from sheets_emulator.http.server import EmulatorHandle
from sync.backends.endpoint import make_gspread_client
from sync.backends.gspread_backend import GspreadBackend
from sync.backends.retry import RetryPolicy
from sync.core.settings import BANGKOK
from sync.demo.data import DemoSpreadsheet, generate_spreadsheet
from sync.demo.seed import load_demo

FIXED_NOW = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK)
FAST_RETRY = RetryPolicy(max_attempts=4, max_total_seconds=5, initial_wait=0.01, max_wait=0.05)


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """The run's clock, fixed so timestamps in cells are predictable."""
    return lambda: FIXED_NOW


@pytest.fixture(scope="session")
def small_demo() -> DemoSpreadsheet:
    """Seven regional tabs of 20 rows with the default share of mistakes."""
    return generate_spreadsheet(rows_per_region=20, seed=7)


@pytest.fixture
def loaded(emulator: EmulatorHandle, small_demo: DemoSpreadsheet) -> str:
    """The small demo spreadsheet loaded into the emulator; returns its id."""
    return load_demo(emulator.store, small_demo)


@pytest.fixture
def backend(emulator: EmulatorHandle) -> Iterator[GspreadBackend]:
    """The worker's real backend: gspread over HTTP to the emulator, with fast retries."""
    client = make_gspread_client(emulator.base_url)
    yield GspreadBackend(client, retry=FAST_RETRY)
    client.http_client.session.close()
