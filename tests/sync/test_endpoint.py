"""
The worker asks the Sheets API for compact answers (`prettyPrint=false`), as Google's own
client libraries do: by default Google indents every answer, one value a line, and the
worker receives, holds and splits each large read whole.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import google.oauth2.credentials
import msgspec
import pytest

from rules import headers as h
from sheets_emulator.http.client import make_gspread_client as plain_gspread_client
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.endpoint import (
    CompactAnswersAdapter,
    compact_answers,
    make_gspread_client,
    sheets_session,
)
from sync.backends.gspread_backend import GspreadBackend
from sync.core.settings import SyncSettings
from sync.demo.data import DemoSpreadsheet
from sync.demo.seed import load_demo
from sync.run.loop import run_sync
from tests.sync.conftest import FAST_RETRY

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        (f"{SHEETS}/abc", f"{SHEETS}/abc?prettyPrint=false"),
        (
            f"{SHEETS}/abc/values:batchGet?ranges=A",
            f"{SHEETS}/abc/values:batchGet?ranges=A&prettyPrint=false",
        ),
        (f"{SHEETS}/abc?prettyPrint=true", f"{SHEETS}/abc?prettyPrint=true"),  # said: as said
        ("https://oauth2.googleapis.com/token", "https://oauth2.googleapis.com/token"),
        ("https://www.googleapis.com/drive/v3/files", "https://www.googleapis.com/drive/v3/files"),
    ],
)
def test_only_sheets_api_requests_ask_for_compact_answers(url: str, sent: str) -> None:
    """The token exchange and other hosts go as they are."""
    assert compact_answers(url) == sent


def test_talking_to_google_mounts_the_compact_adapter_on_the_sheets_host() -> None:
    """Without an endpoint (Google itself) the Sheets host has the adapter; others do not."""
    session = sheets_session(None, google.oauth2.credentials.Credentials(token="t"))
    try:
        assert isinstance(session.get_adapter(f"{SHEETS}/abc"), CompactAnswersAdapter)
        assert not isinstance(
            session.get_adapter("https://oauth2.googleapis.com/token"), CompactAnswersAdapter
        )
    finally:
        session.close()


def test_the_worker_receives_compact_answers_a_plain_client_indented_ones(
    emulator: EmulatorHandle, loaded: str
) -> None:
    """
    The same read of every tab: the worker's session asks for it compact; gspread's own
    session gets Google's default layout, the same values in ~1.5 times the bytes.
    """
    tabs = [*h.DEFAULT_REGION_TABS, h.OPTIONS_TAB]
    url = f"{SHEETS}/{loaded}/values:batchGet"
    params = {"ranges": [f"'{t}'" for t in tabs], "valueRenderOption": "UNFORMATTED_VALUE"}
    worker, plain = make_gspread_client(emulator.base_url), plain_gspread_client(emulator.base_url)
    try:
        compact = worker.http_client.session.get(url, params=params)
        indented = plain.http_client.session.get(url, params=params)
    finally:
        worker.http_client.session.close()
        plain.http_client.session.close()
    assert compact.status_code == indented.status_code == 200
    assert "prettyPrint=false" in compact.url and "prettyPrint" not in indented.url
    assert compact.json() == indented.json()
    assert compact.content == msgspec.json.encode(compact.json())
    assert b"\n" not in compact.content and indented.content.count(b"\n") > 10_000
    assert len(indented.content) > 1.4 * len(compact.content)


def test_a_run_on_indented_answers_writes_what_a_run_on_compact_ones_does(
    emulator: EmulatorHandle,
    small_demo: DemoSpreadsheet,
    clock: Callable[[], datetime],
) -> None:
    """Google's default layout (should an answer come indented) changes nothing in a run."""
    grids = []
    for sid, make in (
        ("1compactAnswers", make_gspread_client),
        ("1indentedAnswers", plain_gspread_client),
    ):
        load_demo(emulator.store, small_demo, spreadsheet_id=sid)
        client = make(emulator.base_url)
        try:
            report = run_sync(
                GspreadBackend(client, retry=FAST_RETRY),
                SyncSettings(spreadsheet_id=sid),
                clock=clock,
            )
        finally:
            client.http_client.session.close()
        assert report.outcome == "ok"
        grids.append({tab: emulator.store.get_values(sid, tab) for tab in h.DEFAULT_REGION_TABS})
    assert grids[0] == grids[1]
