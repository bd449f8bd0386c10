"""
One spreadsheet, one writer: an advisory file lock per spreadsheet shared by every process.

The service and a manual `sheetsync run` take the same lock, `<lock_dir>/<spreadsheet id>.lock`,
with `flock(LOCK_EX | LOCK_NB)`. A run that finds it held does not wait: it is skipped (the
service logs `run_skipped`) or refused (`sheetsync run` prints `SpreadsheetBusy: …`). The
kernel drops the lock when its holder exits, however it exits, so a crash never leaves a
stale lock behind; the file itself stays and only records the last holder's pid.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.core.errors import SyncError
from sync.run.paths import make_folder

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class SpreadsheetBusy(SyncError):
    """
    Another run (in this or another process) holds the spreadsheet's lock.
    """


def lock_path(lock_dir: Path, spreadsheet_id: str) -> Path:
    """
    The lock file of one spreadsheet; characters a file name cannot carry become `_`.
    """
    name = _UNSAFE.sub("_", spreadsheet_id) or "_"
    return lock_dir / f"{name}.lock"


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextmanager
def spreadsheet_lock(lock_dir: Path, spreadsheet_id: str) -> Iterator[Path]:
    """
    Hold the spreadsheet's lock for the block; SpreadsheetBusy at once when it is held.

    Locks belong to open files, not processes, so two runs in one process exclude each other
    as well.
    """
    make_folder(lock_dir, "service.lock_dir", lock_dir)
    path = lock_path(lock_dir, spreadsheet_id)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SpreadsheetBusy(
                f"Spreadsheet {spreadsheet_id} is being synced by another run{_holder(path)}; "
                f"lock {path} — try again when it has finished."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
