"""
Request bodies and query parameters are held to Google's discovery document of Sheets v4.

Google parses a body into its proto before anything else, so an unknown name, a wrong type or
an unknown enum value is a 400 naming the field (snake_case, as Google's messages do) with a
google.rpc.BadRequest detail, and nothing changes
(https://cloud.google.com/apis/design/errors#error_details).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_emulator.api.router import ApiRequest, SheetsApi, schema_error
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import Store

SID = "s1"
BASE = f"/v4/spreadsheets/{SID}"
CASSETTE = Path(__file__).parents[1] / "sync" / "cassettes" / "three_runs.json"


@pytest.fixture
def api() -> SheetsApi:
    """
    A spreadsheet with one tab, served with the schema check on (the default).
    """
    store = Store()
    store.create_spreadsheet("schema", spreadsheet_id=SID)
    return SheetsApi(store)


def refused(api: SheetsApi, method: str, url: str, body: Any = None) -> dict[str, Any]:
    """
    Send a request that must be refused with 400 and return the error, checking nothing moved.
    """
    revision = api.store.get(SID).revision
    response = api.call(method, url, body)
    assert response.status == 400, response.body
    assert api.store.get(SID).revision == revision
    error: dict[str, Any] = response.body["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    return error


def violations(error: dict[str, Any]) -> list[dict[str, str]]:
    """
    The fieldViolations of the error's google.rpc.BadRequest detail.
    """
    (detail,) = error["details"]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    return list(detail["fieldViolations"])


def update_cells(**extra: Any) -> dict[str, Any]:
    """
    A well-formed updateCells request, with ``extra`` fields merged in.
    """
    return {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"formulaValue": "=1+1"}}]}],
            "fields": "userEnteredValue",
            **extra,
        }
    }


def test_unknown_names_are_refused_at_every_depth(api: SheetsApi) -> None:
    """
    "Unknown name … Cannot find field." names the enclosing message's path, none at the root.
    """
    url = f"{BASE}:batchUpdate"
    root = refused(api, "POST", url, {"requests": [update_cells()], "fooBar": 1})
    assert (
        root["message"]
        == 'Invalid JSON payload received. Unknown name "fooBar": Cannot find field.'
    )
    assert violations(root) == [{"description": root["message"]}]

    nested = refused(api, "POST", url, {"requests": [update_cells(fooBar=1)]})
    assert nested["message"] == (
        'Invalid JSON payload received. Unknown name "fooBar" at '
        "'requests[0].update_cells': Cannot find field."
    )
    assert violations(nested) == [
        {"field": "requests[0].update_cells", "description": nested["message"]}
    ]

    cell = update_cells()
    cell["updateCells"]["rows"][0]["values"][0]["userEnteredValue"]["formula"] = "=1"
    deep = refused(api, "POST", url, {"requests": [{"addSheet": {}}, cell]})
    assert violations(deep)[0]["field"] == (
        "requests[1].update_cells.rows[0].values[0].user_entered_value"
    )


def test_wrong_types_and_enums_name_the_field_and_its_type(api: SheetsApi) -> None:
    """
    A value of the wrong type or an enum value Google does not know: "Invalid value at '<path>'
    (<type>), <value>"; every violation of the body is listed.
    """
    request = {
        "insertDimension": {
            "range": {"sheetId": "zero", "dimension": "DIAGONAL", "startIndex": 0},
            "inheritFromBefore": "yes",
        }
    }
    error = refused(api, "POST", f"{BASE}:batchUpdate", {"requests": [request]})
    where = "requests[0].insert_dimension"
    assert [(v["field"], v["description"]) for v in violations(error)] == [
        (
            f"{where}.range.sheet_id",
            f"Invalid value at '{where}.range.sheet_id' (TYPE_INT32), \"zero\"",
        ),
        (
            f"{where}.range.dimension",
            f"Invalid value at '{where}.range.dimension' "
            '(type.googleapis.com/google.apps.sheets.v4.Dimension), "DIAGONAL"',
        ),
        (
            f"{where}.inherit_from_before",
            f"Invalid value at '{where}.inherit_from_before' (TYPE_BOOL), \"yes\"",
        ),
    ]
    assert error["message"] == "\n".join(v["description"] for v in violations(error))


def test_lists_and_objects_in_the_wrong_place(api: SheetsApi) -> None:
    """
    A list for a single message, an object for a string and a string for a list of messages.
    """
    url = f"{BASE}:batchUpdate"
    listed = refused(api, "POST", url, {"requests": [{"addSheet": {"properties": [{}]}}]})
    assert listed["message"] == (
        'Invalid JSON payload received. Unknown name "properties" at '
        "'requests[0].add_sheet': Proto field is not repeating, cannot start list."
    )
    boxed = refused(api, "POST", url, {"requests": [update_cells(fields={"a": 1})]})
    assert violations(boxed)[0]["field"] == "requests[0].update_cells"
    rows = refused(api, "POST", url, {"requests": [update_cells(rows="nope")]})
    assert rows["message"] == (
        "Invalid value at 'requests[0].update_cells.rows' "
        '(type.googleapis.com/google.apps.sheets.v4.RowData), "nope"'
    )


def test_query_parameters_are_checked_too(api: SheetsApi) -> None:
    """
    A parameter the method does not have cannot be bound; a boolean must read as one.
    """
    unknown = refused(api, "GET", f"{BASE}/values/A1?valueRenderOptions=FORMULA")
    assert unknown["message"] == (
        'Invalid JSON payload received. Unknown name "valueRenderOptions": Cannot bind query '
        "parameter. Field 'valueRenderOptions' could not be found in request message."
    )
    boolean = refused(api, "GET", f"{BASE}?includeGridData=maybe")
    assert violations(boolean) == [
        {
            "field": "include_grid_data",
            "description": "Invalid value at 'include_grid_data' (TYPE_BOOL), \"maybe\"",
        }
    ]
    assert api.call("GET", f"{BASE}?includeGridData=True&fields=spreadsheetId").status == 200


def test_the_check_can_be_turned_off_for_speed() -> None:
    """
    With validate_schema=False the emulator accepts a field Google would refuse, as it says.
    """
    store = Store()
    store.create_spreadsheet("lenient", spreadsheet_id=SID)
    body = {"requests": [update_cells(fooBar=1)]}
    assert SheetsApi(store).call("POST", f"{BASE}:batchUpdate", body).status == 400
    assert (
        SheetsApi(store, validate_schema=False).call("POST", f"{BASE}:batchUpdate", body).status
        == 200
    )
    with run_emulator(store, validate_schema=False) as handle:
        assert handle.api.validate_schema is False


def test_every_request_of_the_workers_pinned_conversation_passes() -> None:
    """
    The worker's own requests (set-up with conditional formats, protected ranges, named ranges,
    a chart, updateCells with HYPERLINK formulas, RAW values through anchors) match the schema.
    """
    interactions = json.loads(CASSETTE.read_text("utf-8"))["interactions"]
    kinds: set[str] = set()
    for interaction in interactions:
        request = interaction["request"]
        url = urlsplit(request["uri"])
        body = json.loads(request["body"]) if request["body"] else None
        api_request = ApiRequest(
            request["method"], url.path, parse_qs(url.query, keep_blank_values=True), body
        )
        error = schema_error(api_request)
        assert error is None, error.body()
        for item in (body or {}).get("requests", []):
            kinds.update(item)
    assert {"addConditionalFormatRule", "addProtectedRange", "addNamedRange", "addChart"} <= kinds
    assert "updateCells" in kinds


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["sheetId", "range", "rows", "values", "fields", "x", "startIndex"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["updateCells", "addSheet", "insertDimension", "addProtectedRange"]),
    payload=json_values,
)
def test_any_json_gets_a_google_answer_never_a_crash(kind: str, payload: Any) -> None:
    """
    Whatever JSON a request carries, the answer is 200 or Google's 400, never a 500.
    """
    store = Store()
    store.create_spreadsheet("fuzz", spreadsheet_id=SID)
    response = SheetsApi(store).call("POST", f"{BASE}:batchUpdate", {"requests": [{kind: payload}]})
    assert response.status in (200, 400), response.body
    if response.status == 400:
        assert response.body["error"]["status"] == "INVALID_ARGUMENT"
