"""
The worker end to end: the real gspread client over HTTP against the emulator.

What a regional user and headquarters would check: every worker cell, the summary, the
set-up, that a second run costs one request, and that no person's cell ever changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

import kpi
import rules
from rules import headers as h
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core.round import thai_timestamp
from sync.core.settings import SyncSettings
from sync.core.setup import CHART_TITLE, MARKER, PROTECTION_DESCRIPTION, anchor_name
from sync.core.summary import REGION_COLUMNS, REGION_HEADER_ROW
from sync.demo.data import EXPECTED_STATUS, DemoSpreadsheet
from sync.demo.seed import people_view, snapshot
from sync.run.loop import run_sync
from tests.sync.conftest import FIXED_NOW

Grid = list[list[Any]]


def _values(
    emulator: EmulatorHandle, sid: str, tab: str, render: str = "UNFORMATTED_VALUE"
) -> Grid:
    return emulator.store.get_values(sid, tab, render=render)


def _columns(grid: Grid) -> dict[str, int]:
    return {str(v): c for c, v in enumerate(grid[2]) if v not in (None, "")}


def _cell(row: list[Any], col: int) -> Any:
    value = row[col] if col < len(row) else None
    return None if value == "" else value


def _run(backend: GspreadBackend, sid: str, clock: Callable[[], datetime], **kw: Any) -> Any:
    return run_sync(backend, SyncSettings(spreadsheet_id=sid, **kw), clock=clock)


def test_every_worker_cell_is_filled_as_the_rules_and_manual_say(
    emulator: EmulatorHandle,
    loaded: str,
    small_demo: DemoSpreadsheet,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
) -> None:
    """Status follows the injected mistakes; KPIs equal kpi.compute_row; blank rows stay blank."""
    report = _run(backend, loaded, clock)
    assert "ok" == report.outcome
    checked = 0
    for tab in h.DEFAULT_REGION_TABS:
        grid = _values(emulator, loaded, tab)
        cols = _columns(grid)
        assert set(h.WORKER_HEADERS) <= set(cols), f"{tab} lacks worker columns"
        mapping = rules.map_headers(grid[2], grid[1])
        for number, row in enumerate(grid[3:], start=4):
            cells = mapping.row_cells(row)
            status = _cell(row, cols[h.CHECK_STATUS])
            if all(rules.is_blank(v) for v in cells.values()):
                assert all(_cell(row, cols[x]) is None for x in h.WORKER_HEADERS), (tab, number)
                continue
            kinds = small_demo.truth.get((tab, number), ())
            expected = EXPECTED_STATUS[kinds[0]] if kinds else h.STATUS_PASS
            assert expected == status, (tab, number, kinds, _cell(row, cols[h.DETAILS]))
            for header, value in kpi.compute_row(cells).items():
                got = _cell(row, cols[header])
                if isinstance(value, Decimal):
                    assert value == Decimal(repr(got)).quantize(Decimal("0.01")), (
                        tab,
                        number,
                        header,
                    )
                else:
                    assert value == got, (tab, number, header)
            has_findings = status in (h.STATUS_FAIL, h.STATUS_WARN)
            assert has_findings == (_cell(row, cols[h.DETAILS]) is not None), (tab, number)
            assert has_findings == (_cell(row, cols[h.ERROR_CODES]) is not None), (tab, number)
            assert (status == h.STATUS_DUPLICATE) <= str(
                _cell(row, cols[h.DUPLICATE_OF])
            ).startswith("ซ้ำกับ ศก.")
            assert thai_timestamp(FIXED_NOW) == _cell(row, cols[h.CHECKED_AT])
            checked += 1
    assert checked == sum(r.rows for r in report.regions.values())


def test_summary_counts_what_the_rows_say(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """Each region row of the summary counts the statuses written in that region's tab."""
    report = _run(backend, loaded, clock)
    summary = _values(emulator, loaded, h.SUMMARY_TAB)
    header = summary[REGION_HEADER_ROW - 1]
    assert list(REGION_COLUMNS) == header[: len(REGION_COLUMNS)]
    totals = [0, 0, 0, 0]
    first = REGION_COLUMNS.index(h.STATUS_PASS)
    rows_read = REGION_COLUMNS.index("แถวที่อ่าน")
    for i, tab in enumerate(h.DEFAULT_REGION_TABS):
        row = summary[REGION_HEADER_ROW + i]
        grid = _values(emulator, loaded, tab)
        col = _columns(grid)[h.CHECK_STATUS]
        statuses = [_cell(r, col) for r in grid[3:]]
        expected = [
            statuses.count(s)
            for s in (h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE)
        ]
        assert (tab, "ปัจจุบัน") == (row[0], row[1])
        assert expected == row[first : first + 4], tab
        totals = [a + b for a, b in zip(totals, expected, strict=True)]
        assert report.regions[tab].rows == row[rows_read]
    total_row = summary[REGION_HEADER_ROW + len(h.DEFAULT_REGION_TABS)]
    assert ["รวม", *totals] == [total_row[0], *total_row[first : first + 4]]
    assert "รวมทุกภูมิภาค (7)" == total_row[1]
    flat = [str(v) for r in summary for v in r]
    for target in report.targets:
        assert target["label"] in flat
    assert any(v.startswith("ปัญหาที่พบบ่อย") for v in flat)
    formulas = _values(emulator, loaded, h.SUMMARY_TAB, render="FORMULA")
    links = [v for r in formulas for v in r if isinstance(v, str) and v.startswith("=HYPERLINK(")]
    assert links and all('"#gid=' in v and "&range=" in v for v in links)


