"""
The real gspread 6.2.1 client against the emulator over HTTP: reading, writing, A1 edge cases,
render/input options and the exceptions gspread raises for Google's errors.
"""

from __future__ import annotations

import gspread
import pytest
from gspread.utils import ValueInputOption, ValueRenderOption


@pytest.fixture
def sheet(gc: gspread.Client, spreadsheet_id: str) -> gspread.Worksheet:
    """
    Sheet1 of the fixture spreadsheet, opened through gspread.
    """
    return gc.open_by_key(spreadsheet_id).sheet1


@pytest.fixture
def thai(gc: gspread.Client, spreadsheet_id: str) -> gspread.Worksheet:
    """
    The tab titled ศก.1 (Thai with a dot), opened through gspread.
    """
    return gc.open_by_key(spreadsheet_id).worksheet("ศก.1")


def test_open_by_key_and_worksheets(gc: gspread.Client, spreadsheet_id: str) -> None:
    """
    open_by_key reads title/locale/timeZone; worksheets() lists tabs in index order.
    """
    book = gc.open_by_key(spreadsheet_id)
    assert book.title == "โครงการทดสอบ"
    assert (book.locale, book.timezone) == ("en_US", "Asia/Bangkok")
    assert [ws.title for ws in book.worksheets()] == ["Sheet1", "ศก.1"]
    assert (book.sheet1.id, book.sheet1.row_count, book.sheet1.col_count) == (0, 1000, 26)


