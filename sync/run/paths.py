"""
The local folders the worker keeps files in (the run history, the locks): whether it can.
"""

from __future__ import annotations

import os
from pathlib import Path

from sync.core.errors import ConfigError


def folder_problem(folder: Path) -> str | None:
    """
    Why files cannot be kept in `folder` (made with its parents when missing), or None: the
    nearest part of the path that exists is a file, or this user cannot write there. Said
    in these words where `mkdir` would say "File exists" or "Not a directory".
    """
    there = folder
    while not there.exists() and there.parent != there:
        there = there.parent
    if not there.is_dir():
        return f"{there} is a file, not a folder"
    if not os.access(there, os.W_OK | os.X_OK):
        return f"this user cannot write in {there}"
    return None


def make_folder(folder: Path, setting: str, path: Path) -> None:
    """
    Make `folder` (with its parents) to keep `path`, the value of `setting`; a `ConfigError`
    naming the setting and why when it cannot be.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # (a file where a folder of the path should be, say)
        why = folder_problem(folder) or exc.strerror or str(exc)
        raise ConfigError(f"{setting}: {path} cannot be made ({why}) — fix the path") from None
