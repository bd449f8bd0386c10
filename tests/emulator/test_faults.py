"""
Rehearsal controls: injected errors, dropped connections, latency, counters and people's edits.
"""

from __future__ import annotations

import time

import gspread
import pytest
import requests

from sheets_emulator import people
from sheets_emulator.api.methods import classify
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.faults import Faults, google_error
from sheets_emulator.http.server import EmulatorHandle
from sheets_emulator.model.store import Store

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


def test_429_then_success_is_visible_in_counters(
    emulator: EmulatorHandle, raw: requests.Session, spreadsheet_id: str
) -> None:
    """
    One injected 429 (Google's RESOURCE_EXHAUSTED body) and then a normal answer, both counted.
    """
    emulator.faults.fail_next(1, 429, kind="values.get")
    url = f"{SHEETS}/{spreadsheet_id}/values/%27Sheet1%27%21A1"
    first, second = raw.get(url), raw.get(url)
    assert (first.status_code, second.status_code) == (429, 200)
    error = first.json()["error"]
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert "'Read requests per minute per user'" in error["message"]
    assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert emulator.counters.count("values.get") == 2
    assert emulator.counters.by_status == {429: 1, 200: 1}
    assert emulator.counters.injected == 1


def test_gspread_sees_quota_errors_as_api_error(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    An injected write-quota 429 reaches gspread as APIError code 429 naming the write quota.
    """
    sheet = gc.open_by_key(spreadsheet_id).sheet1
    emulator.faults.fail_next(1, 429, kind="write")
    with pytest.raises(gspread.exceptions.APIError) as caught:
        sheet.update([["x"]], "A1")
    assert caught.value.code == 429
    assert "Write requests" in caught.value.error["message"]
    sheet.update([["x"]], "A1")
    assert emulator.counters.writes == 2


def test_retry_after_header_is_optional(emulator: EmulatorHandle, raw: requests.Session) -> None:
    """
    A 429 carries Retry-After only when asked for (Google does not document one).
    """
    emulator.faults.fail_next(1, 429)
    emulator.faults.fail_next(1, 429, retry_after_s=7)
    plain = raw.get(f"{SHEETS}/x")
    with_header = raw.get(f"{SHEETS}/x")
    assert "Retry-After" not in plain.headers
    assert with_header.headers["Retry-After"] == "7"


@pytest.mark.parametrize(
    ("status", "message", "state"),
    [
        (500, "Internal error encountered.", "INTERNAL"),
        (503, "The service is currently unavailable.", "UNAVAILABLE"),
    ],
)
def test_server_errors_have_google_bodies(
    emulator: EmulatorHandle, raw: requests.Session, status: int, message: str, state: str
) -> None:
    """
    Injected 500 and 503 answers carry the bodies Google sends.
    """
    emulator.faults.fail_next(1, status)
    response = raw.get(f"{SHEETS}/x")
    assert response.status_code == status
    assert response.json() == {"error": {"code": status, "message": message, "status": state}}


def test_dropped_connection_mid_body_raises_after_the_write_landed(
    emulator: EmulatorHandle, raw: requests.Session, spreadsheet_id: str
) -> None:
    """
    Cutting the answer mid-body fails the client although the write was applied.
    """
    emulator.faults.drop_next(1, kind="values.update", mode="mid_body")
    url = f"{SHEETS}/{spreadsheet_id}/values/%27Sheet1%27%21A1"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        raw.put(url, params={"valueInputOption": "RAW"}, json={"values": [["landed"]]})
    assert emulator.store.get_values(spreadsheet_id, "Sheet1", "A1") == [["landed"]]
    assert raw.get(url).json()["values"] == [["landed"]]


def test_dropped_connection_before_response_is_a_connection_error(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    Closing the socket before any answer byte surfaces as requests' ConnectionError in gspread.
    """
    sheet = gc.open_by_key(spreadsheet_id).sheet1
    emulator.faults.drop_next(1, kind="values.get", mode="before_response")
    with pytest.raises(requests.exceptions.ConnectionError):
        sheet.get("A1")
    assert sheet.get("A1") == [[]]


def test_latency_is_measurable_and_per_kind(
    emulator: EmulatorHandle, raw: requests.Session, spreadsheet_id: str
) -> None:
    """
    Latency set for reads delays reads only.
    """
    emulator.faults.set_latency(0.3, kind="read")
    started = time.monotonic()
    raw.get(f"{SHEETS}/{spreadsheet_id}")
    read_time = time.monotonic() - started
    started = time.monotonic()
    raw.post(f"{SHEETS}/{spreadsheet_id}/values:batchClear", json={"ranges": ["Sheet1!A1"]})
    write_time = time.monotonic() - started
    assert read_time >= 0.3
    assert write_time < 0.3


def test_people_edit_lands_between_two_requests(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    An edit scheduled for the second next request is visible to it but not to the first.
    """
    sheet = gc.open_by_key(spreadsheet_id).sheet1
    sheet.update([["before"]], "A1")
    emulator.faults.before_request(
        2, lambda store: people.type_value(store, spreadsheet_id, "Sheet1", "A1", "after")
    )
    assert sheet.acell("A1").value == "before"
    assert sheet.acell("A1").value == "after"
    assert emulator.faults.pending_edits == 0


def test_counters_split_reads_and_writes(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    gspread's calls are counted per method with read and write totals, as Google's quotas count.
    """
    sheet = gc.open_by_key(spreadsheet_id).sheet1
    sheet.update([["a"]], "A1")
    sheet.batch_get(["A1", "B1"])
    sheet.clear()
    counts = emulator.counters
    assert counts.by_kind == {
        "spreadsheets.get": 2,
        "values.update": 1,
        "values.batchGet": 1,
        "values.clear": 1,
    }
    assert (counts.reads, counts.writes) == (3, 2)
    counts.reset()
    assert counts.snapshot()["total"] == 0


def test_controls_over_http(emulator: EmulatorHandle, spreadsheet_id: str) -> None:
    """
    Failures, latency and counters can be driven from another process under /__emulator/.
    """
    base = emulator.base_url
    with requests.Session() as session:
        session.post(base + "/__emulator/faults/fail", json={"count": 1, "status": 503})
        session.put(base + "/__emulator/faults/latency", json={"seconds": 0.05, "kind": "read"})
        failed = session.get(f"{base}/v4/spreadsheets/{spreadsheet_id}")
        served = session.get(f"{base}/v4/spreadsheets/{spreadsheet_id}")
        counters = session.get(base + "/__emulator/counters").json()
        session.delete(base + "/__emulator/faults")
        faults = session.get(base + "/__emulator/faults").json()
        bad = session.post(base + "/__emulator/faults/drop", json={"mode": "sideways"})
    assert (failed.status_code, served.status_code) == (503, 200)
    assert counters["byKind"] == {"spreadsheets.get": 2}
    assert counters["byStatus"] == {"200": 1, "503": 1}
    assert (faults["latency"], faults["fail"], faults["drop"]) == ({}, [], [])
    assert bad.status_code == 400


def test_token_requests_are_never_faulted() -> None:
    """
    Failures aimed at every request leave token requests alone.
    """
    faults = Faults()
    faults.fail_next(1, 500)
    assert faults.plan("token").status is None
    assert faults.plan("values.get").status == 500


def test_edits_count_down_per_api_request() -> None:
    """
    before_request(n) fires on exactly the n-th planned API request.
    """
    faults = Faults()
    seen: list[int] = []
    faults.before_request(3, lambda store: seen.append(3))
    faults.before_request(1, lambda store: seen.append(1))
    plans = [faults.plan("values.get") for _ in range(4)]
    assert [len(p.edits) for p in plans] == [1, 0, 1, 0]
    plans[0].edits[0](Store())
    plans[2].edits[0](Store())
    assert seen == [1, 3]


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("GET", "/v4/spreadsheets/abc", "spreadsheets.get"),
        ("POST", "/v4/spreadsheets/abc:batchUpdate", "spreadsheets.batchUpdate"),
        ("GET", "/v4/spreadsheets/abc/values/%27Sheet1%27%21A1", "values.get"),
        ("PUT", "/v4/spreadsheets/abc/values/%27Sheet1%27%21A1", "values.update"),
        ("POST", "/v4/spreadsheets/abc/values/%27Sheet1%27%21A1:append", "values.append"),
        ("POST", "/v4/spreadsheets/abc/values/%27Sheet1%27:clear", "values.clear"),
        ("GET", "/v4/spreadsheets/abc/values:batchGet", "values.batchGet"),
        ("POST", "/v4/spreadsheets/abc/values:batchUpdate", "values.batchUpdate"),
        ("POST", "/v4/spreadsheets/abc/values:batchClear", "values.batchClear"),
        ("POST", "/v4/spreadsheets/abc/values:batchGetByDataFilter", "values.batchGetByDataFilter"),
        (
            "POST",
            "/v4/spreadsheets/abc/values:batchUpdateByDataFilter",
            "values.batchUpdateByDataFilter",
        ),
        ("POST", "/drive/v3/files", "drive.files.create"),
        ("DELETE", "/drive/v3/files/abc", "drive.files.delete"),
        ("POST", "/token", "token"),
        ("GET", "/elsewhere", "unknown"),
    ],
)
def test_requests_are_classified_like_google_methods(method: str, path: str, kind: str) -> None:
    """
    Each endpoint gspread uses maps to the Sheets/Drive method name it calls.
    """
    assert classify(method, path) == kind


