"""
Spreadsheets to and from .xlsx: what a rehearsal starts from and what a person opens afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import gspread
import openpyxl
import pytest
import requests
from gspread.utils import ValidationConditionType, ValueInputOption

from sheets_emulator.files.xlsx import (
    export_bytes,
    export_xlsx,
    import_bytes,
    import_xlsx,
    recorded_id,
)
from sheets_emulator.http.server import EmulatorHandle
from sheets_emulator.model.errors import UnusableFile
from sheets_emulator.model.store import CellValue, FormattedNumber, Formula, Spreadsheet, Store

PINK = {"red": 1, "green": 0.8, "blue": 0.8}
LATE_RULE: dict[str, Any] = {
    "ranges": [{"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 5}],
    "booleanRule": {
        "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": '=$E2="late"'}]},
        "format": {"backgroundColor": PINK},
    },
}
BIG_RULE: dict[str, Any] = {
    "ranges": [
        {
            "sheetId": 0,
            "startRowIndex": 1,
            "endRowIndex": 10,
            "startColumnIndex": 1,
            "endColumnIndex": 2,
        }
    ],
    "booleanRule": {
        "condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "100"}]},
        "format": {"textFormat": {"bold": True, "foregroundColor": {"blue": 1}}},
    },
}


def _sample() -> Store:
    store = Store()
    spreadsheet = store.create_spreadsheet(
        "รายงานโครงการ", spreadsheet_id="x1", sheets=("ศก.1", "ตัวเลือก", "Hidden")
    )
    region, options, hidden = spreadsheet.sheets
    row: list[CellValue] = [
        "ชื่อ",
        42,
        2.5,
        True,
        Formula("=B1*2"),
        FormattedNumber(45366, "DATE", "yyyy-mm-dd"),
        "=looks like a formula but is text",
        FormattedNumber(0.125, "PERCENT", "0.0%"),
        FormattedNumber(1234567, "NUMBER", "#,##0.###"),
        FormattedNumber(45366.5, "DATE_TIME", "yyyy-mm-dd hh:mm:ss"),
        FormattedNumber(0.75, "TIME", "h:mm:ss"),
    ]
    for col, value in enumerate(row):
        region.set_cell(0, col, value)
    region.set_cell(2, 0, "แถวที่สาม")
    region.set_extra("notes", 1, 0, "หมายเหตุ: ตรวจสอบแล้ว")
    region.set_extra("formats", 1, 1, {"backgroundColor": PINK})
    region.set_extra(
        "formats",
        2,
        0,
        {"textFormat": {"bold": True, "italic": True}, "backgroundColor": {"green": 1}},
    )
    dropdown = {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": "ผ่าน"}, {"userEnteredValue": "ไม่ผ่าน"}],
        },
        "showCustomUi": True,
        "strict": True,
    }
    for r in (3, 4):
        region.set_extra("validations", r, 0, dropdown)
    region.set_extra("validations", 3, 1, {"condition": {"type": "BOOLEAN"}})
    region.set_extra(
        "validations",
        3,
        2,
        {
            "condition": {
                "type": "ONE_OF_RANGE",
                "values": [{"userEnteredValue": "='ตัวเลือก'!$A$2:$A$5"}],
            },
            "showCustomUi": True,
        },
    )
    region.set_extra(
        "validations",
        3,
        3,
        {
            "condition": {
                "type": "BOOLEAN",
                "values": [{"userEnteredValue": "ใช่"}, {"userEnteredValue": "ไม่ใช่"}],
            }
        },
    )
    region.conditional_formats = [LATE_RULE, BIG_RULE]
    region.merges = [
        {
            "sheetId": 0,
            "startRowIndex": 5,
            "endRowIndex": 6,
            "startColumnIndex": 0,
            "endColumnIndex": 2,
        }
    ]
    region.frozen_row_count = 3
    region.tab_color = {"red": 1}
    options.set_cell(0, 0, "สถานะ")
    options.set_cell(1, 0, "ผ่าน")
    options.rows.extend([None] * 500)
    hidden.hidden = True
    return store


def _plain(value: Any) -> Any:
    # Proto3 omits false and null fields: a rule sent with "strict": false equals one without.
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and v is not False}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _snapshot(spreadsheet: Spreadsheet) -> list[dict[str, Any]]:
    return _plain(
        [
            {
                "title": s.title,
                "sheetId": s.sheet_id,
                "size": (s.row_count, s.column_count),
                "rows": {
                    i: (r.values, r.notes, r.formats, r.validations) for i, r in s.used_rows()
                },
                "conditional": s.conditional_formats,
                "merges": s.merges,
                "frozen": (s.frozen_row_count, s.frozen_column_count),
                "hidden": s.hidden,
                "tab": s.tab_color,
            }
            for s in spreadsheet.sheets
        ]
    )


def test_export_then_import_keeps_everything() -> None:
    """
    Values, notes, colours, validation, conditional formats and tab layout survive a round trip.
    """
    original = _sample()
    copy = Store()
    imported = import_bytes(copy, export_bytes(original, "x1"))
    assert imported.spreadsheet_id == "x1"
    assert imported.title == "รายงานโครงการ"
    assert _snapshot(imported) == _snapshot(original.get("x1"))


def test_export_opens_as_a_normal_workbook(tmp_path: Path) -> None:
    """
    A spreadsheet program sees formulas, text, dates, notes, fills and dropdowns in the export.
    """
    path = tmp_path / "out.xlsx"
    export_xlsx(_sample(), "x1", path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["ศก.1"]
    assert workbook.sheetnames == ["ศก.1", "ตัวเลือก", "Hidden"]
    assert sheet["E1"].value == "=B1*2"
    assert sheet["G1"].data_type == "s"
    assert sheet["F1"].value == dt.datetime(2024, 3, 15)
    assert sheet["A2"].comment.text == "หมายเหตุ: ตรวจสอบแล้ว"
    assert sheet["B2"].fill.fgColor.rgb == "FFFFCCCC"
    assert '"ผ่าน,ไม่ผ่าน"' in [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert sheet.freeze_panes == "A4"
    assert workbook["Hidden"].sheet_state == "hidden"


def test_import_of_a_plain_workbook(tmp_path: Path) -> None:
    """
    A workbook saved by another program imports with default grid sizes and parsed dates.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ศก.2"
    sheet["A1"] = "วันที่"
    sheet["A2"] = dt.datetime(2024, 3, 15)
    sheet["A2"].number_format = "mm-dd-yy"
    sheet["B2"] = "=SUM(1,2)"
    workbook.create_sheet("Other")
    path = tmp_path / "download.xlsx"
    workbook.save(path)
    store = Store()
    spreadsheet = import_xlsx(store, path)
    tab = spreadsheet.sheets[0]
    assert spreadsheet.title == "download"
    assert [s.title for s in spreadsheet.sheets] == ["ศก.2", "Other"]
    assert (tab.row_count, tab.column_count) == (1000, 26)
    assert tab.cell(1, 0) == FormattedNumber(45366, "DATE", "yyyy-mm-dd")
    assert tab.cell(1, 1) == Formula("=SUM(1,2)")
    assert store.get_values(spreadsheet.spreadsheet_id, "ศก.2", "A2:B2") == [["2024-03-15", "3"]]


