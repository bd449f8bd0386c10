"""
pytest fixtures for code that talks to Google Sheets through gspread, against the emulator.

Installed with the package and registered through the ``pytest11`` entry point, so a project
that depends on it gets, with no conftest of its own:

- ``sheets_emulator``: a fresh emulator on a free loopback port (plain mode, no OAuth2);
- ``sheets_emulator_store``: its data, to seed (``create_spreadsheet``, ``set_values``) and
  peek at (``get_values``) without going through the API;
- ``gspread_client``: the real gspread client bound to it;
- ``sheets_http``: a requests session that reaches it through Google's own URLs.
"""

from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest
import requests

from sheets_emulator.http.client import make_gspread_client, sheets_session
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sheets_emulator.model.store import Store

__all__ = ["gspread_client", "sheets_emulator", "sheets_emulator_store", "sheets_http"]


@pytest.fixture
def sheets_emulator() -> Iterator[EmulatorHandle]:
    """A fresh emulator on a free loopback port, stopped after the test."""
    with run_emulator() as handle:
        yield handle


@pytest.fixture
def sheets_emulator_store(sheets_emulator: EmulatorHandle) -> Store:
    """The running emulator's spreadsheets, for seeding and peeking."""
    return sheets_emulator.store


@pytest.fixture
def gspread_client(sheets_emulator: EmulatorHandle) -> Iterator[gspread.Client]:
    """The real gspread client bound to the emulator, its session closed afterwards."""
    client = make_gspread_client(sheets_emulator.base_url)
    yield client
    client.http_client.session.close()


@pytest.fixture
def sheets_http(sheets_emulator: EmulatorHandle) -> Iterator[requests.Session]:
    """A requests session whose calls to Google's hosts reach the emulator."""
    session = sheets_session(sheets_emulator.base_url)
    yield session
    session.close()
