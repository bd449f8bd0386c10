"""
Answers Google gives that the emulator once did not: one test per difference, through gspread.

Each expectation is Google's, from its reference or from the answers recorded in gspread
6.2.1's test cassettes (named in each docstring), so "works on the emulator" keeps meaning
"works on Google".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests
from google.oauth2 import service_account

from sheets_emulator.http.auth import GOOGLE_TOKEN_URI, AuthConfig, make_service_account_key
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import EmulatorHandle, run_emulator

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
ACCOUNT = "worker@sheetsync-test.iam.gserviceaccount.com"


def _metadata(book: gspread.Spreadsheet) -> dict[str, Any]:
    return book.fetch_sheet_metadata()


def test_spreadsheet_theme_is_always_sent(gc: gspread.Client) -> None:
    """
    spreadsheets.get carries properties.spreadsheetTheme (SpreadsheetProperties, "Theme of the
    spreadsheet"); the default theme as recorded in SpreadsheetTest.test_properties.
    """
    theme = _metadata(gc.create("theme"))["properties"]["spreadsheetTheme"]
    assert theme["primaryFontFamily"] == "Arial"
    colours = {c["colorType"]: c["color"]["rgbColor"] for c in theme["themeColors"]}
    assert list(colours) == [
        "TEXT",
        "BACKGROUND",
        "ACCENT1",
        "ACCENT2",
        "ACCENT3",
        "ACCENT4",
        "ACCENT5",
        "ACCENT6",
        "LINK",
    ]
    assert colours["TEXT"] == {}
    assert colours["ACCENT1"] == {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}


def test_api_created_spreadsheets_say_etc_gmt_unless_told(
    emulator: EmulatorHandle, gc: gspread.Client, raw: requests.Session
) -> None:
    """
    A service account's new spreadsheet (Drive files.create, spreadsheets.create) has time zone
    Etc/GMT (recorded in every gspread cassette's first spreadsheets.get); so does a seeded
    spreadsheet unless the application names its rehearsal zone, and a server option changes
    the API's default.
    """
    assert gc.create("drive").timezone == "Etc/GMT"
    created = raw.post(SHEETS, json={"properties": {"title": "v4"}}).json()
    assert created["properties"]["timeZone"] == "Etc/GMT"
    given = raw.post(SHEETS, json={"properties": {"title": "z", "timeZone": "Asia/Tokyo"}}).json()
    assert given["properties"]["timeZone"] == "Asia/Tokyo"
    seeded = emulator.store.create_spreadsheet("สำเนา", spreadsheet_id="copy1")
    assert gc.open_by_key(seeded.spreadsheet_id).timezone == "Etc/GMT"

    with run_emulator(api_time_zone="Asia/Bangkok", seed_time_zone="Asia/Bangkok") as thai:
        client = make_gspread_client(thai.base_url)
        try:
            assert client.create("drive").timezone == "Asia/Bangkok"
            rehearsal = thai.store.create_spreadsheet("สำเนา", spreadsheet_id="copy1")
            assert client.open_by_key(rehearsal.spreadsheet_id).timezone == "Asia/Bangkok"
        finally:
            client.http_client.session.close()


def test_group_control_after_is_set_and_kept(gc: gspread.Client) -> None:
    """
    addDimensionGroup turns gridProperties.rowGroupControlAfter / columnGroupControlAfter on and
    deleting the group leaves it on (GridProperties; recorded in WorksheetTest.test_group_rows
    and test_group_columns).
    """
    book = gc.create("groups")
    sheet = book.sheet1

    def grid() -> dict[str, Any]:
        return dict(_metadata(book)["sheets"][0]["properties"]["gridProperties"])

    assert grid() == {"rowCount": 1000, "columnCount": 26}
    sheet.add_dimension_group_rows(0, 2)
    assert grid()["rowGroupControlAfter"] is True
    sheet.delete_dimension_group_rows(0, 2)
    assert grid() == {"rowCount": 1000, "columnCount": 26, "rowGroupControlAfter": True}
    sheet.add_dimension_group_columns(1, 3)
    sheet.delete_dimension_group_columns(1, 3)
    assert grid()["columnGroupControlAfter"] is True


def test_a_malformed_body_is_refused_before_the_range_with_field_violations(
    raw: requests.Session, spreadsheet_id: str
) -> None:
    """
    values.update with "values": "A1:D4" on a range that does not parse: Google names the body's
    field, not the range, and details it as google.rpc.BadRequest fieldViolations
    (https://cloud.google.com/apis/design/errors#error_details; recorded in
    WorksheetTest.test_get_values_merge_cells_outside_of_range).
    """
    url = f"{SHEETS}/{spreadsheet_id}/values/%5B%5B%27val%27%5D%5D?valueInputOption=RAW"
    response = raw.put(url, json={"values": "A1:D4", "majorDimension": None})
    message = (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"A1:D4\""
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "message": message,
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": "data.values", "description": message}],
                }
            ],
        }
    }


@pytest.fixture
def as_service_account() -> Iterator[tuple[EmulatorHandle, gspread.Client]]:
    """
    An emulator with auth on and a gspread client signed in as the worker's service account.
    """
    key, public = make_service_account_key(ACCOUNT, GOOGLE_TOKEN_URI)
    with run_emulator(auth=AuthConfig(enabled=True, service_accounts={ACCOUNT: public})) as handle:
        credentials = service_account.Credentials.from_service_account_info(
            key,
            scopes=[
                "https://www.googleapis.com/auth/spreadsheets",
                "https://www.googleapis.com/auth/drive.file",
            ],
        )
        client = make_gspread_client(handle.base_url, credentials)
        try:
            yield handle, client
        finally:
            client.http_client.session.close()


def test_the_requester_becomes_an_editor_of_a_new_protected_range(
    as_service_account: tuple[EmulatorHandle, gspread.Client],
) -> None:
    """
    The addProtectedRange reply echoes the editors asked for, then the range lists the
    requesting account in editors.users, warning-only or not (ProtectedRange.editors;
    recorded in WorksheetTest.test_add_protected_range_normal and _warning).
    """
    handle, client = as_service_account
    book = client.create("protected")
    assert handle.store.get(book.id).shared_with == {ACCOUNT}
    reply = book.sheet1.add_protected_range("A1:B2")
    assert reply["replies"][0]["addProtectedRange"]["protectedRange"]["editors"] == {}
    book.sheet1.add_protected_range("C1:C2", warning_only=True)
    protected = _metadata(book)["sheets"][0]["protectedRanges"]
    assert [p["editors"] for p in protected] == [{"users": [ACCOUNT]}, {"users": [ACCOUNT]}]
    assert protected[1]["warningOnly"] is True


def test_a_whole_sheet_basic_filter_has_explicit_bounds(gc: gspread.Client) -> None:
    """
    setBasicFilter over {"sheetId": 0} is stored as rows 0…rowCount, columns 0…columnCount,
    zeros included (BasicFilter.range; recorded in WorksheetTest.test_basic_filters, where
    reading startRowIndex once raised KeyError).
    """
    book = gc.create("filter")
    sheet = book.sheet1
    sheet.resize(20, 20)
    sheet.set_basic_filter()
    assert _metadata(book)["sheets"][0]["basicFilter"]["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 20,
        "startColumnIndex": 0,
        "endColumnIndex": 20,
    }
    sheet.set_basic_filter("B1:C2")
    assert _metadata(book)["sheets"][0]["basicFilter"]["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 1,
        "endColumnIndex": 3,
    }


def test_batch_update_totals_count_each_row_and_column_once(gc: gspread.Client) -> None:
    """
    totalUpdatedColumns is "the total number of columns where at least one cell in the column
    was updated" (BatchUpdateValuesResponse): A1:D1 and A4:D4 make 4, not 8 (recorded in
    WorksheetTest.test_batch_update); the same holds for rows.
    """
    sheet = gc.create("totals").sheet1
    reply = sheet.batch_update(
        [
            {"range": "A1:D1", "values": [["a", "b", "c", "d"]]},
            {"range": "A4:D4", "values": [["e", "f", "g", "h"]]},
            {"range": "C4:E5", "values": [["x", "y", "z"], ["1", "2", "3"]]},
        ]
    )
    assert (reply["totalUpdatedRows"], reply["totalUpdatedColumns"]) == (3, 5)
    assert reply["totalUpdatedCells"] == 14
    assert [r["updatedColumns"] for r in reply["responses"]] == [4, 4, 3]


def test_drive_export_and_csv_import(gc: gspread.Client) -> None:
    """
    Drive files.export with mimeType=text/csv sends the first sheet's displayed values
    (recorded in ClientTest.test_client_export_spreadsheet); the Drive v2 media upload with
    convert=true that import_csv sends replaces the spreadsheet by one tab named after it
    (https://developers.google.com/drive/api/reference/rest/v2/files/update; recorded in
    ClientTest.test_import_csv).
    """
    book = gc.create("นำเข้า")
    book.add_worksheet("อื่น", 10, 10)
    gc.import_csv(book.id, 'ชื่อ,จำนวน\n"สมชาย, ใจดี",12\n')
    reopened = gc.open_by_key(book.id)
    assert [ws.title for ws in reopened.worksheets()] == ["นำเข้า"]
    assert reopened.timezone == "America/Los_Angeles"
    assert reopened.sheet1.get_all_values() == [["ชื่อ", "จำนวน"], ["สมชาย, ใจดี", "12"]]
    assert reopened.sheet1.get("B2", value_render_option="UNFORMATTED_VALUE") == [[12]]

    reopened.sheet1.update([["a1", "B2"]], "A1:B2")
    exported = gc.export(book.id, gspread.utils.ExportFormat.CSV)
    assert exported.decode("utf-8") == 'a1,B2\r\n"สมชาย, ใจดี",12'
    with pytest.raises(gspread.exceptions.APIError, match="not emulated"):
        gc.export(book.id, gspread.utils.ExportFormat.PDF)


def test_auto_resize_fits_columns_to_their_text(gc: gspread.Client) -> None:
    """
    autoResizeDimensions fits each column to its widest text (AutoResizeDimensionsRequest):
    1,024 "A"s make column A 8,691 px wide as on Google (WorksheetTest.test_auto_resize_columns),
    a short status word narrows its column below the default 100 px, Thai names come between.
    """
    book = gc.create("fit")
    sheet = book.sheet1
    sheet.update(
        [["A" * 1024, "ผ่าน", "สมชาย ใจดีมากมายหลายคำ"], ["", "ok", "นางสาวสมหญิง รักเรียน"]], "A1"
    )
    sheet.columns_auto_resize(0, 4)
    widths = [
        c.get("pixelSize")
        for c in book.fetch_sheet_metadata({"fields": "sheets.data.columnMetadata"})["sheets"][0][
            "data"
        ][0]["columnMetadata"][:4]
    ]
    assert widths[0] == 8691
    assert widths[1] < 100 < widths[2] < 300
    assert widths[3] == 100  # an empty column keeps the default width
