"""
The headquarters tabs as plain grids: `สรุปอัตโนมัติ` (summary) and `รวบรวมรายชื่อ (ระบบ)`.

Pure functions from the run's figures to rows of typed cells (domain spec §7). The layout's
top part is fixed, so the chart installed once keeps pointing at the region block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kpi import FORM_CHECKBOXES, RegionFigures, Summary
from kpi.aggregate import ECONOMIC_PARTS
from rules import headers as h
from sync.core.cells import CellValue, cell_at, column_letter

SummaryGrid = list[list[CellValue]]
"""Rows of typed cells, row 1 first."""

TITLE_ROW = 1
TIMESTAMP_CELL = (3, 1)
"""(1-based row, 0-based column) of `ปรับปรุงล่าสุด`: written only when the run changed something."""
REGION_HEADER_ROW = 7
"""Row of the region table's header; the chart's source starts here."""
META_LABEL = "ข้อมูลระบบ (ห้ามแก้ไข)"
META_ROW = 6
"""The worker's record sits in this row, just above the region table, hidden by the set-up."""
SYNC_NOW_LABEL = "ซิงก์ทันที"
SYNC_NOW_CELL = (1, 4)
"""(row, column) of the on-demand checkbox: E1 of the summary tab."""

REGION_COLUMNS: tuple[str, ...] = (
    "ภูมิภาค",
    "สถานะข้อมูล",
    "ข้อมูล ณ",
    "แถวที่อ่าน",
    h.STATUS_PASS,
    h.STATUS_WARN,
    h.STATUS_FAIL,
    h.STATUS_DUPLICATE,
    "ยกเลิก",
    "นับได้",
    "ผู้เข้าร่วม (ไม่ซ้ำ)",
    "สถานประกอบการ (ไม่ซ้ำ)",
    "ความพึงพอใจเฉลี่ย (ร้อยละ)",
    "ผู้พึงพอใจ (ร้อยละของผู้เข้าร่วม)",
    "ข้อมูลความพึงพอใจ",
    "สถานประกอบการผลิตภาพ ≥10% (ร้อยละ)",
    "ข้อมูลผลิตภาพ",
    "ของเสียลดลงเฉลี่ย (ร้อยละ)",
    "ต้นทุนลดลงเฉลี่ย (ร้อยละ)",
    "ยอดขายเพิ่มขึ้นเฉลี่ย (ร้อยละ)",
    "มูลค่าทางเศรษฐกิจ (บาท)",
    "ของเสียลดลง (บาท/ปี)",
    "ต้นทุนลดลง (บาท/ปี)",
    "ยอดขายเพิ่มขึ้น (บาท/ปี)",
    "รายได้เพิ่มขึ้น (บาท/ปี)",
    "มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี)",
    "ความรู้เพิ่มขึ้นเฉลี่ย (ร้อยละ)",
    "นำความรู้ไปใช้ได้เฉลี่ย (ร้อยละ)",
    "ให้บริการได้ (ราย)",
    "เกิดการจับคู่ธุรกิจ (ราย)",
    "มีแผนธุรกิจ (ราย)",
    "มีความพร้อมขอมาตรฐาน (ราย)",
)
"""The region table's columns (domain spec §7): counts, shares with their coverage, economic
value and its parts, and the form's own results."""
STATUS_COLUMN = REGION_COLUMNS.index("สถานะข้อมูล")
AS_OF_COLUMN = REGION_COLUMNS.index("ข้อมูล ณ")
"""Where a region row says whether its figures are this run's, and since when they are not."""
FIGURES_FROM = REGION_COLUMNS.index("แถวที่อ่าน")
"""First column of figures: a stale region keeps these from the summary before."""
ENTERPRISES_COLUMN = REGION_COLUMNS.index("สถานประกอบการ (ไม่ซ้ำ)")
"""Column of the chart's series: counted enterprises per region."""
FRESH = "ปัจจุบัน"
"""`สถานะข้อมูล` of a region read this run."""

