"""
Render the demo's summary tab to a PNG for the README: the demo's sync, its `.xlsx` copy of
`สรุปอัตโนมัติ` alone, printed by LibreOffice (`soffice`) and rasterised by `pdftoppm`.

Needs LibreOffice Calc, Poppler and a Thai font (Debian: libreoffice-calc-nogui,
poppler-utils, fonts-thai-tlwg); it is a documentation step, not part of the tests.
Usage: .venv/bin/python scripts/render_summary.py [OUT.png]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rules import headers as h
from sheets_emulator.files.xlsx import build_workbook
from sheets_emulator.http.server import run_emulator
from sync.core.settings import Config, ServiceConfig
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import REHEARSAL_TIME_ZONE, load_demo
from sync.run.runner import RunRequest, run_once


def main(out: Path) -> int:
    """Sync the demo, print its summary tab to a PNG at `out`."""
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"MissingTool: {tool} is not installed (see this script's docstring)")
            return 1
    demo = generate_spreadsheet(rows_per_region=40, seed=2567)
    with (
        run_emulator(seed_time_zone=REHEARSAL_TIME_ZONE) as emulator,
        tempfile.TemporaryDirectory() as folder,
    ):
        sid = load_demo(emulator.store, demo)
        config = Config(service=ServiceConfig(endpoint=emulator.base_url))
        report = run_once(config, RunRequest(spreadsheet_id=sid, trigger="demo"))
        if report.outcome != "ok":
            print(f"DemoFailed: {report.error}")
            return 1
        workbook = build_workbook(emulator.store, sid, tabs=[h.SUMMARY_TAB])
        sheet = workbook.worksheets[0]
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        # The region table's first columns, the tables below and the chart beside them.
        sheet.print_area = f"A1:T{min(sheet.max_row, 60)}"
        xlsx = Path(folder) / "summary.xlsx"
        workbook.save(xlsx)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(xlsx)],
            check=True,
            capture_output=True,
        )
        stem = out.with_suffix("")
        subprocess.run(
            # Page 1 at 200 dpi, cut to the tables and the chart (A3 landscape, fitted to width).
            [
                *("pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile"),
                *("-x", "140", "-y", "175", "-W", "3060", "-H", "960"),
                str(Path(folder) / "summary.pdf"),
                str(stem),
            ],
            check=True,
        )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/summary.png")))
