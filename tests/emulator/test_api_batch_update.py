"""
spreadsheets:batchUpdate through ``SheetsApi``: atomicity, reply shapes and re-indexing on edits.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from sheets_emulator.api.batch_update import SUPPORTED_REQUESTS
from sheets_emulator.api.router import SheetsApi
from sheets_emulator.model.store import Store

SID = "batch-test"
BASE = f"/v4/spreadsheets/{SID}"


@pytest.fixture
def api() -> SheetsApi:
    """
    An API over one spreadsheet (Sheet1, sheetId 0) with a few values in A1:C4.
    """
    store = Store()
    store.create_spreadsheet("batch", spreadsheet_id=SID)
    store.set_values(
        SID, "Sheet1", "A1", [["h1", "h2", "h3"], ["b", 2, "x"], ["a", 1, "y"], ["c", 3, "z"]]
    )
    return SheetsApi(store)


def batch(api: SheetsApi, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    """
    Send one batchUpdate and return its replies (the call must succeed).
    """
    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": list(requests)})
    assert response.status == 200, response.body
    assert response.body["spreadsheetId"] == SID
    replies: list[dict[str, Any]] = response.body["replies"]
    assert len(replies) == len(requests)
    return replies


def failing(api: SheetsApi, *requests: dict[str, Any]) -> str:
    """
    Send one batchUpdate that must fail with 400 and return the message.
    """
    response = api.call("POST", f"{BASE}:batchUpdate", {"requests": list(requests)})
    assert response.status == 400, response.body
    assert response.body["error"]["status"] == "INVALID_ARGUMENT"
    return str(response.body["error"]["message"])


def values(api: SheetsApi, range_text: str = "'Sheet1'") -> list[list[Any]]:
    """
    Read values (FORMATTED_VALUE) for assertions.
    """
    body = api.call("GET", f"{BASE}/values/{quote(range_text, safe='')}").body
    return list(body.get("values", []))


def metadata(api: SheetsApi, query: str = "") -> dict[str, Any]:
    """
    Read spreadsheets.get.
    """
    response = api.call("GET", BASE + (f"?{query}" if query else ""))
    assert response.status == 200, response.body
    return dict(response.body)


def rows_range(start: int, end: int, sheet_id: int = 0) -> dict[str, Any]:
    """
    A ROWS DimensionRange.
    """
    return {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": start, "endIndex": end}


def columns_range(start: int, end: int, sheet_id: int = 0) -> dict[str, Any]:
    """
    A COLUMNS DimensionRange.
    """
    return {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": start, "endIndex": end}


def test_add_sheet_reply_matches_the_recording(api: SheetsApi) -> None:
    """
    Recording test_add_del_worksheet: addSheet reply carries sheetId, title, index, sheetType, grid.
    """
    (reply,) = batch(
        api,
        {
            "addSheet": {
                "properties": {
                    "title": "ศก.1",
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 1, "columnCount": 1},
                }
            }
        },
    )
    props = reply["addSheet"]["properties"]
    assert set(props) == {"sheetId", "title", "index", "sheetType", "gridProperties"}
    assert (props["title"], props["index"], props["gridProperties"]) == (
        "ศก.1",
        1,
        {"rowCount": 1, "columnCount": 1},
    )
    assert props["sheetId"] > 0
    assert "already exists" in failing(api, {"addSheet": {"properties": {"title": "ศก.1"}}})


def test_one_bad_request_changes_nothing(api: SheetsApi) -> None:
    """
    "If any request is not valid then the entire request will fail and nothing will be applied."
    """
    before = metadata(api, "includeGridData=true")
    message = failing(
        api,
        {"addSheet": {"properties": {"title": "new"}}},
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "changed"}}]}],
                "fields": "userEnteredValue",
            }
        },
        {"insertDimension": {"range": rows_range(0, 2)}},
        {"deleteSheet": {"sheetId": 999}},
    )
    assert message == "Invalid requests[3].deleteSheet: No grid with id: 999"
    assert metadata(api, "includeGridData=true") == before


def test_unsupported_requests_fail_loudly(api: SheetsApi) -> None:
    """
    An unknown request kind is a 400 naming it, never silently ignored.
    """
    assert (
        failing(api, {"addSlicer": {"slicer": {}}})
        == "Invalid requests[0]: Unsupported request type addSlicer"
    )
    assert "Must specify at least one request." == failing(api)


def test_every_request_gspread_sends_is_supported() -> None:
    """
    gspread 6.2.1's Spreadsheet/Worksheet methods only send request kinds the registry knows.
    """
    sent_by_gspread = {
        "addSheet",
        "deleteSheet",
        "updateSheetProperties",
        "updateSpreadsheetProperties",
        "duplicateSheet",
        "insertDimension",
        "deleteDimension",
        "sortRange",
        "repeatCell",
        "updateCells",
        "setDataValidation",
        "addProtectedRange",
        "deleteProtectedRange",
        "mergeCells",
        "unmergeCells",
        "setBasicFilter",
        "clearBasicFilter",
        "copyPaste",
        "cutPaste",
        "addNamedRange",
        "deleteNamedRange",
        "addDimensionGroup",
        "deleteDimensionGroup",
        "updateDimensionProperties",
        "autoResizeDimensions",
    }
    assert sent_by_gspread <= set(SUPPORTED_REQUESTS)


def test_hiding_every_sheet_is_refused_with_googles_message(api: SheetsApi) -> None:
    """
    Recording test_hide_show_worksheet.
    """
    assert failing(
        api,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "hidden": True},
                "fields": "hidden",
            }
        },
    ) == ("Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document.")


def test_cell_limit(api: SheetsApi) -> None:
    """
    Growing a workbook past 10,000,000 cells fails with Google's wording.
    """
    assert failing(
        api, {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 400_000}}
    ) == (
        "Invalid requests[0].appendDimension: This action would increase the number of cells in "
        "the "
        "workbook above the limit of 10000000 cells."
    )
    assert "above the limit" in failing(
        api,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 500_000}},
                "fields": "gridProperties.rowCount",
            }
        },
    )
    assert "above the limit" in failing(
        api,
        {
            "addSheet": {
                "properties": {"gridProperties": {"rowCount": 1_000_000, "columnCount": 10}}
            }
        },
    )


def test_update_sheet_properties_resize_title_colour_freeze(api: SheetsApi) -> None:
    """
    The field mask picks what changes; defaults stay omitted; colours are quantised to 8 bits.
    """
    batch(
        api,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 4, "columnCount": 4}},
                "fields": "gridProperties/rowCount,gridProperties/columnCount",
            }
        },
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": 0,
                    "title": "Renamed",
                    "gridProperties": {"frozenRowCount": 1},
                },
                "fields": "title,gridProperties.frozenRowCount",
            }
        },
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": 0,
                    "tabColorStyle": {"rgbColor": {"red": 1, "green": 0, "blue": 0.5}},
                },
                "fields": "tabColorStyle",
            }
        },
    )
    props = metadata(api)["sheets"][0]["properties"]
    assert props["title"] == "Renamed"
    assert props["gridProperties"] == {"rowCount": 4, "columnCount": 4, "frozenRowCount": 1}
    assert props["tabColorStyle"] == {"rgbColor": {"red": 1, "blue": 0.49803922}}
    assert "hidden" not in props
    assert values(api, "Renamed") == [
        ["h1", "h2", "h3"],
        ["b", "2", "x"],
        ["a", "1", "y"],
        ["c", "3", "z"],
    ]


def test_insert_rows_shift_everything_positioned_by_row(api: SheetsApi) -> None:
    """
    insertDimension moves values, notes, formats, validation, merges, protected ranges, CF ranges.
    """
    cell = {
        "sheetId": 0,
        "startRowIndex": 2,
        "endRowIndex": 3,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    batch(
        api,
        {
            "updateCells": {
                "range": {**cell, "endColumnIndex": 1},
                "rows": [{"values": [{"note": "n"}]}],
                "fields": "note",
            }
        },
        {"setDataValidation": {"range": cell, "rule": {"condition": {"type": "BOOLEAN"}}}},
        {"mergeCells": {"range": cell, "mergeType": "MERGE_ALL"}},
        {"addProtectedRange": {"protectedRange": {"range": cell}}},
        {
            "addConditionalFormatRule": {
                "index": 0,
                "rule": {
                    "ranges": [cell],
                    "booleanRule": {
                        "condition": {"type": "NOT_BLANK"},
                        "format": {"textFormat": {"bold": True}},
                    },
                },
            }
        },
        {"insertDimension": {"range": rows_range(1, 3), "inheritFromBefore": True}},
    )
    moved = {**cell, "startRowIndex": 4, "endRowIndex": 5}
    del moved["sheetId"]
    sheet = metadata(api)["sheets"][0]
    assert sheet["merges"] == [moved]
    assert sheet["protectedRanges"][0]["range"] == moved
    assert sheet["conditionalFormats"][0]["ranges"] == [moved]
    assert values(api) == [
        ["h1", "h2", "h3"],
        [],
        [],
        ["b", "2", "x"],
        ["a", "", "y"],
        ["c", "3", "z"],
    ]
    notes = metadata(
        api, "fields=sheets.data.rowData.values(note,dataValidation)&ranges=Sheet1!A5:B5"
    )
    assert notes == {
        "sheets": [
            {
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    {
                                        "note": "n",
                                        "dataValidation": {"condition": {"type": "BOOLEAN"}},
                                    },
                                    {"dataValidation": {"condition": {"type": "BOOLEAN"}}},
                                ]
                            }
                        ]
                    }
                ]
            }
        ]
    }


def test_delete_and_move_rows(api: SheetsApi) -> None:
    """
    deleteDimension removes rows (not all of them); moveDimension counts dest before removal.
    """
    batch(api, {"deleteDimension": {"range": rows_range(1, 2)}})
    assert values(api) == [["h1", "h2", "h3"], ["a", "1", "y"], ["c", "3", "z"]]
    batch(api, {"moveDimension": {"source": rows_range(1, 2), "destinationIndex": 3}})
    assert values(api) == [["h1", "h2", "h3"], ["c", "3", "z"], ["a", "1", "y"]]
    batch(
        api,
        {
            "moveDimension": {
                "source": columns_range(2, 3),
                "destinationIndex": 0,
            }
        },
    )
    assert values(api, "Sheet1!A1:C1") == [["h3", "h1", "h2"]]
    assert failing(api, {"deleteDimension": {"range": rows_range(0, 999)}}) == (
        "Invalid requests[0].deleteDimension: You can't delete all the rows on the sheet."
    )
    batch(
        api,
        {"deleteDimension": {"range": columns_range(0, 1)}},
    )
    assert values(api, "Sheet1!A1:B1") == [["h1", "h2"]]
    assert metadata(api)["sheets"][0]["properties"]["gridProperties"] == {
        "rowCount": 999,
        "columnCount": 25,
    }
    # A range open at its end runs to the sheet's end (only insertDimension needs both ends).
    open_end = {"sheetId": 0, "dimension": "ROWS", "startIndex": 989}
    batch(api, {"deleteDimension": {"range": open_end}})
    assert metadata(api)["sheets"][0]["properties"]["gridProperties"] == {
        "rowCount": 989,
        "columnCount": 25,
    }


def test_sort_range_orders_numbers_text_booleans_and_blanks_last(api: SheetsApi) -> None:
    """
    The documented choice: numbers < text < booleans, stable, blanks last in both orders.
    """
    api.store.set_values(SID, "Sheet1", "E1", [["b"], [10], ["TRUE"], [""], ["A"], [2], ["a"]])
    grid = {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 1003,
        "startColumnIndex": 4,
        "endColumnIndex": 5,
    }
    batch(
        api,
        {
            "sortRange": {
                "range": grid,
                "sortSpecs": [{"dimensionIndex": 4, "sortOrder": "ASCENDING"}],
            }
        },
    )
    assert values(api, "Sheet1!E1:E7") == [["2"], ["10"], ["A"], ["a"], ["b"], ["TRUE"]]
    batch(
        api,
        {
            "sortRange": {
                "range": grid,
                "sortSpecs": [{"dimensionIndex": 4, "sortOrder": "DESCENDING"}],
            }
        },
    )
    assert values(api, "Sheet1!E1:E7") == [["TRUE"], ["b"], ["A"], ["a"], ["10"], ["2"]]


def test_sort_by_two_keys_moves_whole_rows_of_the_range(api: SheetsApi) -> None:
    """
    sortSpecs apply in order; the cells of the range's columns travel together.
    """
    grid = {
        "sheetId": 0,
        "startRowIndex": 1,
        "endRowIndex": 4,
        "startColumnIndex": 0,
        "endColumnIndex": 3,
    }
    batch(
        api,
        {
            "sortRange": {
                "range": grid,
                "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
            }
        },
    )
    assert values(api) == [["h1", "h2", "h3"], ["c", "3", "z"], ["b", "2", "x"], ["a", "1", "y"]]


def test_update_cells_typed_values_and_clearing(api: SheetsApi) -> None:
    """
    stringValue is always text (even "=..."), formulaValue a formula; uncovered cells get cleared.
    """
    grid = {
        "sheetId": 0,
        "startRowIndex": 1,
        "endRowIndex": 3,
        "startColumnIndex": 0,
        "endColumnIndex": 3,
    }
    batch(
        api,
        {
            "updateCells": {
                "range": grid,
                "fields": "userEnteredValue",
                "rows": [
                    {
                        "values": [
                            {"userEnteredValue": {"stringValue": "=1+2"}},
                            {"userEnteredValue": {"formulaValue": "=1+2"}},
                            {"userEnteredValue": {"boolValue": True}},
                        ]
                    }
                ],
            }
        },
    )
    assert values(api, "Sheet1!A1:C4") == [
        ["h1", "h2", "h3"],
        ["=1+2", "3", "TRUE"],
        [],
        ["c", "3", "z"],
    ]
    batch(
        api,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 3, "columnIndex": 0},
                "fields": "userEnteredValue",
                "rows": [{"values": [{"userEnteredValue": {"numberValue": 7}}]}],
            }
        },
    )
    assert values(api, "Sheet1!A4:C4") == [["7", "3", "z"]]


def test_repeat_cell_format_reads_back_with_style_mirrors(api: SheetsApi) -> None:
    """
    Recording test_format: userEnteredFormat echoes what was written plus *Style mirrors.
    """
    grid = {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    fmt = {
        "backgroundColor": {"red": 1, "green": 0.9, "blue": 0.9},
        "textFormat": {"bold": True, "foregroundColor": {"red": 0.5}},
    }
    batch(
        api,
        {
            "repeatCell": {
                "range": grid,
                "cell": {"userEnteredFormat": fmt},
                "fields": "userEnteredFormat(backgroundColor,textFormat)",
            }
        },
    )
    body = metadata(api, "ranges=Sheet1!A1&fields=sheets.data.rowData.values.userEnteredFormat")
    got = body["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert got["backgroundColor"] == {"red": 1, "green": 0.89803922, "blue": 0.89803922}
    assert got["backgroundColorStyle"] == {"rgbColor": got["backgroundColor"]}
    assert got["textFormat"]["foregroundColorStyle"] == {"rgbColor": {"red": 0.49803922}}
    assert values(api, "Sheet1!A1:B1") == [["h1", "h2"]]


def test_conditional_format_rule_replies(api: SheetsApi) -> None:
    """
    add replies {}, update replies old/new rule and index, delete replies the rule.
    """
    rng = {"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 5}
    rule = {
        "ranges": [rng],
        "booleanRule": {
            "condition": {
                "type": "CUSTOM_FORMULA",
                "values": [{"userEnteredValue": '=$E2="late"'}],
            },
            "format": {"backgroundColor": {"red": 1, "green": 0.8, "blue": 0.8}},
        },
    }
    assert batch(api, {"addConditionalFormatRule": {"index": 0, "rule": rule}}) == [{}]
    expected_rule = {
        **rule,
        "ranges": [{"startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 5}],
    }
    expected_rule["booleanRule"] = {
        **rule["booleanRule"],
        "format": {"backgroundColor": {"red": 1, "green": 0.8, "blue": 0.8}},
    }
    assert metadata(api)["sheets"][0]["conditionalFormats"] == [expected_rule]
    (updated,) = batch(
        api,
        {
            "updateConditionalFormatRule": {
                "index": 0,
                "sheetId": 0,
                "rule": {**rule, "booleanRule": {"condition": {"type": "BLANK"}, "format": {}}},
            }
        },
    )
    assert set(updated["updateConditionalFormatRule"]) == {"oldRule", "newRule"}
    (deleted,) = batch(api, {"deleteConditionalFormatRule": {"index": 0, "sheetId": 0}})
    assert deleted["deleteConditionalFormatRule"]["rule"]["booleanRule"]["condition"] == {
        "type": "BLANK"
    }
    assert "conditionalFormats" not in metadata(api)["sheets"][0]
    assert "No conditional format" in failing(
        api, {"deleteConditionalFormatRule": {"index": 0, "sheetId": 0}}
    )


def test_protected_range_reply_matches_the_recording(api: SheetsApi) -> None:
    """
    Recordings test_add_protected_range_normal/_warning: id int, requestingUserCanEdit, editors {}.
    """
    rng = {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    (normal, warning) = batch(
        api,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": rng,
                    "description": None,
                    "warningOnly": False,
                    "requestingUserCanEdit": False,
                    "editors": {"users": [], "groups": []},
                }
            }
        },
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": rng,
                    "description": None,
                    "warningOnly": True,
                    "requestingUserCanEdit": False,
                    "editors": None,
                }
            }
        },
    )
    pr = normal["addProtectedRange"]["protectedRange"]
    assert set(pr) == {"protectedRangeId", "range", "requestingUserCanEdit", "editors"}
    assert (
        isinstance(pr["protectedRangeId"], int)
        and pr["requestingUserCanEdit"] is True
        and pr["editors"] == {}
    )
    assert warning["addProtectedRange"]["protectedRange"]["warningOnly"] is True
    batch(api, {"deleteProtectedRange": {"protectedRangeId": pr["protectedRangeId"]}})
    listed = metadata(api, "fields=sheets.properties,sheets.protectedRanges")["sheets"][0][
        "protectedRanges"
    ]
    assert [p["protectedRangeId"] for p in listed] == [
        warning["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    ]


def test_chart_add_update_delete(api: SheetsApi) -> None:
    """
    addChart replies with a chartId; charts appear in sheets[].charts until deleted.
    """

    def src(col: int) -> dict[str, Any]:
        return {
            "sourceRange": {
                "sources": [
                    {
                        "sheetId": 0,
                        "startRowIndex": 0,
                        "endRowIndex": 4,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    }
                ]
            }
        }

    spec = {
        "title": "T",
        "basicChart": {
            "chartType": "COLUMN",
            "legendPosition": "BOTTOM_LEGEND",
            "domains": [{"domain": src(0)}],
            "series": [{"series": src(1), "targetAxis": "LEFT_AXIS"}],
            "headerCount": 1,
        },
    }
    (reply,) = batch(
        api,
        {
            "addChart": {
                "chart": {
                    "spec": spec,
                    "position": {
                        "overlayPosition": {
                            "anchorCell": {"sheetId": 0, "rowIndex": 0, "columnIndex": 5}
                        }
                    },
                }
            }
        },
    )
    chart_id = reply["addChart"]["chart"]["chartId"]
    assert isinstance(chart_id, int)
    batch(api, {"updateChartSpec": {"chartId": chart_id, "spec": {**spec, "title": "U"}}})
    assert metadata(api)["sheets"][0]["charts"][0]["spec"]["title"] == "U"
    wide = {
        "sourceRange": {
            "sources": [
                {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 4,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                }
            ]
        }
    }
    assert "one row or one column" in failing(
        api,
        {
            "addChart": {
                "chart": {"spec": {"basicChart": {"domains": [{"domain": wide}], "series": []}}}
            }
        },
    )
    batch(api, {"deleteEmbeddedObject": {"objectId": chart_id}})
    assert "charts" not in metadata(api)["sheets"][0]


def test_named_ranges_and_groups_reply_shapes(api: SheetsApi) -> None:
    """
    Recorded replies: namedRangeId is a string and sheet 0 ranges omit sheetId; group replies.
    """
    (named, group) = batch(
        api,
        {
            "addNamedRange": {
                "namedRange": {
                    "name": "Totals",
                    "range": {
                        "sheetId": 0,
                        "startRowIndex": 0,
                        "endRowIndex": 2,
                        "startColumnIndex": 0,
                        "endColumnIndex": 2,
                    },
                }
            }
        },
        {"addDimensionGroup": {"range": columns_range(0, 2)}},
    )
    nr = named["addNamedRange"]["namedRange"]
    assert isinstance(nr["namedRangeId"], str)
    assert nr["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    assert group == {
        "addDimensionGroup": {
            "dimensionGroups": [
                {"range": {"dimension": "COLUMNS", "startIndex": 0, "endIndex": 2}, "depth": 1}
            ]
        }
    }
    assert values(api, "Totals") == [["h1", "h2"], ["b", "2"]]
    top = metadata(api)
    assert top["namedRanges"] == [nr]
    assert top["sheets"][0]["columnGroups"] == group["addDimensionGroup"]["dimensionGroups"]
    assert batch(
        api,
        {"deleteDimensionGroup": {"range": columns_range(0, 2)}},
    ) == [{"deleteDimensionGroup": {}}]
    batch(api, {"deleteNamedRange": {"namedRangeId": nr["namedRangeId"]}})
    assert "namedRanges" not in metadata(api)


def add_named(name: str) -> dict[str, Any]:
    """
    An addNamedRange request naming A1:B2 of Sheet1.
    """
    cells = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "endColumnIndex": 2}
    return {"addNamedRange": {"namedRange": {"name": name, "range": cells}}}


def test_named_range_names_are_unique_ignoring_case_within_a_batch_too(api: SheetsApi) -> None:
    """
    A taken name fails in any case, also when taken earlier in the same batch; a name freed
    by a delete or a rename earlier in the batch is free again, and a rename may keep its name.
    """

    def rename(named_range_id: str, name: str) -> dict[str, Any]:
        named = {"namedRangeId": named_range_id, "name": name}
        return {"updateNamedRange": {"namedRange": named, "fields": "name"}}

    (totals,) = batch(api, add_named("Totals"))
    totals_id = totals["addNamedRange"]["namedRange"]["namedRangeId"]
    assert failing(api, add_named("TOTALS")) == (
        "Invalid requests[0].addNamedRange: Cannot add named range with name: TOTALS, a named "
        "range with that name already exists."
    )
    assert failing(api, add_named("Other"), add_named("a"), add_named("other")) == (
        "Invalid requests[2].addNamedRange: Cannot add named range with name: other, a named "
        "range with that name already exists."
    )
    replies = batch(
        api,
        add_named("Other"),
        {"deleteNamedRange": {"namedRangeId": totals_id}},
        add_named("totals"),
        add_named("Third"),
    )
    other_id = replies[0]["addNamedRange"]["namedRange"]["namedRangeId"]
    assert failing(api, rename(other_id, "THIRD")) == (
        "Invalid requests[0].updateNamedRange: Cannot add named range with name: THIRD, a named "
        "range with that name already exists."
    )
    batch(api, rename(other_id, "OTHER"), rename(other_id, "Fifth"), add_named("other"))
    assert failing(api, add_named("fifth")).endswith(
        "fifth, a named range with that name already exists."
    )
    assert sorted(n["name"] for n in metadata(api)["namedRanges"]) == [
        "Fifth",
        "Third",
        "other",
        "totals",
    ]


def test_merge_copy_cut_paste(api: SheetsApi) -> None:
    """
    mergeCells keeps the top-left value; copyPaste tiles; cutPaste moves and clears the source.
    """

    def grid(r0: int, r1: int, c0: int, c1: int) -> dict[str, Any]:
        return {
            "sheetId": 0,
            "startRowIndex": r0,
            "endRowIndex": r1,
            "startColumnIndex": c0,
            "endColumnIndex": c1,
        }

    batch(
        api,
        {
            "copyPaste": {
                "source": grid(0, 1, 0, 1),
                "destination": grid(5, 7, 0, 2),
                "pasteType": "PASTE_NORMAL",
            }
        },
    )
    assert values(api, "Sheet1!A6:B7") == [["h1", "h1"], ["h1", "h1"]]
    batch(
        api,
        {
            "cutPaste": {
                "source": grid(1, 2, 0, 3),
                "destination": {"sheetId": 0, "rowIndex": 9, "columnIndex": 1},
            }
        },
    )
    assert values(api, "Sheet1!A2:D2") == []
    assert values(api, "Sheet1!B10:D10") == [["b", "2", "x"]]
    batch(api, {"mergeCells": {"range": grid(2, 4, 0, 2), "mergeType": "MERGE_ALL"}})
    assert values(api, "Sheet1!A3:B4") == [["a"]]
    assert metadata(api)["sheets"][0]["merges"] == [
        {"startRowIndex": 2, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 2}
    ]
    # "The range must not partially span any merge" (DD: UnmergeCellsRequest.range)
    assert "partially span" in failing(api, {"unmergeCells": {"range": grid(2, 3, 0, 1)}})
    assert len(metadata(api)["sheets"][0]["merges"]) == 1  # (nothing applied)
    batch(api, {"unmergeCells": {"range": grid(2, 4, 0, 2)}})
    assert "merges" not in metadata(api)["sheets"][0]


def test_find_replace_trim_and_dedupe_reply_counts(api: SheetsApi) -> None:
    """
    findReplace, trimWhitespace and deleteDuplicates reply with counts (zeros omitted).
    """
    api.store.set_values(SID, "Sheet1", "E1", [["  a  b "], ["x"], ["x"], ["y"]])
    (found,) = batch(
        api, {"findReplace": {"find": "x", "replacement": "X", "sheetId": 0, "matchCase": True}}
    )
    assert found == {
        "findReplace": {
            "valuesChanged": 3,
            "occurrencesChanged": 3,
            "rowsChanged": 2,
            "sheetsChanged": 1,
        }
    }
    (trimmed,) = batch(
        api,
        {"trimWhitespace": {"range": {"sheetId": 0, "startColumnIndex": 4, "endColumnIndex": 5}}},
    )
    assert trimmed == {"trimWhitespace": {"cellsChangedCount": 1}}
    (deduped,) = batch(
        api,
        {
            "deleteDuplicates": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 4,
                    "startColumnIndex": 4,
                    "endColumnIndex": 5,
                }
            }
        },
    )
    assert deduped == {"deleteDuplicates": {"duplicatesRemovedCount": 1}}
    assert values(api, "Sheet1!E1:E4") == [["a b"], ["X"], ["y"]]
    assert batch(
        api, {"findReplace": {"find": "nothing", "replacement": "", "allSheets": True}}
    ) == [{"findReplace": {}}]


def test_duplicate_sheet_and_spreadsheet_properties(api: SheetsApi) -> None:
    """
    duplicateSheet replies with the copy's properties; updateSpreadsheetProperties honours its mask.
    """
    (dup,) = batch(api, {"duplicateSheet": {"sourceSheetId": 0, "insertSheetIndex": 0}})
    props = dup["duplicateSheet"]["properties"]
    assert (props["title"], props["index"]) == ("Copy of Sheet1", 0)
    assert values(api, "'Copy of Sheet1'!A1:A2") == [["h1"], ["b"]]
    batch(
        api,
        {
            "updateSpreadsheetProperties": {
                "properties": {"title": "ใหม่", "locale": "th_TH"},
                "fields": "title",
            }
        },
    )
    assert metadata(api)["properties"]["title"] == "ใหม่"
    assert metadata(api)["properties"]["locale"] == "en_US"


def test_data_validation_dropdown_and_checkbox(api: SheetsApi) -> None:
    """
    Recording test_add_validation: a null inputMessage is accepted and the reply is {}.
    """
    rng = {
        "sheetId": 0,
        "startRowIndex": 5,
        "endRowIndex": 6,
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }
    rule = {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": "Yes"}, {"userEnteredValue": "No"}],
        },
        "inputMessage": None,
        "strict": True,
        "showCustomUi": True,
    }
    assert batch(api, {"setDataValidation": {"range": rng, "rule": rule}}) == [{}]
    got = metadata(api, "ranges=Sheet1!A6&fields=sheets.data.rowData.values.dataValidation")
    assert got["sheets"][0]["data"][0]["rowData"][0]["values"][0]["dataValidation"] == {
        k: v for k, v in rule.items() if v is not None
    }
    batch(
        api,
        {
            "setDataValidation": {
                "range": rng,
                "rule": {"condition": {"type": "BOOLEAN", "values": []}},
            }
        },
    )
    got = metadata(api, "ranges=Sheet1!A6&fields=sheets.data.rowData.values.dataValidation")
    assert got["sheets"][0]["data"][0]["rowData"][0]["values"][0]["dataValidation"] == {
        "condition": {"type": "BOOLEAN"}
    }
    batch(api, {"setDataValidation": {"range": rng}})
    assert metadata(api, "ranges=Sheet1!A6&fields=sheets.data.rowData.values.dataValidation") == {
        "sheets": [{"data": [{}]}]
    }
    assert 'google.apps.sheets.v4.ConditionType), "NOPE"' in failing(
        api, {"setDataValidation": {"range": rng, "rule": {"condition": {"type": "NOPE"}}}}
    )


def test_dimension_properties_borders_basic_filter(api: SheetsApi) -> None:
    """
    Hidden rows/pixel sizes show in rowMetadata; borders land in formats; basicFilter round-trips.
    """
    batch(
        api,
        {
            "updateDimensionProperties": {
                "range": rows_range(1, 2),
                "properties": {"hiddenByUser": True, "pixelSize": 40},
                "fields": "hiddenByUser,pixelSize",
            }
        },
        {
            "updateBorders": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "top": {"style": "SOLID"},
            }
        },
        {
            "setBasicFilter": {
                "filter": {
                    "range": {
                        "sheetId": 0,
                        "startRowIndex": 0,
                        "endRowIndex": 4,
                        "startColumnIndex": 0,
                        "endColumnIndex": 3,
                    }
                }
            }
        },
        {"autoResizeDimensions": {"dimensions": columns_range(0, 3)}},
    )
    body = metadata(api, "ranges=Sheet1!A1:A2&includeGridData=true")
    data = body["sheets"][0]["data"][0]
    assert data["rowMetadata"] == [{"pixelSize": 21}, {"pixelSize": 40, "hiddenByUser": True}]
    assert data["rowData"][0]["values"][0]["userEnteredFormat"] == {
        "borders": {"top": {"style": "SOLID"}}
    }
    assert body["sheets"][0]["basicFilter"] == {
        "range": {"startRowIndex": 0, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 3}
    }
    batch(api, {"clearBasicFilter": {"sheetId": 0}})
    assert "basicFilter" not in metadata(api)["sheets"][0]


def test_updating_sheet_index_counts_before_the_move() -> None:
    """
    Moving S1 ahead of S2 in (S1, S2, S3) takes index 2, per the SheetProperties reference.
    """
    store = Store()
    book = store.create_spreadsheet("order", spreadsheet_id="o", sheets=("S1", "S2", "S3"))
    body = {
        "requests": [
            {"updateSheetProperties": {"properties": {"sheetId": 0, "index": 2}, "fields": "index"}}
        ]
    }
    assert SheetsApi(store).call("POST", "/v4/spreadsheets/o:batchUpdate", body).status == 200
    assert [s.title for s in store.get("o").sheets] == ["S2", "S1", "S3"]
    assert book is store.get("o")


def test_insert_and_delete_range_shift_a_band(api: SheetsApi) -> None:
    """
    insertRange/deleteRange shift only the cells of the range's columns (or rows).
    """
    band = {
        "sheetId": 0,
        "startRowIndex": 1,
        "endRowIndex": 2,
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }
    batch(api, {"insertRange": {"range": band, "shiftDimension": "ROWS"}})
    assert values(api, "Sheet1!A1:C5") == [
        ["h1", "h2", "h3"],
        ["", "2", "x"],
        ["b", "1", "y"],
        ["a", "3", "z"],
        ["c"],
    ]
    assert metadata(api)["sheets"][0]["properties"]["gridProperties"]["rowCount"] == 1001
    batch(api, {"deleteRange": {"range": band, "shiftDimension": "ROWS"}})
    assert values(api, "Sheet1!A1:C5") == [
        ["h1", "h2", "h3"],
        ["b", "2", "x"],
        ["a", "1", "y"],
        ["c", "3", "z"],
    ]
    batch(api, {"insertRange": {"range": band, "shiftDimension": "COLUMNS"}})
    assert values(api, "Sheet1!A2:D2") == [["", "b", "2", "x"]]
    batch(
        api, {"deleteRange": {"range": {**band, "endColumnIndex": 2}, "shiftDimension": "COLUMNS"}}
    )
    assert values(api, "Sheet1!A2:D2") == [["2", "x"]]


@pytest.mark.parametrize(
    "request_",
    [
        {"addSheet": "not an object"},
        {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": "x"}}},
        {"updateCells": {"range": {"sheetId": 0}, "fields": "note", "rows": "nope"}},
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "DIAGONAL", "startIndex": 0, "endIndex": 1}
            }
        },
    ],
)
def test_malformed_requests_are_400_not_500(api: SheetsApi, request_: dict[str, Any]) -> None:
    """
    Wrong JSON types fail the batch with INVALID_ARGUMENT and change nothing: refused by the
    schema with the proto field's path, and by the handler when the schema check is off.
    """
    (name,) = request_
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    assert f"'requests[0].{snake}" in failing(api, request_)
    unchecked = SheetsApi(api.store, validate_schema=False)
    assert failing(unchecked, request_).startswith(f"Invalid requests[0].{name}: ")


def test_an_insert_must_bound_both_ends_and_a_sheet_id_is_never_negative(api: SheetsApi) -> None:
    """
    An insertDimension range without its end (or start) is refused, not stretched to the end
    of the grid ("Both the start and end indexes must be bounded"), and an addSheet with a
    negative sheetId is told so, not that such a sheet exists ("Must be non-negative").
    """
    rows = metadata(api)["sheets"][0]["properties"]["gridProperties"]["rowCount"]
    for open_range in ({"startIndex": 2}, {"endIndex": 3}):
        span = {"sheetId": 0, "dimension": "ROWS", **open_range}
        assert "startIndex and an endIndex" in failing(api, {"insertDimension": {"range": span}})
    assert metadata(api)["sheets"][0]["properties"]["gridProperties"]["rowCount"] == rows
    message = failing(api, {"addSheet": {"properties": {"sheetId": -3, "title": "x"}}})
    assert "must not be negative" in message and "already exists" not in message


def test_a_named_range_whose_cells_are_deleted_keeps_its_name_unlisted(api: SheetsApi) -> None:
    """
    As on Google (gspread issue 1530): deleting every cell of a named range (its columns, or
    its sheet) leaves the name pointing at #REF!; the API no longer lists it, and adding a
    named range of that name again is refused with Google's words. Another name is free, and
    the state file keeps what is taken.
    """
    batch(api, add_named("Totals"), add_named("Kept"))
    columns = columns_range(0, 2)
    batch(api, {"deleteDimension": {"range": columns}}, add_named("Kept2"))
    assert sorted(n["name"] for n in metadata(api).get("namedRanges", [])) == ["Kept2"]
    assert failing(api, add_named("totals")) == (
        "Invalid requests[0].addNamedRange: Cannot add named range with name: totals, a named "
        "range with that name already exists."
    )
    batch(api, add_named("Totals_2"))
    copy = SheetsApi(Store.from_json(api.store.to_json()))
    assert "already exists" in failing(copy, add_named("Kept"))


def test_conditional_format_rule_update_replies_leave_out_what_google_does(
    api: SheetsApi,
) -> None:
    """
    UpdateConditionalFormatRuleResponse (DD): oldIndex is "Not set if a rule was replaced",
    oldRule "Not set if a rule was moved".
    """
    rng = {"sheetId": 0, "startRowIndex": 1, "endColumnIndex": 2}

    def rule(kind: str) -> dict[str, Any]:
        return {"ranges": [rng], "booleanRule": {"condition": {"type": kind}, "format": {}}}

    batch(
        api,
        {"addConditionalFormatRule": {"index": 0, "rule": rule("BLANK")}},
        {"addConditionalFormatRule": {"index": 1, "rule": rule("NOT_BLANK")}},
    )
    (replaced,) = batch(
        api, {"updateConditionalFormatRule": {"index": 1, "sheetId": 0, "rule": rule("BLANK")}}
    )
    reply = replaced["updateConditionalFormatRule"]
    assert set(reply) == {"oldRule", "newRule", "newIndex"}
    kinds = [reply[k]["booleanRule"]["condition"]["type"] for k in ("oldRule", "newRule")]
    assert (kinds, reply["newIndex"]) == (["NOT_BLANK", "BLANK"], 1)
    (moved,) = batch(
        api, {"updateConditionalFormatRule": {"index": 1, "sheetId": 0, "newIndex": 0}}
    )
    reply = moved["updateConditionalFormatRule"]
    assert set(reply) == {"newRule", "oldIndex"}
    assert (reply["newRule"]["booleanRule"]["condition"]["type"], reply["oldIndex"]) == (
        "BLANK",
        1,
    )


def test_a_warning_only_protection_ignores_its_editors(api: SheetsApi) -> None:
    """ProtectedRange.warningOnly (DD): "if this field is true, then editors are ignored"."""
    (reply,) = batch(
        api,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": 0, "endRowIndex": 1},
                    "warningOnly": True,
                    "editors": {"users": ["someone@example.com"]},
                }
            }
        },
    )
    protected = reply["addProtectedRange"]["protectedRange"]
    assert protected["warningOnly"] is True and protected["editors"] == {}


def test_a_cut_takes_all_the_source_whatever_is_pasted(api: SheetsApi) -> None:
    """CutPasteRequest.pasteType (DD): "All the source data will be cut, regardless of what is
    pasted": pasting the format only still empties the source's values."""
    batch(
        api,
        {
            "cutPaste": {
                "source": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2, "endColumnIndex": 3},
                "destination": {"sheetId": 0, "rowIndex": 6, "columnIndex": 0},
                "pasteType": "PASTE_FORMAT",
            }
        },
    )
    assert values(api) == [["h1", "h2", "h3"], [], ["a", "1", "y"], ["c", "3", "z"]]


