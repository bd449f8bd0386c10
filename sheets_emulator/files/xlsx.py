"""
Move a spreadsheet between the emulator and an ``.xlsx`` file (openpyxl).

A rehearsal can start from a copy of the live sheet downloaded as Excel (File → Download →
.xlsx), and its result can be opened in any spreadsheet program. Kept both ways: tab
order, titles, hidden tabs, frozen rows/columns, tab colours, merges; values (numbers,
text, booleans, formulas as formulas, dates/times/durations/percentages with their pattern);
notes (as comments); background colour, bold/italic/strikethrough and text colour; number
formats (wrapping and alignment are exported only); data validation (dropdown lists, ranges,
checkboxes, custom formulas, number comparisons); conditional-format rules (custom formula
and number comparisons with fill and font). Grid sizes, sheetIds, the spreadsheet ID and
each tab's title ride along in a custom document property so an export re-imports to the same
identity (a title Excel refuses, such as one over 31 characters, is shortened in the workbook
and comes back whole).

Exported (not read back on import): column widths and row heights, hidden rows and columns,
and basic column, bar and line charts over ranges of their own tab, at their anchor cell.
Not kept: other charts, protected ranges, named ranges, developer metadata, filters, gradient
conditional formats and validation types Excel has no equivalent for.
Excel has no checkbox validation: a checkbox becomes a TRUE/FALSE dropdown whose prompt
title marks it, so it comes back as a checkbox.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule, Rule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import is_date_format, is_timedelta_format
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from sheets_emulator.model.errors import UnusableFile, reason_of
from sheets_emulator.model.render import json_number
from sheets_emulator.model.store import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    FormattedNumber,
    Formula,
    Sheet,
    Spreadsheet,
    Store,
)

__all__ = ["export_bytes", "export_xlsx", "import_bytes", "import_xlsx", "recorded_id"]

# Excel's grid limits; a range reaching them is an unbounded GridRange on the Sheets side.
_EXCEL_ROWS = 1_048_576
_EXCEL_COLUMNS = 16_384
_PROPERTY = "sheets_emulator"
_CHECKBOX_MARK = "sheets_emulator:checkbox"
_AUTHOR = "sheets_emulator"
_LEGACY_PROPERTIES = frozenset({_PROPERTY, "sheetsync"})
_LEGACY_CHECKBOX_MARKS = frozenset({_CHECKBOX_MARK, "sheetsync:checkbox"})
"""Tags of files exported before the emulator was its own package: still read back."""
_EPOCH = dt.datetime(1899, 12, 30)

# Sheets ConditionType ↔ Excel cellIs operator, for number comparisons.
_CELL_IS = {
    "NUMBER_GREATER": "greaterThan",
    "NUMBER_GREATER_THAN_EQ": "greaterThanOrEqual",
    "NUMBER_LESS": "lessThan",
    "NUMBER_LESS_THAN_EQ": "lessThanOrEqual",
    "NUMBER_EQ": "equal",
    "NUMBER_NOT_EQ": "notEqual",
    "NUMBER_BETWEEN": "between",
    "NUMBER_NOT_BETWEEN": "notBetween",
}
_CELL_IS_BACK = {v: k for k, v in _CELL_IS.items()}
_PERCENT_PATTERN = re.compile(r"^0(\.0+)?%$")


# -- colours ------------------------------------------------------------------------------


def _hex(color: dict[str, Any]) -> str:
    parts = (color.get(k, 0) for k in ("red", "green", "blue"))
    return "".join(f"{max(0, min(255, round(float(p) * 255))):02X}" for p in parts)


def _color(hex_rgb: str) -> dict[str, float]:
    # Sheets keeps colours at 8 bits and omits zero components (proto3 defaults).
    text = hex_rgb[-6:]
    color: dict[str, float] = {}
    for name, i in (("red", 0), ("green", 2), ("blue", 4)):
        value = int(text[i : i + 2], 16)
        if value:
            color[name] = 1 if value == 255 else round(value / 255, 8)
    return color


def _format_color(fmt: dict[str, Any], key: str) -> dict[str, Any] | None:
    style = fmt.get(key + "Style")
    if isinstance(style, dict) and isinstance(style.get("rgbColor"), dict):
        rgb: dict[str, Any] = style["rgbColor"]
        return rgb
    color = fmt.get(key)
    return color if isinstance(color, dict) else None


def _openpyxl_rgb(color: Any) -> str | None:
    if color is None or getattr(color, "type", None) != "rgb":
        return None
    value = str(color.rgb)
    if len(value) not in (6, 8) or value in ("00000000",):
        return None
    return value


# -- export ---------------------------------------------------------------------------------


def export_xlsx(
    store: Store, spreadsheet_id: str, path: Path, tabs: Iterable[str] | None = None
) -> None:
    """
    Write one spreadsheet of the store to an ``.xlsx`` file (only `tabs`, when given).
    """
    path.write_bytes(export_bytes(store, spreadsheet_id, tabs))


def export_bytes(store: Store, spreadsheet_id: str, tabs: Iterable[str] | None = None) -> bytes:
    """
    Render one spreadsheet of the store as ``.xlsx`` bytes (only `tabs`, when given).
    """
    buffer = io.BytesIO()
    build_workbook(store, spreadsheet_id, tabs).save(buffer)
    return buffer.getvalue()


def build_workbook(
    store: Store, spreadsheet_id: str, tabs: Iterable[str] | None = None
) -> Workbook:
    """
    The openpyxl workbook of one spreadsheet of the store (only `tabs`, when given), for a
    caller that sets more (page layout for printing) before saving it.
    """
    with store.lock:
        spreadsheet = store.get(spreadsheet_id)
        return _build_workbook(spreadsheet, None if tabs is None else set(tabs))


def _build_workbook(spreadsheet: Spreadsheet, tabs: set[str] | None = None) -> Workbook:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = spreadsheet.title
    names = _excel_names([s.title for s in spreadsheet.sheets])
    identity = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "locale": spreadsheet.locale,
        "timeZone": spreadsheet.time_zone,
        "sheets": [
            {
                "title": s.title,
                "excelName": name,
                "sheetId": s.sheet_id,
                "rowCount": s.row_count,
                "columnCount": s.column_count,
            }
            for s, name in zip(spreadsheet.sheets, names, strict=True)
        ],
    }
    workbook.custom_doc_props.append(
        StringProperty(name=_PROPERTY, value=json.dumps(identity, ensure_ascii=False))
    )
    for sheet, name in zip(spreadsheet.sheets, names, strict=True):
        if tabs is not None and sheet.title not in tabs:
            continue
        _export_sheet(sheet, workbook.create_sheet(name))
    if not workbook.worksheets:
        workbook.create_sheet("Sheet1")
    return workbook


_EXCEL_NAME_LENGTH = 31


def _excel_names(titles: Sequence[str]) -> list[str]:
    """
    Each tab's worksheet name, in order. Excel refuses []:*?/\\ in a name, an apostrophe
    first or last, a name over 31 characters, `History`, and two names equal but for case:
    such tabs are renamed (`… (2)`), and the real titles stay in the identity property.
    """
    names: list[str] = []
    taken = {"history"}
    for title in titles:
        base = re.sub(r"^'|'$", "_", re.sub(r"[\[\]:*?/\\]", "_", title)) or "Sheet"
        name, number = base[:_EXCEL_NAME_LENGTH], 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[: _EXCEL_NAME_LENGTH - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _export_sheet(sheet: Sheet, ws: Worksheet) -> None:
    if sheet.hidden:
        ws.sheet_state = "hidden"
    if sheet.frozen_row_count or sheet.frozen_column_count:
        ws.freeze_panes = ws.cell(sheet.frozen_row_count + 1, sheet.frozen_column_count + 1)
    if sheet.tab_color:
        color = sheet.tab_color.get("rgbColor", sheet.tab_color)
        ws.sheet_properties.tabColor = "FF" + _hex(color)
    validations: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for r, row in sheet.used_rows():
        for c, value in enumerate(row.values):
            if value is not None:
                _write_value(ws, r + 1, c + 1, value)
        for c, note in (row.notes or {}).items():
            ws.cell(r + 1, c + 1).comment = Comment(note, _AUTHOR)
        for c, fmt in (row.formats or {}).items():
            _write_format(ws.cell(r + 1, c + 1), fmt)
        for c, rule in (row.validations or {}).items():
            key = json.dumps(rule, sort_keys=True)
            validations.setdefault(key, (rule, []))[1].append(f"{get_column_letter(c + 1)}{r + 1}")
    for rule, cells in validations.values():
        dv = _data_validation(rule)
        if dv is not None:
            for ref in cells:
                dv.add(ref)
            ws.add_data_validation(dv)
    for merge in sheet.merges:
        ws.merge_cells(_a1(merge))
    for rule in sheet.conditional_formats:
        _write_conditional_format(ws, rule)
    _export_dimensions(sheet, ws)
    for chart in sheet.charts:
        _export_chart(sheet, ws, chart)


_PX_PER_CHARACTER = 7
"""Excel measures a column in characters of its default font: about 7 px each at 100 %."""
_PADDING_PX = 5


def _export_dimensions(sheet: Sheet, ws: Worksheet) -> None:
    """
    Column widths and row heights set in the sheet, and hidden rows and columns.
    """
    for c, column in enumerate(sheet.columns):
        if column is None:
            continue
        dimension = ws.column_dimensions[get_column_letter(c + 1)]
        if column.pixel_size:
            dimension.width = round(max(column.pixel_size - _PADDING_PX, 1) / _PX_PER_CHARACTER, 2)
        if column.hidden:
            dimension.hidden = True
    for r, row in enumerate(sheet.rows):
        if row is None or not (row.pixel_size or row.hidden):
            continue
        dimension = ws.row_dimensions[r + 1]
        if row.pixel_size:
            dimension.height = row.pixel_size * 0.75  # points
        if row.hidden:
            dimension.hidden = True


def _export_chart(sheet: Sheet, ws: Worksheet, chart: dict[str, Any]) -> None:
    """
    A basic column, bar or line chart over ranges of this tab, anchored where the sheet has it.
    """
    spec = chart.get("spec", {})
    basic = spec.get("basicChart")
    kind = (basic or {}).get("chartType")
    if kind not in ("COLUMN", "BAR", "LINE"):
        return
    xl_chart: BarChart | LineChart
    if kind == "LINE":
        xl_chart = LineChart()
    else:
        xl_chart = BarChart()
        xl_chart.type = "col" if kind == "COLUMN" else "bar"
    xl_chart.title = spec.get("title")
    headers = int(basic.get("headerCount", 0))
    domains = basic.get("domains", [])
    for series in basic.get("series", []):
        reference = _chart_reference(sheet, ws, series.get("series", {}))
        if reference is None:
            return
        xl_chart.add_data(reference, titles_from_data=headers > 0)
    if domains:
        categories = _chart_reference(sheet, ws, domains[0].get("domain", {}), skip=headers)
        if categories is not None:
            xl_chart.set_categories(categories)
    anchor = chart.get("position", {}).get("overlayPosition", {}).get("anchorCell", {})
    cell = f"{get_column_letter(anchor.get('columnIndex', 0) + 1)}{anchor.get('rowIndex', 0) + 1}"
    ws.add_chart(xl_chart, cell)


def _chart_reference(
    sheet: Sheet, ws: Worksheet, data: dict[str, Any], skip: int = 0
) -> Reference | None:
    """The cells of a chart's source range on this tab (None for a range on another tab)."""
    sources = data.get("sourceRange", {}).get("sources", [])
    if len(sources) != 1 or sources[0].get("sheetId", 0) != sheet.sheet_id:
        return None
    source = sources[0]
    return Reference(
        ws,
        min_col=source.get("startColumnIndex", 0) + 1,
        max_col=source.get("endColumnIndex", 1),
        min_row=source.get("startRowIndex", 0) + 1 + skip,
        max_row=source.get("endRowIndex", sheet.row_count),
    )


