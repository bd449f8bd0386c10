"""
A service whose memory crept above its limit starts afresh once its runs are over, and goes on
serving with what the run history kept (`sync.service.renew`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import structlog

from sync.core.settings import Config
from sync.run.memory import resident_mib
from sync.service.renew import RENEW_AFTER_RUNS, RENEWALS_ENV, renewal_due
from sync.service.scheduler import SyncService

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("resident", "limit", "runs", "due"),
    [
        (151.0, 150, RENEW_AFTER_RUNS, True),
        (150.0, 150, RENEW_AFTER_RUNS, False),  # at the limit is within it
        (400.0, 150, RENEW_AFTER_RUNS - 1, False),  # never before a few runs: no thrashing
        (400.0, 0, 50, False),  # no limit configured
        (None, 150, 50, False),  # memory unknown (not Linux)
    ],
)
def test_renewal_is_due_above_the_limit_after_a_few_runs(
    resident: float | None, limit: int, runs: int, due: bool
) -> None:
    assert due == renewal_due(resident, limit, runs)


def test_resident_memory_is_read_from_the_system_or_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the service compares with its limit: this process's RSS, grown by what it holds."""
    before = resident_mib()
    held = bytearray(64 * 2**20)  # written, so resident
    after = resident_mib()
    assert before is not None and after is not None and after - before >= 60
    del held

    def no_proc(*args: object, **kwargs: object) -> None:
        raise OSError("no /proc here")

    monkeypatch.setattr("builtins.open", no_proc)
    assert resident_mib() is None  # then the service never renews (`renewal_due`)


def _service(
    make_config: Callable[..., Config], sid: str, limit: int, resident: float
) -> SyncService:
    config = make_config([sid])
    config.service.renew_above_mib = limit
    return SyncService(config, resident=lambda: resident)


def test_runs_that_leave_the_service_above_its_limit_ask_it_to_start_afresh(
    sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """
    Only runs count (a skipped one leaves nothing behind), and only above the limit; the
    request is logged once, with the memory that caused it.
    """
    sid = sheet_ids[0]
    within = _service(make_config, sid, 150, resident=149.0)
    for _ in range(RENEW_AFTER_RUNS + 1):
        within.run_job(sid, "manual")
    assert not within.renewing.is_set()

    above = _service(make_config, sid, 150, resident=180.0)
    with structlog.testing.capture_logs() as logs:
        for _ in range(RENEW_AFTER_RUNS - 1):
            above.run_job(sid, "manual")
        assert not above.renewing.is_set()
        above.run_job(sid, "manual")
        above.run_job(sid, "manual")
    assert above.renewing.is_set()
    renewing = [e for e in logs if e["event"] == "service_renewing"]
    assert [{"resident_mib": 180, "limit_mib": 150, "runs": RENEW_AFTER_RUNS}] == [
        {k: e[k] for k in ("resident_mib", "limit_mib", "runs")} for e in renewing
    ]

    unlimited = _service(make_config, sid, 0, resident=10_000.0)
    for _ in range(RENEW_AFTER_RUNS):
        unlimited.run_job(sid, "manual")
    assert not unlimited.renewing.is_set()


def test_serve_stops_cleanly_when_the_service_is_to_start_afresh(
    sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """`serve` returns as on a signal (its runs finished, nothing new started), reason logged."""
    service = _service(make_config, sheet_ids[0], 150, resident=0.0)
    service.renewing.set()
    with structlog.testing.capture_logs() as logs:
        assert 0 == service.serve()
    stopping = [e for e in logs if e["event"] == "service_stopping"]
    assert ["renew"] == [e["reason"] for e in stopping]
    assert not service.scheduler.running


_AGAIN = """
import os, sys
from sync.service.renew import renewals, start_afresh
print(os.getpid(), renewals(), *sys.argv[1:], flush=True)
if renewals() < 2:
    start_afresh()
"""


def test_starting_afresh_is_the_same_command_in_the_same_process() -> None:
    """
    `start_afresh` executes the very command line again (here `python -c ... --config x.toml`)
    in the same process, counting the renewals, which the new start logs.
    """
    done = subprocess.run(
        [sys.executable, "-c", _AGAIN, "--config", "x.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={k: v for k, v in os.environ.items() if k != RENEWALS_ENV},
    )
    starts = [line.split() for line in done.stdout.splitlines()]
    pid = starts[0][0]
    assert [
        [pid, "0", "--config", "x.toml"],
        [pid, "1", "--config", "x.toml"],
        [pid, "2", "--config", "x.toml"],
    ] == starts


def _config_file(tmp_path: Path, sid: str) -> Path:
    """A configuration `sheetsync serve` loads (nothing is served: `serve` is replaced)."""
    config = tmp_path / "sheetsync.toml"
    config.write_text(
        f'[service]\nendpoint = "http://127.0.0.1:9"\nhistory = "{tmp_path / "h.sqlite3"}"\n'
        f'[[spreadsheets]]\nid = "{sid}"\n',
        encoding="utf-8",
    )
    return config


def test_sheetsync_serve_starts_afresh_when_its_service_asks_to(
    sheet_ids: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command, not the service, replaces the process: only after `serve` has returned."""
    from sync import cli
    from sync.service import renew

    config = _config_file(tmp_path, sheet_ids[0])
    calls: list[str] = []

    def serve(self: SyncService) -> int:
        calls.append("serve")
        if len(calls) == 1:
            self.renewing.set()
        return 0

    monkeypatch.setattr(SyncService, "serve", serve)
    monkeypatch.setattr(renew, "start_afresh", lambda: calls.append("start_afresh"))
    assert 0 == cli.main(["serve", "--config", str(config)])
    assert 0 == cli.main(["serve", "--config", str(config)])
    assert ["serve", "start_afresh", "serve"] == calls


def test_a_service_that_cannot_start_afresh_says_so_in_one_line(
    sheet_ids: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The exec failing (the program gone in an upgrade) is an exit status a supervisor restarts."""
    from sync import cli

    config = _config_file(tmp_path, sheet_ids[0])

    def serve(self: SyncService) -> int:
        self.renewing.set()
        return 0

    def execv(path: str, args: list[str]) -> None:
        raise FileNotFoundError(2, "No such file or directory", path)

    monkeypatch.setattr(SyncService, "serve", serve)
    monkeypatch.setattr(os, "execv", execv)
    monkeypatch.setenv(RENEWALS_ENV, "0")  # start_afresh counts here: undone after the test
    assert cli.EXIT_FAILED == cli.main(["serve", "--config", str(config)])
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("OSError: the service stopped to start afresh but could not: ")
