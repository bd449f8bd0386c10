"""
spreadsheets.get through ``SheetsApi``: default shapes, proto3 omission, field masks, grid data.
"""

from __future__ import annotations

from typing import Any

import pytest

from sheets_emulator.api.router import SheetsApi
from sheets_emulator.model.store import Store

SID = "get-test"
BASE = f"/v4/spreadsheets/{SID}"


@pytest.fixture
def api() -> SheetsApi:
    """
    An API over one spreadsheet with tabs Sheet1 and "worksheet 2".
    """
    store = Store()
    store.create_spreadsheet(
        "get", spreadsheet_id=SID, sheets=("Sheet1", "worksheet 2"), time_zone="Etc/GMT"
    )
    return SheetsApi(store)


def get(api: SheetsApi, query: str = "") -> dict[str, Any]:
    """
    GET the spreadsheet and require 200.
    """
    response = api.call("GET", BASE + (f"?{query}" if query else ""))
    assert response.status == 200, response.body
    return dict(response.body)


def note_on(api: SheetsApi, sheet_id: int, row: int, col: int, text: str) -> None:
    """
    Write a note exactly as gspread's update_notes does.
    """
    body = {
        "requests": [
            {
                "updateCells": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": row,
                        "endRowIndex": row + 1,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    },
                    "fields": "note",
                    "rows": [{"values": [{"note": text}]}],
                }
            }
        ]
    }
    assert api.call("POST", f"{BASE}:batchUpdate", body).status == 200