def _write_value(ws: Worksheet, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row, col)
    if isinstance(value, Formula):
        cell.value = value.text
    elif isinstance(value, FormattedNumber):
        if value.kind in ("DATE", "DATE_TIME"):
            cell.value = _EPOCH + dt.timedelta(days=value.number)
        else:
            # A time as its number of days, as Excel keeps it: a duration past a day
            # (`[h]:mm`, 36 hours) stays 1.5 days where a time of day would keep the 12 hours.
            cell.value = value.number
        cell.number_format = value.pattern
    elif isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # Text that merely looks like a formula must stay text (RAW writes can store "=…").
        cell.data_type = "s"
    else:
        cell.value = value


def _write_format(cell: Any, fmt: dict[str, Any]) -> None:
    background = _format_color(fmt, "backgroundColor")
    if background is not None:
        rgb = "FF" + _hex(background)
        cell.fill = PatternFill(fill_type="solid", fgColor=rgb, bgColor=rgb)
    text = fmt.get("textFormat")
    if isinstance(text, dict):
        cell.font = _font(text)
    number = fmt.get("numberFormat")
    if isinstance(number, dict) and number.get("pattern"):
        cell.number_format = str(number["pattern"])
    wrap = fmt.get("wrapStrategy") == "WRAP"
    vertical = _VERTICAL.get(str(fmt.get("verticalAlignment", "")))
    horizontal = _HORIZONTAL.get(str(fmt.get("horizontalAlignment", "")))
    if wrap or vertical or horizontal:
        cell.alignment = Alignment(wrap_text=wrap or None, vertical=vertical, horizontal=horizontal)