def test_a_sheet_duplicated_twice_without_a_name_gets_a_new_name_each_time(
    api: SheetsApi,
) -> None:
    """DuplicateSheetRequest.newSheetName (DD): "If empty, a new name is chosen for you"."""
    titles = []
    for _ in range(3):
        (reply,) = batch(api, {"duplicateSheet": {"sourceSheetId": 0}})
        titles.append(reply["duplicateSheet"]["properties"]["title"])
    assert titles == ["Copy of Sheet1", "Copy 2 of Sheet1", "Copy 3 of Sheet1"]


def test_a_request_range_starting_past_the_grid_is_refused(api: SheetsApi) -> None:
    """
    As Google answers a repeatCell on rows 1001- of a 1000-row sheet: "Invalid
    requests[0].repeatCell: Range (…) exceeds grid limits. Max rows: 1000, max columns: 26",
    naming the cells asked for; an end past the grid is clamped.
    """
    past = {"sheetId": 0, "startRowIndex": 1000, "endRowIndex": 1001, "endColumnIndex": 2}
    cell = {"userEnteredFormat": {"textFormat": {"bold": True}}}
    fields = "userEnteredFormat.textFormat.bold"
    message = failing(api, {"repeatCell": {"range": past, "cell": cell, "fields": fields}})
    assert message == (
        "Invalid requests[0].repeatCell: Range (Sheet1!A1001:B1001) exceeds grid limits. "
        "Max rows: 1000, max columns: 26"
    )
    inside = {**past, "startRowIndex": 999, "endRowIndex": 5000}
    assert batch(api, {"repeatCell": {"range": inside, "cell": cell, "fields": fields}}) == [{}]


