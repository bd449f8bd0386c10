"""
6. Overlap: two `sheetsync serve` processes and a manual `sheetsync run` on one spreadsheet.

Each trial starts both services against the emulator with the sheet's `ซิงก์ทันที` box
ticked (so each runs it as soon as it looks) and slow answers (so runs overlap in time); the
manual run starts with them, not at all, while a service's write is held in flight, or first
(its own write held until both services found the lock busy). The emulator checks, on every
write it receives, that the spreadsheet's lock file is held: a write made without the lock,
or two writes in flight at once, is the failure this scenario looks for. A run that finds
the lock held must say so in one line (`SpreadsheetBusy`) or be skipped by the service.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.api.methods import classify, is_read
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sync.backends.memory import MemoryBackend
from sync.demo.seed import people_view
from sync.run.loop import run_sync
from sync.service.locks import lock_path, spreadsheet_lock
from tests.reliability._harness import (
    REGIONS,
    SPREADSHEET,
    fixed_clock,
    fresh_store,
    gspread_backend,
    settings,
    take,
)
from tests.reliability.conftest import Tally

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ("together", "none", "late", "first")
"""
Per trial, when the manual run starts: with the services, not at all, while a service's
write is held in flight, or first (its write held until both services found the lock busy).
"""
TRIALS = len(MANUAL)
DEADLINE_S = 45.0


class WriteGuard:
    """Wraps the emulator's dispatch: each write must arrive while the lock is held, alone."""

    def __init__(self, handle: EmulatorHandle, lock_file: Path) -> None:
        self.lock_file = lock_file
        self.in_flight = 0
        self.most_in_flight = 0
        self.writes = 0
        self.unlocked: list[str] = []
        self.holders: list[str] = []
        self.arrived = threading.Event()
        self.hold: threading.Event | None = None
        """When set up, the next write waits for it (its run keeps the lock meanwhile)."""
        self._lock = threading.Lock()
        server = handle.server
        original = server.dispatch

        def dispatch(method: str, raw_path: str, query: str, body: bytes, auth: Any) -> Any:
            kind = classify(method, raw_path)
            watched = raw_path.startswith("/v4/") and not is_read(kind)
            if watched:
                self._enter(kind)
                hold, self.hold = self.hold, None
                self.arrived.set()
                if hold is not None:
                    hold.wait(DEADLINE_S)
            try:
                return original(method, raw_path, query, body, auth)
            finally:
                if watched:
                    with self._lock:
                        self.in_flight -= 1

        server.dispatch = dispatch  # type: ignore[method-assign,assignment]

    def _enter(self, kind: str) -> None:
        with self._lock:
            self.in_flight += 1
            self.writes += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        holder = (
            self.lock_file.read_text(encoding="ascii").strip() if self.lock_file.exists() else ""
        )
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.holders.append(holder)  # held, as it must be
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            self.unlocked.append(kind)
        finally:
            os.close(fd)


def _config(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "sheetsync.toml"
    regions = ", ".join(json.dumps(r, ensure_ascii=False) for r in REGIONS)
    path.write_text(
        f"""
[service]
endpoint = "{base_url}"
history = "{tmp_path / "history.sqlite3"}"
lock_dir = "{tmp_path / "locks"}"
retry_seconds = 5
log_level = "INFO"

[defaults]
regions = [{regions}]
schedule = "0 3 1 1 *"
nightly = "0 3 2 1 *"

[[spreadsheets]]
id = "{SPREADSHEET}"
label = "overlap"
""",
        encoding="utf-8",
    )
    return path


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "SHEETSYNC_"))}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "sync.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _events(log: Path) -> list[str]:
    events = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            events.append(str(json.loads(line).get("event", "")))
        except ValueError:
            continue
    return events


def _type(handle: EmulatorHandle, tab: str, a1: str, value: object) -> None:
    with handle.store.lock:
        people.type_value(handle.store, SPREADSHEET, tab, a1, value)
    handle.server.mark_changed()


def _ticked(handle: EmulatorHandle) -> bool:
    with handle.store.lock:
        grid = handle.store.get_values(SPREADSHEET, h.SUMMARY_TAB, "E1", render="FORMULA")
    return bool(grid and grid[0] and grid[0][0] is True)


