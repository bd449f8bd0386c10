"""
The headquarters tabs as plain grids: `สรุปอัตโนมัติ` (summary) and `รวบรวมรายชื่อ (ระบบ)`.

Pure functions from the run's figures to rows of typed cells (domain spec §7). The layout's
top part is fixed, so the chart installed once keeps pointing at the region block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kpi import RegionFigures, Summary
from rules import headers as h
from sync.cells import CellValue

SummaryGrid = list[list[CellValue]]
"""Rows of typed cells, row 1 first."""

TITLE_ROW = 1
TIMESTAMP_CELL = (3, 1)
"""(1-based row, 0-based column) of `ปรับปรุงล่าสุด`: written only when the run changed something."""
REGION_HEADER_ROW = 7
"""Row of the region table's header; the chart's source starts here."""
META_LABEL = "ข้อมูลระบบ (ห้ามแก้ไข)"
SYNC_NOW_LABEL = "ซิงก์ทันที"
SYNC_NOW_CELL = (1, 4)
"""(row, column) of the on-demand checkbox: E1 of the summary tab."""

REGION_COLUMNS: tuple[str, ...] = (
    "ภูมิภาค",
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
    "ผู้ตอบที่พึงพอใจ (ร้อยละ)",
    "สถานประกอบการผลิตภาพ ≥10% (ร้อยละ)",
    "ของเสียลดลงเฉลี่ย (ร้อยละ)",
    "ต้นทุนลดลงเฉลี่ย (ร้อยละ)",
    "ยอดขายเพิ่มขึ้นเฉลี่ย (ร้อยละ)",
    "มูลค่าทางเศรษฐกิจ (บาท/ปี)",
)
ENTERPRISES_COLUMN = REGION_COLUMNS.index("สถานประกอบการ (ไม่ซ้ำ)")
"""Column of the chart's series: counted enterprises per region."""

PROBLEM_LIMIT = 20
"""How many of the most frequent problems the summary lists."""

LinkMaker = Callable[[str, int, str], CellValue]
"""(region, sheet row, finding token) -> a cell that takes a person to that row."""


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
    (nothing identifies its rows), or it lacks required columns (their checks were skipped).
    """

    region: str
    title: str
    missing: tuple[str, ...]
    """The required columns not found (for a skipped tab: the identifying ones)."""
    skipped: bool = False

    def english(self, header_row: int) -> str:
        """The line for logs, the CLI and `run --json`."""
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

    def thai(self) -> str:
        """The line on the summary tab."""
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


def _figure_row(label: str, f: RegionFigures) -> list[CellValue]:
    values: list[CellValue] = [
        label,
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
        f.satisfied_share,
        f.productivity_share,
        f.waste_reduction_average,
        f.cost_reduction_average,
        f.sales_increase_average,
        f.economic_value,
    ]
    return values


def _met_text(met: bool | None) -> str:
    if met is None:
        return "ยังคำนวณไม่ได้"
    return "ผ่านเกณฑ์" if met else "ยังไม่ผ่านเกณฑ์"


def build_summary(
    summary: Summary,
    inputs: SummaryInputs,
    *,
    link: LinkMaker,
    column_label: Callable[[str], str],
    message: Callable[[str], str] = lambda token: "",
    sync_now: bool = False,
    notices: Sequence[TabNotice] = (),
) -> SummaryGrid:
    """
    The summary tab's content.

    `column_label` names the column a finding token points at and `message` says in Thai
    what the problem is, so headquarters need not read machine codes.
    """
    grid: SummaryGrid = [
        ["สรุปผลอัตโนมัติ (ระบบ — ห้ามแก้ไข)", None, None, SYNC_NOW_LABEL, sync_now],
        ["กิจกรรม", inputs.title],
        ["ปรับปรุงล่าสุด", inputs.updated_at],
        ["เกณฑ์เป้าหมาย", inputs.profile_name],
        ["ปีงบประมาณ", inputs.fiscal_year],
        [],
        list(REGION_COLUMNS),
    ]
    for region, figures in summary.regions.items():
        grid.append(_figure_row(region, figures))
    grid.append(_figure_row("รวม", summary.total))
    grid.append([])
    grid.append(["ตัวชี้วัดเป้าหมาย", "ผลจริง", "เป้าหมาย", "ผลการประเมิน"])
    for target in summary.targets:
        actual: CellValue = target.actual
        grid.append([target.label, actual, target.target, _met_text(target.met)])
    if notices:
        grid.append([])
        grid.append(["แท็บที่มีปัญหา", "ภูมิภาค"])
        grid.extend([notice.thai(), notice.region] for notice in notices)
    grid.append([])
    grid.append(["ปัญหาที่พบบ่อย (รหัส)", "คอลัมน์", "ปัญหา", "ภูมิภาค", "จำนวนแถว", "แถวแรก"])
    for problem in summary.problems[:PROBLEM_LIMIT]:
        grid.append(
            [
                problem.code,
                column_label(problem.code),
                message(problem.code),
                problem.region,
                problem.count,
                link(problem.region, problem.first_row, problem.code),
            ]
        )
    if not summary.problems:
        grid.append(["ไม่พบปัญหา"])
    grid.append([])
    grid.append([META_LABEL, inputs.meta_json])
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


@dataclass(frozen=True)
class CompiledRow:
    """One counted participant as HQ forwards it."""

    region: str
    row: int
    cells: Mapping[str, object]
    national_id: str | None
    tax_id: str | None
    status: str


def _text(value: object) -> CellValue:
    """People's values go out as text: copied, never interpreted, never run as a formula."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def build_compiled(rows: Sequence[CompiledRow]) -> SummaryGrid:
    """Every counted row of every region, in tab-then-row order."""
    grid: SummaryGrid = [list(COMPILED_HEADERS)]
    for r in rows:
        grid.append(
            [
                r.region,
                r.row,
                _text(r.cells.get(h.FULL_NAME)),
                r.national_id,
                _text(r.cells.get(h.MOBILE)),
                _text(r.cells.get(h.EMAIL)),
                _text(r.cells.get(h.ENTERPRISE_NAME)),
                r.tax_id,
                _text(r.cells.get(h.PROVINCE)),
                r.status,
            ]
        )
    return grid


def grid_cells(grid: SummaryGrid) -> dict[tuple[int, int], CellValue]:
    """A grid as (1-based row, 0-based column) -> value, for diffing."""
    return {
        (r, c): value
        for r, row in enumerate(grid, start=1)
        for c, value in enumerate(row)
        if value is not None and value != ""
    }


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
                        "anchorCell": {
                            "sheetId": sheet_id,
                            "rowIndex": REGION_HEADER_ROW - 1,
                            "columnIndex": len(REGION_COLUMNS) + 1,
                        }
                    }
                },
            }
        }
    }