def test_update_and_get_all_values_with_trimming(sheet: gspread.Worksheet) -> None:
    """
    Recording test_get_all_values: gspread pads the trimmed response back to a rectangle.
    """
    result = sheet.update([["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]], "A1")
    assert (result["updatedRange"], result["updatedCells"]) == ("Sheet1!A1:D4", 10)
    assert sheet.get_all_values() == [
        ["A1", "B1", "", "D1"],
        ["", "b2", "", ""],
        ["", "", "", ""],
        ["A4", "B4", "", "D4"],
    ]
    raw = sheet.get("A1:D4")
    assert raw.range == "Sheet1!A1:D4" and list(raw) == [
        ["A1", "B1", "", "D1"],
        ["", "b2"],
        [],
        ["A4", "B4", "", "D4"],
    ]
    assert sheet.get("E1:F2") == [[]]
    assert sheet.row_values(4) == ["A4", "B4", "", "D4"]
    assert sheet.col_values(2) == ["B1", "b2", "", "B4"]
    assert sheet.acell("D4").value == "D4"
    assert [c.value for c in sheet.range("A1:B1")] == ["A1", "B1"]


def test_thai_titles_and_open_ended_ranges(thai: gspread.Worksheet) -> None:
    """
    A Thai title with a dot is quoted in echoes; 'ศก.1'!A4:AT clamps to the grid.
    """
    thai.update([["ก", "ข"], ["ค"]], "A4")
    got = thai.get("A4:AT")
    assert got.range == "'ศก.1'!A4:Z1000"
    assert list(got) == [["ก", "ข"], ["ค"]]
    assert thai.batch_get(["A4", "B4:B"])[1].range == "'ศก.1'!B4:B1000"


def test_quotes_inside_titles(gc: gspread.Client, spreadsheet_id: str) -> None:
    """
    gspread doubles an embedded quote; the emulator accepts it and echoes it doubled.
    """
    ws = gc.open_by_key(spreadsheet_id).add_worksheet("Jon's Data", 5, 5)
    ws.update([["x"]], "B2")
    assert ws.get("B2").range == "'Jon''s Data'!B2"
    assert ws.get_all_values() == [["", ""], ["", "x"]]


def test_render_and_input_options(sheet: gspread.Worksheet) -> None:
    """
    Recording test_get_all_values_date_time_render_options via gspread's own options.
    """
    sheet.update(
        [["=4/2", "2020-01-01", "string", 53], ["=3/2", 0.12, "1999-01-02", ""]],
        "A1",
        value_input_option=ValueInputOption.user_entered,
    )
    assert sheet.get_all_values() == [
        ["2", "2020-01-01", "string", "53"],
        ["1.5", "0.12", "1999-01-02", ""],
    ]
    assert sheet.get_values(value_render_option=ValueRenderOption.unformatted) == [
        [2, 43831, "string", 53],
        [1.5, 0.12, 36162, ""],
    ]
    assert sheet.get("A1:B1", value_render_option=ValueRenderOption.formula) == [["=4/2", 43831]]
    sheet.update([["=1+2"]], "E1")  # gspread's default is RAW: stays text
    assert sheet.acell("E1").value == "=1+2"


def test_update_cell_is_user_entered(sheet: gspread.Worksheet) -> None:
    """
    update_cell/update_acell always send USER_ENTERED, so formulas and numbers are parsed.
    """
    sheet.update_cell(1, 1, "=2*21")
    sheet.update_acell("B1", "TRUE")
    assert sheet.get("A1:B1", value_render_option=ValueRenderOption.unformatted) == [[42, True]]
    assert sheet.cell(1, 1, value_render_option=ValueRenderOption.formula).value == "=2*21"


def test_update_cells_and_batch_update(sheet: gspread.Worksheet) -> None:
    """
    update_cells sends nulls for untouched cells; batch_update prefixes ranges with the title.
    """
    cells = sheet.range("A1:C1")
    cells[0].value, cells[2].value = "a", "c"
    sheet.update_cells([cells[0], cells[2]])
    result = sheet.batch_update(
        [{"range": "A2", "values": [["x", "y"]]}, {"range": "A4:B4", "values": [[1, 2]]}]
    )
    assert result["totalUpdatedCells"] == 4
    assert sheet.get_all_values()[:4] == [
        ["a", "", "c"],
        ["x", "y", ""],
        ["", "", ""],
        ["1", "2", ""],
    ]


def test_append_insert_delete_rows(sheet: gspread.Worksheet) -> None:
    """
    append_rows continues the table; insert_rows pushes rows down; delete_rows removes them.
    """
    sheet.append_rows([["h1", "h2"], ["a", 1]])
    sheet.append_row(["b", 2])
    sheet.insert_rows([["inserted", 0]], row=2)
    assert sheet.get_all_values() == [["h1", "h2"], ["inserted", "0"], ["a", "1"], ["b", "2"]]
    sheet.delete_rows(2, 3)
    assert sheet.get_all_values() == [["h1", "h2"], ["b", "2"]]
    assert sheet.spreadsheet.worksheet("Sheet1").row_count == 999


def test_append_with_gap_reproduces_gspread_issue_537(sheet: gspread.Worksheet) -> None:
    """
    Recording test_append_row_with_empty_value: the table is the block after the gap.
    """
    sheet.update([["x", "", "z"]], "A1")
    sheet.append_row(["1", "2", "3"])
    assert sheet.get("C2:E2") == [["1", "2", "3"]]
    sheet.append_row(["4", "5", "6"], table_range="A1")
    assert sheet.get("A2:C2") == [["4", "5", "6"]]


def test_clear_and_batch_clear(sheet: gspread.Worksheet) -> None:
    """
    batch_clear clears listed ranges; clear() empties the whole tab.
    """
    sheet.update([["a", "b"], ["c", "d"]], "A1")
    sheet.batch_clear(["A1", "B2"])
    assert sheet.get_all_values() == [["", "b"], ["c", ""]]
    sheet.clear()
    assert sheet.get_all_values() == [[]]


def test_errors_become_gspread_exceptions(gc: gspread.Client, sheet: gspread.Worksheet) -> None:
    """
    404 → SpreadsheetNotFound; bad ranges/writes → APIError 400 with Google's message.
    """
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key("nope")
    with pytest.raises(gspread.exceptions.APIError) as info:
        sheet.get("AA1:AB5")
    assert info.value.code == 400
    assert info.value.error["message"] == (
        "Range (Sheet1!AA1:AB5) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    with pytest.raises(gspread.exceptions.APIError) as info:
        sheet.spreadsheet.values_get("'Nope'!A1")
    assert info.value.error == {
        "code": 400,
        "message": "Unable to parse range: 'Nope'!A1",
        "status": "INVALID_ARGUMENT",
    }
    with pytest.raises(gspread.exceptions.APIError, match="exceeds grid limits"):
        sheet.update([[1], [2]], "A1000")


def test_columns_insert_delete_hide_and_autoresize(sheet: gspread.Worksheet) -> None:
    """
    insert_cols/delete_columns/hide_columns/columns_auto_resize, and COLUMNS-major writes.
    """
    sheet.update([["a", "b"], ["c", "d"]], "A1")
    sheet.insert_cols([["x", "y"]], col=2)
    assert sheet.get_all_values() == [["a", "x", "b"], ["c", "y", "d"]]
    sheet.update([["p", "q"]], "E1", major_dimension="COLUMNS")
    assert sheet.get("E1:E2") == [["p"], ["q"]]
    sheet.delete_columns(1)
    assert sheet.row_values(1) == ["x", "b", "", "p"]
    sheet.hide_columns(0, 1)
    sheet.columns_auto_resize(0, 3)
    sheet.hide_gridlines()
    sheet.update_index(2)  # "before the move" index: 2 puts it after ศก.1
    meta = sheet.spreadsheet.fetch_sheet_metadata({"fields": "sheets.properties"})
    assert meta["sheets"][1]["properties"]["title"] == "Sheet1"
    assert meta["sheets"][1]["properties"]["gridProperties"]["hideGridlines"] is True
