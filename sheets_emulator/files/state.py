"""
Keep the emulator's store in one JSON file that survives restarts and crashes.

Writes are atomic (temporary file in the same folder, fsync, ``os.replace``, fsync of the
folder), so a crash leaves either the old or the new state, never half a file. Saving a
large store takes a while (about 4 s for 7 tabs x 10,000 rows x 83 columns, most of it
holding the store lock), so saves run on a background timer and are debounced: the first
change after a quiet period is written at once, later ones at most every ``min_interval_s``
seconds, stretched to four times the last save's locked time so requests never wait on
saves more than a fifth of the time; whatever is still unsaved is written by ``close()``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from sheets_emulator.model.errors import UnusableFile, reason_of
from sheets_emulator.model.store import Store

__all__ = ["StatePersister", "load_store", "save_store"]

log = logging.getLogger(__name__)


def load_store(path: Path) -> Store | None:
    """
    Read a store saved by ``save_store``; None when the file does not exist yet. A file that
    cannot be read, or that holds anything else, raises ``UnusableFile`` and is left as it
    is: an emulator that started empty over it would save its empty store there.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UnusableFile(f"state file {path}: cannot be read ({reason_of(exc)})") from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"holds a JSON {type(data).__name__}, not an object")
        return Store.from_json(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise UnusableFile(
            f"state file {path}: not a state this emulator saved ({reason_of(exc)}); it was left "
            "as it is: move it away or use another file"
        ) from None


def _check_writable(path: Path) -> None:
    """
    Raise ``UnusableFile`` unless a state can be saved at ``path`` (its folder made, a file
    written there): an emulator that served changes it could never save would lose them all.
    """
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise UnusableFile(f"state file {path}: cannot be written ({folder} is a file)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UnusableFile(f"state file {path}: cannot be written ({reason_of(exc)})") from None


def save_store(store: Store, path: Path) -> float:
    """
    Write the store to ``path`` atomically and return how long the store lock was held.
    """
    started = time.monotonic()
    # Serialised under the lock: to_json shares nested dicts with the live store.
    with store.lock:
        text = json.dumps(store.to_json(), ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate a request sent as `\ud800` is no UTF-8: written back as that escape, which
    # reads back as the same string (it only ever stands inside a JSON string).
    payload = text.encode("utf-8", "backslashreplace")
    locked_s = time.monotonic() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)
    return locked_s


def _fsync_dir(directory: Path) -> None:
    # The rename is only durable once the directory entry is flushed (POSIX; not on Windows).
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class StatePersister:
    """
    Saves a store after changes, at most every ``min_interval_s`` seconds, and once more on close.
    """

    def __init__(self, store: Store, path: Path, *, min_interval_s: float = 0.5) -> None:
        _check_writable(path)
        self.store = store
        self.path = path
        self.min_interval_s = min_interval_s
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        self._dirty = False
        self._last_save = 0.0
        self._timer: threading.Timer | None = None
        self._interval_s = min_interval_s
        self._closed = False
        self.saves = 0

    def mark_dirty(self) -> None:
        """
        Note that the store changed; saves now or schedules a save within ``min_interval_s``.
        """
        with self._lock:
            if self._closed:
                return
            self._dirty = True
            if self._timer is None:
                # Saving on a timer thread keeps the request that changed the store from waiting.
                wait = max(0.0, self._last_save + self._interval_s - time.monotonic())
                self._timer = threading.Timer(wait, self._timer_fired)
                self._timer.daemon = True
                self._timer.start()

    def _timer_fired(self) -> None:
        with self._lock:
            self._timer = None
        self.flush()

    def flush(self) -> None:
        """
        Write the store now if it changed since the last save.
        """
        # A separate save lock keeps two writers apart without making requests wait on disk.
        with self._save_lock:
            with self._lock:
                if not self._dirty:
                    return
                self._dirty = False
                self._last_save = time.monotonic()
            try:
                locked_s = save_store(self.store, self.path)
            except Exception as exc:  # (a full disk, a folder gone…): one line, tried again
                with self._lock:
                    self._dirty = True  # still unsaved: the next change, or close, tries again
                log.error("state not saved to %s: %s", self.path, reason_of(exc))
                return
            self.saves += 1
            with self._lock:
                self._interval_s = max(self.min_interval_s, 4 * locked_s)

    def close(self) -> None:
        """
        Cancel any pending timer and write what is still unsaved.
        """
        with self._lock:
            self._closed = True
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        self.flush()