def test_default_get_has_the_recorded_keys(api: SheetsApi) -> None:
    """
    Recording WorksheetTest.test_get_all_values: top-level and per-sheet keys, proto3 omission.
    """
    body = get(api, "includeGridData=false")
    assert list(body) == ["spreadsheetId", "properties", "sheets", "spreadsheetUrl"]
    assert body["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{SID}/edit"
    assert {"title", "locale", "autoRecalc", "timeZone", "defaultFormat"} <= set(body["properties"])
    assert body["properties"]["timeZone"] == "Etc/GMT"
    first, second = body["sheets"]
    assert first == {
        "properties": {
            "sheetId": 0,
            "title": "Sheet1",
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": 1000, "columnCount": 26},
        }
    }
    assert set(second) == {"properties"} and second["properties"]["index"] == 1


@pytest.mark.parametrize("flag", ["False", "false", "True", "true"])
def test_boolean_query_params_accept_python_and_json_spelling(api: SheetsApi, flag: str) -> None:
    """
    requests sends includeGridData=False; gspread's default is the string "false"; both work.
    """
    body = get(api, f"includeGridData={flag}")
    assert ("data" in body["sheets"][0]) is (flag.lower() == "true")


def test_field_mask_of_an_absent_field_keeps_the_parent(api: SheetsApi) -> None:
    """
    Recording: fields=sheets.properties.tabColorStyle → {"sheets":[{"properties":{}}, ...]}.
    """
    assert get(api, "fields=sheets.properties.tabColorStyle") == {
        "sheets": [{"properties": {}}, {"properties": {}}]
    }


def test_field_mask_parenthesised_syntax(api: SheetsApi) -> None:
    """
    a(b,c) masks select several subfields at once.
    """
    assert get(api, "fields=spreadsheetId,sheets(properties(sheetId,title))") == {
        "spreadsheetId": SID,
        "sheets": [
            {"properties": {"sheetId": 0, "title": "Sheet1"}},
            {
                "properties": {
                    "sheetId": get(api)["sheets"][1]["properties"]["sheetId"],
                    "title": "worksheet 2",
                }
            },
        ],
    }
    assert get(api, "fields=namedRanges") == {}


def test_notes_read_the_way_gspread_reads_them(api: SheetsApi) -> None:
    """
    Recordings test_get_notes / test_get_notes_2nd_sheet: empty cells {}, empty rows {}.
    """
    assert get(api, "fields=sheets.data.rowData.values.note&ranges=%27Sheet1%27") == {
        "sheets": [{"data": [{}]}]
    }
    note_on(api, 0, 0, 0, "read my note")
    note_on(api, 0, 1, 1, "Or don't")
    note_on(api, 0, 2, 0, "another note")
    note_on(api, 0, 2, 2, "test")
    assert get(api, "fields=sheets.data.rowData.values.note&ranges=%27Sheet1%27") == {
        "sheets": [
            {
                "data": [
                    {
                        "rowData": [
                            {"values": [{"note": "read my note"}]},
                            {"values": [{}, {"note": "Or don't"}]},
                            {"values": [{"note": "another note"}, {}, {"note": "test"}]},
                        ]
                    }
                ]
            }
        ]
    }
    second_id = get(api)["sheets"][1]["properties"]["sheetId"]
    note_on(api, second_id, 2, 1, "two sheets")
    assert get(
        api, "fields=sheets%2Fdata%2FrowData%2Fvalues%2Fnote&ranges=%27worksheet+2%27%21A2%3AC3"
    ) == {"sheets": [{"data": [{"rowData": [{}, {"values": [{}, {"note": "two sheets"}]}]}]}]}
    note_on(api, 0, 0, 0, "")
    body = get(api, "fields=sheets.data.rowData.values.note&ranges=Sheet1!A1")
    assert body == {"sheets": [{"data": [{}]}]}


def test_grid_data_cells_carry_entered_effective_and_formatted_values(api: SheetsApi) -> None:
    """
    includeGridData returns userEnteredValue/effectiveValue/formattedValue per cell.
    """
    api.store.set_values(SID, "Sheet1", "B2", [["=1+2", "2020-01-01", "text", "TRUE"]])
    body = get(api, "includeGridData=true&ranges=Sheet1!B2:E2")
    data = body["sheets"][0]["data"][0]
    assert (data["startRow"], data["startColumn"]) == (1, 1)
    assert data["rowData"] == [
        {
            "values": [
                {
                    "userEnteredValue": {"formulaValue": "=1+2"},
                    "effectiveValue": {"numberValue": 3},
                    "formattedValue": "3",
                },
                {
                    "userEnteredValue": {"numberValue": 43831},
                    "effectiveValue": {"numberValue": 43831},
                    "formattedValue": "2020-01-01",
                },
                {
                    "userEnteredValue": {"stringValue": "text"},
                    "effectiveValue": {"stringValue": "text"},
                    "formattedValue": "text",
                },
                {
                    "userEnteredValue": {"boolValue": True},
                    "effectiveValue": {"boolValue": True},
                    "formattedValue": "TRUE",
                },
            ]
        }
    ]
    assert data["columnMetadata"] == [{"pixelSize": 100}] * 4
    assert len(body["sheets"]) == 1


def test_bad_range_in_get_is_400(api: SheetsApi) -> None:
    """
    An unknown sheet in ``ranges`` is ``Unable to parse range``.
    """
    response = api.call("GET", f"{BASE}?ranges=Nope!A1")
    assert (response.status, response.body["error"]["message"]) == (
        400,
        "Unable to parse range: Nope!A1",
    )


def test_spreadsheets_create(api: SheetsApi) -> None:
    """
    POST /v4/spreadsheets creates a spreadsheet and returns the resource.
    """
    response = api.call(
        "POST",
        "/v4/spreadsheets",
        {"properties": {"title": "สร้าง"}, "sheets": [{"properties": {"title": "A"}}]},
    )
    assert response.status == 200
    assert response.body["properties"]["title"] == "สร้าง"
    assert [s["properties"]["title"] for s in response.body["sheets"]] == ["A"]


def test_emulator_fidelity_snake_case_masks_empty_filters_and_server_header() -> None:
    """
    "Field names can be specified in camelCase or separated_by_underscores" (field-mask
    guide), in a read mask and an update mask; data filters that match nothing select no
    sheet (DD: "the portions … that intersect ranges matched"); `Server: ESF`.
    """
    import requests

    from sheets_emulator.http.client import make_gspread_client
    from sheets_emulator.http.server import run_emulator

    with run_emulator() as emu:
        gc = make_gspread_client(emu.base_url)
        book = gc.create("masks")
        meta = book.fetch_sheet_metadata({"fields": "sheets.properties.grid_properties"})
        assert meta["sheets"][0]["properties"]["gridProperties"]["rowCount"] == 1000
        book.batch_update(
            {
                "requests": [
                    {
                        "updateSheetProperties": {
                            "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 2}},
                            "fields": "grid_properties.frozen_row_count",
                        }
                    }
                ]
            }
        )
        meta = book.fetch_sheet_metadata({"fields": "sheets.properties.gridProperties"})
        assert meta["sheets"][0]["properties"]["gridProperties"]["frozenRowCount"] == 2
        url = f"https://sheets.googleapis.com/v4/spreadsheets/{book.id}:getByDataFilter"
        lookup = {"developerMetadataLookup": {"metadataKey": "nothing-has-this"}}
        body = gc.http_client.request("post", url, json={"dataFilters": [lookup]}).json()
        assert body.get("sheets", []) == []
        answer = requests.get(f"{emu.base_url}/v4/spreadsheets/{book.id}", timeout=10)
        assert answer.headers["Server"] == "ESF"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert answer.headers["X-XSS-Protection"] == "0"