PROBLEM_LIMIT = 20
"""How many of the most frequent problems the summary lists (besides each region's top 3)."""
PROBLEMS_PER_REGION = 3
"""Every region with problems shows at least this many of its own most frequent ones."""

LinkMaker = Callable[[str, int, str, str], CellValue]
"""(region, sheet row, finding token, label) -> a cell that takes a person to that row."""


@dataclass(frozen=True)
class SummaryInputs:
    """Everything the summary shows besides the figures themselves."""

    title: str
    profile_name: str
    fiscal_year: int
    updated_at: str
    meta_json: str


@dataclass(frozen=True)
class TabNotice:
    """
    Something about a regional tab's layout that headquarters must know: the tab was skipped
    (nothing identifies its rows), it lacks required columns (their checks were skipped), or a
    header tops two columns (the second is not read).
    """

    region: str
    title: str
    missing: tuple[str, ...]
    """The required columns not found (for a skipped tab: the identifying ones)."""
    skipped: bool = False
    tab_missing: bool = False
    """No tab answers to the region's name at all (renamed or deleted)."""
    doubled: tuple[tuple[str, int, int], ...] = ()
    """Input headers found in two columns: (header, the column read, the column not read),
    0-based. What people type under the second is not checked."""

    def english(self, header_row: int) -> str:
        """The line for logs, the CLI and `run --json`."""
        if self.doubled:
            return "; ".join(
                f"Tab {self.title!r} has {header!r} in columns {column_letter(read)} and "
                f"{column_letter(unread)} of header row {header_row} — column "
                f"{column_letter(unread)} is not read: rename or remove one of them"
                for header, read, unread in self.doubled
            )
        if self.tab_missing:
            return (
                f"No tab named {self.region!r}: that region was not synced (the others were) — "
                "rename the tab back or fix the region list in the configuration."
            )
        names = (" or " if self.skipped else ", ").join(repr(m) for m in self.missing)
        if self.skipped:
            return (
                f"Tab {self.title!r} has no column {names} in header row {header_row} — "
                "nothing identifies its rows, so the tab was not written; restore the header."
            )
        return (
            f"Tab {self.title!r} has no column {names} in header row {header_row} — "
            "its rows were checked without it."
        )

    def reason(self) -> str:
        """Why a skipped tab has no figures this run, short, for its row of the region table."""
        if self.tab_missing:
            return f"ไม่พบแท็บ {self.region}"
        return f"แท็บ {self.title} ไม่มีคอลัมน์ {' หรือ '.join(self.missing)}"

    def thai(self) -> str:
        """The line on the summary tab."""
        if self.doubled:
            return " ".join(
                f"แท็บ {self.title}: หัวคอลัมน์ {header} ซ้ำกันในคอลัมน์ {column_letter(read)} "
                f"และ {column_letter(unread)} — ระบบอ่านเฉพาะคอลัมน์ {column_letter(read)} "
                f"ข้อมูลในคอลัมน์ {column_letter(unread)} ไม่ถูกตรวจ กรุณาเปลี่ยนชื่อหรือลบคอลัมน์ที่ซ้ำ"
                for header, read, unread in self.doubled
            )
        if self.tab_missing:
            return (
                f"ไม่พบแท็บ {self.region}: ภูมิภาคนี้ไม่ได้ตรวจและไม่นับในรอบนี้ — กรุณาตั้งชื่อแท็บกลับให้ตรงกับที่กำหนด"
            )
        if self.skipped:
            names = " หรือ ".join(self.missing)
            return (
                f"แท็บ {self.title}: ไม่พบคอลัมน์ {names} จึงระบุตัวผู้เข้าร่วมไม่ได้ "
                "แท็บนี้ไม่ได้ตรวจและไม่นับ — กรุณาแก้หัวคอลัมน์ให้ตรงแบบฟอร์ม"
            )
        return (
            f"แท็บ {self.title}: ไม่พบคอลัมน์ {', '.join(self.missing)} "
            "— ตรวจแถวได้เฉพาะข้อที่ไม่ต้องใช้คอลัมน์นี้"
        )