def test_import_refuses_to_overwrite_unless_asked() -> None:
    """
    Importing onto an existing ID fails unless replace=True; without an ID a new one is drawn.
    """
    data = export_bytes(_sample(), "x1")
    store = _sample()
    with pytest.raises(ValueError, match="already exists"):
        import_bytes(store, data, spreadsheet_id="x1")
    assert import_bytes(store, data).spreadsheet_id != "x1"
    assert import_bytes(store, data, spreadsheet_id="x1", replace=True).spreadsheet_id == "x1"


def test_xlsx_over_the_test_controls(emulator: EmulatorHandle) -> None:
    """
    A spreadsheet can be uploaded and downloaded as .xlsx under /__emulator/.
    """
    data = export_bytes(_sample(), "x1")
    url = emulator.base_url + "/__emulator/spreadsheets/up1/xlsx"
    with requests.Session() as session:
        uploaded = session.post(url, data=data)
        downloaded = session.get(url)
    assert uploaded.json() == {"spreadsheetId": "up1"}
    assert downloaded.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded.content))
    assert workbook["ศก.1"]["A1"].value == "ชื่อ"


def test_sheet_formatted_through_gspread_survives_a_round_trip(
    emulator: EmulatorHandle, gc: gspread.Client, spreadsheet_id: str
) -> None:
    """
    What gspread writes (values, format, note, dropdown, checkbox, rule) comes back from .xlsx.
    """
    sheet = gc.open_by_key(spreadsheet_id).worksheet("ศก.1")
    sheet.update([["ชื่อ", 1, "=B1+1"]], "A1", value_input_option=ValueInputOption.user_entered)
    sheet.format("A1", {"backgroundColor": PINK, "textFormat": {"bold": True}})
    sheet.update_note("A1", "ตรวจแล้ว")
    sheet.add_validation(
        "B2:B5", ValidationConditionType.one_of_list, ["ใช่", "ไม่ใช่"], showCustomUi=True
    )
    sheet_id = sheet.id
    rule = dict(LATE_RULE, ranges=[dict(LATE_RULE["ranges"][0], sheetId=sheet_id)])
    sheet.spreadsheet.batch_update(
        {
            "requests": [
                {"addConditionalFormatRule": {"index": 0, "rule": rule}},
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": 5,
                            "endRowIndex": 6,
                            "startColumnIndex": 0,
                            "endColumnIndex": 1,
                        },
                        "rule": {"condition": {"type": "BOOLEAN"}},
                    }
                },
            ]
        }
    )
    copy = Store()
    imported = import_bytes(copy, export_bytes(emulator.store, spreadsheet_id))
    assert _snapshot(imported) == _snapshot(emulator.store.get(spreadsheet_id))
    assert copy.get_values(spreadsheet_id, "ศก.1") == [["ชื่อ", "1", "2"]]


