"""Global state every test starts without: logging configuration, run context, environment."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
import structlog

import rules
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


def count_rows_checked(monkeypatch: pytest.MonkeyPatch, counts: MutableMapping[str, Any]) -> None:
    """
    Add to `counts["rows"]` every row the rules check from now on: alone (`rules.check_row`)
    or a chunk at a time (`rules.check_rows`, as a run checks the rows it lacks).
    """
    check_row, check_rows = rules.check_row, rules.check_rows

    def one(*args: Any, **kwargs: Any) -> Any:
        counts["rows"] += 1
        return check_row(*args, **kwargs)

    def chunk(headers: Any, rows: Any, **kwargs: Any) -> Any:
        counts["rows"] += len(rows)
        return check_rows(headers, rows, **kwargs)

    monkeypatch.setattr(rules, "check_row", one)
    monkeypatch.setattr(rules, "check_rows", chunk)


def record_rows_compared(monkeypatch: pytest.MonkeyPatch, compared: list[tuple[str, int]]) -> None:
    """
    Add to `compared` (tab title, row) of every row the diff compares with what its worker
    cells should show from now on (`sync.core.round._BlockRows.changes`).
    """
    from sync.core import round as round_mod

    changes = round_mod._BlockRows.changes

    def compare(self: Any, row: Any, into: Any) -> Any:
        compared.append((self.tab.title, row.row))
        return changes(self, row, into)

    monkeypatch.setattr(round_mod._BlockRows, "changes", compare)


def record_rows_decoded(monkeypatch: pytest.MonkeyPatch, decoded: list[int]) -> None:
    """
    Add to `decoded` the sheet row number of every row a read's rows decode from their bytes
    from now on (`sync.core.sheet.ReadRows`).
    """
    from sync.core.sheet import ReadRows

    decode = ReadRows._read

    def decoding(rows: ReadRows, index: int) -> Any:
        decoded.append(index + 1)
        return decode(rows, index)

    monkeypatch.setattr(ReadRows, "_read", decoding)
