"""
Fixtures of the emulator's own tests, on top of the ``sheets_emulator.pytest_plugin`` ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest
import requests

from sheets_emulator.api.methods import classify
from sheets_emulator.api.router import ApiRequest, ApiResponse, SheetsApi
from sheets_emulator.api.schema import SCHEMA, method_id
from sheets_emulator.http.server import EmulatorHandle

SPREADSHEET_ID = "1emulatorTestSpreadsheet000000000000000000"
# gspread's own tests, run against a live emulator by test_gspread_suite.py, not collected here.
collect_ignore = ["gspread_v6_2_1"]


@pytest.fixture
def spreadsheet_id(emulator: EmulatorHandle) -> str:
    """
    A spreadsheet with tabs ``Sheet1`` and ``ศก.1`` in the emulator, in Bangkok time.
    """
    emulator.store.create_spreadsheet(
        "โครงการทดสอบ",
        spreadsheet_id=SPREADSHEET_ID,
        sheets=("Sheet1", "ศก.1"),
        time_zone="Asia/Bangkok",
    )
    return SPREADSHEET_ID


@pytest.fixture
def gc(gspread_client: gspread.Client) -> gspread.Client:
    """
    The plugin's gspread client, under the short name these tests use.
    """
    return gspread_client


@pytest.fixture
def raw(sheets_http: requests.Session) -> requests.Session:
    """
    The plugin's session that reaches the emulator through Google's URLs.
    """
    return sheets_http


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