_VERTICAL = {"TOP": "top", "MIDDLE": "center", "BOTTOM": "bottom"}
_HORIZONTAL = {"LEFT": "left", "CENTER": "center", "RIGHT": "right"}


def _font(text: dict[str, Any]) -> Font:
    color = _format_color(text, "foregroundColor")
    return Font(
        bold=bool(text.get("bold")) or None,
        italic=bool(text.get("italic")) or None,
        strike=bool(text.get("strikethrough")) or None,
        color=("FF" + _hex(color)) if color is not None else None,
    )


def _values(condition: dict[str, Any]) -> list[str]:
    return [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]


def _data_validation(rule: dict[str, Any]) -> DataValidation | None:
    condition = rule.get("condition") or {}
    kind = condition.get("type")
    values = _values(condition)
    dv: DataValidation
    if kind == "ONE_OF_LIST":
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"')
    elif kind == "ONE_OF_RANGE" and values:
        dv = DataValidation(type="list", formula1=values[0].lstrip("="))
    elif kind == "BOOLEAN":
        pair = values if len(values) == 2 else ["TRUE", "FALSE"]
        dv = DataValidation(type="list", formula1='"' + ",".join(pair) + '"')
        dv.promptTitle = _CHECKBOX_MARK
        dv.prompt = json.dumps(values, ensure_ascii=False)
    elif kind == "CUSTOM_FORMULA" and values:
        dv = DataValidation(type="custom", formula1=values[0].lstrip("="))
    elif kind in _CELL_IS and values:
        dv = DataValidation(
            type="decimal",
            operator=_CELL_IS[kind],
            formula1=values[0],
            formula2=values[1] if len(values) > 1 else None,
        )
    else:
        return None
    strict = bool(rule.get("strict"))
    dv.showErrorMessage = strict
    dv.errorStyle = "stop" if strict else "warning"
    dv.allow_blank = True
    # Excel's showDropDown means "hide the in-cell arrow": the inverse of showCustomUi.
    dv.showDropDown = kind in ("ONE_OF_LIST", "ONE_OF_RANGE") and not rule.get("showCustomUi")
    if rule.get("inputMessage") and kind != "BOOLEAN":
        dv.prompt = str(rule["inputMessage"])
        dv.showInputMessage = True
    return dv


