"""
Fixtures that run the emulator on a real socket and point the real gspread client at it.
"""

from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest
import requests

from sheets_emulator.api.router import ApiRequest, ApiResponse, SheetsApi
from sheets_emulator.api.schema import SCHEMA, method_id
from sheets_emulator.http.client import make_gspread_client, sheets_session
from sheets_emulator.http.faults import classify
from sheets_emulator.http.server import EmulatorHandle, run_emulator

SPREADSHEET_ID = "1emulatorTestSpreadsheet000000000000000000"
# gspread's own tests, run against a live emulator by test_gspread_suite.py, not collected here.
collect_ignore = ["gspread_v6_2_1"]


@pytest.fixture
def emulator() -> Iterator[EmulatorHandle]:
    """
    A fresh emulator in plain mode (no auth) on a free loopback port.
    """
    with run_emulator() as handle:
        yield handle


@pytest.fixture
def spreadsheet_id(emulator: EmulatorHandle) -> str:
    """
    A spreadsheet with tabs ``Sheet1`` and ``ศก.1`` in the emulator.
    """
    emulator.store.create_spreadsheet(
        "โครงการทดสอบ", spreadsheet_id=SPREADSHEET_ID, sheets=("Sheet1", "ศก.1")
    )
    return SPREADSHEET_ID


@pytest.fixture
def gc(emulator: EmulatorHandle) -> Iterator[gspread.Client]:
    """
    The real gspread client bound to the emulator, closed afterwards.
    """
    client = make_gspread_client(emulator.base_url)
    yield client
    client.http_client.session.close()


@pytest.fixture
def raw(emulator: EmulatorHandle) -> Iterator[requests.Session]:
    """
    A requests session that reaches the emulator through Google's URLs.
    """
    session = sheets_session(emulator.base_url)
    yield session
    session.close()


@pytest.fixture(autouse=True)
def answers_match_the_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """
    Every Sheets answer of every emulator test is walked through Google's response schema.

    An answer carrying a field the discovery document does not define, or a value of the wrong
    type, fails the test that provoked it, so the emulator cannot drift from what Google sends.
    """
    seen: list[str] = []
    handle = SheetsApi.handle

    def checked(self: SheetsApi, request: ApiRequest) -> ApiResponse:
        response = handle(self, request)
        if request.raw_path.startswith("/v4/") and 200 <= response.status < 300:
            kind = classify(request.method, request.raw_path)
            for violation in SCHEMA.check_response(method_id(kind), response.body):
                seen.append(f"{request.method} {request.raw_path}: {violation.description}")
        return response

    monkeypatch.setattr(SheetsApi, "handle", checked)
    yield
    assert not seen, "answers outside Google's schema:\n" + "\n".join(seen[:20])
