"""
The department's real form end to end (domain spec §3.0): the appendix's Part 1 and Part 2
layouts synced through the real gspread client against the emulator, as a regional user and
headquarters would check them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

import rules
from rules import headers as h
from rules.header_map import header_key
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core.cells import column_letter
from sync.core.round import thai_timestamp
from sync.core.settings import BANGKOK, SyncSettings
from sync.demo.data import EXPECTED_STATUS, DemoSpreadsheet, generate_spreadsheet
from sync.demo.seed import load_demo, people_view, snapshot
from sync.run.loop import run_sync

Grid = list[list[Any]]


@pytest.fixture(scope="module", params=["appendix", "appendix-results"])
def form_demo(request: pytest.FixtureRequest) -> DemoSpreadsheet:
    """Seven regional tabs of 15 rows laid out as one of the appendix's two forms."""
    return generate_spreadsheet(rows_per_region=15, seed=7, form=request.param)


def _settings(demo: DemoSpreadsheet, sid: str) -> SyncSettings:
    return SyncSettings(
        spreadsheet_id=sid, header_row=demo.header_row, first_data_row=demo.first_data_row
    )


def _cell(row: list[Any], col: int) -> Any:
    value = row[col] if col < len(row) else None
    return None if value == "" else value


def _mapping(grid: Grid, header_row: int) -> rules.HeaderMap:
    sections = grid[header_row - 2] if header_row >= 2 else []
    return rules.map_headers(grid[header_row - 1], sections)


def test_the_real_form_syncs_end_to_end(
    emulator: EmulatorHandle,
    form_demo: DemoSpreadsheet,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
) -> None:
    """Every region is processed, every row's status is the one worked out by hand (the
    injected mistakes), no person's cell is written, and the next run writes nothing."""
    sid = load_demo(emulator.store, form_demo)
    before = people_view(snapshot(emulator.store, sid), header_row=form_demo.header_row)
    report = run_sync(backend, _settings(form_demo, sid), clock=clock)
    assert ("ok", [], []) == (report.outcome, report.layout_problems, report.layout_notes)
    assert all(report.regions[r].rows == 15 for r in h.DEFAULT_REGION_TABS), report.regions
    after = snapshot(emulator.store, sid)
    assert before == people_view(after, header_row=form_demo.header_row)

    header_row = form_demo.header_row
    for tab in h.DEFAULT_REGION_TABS:
        grid = emulator.store.get_values(sid, tab)
        mapping = _mapping(grid, header_row)
        assert set(h.STATUS_HEADERS) == set(mapping.worker), tab  # no raw figures, no KPIs
        for number, row in enumerate(grid[header_row:], start=header_row + 1):
            cells = mapping.row_cells(row)
            if all(rules.is_blank(v) for v in cells.values()):
                continue
            kinds = form_demo.truth[(tab, number)]
            expected = EXPECTED_STATUS[kinds[0]] if kinds else h.STATUS_PASS
            status = _cell(row, mapping.worker[h.CHECK_STATUS])
            assert expected == status, (tab, number, kinds, row[mapping.worker[h.DETAILS]])

    again = run_sync(backend, _settings(form_demo, sid), clock=clock)
    assert (1, 0, 0) == (again.reads, again.writes, again.cells_written)


def test_no_worker_header_equals_a_persons_header(
    emulator: EmulatorHandle,
    form_demo: DemoSpreadsheet,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
) -> None:
    """Whitespace removed, the worker's headers never repeat one of the form's own headers."""
    sid = load_demo(emulator.store, form_demo)
    run_sync(backend, _settings(form_demo, sid), clock=clock)
    for tab in h.DEFAULT_REGION_TABS:
        grid = emulator.store.get_values(sid, tab)
        headers = grid[form_demo.header_row - 1]
        worker = set(_mapping(grid, form_demo.header_row).worker.values())
        people = {header_key(v) for c, v in enumerate(headers) if c not in worker and v}
        assert people.isdisjoint({header_key(headers[c]) for c in worker}), tab


def _rename_header(
    emulator: EmulatorHandle, sid: str, tab: str, row: int, old: str, new: str
) -> None:
    grid = emulator.store.get_values(sid, tab)
    col = [header_key(v) for v in grid[row - 1]].index(header_key(old))
    letter = chr(ord("A") + col) if col < 26 else "A" + chr(ord("A") + col - 26)
    emulator.store.set_values(sid, tab, f"{letter}{row}", [[new]], user_entered=False)


