"""
The emulator over a real socket, driven by the real gspread client.
"""

from __future__ import annotations

import json
import signal
import socket
import struct
import threading
import time
from pathlib import Path

import gspread
import openpyxl
import pytest
import requests

from sheets_emulator.files import xlsx
from sheets_emulator.files.state import load_store
from sheets_emulator.http.auth import make_service_account_key
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import EmulatorHandle, EmulatorServer, run_emulator, serve_forever
from sheets_emulator.model.store import Store

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


def test_open_update_get_round_trip(gc: gspread.Client, spreadsheet_id: str) -> None:
    """
    Values written with gspread's update() read back unchanged through get_all_values().
    """
    sheet = gc.open_by_key(spreadsheet_id).sheet1
    sheet.update([["name", "amount"], ["a", 1], ["b", 2.5]], "A1")
    assert sheet.get_all_values() == [["name", "amount"], ["a", "1"], ["b", "2.5"]]


def test_spreadsheet_properties_reach_gspread(gc: gspread.Client, spreadsheet_id: str) -> None:
    """
    open_by_key exposes the title, time zone and tabs the store holds.
    """
    spreadsheet = gc.open_by_key(spreadsheet_id)
    assert spreadsheet.title == "โครงการทดสอบ"
    assert spreadsheet.timezone == "Asia/Bangkok"
    assert [ws.title for ws in spreadsheet.worksheets()] == ["Sheet1", "ศก.1"]