def _a1(grid: dict[str, Any]) -> str:
    r0 = int(grid.get("startRowIndex", 0))
    c0 = int(grid.get("startColumnIndex", 0))
    r1 = int(grid.get("endRowIndex", _EXCEL_ROWS))
    c1 = int(grid.get("endColumnIndex", _EXCEL_COLUMNS))
    return f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1)}{r1}"


def _write_conditional_format(ws: Worksheet, rule: dict[str, Any]) -> None:
    boolean = rule.get("booleanRule")
    if not isinstance(boolean, dict):
        return  # gradient rules have no faithful Excel counterpart here
    condition = boolean.get("condition") or {}
    kind = condition.get("type")
    values = _values(condition)
    fmt = boolean.get("format") or {}
    background = _format_color(fmt, "backgroundColor")
    fill = (
        PatternFill(
            fill_type="solid", fgColor="FF" + _hex(background), bgColor="FF" + _hex(background)
        )
        if background is not None
        else None
    )
    text = fmt.get("textFormat")
    font = _font(text) if isinstance(text, dict) else None
    excel_rule: Rule
    if kind == "CUSTOM_FORMULA" and values:
        excel_rule = FormulaRule(formula=[values[0].lstrip("=")], fill=fill, font=font)
    elif kind in _CELL_IS and values:
        excel_rule = CellIsRule(
            operator=_CELL_IS[kind], formula=[v.lstrip("=") for v in values], fill=fill, font=font
        )
    else:
        return
    ranges = " ".join(_a1(g) for g in rule.get("ranges") or [])
    if ranges:
        ws.conditional_formatting.add(ranges, excel_rule)


