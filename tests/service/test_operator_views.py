"""
What an operator reads: the dry run, the run history, `status`, and Ctrl-C during a run.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
from pathlib import Path

import pytest

from sheets_emulator.http.auth import AuthConfig, make_service_account_key
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sheets_emulator.people import type_value
from sync.cli import EXIT_INTERRUPTED, EXIT_USAGE, StopSwitch, main
from sync.core.mask import mask_personal
from sync.demo.data import DemoSpreadsheet
from sync.demo.seed import load_demo
from sync.run.history import RunHistory
from sync.run.report import RunReport
from sync.service import lock_path
from sync.service.locks import SpreadsheetBusy, spreadsheet_lock
from sync.service.status import format_duration


def _config(tmp_path: Path, endpoint: str, sheets: list[str]) -> Path:
    lines = [
        "[service]",
        f'endpoint = "{endpoint}"',
        f'history = "{tmp_path}/history.sqlite3"',
        f'lock_dir = "{tmp_path}/locks"',
        "retry_seconds = 5",
    ]
    for n, sid in enumerate(sheets):
        lines += ["[[spreadsheets]]", f'id = "{sid}"', f'label = "sheet {n}"']
    path = tmp_path / "sheetsync.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _column(emulator: EmulatorHandle, sid: str, header: str) -> str:
    """The A1 letter of a people's column, found by its header (row 3)."""
    client = make_gspread_client(emulator.base_url)
    try:
        headers = client.open_by_key(sid).worksheet("ศก.1").row_values(3)
    finally:
        client.http_client.session.close()
    index = headers.index(header)
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_dry_run_after_typing_two_cells_reads_in_a_glance(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    After a sync, two typed cells: the dry run names each tab with its rows by status, says
    which columns would change, shows the changes themselves with amounts as they are.
    """
    sid = sheet_ids[0]
    path = _config(tmp_path, emulator.base_url, [sid])
    assert 0 == main(["run", "--config", str(path)])
    after = _column(emulator, sid, "ผลิตทั้งหมดหลัง (หน่วย/เดือน)")
    type_value(emulator.store, sid, "ศก.1", f"{after}4", 987654321)
    type_value(emulator.store, sid, "ศก.1", f"{after}5", "")
    capsys.readouterr()
    assert 0 == main(["run", "--config", str(path), "--dry-run"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) < 40, lines
    assert "  set-up: none needed" == lines[1]
    tabs = [line for line in lines if re.match(r"  ศก\.\d: ", line)]
    assert 7 == len(tabs)
    assert re.fullmatch(
        r"  ศก\.1: 5 rows \(ผ่าน \d, คำเตือน \d, ไม่ผ่าน \d, ซ้ำ \d\); \d+ cells to change \(.*\)",
        tabs[0],
    ), tabs[0]
    assert "checked_at 1" in tabs[0]
    assert all(line.endswith("nothing to change") for line in tabs[1:])
    changes = [line for line in lines if line.startswith("    ศก.1!")]
    assert changes
    # Amounts with decimals, and the sheet ids in links, are shown as they are.
    assert not [line for line in lines if re.search(r"\d+x+\d*\.\d", line)], lines
    assert not [line for line in lines if re.search(r"gid=\d*x", line)], lines


def test_masking_spares_amounts_and_sheet_ids() -> None:
    """Only personal data is masked: amounts, links' tab ids and the worker's record are not."""
    record = '{"v":1,"sheet_ids":{"ศก.3":961234331,"ศก.4":827308000},"regions":{}}'
    assert record == mask_personal(record)
    assert "981234637.40" == mask_personal("981234637.40")
    # A phone or an ID that went through a float keeps its `.0` and is still masked.
    assert "81xxxx678.0" == mask_personal("812345678.0")
    assert "1xxxxxxxxxxx8.0" == mask_personal("1103702071838.0")
    link = '=HYPERLINK("#gid=961234331&range=A5","ศก.3 แถว 5")'
    assert link == mask_personal(link)
    assert "โทร 08xxxxx678, s***@example.com, 1-xxxx-xxxxx-xx-8" == mask_personal(
        "โทร 0812345678, somchai@example.com, 1-1037-02071-83-8"
    )


def _report(sid: str, started: str, outcome: str = "ok", **extra: object) -> RunReport:
    report = RunReport(
        run_id=f"{sid}-{started}",
        spreadsheet_id=sid,
        started_at=started,
        finished_at=started,
        outcome=outcome,
        reads=1,
        writes=0 if outcome == "ok" else 1,
        rounds=1,
    )
    for key, value in extra.items():
        setattr(report, key, value)
    return report


def _history_with_runs(tmp_path: Path) -> Path:
    path = _config(tmp_path, "http://127.0.0.1:8765", ["1sheetA", "1sheetB"])
    history = RunHistory(tmp_path / "history.sqlite3")
    history.record(_report("1sheetA", "2024-10-01T09:00:00+07:00", duration_s=0.42))
    history.record(
        _report(
            "1sheetA",
            "2024-10-02T09:00:00+07:00",
            "failed",
            error="QuotaExceeded: 429 after every retry",
            duration_s=121.5,
        )
    )
    history.record(_report("1sheetB", "2024-10-02T10:00:00+07:00", "interrupted", duration_s=3.2))
    history.record(_report("1sheetA", "2024-10-03T09:00:00+07:00", duration_s=0.38))
    return path


def test_history_lists_runs_newest_first_with_filters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`history` prints every run; `--spreadsheet`, `--since` narrow it; `--json` is a list."""
    path = _history_with_runs(tmp_path)
    assert 0 == main(["history", "--config", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert 5 == len(lines)
    assert lines[0].split() == [
        "started",
        "spreadsheet",
        "trigger",
        "outcome",
        "requests",
        "cells",
        "duration",
        "rounds",
        "error",
    ]
    assert ["2024-10-03", "09:00:00", "sheet", "0", "manual", "ok", "1r+0w", "0", "0.38s", "1"] == (
        lines[1].split()
    )
    assert "interrupted" in lines[2].split()
    assert lines[3].split()[5:9] == ["failed", "1r+1w", "0", "122s"]
    assert lines[3].endswith("QuotaExceeded: 429 after every retry")

    main(["history", "--config", str(path), "--spreadsheet", "1sheetA", "--since", "2024-10-02"])
    lines = capsys.readouterr().out.splitlines()
    assert ["2024-10-03", "2024-10-02"] == [line.split()[0] for line in lines[1:]]

    main(["history", "--config", str(path), "--since", "12h"])
    assert capsys.readouterr().out.startswith("no runs recorded since ")

    url = "https://docs.google.com/spreadsheets/d/1sheetB/edit#gid=0"
    main(["history", "--config", str(path), "--spreadsheet", url, "--json"])
    entries = json.loads(capsys.readouterr().out)
    assert [("1sheetB", "interrupted", 3.2)] == [
        (e["spreadsheet_id"], e["outcome"], e["duration_s"]) for e in entries
    ]


def test_history_since_that_is_no_date_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--since yesterday`: one ConfigError line, exit 2."""
    path = _history_with_runs(tmp_path)
    assert EXIT_USAGE == main(["history", "--config", str(path), "--since", "yesterday"])
    err = capsys.readouterr().err.splitlines()
    assert 1 == len(err)
    assert err[0].startswith("ConfigError: --since: 'yesterday' is neither a date/time")


def test_history_with_a_huge_limit_lists_every_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--limit 99999999999999999999` (past SQLite's integers) lists all four runs, no traceback."""
    path = _history_with_runs(tmp_path)
    assert 0 == main(["history", "--config", str(path), "--limit", "99999999999999999999"])
    assert 5 == len(capsys.readouterr().out.splitlines())


def test_status_shows_short_durations_and_the_last_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 0.38 s run is `0.38s`, not `0s`; an ok run still shows the last error and its time."""
    path = _history_with_runs(tmp_path)
    assert 0 == main(["status", "--config", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert "0.38s" in lines[1].split()
    assert lines[1].endswith("(last error 2024-10-02 09:00: QuotaExceeded: 429 after every retry)")
    assert ["0.38s", "3.2s", "122s", "12m05s", "-"] == [
        format_duration(s) for s in (0.38, 3.2, 121.5, 725, None)
    ]


def test_status_prune_forgets_ids_not_in_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A mistyped id tried once: `status --prune` drops its runs. Its lock file stays, and a run
    still holding it keeps the next run out (removing it would let two runs write at once).
    """
    path = _history_with_runs(tmp_path)
    RunHistory(tmp_path / "history.sqlite3").record(
        _report("1typo", "2024-10-04T08:00:00+07:00", "failed", error="SpreadsheetNotFound: …")
    )
    lock = lock_path(tmp_path / "locks", "1typo")
    lock.parent.mkdir(parents=True)
    lock.write_text("123\n", encoding="ascii")
    main(["status", "--config", str(path)])
    assert "1typo" in capsys.readouterr().out
    with spreadsheet_lock(tmp_path / "locks", "1typo"):  # a run still at it
        assert 0 == main(["status", "--config", str(path), "--prune"])
        with pytest.raises(SpreadsheetBusy), spreadsheet_lock(tmp_path / "locks", "1typo"):
            pass
    lines = capsys.readouterr().out.splitlines()
    assert "forgot 1typo (1 runs; not in the configuration)" == lines[0]
    assert ["sheet 0", "sheet 1"] == [" ".join(line.split()[:2]) for line in lines[2:]]
    assert lock.exists()
    assert ["1sheetA", "1sheetB"] == sorted(
        {row.spreadsheet_id for row in RunHistory(tmp_path / "history.sqlite3").runs()}
    )


def test_first_ctrl_c_lets_the_writes_land_and_records_the_run(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    Ctrl-C while the worker-tab write is in flight: the regional write of the same round
    still goes (summary and rows agree), the verify read does not, the run is recorded as
    interrupted, exit 130; the next run finds nothing to write.
    """
    sid = sheet_ids[0]
    path = _config(tmp_path, emulator.base_url, [sid])
    assert 0 == main(["run", "--config", str(path)])
    after = _column(emulator, sid, "ผลิตทั้งหมดหลัง (หน่วย/เดือน)")
    type_value(emulator.store, sid, "ศก.1", f"{after}4", 987654321)
    emulator.counters.reset()
    # Request 1 is the read; request 2 the worker tabs' batchUpdate: Ctrl-C arrives just then.
    emulator.faults.before_request(2, lambda store: os.kill(os.getpid(), signal.SIGINT))
    capsys.readouterr()
    code = main(["run", "--config", str(path)])
    err = capsys.readouterr().err
    assert EXIT_INTERRUPTED == code
    assert "Stopping after the write in flight" in err
    assert (1, 2) == (emulator.counters.reads, emulator.counters.writes)
    last = RunHistory(tmp_path / "history.sqlite3").runs(spreadsheet_id=sid)[0]
    assert "interrupted" == last.outcome
    assert (1, 2) == (last.reads, last.writes)
    emulator.counters.reset()
    assert 0 == main(["run", "--config", str(path)])
    assert (1, 0) == (emulator.counters.reads, emulator.counters.writes)


def test_second_ctrl_c_stops_at_once() -> None:
    """The switch asks to stop on the first Ctrl-C and raises KeyboardInterrupt on the second."""
    switch = StopSwitch()
    switch.handle(signal.SIGINT, None)
    assert switch.requested
    with pytest.raises(KeyboardInterrupt):
        switch.handle(signal.SIGINT, None)


def test_progress_counts_tabs_and_anchors_apart() -> None:
    """A read of 133 column anchors is not "133 tabs"; a batch of changes is one request."""
    import io

    from sync.service import ProgressPrinter

    stream = io.StringIO()
    printer = ProgressPrinter(stream, clock=lambda: 0.0)
    printer.on_read(8)
    printer.on_read(0, 133)
    printer.on_read(10)
    printer.on_write("the worker's tabs and set-up (1 request, 154 changes)")
    assert [
        "read 8 tabs",
        "read 133 column anchors",
        "verified (read 10 tabs again)",
        "writing the worker's tabs and set-up (1 request, 154 changes)…",
    ] == [line.split("] ", 1)[1] for line in stream.getvalue().splitlines()]


def test_check_config_online_asks_each_spreadsheet(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    `check-config --online`: a good sheet is ready; a missing one, a deleted tab and a
    cleared required header are each one line; exit 1.
    """
    from rules import headers as h

    good, no_tab, no_header = sheet_ids
    path = _config(tmp_path, emulator.base_url, [good, "1missing", no_tab, no_header])
    client = make_gspread_client(emulator.base_url)
    try:
        spreadsheet = client.open_by_key(no_tab)
        spreadsheet.del_worksheet(spreadsheet.worksheet("ศก.3"))
    finally:
        client.http_client.session.close()
    essential = h.ACTIVITY_NAME  # a required column (the tab would still sync, without it)
    type_value(emulator.store, no_header, "ศก.2", f"{_column(emulator, no_header, essential)}3", "")
    capsys.readouterr()
    emulator.counters.reset()
    code = main(["check-config", str(path), "--online"])
    captured = capsys.readouterr()
    out, err = captured.out.splitlines(), captured.err.splitlines()
    assert 1 == code
    assert "online: 1 of 4 spreadsheet(s) ready" in out
    assert f"  sheet 0 ({good}): reachable, shared, tabs and headers in place" in out
    assert 3 == len(err), err
    assert err[0].startswith("sheet 1 (1missing): SpreadsheetNotFound: Spreadsheet 1missing")
    assert f"sheet 2 ({no_tab}): no tab 'ศก.3'" == err[1]
    assert (
        f"sheet 3 ({no_header}): tab 'ศก.2' has no column {essential!r} in header row 3" == (err[2])
    )
    assert 0 == emulator.counters.writes


def test_check_config_online_names_the_account_to_share_with(
    tmp_path: Path, tiny_demo: DemoSpreadsheet, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sheet not shared with the service account: the line says with whom to share it."""
    account = "sheetsync@department-test.iam.gserviceaccount.com"
    key, public_pem = make_service_account_key(account)
    auth = AuthConfig(enabled=True, service_accounts={account: public_pem})
    with run_emulator(auth=auth) as emulator:
        key["token_uri"] = emulator.token_uri
        key_path = tmp_path / "key.json"
        key_path.write_text(json.dumps(key), encoding="utf-8")
        key_path.chmod(0o600)
        sid = load_demo(emulator.store, tiny_demo)
        emulator.store.get(sid).shared_with = {"someone.else@example.com"}
        path = _config(tmp_path, emulator.base_url, [sid])
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("[service]\n", f'[service]\ncredentials = "{key_path}"\n'),
            encoding="utf-8",
        )
        code = main(["check-config", str(path), "--online"])
    err = capsys.readouterr().err.splitlines()
    assert 1 == code
    assert [f"sheet 0 ({sid}): not shared with {account} — share it as Editor"] == err


class _Terminal(io.StringIO):
    """Standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_retry_at_a_terminal_is_a_progress_line(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 503 at a terminal: a `waiting … before trying again` line, then the run goes on."""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    emulator.faults.fail_next(1, 503)
    path = _config(tmp_path, emulator.base_url, [sheet_ids[0]])
    assert 0 == main(["run", "--config", str(path)])
    lines = [line.split("] ", 1)[-1] for line in terminal.getvalue().splitlines()]
    waits = [line for line in lines if line.startswith("waiting ")]
    assert 1 == len(waits), lines
    assert re.fullmatch(r"waiting [12] s before trying again \(HTTP 503; attempt 1\)", waits[0])
    assert lines[-1].startswith(f"{sheet_ids[0]}: ok;")


def test_ctrl_c_in_a_run_of_several_sheets_stops_before_the_next(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    Ctrl-C during the first sheet's first read: that sheet stops before writing anything and
    is recorded as interrupted, the others are not started; one line says which, exit 130.
    """
    first, second, third = sheet_ids
    path = _config(tmp_path, emulator.base_url, sheet_ids)
    emulator.faults.before_request(1, lambda store: os.kill(os.getpid(), signal.SIGINT))
    code = main(["run", "--config", str(path)])
    said = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("{")]
    assert EXIT_INTERRUPTED == code
    assert [
        "Stopping after the write in flight (press Ctrl-C again to stop at once)…",
        f"Interrupted: stopped by Ctrl-C during {first}, before its next request (recorded); "
        f"not run: {second}, {third}",
    ] == said
    assert 0 == emulator.counters.writes
    runs = RunHistory(tmp_path / "history.sqlite3").runs()
    assert [(first, "interrupted")] == [(r.spreadsheet_id, r.outcome) for r in runs]


def test_status_prune_without_spreadsheets_forgets_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A `--prune` with a configuration that lists no spreadsheet (its --config forgotten) would
    find every id "not in the configuration": it is refused in one line, exit 2, and the
    history is whole.
    """
    _history_with_runs(tmp_path)
    empty = _config(tmp_path, "http://127.0.0.1:8765", [])
    assert 2 == main(["status", "--config", str(empty), "--prune"])
    err = capsys.readouterr().err.strip()
    assert err == (
        "UsageError: status --prune: the configuration lists no spreadsheet, so every history "
        "would be forgotten; nothing was. Pass --config with the spreadsheets to keep."
    )
    assert 4 == len(list(RunHistory(tmp_path / "history.sqlite3").runs()))


def test_history_lists_the_runs_around_a_damaged_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run whose stored report was damaged still lists, and so do the others: no traceback."""
    import sqlite3

    path = _history_with_runs(tmp_path)
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        db.execute("UPDATE runs SET report_json = '{truncated' WHERE outcome = 'interrupted'")
    assert 0 == main(["history", "--config", str(path)])
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 5 and not out.err
    # The damaged run's line: what its row holds, its report's figures shown as unknown.
    assert lines[2].split() == [
        "2024-10-02", "10:00:00", "sheet", "1", "manual", "interrupted", "1r+1w", "0", "0.00s", "-"
    ]  # fmt: skip
    assert lines[3].endswith("QuotaExceeded: 429 after every retry")


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_history_since_the_edge_of_the_calendar_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], since: str
) -> None:
    """A `--since` Python cannot move to Bangkok time is refused in one line, exit 2."""
    path = _history_with_runs(tmp_path)
    assert 2 == main(["history", "--config", str(path), "--since", since])
    err = capsys.readouterr().err.strip()
    assert err == (
        f"ConfigError: --since: {since!r} is at the very edge of the calendar — give a date "
        "between 0002 and 9998, or leave --since out to list every run"
    )


def test_rows_an_earlier_version_kept_beside_the_runs_go(tmp_path: Path) -> None:
    """
    An earlier version kept the rows checked (national IDs) in the history file itself, which
    others may read: opening the history drops them and rewrites the file without them.
    """
    import sqlite3

    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE kept_rows (hint_key TEXT PRIMARY KEY, spreadsheet_id TEXT, code TEXT, "
            "rows BLOB)"
        )
        db.execute(
            "INSERT INTO kept_rows VALUES ('k', '1sheetA', 'c', ?)", (b"3101700123456" * 50,)
        )
    RunHistory(path).record(_report("1sheetA", "2024-10-01T09:00:00+07:00"))
    assert b"3101700123456" not in path.read_bytes()
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "kept_rows" not in tables and "runs" in tables