def test_thai_title_travels_percent_encoded(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    A Thai tab title arrives percent-encoded in the raw path and is served correctly.
    """
    sheet = gc.open_by_key(spreadsheet_id).worksheet("ศก.1")
    sheet.update([["ศูนย์ภาค 1", "๑๒๓"]], "A4")
    assert sheet.get("A4:B4") == [["ศูนย์ภาค 1", "๑๒๓"]]
    paths = [r.raw_path for r in emulator.counters.log if r.kind == "values.update"]
    assert paths == [f"/v4/spreadsheets/{spreadsheet_id}/values/%27%E0%B8%A8%E0%B8%81.1%27%21A4"]


def test_unknown_spreadsheet_raises_spreadsheet_not_found(gc: gspread.Client) -> None:
    """
    A 404 from the emulator becomes gspread's SpreadsheetNotFound.
    """
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key("no-such-spreadsheet")


def test_json_answers_carry_google_headers(raw: requests.Session, spreadsheet_id: str) -> None:
    """
    JSON answers are UTF-8 JSON with an exact Content-Length, as Google sends them.
    """
    response = raw.get(f"{SHEETS}/{spreadsheet_id}", params={"includeGridData": "false"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert response.json()["properties"]["title"] == "โครงการทดสอบ"


def test_errors_use_google_envelope(raw: requests.Session) -> None:
    """
    A missing spreadsheet answers 404 with Google's error envelope (code, message, status).
    """
    response = raw.get(f"{SHEETS}/missing")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }


def test_answers_are_laid_out_as_google_lays_them_out_unless_told_not_to(
    raw: requests.Session, spreadsheet_id: str
) -> None:
    """
    Google indents its JSON answers, errors included, unless the request says
    `prettyPrint=false` (a system parameter of every Google API): every JSON body recorded in
    gspread 6.2.1's cassettes is `json.dumps(value, indent=2, ensure_ascii=False)` and a
    newline, Thai and emoji as themselves. With `prettyPrint=false` the same answer comes
    compact (what a client reading large ranges asks for).
    """
    raw.put(
        f"{SHEETS}/{spreadsheet_id}/values/ศก.1!A1:C2",
        params={"valueInputOption": "RAW"},
        json={"values": [["ชื่อ 🍇", 1, 2.5], [True, "", "x"]]},
    )
    ranges = {"ranges": ["ศก.1!A1:C2", "Sheet1!A1"], "valueRenderOption": "UNFORMATTED_VALUE"}
    answers = [
        raw.get(f"{SHEETS}/{spreadsheet_id}/values:batchGet", params=ranges),
        raw.get(f"{SHEETS}/{spreadsheet_id}", params={"includeGridData": "false"}),
        raw.get(f"{SHEETS}/missing"),
        raw.get(f"{SHEETS}/{spreadsheet_id}/values/ศก.1!A1", params={"majorDimension": "ROWZ"}),
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 400]
    for answer in answers:
        text = answer.content.decode()
        assert text == json.dumps(answer.json(), indent=2, ensure_ascii=False) + "\n"
    assert '"values": [\n        [\n          "ชื่อ 🍇",\n          1,\n' in answers[0].text

    for flag in ("false", "0"):
        compact = raw.get(
            f"{SHEETS}/{spreadsheet_id}/values:batchGet", params=ranges | {"prettyPrint": flag}
        )
        assert compact.status_code == 200 and compact.json() == answers[0].json()
        assert (
            compact.content
            == json.dumps(answers[0].json(), ensure_ascii=False, separators=(",", ":")).encode()
        )
    told = raw.get(
        f"{SHEETS}/{spreadsheet_id}/values:batchGet", params=ranges | {"prettyPrint": "true"}
    )
    assert told.content == answers[0].content
    refused = raw.get(f"{SHEETS}/{spreadsheet_id}", params={"prettyPrint": "maybe"})
    assert refused.status_code == 400 and "pretty" in refused.json()["error"]["message"]


def test_invalid_json_body_is_a_400(raw: requests.Session, spreadsheet_id: str) -> None:
    """
    A body that is not JSON is refused with INVALID_ARGUMENT rather than crashing.
    """
    response = raw.post(
        f"{SHEETS}/{spreadsheet_id}:batchUpdate",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_paths_outside_the_api_are_404(raw: requests.Session) -> None:
    """
    Paths that are neither Sheets nor Drive answer 404 with an error code gspread can read.
    """
    response = raw.get("https://www.googleapis.com/nothing/here")
    assert (response.status_code, response.json()["error"]["code"]) == (404, 404)


def test_keep_alive_reuses_one_connection(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    gspread's session keeps one HTTP/1.1 connection open across requests.
    """
    sheet = gc.open_by_key(spreadsheet_id).sheet1
    for i in range(5):
        sheet.update([[i]], "A1")
    assert emulator.server.connections_accepted == 1


def test_stop_ends_idle_keep_alive_connections(spreadsheet_id: str) -> None:
    """
    stop() returns promptly even while a client holds an idle keep-alive connection.
    """
    server = EmulatorServer()
    handle = server.start()
    server.store.create_spreadsheet("x", spreadsheet_id="k1")
    client = make_gspread_client(handle.base_url)
    try:
        client.open_by_key("k1")
        started = time.monotonic()
        handle.stop()
        assert time.monotonic() - started < 5
    finally:
        client.http_client.session.close()


def test_requests_are_served_concurrently(emulator: EmulatorHandle, spreadsheet_id: str) -> None:
    """
    A slow request does not hold up another client's request (one thread per connection).
    """
    emulator.faults.set_latency(1.0, kind="values.update")
    slow = make_gspread_client(emulator.base_url)
    fast = make_gspread_client(emulator.base_url)
    try:
        slow_sheet = slow.open_by_key(spreadsheet_id).sheet1
        fast_sheet = fast.open_by_key(spreadsheet_id).sheet1
        worker = threading.Thread(target=lambda: slow_sheet.update([["slow"]], "A1"))
        worker.start()
        time.sleep(0.1)
        started = time.monotonic()
        fast_sheet.get("B1")
        assert time.monotonic() - started < 0.8
        worker.join()
    finally:
        slow.http_client.session.close()
        fast.http_client.session.close()


def test_admin_seeds_and_lists_spreadsheets(emulator: EmulatorHandle) -> None:
    """
    Spreadsheets can be created and listed through the test controls over HTTP.
    """
    with requests.Session() as session:
        created = session.post(
            emulator.base_url + "/__emulator/spreadsheets",
            json={"title": "seeded", "spreadsheetId": "seed1", "sheets": ["ศก.1", "ศก.2"]},
        )
        listed = session.get(emulator.base_url + "/__emulator/spreadsheets").json()
    assert created.json() == {"spreadsheetId": "seed1"}
    assert [s["spreadsheetId"] for s in listed["spreadsheets"]] == ["seed1"]
    assert [s.title for s in emulator.store.get("seed1").sheets] == ["ศก.1", "ศก.2"]


def test_run_emulator_uses_a_given_store(tmp_path: Path) -> None:
    """
    A store passed in is the one served, and the handle exposes it.
    """
    store = Store()
    store.create_spreadsheet("given", spreadsheet_id="given1")
    with run_emulator(store) as handle:
        assert handle.store is store
        assert handle.base_url.startswith("http://127.0.0.1:")


def test_serve_forever_stops_on_sigterm_and_saves(tmp_path: Path) -> None:
    """
    The foreground server imports .xlsx files, trusts a key folder, serves until SIGTERM, saves.
    """
    source = Store()
    source.create_spreadsheet("นำเข้า", spreadsheet_id="imp1", sheets=("ศก.1",))
    workbook = tmp_path / "copy.xlsx"
    xlsx.export_xlsx(source, "imp1", workbook)
    state = tmp_path / "state.json"
    seen: dict[str, object] = {}

    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "worker@example.iam.gserviceaccount.com.pem").write_text(
        make_service_account_key("worker@example.iam.gserviceaccount.com")[1], encoding="ascii"
    )

    def ready(handle: EmulatorHandle) -> None:
        with requests.Session() as session:
            seen["health"] = session.get(handle.base_url + "/__emulator/health").json()
            seen["anonymous"] = session.get(handle.base_url + "/v4/spreadsheets/imp1").status_code
        signal.raise_signal(signal.SIGTERM)

    serve_forever("127.0.0.1", 0, state, auth_keys=keys, import_xlsx=[workbook], on_ready=ready)
    assert seen == {"health": {"ok": True, "spreadsheets": 1}, "anonymous": 403}
    saved = load_store(state)
    assert saved is not None
    assert saved.get("imp1").title == "นำเข้า"


