"""
The real gspread 6.2.1 client against the emulator: structural edits (spreadsheets:batchUpdate),
Drive-backed client calls, atomicity, and developer metadata across row edits.
"""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from gspread.utils import PasteType, ValidationConditionType

from sheets_emulator.http.server import EmulatorHandle


@pytest.fixture
def book(gc: gspread.Client, spreadsheet_id: str) -> gspread.Spreadsheet:
    """
    The fixture spreadsheet opened through gspread, with a small table on Sheet1.
    """
    spreadsheet = gc.open_by_key(spreadsheet_id)
    spreadsheet.sheet1.update([["name", "n"], ["b", 2], ["a", 1], ["c", 3]], "A1")
    return spreadsheet


def test_add_resize_rename_colour_hide_delete_worksheet(book: gspread.Spreadsheet) -> None:
    """
    Recording test_add_del_worksheet for the addSheet reply; the rest round-trips via metadata.
    """
    ws = book.add_worksheet("ผลลัพธ์", rows=10, cols=5)
    assert (ws.row_count, ws.col_count, ws.index) == (10, 5, 2)
    ws.resize(rows=20, cols=3)
    ws.update_title("Results")
    ws.update_tab_color("#ff8000")
    ws.freeze(rows=1, cols=1)
    ws.hide()
    props = next(
        s for s in book.fetch_sheet_metadata()["sheets"] if s["properties"]["sheetId"] == ws.id
    )["properties"]
    assert props["title"] == "Results"
    assert props["gridProperties"] == {
        "rowCount": 20,
        "columnCount": 3,
        "frozenRowCount": 1,
        "frozenColumnCount": 1,
    }
    assert props["hidden"] is True
    assert props["tabColorStyle"]["rgbColor"]["red"] == 1
    ws.show()
    book.del_worksheet(ws)
    assert [w.title for w in book.worksheets()] == ["Sheet1", "ศก.1"]


def test_sort_by_column(book: gspread.Spreadsheet) -> None:
    """
    Worksheet.sort sends sortRange over the cached grid size (clamped server-side).
    """
    ws = book.sheet1
    ws.sort((2, "des"), range="A2:B4")
    assert ws.get_all_values() == [["name", "n"], ["c", "3"], ["b", "2"], ["a", "1"]]
    ws.sort((1, "asc"), range="A2:B4")
    assert ws.col_values(1) == ["name", "a", "b", "c"]


