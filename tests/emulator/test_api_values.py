"""
values.* endpoints through ``SheetsApi.handle``, compared with responses recorded from Google.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_emulator.api.router import ApiRequest, SheetsApi
from sheets_emulator.model.store import Store

SID = "values-test"
BASE = f"/v4/spreadsheets/{SID}"


@pytest.fixture
def api() -> SheetsApi:
    """
    An API over a store holding one spreadsheet with tabs Sheet1 and ศก.1.
    """
    store = Store()
    store.create_spreadsheet("values", spreadsheet_id=SID, sheets=("Sheet1", "ศก.1"))
    return SheetsApi(store)


def values_url(range_text: str, suffix: str = "", query: str = "") -> str:
    """
    Build a values URL the way gspread does: quote(range, safe="") and a literal method colon.
    """
    return f"{BASE}/values/{quote(range_text, safe='')}{suffix}" + (f"?{query}" if query else "")


def ok(api: SheetsApi, method: str, url: str, body: Any = None) -> Any:
    """
    Call the API and require a 2xx answer.
    """
    response = api.call(method, url, body)
    assert 200 <= response.status < 300, response.body
    return response.body


def error(api: SheetsApi, method: str, url: str, body: Any = None) -> dict[str, Any]:
    """
    Call the API and return the inner error object of a non-2xx answer.
    """
    response = api.call(method, url, body)
    assert response.status >= 400
    assert set(response.body) == {"error"}
    assert response.body["error"]["code"] == response.status
    return dict(response.body["error"])


def put(api: SheetsApi, range_text: str, values: Any, option: str = "RAW", query: str = "") -> Any:
    """
    values.update with gspread's body shape (explicit ``majorDimension: null``).
    """
    q = f"valueInputOption={option}" + (f"&{query}" if query else "")
    return ok(
        api, "PUT", values_url(range_text, query=q), {"values": values, "majorDimension": None}
    )


def test_get_trims_like_the_recording(api: SheetsApi) -> None:
    """
    Recording WorksheetTest.test_get_all_values: interior blanks kept, trailing ones dropped.
    """
    put(api, "'Sheet1'!A1", [["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]])
    body = ok(api, "GET", values_url("'Sheet1'"))
    assert body == {
        "range": "Sheet1!A1:Z1000",
        "majorDimension": "ROWS",
        "values": [["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]],
    }


def test_empty_range_has_no_values_key(api: SheetsApi) -> None:
    """
    Recording: ``{"range":"Sheet1!A1:D1","majorDimension":"ROWS"}`` with no values key.
    """
    assert ok(api, "GET", values_url("'Sheet1'!A1:D1")) == {
        "range": "Sheet1!A1:D1",
        "majorDimension": "ROWS",
    }


def test_columns_major_dimension_transposes_and_trims(api: SheetsApi) -> None:
    """
    Recording test_delete_cols: COLUMNS gives one list per column, trimmed per column.
    """
    put(api, "'Sheet1'!A1", [["a", "b"], ["c"], ["", "d"]])
    body = ok(api, "GET", values_url("'Sheet1'!A1:B", query="majorDimension=COLUMNS"))
    assert body["values"] == [["a", "c"], ["b", "", "d"]]
    assert body["majorDimension"] == "COLUMNS"


def test_render_options_match_the_date_time_recording(api: SheetsApi) -> None:
    """
    Recording test_get_all_values_date_time_render_options, all four option combinations.
    """
    put(
        api,
        "'Sheet1'!A1",
        [["=4/2", "2020-01-01", "string", 53], ["=3/2", 0.12, "1999-01-02", ""]],
        "USER_ENTERED",
    )
    expected = {
        "": [["2", "2020-01-01", "string", "53"], ["1.5", "0.12", "1999-01-02"]],
        "valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER": [
            [2, 43831, "string", 53],
            [1.5, 0.12, 36162],
        ],
        "valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=FORMATTED_STRING": [
            [2, "2020-01-01", "string", 53],
            [1.5, 0.12, "1999-01-02"],
        ],
        "valueRenderOption=FORMULA": [["=4/2", 43831, "string", 53], ["=3/2", 0.12, 36162]],
        "valueRenderOption=FORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER": [
            ["2", "2020-01-01", "string", "53"],
            ["1.5", "0.12", "1999-01-02"],
        ],
    }
    for query, values in expected.items():
        assert ok(api, "GET", values_url("'Sheet1'", query=query))["values"] == values, query


@pytest.mark.parametrize(
    ("typed", "formatted", "unformatted"),
    [
        ("1,234.5", "1,234.5", 1234.5),
        ("12%", "12%", 0.12),
        ("TRUE", "TRUE", True),
        ("false", "FALSE", False),
        ("'=not a formula", "=not a formula", "=not a formula"),
        ("'123", "123", "123"),
        ("=SUM(1,2)", "3", 3),
        ('=HYPERLINK("https://example.com","label")', "label", "label"),
        ("=UNKNOWNFN(1)", None, None),
        ("=1/0", "#DIV/0!", "#DIV/0!"),
        ("3/1/2016", "3/1/2016", 42430),
        ("13:30", "13:30:00", 0.5625),
        ("ข้อความ", "ข้อความ", "ข้อความ"),
    ],
)
def test_user_entered_parses_like_the_ui(
    api: SheetsApi, typed: str, formatted: Any, unformatted: Any
) -> None:
    """
    USER_ENTERED parses numbers, percents, booleans, formulas, dates; a leading ' forces text.
    """
    put(api, "'Sheet1'!A1", [[typed]], "USER_ENTERED")
    got = ok(api, "GET", values_url("'Sheet1'!A1")).get("values", [[None]])[0][0]
    raw = ok(api, "GET", values_url("'Sheet1'!A1", query="valueRenderOption=UNFORMATTED_VALUE"))
    assert got == formatted
    assert raw.get("values", [[None]])[0][0] == unformatted


def test_raw_keeps_strings_as_text(api: SheetsApi) -> None:
    """
    RAW stores "=1+2" and "TRUE" as text; JSON numbers and booleans stay typed.
    """
    put(api, "'Sheet1'!A1", [["=1+2", "TRUE", 5, True, "1,000"]])
    body = ok(api, "GET", values_url("'Sheet1'!A1:E1", query="valueRenderOption=UNFORMATTED_VALUE"))
    assert body["values"] == [["=1+2", "TRUE", 5, True, "1,000"]]
    body = ok(api, "GET", values_url("'Sheet1'!A1:E1", query="valueRenderOption=FORMULA"))
    assert body["values"] == [["=1+2", "TRUE", 5, True, "1,000"]]


@pytest.mark.parametrize(
    ("range_text", "values", "expected"),
    [
        (
            "'Sheet1'!A1",
            [["a", "b", "c", "d"]] * 4,
            {
                "updatedRange": "Sheet1!A1:D4",
                "updatedRows": 4,
                "updatedColumns": 4,
                "updatedCells": 16,
            },
        ),
        (
            "'Sheet1'!A1:B2",
            [["a1", "B2"]],
            {
                "updatedRange": "Sheet1!A1:B1",
                "updatedRows": 1,
                "updatedColumns": 2,
                "updatedCells": 2,
            },
        ),
        (
            "'Sheet1'!A1:D2",
            [["A1", "B1", "C1"], [1, 2, 3, 4]],
            {
                "updatedRange": "Sheet1!A1:D2",
                "updatedRows": 2,
                "updatedColumns": 4,
                "updatedCells": 7,
            },
        ),
        (
            "'Sheet1'!A1:D6",
            [["x", None, None, None]] + [[None] * 4] * 4 + [[None, None, None, "y"]],
            {
                "updatedRange": "Sheet1!A1:D6",
                "updatedRows": 2,
                "updatedColumns": 2,
                "updatedCells": 2,
            },
        ),
        (
            "Sheet1!A1",
            [["", "x"]],
            {
                "updatedRange": "Sheet1!A1:B1",
                "updatedRows": 1,
                "updatedColumns": 2,
                "updatedCells": 2,
            },
        ),
    ],
)
def test_update_response_counts_like_the_recordings(
    api: SheetsApi, range_text: str, values: Any, expected: dict[str, Any]
) -> None:
    """
    Recordings test_update_and_get, test_client_export_spreadsheet,
    test_get_all_records_pad_one_key,
    test_update_cells_noncontiguous: anchors expand, ranges shrink to data, null skips a cell.
    """
    assert put(api, range_text, values) == {"spreadsheetId": SID, **expected}


def test_null_skips_and_empty_string_clears(api: SheetsApi) -> None:
    """
    "Null values will be skipped. To set a cell to an empty value, set the string value to ''."
    """
    put(api, "'Sheet1'!A1", [["a", "b", "c"]])
    put(api, "'Sheet1'!A1", [[None, "", "C"]])
    assert ok(api, "GET", values_url("'Sheet1'!A1:C1"))["values"] == [["a", "", "C"]]


def test_update_can_include_values_in_response(api: SheetsApi) -> None:
    """
    includeValuesInResponse=True (as requests encodes it) adds updatedData.
    """
    body = put(api, "'Sheet1'!B2", [["=1+1"]], "USER_ENTERED", "includeValuesInResponse=True")
    assert body["updatedData"] == {
        "range": "Sheet1!B2",
        "majorDimension": "ROWS",
        "values": [["2"]],
    }


def test_included_values_span_the_requested_range_when_it_is_larger(api: SheetsApi) -> None:
    """
    "If the range to write was larger than the range actually written, the response includes
    all values in the requested range (excluding trailing empty rows and columns)" (DD,
    values.update): one value written into A1:C3 answers with A1:C3's values.
    """
    put(api, "'Sheet1'!C3", [["pre"]])
    body = put(api, "'Sheet1'!A1:C3", [["x"]], "RAW", "includeValuesInResponse=True")
    assert body["updatedRange"] == "Sheet1!A1"
    assert body["updatedData"] == {
        "range": "Sheet1!A1:C3",
        "majorDimension": "ROWS",
        "values": [["x"], [], ["", "", "pre"]],
    }


@pytest.mark.parametrize(
    ("requested", "echo"), [("Sheet1", "Sheet1!A1:Z1000"), ("Sheet1!A1:C", "Sheet1!A1:C1000")]
)
def test_included_values_span_an_unbounded_requested_range_too(
    api: SheetsApi, requested: str, echo: str
) -> None:
    """
    A whole sheet or open-ended range is larger than one cell written: the answer holds the
    requested range's values (bounded by the grid, as a read of it is), not only the cell.
    """
    put(api, "'Sheet1'!A1", [["a", "b"], ["c", "d"]])
    body = put(api, requested, [["x"]], "RAW", "includeValuesInResponse=True")
    assert body["updatedData"] == {
        "range": echo,
        "majorDimension": "ROWS",
        "values": [["x", "b"], ["c", "d"]],
    }


def test_included_values_of_a_data_filter_write_span_the_matched_range(api: SheetsApi) -> None:
    """
    UpdateValuesByDataFilterResponse.updatedData: "the values of the cells in the range
    matched by the dataFilter" (DD), not only the cells written.
    """
    put(api, "'Sheet1'!A1", [["a", "b"], ["c", "d"]])
    body = ok(
        api,
        "POST",
        f"{BASE}/values:batchUpdateByDataFilter",
        {
            "valueInputOption": "RAW",
            "includeValuesInResponse": True,
            "data": [{"dataFilter": {"a1Range": "Sheet1!A1:B3"}, "values": [["x"]]}],
        },
    )
    assert body["responses"][0]["updatedData"] == {
        "range": "Sheet1!A1:B3",
        "majorDimension": "ROWS",
        "values": [["x", "b"], ["c", "d"]],
    }


def test_numbers_are_kept_as_doubles(api: SheetsApi) -> None:
    """
    "For input, supported value types are: bool, string, and double" (DD, ValueRange): an
    integer past 2**53 keeps the nearest double, as the same number typed as text does.
    """
    put(api, "'Sheet1'!A1", [[1234567890123456789, 2**53 + 1, 12]])
    put(api, "'Sheet1'!A2", [["1234567890123456789", str(2**53 + 1), "12"]], "USER_ENTERED")
    got = ok(api, "GET", values_url("'Sheet1'!A1:C2", query="valueRenderOption=UNFORMATTED_VALUE"))
    doubles = [float(1234567890123456789), float(2**53), 12]
    assert got["values"] == [doubles, doubles]


def test_zero_counts_and_empty_lists_are_left_out_as_proto3_json_does(api: SheetsApi) -> None:
    """A write of nothing but nulls, and a batch clear of no ranges: no `0`, no `[]`."""
    body = put(api, "'Sheet1'!A1", [[None]])
    assert body == {"spreadsheetId": SID, "updatedRange": "Sheet1!A1"}
    batch = ok(
        api,
        "POST",
        f"{BASE}/values:batchUpdate",
        {"valueInputOption": "RAW", "data": [{"range": "Sheet1!A1", "values": [[None]]}]},
    )
    assert batch == {
        "spreadsheetId": SID,
        "responses": [{"spreadsheetId": SID, "updatedRange": "Sheet1!A1"}],
    }
    cleared = ok(api, "POST", f"{BASE}/values:batchClear", {"ranges": []})
    assert cleared == {"spreadsheetId": SID}


def test_a_grid_range_filter_starting_past_the_grid_is_refused_as_its_a1_range_is(
    api: SheetsApi,
) -> None:
    """Rows 5001-5002 of a 1000-row sheet: 400 "exceeds grid limits", never a backwards echo."""
    grid = {"sheetId": 0, "startRowIndex": 5000, "endRowIndex": 5002, "endColumnIndex": 2}
    for url, body in (
        (f"{BASE}/values:batchGetByDataFilter", {"dataFilters": [{"gridRange": grid}]}),
        (f"{BASE}/values:batchClearByDataFilter", {"dataFilters": [{"gridRange": grid}]}),
    ):
        assert error(api, "POST", url, body)["message"] == (
            "Invalid dataFilters[0]: Range (Sheet1!A5001:B5002) exceeds grid limits. "
            "Max rows: 1000, max columns: 26"
        )


def test_formula_rendering_takes_the_date_option(api: SheetsApi) -> None:
    """
    dateTimeRenderOption "is ignored if value_render_option is FORMATTED_VALUE" (DD), so
    with FORMULA a typed date follows it: FORMATTED_STRING gives the date as shown.
    """
    put(api, "'Sheet1'!A1", [["2020-01-01", "=1+1"]], "USER_ENTERED")
    query = "valueRenderOption=FORMULA&dateTimeRenderOption=FORMATTED_STRING"
    assert ok(api, "GET", values_url("'Sheet1'!A1:B1", query=query))["values"] == [
        ["2020-01-01", "=1+1"]
    ]
    serial = ok(api, "GET", values_url("'Sheet1'!A1:B1", query="valueRenderOption=FORMULA"))
    assert serial["values"] == [[43831, "=1+1"]]


def test_update_errors_match_google(api: SheetsApi) -> None:
    """
    Missing valueInputOption, bad enums, writes past the grid or the range, and bad bodies are 400s.
    """
    url = values_url("'Sheet1'!A1")
    assert error(api, "PUT", url, {"values": [[1]]})["message"] == (
        "'valueInputOption' is required but not specified"
    )
    bad_enum = error(api, "GET", values_url("'Sheet1'!A1", query="majorDimension=DIAGONAL"))
    message = (
        "Invalid value at 'major_dimension' "
        '(type.googleapis.com/google.apps.sheets.v4.Dimension), "DIAGONAL"'
    )
    assert bad_enum == {
        "code": 400,
        "message": message,
        "status": "INVALID_ARGUMENT",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": "major_dimension", "description": message}],
            }
        ],
    }
    past = error(
        api,
        "PUT",
        values_url("'Sheet1'!A1000", query="valueInputOption=RAW"),
        {"values": [[1], [2]]},
    )
    assert (
        past["message"]
        == "Range (Sheet1!A1000:A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    too_big = error(
        api,
        "PUT",
        values_url("'Sheet1'!A1:B1", query="valueInputOption=RAW"),
        {"values": [[1, 2, 3]]},
    )
    assert (
        too_big["message"]
        == "Requested writing within range [Sheet1!A1:B1], but tried writing to column [C]"
    )
    shape = error(
        api, "PUT", values_url("'Sheet1'!A1", query="valueInputOption=RAW"), {"values": "X"}
    )
    assert (
        shape["message"]
        == "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )
    long = error(
        api,
        "PUT",
        values_url("'Sheet1'!A1", query="valueInputOption=RAW"),
        {"values": [["x" * 50_001]]},
    )
    assert (
        long["message"]
        == "Your input contains more than the maximum of 50000 characters in a single cell."
    )


def test_unknown_spreadsheet_and_path(api: SheetsApi) -> None:
    """
    Recording test_access_non_existing_spreadsheet: 404 "Requested entity was not found.".
    """
    assert error(api, "GET", "/v4/spreadsheets/nope/values/A1") == {
        "code": 404,
        "message": "Requested entity was not found.",
        "status": "NOT_FOUND",
    }
    assert error(api, "GET", f"{BASE}/bogus")["status"] == "NOT_FOUND"


def test_permission_denied_for_unshared_principal() -> None:
    """
    Recording test_access_private_spreadsheet: 403 PERMISSION_DENIED, never 401.
    """
    store = Store()
    store.create_spreadsheet(
        "p", spreadsheet_id="p1", shared_with=["owner@x.iam.gserviceaccount.com"]
    )
    api = SheetsApi(store)
    denied = api.handle(ApiRequest("GET", "/v4/spreadsheets/p1", {}, None, "other@x"))
    assert (denied.status, denied.body) == (
        403,
        {
            "error": {
                "code": 403,
                "message": "The caller does not have permission",
                "status": "PERMISSION_DENIED",
            }
        },
    )
    allowed = api.handle(
        ApiRequest("GET", "/v4/spreadsheets/p1", {}, None, "owner@x.iam.gserviceaccount.com")
    )
    assert allowed.status == 200


def test_batch_get_answers_in_request_order(api: SheetsApi) -> None:
    """
    Recording SpreadsheetTest.test_values_batch_get: valueRanges follow the requested order.
    """
    put(api, "'ศก.1'!A1", [["🍇", "🍉"], ["🍐", "🍎"]])
    body = ok(
        api,
        "GET",
        f"{BASE}/values:batchGet?ranges=%27%E0%B8%A8%E0%B8%81.1%27%21B%3AB&ranges=%E0%B8%A8%E0%B8%81.1%21A%3AA",
    )
    assert body == {
        "spreadsheetId": SID,
        "valueRanges": [
            {"range": "'ศก.1'!B1:B1000", "majorDimension": "ROWS", "values": [["🍉"], ["🍎"]]},
            {"range": "'ศก.1'!A1:A1000", "majorDimension": "ROWS", "values": [["🍇"], ["🍐"]]},
        ],
    }


def test_batch_update_totals_and_all_or_nothing(api: SheetsApi) -> None:
    """
    Recording test_batch_update for shape; one bad entry (gspread#1601 prefixing) changes nothing.
    """
    body = {
        "valueInputOption": "RAW",
        "includeValuesInResponse": None,
        "responseValueRenderOption": None,
        "responseDateTimeRenderOption": None,
        "data": [
            {"range": "'Sheet1'!A1", "values": [["A1", "B1", "C1", "D1"]]},
            {"range": "'Sheet1'!A4", "values": [["A4", "B4", "C4", "D4"]]},
        ],
    }
    assert ok(api, "POST", f"{BASE}/values:batchUpdate", body) == {
        "spreadsheetId": SID,
        "totalUpdatedRows": 2,
        "totalUpdatedColumns": 4,
        "totalUpdatedCells": 8,
        "totalUpdatedSheets": 1,
        "responses": [
            {
                "spreadsheetId": SID,
                "updatedRange": "Sheet1!A1:D1",
                "updatedRows": 1,
                "updatedColumns": 4,
                "updatedCells": 4,
            },
            {
                "spreadsheetId": SID,
                "updatedRange": "Sheet1!A4:D4",
                "updatedRows": 1,
                "updatedColumns": 4,
                "updatedCells": 4,
            },
        ],
    }
    bad = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "'Sheet1'!A1", "values": [["changed"]]},
            {"range": "'Funnel'!'Funnel'!A1", "values": [["x"]]},
        ],
    }
    assert error(api, "POST", f"{BASE}/values:batchUpdate", bad)["message"] == (
        "Invalid data[1]: Unable to parse range: 'Funnel'!'Funnel'!A1"
    )
    assert ok(api, "GET", values_url("'Sheet1'!A1"))["values"] == [["A1"]]


def test_append_finds_the_table_like_google(api: SheetsApi) -> None:
    """
    Recording test_append_row / test_append_row_with_empty_value (gspread#537).
    """
    first = ok(
        api,
        "POST",
        values_url("'Sheet1'", ":append", "valueInputOption=RAW"),
        {"values": [list("abcdefghij")]},
    )
    assert first == {
        "spreadsheetId": SID,
        "updates": {
            "spreadsheetId": SID,
            "updatedRange": "Sheet1!A1:J1",
            "updatedRows": 1,
            "updatedColumns": 10,
            "updatedCells": 10,
        },
    }
    second = ok(
        api,
        "POST",
        values_url("'Sheet1'", ":append", "valueInputOption=RAW"),
        {"values": [list("abcdefghij")]},
    )
    assert (second["tableRange"], second["updates"]["updatedRange"]) == (
        "Sheet1!A1:J1",
        "Sheet1!A2:J2",
    )
    put(api, "'ศก.1'!A1", [["x", "", "z"]])
    gap = ok(
        api,
        "POST",
        values_url("'ศก.1'", ":append", "valueInputOption=RAW"),
        {"values": [["1", "2", "3"]]},
    )
    assert (gap["tableRange"], gap["updates"]["updatedRange"]) == ("'ศก.1'!C1", "'ศก.1'!C2:E2")
    anchored = ok(
        api,
        "POST",
        values_url("'ศก.1'!A1", ":append", "valueInputOption=RAW"),
        {"values": [["1", "2", "3"]]},
    )
    assert (anchored["tableRange"], anchored["updates"]["updatedRange"]) == (
        "'ศก.1'!A1",
        "'ศก.1'!A2:C2",
    )


def test_append_grows_the_grid_and_inserts_rows(api: SheetsApi) -> None:
    """
    Appending past the last row grows the grid; INSERT_ROWS shifts rows below the table down.
    """
    put(api, "'Sheet1'!A999", [["a"], ["b"]])
    ok(
        api,
        "POST",
        values_url("'Sheet1'!A999", ":append", "valueInputOption=RAW"),
        {"values": [["c"], ["d"]]},
    )
    body = ok(api, "GET", values_url("'Sheet1'!A999:A"))
    assert body == {
        "range": "Sheet1!A999:A1002",
        "majorDimension": "ROWS",
        "values": [["a"], ["b"], ["c"], ["d"]],
    }
    put(api, "'ศก.1'!A1", [["h"], ["1"], [], ["below"]])
    ok(
        api,
        "POST",
        values_url("'ศก.1'!A1", ":append", "valueInputOption=RAW&insertDataOption=INSERT_ROWS"),
        {"values": [["2"]]},
    )
    assert ok(api, "GET", values_url("'ศก.1'!A1:A6"))["values"] == [
        ["h"],
        ["1"],
        ["2"],
        [],
        ["below"],
    ]


def test_clear_and_batch_clear_echo_the_grid(api: SheetsApi) -> None:
    """
    Recordings test_clear / test_batch_clear: clearedRange(s) echo the normalised ranges.
    """
    put(api, "'Sheet1'!A1", [["a", "b"], ["c", "d", "e"]])
    assert ok(
        api, "POST", f"{BASE}/values:batchClear", {"ranges": ["'Sheet1'!A1:B1", "'Sheet1'!C2:E2"]}
    ) == {
        "spreadsheetId": SID,
        "clearedRanges": ["Sheet1!A1:B1", "Sheet1!C2:E2"],
    }
    assert ok(api, "GET", values_url("'Sheet1'"))["values"] == [[], ["c", "d"]]
    assert ok(api, "POST", values_url("'Sheet1'", ":clear")) == {
        "spreadsheetId": SID,
        "clearedRange": "Sheet1!A1:Z1000",
    }
    assert "values" not in ok(api, "GET", values_url("'Sheet1'"))


cell_values = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell_values, max_size=6), min_size=1, max_size=6))
def test_raw_writes_read_back_unformatted(rows: list[list[Any]]) -> None:
    """
    Property: RAW-written rows read back (UNFORMATTED_VALUE) equal, up to Google's trimming.
    """
    store = Store()
    store.create_spreadsheet("p", spreadsheet_id=SID)
    api = SheetsApi(store)
    put(api, "'Sheet1'!A1", rows)
    body = ok(api, "GET", values_url("'Sheet1'", query="valueRenderOption=UNFORMATTED_VALUE"))
    expected = [list(r) for r in rows]
    while expected and not expected[-1]:
        expected.pop()
    assert body.get("values", []) == expected


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=SUM(Sheet1!A1:A)", "6"),
        ("=SUM(Sheet1!A:A)", "6"),
        ("='Sheet1'!A2*10", "20"),
        ("=AVERAGE(Sheet1!A1:A3)", "2"),
        ('=IF(Sheet1!A1>0,"pos","neg")', "pos"),
        ('=CONCATENATE("a",Sheet1!A3)&"!"', "a3!"),
        ("=ROUND(2/3,2)", "0.67"),
        ("=1/3", "0.3333333333"),
        ("=2^10-24", "1000"),
        ("=Sheet1!A1=1", "TRUE"),
        ("=VLOOKUP(1,Sheet1!A:B,2,FALSE)", None),
    ],
)
def test_formula_evaluator_subset(api: SheetsApi, formula: str, expected: str | None) -> None:
    """
    The documented formula subset evaluates; anything else renders as an empty cell.
    """
    put(api, "'Sheet1'!A1", [[1], [2], [3]])
    put(api, "'ศก.1'!A1", [[formula]], "USER_ENTERED")
    got = ok(api, "GET", values_url("'ศก.1'!A1")).get("values", [[None]])[0][0]
    assert got == expected
    assert ok(api, "GET", values_url("'ศก.1'!A1", query="valueRenderOption=FORMULA"))["values"] == [
        [formula]
    ]
