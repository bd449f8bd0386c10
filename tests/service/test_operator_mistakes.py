"""
The mistakes operators really make, each through the real command line: one true line, at once.

Every case runs `sheetsync` (`main()` in this process, or the console script where a real
pipe matters) against the emulator or a port where nothing listens. None of them may retry:
the retry budget is left at a minute, so a case that waited would show in the suite's time,
and each asserts that no `retrying` line was logged.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from rules import headers as h
from sheets_emulator.http.auth import make_service_account_key
from sheets_emulator.http.server import EmulatorHandle
from sync.cli import EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_USAGE, main
from sync.core.cells import column_letter
from sync.run.history import RunHistory

ACCOUNT = "sheetsync@department-test.iam.gserviceaccount.com"


def _config(tmp_path: Path, extra: str = "", sheets: list[str] | None = None) -> Path:
    lines = [
        "[service]",
        f'history = "{tmp_path}/history.sqlite3"',
        f'lock_dir = "{tmp_path}/locks"',
        "retry_seconds = 60",
        extra,
        "[defaults]",
        'schedule = ""',
        'nightly = ""',
    ]
    for n, sid in enumerate(sheets or []):
        lines += ["[[spreadsheets]]", f'id = "{sid}"', f'label = "sheet {n}"']
    path = tmp_path / "sheetsync.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """Exit code, the stderr lines that are not JSON log lines, and the whole stderr."""
    code = main(argv)
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if line and not line.startswith("{")]
    return code, said, err


def test_endpoint_without_scheme_is_one_config_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--endpoint 127.0.0.1:8765` is checked like the config field: exit 2, one line."""
    code, said, _ = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            "x",
            "--endpoint",
            "127.0.0.1:8765",
        ],
        capsys,
    )
    assert EXIT_USAGE == code
    assert [
        "ConfigError: --endpoint: '127.0.0.1:8765' must start with http:// or https:// "
        "(e.g. http://127.0.0.1:8765)"
    ] == said


def test_endpoint_with_a_bad_port_is_one_config_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed URL never reaches requests (which would raise InvalidURL mid-run)."""
    code, said, _ = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            "x",
            "--endpoint",
            "http://127.0.0.1:87650",
        ],
        capsys,
    )
    assert (EXIT_USAGE, 1) == (code, len(said))
    assert "the port must be a number from 1 to 65535" in said[0]


def test_nothing_listening_fails_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused connection is not retried like a 503: one line naming the endpoint."""
    endpoint = f"http://127.0.0.1:{_free_port()}"
    code, said, err = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            "1abc",
            "--endpoint",
            endpoint,
        ],
        capsys,
    )
    assert EXIT_FAILED == code
    assert [
        f"EmulatorUnavailable: Endpoint {endpoint}: nothing listens at {endpoint} (connection "
        "refused) — start the emulator there or fix the endpoint."
    ] == said
    assert "retrying" not in err


def test_https_against_plain_http_fails_at_once(
    tmp_path: Path, emulator: EmulatorHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    """`https://` to the emulator's plain port: the TLS failure says to use http://."""
    endpoint = emulator.base_url.replace("http://", "https://")
    code, said, err = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            "1abc",
            "--endpoint",
            endpoint,
        ],
        capsys,
    )
    assert EXIT_FAILED == code
    assert [
        f"EmulatorUnavailable: Endpoint {endpoint}: the TLS handshake with {endpoint} failed — "
        "the server speaks plain HTTP: use http://."
    ] == said
    assert "retrying" not in err