def test_quota_bodies_name_the_right_quota() -> None:
    """
    A 429 for a read names the read quota; for a write, the write quota.
    """
    assert "Read requests" in google_error(429, kind="values.get")["error"]["message"]
    assert "Write requests" in google_error(429, kind="values.update")["error"]["message"]


@pytest.mark.slow
def test_gspread_backoff_client_rides_out_a_503(
    emulator: EmulatorHandle, spreadsheet_id: str
) -> None:
    """
    gspread's BackOffHTTPClient waits and retries an injected 503, and the retry succeeds.
    """
    client = make_gspread_client(emulator.base_url, http_client=gspread.BackOffHTTPClient)
    try:
        sheet = client.open_by_key(spreadsheet_id).sheet1
        emulator.faults.fail_next(1, 503, kind="values.update")
        sheet.update([["retried"]], "A1")
    finally:
        client.http_client.session.close()
    assert emulator.counters.count("values.update") == 2
    assert emulator.store.get_values(spreadsheet_id, "Sheet1", "A1") == [["retried"]]


def test_failing_edit_is_recorded_not_sent(
    emulator: EmulatorHandle, raw: requests.Session, spreadsheet_id: str
) -> None:
    """
    A scheduled edit that fails is kept in edit_errors; the request itself is served normally.
    """
    emulator.faults.before_request(
        1, lambda store: people.delete_rows(store, spreadsheet_id, "Sheet1", 5000)
    )
    response = raw.get(f"{SHEETS}/{spreadsheet_id}")
    assert response.status_code == 200
    assert [type(e) for e in emulator.faults.edit_errors] == [people.EditRejected]