def _figure_cells(f: RegionFigures) -> list[CellValue]:
    """The figures of one region (or the total), from `แถวที่อ่าน` on."""
    return [
        f.rows_read,
        f.passed,
        f.warned,
        f.failed,
        f.duplicates,
        f.cancelled,
        f.counted,
        f.unique_participants,
        f.unique_enterprises,
        f.satisfaction_average,
        f.satisfied.percent,
        f.satisfied.coverage if f.satisfied.base else None,
        f.productivity.percent,
        f.productivity.coverage if f.productivity.base else None,
        f.waste_reduction_average,
        f.cost_reduction_average,
        f.sales_increase_average,
        f.economic_value,
        *(f.economic_parts.get(part) for part in ECONOMIC_PARTS),
        f.knowledge_gain_average,
        f.knowledge_applied_average,
        *(f.ticked.get(box, 0) for box in FORM_CHECKBOXES),
    ]


def _previous_rows(previous: SummaryGrid) -> tuple[dict[str, list[CellValue]], CellValue]:
    """
    The region rows of the summary as it was before this run (only if its region table has
    today's columns), and when it was last updated.
    """
    if len(previous) < REGION_HEADER_ROW:
        return {}, None
    header = list(previous[REGION_HEADER_ROW - 1][: len(REGION_COLUMNS)])
    stamp = cell_at(previous, *TIMESTAMP_CELL)
    if header != list(REGION_COLUMNS):
        return {}, stamp
    rows: dict[str, list[CellValue]] = {}
    for row in previous[REGION_HEADER_ROW:]:
        if not row or not isinstance(row[0], str) or row[0] == TOTAL_LABEL:
            break
        rows[row[0]] = list(row) + [None] * (len(REGION_COLUMNS) - len(row))
    return rows, stamp


TOTAL_LABEL = "รวม"


