"""
Developer metadata and DataFilter endpoints through ``SheetsApi``, including how row metadata
follows rows on insert, delete and move, and stays with the row position on sort (our choice).
"""

from __future__ import annotations

from typing import Any

import pytest

from sheets_emulator.api.router import SheetsApi
from sheets_emulator.model.store import Store

SID = "meta-test"
BASE = f"/v4/spreadsheets/{SID}"


@pytest.fixture
def api() -> SheetsApi:
    """
    An API over one spreadsheet whose rows 2-5 hold keyed records.
    """
    store = Store()
    store.create_spreadsheet("meta", spreadsheet_id=SID)
    store.set_values(
        SID, "Sheet1", "A1", [["key", "n"], ["k1", 1], ["k2", 2], ["k3", 3], ["k4", 4]]
    )
    return SheetsApi(store)


def post(api: SheetsApi, url: str, body: Any, status: int = 200) -> Any:
    """
    POST and require the given status.
    """
    response = api.call("POST", url, body)
    assert response.status == status, response.body
    return response.body


def tag_row(api: SheetsApi, row: int, value: str) -> int:
    """
    Attach rowKey=<value> to a row as the worker does; returns the metadataId.
    """
    body = {
        "requests": [
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataKey": "rowKey",
                        "metadataValue": value,
                        "visibility": "DOCUMENT",
                        "location": {
                            "dimensionRange": {
                                "sheetId": 0,
                                "dimension": "ROWS",
                                "startIndex": row,
                                "endIndex": row + 1,
                            }
                        },
                    }
                }
            }
        ]
    }
    reply = post(api, f"{BASE}:batchUpdate", body)["replies"][0]["createDeveloperMetadata"][
        "developerMetadata"
    ]
    assert reply == {
        "metadataId": reply["metadataId"],
        "metadataKey": "rowKey",
        "metadataValue": value,
        "location": {
            "locationType": "ROW",
            "dimensionRange": {"dimension": "ROWS", "startIndex": row, "endIndex": row + 1},
        },
        "visibility": "DOCUMENT",
    }
    return int(reply["metadataId"])


def row_of(api: SheetsApi, value: str) -> list[Any]:
    """
    Read the row tagged rowKey=value through values:batchGetByDataFilter.
    """
    body = post(
        api,
        f"{BASE}/values:batchGetByDataFilter",
        {
            "dataFilters": [
                {"developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": value}}
            ]
        },
    )
    ranges = body.get("valueRanges", [])
    return [(r["valueRange"]["range"], r["valueRange"].get("values")) for r in ranges]


def batch(api: SheetsApi, *requests: dict[str, Any]) -> Any:
    """
    POST a batchUpdate.
    """
    return post(api, f"{BASE}:batchUpdate", {"requests": list(requests)})["replies"]


def rows(start: int, end: int) -> dict[str, Any]:
    """
    A ROWS DimensionRange on sheet 0.
    """
    return {"sheetId": 0, "dimension": "ROWS", "startIndex": start, "endIndex": end}


def test_metadata_lookup_reads_the_tagged_row(api: SheetsApi) -> None:
    """
    batchGetByDataFilter returns {"valueRange", "dataFilters"} per matched range.
    """
    tag_row(api, 2, "k2")
    body = post(
        api,
        f"{BASE}/values:batchGetByDataFilter",
        {
            "dataFilters": [
                {"developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": "k2"}}
            ],
            "valueRenderOption": "UNFORMATTED_VALUE",
        },
    )
    assert body == {
        "spreadsheetId": SID,
        "valueRanges": [
            {
                "valueRange": {
                    "range": "Sheet1!A3:Z3",
                    "majorDimension": "ROWS",
                    "values": [["k2", 2]],
                },
                "dataFilters": [
                    {"developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": "k2"}}
                ],
            }
        ],
    }


def test_metadata_follows_insert_delete_and_move(api: SheetsApi) -> None:
    """
    Documented: metadata stays with its row as rows are inserted above, moved, or deleted.
    """
    tag_row(api, 2, "k2")
    mid = tag_row(api, 3, "k3")
    batch(api, {"insertDimension": {"range": rows(1, 3)}})
    assert row_of(api, "k2") == [("Sheet1!A5:Z5", [["k2", "2"]])]
    batch(api, {"moveDimension": {"source": rows(4, 5), "destinationIndex": 1}})
    assert row_of(api, "k2") == [("Sheet1!A2:Z2", [["k2", "2"]])]
    assert row_of(api, "k3") == [("Sheet1!A6:Z6", [["k3", "3"]])]
    batch(api, {"deleteDimension": {"range": rows(5, 6)}})
    assert row_of(api, "k3") == []
    assert api.call("GET", f"{BASE}/developerMetadata/{mid}").status == 404