# -- import ---------------------------------------------------------------------------------


def import_xlsx(
    store: Store,
    path: Path,
    *,
    spreadsheet_id: str | None = None,
    title: str | None = None,
    replace: bool = False,
    shared_with: Iterable[str] | None = None,
) -> Spreadsheet:
    """
    Create a spreadsheet in the store from an ``.xlsx`` file and return it.

    Args:
        spreadsheet_id: ID to use; default the one recorded at export, else a new one.
        title: spreadsheet title; default the workbook's title, else the file name.
        replace: replace an existing spreadsheet with that ID instead of failing.
        shared_with: service-account e-mails allowed to open it (None: everyone).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnusableFile(f"workbook {path}: cannot be read ({reason_of(exc)})") from None
    try:
        return import_bytes(
            store,
            data,
            spreadsheet_id=spreadsheet_id,
            title=title or None,
            replace=replace,
            shared_with=shared_with,
            default_title=path.stem,
        )
    except UnusableFile as exc:
        raise UnusableFile(f"workbook {path}: {exc}") from None


def recorded_id(path: Path) -> str | None:
    """
    The spreadsheet id an export recorded in the workbook at ``path``, read without its sheets
    (None: a workbook from elsewhere); ``UnusableFile`` for a file that is no workbook.
    """
    try:
        workbook = _workbook(path, read_only=True)
    except OSError as exc:
        raise UnusableFile(f"workbook {path}: cannot be read ({reason_of(exc)})") from None
    except UnusableFile as exc:
        raise UnusableFile(f"workbook {path}: {exc}") from None
    try:
        found = _identity(workbook).get("spreadsheetId")
    finally:
        workbook.close()
    return str(found) if found else None


def _workbook(source: Path | io.BytesIO, *, read_only: bool = False) -> Workbook:
    """openpyxl's workbook of ``source``; ``UnusableFile`` for bytes that are no workbook."""
    with warnings.catch_warnings():
        # Files from Google or Excel carry extensions openpyxl only warns about and skips.
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(source, read_only=read_only, rich_text=False)
        except (
            zipfile.BadZipFile,
            KeyError,
            EOFError,
            ValueError,
            TypeError,
            SyntaxError,
            InvalidFileException,  # (.xls, .csv, a folder: not what openpyxl reads at all)
            IsADirectoryError,
        ) as exc:
            # (what openpyxl raises for bytes that are no workbook: not a zip, a zip without
            # the parts of one, a part that is no XML)
            # (a KeyError's own words, not `reason_of`'s "no 'There is no item named …'")
            detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else reason_of(exc)
            raise UnusableFile(f"not an .xlsx workbook ({detail})") from None