def test_a_restart_with_the_same_workbook_keeps_the_state_not_a_second_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    `--state s.json --import-xlsx copy.xlsx` twice (a rehearsal stopped and started again with
    the same command): the second start keeps the spreadsheet as the state file has it, with
    the edits made since, and adds no copy of the workbook under a new id.
    """
    source = Store()
    source.create_spreadsheet("ซ้อม", spreadsheet_id="rehearsal1", sheets=("ศก.1",))
    workbook = tmp_path / "copy.xlsx"
    xlsx.export_xlsx(source, "rehearsal1", workbook)
    state = tmp_path / "state.json"

    def edit(handle: EmulatorHandle) -> None:  # (through the API, as a rehearsal edits)
        client = make_gspread_client(handle.base_url)
        try:
            client.open_by_key("rehearsal1").worksheet("ศก.1").update([["แก้แล้ว"]], "A1")
        finally:
            client.http_client.session.close()
        signal.raise_signal(signal.SIGTERM)

    def stop(handle: EmulatorHandle) -> None:
        signal.raise_signal(signal.SIGTERM)

    serve_forever("127.0.0.1", 0, state, import_xlsx=[workbook], on_ready=edit)
    serve_forever("127.0.0.1", 0, state, import_xlsx=[workbook], on_ready=stop)
    saved = load_store(state)
    assert saved is not None
    assert ["rehearsal1"] == [s.spreadsheet_id for s in saved.list()]
    assert [["แก้แล้ว"]] == saved.get_values("rehearsal1", "ศก.1")
    err = capsys.readouterr().err
    assert f"imported {workbook} as spreadsheet rehearsal1" in err
    assert f"kept spreadsheet rehearsal1 as the store has it, not {workbook} again" in err


def test_a_restart_with_a_workbook_downloaded_from_google_keeps_the_state_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A workbook from Google (File → Download → .xlsx) records no id of the emulator's: a
    restart with the same command still keeps the spreadsheet it imported from those very
    bytes (it imported another copy at every start); the same workbook changed since imports.
    """
    workbook = tmp_path / "live.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "ศก.1"
    book.active["A1"] = "ข้อมูลจริง"
    book.save(workbook)
    state = tmp_path / "state.json"

    def stop(handle: EmulatorHandle) -> None:
        signal.raise_signal(signal.SIGTERM)

    serve_forever("127.0.0.1", 0, state, import_xlsx=[workbook], on_ready=stop)
    serve_forever("127.0.0.1", 0, state, import_xlsx=[workbook], on_ready=stop)
    saved = load_store(state)
    assert saved is not None and len(saved.list()) == 1
    (only,) = saved.list()
    assert f"kept spreadsheet {only.spreadsheet_id} as the store has it" in capsys.readouterr().err
    book.active["A2"] = "แก้ในไฟล์"
    book.save(workbook)
    serve_forever("127.0.0.1", 0, state, import_xlsx=[workbook], on_ready=stop)
    saved = load_store(state)
    assert saved is not None and len(saved.list()) == 2


def test_drive_create_and_delete(
    emulator: EmulatorHandle, gc: gspread.Client, raw: requests.Session
) -> None:
    """
    gspread's create() and del_spreadsheet() work; delete answers 204, empty, text/html.
    """
    created = gc.create("ใหม่")
    assert created.title == "ใหม่"
    gc.del_spreadsheet(created.id)
    other = gc.create("another")
    response = raw.delete(
        f"https://www.googleapis.com/drive/v3/files/{other.id}", params={"supportsAllDrives": True}
    )
    assert (response.status_code, response.content) == (204, b"")
    assert response.headers["Content-Type"] == "text/html"
    assert emulator.store.list() == []


def test_a_client_that_hangs_up_mid_answer_is_a_debug_line_not_a_traceback(
    emulator: EmulatorHandle,
    spreadsheet_id: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """
    A client gone before its answer is sent (a timeout, a process that ended) is routine: the
    server notes it in its log and keeps serving, and prints nothing into its host's stderr.
    """
    from sheets_emulator import people

    people.type_values(
        emulator.store, spreadsheet_id, "Sheet1", "A1", [["ข้อความยาว" * 10] * 20] * 1_000
    )
    host, port = emulator.base_url.removeprefix("http://").split(":")
    caplog.set_level("DEBUG", logger="sheets_emulator.http.server")
    for _ in range(3):
        client = socket.create_connection((host, int(port)))
        client.sendall(
            f"GET /v4/spreadsheets/{spreadsheet_id}/values/Sheet1 HTTP/1.1\r\n"
            f"Host: {host}\r\n\r\n".encode()
        )
        client.recv(1)  # the answer has started
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # reset: the rest of the MBs of answer has nowhere to go
    deadline = time.monotonic() + 10
    while emulator.server._connections and time.monotonic() < deadline:
        time.sleep(0.02)

    assert "" == capsys.readouterr().err
    assert any("went away" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # and it still answers
    assert 200 == requests.get(f"{emulator.base_url}/v4/spreadsheets/{spreadsheet_id}").status_code