def _wait(condition: Any, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _services_done(emulator: EmulatorHandle, logs: list[Path]) -> bool:
    """The box was answered and every service that saw it ticked has run or skipped."""
    ended = {"run_finished", "run_skipped", "run_failed"}
    events = [set(_events(log)) for log in logs]
    return (
        not _ticked(emulator)
        and any("checkbox_ticked" in e for e in events)
        and all(ended & e for e in events if "checkbox_ticked" in e)
    )


def _all_skipped(logs: list[Path]) -> bool:
    return all("run_skipped" in _events(log) for log in logs)


def _stop(processes: list[subprocess.Popen[bytes]], problems: list[str]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
            problems.append("a process did not stop on SIGTERM")


def test_two_services_and_a_manual_run_never_write_together(tmp_path: Path, tally: Tally) -> None:
    """Two services and a manual run on one sheet: every write holds the lock, one at a time."""
    store = fresh_store(rows=10, seed=21, synced=True)
    run_sync(MemoryBackend(store), settings())
    contended = 0
    service_pids: set[str] = set()
    manual_pids: set[str] = set()
    with run_emulator(store) as emulator:
        guard = WriteGuard(emulator, lock_path(tmp_path / "locks", SPREADSHEET))
        (tmp_path / "locks").mkdir()
        emulator.faults.set_latency(0.4, kind="write")
        emulator.faults.set_latency(0.1, kind="read")
        config = _config(tmp_path, emulator.base_url)
        command = ["run", "--config", str(config), "--spreadsheet", SPREADSHEET]
        for trial, when in enumerate(MANUAL):
            # A person changes two rows, then ticks the box: every process has work to do.
            _type(emulator, "ศก.2", f"C{5 + trial}", "")
            _type(emulator, "ศก.1", "B6", f"รอบที่ {trial}")
            _type(emulator, h.SUMMARY_TAB, "E1", True)
            expected = people_view(take(emulator.store))
            logs = [tmp_path / f"{trial}-{name}.log" for name in ("serve-a", "serve-b", "run")]
            deadline = time.monotonic() + DEADLINE_S
            problems: list[str] = []
            serves: list[subprocess.Popen[bytes]] = []
            manual: subprocess.Popen[bytes] | None = None
            guard.arrived.clear()
            # "late" and "first" hold the first write until the other side has tried the lock.
            hold = threading.Event()
            guard.hold = hold if when in ("late", "first") else None
            try:
                if when == "first":
                    manual = _start(command, logs[2])
                    _wait(guard.arrived.is_set, deadline)
                serves = [_start(["serve", "--config", str(config)], log) for log in logs[:2]]
                if when == "first":
                    _wait(functools.partial(_all_skipped, logs[:2]), deadline)
                    hold.set()
                if when == "late":
                    _wait(guard.arrived.is_set, deadline)
                if when in ("late", "together"):
                    manual = _start(command, logs[2])
                if manual is not None:
                    manual.wait(DEADLINE_S)
                hold.set()
                if not _wait(functools.partial(_services_done, emulator, logs[:2]), deadline):
                    problems.append("the services did not answer the box in time")
            finally:
                hold.set()
                _stop([*serves, *([manual] if manual else [])], problems)
            service_pids |= {str(p.pid) for p in serves}
            manual_out = logs[2].read_text(encoding="utf-8", errors="replace") if manual else ""
            if manual is not None:
                manual_pids.add(str(manual.pid))
            skipped = sum(_events(log).count("run_skipped") for log in logs[:2])
            busy = [x for x in manual_out.splitlines() if x.startswith("SpreadsheetBusy: ")]
            contended += bool(skipped or busy)
            if when == "late" and not busy:
                problems.append(f"a manual run started mid-run was not refused: {manual_out}")
            if when == "first" and skipped < 2:
                problems.append("the services ran although the manual run held the lock")
            if manual is not None and (manual.returncode, bool(busy)) not in (
                (0, False),
                (1, True),
            ):
                problems.append(f"manual run ended {manual.returncode}: {manual_out[-500:]}")
            if busy and "try again" not in busy[0]:
                problems.append(f"unclear busy message: {busy[0]}")
            if any(p.returncode not in (0, -15) for p in serves):
                problems.append(f"service exit codes {[p.returncode for p in serves]}")
            check = run_sync(MemoryBackend(emulator.store), settings(dry_run=True))
            if check.planned:
                problems.append(f"{len(check.planned)} cells left wrong or misplaced")
            if people_view(take(emulator.store)) != expected:
                problems.append("people's cells changed")
            tally.record(not problems, f"trial {trial} ({when}): {problems}")
        unlocked, most = list(guard.unlocked), guard.most_in_flight
        writes, holders = guard.writes, set(guard.holders)
    tally.record(not unlocked, f"{len(unlocked)} writes arrived without the lock held")
    tally.record(most <= 1, f"{most} writes were in flight at once")
    tally.record(writes >= TRIALS, f"only {writes} writes in {TRIALS} trials")
    tally.record(contended >= 2, f"only {contended} of {TRIALS} trials had contention")
    tally.record(bool(holders & service_pids), "no service ever wrote")
    tally.record(bool(holders & manual_pids), "no manual run ever wrote")
    tally.assert_clean()


def test_the_guard_sees_a_write_made_without_the_lock(tmp_path: Path, tally: Tally) -> None:
    """The check above can fail: a run outside the lock is caught, one inside it is not."""
    store = fresh_store(rows=4, seed=22, synced=True)
    with run_emulator(store) as emulator:
        guard = WriteGuard(emulator, lock_path(tmp_path, SPREADSHEET))
        with gspread_backend(emulator.base_url) as backend:
            run_sync(backend, settings(), clock=fixed_clock)
            outside = len(guard.unlocked)
            _type(emulator, "ศก.1", "C5", "")
            with spreadsheet_lock(tmp_path, SPREADSHEET):
                run_sync(backend, settings(), clock=fixed_clock)
    tally.record(outside >= 1, "a write without the lock went unnoticed")
    tally.record(len(guard.unlocked) == outside, "a write under the lock was reported")
    tally.record(guard.writes >= 2, f"only {guard.writes} writes were made")
    tally.assert_clean()