def import_bytes(
    store: Store,
    data: bytes,
    *,
    spreadsheet_id: str | None = None,
    title: str | None = None,
    replace: bool = False,
    shared_with: Iterable[str] | None = None,
    default_title: str = "Imported spreadsheet",
) -> Spreadsheet:
    """
    Create a spreadsheet in the store from ``.xlsx`` bytes (see ``import_xlsx``).
    """
    workbook = _workbook(io.BytesIO(data))
    identity = _identity(workbook)
    # Each worksheet takes the recorded tab its name was exported as (its full title, its
    # sheetId): a tab moved, added or renamed in Excel since keeps its own data under its own
    # name, where matching by position gave each moved tab the other's title and id.
    # (Files exported before the names were recorded: the names the export gave them.)
    entries = [e for e in identity.get("sheets", []) if isinstance(e, dict)]
    names = _excel_names([str(e.get("title")) for e in entries])
    by_excel_name: dict[str, dict[str, Any]] = {}
    for entry, name in zip(entries, names, strict=True):
        by_excel_name.setdefault(str(entry.get("excelName") or name), entry)
    infos = [by_excel_name.pop(ws.title, {}) for ws in workbook.worksheets]
    titles = [
        str(info.get("title", ws.title))
        for info, ws in zip(infos, workbook.worksheets, strict=True)
    ]
    with store.lock:
        sid = spreadsheet_id or identity.get("spreadsheetId")
        if sid and store.find(sid) is not None:
            if not replace:
                if spreadsheet_id:
                    raise ValueError(f"spreadsheet {sid!r} already exists")
                sid = None
            else:
                store.delete(sid)
        spreadsheet = store.create_spreadsheet(
            title or workbook.properties.title or default_title,
            spreadsheet_id=sid or None,
            sheets=tuple(titles),
            # A file from elsewhere carries no zone: the store's own default for seeded sheets.
            time_zone=str(identity.get("timeZone") or store.seed_time_zone),
            shared_with=shared_with,
        )
        if identity.get("locale"):
            spreadsheet.locale = str(identity["locale"])
        recorded_ids = {i["sheetId"] for i in infos if isinstance(i.get("sheetId"), int)}
        for sheet, ws, info in zip(spreadsheet.sheets, workbook.worksheets, infos, strict=True):
            if isinstance(info.get("sheetId"), int):
                sheet.sheet_id = info["sheetId"]
            elif sheet.sheet_id in recorded_ids:  # (a new tab never takes a recorded tab's id)
                sheet.sheet_id = max(recorded_ids | {s.sheet_id for s in spreadsheet.sheets}) + 1
            _import_sheet(sheet, ws, info)
        spreadsheet.imported_from = workbook_digest(data)
        spreadsheet.touch()
        return spreadsheet


def workbook_digest(data: bytes) -> str:
    """The SHA-256 a spreadsheet keeps of the workbook bytes it was imported from."""
    return hashlib.sha256(data).hexdigest()


def _identity(workbook: Workbook) -> dict[str, Any]:
    for prop in workbook.custom_doc_props.props:
        if prop.name in _LEGACY_PROPERTIES:
            try:
                value = json.loads(str(prop.value))
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def _import_sheet(sheet: Sheet, ws: Worksheet, info: dict[str, Any]) -> None:
    rows = max(int(info.get("rowCount") or 0) or DEFAULT_ROWS, ws.max_row)
    cols = max(int(info.get("columnCount") or 0) or DEFAULT_COLUMNS, ws.max_column)
    sheet.rows = [None] * rows
    sheet.columns = [None] * cols
    sheet.hidden = ws.sheet_state != "visible"
    if ws.freeze_panes:
        frozen_col, frozen_row, _, _ = range_boundaries(str(ws.freeze_panes))
        sheet.frozen_row_count = (frozen_row or 1) - 1
        sheet.frozen_column_count = (frozen_col or 1) - 1
    tab = ws.sheet_properties.tabColor
    tab_rgb = _openpyxl_rgb(tab)
    if tab_rgb:
        sheet.tab_color = _color(tab_rgb)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            r, c = cell.row - 1, cell.column - 1
            value = _read_value(cell)
            if value is not None:
                sheet.set_cell(r, c, value)
            if cell.comment is not None and cell.comment.text:
                sheet.set_extra("notes", r, c, cell.comment.text)
            fmt = _read_format(cell, value)
            if fmt:
                sheet.set_extra("formats", r, c, fmt)
    for dv in ws.data_validations.dataValidation:
        rule = _validation_rule(dv)
        if rule is None:
            continue
        for bounds in dv.sqref.ranges:
            c0, r0, c1, r1 = bounds.bounds
            for r in range(r0 - 1, min(r1, rows)):
                for c in range(c0 - 1, min(c1, cols)):
                    sheet.set_extra("validations", r, c, dict(rule))
    for merged in ws.merged_cells.ranges:
        c0, r0, c1, r1 = merged.bounds
        sheet.merges.append(_grid(sheet.sheet_id, r0, c0, r1, c1))
    sheet.conditional_formats = _read_conditional_formats(sheet.sheet_id, ws)