def test_format_notes_validation_protection(book: gspread.Spreadsheet) -> None:
    """
    format → repeatCell; update_notes/get_notes → updateCells and the fields-mask read;
    add_validation → setDataValidation; add_protected_range → addProtectedRange.
    """
    ws = book.sheet1
    ws.format(
        "A1:B1",
        {"textFormat": {"bold": True}, "backgroundColor": {"red": 1, "green": 0.9, "blue": 0.9}},
    )
    ws.update_notes({"A1": "read my note", "B2": "Or don't"})
    assert ws.get_notes() == [["read my note"], ["", "Or don't"]]
    assert ws.get_note("A1") == "read my note"
    ws.clear_note("A1")
    assert ws.get_note("A1") == ""
    ws.add_validation(
        "C2:C4", ValidationConditionType.one_of_list, ["Yes", "No"], showCustomUi=True, strict=True
    )
    reply = ws.add_protected_range(
        "A1:B1", editor_users_emails=["me@example.com"], description="header"
    )
    pr = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    assert pr["requestingUserCanEdit"] is True and isinstance(pr["protectedRangeId"], int)
    assert [p["description"] for p in book.list_protected_ranges(ws.id)] == ["header"]
    ws.delete_protected_range(pr["protectedRangeId"])
    fmt = book.fetch_sheet_metadata(
        {"ranges": "Sheet1!A1", "fields": "sheets.data.rowData.values.userEnteredFormat"}
    )
    cell = fmt["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert cell["textFormat"]["bold"] is True and "backgroundColorStyle" in cell


def test_merge_filter_groups_named_ranges(book: gspread.Spreadsheet) -> None:
    """
    merge_cells, set_basic_filter, add_dimension_group_rows and define_named_range round-trip.
    """
    ws = book.sheet1
    ws.merge_cells("D1:E2")
    ws.set_basic_filter("A1:B4")
    ws.add_dimension_group_rows(2, 4)
    ws.define_named_range("A1:B2", "Header")
    sheet = book.fetch_sheet_metadata()["sheets"][0]
    assert sheet["merges"] == [
        {"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 3, "endColumnIndex": 5}
    ]
    assert sheet["basicFilter"]["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 4,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    assert ws.list_dimension_group_rows() == [
        {"range": {"dimension": "ROWS", "startIndex": 2, "endIndex": 4}, "depth": 1}
    ]
    assert [n["name"] for n in book.list_named_ranges()] == ["Header"]
    assert ws.get("Header") == [["name", "n"], ["b", "2"]]
    ws.unmerge_cells("D1:E2")
    ws.clear_basic_filter()
    ws.delete_dimension_group_rows(2, 4)
    ws.delete_named_range(book.list_named_ranges()[0]["namedRangeId"])
    sheet = book.fetch_sheet_metadata()["sheets"][0]
    assert set(sheet) == {"properties"}


def test_copy_and_cut_range(book: gspread.Spreadsheet) -> None:
    """
    copy_range/cut_range map to copyPaste/cutPaste.
    """
    ws = book.sheet1
    ws.copy_range("A1:B2", "D1", paste_type=PasteType.normal)
    assert ws.get("D1:E2") == [["name", "n"], ["b", "2"]]
    ws.cut_range("D1:E2", "G5")
    assert ws.get("D1:E2") == [[]]
    assert ws.get("G5:H6") == [["name", "n"], ["b", "2"]]


def test_client_create_open_openall_delete(gc: gspread.Client) -> None:
    """
    Client.create → Drive create + open_by_key; open(title)/openall go through Drive's files.list.
    """
    created = gc.create("รายงาน")
    assert created.sheet1.title == "Sheet1"
    assert gc.open("รายงาน").id == created.id
    assert created.id in [s.id for s in gc.openall()]
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open("missing")
    gc.del_spreadsheet(created.id)
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key(created.id)


def test_a_batch_with_one_bad_request_changes_nothing(book: gspread.Spreadsheet) -> None:
    """
    spreadsheets.batchUpdate is atomic: the error names the failing request; nothing applies.
    """
    before = book.fetch_sheet_metadata({"includeGridData": "true"})
    with pytest.raises(gspread.exceptions.APIError) as info:
        book.batch_update(
            {
                "requests": [
                    {"addSheet": {"properties": {"title": "never"}}},
                    {
                        "insertDimension": {
                            "range": {
                                "sheetId": 0,
                                "dimension": "ROWS",
                                "startIndex": 0,
                                "endIndex": 3,
                            }
                        }
                    },
                    {
                        "updateSheetProperties": {
                            "properties": {"sheetId": 0, "hidden": True},
                            "fields": "hidden",
                        }
                    },
                    {"deleteSheet": {"sheetId": book.worksheet("ศก.1").id}},
                    {
                        "deleteDimension": {
                            "range": {
                                "sheetId": 0,
                                "dimension": "ROWS",
                                "startIndex": 0,
                                "endIndex": 2000,
                            }
                        }
                    },
                ]
            }
        )
    assert info.value.code == 400
    assert info.value.error["message"] == (
        "Invalid requests[4].deleteDimension: You can't delete all the rows on the sheet."
    )
    assert book.fetch_sheet_metadata({"includeGridData": "true"}) == before


def _tag(book: gspread.Spreadsheet, row_index: int, key: str) -> None:
    book.batch_update(
        {
            "requests": [
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "rowKey",
                            "metadataValue": key,
                            "visibility": "DOCUMENT",
                            "location": {
                                "dimensionRange": {
                                    "sheetId": 0,
                                    "dimension": "ROWS",
                                    "startIndex": row_index,
                                    "endIndex": row_index + 1,
                                }
                            },
                        }
                    }
                }
            ]
        }
    )


def _row_by_key(gc: gspread.Client, book: gspread.Spreadsheet, key: str) -> list[tuple[str, Any]]:
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{book.id}/values:batchGetByDataFilter"
    body = {
        "dataFilters": [
            {"developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": key}}
        ]
    }
    found = gc.http_client.request("post", url, json=body).json().get("valueRanges", [])
    return [(r["valueRange"]["range"], r["valueRange"].get("values")) for r in found]