@pytest.mark.parametrize(
    ("content", "said", "name"),
    [
        (b"not a workbook", "not an .xlsx workbook (File is not a zip file)", "export.xlsx"),
        (
            None,
            "not an .xlsx workbook (There is no item named '[Content_Types].xml'",
            "export.xlsx",
        ),
        (b"old", "not an .xlsx workbook (", "live.xls"),
        (b"a,b\n1,2\n", "not an .xlsx workbook (", "data.csv"),
    ],
)
def test_a_file_that_is_no_workbook_is_one_line(
    tmp_path: Path, content: bytes | None, said: str, name: str
) -> None:
    """
    Importing a file that is not an .xlsx (a zip of something else, an old .xls, a .csv)
    names the file and what it is not, and adds nothing to the store.
    """
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "not a workbook")
    else:
        path.write_bytes(content)
    store = Store()
    with pytest.raises(UnusableFile) as refused:
        import_xlsx(store, path)
    assert str(refused.value).startswith(f"workbook {path}: {said}")
    with pytest.raises(UnusableFile) as read:  # (what a start reads first: by the path's name)
        recorded_id(path)
    assert str(read.value).startswith(f"workbook {path}: not an .xlsx workbook (")
    assert [] == store.list()
    with pytest.raises(UnusableFile, match=r"^workbook .*absent\.xlsx: cannot be read \(No such"):
        import_xlsx(store, tmp_path / "absent.xlsx")


def test_an_export_edited_in_excel_comes_back_tab_by_tab_by_name() -> None:
    """
    An export whose tabs were reordered in Excel, with a tab added first: each tab comes back
    with its own data, title and id (matching by position swapped them), and the added tab
    takes an id no other tab has.
    """
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="t1", sheets=("Input", "Output"))
    store.set_values("t1", "Input", "A1", [["input data"]])
    store.set_values("t1", "Output", "A1", [["output data"]])
    ids = {sheet.title: sheet.sheet_id for sheet in book.sheets}
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(store, "t1")))
    workbook.move_sheet("Output", offset=-1)
    workbook.create_sheet("Notes", 0)["A1"] = "notes"
    edited = io.BytesIO()
    workbook.save(edited)
    copy = import_bytes(Store(), edited.getvalue(), spreadsheet_id="t2")
    got = {sheet.title: sheet.sheet_id for sheet in copy.sheets}
    assert (got["Input"], got["Output"]) == (ids["Input"], ids["Output"])
    assert len(set(got.values())) == 3
    values = {s.title: s.cell(0, 0) for s in copy.sheets}
    assert values == {"Notes": "notes", "Output": "output data", "Input": "input data"}