def _grid(sheet_id: int, r0: int, c0: int, r1: int, c1: int) -> dict[str, Any]:
    grid: dict[str, Any] = {"sheetId": sheet_id, "startRowIndex": r0 - 1}
    if r1 < _EXCEL_ROWS:
        grid["endRowIndex"] = r1
    grid["startColumnIndex"] = c0 - 1
    if c1 < _EXCEL_COLUMNS:
        grid["endColumnIndex"] = c1
    return grid


def _read_value(cell: Any) -> Any:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, ArrayFormula):
        return Formula(str(value.text))
    if cell.data_type == "f" and isinstance(value, str):
        return Formula(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.timedelta):  # a duration format (`[h]:mm`): days, as Sheets keeps it
        days = json_number(value.total_seconds() / 86400)
        return FormattedNumber(days, "TIME", str(cell.number_format))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date_value(value, str(cell.number_format))
    if isinstance(value, int | float):
        fmt = str(cell.number_format)
        if _PERCENT_PATTERN.match(fmt):
            return FormattedNumber(value, "PERCENT", fmt)
        if fmt == "#,##0.###":
            return FormattedNumber(value, "NUMBER", fmt)
        return value
    if isinstance(value, str):
        return value or None
    return str(value)


def _date_value(value: dt.datetime | dt.date | dt.time, fmt: str) -> FormattedNumber:
    if isinstance(value, dt.time):
        fraction = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return FormattedNumber(fraction, "TIME", fmt if "h" in fmt else "h:mm:ss")
    number = float(to_excel(value))
    serial: float | int = int(number) if number == int(number) else number
    if _number_format_type(fmt) == "TIME":  # a time past a day in a clock format (`h:mm:ss`)
        return FormattedNumber(serial, "TIME", fmt)
    if isinstance(value, dt.datetime) and ("h" in fmt.lower() or number != int(number)):
        return FormattedNumber(serial, "DATE_TIME", fmt if "h" in fmt else "yyyy-mm-dd hh:mm:ss")
    known = {"yyyy-mm-dd", "yyyy/mm/dd", "m/d/yyyy", "mmm d yyyy", "d mmm yyyy"}
    return FormattedNumber(serial, "DATE", fmt if fmt in known else "yyyy-mm-dd")


def _read_format(cell: Any, value: Any) -> dict[str, Any]:
    fmt: dict[str, Any] = {}
    pattern = str(cell.number_format)
    if pattern != "General" and not (
        isinstance(value, FormattedNumber) and value.pattern == pattern
    ):  # (a typed date, time or percent carries its own pattern)
        fmt["numberFormat"] = {"type": _number_format_type(pattern), "pattern": pattern}
    fill = cell.fill
    if fill is not None and fill.fill_type == "solid":
        rgb = _openpyxl_rgb(fill.fgColor)
        if rgb:
            fmt["backgroundColor"] = _color(rgb)
    text = _read_font(cell.font)
    if text:
        fmt["textFormat"] = text
    return fmt


@functools.lru_cache(maxsize=256)
def _number_format_type(pattern: str) -> str:
    """
    The Sheets NumberFormat type of an Excel pattern (a workbook keeps only the pattern).
    """
    if pattern == "@":
        return "TEXT"
    if is_date_format(pattern):
        # Quoted text and [colour]/[h] brackets aside, d or y makes it a date.
        tokens = re.sub(r'"[^"]*"|\[[^\]]*\]', "", pattern.lower())
        has_date = "d" in tokens or "y" in tokens
        has_time = is_timedelta_format(pattern) or "h" in tokens or "s" in tokens
        return "DATE_TIME" if has_date and has_time else "TIME" if has_time else "DATE"
    if "%" in pattern:
        return "PERCENT"
    if re.search(r"[eE][+-]", pattern):
        return "SCIENTIFIC"
    if re.search(r"[$฿€£¥]|\[\$", pattern):
        return "CURRENCY"
    return "NUMBER"


