"""Each reason a run cannot complete gives a clear one-line error and writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core.errors import RetriesExhausted, SheetLayoutError, SpreadsheetNotFound
from sync.core.settings import SyncSettings
from sync.demo.seed import snapshot
from sync.run.loop import run_sync


def _run(backend: GspreadBackend, sid: str, clock: Callable[[], datetime]) -> object:
    return run_sync(backend, SyncSettings(spreadsheet_id=sid), clock=clock)


def test_missing_regional_tab(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A configured region with no tab (renamed or deleted) never stops the others: they are
    synced, the run fails naming the tab, and the summary keeps that region's last figures."""
    first = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert "ok" == first.outcome
    sheet = emulator.store.get(loaded).sheet_by_title("ศก.4")
    assert sheet is not None
    people._batch(emulator.store, loaded, [{"deleteSheet": {"sheetId": sheet.sheet_id}}])
    from sync.core.cells import column_letter

    pin_col = emulator.store.get_values(loaded, "ศก.2")[2].index(h.NATIONAL_ID)
    people.type_value(emulator.store, loaded, "ศก.2", f"{column_letter(pin_col)}4", "12345")
    report = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert "failed" == report.outcome and "No tab named 'ศก.4'" in (report.error or "")
    assert "ไม่พบแท็บ ศก.4" == report.regions["ศก.4"].skipped
    assert report.regions["ศก.2"].failed > first.regions["ศก.2"].failed  # the others were synced
    summary = emulator.store.get_values(loaded, h.SUMMARY_TAB, render="UNFORMATTED_VALUE")
    row = next(r for r in summary if r and r[0] == "ศก.4")
    assert str(row[1]).startswith("ตัวเลขเดิม (ไม่เป็นปัจจุบัน): ไม่พบแท็บ ศก.4")
    assert first.regions["ศก.4"].rows == row[3]
    again = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert (0, "failed") == (again.writes, again.outcome)


def test_missing_options_tab(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """Without the `ตัวเลือก` tab the dropdown rules cannot run: the run stops and says so."""
    sheet = emulator.store.get(loaded).sheet_by_title(h.OPTIONS_TAB)
    assert sheet is not None
    people._batch(emulator.store, loaded, [{"deleteSheet": {"sheetId": sheet.sheet_id}}])
    with pytest.raises(SheetLayoutError, match=h.OPTIONS_TAB) as stopped:
        _run(backend, loaded, clock)
    assert 0 == emulator.counters.writes
    said = str(stopped.value)
    assert said.endswith(
        f"— restore the dropdown lists' tab '{h.OPTIONS_TAB}' (the form's own, renamed back or "
        "copied from the template)."
    )
    assert "region list" not in said  # (every region's tab is there)


def test_missing_required_column_skips_only_that_tab(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A tab whose national-ID and name headers are gone is not written (nothing identifies its
    rows); the others are; the run fails naming the tab."""
    grid = emulator.store.get_values(loaded, "ศก.3", render="FORMULA")
    from sync.core.cells import column_letter

    for header, typed in ((h.NATIONAL_ID, "เลขบัตร?"), (h.FULL_NAME, "ผู้เข้าร่วม")):
        col = grid[2].index(header)
        people.type_value(emulator.store, loaded, "ศก.3", f"{column_letter(col)}3", typed)
    before = snapshot(emulator.store, loaded)["ศก.3"]
    report = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert "failed" == report.outcome
    assert "'ศก.3'" in (report.error or "") and h.NATIONAL_ID in (report.error or "")
    assert before == snapshot(emulator.store, loaded)["ศก.3"]
    other = emulator.store.get_values(loaded, "ศก.2", render="FORMULA")
    assert h.CHECK_STATUS in other[2]


def test_unknown_spreadsheet(
    emulator: EmulatorHandle, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A wrong id is a 404 naming the id (the run adds where the id and endpoint came from)."""
    with pytest.raises(SpreadsheetNotFound, match=re.escape("1doesNotExist was not found (404)")):
        _run(backend, "1doesNotExist", clock)


def test_retries_exhausted_writes_nothing(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """A service that keeps failing ends the run clearly, after bounded retries, with no write."""
    before = snapshot(emulator.store, loaded)
    emulator.faults.fail_next(50, 503)
    with pytest.raises(RetriesExhausted, match="kept failing"):
        _run(backend, loaded, clock)
    assert 0 == emulator.counters.writes
    assert before == snapshot(emulator.store, loaded)


def test_transient_429_is_retried(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend, clock: Callable[[], datetime]
) -> None:
    """Two 429s (one with Retry-After) are absorbed by backoff; the run completes."""
    emulator.faults.fail_next(1, 429, retry_after_s=0.01)
    emulator.faults.fail_next(1, 429)
    report = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert "ok" == report.outcome
    assert 2 == emulator.counters.by_status.get(429)


@pytest.mark.parametrize("mode", ["mid_body", "before_response"])
def test_dropped_write_is_not_sent_twice(
    emulator: EmulatorHandle,
    loaded: str,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
    mode: str,
) -> None:
    """A first-run write whose answer is cut is applied once: no doubled rules or protections."""
    from sync.core.setup import MARKER, PROTECTION_DESCRIPTION

    emulator.faults.drop_next(1, kind="spreadsheets.batchUpdate", mode=mode)  # type: ignore[arg-type]
    report = run_sync(
        backend, SyncSettings(spreadsheet_id=loaded), clock=clock, pause=lambda attempt: None
    )
    assert "ok" == report.outcome
    again = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert (1, 0) == (again.reads, again.writes)
    info = backend.read_info(loaded)
    for sheet in info.sheets:
        if sheet.title not in h.DEFAULT_REGION_TABS:
            continue
        ours = [r for r in sheet.conditional_formats if MARKER in str(r)]
        kept = [p for p in sheet.protected_ranges if p.get("description") == PROTECTION_DESCRIPTION]
        assert 1 == len(kept), sheet.title
        assert len(ours) == len({str(r) for r in ours}), sheet.title
