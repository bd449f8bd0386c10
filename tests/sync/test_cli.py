"""The `sheetsync` command as an operator uses it: exit codes, one-line reasons, JSON contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sheets_emulator.http.server import EmulatorHandle
from sync.cli import main
from sync.demo.run import run_demo
from sync.run.history import RunHistory


def _run(args: list[str], tmp_path: Path) -> int:
    history = tmp_path / "history.sqlite3"
    config = tmp_path / "c.toml"
    config.write_text(f'[service]\nhistory = "{history}"\n', encoding="utf-8")
    return main(["run", "--config", str(config), *args])


def test_run_json_contract(
    emulator: EmulatorHandle, loaded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --json` prints one object with the documented keys and exits 0 on completion."""
    code = _run(["--endpoint", emulator.base_url, "--spreadsheet", loaded, "--json"], tmp_path)
    assert 0 == code
    out = json.loads(capsys.readouterr().out)
    for key in (
        "spreadsheet_id", "started_at", "finished_at", "outcome", "error", "requests",
        "cells_written", "regions", "targets",
    ):  # fmt: skip
        assert key in out
    assert "ok" == out["outcome"] and out["cells_written"] > 0
    assert {"read", "write"} == set(out["requests"])
    assert {"rows", "ผ่าน", "คำเตือน", "ไม่ผ่าน", "ซ้ำ", "ยกเลิก", "counted"} == set(
        out["regions"]["ศก.1"]
    )
    assert {"name", "label", "actual", "target", "met"} <= set(out["targets"][0])
    runs = RunHistory(tmp_path / "history.sqlite3").last_runs()
    assert [(loaded, "ok")] == [(r.spreadsheet_id, r.outcome) for r in runs]


def test_dry_run_prints_masked_plan(
    emulator: EmulatorHandle, loaded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--dry-run --verbose` lists every planned cell, personal data masked, writes nothing."""
    code = _run(
        ["--endpoint", emulator.base_url, "--spreadsheet", loaded, "--dry-run", "--verbose"],
        tmp_path,
    )
    out = capsys.readouterr().out
    assert 0 == code
    assert "cells planned (dry run)" in out and "  ศก.1!" in out
    assert 0 == emulator.counters.writes
    ids = [line for line in out.splitlines() if "รวบรวมรายชื่อ (ระบบ)!D" in line][1:]
    phones = [line for line in out.splitlines() if "รวบรวมรายชื่อ (ระบบ)!E" in line][1:]
    assert ids and all("xxxx" in line for line in ids), ids[:3]
    assert phones and all("xxx" in line for line in phones), phones[:3]
    assert not re.search(r"\d{13}|\b0\d{9}\b|\w@\w", out)


@pytest.mark.parametrize(
    ("args", "reason", "exit_code"),
    [
        (
            ["--spreadsheet", "1nope"],
            "SpreadsheetNotFound: Spreadsheet 1nope was not found (404)",
            1,
        ),
        ([], "ConfigError: No spreadsheet: pass --spreadsheet ID", 2),
    ],
)
def test_failures_are_one_line_and_non_zero(
    emulator: EmulatorHandle,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    reason: str,
    exit_code: int,
) -> None:
    """A run that cannot happen exits 1 (2: a configuration mistake) with `Type: reason`, its
    one line on stderr (the log's own `run_failed` line would say it twice)."""
    code = _run(["--endpoint", emulator.base_url, *args], tmp_path)
    err = capsys.readouterr().err.strip().splitlines()
    assert exit_code == code
    assert len(err) == 1 and err[0].startswith(reason), err


def test_google_without_credentials_says_how_to_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pointing at Google with no key is refused before any request, saying where a key goes;
    a configuration mistake, nothing tried: exit 2."""
    code = _run(["--spreadsheet", "1abc"], tmp_path)
    assert 2 == code
    assert "ConfigError: No credentials" in capsys.readouterr().err


def test_demo_runs_twice_and_exports(tmp_path: Path) -> None:
    """The demo syncs, shows an unchanged second run costs one read, and writes an .xlsx."""
    result = run_demo(out_dir=tmp_path, rows_per_region=8)
    assert "ok" == result.first.outcome and result.first.cells_written > 0
    assert (1, 0, 0) == (result.second.reads, result.second.writes, result.second.cells_written)
    assert result.xlsx.exists() and result.xlsx.stat().st_size > 10_000
    from openpyxl import load_workbook

    book = load_workbook(result.xlsx)
    assert {"ศก.1", "สรุปอัตโนมัติ", "รวบรวมรายชื่อ (ระบบ)"} <= set(book.sheetnames)


def test_the_summary_reads_well_in_the_xlsx_copy(tmp_path: Path) -> None:
    """The demo's .xlsx keeps what makes the summary readable: wide label columns, the frozen
    header, number formats (no `1.55E+08`), the chart, the checkbox and the record row hidden."""
    from openpyxl import load_workbook

    from sync.core.summary import (
        BAHT_FORMAT,
        META_LABEL,
        META_ROW,
        PERCENT_FORMAT,
        REGION_COLUMNS,
        REGION_HEADER_ROW,
    )

    result = run_demo(out_dir=tmp_path, rows_per_region=8)
    sheet = load_workbook(result.xlsx)["สรุปอัตโนมัติ"]
    assert sheet.column_dimensions["A"].width >= 50 and sheet.column_dimensions["B"].width >= 30
    assert f"B{REGION_HEADER_ROW + 1}" == sheet.freeze_panes
    assert 1 == len(sheet._charts)
    assert META_LABEL == sheet.cell(META_ROW, 1).value and sheet.row_dimensions[META_ROW].hidden
    first_region = REGION_HEADER_ROW + 1
    satisfied = REGION_COLUMNS.index("ผู้พึงพอใจ (ร้อยละของผู้เข้าร่วม)") + 1
    economic = REGION_COLUMNS.index("มูลค่าทางเศรษฐกิจ (บาท)") + 1
    assert PERCENT_FORMAT == sheet.cell(first_region, satisfied).number_format
    assert BAHT_FORMAT == sheet.cell(first_region, economic).number_format
    assert sheet.cell(REGION_HEADER_ROW, 4).alignment.wrap_text
    checkbox = [dv for dv in sheet.data_validations.dataValidation if "E1" in str(dv.sqref)]
    assert 1 == len(checkbox) and "TRUE" in (checkbox[0].formula1 or "")