def test_sort_keeps_metadata_on_the_row_position(api: SheetsApi) -> None:
    """
    Our documented choice: sortRange rewrites contents; metadata stays with the row position.
    """
    tag_row(api, 1, "first-data-row")
    batch(
        api,
        {
            "sortRange": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 5,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
            }
        },
    )
    assert row_of(api, "first-data-row") == [("Sheet1!A2:Z2", [["k4", "4"]])]


def test_update_by_data_filter_writes_where_the_metadata_is_now(api: SheetsApi) -> None:
    """
    batchUpdateByDataFilter writes into every matched range; values larger than a range fail.
    The included values are those of the range matched (the whole row the metadata tags).
    """
    tag_row(api, 2, "k2")
    batch(api, {"insertDimension": {"range": rows(0, 1)}})
    lookup = {"developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": "k2"}}
    body = post(
        api,
        f"{BASE}/values:batchUpdateByDataFilter",
        {
            "valueInputOption": "USER_ENTERED",
            "data": [{"dataFilter": lookup, "values": [["k2", "=20+2"]]}],
            "includeValuesInResponse": True,
        },
    )
    assert body["totalUpdatedCells"] == 2
    assert body["responses"] == [
        {
            "updatedRange": "Sheet1!A4:B4",
            "updatedRows": 1,
            "updatedColumns": 2,
            "updatedCells": 2,
            "updatedData": {
                "range": "Sheet1!A4:Z4",
                "majorDimension": "ROWS",
                "values": [["k2", "22"]],
            },
            "dataFilter": lookup,
        }
    ]
    grid_filter = {
        "gridRange": {
            "sheetId": 0,
            "startRowIndex": 0,
            "endRowIndex": 1,
            "startColumnIndex": 0,
            "endColumnIndex": 1,
        }
    }
    error = post(
        api,
        f"{BASE}/values:batchUpdateByDataFilter",
        {"valueInputOption": "RAW", "data": [{"dataFilter": grid_filter, "values": [["a", "b"]]}]},
        400,
    )
    assert error["error"]["message"].startswith("Invalid data[0]: Requested writing within range")
    a1 = post(
        api,
        f"{BASE}/values:batchUpdateByDataFilter",
        {
            "valueInputOption": "RAW",
            "data": [{"dataFilter": {"a1Range": "Sheet1!D1"}, "values": [["d"]]}],
        },
    )
    assert a1["responses"][0]["updatedRange"] == "Sheet1!D1"


def test_clear_by_data_filter_and_search(api: SheetsApi) -> None:
    """
    batchClearByDataFilter clears matched ranges; developerMetadata:search returns matches.
    """
    mid = tag_row(api, 4, "k4")
    body = post(
        api,
        f"{BASE}/developerMetadata:search",
        {"dataFilters": [{"developerMetadataLookup": {"metadataId": mid}}]},
    )
    assert [m["developerMetadata"]["metadataId"] for m in body["matchedDeveloperMetadata"]] == [mid]
    by_range = post(
        api, f"{BASE}/developerMetadata:search", {"dataFilters": [{"a1Range": "Sheet1!B5"}]}
    )
    assert len(by_range["matchedDeveloperMetadata"]) == 1
    exact = {
        "developerMetadataLookup": {
            "metadataLocation": {"dimensionRange": rows(4, 5)},
            "locationMatchingStrategy": "EXACT_LOCATION",
        }
    }
    assert (
        len(
            post(api, f"{BASE}/developerMetadata:search", {"dataFilters": [exact]})[
                "matchedDeveloperMetadata"
            ]
        )
        == 1
    )
    wider = {
        "developerMetadataLookup": {
            "metadataLocation": {"dimensionRange": rows(3, 6)},
            "locationMatchingStrategy": "EXACT_LOCATION",
        }
    }
    assert post(api, f"{BASE}/developerMetadata:search", {"dataFilters": [wider]}) == {}
    wider["developerMetadataLookup"]["locationMatchingStrategy"] = "INTERSECTING_LOCATION"
    assert (
        len(
            post(api, f"{BASE}/developerMetadata:search", {"dataFilters": [wider]})[
                "matchedDeveloperMetadata"
            ]
        )
        == 1
    )
    cleared = post(
        api,
        f"{BASE}/values:batchClearByDataFilter",
        {"dataFilters": [{"developerMetadataLookup": {"metadataKey": "rowKey"}}]},
    )
    assert cleared == {"spreadsheetId": SID, "clearedRanges": ["Sheet1!A5:Z5"]}
    assert api.call("GET", f"{BASE}/developerMetadata/{mid}").body["metadataValue"] == "k4"