def test_setup_installs_block_rules_protection_and_chart(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """First run adds the labelled block, warning-only protection, colour rules and a chart."""
    _run(backend, loaded, clock)
    info = backend.read_info(loaded)
    by_title = info.by_title()
    for tab in h.DEFAULT_REGION_TABS:
        sheet = by_title[tab]
        ours = [
            r
            for r in sheet.conditional_formats
            if MARKER in str(r["booleanRule"]["condition"]["values"][0]["userEnteredValue"])
        ]
        assert 6 == len(ours), tab  # 4 status colours, problem cells by severity
        protections = [
            p for p in sheet.protected_ranges if p.get("description") == PROTECTION_DESCRIPTION
        ]
        assert 1 == len(protections) and protections[0].get("warningOnly") is True
        grid = _values(emulator, loaded, tab)
        columns = _columns(grid)
        block = columns[h.WORKER_HEADERS[0]]
        assert h.WORKER_SECTION_LABEL == grid[1][block]
        # One anchor (named range over the whole column) per worker column of the tab.
        anchors = {
            n["name"]: n["range"]
            for n in info.named_ranges
            if n["name"].startswith(f"sheetsync_{sheet.sheet_id}_")
        }
        assert {
            anchor_name(sheet.sheet_id, x): {
                "sheetId": sheet.sheet_id,
                "startColumnIndex": columns[x],
                "endColumnIndex": columns[x] + 1,
            }
            for x in h.WORKER_HEADERS
        } == anchors
    charts = by_title[h.SUMMARY_TAB].charts
    assert [CHART_TITLE] == [c["spec"]["title"] for c in charts]
    assert h.COMPILED_TAB in by_title


def test_second_run_makes_one_request_and_writes_nothing(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """An unchanged sheet costs one read, no write, and not even a new timestamp."""
    _run(backend, loaded, clock)
    before = snapshot(emulator.store, loaded)
    emulator.counters.reset()
    later = lambda: datetime(2024, 10, 3, 8, 0, tzinfo=FIXED_NOW.tzinfo)  # noqa: E731
    report = _run(backend, loaded, later)
    assert (1, 0, 0) == (emulator.counters.reads, emulator.counters.writes, report.cells_written)
    assert {"read": 1, "write": 0} == report.to_json()["requests"]
    assert before == snapshot(emulator.store, loaded)


def test_people_cells_are_identical_before_and_after(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """Everything outside the worker's columns and tabs is exactly as people left it."""
    before = snapshot(emulator.store, loaded)
    _run(backend, loaded, clock)
    after = snapshot(emulator.store, loaded)
    assert people_view(before) == people_view(after)
    assert set(before) < set(after)  # only the worker's tabs were added


def test_changed_row_moves_only_its_own_timestamp(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A fix typed into one row updates that row's results and time; other rows keep theirs."""
    _run(backend, loaded, clock)
    grid = _values(emulator, loaded, "ศก.2")
    cols = _columns(grid)
    emulator.store.set_values(loaded, "ศก.2", f"{_letter(cols[h.FULL_NAME])}5", [["สมชาย1 ใจดี"]])
    later = datetime(2024, 10, 3, 8, 0, tzinfo=FIXED_NOW.tzinfo)
    report = _run(backend, loaded, lambda: later)
    after = _values(emulator, loaded, "ศก.2")
    assert h.STATUS_FAIL == after[4][cols[h.CHECK_STATUS]]
    assert "ชื่อ-นามสกุล: ชื่อมีตัวเลขปนอยู่" in after[4][cols[h.DETAILS]]
    assert thai_timestamp(later) == after[4][cols[h.CHECKED_AT]]
    assert thai_timestamp(FIXED_NOW) == after[5][cols[h.CHECKED_AT]]
    # Read, summary (one batchUpdate), the row's cells through their column anchors, verify.
    assert (2, 2) == (report.reads, report.writes)
    summary = _values(emulator, loaded, h.SUMMARY_TAB)
    assert thai_timestamp(later) == summary[2][1]


def test_dry_run_plans_and_writes_nothing(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """`--dry-run` reports the planned cells and leaves the spreadsheet untouched."""
    before = snapshot(emulator.store, loaded)
    emulator.counters.reset()
    report = _run(backend, loaded, clock, dry_run=True)
    assert report.planned and 0 == report.cells_written
    assert 0 == emulator.counters.writes
    assert before == snapshot(emulator.store, loaded)


def test_person_text_that_looks_like_a_formula_stays_text(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A name typed as `=IMPORTXML(...)` is copied to the compiled list as text, never run."""
    grid = _values(emulator, loaded, "ศก.1")
    col = _columns(grid)[h.FULL_NAME]
    hostile = '=IMPORTXML("http://example.invalid","//a")'
    emulator.store.set_values(loaded, "ศก.1", f"{_letter(col)}4", [[hostile]], user_entered=False)
    _run(backend, loaded, clock)
    compiled = _values(emulator, loaded, h.COMPILED_TAB, render="FORMULA")
    assert [hostile] == [v for r in compiled for v in r if v == hostile]
    rendered = _values(emulator, loaded, h.COMPILED_TAB, render="FORMATTED_VALUE")
    assert [hostile] == [v for r in rendered for v in r if v == hostile]


def _letter(col: int) -> str:
    from sync.core.cells import column_letter

    return column_letter(col)


@pytest.mark.parametrize("rows", [0])
def test_empty_regional_tabs_still_summarise(
    emulator: EmulatorHandle, backend: GspreadBackend, clock: Callable[[], datetime], rows: int
) -> None:
    """Tabs with headers but no rows give a summary of zeros and unmet targets, no crash."""
    from sync.demo.data import generate_spreadsheet
    from sync.demo.seed import load_demo

    sid = load_demo(emulator.store, generate_spreadsheet(rows_per_region=rows, seed=1))
    report = _run(backend, sid, clock)
    assert "ok" == report.outcome
    assert all(0 == c.rows for c in report.regions.values())
    assert report.targets[0]["met"] is False


def test_header_row_is_configuration(
    emulator: EmulatorHandle,
    loaded: str,
    small_demo: DemoSpreadsheet,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
) -> None:
    """A form with two more title rows works once header and first data rows are configured."""
    from sheets_emulator import people

    for tab in h.DEFAULT_REGION_TABS:
        people.insert_rows(emulator.store, loaded, tab, 1, 2, values=[["ชื่อแบบฟอร์ม"], []])
    report = _run(backend, loaded, clock, header_row=5, first_data_row=6)
    assert "ok" == report.outcome
    grid = _values(emulator, loaded, "ศก.2")
    cols = {str(v): c for c, v in enumerate(grid[4]) if v not in (None, "")}
    for number, row in enumerate(grid[5:], start=6):
        kinds = small_demo.truth.get(("ศก.2", number - 2), ())
        if ("ศก.2", number - 2) not in small_demo.truth:
            continue
        expected = EXPECTED_STATUS[kinds[0]] if kinds else h.STATUS_PASS
        assert expected == _cell(row, cols[h.CHECK_STATUS]), number
