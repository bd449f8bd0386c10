"""One writer per spreadsheet: the service and a manual `sheetsync run` share a file lock."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sheets_emulator.http.server import EmulatorHandle
from sync.core.settings import Config
from sync.run.history import RunHistory
from sync.run.runner import RunRequest
from sync.service import SpreadsheetBusy, SyncService, lock_path, run_locked, spreadsheet_lock

ROOT = Path(__file__).resolve().parents[2]


def _hold(lock_dir: str, sid: str, ready: object, release: object) -> None:
    """Child process: take the lock, say so, keep it until told to let go."""
    with spreadsheet_lock(Path(lock_dir), sid):
        ready.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]


def _config_file(config: Config, path: Path) -> Path:
    service = config.service
    lines = [
        "[service]",
        f'endpoint = "{service.endpoint}"',
        f'history = "{service.history}"',
        f'lock_dir = "{service.lock_dir}"',
        "[defaults]",
        'schedule = "0 0 1 1 *"',
        'nightly = ""',
    ]
    for sheet in config.spreadsheets:
        lines += ["[[spreadsheets]]", f'id = "{sheet.id}"', f'label = "{sheet.label}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_second_holder_is_refused_with_the_first_holders_pid(tmp_path: Path) -> None:
    """Taking a held lock fails at once and names the holder; it is free again afterwards."""
    with (
        spreadsheet_lock(tmp_path, "sheet-1"),
        pytest.raises(SpreadsheetBusy) as busy,
        spreadsheet_lock(tmp_path, "sheet-1"),
    ):
        pass
    with spreadsheet_lock(tmp_path, "sheet-1") as path:
        assert lock_path(tmp_path, "sheet-1") == path
    assert f"(pid {os.getpid()})" in str(busy.value)


def test_lock_file_names_are_safe_for_any_id(tmp_path: Path) -> None:
    """An id with a slash cannot escape the lock folder."""
    assert tmp_path / "a_b_.._c.lock" == lock_path(tmp_path, "a/b/../c")


def test_a_lock_held_by_another_process_refuses_a_run(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """While another process holds the lock, run_locked makes no request and records nothing."""
    config = make_config(sheet_ids[:1])
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    child = context.Process(
        target=_hold, args=(str(config.service.lock_dir), sheet_ids[0], ready, release)
    )
    child.start()
    try:
        assert ready.wait(60)
        with pytest.raises(SpreadsheetBusy):
            run_locked(config, RunRequest(spreadsheet_id=sheet_ids[0]))
    finally:
        release.set()
        child.join(60)
    assert 0 == emulator.counters.count("read") + emulator.counters.count("write")
    assert [] == RunHistory(config.service.history).last_runs()


def test_sheetsync_run_is_refused_while_the_sheet_is_locked(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    tmp_path: Path,
) -> None:
    """`sheetsync run` in another process exits 1 with a one-line SpreadsheetBusy reason."""
    config = make_config(sheet_ids[:1])
    path = _config_file(config, tmp_path / "sheetsync.toml")
    with spreadsheet_lock(config.service.lock_dir, sheet_ids[0]):
        done = subprocess.run(
            [sys.executable, "-m", "sync.cli", "run", "--config", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert 1 == done.returncode
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"SpreadsheetBusy: Spreadsheet {sheet_ids[0]} is being synced")
    assert 0 == emulator.counters.count("write")


def test_the_service_skips_a_run_whose_sheet_is_locked(
    emulator: EmulatorHandle, sheet_ids: list[str], make_config: Callable[..., Config]
) -> None:
    """A scheduled run that finds the lock held is skipped, logged, and not in the history."""
    config = make_config(sheet_ids[:1])
    service = SyncService(config)
    with spreadsheet_lock(config.service.lock_dir, sheet_ids[0]):
        report = service.run_job(sheet_ids[0], "schedule")
    assert report is None
    assert ["skipped"] == [run.outcome for run in service.runs]
    assert [] == RunHistory(config.service.history).last_runs()
    assert 0 == emulator.counters.count("read")