def test_update_and_delete_metadata_replies(api: SheetsApi) -> None:
    """
    update/deleteDeveloperMetadata reply with the affected metadata.
    """
    mid = tag_row(api, 1, "k1")
    lookup = {"developerMetadataLookup": {"metadataId": mid}}
    (updated,) = batch(
        api,
        {
            "updateDeveloperMetadata": {
                "dataFilters": [lookup],
                "developerMetadata": {"metadataValue": "renamed"},
                "fields": "metadataValue",
            }
        },
    )
    assert updated["updateDeveloperMetadata"]["developerMetadata"][0]["metadataValue"] == "renamed"
    (deleted,) = batch(api, {"deleteDeveloperMetadata": {"dataFilter": lookup}})
    assert deleted["deleteDeveloperMetadata"]["deletedDeveloperMetadata"][0]["metadataId"] == mid
    assert batch(api, {"deleteDeveloperMetadata": {"dataFilter": lookup}}) == [
        {"deleteDeveloperMetadata": {}}
    ]


def test_metadata_validation_and_visibility_in_get(api: SheetsApi) -> None:
    """
    Multi-row locations are refused; sheet/spreadsheet metadata appears in spreadsheets.get.
    """
    bad = {
        "requests": [
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataKey": "x",
                        "location": {"dimensionRange": rows(1, 3)},
                    }
                }
            }
        ]
    }
    message = post(api, f"{BASE}:batchUpdate", bad, 400)["error"]["message"]
    assert message.startswith(
        "Invalid requests[0].createDeveloperMetadata: "
        "The specified DimensionRange must represent a single row"
    )
    batch(
        api,
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "sheetKey",
                    "location": {"sheetId": 0},
                    "visibility": "DOCUMENT",
                }
            }
        },
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "bookKey",
                    "location": {"spreadsheet": True},
                    "visibility": "PROJECT",
                }
            }
        },
    )
    tag_row(api, 1, "k1")
    body = api.call("GET", BASE).body
    assert body["developerMetadata"][0]["location"] == {
        "locationType": "SPREADSHEET",
        "spreadsheet": True,
    }
    assert body["sheets"][0]["developerMetadata"][0]["location"] == {
        "locationType": "SHEET",
        "sheetId": 0,
    }
    grid = api.call("GET", f"{BASE}?ranges=Sheet1!A2&includeGridData=true").body
    assert (
        grid["sheets"][0]["data"][0]["rowMetadata"][0]["developerMetadata"][0]["metadataValue"]
        == "k1"
    )


def test_get_by_data_filter_returns_the_matched_rows_grid_data(api: SheetsApi) -> None:
    """
    spreadsheets:getByDataFilter limits sheets and grid data to the ranges the filters select.
    """
    tag_row(api, 3, "k3")
    body = post(
        api,
        f"{BASE}:getByDataFilter",
        {
            "dataFilters": [{"developerMetadataLookup": {"metadataValue": "k3"}}],
            "includeGridData": True,
        },
    )
    data = body["sheets"][0]["data"][0]
    assert data["startRow"] == 3
    assert data["rowData"][0]["values"][0]["formattedValue"] == "k3"


@pytest.mark.slow
def test_a_full_size_tab_with_row_keys_stays_fast() -> None:
    """
    10,000 x 83 cells, 10,000 row keys, a sort, an insert and 500 keyed writes finish quickly.
    """
    import time

    store = Store()
    book = store.create_spreadsheet("big", spreadsheet_id=SID)
    book.sheets[0].rows.extend([None] * 9_000)
    book.sheets[0].columns.extend([None] * 57)
    api = SheetsApi(store)
    started = time.monotonic()
    block = [[f"r{r}c{c}" if c else r for c in range(83)] for r in range(1_000)]
    for k in range(10):
        url = f"{BASE}/values/%27Sheet1%27%21A{k * 1000 + 1}?valueInputOption=RAW"
        assert api.call("PUT", url, {"values": block}).status == 200
    keys = [
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "rowKey",
                    "metadataValue": f"k{i}",
                    "location": {"dimensionRange": rows(i, i + 1)},
                }
            }
        }
        for i in range(10_000)
    ]
    batch(api, *keys)
    batch(
        api,
        {
            "sortRange": {
                "range": {"sheetId": 0},
                "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}],
            }
        },
    )
    batch(api, {"insertDimension": {"range": rows(0, 1)}})
    data = [
        {
            "dataFilter": {
                "developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": f"k{i}"}
            },
            "values": [["x"]],
        }
        for i in range(500)
    ]
    result = post(
        api, f"{BASE}/values:batchUpdateByDataFilter", {"valueInputOption": "RAW", "data": data}
    )
    assert result["totalUpdatedCells"] == 500
    assert time.monotonic() - started < 60
