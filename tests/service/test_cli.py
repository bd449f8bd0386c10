"""The service's commands: check-config, status, and run's lock and progress display."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sheets_emulator.http.server import EmulatorHandle
from sync.cli import main
from sync.core.settings import Config
from sync.run.history import RunHistory
from sync.run.report import RegionCounts, RunReport
from sync.run.runner import RunRequest
from sync.service import ProgressPrinter, progress_for, run_locked, spreadsheet_lock

VALID = """
[service]
endpoint = "http://127.0.0.1:8765"
history = "{tmp}/history.sqlite3"
lock_dir = "{tmp}/locks"

[[spreadsheets]]
id = "1sheetA"
label = "กิจกรรม ก"

[[spreadsheets]]
id = "1sheetB"
label = "Cluster B"
profile = "tor-2569"
schedule = "0 8 * * mon"
"""


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheetsync.toml"
    path.write_text(text.replace("{tmp}", str(tmp_path)), encoding="utf-8")
    return path


def test_check_config_says_ok_and_summarises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A valid file: exit 0, `OK`, then one line per spreadsheet with its schedule."""
    code = main(["check-config", "--config", str(_write(tmp_path, VALID))])
    out = capsys.readouterr().out.splitlines()
    assert 0 == code
    assert "OK" == out[0]
    assert "  Cluster B (1sheetB): 0 8 * * mon + 30 1 * * *; tor-2569; fiscal year 2567" == out[-1]


