"""
`sheetsync demo`: the whole product on this machine, with nothing to configure.

Starts the emulator in-process, loads a generated spreadsheet with realistic mistakes, runs
one sync through the real gspread client over HTTP, prints what headquarters would see, runs
again to show that an unchanged sheet costs one request and no write, and exports the
result to an .xlsx file a person can open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sheets_emulator.files.xlsx import export_xlsx
from sheets_emulator.http.server import run_emulator
from sync.core.settings import Config, ServiceConfig, SpreadsheetConfig
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import REHEARSAL_TIME_ZONE
from sync.run.history import RunHistory
from sync.run.report import RunReport
from sync.run.runner import RunRequest, run_once


@dataclass(frozen=True)
class DemoResult:
    """What the demo did, for its printout and its test."""

    first: RunReport
    second: RunReport
    xlsx: Path
    spreadsheet_id: str


DEMO_ROWS_PER_REGION = 40
"""Rows per regional tab of the demo spreadsheet."""


def run_demo(
    *,
    out_dir: Path = Path("out"),
    rows_per_region: int | None = None,
    seed: int = 2567,
    error_rate: float = 0.15,
    fiscal_year: int = 2567,
    form: str = "spec",
) -> DemoResult:
    """
    Generate, sync twice, export; see the module docstring. `form` is the regional tabs'
    layout (`sync.demo.data.FORMS`): the spec's columns, or the appendix's real form.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = generate_spreadsheet(
        rows_per_region=DEMO_ROWS_PER_REGION if rows_per_region is None else rows_per_region,
        seed=seed,
        fiscal_year=fiscal_year,
        error_rate=error_rate,
        form=form,
    )
    with run_emulator(seed_time_zone=REHEARSAL_TIME_ZONE) as emulator:
        spreadsheet = emulator.store.create_spreadsheet(demo.title, sheets=tuple(demo.tabs))
        sid = spreadsheet.spreadsheet_id
        for title, grid in demo.tabs.items():
            emulator.store.set_values(sid, title, "A1", grid, user_entered=False)
        config = Config(
            service=ServiceConfig(endpoint=emulator.base_url),
            spreadsheets=[
                SpreadsheetConfig(
                    id=sid, header_row=demo.header_row, first_data_row=demo.first_data_row
                )
            ],
        )
        history = RunHistory(out_dir / "demo-history.sqlite3")
        request = RunRequest(spreadsheet_id=sid, fiscal_year=fiscal_year, trigger="demo")
        first = run_once(config, request, history=history)
        second = run_once(config, request, history=history)
        xlsx = out_dir / "demo.xlsx"
        export_xlsx(emulator.store, sid, xlsx)
    return DemoResult(first=first, second=second, xlsx=xlsx, spreadsheet_id=sid)


def print_demo(result: DemoResult, stream: TextIO) -> None:
    """A readable per-region summary of the demo's first run."""
    first = result.first
    w = stream.write
    w(f"Spreadsheet: {first.title}\n")
    w(
        f"First run : {first.outcome}, {first.reads} read + {first.writes} write requests, "
        f"{first.cells_written} cells written\n"
    )
    w(
        f"Second run: {result.second.outcome}, {result.second.reads} read + "
        f"{result.second.writes} write requests, {result.second.cells_written} cells written "
        "(nothing changed, so nothing was written)\n\n"
    )
    columns = ("แถว", "ผ่าน", "คำเตือน", "ไม่ผ่าน", "ซ้ำ", "ยกเลิก", "นับได้")
    widths = (6, 6, 8, 8, 5, 7, 7)
    w(f"{'ภูมิภาค':<8}" + "".join(f"{c:>{n}}" for c, n in zip(columns, widths, strict=True)))
    w("\n")
    totals = [0] * len(columns)
    for region, c in first.regions.items():
        if c.skipped:
            w(f"{region:<8}  {c.skipped}\n")
            continue
        values = [c.rows, c.passed, c.warned, c.failed, c.duplicates, c.cancelled, c.counted]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        w(f"{region:<8}" + "".join(f"{v:>{n}}" for v, n in zip(values, widths, strict=True)))
        w("\n")
    w(f"{'รวม':<8}" + "".join(f"{v:>{n}}" for v, n in zip(totals, widths, strict=True)) + "\n")
    w("(นับได้ = ผ่าน + คำเตือน ที่ไม่ได้ยกเลิก; ซ้ำ และ ไม่ผ่าน ไม่นับ)\n\n")
    w("เป้าหมาย:\n")
    for t in first.targets:
        note = f" ({t['note']})" if t.get("note") else ""
        w(f"  {t['label']}\n")
        actual = "—" if t["actual"] is None else t["actual"]  # (no row counted yet)
        w(f"    ผลจริง {actual!s}  เป้าหมาย {t['target']!s}  {t['verdict']}{note}\n")
    w(f"\nThe synced spreadsheet was exported to {result.xlsx}\n")