def test_unknown_endpoint_host_fails_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A host name that does not resolve: one line, no retry."""
    endpoint = "http://sheetsync-emulator.invalid:8765"
    code, said, err = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            "1abc",
            "--endpoint",
            endpoint,
        ],
        capsys,
    )
    assert EXIT_FAILED == code
    assert [
        f"EmulatorUnavailable: Endpoint {endpoint}: the host of {endpoint} cannot be resolved "
        "(DNS) — fix the endpoint."
    ] == said
    assert "retrying" not in err


def test_google_unreachable_does_not_blame_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    No network to Google (here: the only way out is a proxy whose name does not resolve) with
    a well-formed key: `CannotReachGoogle`, never "credentials were refused".
    """
    key, _ = make_service_account_key(ACCOUNT)
    key_path = tmp_path / "key.json"
    key_path.write_text(json.dumps(key), encoding="utf-8")
    key_path.chmod(0o600)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.sheetsync-test.invalid:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    config = _config(tmp_path, f'credentials = "{key_path}"')
    code, said, err = _cli(["run", "--config", str(config), "--spreadsheet", "1abc"], capsys)
    assert EXIT_FAILED == code
    assert 1 == len(said), said
    assert said[0].startswith("CannotReachGoogle: Cannot reach Google (the token endpoint): ")
    assert "the key was not tried" in said[0]
    assert "refused" not in said[0].split(": ", 1)[1].replace("refused the connection", "")
    assert "retrying" not in err


class _Failing(BaseHTTPRequestHandler):
    """A token endpoint having an outage: every request is answered 500."""

    hits = 0

    def do_POST(self) -> None:
        type(self).hits += 1
        body = b'{"error": "internal_failure"}'
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def failing_token_endpoint() -> Iterator[str]:
    """The URL of a token endpoint that answers 500 to everything."""
    server = HTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/token"
    finally:
        server.shutdown()
        server.server_close()


