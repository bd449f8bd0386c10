"""`sheetsync serve` stopped by SIGTERM mid-run: exit 0, the sheet fully written or untouched."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rules import headers as h
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core.settings import SyncSettings
from sync.demo.seed import people_view, snapshot
from sync.run.loop import run_sync

ROOT = Path(__file__).resolve().parents[2]


def _sync(emulator: EmulatorHandle, sid: str, clock: Callable[[], datetime]) -> int:
    client = make_gspread_client(emulator.base_url)
    try:
        return run_sync(
            GspreadBackend(client), SyncSettings(spreadsheet_id=sid), clock=clock
        ).cells_written
    finally:
        client.http_client.session.close()


def _wait_until(condition: Callable[[], bool], limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_sigterm_during_a_write_lets_the_run_finish_and_exits_zero(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    tmp_path: Path,
    ticking_clock: Callable[[], datetime],
) -> None:
    """The service gets SIGTERM while its write is on the wire; it finishes the run, exits 0."""
    sid = sheet_ids[0]
    _sync(emulator, sid, ticking_clock)
    emulator.store.set_values(sid, h.SUMMARY_TAB, "E1", [[True]], user_entered=False)
    before = snapshot(emulator.store, sid)
    config = tmp_path / "sheetsync.toml"
    config.write_text(
        "\n".join(
            [
                "[service]",
                f'endpoint = "{emulator.base_url}"',
                f'history = "{tmp_path / "history.sqlite3"}"',
                f'lock_dir = "{tmp_path / "locks"}"',
                "[defaults]",
                'schedule = "0 0 1 1 *"',
                'nightly = ""',
                "[[spreadsheets]]",
                f'id = "{sid}"',
                'label = "under test"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    writes_before = emulator.counters.count("spreadsheets.batchUpdate")
    emulator.faults.set_latency(0.5)
    service = subprocess.Popen(
        [sys.executable, "-m", "sync.cli", "serve", "--config", str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        writing = _wait_until(
            lambda: emulator.counters.count("spreadsheets.batchUpdate") > writes_before, 60
        )
        service.send_signal(signal.SIGTERM)
        _, logs = service.communicate(timeout=120)
    finally:
        if service.poll() is None:
            service.kill()
            service.communicate()
    emulator.faults.set_latency(0)
    events = [json.loads(line)["event"] for line in logs.splitlines() if line.startswith("{")]
    after = snapshot(emulator.store, sid)
    assert writing
    assert 0 == service.returncode
    wanted = ("service_started", "checkbox_ticked", "service_stopping", "run_finished")
    assert [*wanted, "service_stopped"] == [e for e in events if e in (*wanted, "service_stopped")]
    assert people_view(before) == people_view(after)
    # Fully written: the next run finds nothing left to write.
    assert 0 == _sync(emulator, sid, ticking_clock)
    assert [[False]] == emulator.store.get_values(
        sid, h.SUMMARY_TAB, "E1", render="UNFORMATTED_VALUE"
    )
