"""
The local folders the worker keeps files in (the run history, the locks): whether it can.
"""

from __future__ import annotations

import os
from pathlib import Path


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