def test_a_chart_on_sheet_0_written_without_its_sheet_id_follows_inserted_rows(
    api: SheetsApi,
) -> None:
    """
    A GridRange on sheet 0 leaves its sheetId out (proto3; Google writes it so): a chart whose
    sources and anchor say no sheetId still move with two rows inserted above them.
    """

    def src(col: int) -> dict[str, Any]:
        return {
            "sourceRange": {
                "sources": [
                    {
                        "startRowIndex": 0,
                        "endRowIndex": 4,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    }
                ]
            }
        }

    chart = {
        "spec": {
            "basicChart": {
                "chartType": "COLUMN",
                "domains": [{"domain": src(0)}],
                "series": [{"series": src(1)}],
            }
        },
        "position": {"overlayPosition": {"anchorCell": {"rowIndex": 1, "columnIndex": 4}}},
    }
    batch(api, {"addChart": {"chart": chart}})
    batch(
        api,
        {"insertDimension": {"range": rows_range(0, 2)}},
    )
    (stored,) = metadata(api)["sheets"][0]["charts"]
    domain = stored["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert (domain.get("startRowIndex"), domain.get("endRowIndex")) == (2, 6)
    anchor = stored["position"]["overlayPosition"]["anchorCell"]
    assert anchor.get("rowIndex") == 3


def test_repeat_cell_moves_a_formulas_relative_references_with_each_cell(api: SheetsApi) -> None:
    """
    RepeatCellRequest (DD): "writing a cell with formula =A1 into range B2:C4, B2 would be
    =A1, B3 would be =A2, B4 would be =A3, C2 would be =B1, C3 would be =B2, C4 would be
    =B3"; `$` parts stay, text in quotes is text.
    """
    for formula, expected in (
        ("=A1", [["=A1", "=B1"], ["=A2", "=B2"], ["=A3", "=B3"]]),
        ('=$A1&"A1"', [['=$A1&"A1"'] * 2, ['=$A2&"A1"'] * 2, ['=$A3&"A1"'] * 2]),
    ):
        batch(
            api,
            {
                "repeatCell": {
                    "range": {
                        "sheetId": 0,
                        "startRowIndex": 1,
                        "endRowIndex": 4,
                        "startColumnIndex": 1,
                        "endColumnIndex": 3,
                    },
                    "cell": {"userEnteredValue": {"formulaValue": formula}},
                    "fields": "userEnteredValue",
                }
            },
        )
        got = api.call(
            "GET", f"{BASE}/values/{quote('Sheet1!B2:C4', safe='')}?valueRenderOption=FORMULA"
        ).body["values"]
        assert got == expected


def test_a_paste_of_everything_carries_the_merges_and_a_cut_moves_them(api: SheetsApi) -> None:
    """
    PASTE_NORMAL is "values, formulas, formats, and merges" (DD PasteType): A1:B1 merged and
    copied to A6 is merged there too; cut to A8, the merge leaves A6 for A8; a values-only
    paste carries none.
    """
    merged = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "endColumnIndex": 2}
    batch(api, {"mergeCells": {"range": merged, "mergeType": "MERGE_ALL"}})
    source = {**merged, "startColumnIndex": 0}

    def at(row: int) -> dict[str, Any]:
        return {"sheetId": 0, "startRowIndex": row, "endRowIndex": row + 1, "endColumnIndex": 2}

    batch(api, {"copyPaste": {"source": source, "destination": at(5)}})
    batch(
        api,
        {"copyPaste": {"source": source, "destination": at(6), "pasteType": "PASTE_VALUES"}},
    )
    batch(
        api,
        {"cutPaste": {"source": at(5), "destination": {"sheetId": 0, "rowIndex": 7}}},
    )
    merges = metadata(api)["sheets"][0]["merges"]
    width = {"startColumnIndex": 0, "endColumnIndex": 2}
    assert sorted(merges, key=lambda m: m.get("startRowIndex", 0)) == [
        {"startRowIndex": 0, "endRowIndex": 1, **width},
        {"startRowIndex": 7, "endRowIndex": 8, **width},
    ]