def _as_cell(value: object) -> CellValue:
    """A value read back from the sheet as the cell it was written as (numbers stay numbers)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if value is None or isinstance(value, str | int | Decimal):
        return value
    return str(value)


def _region_rows(summary: Summary, regions: Sequence[str], previous: SummaryGrid) -> SummaryGrid:
    """
    One row per region, always: figures of this run, or for a region not read this run its
    reason and its last good figures marked stale with their date (never zeros).
    """
    before, stamp = _previous_rows(previous)
    rows: SummaryGrid = []
    for region in regions:
        figures = summary.regions.get(region)
        if figures is not None:
            rows.append([region, FRESH, None, *_figure_cells(figures)])
            continue
        reason = summary.skipped.get(region, "ไม่ได้อ่านในรอบนี้")
        old = before.get(region)
        if old is None or old[FIGURES_FROM] in (None, ""):
            rows.append([region, f"{reason} — ยังไม่มีตัวเลขเดิม", None])
            continue
        stale_before = old[STATUS_COLUMN] != FRESH and old[AS_OF_COLUMN] not in (None, "")
        as_of = old[AS_OF_COLUMN] if stale_before else stamp
        kept = [_as_cell(value) for value in old[FIGURES_FROM:]]
        rows.append([region, f"ตัวเลขเดิม (ไม่เป็นปัจจุบัน): {reason}", as_of, *kept])
    skipped = [r for r in regions if r not in summary.regions]
    scope = (
        f"รวม {len(summary.regions)} จาก {len(regions)} ภูมิภาค (ไม่รวม {', '.join(skipped)})"
        if skipped
        else f"รวมทุกภูมิภาค ({len(regions)})"
    )
    rows.append([TOTAL_LABEL, scope, None, *_figure_cells(summary.total)])
    return rows


def _left_out_note(left_out: Sequence[str]) -> str:
    """What a figure over the regions read says of those not read this run (§7: never silent)."""
    return f"ยังไม่รวม {', '.join(left_out)} (อ่านแท็บไม่ได้ในรอบนี้) ผลอาจเปลี่ยน"


def _target_rows(summary: Summary, left_out: Sequence[str]) -> SummaryGrid:
    """
    The profile's targets: actual, target, verdict and its note (coverage, which groups); with
    regions not read this run, the note says the targets are judged without them.
    """
    rows: SummaryGrid = [["ตัวชี้วัดเป้าหมาย", "ผลจริง", "เป้าหมาย", "ผลการประเมิน", "หมายเหตุ"]]
    for target in summary.targets:
        notes = [target.note, _left_out_note(left_out) if left_out else ""]
        note = " · ".join(n for n in notes if n)
        rows.append([target.label, target.actual, target.target, target.verdict, note or None])
    return rows


def _group_rows(summary: Summary, left_out: Sequence[str]) -> SummaryGrid:
    """
    Per group / network, against the per-group target (domain spec §6, correction); a last
    line names the regions whose rows are not in it this run.
    """
    target = summary.profile.enterprises_per_group
    rows: SummaryGrid = [
        [
            "กลุ่ม / เครือข่าย",
            "สถานประกอบการ (ไม่ซ้ำ)",
            "เป้าหมาย (ราย/กลุ่ม)",
            "ถึงเป้า",
            "ผู้เข้าร่วม (ไม่ซ้ำ)",
            "ผลิตภาพ ≥10% (ร้อยละ)",
            "ข้อมูลผลิตภาพ",
            "ผู้พึงพอใจ (ร้อยละ)",
            "ข้อมูลความพึงพอใจ",
            "มูลค่าทางเศรษฐกิจ (บาท)",
        ]
    ]
    for group in summary.groups:
        named = group.name is not None
        rows.append(
            [
                group.name if named else "(ไม่ระบุกลุ่ม)",
                group.enterprises,
                target if named else None,
                ("ถึง" if group.enterprises >= target else "ยังไม่ถึง") if named else None,
                group.participants,
                group.productivity.percent,
                group.productivity.coverage,
                group.satisfied.percent,
                group.satisfied.coverage,
                group.economic_value,
            ]
        )
    if not summary.groups:
        rows.append(["ยังไม่มีแถวที่นับได้"])
    if left_out:
        rows.append([_left_out_note(left_out)])
    return rows


def _problem_rows(
    summary: Summary,
    regions: Sequence[str],
    link: LinkMaker,
    column_label: Callable[[str], str],
    message: Callable[[str], str],
) -> SummaryGrid:
    """
    One line per problem in Thai with its rows per region, each count a link to that region's
    first such row; the code at the side for filtering.
    """
    rows: SummaryGrid = [["ปัญหาที่พบบ่อย", "คอลัมน์", "รวม (แถว)", *regions, "รหัส"]]
    for line in summary.problem_lines(PROBLEM_LIMIT, PROBLEMS_PER_REGION):
        counts: list[CellValue] = []
        for region in regions:
            found = line.regions.get(region)
            counts.append(
                None
                if found is None
                else link(region, found.first_row, line.code, str(found.count))
            )
        column = column_label(line.code)
        rows.append([message(line.code) or column, column, line.total, *counts, line.code])
    if len(rows) == 1:
        rows.append(["ไม่พบปัญหา"])
    return rows


def build_summary(
    summary: Summary,
    inputs: SummaryInputs,
    *,
    link: LinkMaker,
    column_label: Callable[[str], str],
    message: Callable[[str], str] = lambda token: "",
    sync_now: bool = False,
    notices: Sequence[TabNotice] = (),
    regions: Sequence[str] | None = None,
    previous: Sequence[Sequence[CellValue]] = (),
) -> SummaryGrid:
    """
    The summary tab's content (domain spec §7).

    `regions` is the configured region order (every one gets a row, read or not); `previous`
    is the summary as it was before this run, where a region not read now keeps its figures.
    `column_label` names the column a finding token points at and `message` says in Thai what
    the problem is, so headquarters need not read machine codes.
    """
    order = list(regions) if regions is not None else [*summary.regions, *summary.skipped]
    grid: SummaryGrid = [
        ["สรุปผลอัตโนมัติ (ระบบ — ห้ามแก้ไข)", None, None, SYNC_NOW_LABEL, sync_now],
        ["กิจกรรม", inputs.title],
        ["ปรับปรุงล่าสุด", inputs.updated_at],
        ["เกณฑ์เป้าหมาย", inputs.profile_name],
        ["ปีงบประมาณ", inputs.fiscal_year],
        [],
        list(REGION_COLUMNS),
    ]
    grid.extend(_region_rows(summary, order, [list(row) for row in previous]))
    grid.append([])
    left_out = [region for region in order if region not in summary.regions]
    grid.extend(_target_rows(summary, left_out))
    grid.append([])
    grid.extend(_group_rows(summary, left_out))
    if notices:
        grid.append([])
        grid.append(["แท็บที่มีปัญหา", "ภูมิภาค"])
        grid.extend([notice.thai(), notice.region] for notice in notices)
    grid.append([])
    grid.extend(_problem_rows(summary, order, link, column_label, message))
    grid[META_ROW - 1] = [META_LABEL, inputs.meta_json]
    return grid


COMPILED_HEADERS: tuple[str, ...] = (
    "ภูมิภาค",
    "แถว",
    h.FULL_NAME,
    h.NATIONAL_ID,
    h.MOBILE,
    h.EMAIL,
    h.ENTERPRISE_NAME,
    h.TAX_ID,
    h.PROVINCE,
    h.CHECK_STATUS,
)


def _text(value: object) -> CellValue:
    """People's values go out as text: copied, never interpreted, never run as a formula."""
    if value.__class__ is str:  # (most of them: as they are, a blank as None)
        return value or None
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def compiled_line(
    region: str,
    row: int,
    cells: Mapping[str, object],
    national_id: str | None,
    tax_id: str | None,
    status: str,
) -> list[CellValue]:
    """One counted participant's line of the compiled list, as HQ forwards it (made of the
    row's parts, no object for the row: a first run's list builds ~12,000 lines)."""
    get = cells.get
    return [
        region,
        row,
        _text(get(h.FULL_NAME)),
        national_id,
        _text(get(h.MOBILE)),
        _text(get(h.EMAIL)),
        _text(get(h.ENTERPRISE_NAME)),
        tax_id,
        _text(get(h.PROVINCE)),
        status,
    ]