def test_row_metadata_through_insert_delete_move_and_sort(
    gc: gspread.Client, book: gspread.Spreadsheet
) -> None:
    """
    Metadata follows its row on insert_rows/delete_rows/moveDimension; on sort it stays with the
    row position (the emulator's documented choice; Google documents nothing for sorting).
    """
    ws = book.sheet1
    _tag(book, 1, "row-b")
    ws.insert_rows([["new", 0]], row=2)
    assert _row_by_key(gc, book, "row-b") == [("Sheet1!A3:Z3", [["b", "2"]])]
    book.batch_update(
        {
            "requests": [
                {
                    "moveDimension": {
                        "source": {
                            "sheetId": 0,
                            "dimension": "ROWS",
                            "startIndex": 2,
                            "endIndex": 3,
                        },
                        "destinationIndex": 5,
                    }
                }
            ]
        }
    )
    assert _row_by_key(gc, book, "row-b") == [("Sheet1!A5:Z5", [["b", "2"]])]
    ws.sort((1, "asc"), range="A2:B5")
    assert ws.col_values(1) == ["name", "a", "b", "c", "new"]
    assert _row_by_key(gc, book, "row-b") == [("Sheet1!A5:Z5", [["new", "0"]])]
    ws.delete_rows(5)
    assert _row_by_key(gc, book, "row-b") == []


def test_update_by_data_filter_via_gspread_http_client(
    gc: gspread.Client, book: gspread.Spreadsheet
) -> None:
    """
    values:batchUpdateByDataFilter writes to the row the metadata is on now.
    """
    _tag(book, 3, "row-c")
    book.sheet1.delete_rows(2)
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{book.id}/values:batchUpdateByDataFilter"
    body = {
        "valueInputOption": "USER_ENTERED",
        "data": [
            {
                "dataFilter": {
                    "developerMetadataLookup": {"metadataKey": "rowKey", "metadataValue": "row-c"}
                },
                "values": [["c", "=30+3"]],
            }
        ],
    }
    result = gc.http_client.request("post", url, json=body).json()
    assert result["responses"][0]["updatedRange"] == "Sheet1!A3:B3"
    assert book.sheet1.row_values(3) == ["c", "33"]


def test_store_edits_are_seen_by_gspread(
    emulator: EmulatorHandle, book: gspread.Spreadsheet
) -> None:
    """
    A person typing through the store API is visible to the next gspread read.
    """
    emulator.store.set_values(book.id, "ศก.1", "B2", [["12%", "2020-01-01"]])
    assert book.worksheet("ศก.1").get("B2:C2") == [["12%", "2020-01-01"]]


def test_reorder_duplicate_and_copy_to(gc: gspread.Client, book: gspread.Spreadsheet) -> None:
    """
    reorder_worksheets (index "before the move"), duplicate_sheet and Worksheet.copy_to.
    """
    third = book.add_worksheet("third", 5, 5)
    first, thai = book.sheet1, book.worksheet("ศก.1")
    book.reorder_worksheets([third, first, thai])
    assert [w.title for w in book.worksheets()] == ["third", "Sheet1", "ศก.1"]
    book.duplicate_sheet(first.id, insert_sheet_index=0, new_sheet_name="dup")
    assert book.worksheet("dup").get_all_values() == first.get_all_values()
    other = gc.create("other")
    props = first.copy_to(other.id)
    assert props["title"] == "Copy of Sheet1"
    assert other.worksheet("Copy of Sheet1").get("A1:B2") == [["name", "n"], ["b", "2"]]


def test_share_list_permissions_and_copy(gc: gspread.Client, book: gspread.Spreadsheet) -> None:
    """
    Drive permissions map onto the ACL; Client.copy (with comments) duplicates the file.
    """
    assert [p["type"] for p in book.list_permissions()] == ["anyone"]
    copied = gc.copy(book.id, title="สำเนา", copy_comments=True)
    assert copied.title == "สำเนา"
    assert copied.sheet1.get("A1:B1") == [["name", "n"]]
    assert (
        gc.http_client.request(
            "get",
            f"https://www.googleapis.com/drive/v3/files/{book.id}",
            params={"fields": "id,modifiedTime"},
        ).json()["id"]
        == book.id
    )
