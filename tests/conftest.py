"""Global state every test starts without: logging configuration, run context, environment."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
import structlog

from sheets_emulator.http.server import EmulatorHandle
from sync.run.loop import forget_row_caches
from sync.run.read import forget_title_hints
from sync.run.settled import forget_settled


@pytest.fixture(autouse=True)
def _clean_global_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees another's structlog setup, run id, credentials or remembered tab titles."""
    for name in list(os.environ):
        if name.startswith(("GOOGLE_", "SHEETSYNC_")):
            monkeypatch.delenv(name)
    structlog.contextvars.clear_contextvars()
    forget_title_hints()
    forget_settled()
    forget_row_caches()
    yield
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_sheetsync", False)]:
        root.removeHandler(handler)


@pytest.fixture
def emulator(sheets_emulator: EmulatorHandle) -> EmulatorHandle:
    """The emulator of ``sheets_emulator.pytest_plugin`` (a fresh one on a free port)."""
    return sheets_emulator