def test_a_missing_column_costs_its_checks_not_the_tab(
    emulator: EmulatorHandle, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A tab whose mobile column was renamed is still checked (one notice on the summary); a
    tab with neither ID nor name is skipped with its reason, and the other regions go on."""
    demo = generate_spreadsheet(rows_per_region=10, seed=3, form="appendix-results")
    sid = load_demo(emulator.store, demo)
    _rename_header(emulator, sid, "ศก.2", 2, "โทรศัพท์มือถือ", "เบอร์")
    _rename_header(emulator, sid, "ศก.5", 2, "เลขบัตรประจำตัวประชาชน", "เลขบัตร?")
    _rename_header(emulator, sid, "ศก.5", 2, "ชื่อ-นามสกุล", "ผู้เข้าร่วม")
    report = run_sync(backend, _settings(demo, sid), clock=clock)

    assert 1 == len(report.layout_notes) and "'ศก.2'" in report.layout_notes[0]
    assert 1 == len(report.layout_problems) and "'ศก.5'" in report.layout_problems[0]
    assert all(report.regions[r].rows == 10 for r in h.DEFAULT_REGION_TABS if r != "ศก.5")
    second = emulator.store.get_values(sid, "ศก.2")
    mapping = _mapping(second, 2)
    statuses = {_cell(r, mapping.worker[h.CHECK_STATUS]) for r in second[2:] if r}
    assert statuses <= {h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE}
    assert h.STATUS_PASS in statuses
    summary = [
        " ".join(str(v) for v in row) for row in emulator.store.get_values(sid, h.SUMMARY_TAB)
    ]
    assert any("แท็บ ศก.2: ไม่พบคอลัมน์ โทรศัพท์มือถือ" in line for line in summary)
    assert any("แท็บ ศก.5: ไม่พบคอลัมน์" in line and "ไม่ได้ตรวจ" in line for line in summary)
    assert not rules.map_headers(emulator.store.get_values(sid, "ศก.5")[1]).worker


def test_a_header_typed_over_a_second_column_is_named_not_read_silently(
    emulator: EmulatorHandle, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """
    Someone retypes the remark column's header as `หน่วยงาน`: two columns answer to the agency
    header, the first is read, and what people type under the second would go unchecked with
    no word. The run goes on and says so, in English for the operator and in Thai on the
    summary, naming both columns, run after run until the header is fixed.
    """
    demo = generate_spreadsheet(rows_per_region=10, seed=3, form="appendix-results")
    sid = load_demo(emulator.store, demo)
    header = emulator.store.get_values(sid, "ศก.3")[1]
    keys = [header_key(v) for v in header]
    agency, remark = keys.index(header_key(h.AGENCY)), keys.index(header_key(h.REMARK))
    _rename_header(emulator, sid, "ศก.3", 2, h.REMARK, h.AGENCY)
    read, unread = sorted((agency, remark))
    letters = [
        chr(ord("A") + c) if c < 26 else "A" + chr(ord("A") + c - 26) for c in (read, unread)
    ]

    for _ in range(2):
        report = run_sync(backend, _settings(demo, sid), clock=clock)
        assert ("ok", []) == (report.outcome, report.layout_problems)
        assert [
            f"Tab 'ศก.3' has '{h.AGENCY}' in columns {letters[0]} and {letters[1]} of header row "
            f"2 — column {letters[1]} is not read: rename or remove one of them"
        ] == report.layout_notes
        summary = [
            " ".join(str(v) for v in row if v is not None)
            for row in emulator.store.get_values(sid, h.SUMMARY_TAB)
        ]
        assert (
            f"แท็บ ศก.3: หัวคอลัมน์ {h.AGENCY} ซ้ำกันในคอลัมน์ {letters[0]} และ {letters[1]} — "
            f"ระบบอ่านเฉพาะคอลัมน์ {letters[0]} ข้อมูลในคอลัมน์ {letters[1]} ไม่ถูกตรวจ "
            "กรุณาเปลี่ยนชื่อหรือลบคอลัมน์ที่ซ้ำ ศก.3"
        ) in summary
        assert 10 == report.regions["ศก.3"].rows


def test_a_region_not_read_keeps_its_last_good_figures(
    emulator: EmulatorHandle, backend: GspreadBackend
) -> None:
    """After a good run, ศก.5's identifying headers are renamed: its row on the summary keeps
    the figures of that run, marked stale with its date and the reason, never zeros; the
    total says it leaves ศก.5 out, and so does every target and the group table (judged
    without it); the next run changes nothing."""
    from sync.core.summary import REGION_COLUMNS, REGION_HEADER_ROW

    demo = generate_spreadsheet(rows_per_region=10, seed=3, form="appendix-results")
    sid = load_demo(emulator.store, demo)
    first = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK)
    run_sync(backend, _settings(demo, sid), clock=lambda: first)
    before = emulator.store.get_values(sid, h.SUMMARY_TAB, render="UNFORMATTED_VALUE")[
        REGION_HEADER_ROW + 4
    ]
    _rename_header(emulator, sid, "ศก.5", 2, "เลขบัตรประจำตัวประชาชน", "เลขบัตร?")
    _rename_header(emulator, sid, "ศก.5", 2, "ชื่อ-นามสกุล", "ผู้เข้าร่วม")
    later = lambda: datetime(2024, 10, 3, 9, 30, tzinfo=BANGKOK)  # noqa: E731
    run_sync(backend, _settings(demo, sid), clock=later)

    summary = emulator.store.get_values(sid, h.SUMMARY_TAB, render="UNFORMATTED_VALUE")
    row = summary[REGION_HEADER_ROW + 4]
    figures = REGION_COLUMNS.index("แถวที่อ่าน")
    assert "ศก.5" == row[0] and str(row[1]).startswith("ตัวเลขเดิม (ไม่เป็นปัจจุบัน): แท็บ ศก.5")
    assert thai_timestamp(first) == row[2]
    assert before[figures:] == row[figures:] and 10 == row[figures]
    total = summary[REGION_HEADER_ROW + 7]
    assert ("รวม", "รวม 6 จาก 7 ภูมิภาค (ไม่รวม ศก.5)", 60) == (total[0], total[1], total[figures])
    targets_at = next(i for i, r in enumerate(summary) if r and r[0] == "ตัวชี้วัดเป้าหมาย")
    targets = summary[targets_at + 1 : summary.index([], targets_at)]
    assert targets and all("ยังไม่รวม ศก.5" in str(r[4]) for r in targets), targets
    groups_at = next(i for i, r in enumerate(summary) if r and r[0] == "กลุ่ม / เครือข่าย")
    groups = summary[groups_at + 1 : summary.index([], groups_at)]
    assert str(groups[-1][0]).startswith("ยังไม่รวม ศก.5"), groups
    again = run_sync(backend, _settings(demo, sid), clock=later)
    assert (0, 0) == (again.writes, again.cells_written)


def _type_in_column(
    emulator: EmulatorHandle, sid: str, demo: DemoSpreadsheet, header: str, text: str
) -> list[int]:
    """Type `text` into every data row of ศก.1's column `header`, as the Sheets UI parses it;
    the sheet rows typed into."""
    grid = emulator.store.get_values(sid, "ศก.1")
    col = [header_key(v) for v in grid[demo.header_row - 1]].index(header_key(header))
    rows = list(range(demo.first_data_row, len(grid) + 1))
    for row in rows:
        emulator.store.set_values(sid, "ศก.1", f"{column_letter(col)}{row}", [[text]])
    return rows


def _region_figure(emulator: EmulatorHandle, sid: str, label: str) -> float:
    """ศก.1's figure of one column of the summary's region table."""
    from sync.core.summary import REGION_COLUMNS, REGION_HEADER_ROW

    summary = emulator.store.get_values(sid, h.SUMMARY_TAB, render="UNFORMATTED_VALUE")
    region = summary[REGION_HEADER_ROW]
    assert region[0] == "ศก.1"
    return float(region[REGION_COLUMNS.index(label)])


SATISFACTION_AVERAGE = "ความพึงพอใจเฉลี่ย (ร้อยละ)"


def test_a_percentage_typed_with_its_sign_counts_as_typed(
    emulator: EmulatorHandle, backend: GspreadBackend
) -> None:
    """
    Typing `92%` makes Sheets keep 0.92 with a percent format, which a read of values gives:
    ศก.1's satisfaction, knowledge gained and waste reduced typed so (and one `7.5` typed as
    a plain number) count as 92, 80, 12.5 and 7.5, not 0.92, 0.8, 0.125; the summary's
    averages say so (waste: 8 rows of 12.5 and the 7.5 over the 9 counted, 11.67). It costs
    one read of those columns as people see them, and the next run is its one read.
    """
    demo = generate_spreadsheet(rows_per_region=10, seed=3, form="appendix-results")
    sid = load_demo(emulator.store, demo)
    rows = _type_in_column(emulator, sid, demo, h.RESULT_SATISFACTION_PCT, "92%")
    _type_in_column(emulator, sid, demo, h.KNOWLEDGE_GAIN, "80%")
    _type_in_column(emulator, sid, demo, h.RESULT_WASTE_PCT, "12.5%")
    grid = emulator.store.get_values(sid, "ศก.1")
    headers = [header_key(v) for v in grid[demo.header_row - 1]]
    waste = column_letter(headers.index(header_key(h.RESULT_WASTE_PCT)))
    emulator.store.set_values(sid, "ศก.1", f"{waste}{rows[0]}", [["7.5"]])  # no sign: 7.5
    read = emulator.store.get_values(sid, "ศก.1", render="UNFORMATTED_VALUE")
    satisfaction = headers.index(header_key(h.RESULT_SATISFACTION_PCT))
    assert read[rows[1] - 1][satisfaction] == 0.92  # what the read of values gives
    at = lambda: datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK)  # noqa: E731
    run_sync(backend, _settings(demo, sid), clock=at)

    assert _region_figure(emulator, sid, "นับได้") == 9
    assert _region_figure(emulator, sid, SATISFACTION_AVERAGE) == 92
    assert _region_figure(emulator, sid, "ความรู้เพิ่มขึ้นเฉลี่ย (ร้อยละ)") == 80
    assert _region_figure(emulator, sid, "ของเสียลดลงเฉลี่ย (ร้อยละ)") == 11.67
    again = run_sync(backend, _settings(demo, sid), clock=at)
    assert (again.reads, again.writes) == (1, 0)


def test_a_percentage_typed_with_its_sign_stays_as_typed_on_later_days_and_lists(
    emulator: EmulatorHandle, backend: GspreadBackend
) -> None:
    """
    `92%` in every row of ศก.1: the next day's run (every row's results checked again for the
    new date, none of them read anew) and a run after the `ตัวเลือก` lists changed still
    count 92, not 0.92; `150%` is refused as 150 is (0–100), not taken as 1.5.
    """
    demo = generate_spreadsheet(rows_per_region=8, seed=3, form="appendix-results")
    sid = load_demo(emulator.store, demo)
    rows = _type_in_column(emulator, sid, demo, h.RESULT_SATISFACTION_PCT, "92%")

    def average() -> float:
        return _region_figure(emulator, sid, SATISFACTION_AVERAGE)

    for day in (2, 3):
        moment = datetime(2024, 10, day, tzinfo=BANGKOK)
        run_sync(backend, _settings(demo, sid), clock=lambda moment=moment: moment)
        assert average() == 92, day
    options = emulator.store.get_values(sid, "ตัวเลือก")
    emulator.store.set_values(sid, "ตัวเลือก", f"A{len(options) + 1}", [["ตัวเลือกใหม่"]])
    run_sync(backend, _settings(demo, sid), clock=lambda: datetime(2024, 10, 3, tzinfo=BANGKOK))
    assert average() == 92
    grid = emulator.store.get_values(sid, "ศก.1")
    headers = [header_key(v) for v in grid[demo.header_row - 1]]
    letter = column_letter(headers.index(header_key(h.RESULT_SATISFACTION_PCT)))
    emulator.store.set_values(sid, "ศก.1", f"{letter}{rows[0]}", [["150%"]])
    report = run_sync(
        backend, _settings(demo, sid), clock=lambda: datetime(2024, 10, 3, tzinfo=BANGKOK)
    )
    assert report.outcome == "ok"
    row = emulator.store.get_values(sid, "ศก.1")[rows[0] - 1]
    status, details = (headers.index(header_key(x)) for x in (h.CHECK_STATUS, h.DETAILS))
    assert (row[status], row[details]) == (
        h.STATUS_FAIL,
        "ความพึงพอใจ (ร้อยละ): ต้องอยู่ระหว่าง 0–100",
    )