def test_tabs_whose_titles_excel_cannot_tell_apart_export_and_come_back_apart() -> None:
    """
    Two tabs whose titles share their first 31 characters, and two that differ only in a
    character Excel refuses: each gets a name Excel accepts (at most 31 characters, none
    equal ignoring case), and each comes back with its own title, id and data.
    """
    long = "สรุปผลการดำเนินงานโครงการประจำปีงบประมาณ 2567 ไตรมาส "
    titles = (long + "1", long + "2", "a:b", "a_b", "A_B ")
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="t1", sheets=titles)
    for title in titles:
        store.set_values("t1", title, "A1", [[f"data of {title}"]])
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(store, "t1")))
    assert workbook.sheetnames == [  # cut to 31, ':' as '_', each clash numbered
        "สรุปผลการดำเนินงานโครงการประจำป",
        "สรุปผลการดำเนินงานโครงการปร (2)",
        "a_b",
        "a_b (2)",
        "A_B ",
    ]
    copy = import_bytes(Store(), export_bytes(store, "t1"), spreadsheet_id="t2")
    assert [(s.title, s.sheet_id, s.cell(0, 0)) for s in copy.sheets] == [
        (s.title, s.sheet_id, f"data of {s.title}") for s in book.sheets
    ]


def test_durations_and_number_formats_survive_a_round_trip() -> None:
    """
    A duration past a day (`[h]:mm:ss`, 36 hours) stays 36 hours, not noon; a time past a
    day in a clock format stays a time; number formats set on cells (typed values or not)
    come back as set.
    """
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="t1", sheets=("ศก.1",))
    sheet = book.sheets[0]
    sheet.set_cell(0, 0, FormattedNumber(1.5, "TIME", "[h]:mm:ss"))
    sheet.set_cell(0, 1, FormattedNumber(1.5, "TIME", "h:mm:ss"))
    sheet.set_cell(0, 2, 3.5)
    sheet.set_extra("formats", 0, 2, {"numberFormat": {"type": "NUMBER", "pattern": "0.00"}})
    sheet.set_extra("formats", 0, 3, {"numberFormat": {"type": "TEXT", "pattern": "@"}})
    sheet.set_cell(0, 4, 2500)
    sheet.set_extra("formats", 0, 4, {"numberFormat": {"type": "CURRENCY", "pattern": "฿#,##0.00"}})
    sheet.set_cell(0, 5, 12345)
    sheet.set_extra(
        "formats", 0, 5, {"numberFormat": {"type": "SCIENTIFIC", "pattern": "0.00E+00"}}
    )
    sheet.set_cell(0, 6, FormattedNumber(45366, "DATE", "yyyy-mm-dd"))
    sheet.set_extra("formats", 0, 6, {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}})
    copy = import_bytes(Store(), export_bytes(store, "t1"), spreadsheet_id="t2")
    assert _snapshot(copy) == _snapshot(book)


def test_a_duration_typed_in_excel_is_imported_as_a_duration(tmp_path: Path) -> None:
    """Excel's `[h]:mm` cell (36 hours) is a number of days with its format, not text."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "ศก.1"
    cell = workbook.active["A1"]
    cell.value = dt.timedelta(hours=36)
    cell.number_format = "[h]:mm"
    path = tmp_path / "durations.xlsx"
    workbook.save(path)
    imported = import_xlsx(Store(), path)
    assert imported.sheets[0].cell(0, 0) == FormattedNumber(1.5, "TIME", "[h]:mm")