KEY_OPEN = "open"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('schedule = "0 8 * * mon"', 'schedule = "0 8 * *"'),
            "spreadsheets[1sheetB].schedule: '0 8 * *' has 4 fields; a schedule needs 5",
        ),
        (
            ('profile = "tor-2569"', 'profile = "tor-2570"'),
            "spreadsheets[1sheetB].profile: unknown profile 'tor-2570'",
        ),
        (('id = "1sheetB"', 'id = "1sheetA"'), "spreadsheets: id '1sheetA' is listed twice"),
        (('lock_dir = "', 'colour = "blue"\nlock_dir = "'), "service.colour: Extra inputs"),
        (
            ('endpoint = "http://127.0.0.1:8765"', 'credentials = "{tmp}/missing.json"'),
            "service.credentials: {tmp}/missing.json does not exist",
        ),
        (
            ('endpoint = "http://127.0.0.1:8765"', 'credentials = "{tmp}/key.json"'),
            "service.credentials: Credentials file {tmp}/key.json is readable by other users",
        ),
        (('endpoint = "http://127.0.0.1:8765"', ""), "service.credentials: not set"),
        (
            ('lock_dir = "{tmp}/locks"', 'lock_dir = "{tmp}/key.json/locks"'),
            "service.lock_dir: {tmp}/key.json/locks cannot be kept there ({tmp}/key.json is a "
            "file, not a folder) — fix the path",
        ),
        (("[[spreadsheets]]", "[[nothing]]"), "nothing: Extra inputs are not permitted"),
    ],
)
def test_each_config_problem_is_one_explained_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    expected: str,
) -> None:
    """A broken file: exit 2 and one line per problem naming the file and the field."""
    key = tmp_path / "key.json"
    key.write_text("{}", encoding="utf-8")
    os.chmod(key, 0o644)
    path = _write(tmp_path, VALID.replace(*change))
    code = main(["check-config", "--config", str(path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err), err
    assert err[0].startswith(f"{path}: {expected.replace('{tmp}', str(tmp_path))}"), err


def test_check_config_blames_a_variable_for_what_it_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    A key path from `GOOGLE_APPLICATION_CREDENTIALS` and a schedule from
    `SHEETSYNC_DEFAULTS__SCHEDULE`: each problem names the variable, not the file.
    """
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    monkeypatch.setenv("SHEETSYNC_DEFAULTS__SCHEDULE", "every day")
    path = _write(tmp_path, VALID.replace('endpoint = "http://127.0.0.1:8765"', ""))
    assert 2 == main(["check-config", "--config", str(path)])
    assert sorted(capsys.readouterr().err.splitlines()) == [
        f"$GOOGLE_APPLICATION_CREDENTIALS: service.credentials: {tmp_path}/missing.json does "
        "not exist — put the service-account key there or fix the path",
        "$SHEETSYNC_DEFAULTS__SCHEDULE: defaults.schedule: 'every day' has 2 fields; a schedule "
        "needs 5 (minute hour day month weekday), e.g. '*/15 7-18 * * mon-fri'",
    ]


def test_check_config_of_a_missing_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No file at the path: one line saying so."""
    code = main(["check-config", "--config", str(tmp_path / "nope.toml")])
    assert 2 == code
    assert f"{tmp_path / 'nope.toml'}: file not found" in capsys.readouterr().err


def _report(sid: str, outcome: str, error: str | None = None) -> RunReport:
    return RunReport(
        run_id=f"run-{sid}",
        spreadsheet_id=sid,
        started_at="2024-10-02T09:30:00+07:00",
        finished_at="2024-10-02T09:30:04+07:00",
        outcome=outcome,
        error=error,
        reads=2,
        writes=1,
        cells_written=40,
        regions={"ศก.1": RegionCounts(rows=10, passed=7, warned=1, failed=1, duplicates=1)},
    )


def test_status_prints_one_line_per_spreadsheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Header, then each configured spreadsheet: its last run, or `never run`."""
    path = _write(tmp_path, VALID)
    history = RunHistory(tmp_path / "history.sqlite3")
    history.record(_report("1sheetA", "ok"), label="กิจกรรม ก", trigger="schedule")
    code = main(["status", "--config", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert 0 == code
    assert 3 == len(lines)
    assert lines[0].startswith("spreadsheet")
    assert lines[1].split() == [
        "กิจกรรม",
        "ก",
        "2024-10-02",
        "09:30:04",
        "schedule",
        "ok",
        "10",
        "7",
        "1",
        "1",
        "1",
        "2r+1w",
        "4.0s",
    ]
    assert ["Cluster", "B", "-", "-", "never", "run"] == lines[2].split()


def test_status_json_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints one list of entries with rows by status and the error."""
    path = _write(tmp_path, VALID)
    history = RunHistory(tmp_path / "history.sqlite3")
    history.record(_report("1sheetB", "failed", "QuotaExceeded: 429"), label="Cluster B")
    main(["status", "--config", str(path), "--json"])
    entries = json.loads(capsys.readouterr().out)
    assert ["1sheetA", "1sheetB"] == [e["spreadsheet_id"] for e in entries]
    assert "never run" == entries[0]["outcome"]
    assert {"rows": 10, "ผ่าน": 7, "คำเตือน": 1, "ไม่ผ่าน": 1, "ซ้ำ": 1} == entries[1]["rows"]
    assert "QuotaExceeded: 429" == entries[1]["error"]


def test_run_is_refused_while_the_service_holds_the_lock(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`sheetsync run` on a locked sheet: exit 1, `SpreadsheetBusy: …`, no request made."""
    config = make_config(sheet_ids[:1])
    with spreadsheet_lock(config.service.lock_dir, sheet_ids[0]):
        code = main(
            [
                "run",
                "--spreadsheet",
                sheet_ids[0],
                "--endpoint",
                emulator.base_url,
                "--config",
                str(_write(tmp_path, f'[service]\nlock_dir = "{config.service.lock_dir}"\n')),
            ]
        )
    assert 1 == code
    assert capsys.readouterr().err.startswith("SpreadsheetBusy: ")
    assert 0 == emulator.counters.count("read")


def test_progress_on_a_terminal_names_each_phase(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """A first run at a terminal: read, one line per tab, the write, the verify read."""
    terminal = Terminal()
    printer = progress_for(terminal)
    assert isinstance(printer, ProgressPrinter)
    run_locked(
        make_config(sheet_ids[:1]), RunRequest(spreadsheet_id=sheet_ids[0]), progress=printer
    )
    # What the terminal shows: each line as its last `\r` left it.
    shown = [line.rsplit("\r", 1)[-1] for line in terminal.getvalue().split("\n") if line]
    lines = [line.split("] ", 1)[1] for line in shown]
    assert ["read the layout of 9 tabs", "read 8 tabs"] == lines[:2]
    assert lines[2].startswith("  ศก.1: checked 5 rows, ")
    assert re.fullmatch(r"writing .*… written \(\d+\.\d s\)", lines[-3]), lines[-3]
    assert "verified (read 10 tabs again)" == lines[-2]
    assert "re-checked after the write: nothing left" == lines[-1]
    assert "\rwriting" not in terminal.getvalue()  # the rewrite keeps its time stamp


def test_no_progress_when_not_a_terminal() -> None:
    """Pipes, files and --json get no progress lines at all."""
    assert progress_for(io.StringIO()) is None


def test_status_before_any_run_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no history yet, every spreadsheet is `never run` and no history file appears."""
    code = main(["status", "--config", str(_write(tmp_path, VALID))])
    lines = capsys.readouterr().out.splitlines()
    assert (0, 3) == (code, len(lines))
    assert all(line.endswith("never run") for line in lines[1:])
    assert not (tmp_path / "history.sqlite3").exists()


def test_a_config_with_two_problems_is_one_line_outside_check_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`status` (any command but `check-config`) says every problem of the file on one line."""
    path = _write(
        tmp_path,
        VALID + '\n[[spreadsheets]]\nid = "x"\nheader_row = 5\nfirst_data_row = 4\n'
        '\n[[spreadsheets]]\nid = "x"\n',
    )
    assert 2 == main(["status", "--config", str(path)])
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("ConfigError: ") and " · " in line
    assert "first_data_row 4 is not below header_row 5" in line and "listed twice" in line


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("folder", "(it is a folder, not a file)"), ("other file", "not a run history")],
)
def test_check_config_refuses_a_history_path_that_cannot_be_the_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, reason: str
) -> None:
    """A folder, or a file that is no run history, where the history goes: one line, exit 2."""
    history = tmp_path / "history.sqlite3"
    if kind == "folder":
        history.mkdir()
    else:
        history.write_bytes(b"\x00\x01 not a database at all")
    path = _write(tmp_path, VALID)  # (its history is {tmp}/history.sqlite3)
    assert 2 == main(["check-config", "--config", str(path)])
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert f"service.history: {history} cannot be kept there" in line and reason in line


def test_check_config_refuses_the_example_key_as_run_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """credentials.example.json (placeholders) as the key: check-config says it is no key,
    one line, exit 2 — where it said OK and `run` then refused it."""
    key = tmp_path / "key.json"
    key.write_bytes((Path(__file__).parents[2] / "credentials.example.json").read_bytes())
    key.chmod(0o600)
    text = VALID.replace('endpoint = "http://127.0.0.1:8765"', f'credentials = "{key}"')
    path = _write(tmp_path, text)
    assert 2 == main(["check-config", "--config", str(path)])
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "service.credentials" in line and "holds a malformed key" in line
    assert line.endswith("download a fresh JSON key.")