def test_a_cut_with_no_merges_clears_the_destinations_merges(api: SheetsApi) -> None:
    """
    A cutPaste of PASTE_NORMAL pastes the source's merges, none here: the destination's own
    merge there goes, as in a copyPaste; a values-only cut leaves it.
    """
    for row in (4, 6):
        area = {"sheetId": 0, "startRowIndex": row, "endRowIndex": row + 1}
        merged = {**area, "startColumnIndex": 0, "endColumnIndex": 2}
        batch(api, {"mergeCells": {"range": merged, "mergeType": "MERGE_ALL"}})
    source = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2, "endColumnIndex": 2}
    batch(api, {"cutPaste": {"source": source, "destination": {"sheetId": 0, "rowIndex": 4}}})
    batch(
        api,
        {
            "cutPaste": {
                "source": {**source, "startRowIndex": 2, "endRowIndex": 3},
                "destination": {"sheetId": 0, "rowIndex": 6},
                "pasteType": "PASTE_VALUES",
            }
        },
    )
    assert metadata(api)["sheets"][0]["merges"] == [
        {"startRowIndex": 6, "endRowIndex": 7, "startColumnIndex": 0, "endColumnIndex": 2}
    ]


def test_a_charts_filter_column_is_no_cell_and_stays_when_columns_move(api: SheetsApi) -> None:
    """
    A chart's `filterSpecs[].columnIndex` counts within its data, with no sheetId: a column
    inserted on sheet 0 moves the chart's sources there, not its filter's column.
    """
    source = {"startRowIndex": 0, "endRowIndex": 4, "startColumnIndex": 1, "endColumnIndex": 2}
    spec = {
        "basicChart": {
            "chartType": "COLUMN",
            "domains": [{"domain": {"sourceRange": {"sources": [source]}}}],
        },
        "filterSpecs": [{"columnIndex": 1, "filterCriteria": {"hiddenValues": ["x"]}}],
    }
    batch(api, {"addChart": {"chart": {"spec": spec}}})
    batch(
        api,
        {"insertDimension": {"range": columns_range(0, 1)}},
    )
    (stored,) = metadata(api)["sheets"][0]["charts"]
    domain = stored["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert (domain["startColumnIndex"], stored["spec"]["filterSpecs"][0]["columnIndex"]) == (2, 1)