def _read_font(font: Any) -> dict[str, Any]:
    text: dict[str, Any] = {}
    if font is None:
        return text
    if font.b:
        text["bold"] = True
    if font.i:
        text["italic"] = True
    if font.strike:
        text["strikethrough"] = True
    rgb = _openpyxl_rgb(font.color)
    if rgb and rgb[-6:] != "000000":
        text["foregroundColor"] = _color(rgb)
    return text


def _split_list(formula: str) -> list[str]:
    inner = formula.strip()
    if inner.startswith('"') and inner.endswith('"'):
        inner = inner[1:-1]
    return [part for part in inner.split(",")] if inner else []


def _validation_rule(dv: DataValidation) -> dict[str, Any] | None:
    formula = str(dv.formula1 or "")
    condition: dict[str, Any]
    if dv.type == "list" and dv.promptTitle in _LEGACY_CHECKBOX_MARKS:
        try:
            values = json.loads(dv.prompt or "[]")
        except ValueError:
            values = []
        condition = {"type": "BOOLEAN"}
        if values:
            condition["values"] = [{"userEnteredValue": v} for v in values]
    elif dv.type == "list" and formula.startswith('"'):
        condition = {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": v} for v in _split_list(formula)],
        }
    elif dv.type == "list" and formula:
        condition = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": "=" + formula}]}
    elif dv.type == "custom" and formula:
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=" + formula}]}
    elif dv.type in ("decimal", "whole") and formula:
        kind = _CELL_IS_BACK.get(str(dv.operator or "between"))
        if kind is None:
            return None
        values = [formula] + ([str(dv.formula2)] if dv.formula2 is not None else [])
        condition = {"type": kind, "values": [{"userEnteredValue": v} for v in values]}
    else:
        return None
    rule: dict[str, Any] = {"condition": condition}
    if dv.prompt and dv.showInputMessage and dv.promptTitle not in _LEGACY_CHECKBOX_MARKS:
        rule["inputMessage"] = str(dv.prompt)
    if dv.showErrorMessage and (dv.errorStyle in (None, "stop")):
        rule["strict"] = True
    if condition["type"] in ("ONE_OF_LIST", "ONE_OF_RANGE") and not dv.showDropDown:
        rule["showCustomUi"] = True
    return rule


def _read_conditional_formats(sheet_id: int, ws: Worksheet) -> list[dict[str, Any]]:
    found: list[tuple[int, dict[str, Any]]] = []
    for cf in ws.conditional_formatting:
        ranges = [_grid(sheet_id, *_bounds_rc(b.bounds)) for b in cf.sqref.ranges]
        for rule in cf.rules:
            boolean = _boolean_rule(rule)
            if boolean is not None:
                found.append((int(rule.priority or 0), {"ranges": ranges, "booleanRule": boolean}))
    found.sort(key=lambda item: item[0])
    return [rule for _, rule in found]


def _bounds_rc(bounds: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    c0, r0, c1, r1 = bounds
    return r0, c0, r1, c1


def _boolean_rule(rule: Rule) -> dict[str, Any] | None:
    formulas = [str(f) for f in rule.formula or []]
    if rule.type == "expression" and formulas:
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=" + formulas[0]}]}
    elif rule.type == "cellIs" and formulas and rule.operator in _CELL_IS_BACK:
        condition = {
            "type": _CELL_IS_BACK[rule.operator],
            "values": [{"userEnteredValue": f} for f in formulas],
        }
    else:
        return None
    fmt: dict[str, Any] = {}
    style: DifferentialStyle | None = rule.dxf
    if style is not None:
        fill = style.fill
        if fill is not None:
            rgb = _openpyxl_rgb(fill.bgColor) or _openpyxl_rgb(fill.fgColor)
            if rgb:
                fmt["backgroundColor"] = _color(rgb)
        text = _read_font(style.font)
        if text:
            fmt["textFormat"] = text
    return {"condition": condition, "format": fmt}