def test_token_endpoint_500_is_a_server_error_not_bad_credentials(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    failing_token_endpoint: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 500 from the token endpoint is retried, then reported as the server's failure."""
    key, _ = make_service_account_key(ACCOUNT, failing_token_endpoint)
    key_path = tmp_path / "key.json"
    key_path.write_text(json.dumps(key), encoding="utf-8")
    key_path.chmod(0o600)
    config = _config(tmp_path, f'credentials = "{key_path}"').read_text(encoding="utf-8")
    path = tmp_path / "sheetsync.toml"
    path.write_text(config.replace("retry_seconds = 60", "retry_seconds = 1"), encoding="utf-8")
    _Failing.hits = 0
    code, said, _ = _cli(
        [
            "run",
            "--config",
            str(path),
            "--spreadsheet",
            sheet_ids[0],
            "--endpoint",
            emulator.base_url,
        ],
        capsys,
    )
    assert EXIT_FAILED == code
    assert 1 == len(said), said
    assert said[0].startswith("RetriesExhausted: The token endpoint at ")
    assert "a server error, not the key" in said[0]
    assert _Failing.hits >= 2  # google-auth's own retries, at least
    assert 0 == emulator.counters.count("read")


def test_google_token_endpoint_500_is_cannot_reach_google(
    tmp_path: Path, failing_token_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Talking to Google itself (no endpoint): its token endpoint failing is Google's outage."""
    key, _ = make_service_account_key(ACCOUNT, failing_token_endpoint)
    key_path = tmp_path / "key.json"
    key_path.write_text(json.dumps(key), encoding="utf-8")
    key_path.chmod(0o600)
    config = _config(tmp_path, f'credentials = "{key_path}"').read_text(encoding="utf-8")
    path = tmp_path / "sheetsync.toml"
    path.write_text(config.replace("retry_seconds = 60", "retry_seconds = 1"), encoding="utf-8")
    code, said, _ = _cli(["run", "--config", str(path), "--spreadsheet", "1abc"], capsys)
    assert EXIT_FAILED == code
    assert 1 == len(said), said
    assert said[0].startswith("CannotReachGoogle: Cannot reach Google: its token endpoint kept")
    assert "not the key" in said[0]


def test_wrong_endpoint_path_names_both_suspects_and_their_sources(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 404 says to check the id and the endpoint, and where each came from."""
    endpoint = emulator.base_url + "/sheets"
    code, said, _ = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            sheet_ids[0],
            "--endpoint",
            endpoint,
        ],
        capsys,
    )
    assert EXIT_FAILED == code
    assert [
        f"SpreadsheetNotFound: Spreadsheet {sheet_ids[0]} was not found (404) at {endpoint} — "
        f"check the id {sheet_ids[0]} (from --spreadsheet) and the endpoint {endpoint} (from "
        "--endpoint): a wrong path there answers 404 for every id."
    ] == said


def test_not_found_names_the_config_file_as_the_source(
    tmp_path: Path, emulator: EmulatorHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id from the file and an endpoint from the file: the message names the file twice."""
    path = _config(tmp_path, f'endpoint = "{emulator.base_url}"', sheets=["1missing"])
    code, said, _ = _cli(["run", "--config", str(path)], capsys)
    assert EXIT_FAILED == code
    assert 1 == len(said)
    assert f"(from [[spreadsheets]] in {path})" in said[0]
    assert f"(from service.endpoint in {path})" in said[0]


def test_pasted_sheet_url_is_taken_as_its_id(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--spreadsheet https://docs.google.com/spreadsheets/d/ID/edit#gid=0` syncs ID."""
    url = f"https://docs.google.com/spreadsheets/d/{sheet_ids[0]}/edit#gid=0"
    code = main(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            url,
            "--endpoint",
            emulator.base_url,
        ]
    )
    out = capsys.readouterr().out
    assert 0 == code
    assert out.startswith(f"{sheet_ids[0]}: ok;")
    assert [sheet_ids[0]] == [
        row.spreadsheet_id for row in RunHistory(tmp_path / "history.sqlite3").runs()
    ]


def test_pasted_url_in_the_config_file_is_taken_as_its_id(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The configuration's `id` takes a URL as well."""
    url = f"https://docs.google.com/spreadsheets/d/{sheet_ids[1]}/edit?usp=sharing"
    path = _config(tmp_path, f'endpoint = "{emulator.base_url}"', sheets=[url])
    code = main(["run", "--config", str(path)])
    assert 0 == code
    assert capsys.readouterr().out.startswith(f"{sheet_ids[1]}: ok;")


def test_an_id_that_is_no_id_leaves_no_trace(
    tmp_path: Path, emulator: EmulatorHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text that is neither id nor URL: one line, no request, no lock file, no history row."""
    code, said, _ = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            "ศก.1 sheet/edit",
            "--endpoint",
            emulator.base_url,
        ],
        capsys,
    )
    assert EXIT_USAGE == code
    assert 1 == len(said)
    assert said[0].startswith("ConfigError: --spreadsheet: 'ศก.1 sheet/edit' is neither")
    assert not (tmp_path / "locks").exists()
    assert not (tmp_path / "history.sqlite3").exists()
    assert 0 == emulator.counters.count("read")


def test_emulator_on_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Another program holds the port: `PortInUse`, exit 1, no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, said, _ = _cli(["emulator", "--port", str(port)], capsys)
    assert EXIT_FAILED == code
    assert [
        f"PortInUse: 127.0.0.1:{port} is already in use by another program — stop it or pass "
        "--port with a free port"
    ] == said


def test_check_config_takes_the_file_positionally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sheetsync check-config FILE` works like `--config FILE`."""
    path = _config(tmp_path, 'endpoint = "http://127.0.0.1:8765"', sheets=["1abc"])
    assert 0 == main(["check-config", str(path)])
    assert "OK" == capsys.readouterr().out.splitlines()[0]


def test_usage_mistakes_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's complaint comes as one `UsageError:` line, exit 2, no usage block."""
    code, said, _ = _cli(["run", "--spreadshet", "x"], capsys)
    assert EXIT_USAGE == code
    assert ["UsageError: unrecognized arguments: --spreadshet x (see: sheetsync --help)"] == said


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`sheetsync --version` prints the installed version, exit 0."""
    from importlib.metadata import version

    assert 0 == main(["--version"])
    assert f"sheetsync {version('sheetsync')}\n" == capsys.readouterr().out


def _console_script() -> list[str]:
    return [sys.executable, "-m", "sync.cli"]


def test_status_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`sheetsync status | head`: the reader went away; no traceback, exit 141 as for SIGPIPE."""
    path = _config(tmp_path, 'endpoint = "http://127.0.0.1:8765"', sheets=["1abc", "1def"])
    read, write = os.pipe()
    os.close(read)  # `head` has already exited
    try:
        done = subprocess.run(
            [*_console_script(), "status", "--config", str(path)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    finally:
        os.close(write)
    assert "" == done.stderr
    assert EXIT_BROKEN_PIPE == done.returncode


def test_one_broken_spreadsheet_does_not_stop_the_others(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    `run --config` with the 2nd of 3 sheets missing: all 3 tried, 3 JSON objects, the failure
    on its own line, exit 1.
    """
    ids = [sheet_ids[0], "1missing", sheet_ids[1]]
    path = _config(tmp_path, f'endpoint = "{emulator.base_url}"', sheets=ids)
    code = main(["run", "--config", str(path), "--json"])
    captured = capsys.readouterr()
    objects = [json.loads(line) for line in captured.out.splitlines()]
    said = [line for line in captured.err.splitlines() if not line.startswith("{")]
    assert EXIT_FAILED == code
    assert ids == [o["spreadsheet_id"] for o in objects]
    assert ["ok", "failed", "ok"] == [o["outcome"] for o in objects]
    assert objects[1]["error"].startswith("SpreadsheetNotFound: Spreadsheet 1missing")
    assert "(from [[spreadsheets]] in" in objects[1]["error"]
    assert all(re.fullmatch(r"[0-9a-f]{12}", o["run_id"]) for o in objects), objects
    assert 1 == len(said)
    assert said[0].startswith("SpreadsheetNotFound: Spreadsheet 1missing was not found (404)")
    history = RunHistory(tmp_path / "history.sqlite3")
    assert ["failed", "ok", "ok"] == sorted(row.outcome for row in history.runs())


def test_retry_after_beyond_the_budget_fails_at_once(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 429 asking to wait an hour, with a minute of budget: one request, one clear line."""
    emulator.faults.fail_next(1, 429, retry_after_s=3600)
    code, said, err = _cli(
        [
            "run",
            "--config",
            str(_config(tmp_path)),
            "--spreadsheet",
            sheet_ids[0],
            "--endpoint",
            emulator.base_url,
        ],
        capsys,
    )
    assert EXIT_FAILED == code
    assert 1 == len(said), said
    assert said[0].startswith(f"QuotaExceeded: Spreadsheet {sheet_ids[0]}: the service answered")
    assert "asked to wait 3600 s (Retry-After), longer than the retry budget left" in said[0]
    assert 1 == emulator.counters.count("read")
    assert "retrying" not in err


def test_a_history_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The history path is a folder, say: one `Type: reason` line, exit 1, no traceback."""
    (tmp_path / "history.sqlite3").mkdir()
    path = _config(tmp_path, 'endpoint = "http://127.0.0.1:8765"', sheets=["1abc"])
    code, said, _ = _cli(["history", "--config", str(path)], capsys)
    assert EXIT_FAILED == code
    assert 1 == len(said), said
    assert said[0].startswith("OperationalError: unable to open database file")


def test_a_fiscal_year_of_the_christian_era_is_refused_before_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    `--fiscal-year 2024` (the Christian Era's year for 2567) would judge every activity date
    against a year five centuries back and write that into every row: refused as the
    configuration file refuses it, with the year meant, before a request or a history row.
    """
    port = _free_port()  # nothing listens: a run that went ahead would fail differently
    path = _config(tmp_path, f'endpoint = "http://127.0.0.1:{port}"', sheets=["1abc"])
    code, said, _ = _cli(["run", "--config", str(path), "--fiscal-year", "2024"], capsys)
    assert EXIT_USAGE == code
    assert [
        "ConfigError: --fiscal-year: 2024 is not a fiscal year of the Buddhist Era (2500-2700, "
        "e.g. 2567); 2024 looks like a year of the Christian Era: 2024 + 543 = 2567"
    ] == said
    assert [] == RunHistory(tmp_path / "history.sqlite3").runs()


def test_an_unknown_profile_is_refused_once_before_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    `--profile bogus` is a usage mistake: one line naming the option and the profiles there
    are, exit 2, before any spreadsheet is tried (it was said once per spreadsheet, exit 1).
    """
    port = _free_port()
    path = _config(tmp_path, f'endpoint = "http://127.0.0.1:{port}"', sheets=["1abc", "1def"])
    code, said, _ = _cli(["run", "--config", str(path), "--profile", "bogus"], capsys)
    assert (EXIT_USAGE, 1) == (code, len(said)), said
    assert said[0].startswith("ConfigError: --profile: Unknown target profile 'bogus'; use one")
    assert [] == RunHistory(tmp_path / "history.sqlite3").runs()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["demo", "--rows", "-1"],
            "ConfigError: --rows: -1 rows a tab? Pass 0 to 10,000 (its seven tabs then fit "
            "within a spreadsheet's 10 million cells).",
        ),
        (
            ["demo", "--rows", "50000"],
            "ConfigError: --rows: 50000 rows a tab? Pass 0 to 10,000 (its seven tabs then fit "
            "within a spreadsheet's 10 million cells).",
        ),
        (
            ["history", "--limit", "0"],
            "ConfigError: --limit: 0 runs? Pass 1 or more (default 50).",
        ),
        (
            ["history", "--since", "99999999d"],
            "ConfigError: --since: '99999999d' reaches back past any date — leave --since out "
            "to list every run",
        ),
        (
            ["history", "--since", "999999999999999999999h"],
            "ConfigError: --since: '999999999999999999999h' reaches back past any date — leave "
            "--since out to list every run",
        ),
        (
            ["emulator", "--port", "70000"],
            "ConfigError: --port: 70000 is not a port (0-65535; 0 picks a free one)",
        ),
        (
            # TEST-NET-1 (RFC 5737): never an address of this machine.
            ["emulator", "--host", "192.0.2.1", "--port", "0"],
            "ConfigError: --host: cannot listen on 192.0.2.1:0: Cannot assign requested address "
            "— pass an address of this machine (default 127.0.0.1)",
        ),
    ],
)
def test_an_option_that_cannot_be_meant_is_one_config_line(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A negative or huge demo, an empty history, a port past 65535, an address not here."""
    code, lines, _ = _cli(argv, capsys)
    assert EXIT_USAGE == code
    assert [said] == lines


def test_files_the_emulator_cannot_use_are_one_line_and_left_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    `sheetsync emulator` given a damaged state file, or a workbook that is none: one line
    naming the file, exit 2, nothing served and the state file as it was (an emulator that
    started empty over it would save its empty store there).
    """
    state = tmp_path / "state.json"
    state.write_text("{damaged", encoding="utf-8")
    code, said, _ = _cli(["emulator", "--port", "0", "--state", str(state)], capsys)
    assert EXIT_USAGE == code
    assert [
        f"ConfigError: state file {state}: not a state this emulator saved (Expecting property "
        "name enclosed in double quotes: line 1 column 2 (char 1)); it was left as it is: move "
        "it away or use another file"
    ] == said
    assert "{damaged" == state.read_text(encoding="utf-8")
    book = tmp_path / "book.xlsx"
    book.write_text("not a workbook", encoding="utf-8")
    fresh = tmp_path / "fresh.json"
    argv = ["emulator", "--port", "0", "--state", str(fresh), "--import-xlsx", str(book)]
    code, said, _ = _cli(argv, capsys)
    assert EXIT_USAGE == code
    assert [f"ConfigError: workbook {book}: not an .xlsx workbook (File is not a zip file)"] == said
    assert not fresh.exists()


def test_the_demo_honours_zero_rows_and_refuses_a_file_for_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    `--rows 0` is an empty form, not the default 40 rows; `--out` naming a file is refused
    before anything is generated, the file untouched.
    """
    taken = tmp_path / "taken"
    taken.write_text("mine", encoding="utf-8")
    code, said, _ = _cli(["demo", "--out", str(taken)], capsys)
    assert EXIT_USAGE == code
    assert [f"ConfigError: --out: {taken} is a file; pass a folder for demo.xlsx."] == said
    assert "mine" == taken.read_text(encoding="utf-8")
    assert 0 == main(["demo", "--rows", "0", "--out", str(tmp_path / "empty")])
    out = capsys.readouterr().out
    assert "รวม          0     0       0       0    0      0      0" in out
    assert "ผลจริง —  เป้าหมาย 80" in out
    assert "None" not in out


def test_a_run_that_could_not_sync_a_tab_says_so_on_stderr_with_json_too(
    tmp_path: Path,
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    `run --json` where a regional tab lost both identifying headers: its object on stdout says
    failed, and stderr has the one `Type: reason` line as for any other failure (scripts read
    stdout; the operator's terminal shows stderr).
    """
    sid = sheet_ids[0]
    header = emulator.store.get_values(sid, "ศก.2")[2]
    for name in (h.NATIONAL_ID, h.FULL_NAME):
        cell = f"{column_letter(header.index(name))}3"
        emulator.store.set_values(sid, "ศก.2", cell, [["ผู้เข้าร่วม?"]], user_entered=False)
    path = _config(tmp_path, f'endpoint = "{emulator.base_url}"', sheets=[sid])
    code = main(["run", "--config", str(path), "--json"])
    captured = capsys.readouterr()
    [report] = [json.loads(line) for line in captured.out.splitlines()]
    said = [line for line in captured.err.splitlines() if not line.startswith("{")]
    assert EXIT_FAILED == code
    assert "failed" == report["outcome"]
    assert [f"SheetLayoutError: {report['error']}"] == said
    assert "Tab 'ศก.2' has no column" in said[0]


def test_a_lock_folder_under_a_file_is_one_config_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`service.lock_dir` under a file: the run says which setting and why, not `mkdir`'s
    "Not a directory" about a path the operator never typed."""
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    path = _config(tmp_path, 'endpoint = "http://127.0.0.1:9"', sheets=["1abc"])
    text = path.read_text(encoding="utf-8").replace(
        f'lock_dir = "{tmp_path}/locks"', f'lock_dir = "{tmp_path}/taken/locks"'
    )
    path.write_text(text, encoding="utf-8")
    code, said, _ = _cli(["run", "--config", str(path)], capsys)
    assert EXIT_USAGE == code  # a configuration mistake, nothing tried
    assert [
        f"ConfigError: service.lock_dir: {tmp_path}/taken/locks cannot be made ({tmp_path}/taken "
        "is a file, not a folder) — fix the path"
    ] == said


class _WebPage(BaseHTTPRequestHandler):
    """A web server (or a proxy's sign-in page) answering every request `status` with HTML."""

    hits = 0
    status = 200

    def _page(self) -> None:
        type(self).hits += 1
        body = b"<html><body>Welcome</body></html>"
        self.send_response(type(self).status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("status", [200, 404, 403])
def test_an_endpoint_that_is_no_sheets_api_is_one_line_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    `--endpoint` at a web server that answers 200, 404 or 403 with HTML: one line naming the
    endpoint and what it answered, after one request (no retry), where the run said
    "DecodeError: JSON is malformed…" (200) or retried for its whole budget and said
    "kept failing (HTTP -1)" (an error page).
    """
    monkeypatch.setattr(_WebPage, "status", status)
    monkeypatch.setattr(_WebPage, "hits", 0)
    server = HTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        path = _config(tmp_path, f'endpoint = "{url}"', sheets=["1abc"])
        code, said, err = _cli(["run", "--config", str(path)], capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert EXIT_FAILED == code
    assert [
        f"EmulatorUnavailable: Endpoint {url}: it answered {status} with text/html; charset=utf-8, "
        "not the Sheets API's JSON — point it at the emulator (sheetsync emulator) or fix the "
        "endpoint."
    ] == said
    assert 1 == _WebPage.hits
    assert "retrying" not in err


def test_a_sign_in_page_in_front_of_google_is_not_blamed_on_the_sheet() -> None:
    """With no endpoint (Google), an HTML answer is a proxy or sign-in page in between."""
    from sync.backends.gspread_backend import not_the_api
    from sync.core.errors import CannotReachGoogle

    error = not_the_api(None, 200, "text/html")
    assert isinstance(error, CannotReachGoogle)
    assert str(error) == (
        "Cannot reach Google (the Sheets API): something answered 200 with text/html, not the "
        "API's JSON — a proxy or a sign-in page in between? Check this machine's network and "
        "proxy."
    )


def test_a_403_that_sharing_cannot_cure_says_what_would() -> None:
    """
    Google's 403 for a project whose Sheets API is off (a new key's first error) is not
    blamed on the sharing; an ordinary 403 still says to share the sheet, with Google's words.
    """
    from sync.core.errors import error_for_status

    disabled = error_for_status(
        403,
        "1abc",
        "Google Sheets API has not been used in project 123 before or it is disabled. "
        "Enable it by visiting https://console.developers.google.com/… then retry.",
    )
    assert "enable the Google Sheets API in the service account's project" in str(disabled)
    assert "share it" not in str(disabled)
    plain = error_for_status(403, "1abc", "The caller does not have permission")
    assert str(plain) == (
        "Spreadsheet 1abc is not shared with the service account (403) — share it (Editor) "
        "with the service account's e-mail. (Google said: The caller does not have permission.)"
    )


@pytest.mark.parametrize(
    ("endpoint", "kind", "said"),
    [
        (None, "dns", "CannotReachGoogle: Cannot reach Google any more (the name did not resolve)"),
        (
            "http://127.0.0.1:9",
            "refused",
            "EmulatorUnavailable: Nothing answers at http://127.0.0.1:9 any more "
            "(connection refused)",
        ),
    ],
)
def test_a_network_failing_for_the_whole_budget_is_named_for_what_it_is(
    endpoint: str | None, kind: str, said: str
) -> None:
    """
    DNS failing while the worker talks to Google is the network's, said so; only with an
    endpoint configured is it "nothing answers there" (it named an emulator and a refused
    connection for Google's DNS failure).
    """
    from sync.backends.gspread_backend import translate_errors
    from sync.backends.retry import RetryableError
    from sync.core.errors import SyncError

    with pytest.raises(SyncError) as failed, translate_errors("1abc", endpoint=endpoint):
        raise RetryableError(f"{kind}: no answer", status=None, retry_after=None)
    assert f"{type(failed.value).__name__}: {failed.value}".startswith(said)


def test_a_token_endpoint_whose_name_does_not_resolve_is_not_retried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A key whose token endpoint's host name does not resolve: `CannotReachGoogle` at once,
    one line, with no "Retrying" warnings of the HTTP library before it (an unknown host is
    never retried, README).
    """
    key, _ = make_service_account_key(ACCOUNT)
    key["token_uri"] = "https://oauth2.sheetsync-test.invalid/token"
    key_path = tmp_path / "key.json"
    key_path.write_text(json.dumps(key), encoding="utf-8")
    key_path.chmod(0o600)
    config = _config(tmp_path, f'credentials = "{key_path}"')
    code, said, err = _cli(["run", "--config", str(config), "--spreadsheet", "1abc"], capsys)
    assert EXIT_FAILED == code
    assert [line[:18] for line in said] == ["CannotReachGoogle:"], said
    assert "retrying" not in err.lower()