def test_quota_answers_429_until_the_window_moves_on() -> None:
    """
    With a per-minute budget, requests past it get Google's 429 until the window frees a slot.
    """
    now = [0.0]
    faults = Faults(clock=lambda: now[0])
    faults.set_quota(reads_per_minute=2, writes_per_minute=1)
    statuses = [faults.plan("values.get").status for _ in range(3)]
    write = faults.plan("values.update").status
    now[0] = 61.0
    after = faults.plan("values.get").status
    assert (statuses, write, after) == ([None, None, 429], None, None)
    assert faults.plan("values.update").status is None
    over = faults.plan("values.batchUpdate")
    assert over.body is not None
    assert (over.status, over.body["error"]["status"]) == (429, "RESOURCE_EXHAUSTED")


def test_quota_over_http_limits_gspread(emulator: EmulatorHandle, gc: gspread.Client) -> None:
    """
    A write quota set through the controls makes gspread's third write in a minute fail with 429.
    """
    emulator.store.create_spreadsheet("q", spreadsheet_id="q1")
    sheet = gc.open_by_key("q1").sheet1
    with requests.Session() as session:
        session.put(emulator.base_url + "/__emulator/faults/quota", json={"writesPerMinute": 2})
    sheet.update([[1]], "A1")
    sheet.update([[2]], "A1")
    with pytest.raises(gspread.exceptions.APIError) as caught:
        sheet.update([[3]], "A1")
    assert caught.value.code == 429
    assert emulator.counters.by_status[429] == 1
