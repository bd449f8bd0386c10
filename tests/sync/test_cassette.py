"""
The exact HTTP conversation of three runs, pinned in a vcrpy cassette.

A first run (set-up and every value in one atomic write), a run with nothing to do, and a
run after a person fixed a row (the summary by position, the row's cells through their
column anchors in a RAW values:batchUpdate).

Any change in what the worker sends (an extra request, another range, a different body)
fails this test and shows up in review. After an intended change, re-record with
`SHEETSYNC_RECORD_CASSETTES=1 scripts/test tests/sync/test_cassette.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import vcr
from vcr.request import Request

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import Store
from sync.backends.endpoint import make_gspread_client
from sync.backends.gspread_backend import GspreadBackend
from sync.core.cells import column_letter
from sync.core.settings import SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run.loop import run_sync
from tests.sync.conftest import FAST_RETRY, FIXED_NOW

LATER = FIXED_NOW + timedelta(days=1)

CASSETTE = Path(__file__).parent / "cassettes" / "three_runs.json"
RECORD = os.environ.get("SHEETSYNC_RECORD_CASSETTES") == "1"
SPREADSHEET = "1cassetteSpreadsheet00000000000000000000000"
HOST = "sheets.emulator.invalid"


def _stable_host(request: Request) -> Request:
    """The emulator listens on a free port; the cassette names one fixed host instead."""
    parts = urlsplit(request.uri)
    request.uri = urlunsplit(parts._replace(netloc=HOST, scheme="http"))
    return request


def _recorder() -> vcr.VCR:
    return vcr.VCR(
        serializer="json",
        record_mode="all" if RECORD else "none",
        match_on=["method", "uri", "body"],
        before_record_request=_stable_host,
        decode_compressed_response=True,
        filter_headers=["authorization"],
    )


@pytest.fixture
def served() -> Iterator[tuple[str, Store | None]]:
    """A live emulator with the data when recording; a placeholder when replaying."""
    if not RECORD:
        yield f"http://{HOST}", None
        return
    store = Store()
    load_demo(store, generate_spreadsheet(rows_per_region=4, seed=3), spreadsheet_id=SPREADSHEET)
    with run_emulator(store) as emulator:
        yield emulator.base_url, store


def _fix_a_row(store: Store | None) -> None:
    """A person types a name with a digit in it (only needed when the emulator is live)."""
    if store is not None:
        header = store.get_values(SPREADSHEET, "ศก.1", render="FORMULA")[2]
        a1 = f"{column_letter(header.index(h.FULL_NAME))}5"
        people.type_value(store, SPREADSHEET, "ศก.1", a1, "สมชาย1 ใจดี")


def test_conversation_is_pinned(served: tuple[str, Store | None]) -> None:
    """First run, no-change run, run after an edit: exactly the recorded calls."""
    base_url, store = served
    settings = SyncSettings(spreadsheet_id=SPREADSHEET, regions=("ศก.1", "ศก.2"))
    if RECORD:
        CASSETTE.unlink(missing_ok=True)  # a new recording replaces the old one entirely
    with _recorder().use_cassette(str(CASSETTE), allow_playback_repeats=False) as cassette:
        client = make_gspread_client(base_url)
        try:
            backend = GspreadBackend(client, retry=FAST_RETRY)
            first = run_sync(backend, settings, clock=lambda: FIXED_NOW)
            second = run_sync(backend, settings, clock=lambda: FIXED_NOW)
            _fix_a_row(store)
            third = run_sync(backend, settings, clock=lambda: LATER)
        finally:
            client.http_client.session.close()
        if not RECORD:
            assert cassette.all_played, "the worker made fewer requests than recorded"
    assert "ok" == first.outcome and (1, 0) == (second.reads, second.writes)
    assert "ok" == third.outcome and (2, 2) == (third.reads, third.writes)
    methods = [_describe(r) for r in _load()["interactions"]]
    assert [
        "GET values:batchGet",  # 1st run: the worker tabs do not exist yet -> 400
        "GET spreadsheets.get",  # ... so one metadata read resolves the tabs
        "GET values:batchGet",  # read
        "POST spreadsheets:batchUpdate",  # set-up, anchors and all values, one atomic write
        "GET values:batchGet",  # verify
        "GET values:batchGet",  # 2nd run: nothing changed, nothing written
        "GET values:batchGet",  # 3rd run, after a person's edit: read
        "POST spreadsheets:batchUpdate",  # the summary, by position (a worker-owned tab)
        "POST values:batchUpdate RAW",  # the row's cells, through their column anchors
        "GET values:batchGet",  # verify
    ] == methods
    anchored = [
        json.loads(r["request"]["body"])
        for r in _load()["interactions"]
        if urlsplit(r["request"]["uri"]).path.endswith("/values:batchUpdate")
    ]
    ranges = [entry["range"] for entry in anchored[0]["data"]]
    assert ranges and all(r.startswith("sheetsync_") for r in ranges)


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CASSETTE.read_text(encoding="utf-8"))
    return data


def _describe(interaction: dict[str, Any]) -> str:
    request = interaction["request"]
    path = urlsplit(request["uri"]).path
    if path.endswith(":batchGet"):
        name = "values:batchGet"
    elif path.endswith("/values:batchUpdate"):
        body = json.loads(request["body"])
        name = f"values:batchUpdate {body['valueInputOption']}"
    elif path.endswith(":batchUpdate"):
        name = "spreadsheets:batchUpdate"
    else:
        name = "spreadsheets.get"
    return f"{request['method']} {name}"