CHART_COLUMN = 12
"""Column (0-based, M) of the chart's corner: right of the target, group and problem tables."""
WIDE_PX = 420
"""Column A: region names, target labels, group names and problems in Thai."""
STATUS_PX = 260
"""Column B: a region's data status (why a region is stale), the total's scope."""
FIGURE_PX = 118
"""Every other column: a figure under a wrapped Thai header."""
PERCENT_FORMAT = "0.00"
BAHT_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.##"


def _span(sheet_id: int, rows: tuple[int, int], cols: tuple[int, int]) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": rows[0],
        "endRowIndex": rows[1],
        "startColumnIndex": cols[0],
        "endColumnIndex": cols[1],
    }


def _number_format(sheet_id: int, rows: tuple[int, int], col: int, pattern: str) -> dict[str, Any]:
    return {
        "repeatCell": {
            "range": _span(sheet_id, rows, (col, col + 1)),
            "cell": {"userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": pattern}}},
            "fields": "userEnteredFormat.numberFormat",
        }
    }


def format_requests(sheet_id: int, regions: int, size: tuple[int, int]) -> list[dict[str, Any]]:
    """
    How the summary tab reads in Google Sheets and in its `.xlsx` copy: columns wide enough
    for Thai labels, wrapped bold headers, the title and region header frozen, numbers as
    `#,##0.##` (percentages `0.00`, baht `#,##0` in the region table; never `1.55E+08`), and
    the worker's record row hidden. Only the worker's own tab is formatted.
    """
    rows, cols = size
    requests: list[dict[str, Any]] = [
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": sheet_id,
                    "gridProperties": {"frozenRowCount": REGION_HEADER_ROW, "frozenColumnCount": 1},
                },
                "fields": "gridProperties(frozenRowCount,frozenColumnCount)",
            }
        }
    ]
    for start, end, px in ((0, 1, WIDE_PX), (1, 2, STATUS_PX), (2, cols, FIGURE_PX)):
        requests.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": start,
                        "endIndex": end,
                    },
                    "properties": {"pixelSize": px},
                    "fields": "pixelSize",
                }
            }
        )
    requests.append(
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "ROWS",
                    "startIndex": META_ROW - 1,
                    "endIndex": META_ROW,
                },
                "properties": {"hiddenByUser": True},
                "fields": "hiddenByUser",
            }
        }
    )
    requests.append(
        {
            "repeatCell": {
                "range": _span(sheet_id, (REGION_HEADER_ROW - 1, REGION_HEADER_ROW), (0, cols)),
                "cell": {
                    "userEnteredFormat": {
                        "wrapStrategy": "WRAP",
                        "verticalAlignment": "MIDDLE",
                        "textFormat": {"bold": True},
                    }
                },
                "fields": "userEnteredFormat(wrapStrategy,verticalAlignment,textFormat.bold)",
            }
        }
    )
    below = (REGION_HEADER_ROW, rows)
    requests.append(
        {
            "repeatCell": {
                "range": _span(sheet_id, below, (1, cols)),
                "cell": {
                    "userEnteredFormat": {
                        "numberFormat": {"type": "NUMBER", "pattern": NUMBER_FORMAT},
                        "wrapStrategy": "WRAP",
                    }
                },
                "fields": "userEnteredFormat(numberFormat,wrapStrategy)",
            }
        }
    )
    table = (REGION_HEADER_ROW, REGION_HEADER_ROW + regions + 1)
    for col, name in enumerate(REGION_COLUMNS):
        if "(ร้อยละ" in name:
            requests.append(_number_format(sheet_id, table, col, PERCENT_FORMAT))
        elif "(บาท" in name:
            requests.append(_number_format(sheet_id, table, col, BAHT_FORMAT))
    return requests


def chart_request(sheet_id: int, regions: int, title: str) -> dict[str, object]:
    """A column chart of counted enterprises per region, anchored beside the summary."""

    def source(col: int) -> dict[str, object]:
        return {
            "sourceRange": {
                "sources": [
                    {
                        "sheetId": sheet_id,
                        "startRowIndex": REGION_HEADER_ROW - 1,
                        "endRowIndex": REGION_HEADER_ROW + regions,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    }
                ]
            }
        }

    return {
        "addChart": {
            "chart": {
                "spec": {
                    "title": title,
                    "basicChart": {
                        "chartType": "COLUMN",
                        "legendPosition": "BOTTOM_LEGEND",
                        "headerCount": 1,
                        "domains": [{"domain": source(0)}],
                        "series": [
                            {"series": source(ENTERPRISES_COLUMN), "targetAxis": "LEFT_AXIS"}
                        ],
                    },
                },
                "position": {
                    "overlayPosition": {
                        # Beside the targets, right of every table below the region table.
                        "anchorCell": {
                            "sheetId": sheet_id,
                            "rowIndex": REGION_HEADER_ROW + regions + 2,
                            "columnIndex": CHART_COLUMN,
                        }
                    }
                },
            }
        }
    }
