"""
Where things are in a regional tab: column keys, worker block placement, tab-name matching.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from rules import headers as h
from sync.core.sheet import ReadRows


@cache
def _keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, value in vars(h).items():
        if name.isupper() and isinstance(value, str) and value not in keys:
            keys[value] = name.lower()
    for i, header in enumerate(h.SATISFACTION_ITEMS, start=1):
        keys[header] = f"satisfaction_{i}"
    return keys


def column_key(header: str) -> str:
    """A stable ASCII key for a canonical header (used in finding tokens and formulas)."""
    return _keys().get(header) or f"col_{zlib.crc32(header.encode()):08x}"


_SPACES = re.compile(r"\s+")


def normalise_title(title: str) -> str:
    """
    Tab titles compare after NFC, without spaces or invisible marks, Thai digits as ASCII.

    People type `ศก. 1`, `ศก.1` with a non-breaking or zero-width space, or `ศก.๑`: the same
    region to them (domain spec §2). Format characters (Unicode category Cf: zero-width
    spaces and joiners, byte-order and direction marks) are dropped like spaces.
    """
    text = unicodedata.normalize("NFC", title)
    text = "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch
        for ch in text
        if unicodedata.category(ch) != "Cf"
    )
    return _SPACES.sub("", text).casefold()


class AmbiguousTitle(ValueError):
    """Two tabs match one configured name and neither is its exact title."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        shown = " and ".join(repr(c) for c in candidates)
        super().__init__(
            f"Tabs {shown} both match {name!r} and neither is exactly {name!r} — "
            "rename one of them."
        )


def match_titles(wanted: Iterable[str], actual: Iterable[str]) -> dict[str, str | None]:
    """
    Configured tab name -> the actual title it names, or None when no tab matches.

    An exact title beats a look-alike (`ศก. 1` placed before `ศก.1` never takes ศก.1's
    place); without one, a single look-alike is used, and two raise `AmbiguousTitle`.
    """
    titles = list(actual)
    exact = set(titles)
    by_key: dict[str, list[str]] = {}
    for title in titles:
        by_key.setdefault(normalise_title(title), []).append(title)
    found: dict[str, str | None] = {}
    for name in wanted:
        if name in exact:
            found[name] = name
            continue
        candidates = by_key.get(normalise_title(name), [])
        if len(candidates) > 1:
            raise AmbiguousTitle(name, candidates)
        found[name] = candidates[0] if candidates else None
    return found


def last_used_column(grid: Sequence[Sequence[Any]]) -> int:
    """Number of columns that hold anything in any row (the block goes after them)."""
    if isinstance(grid, ReadRows):
        return grid.used_width()  # (its rows not decoded for it)
    width = 0
    for row in grid:
        for col in range(len(row) - 1, -1, -1):
            value = row[col]
            if value is not None and value != "":
                width = max(width, col + 1)
                break
    return width


def place_worker_block(
    grid: Sequence[Sequence[Any]],
    found: Mapping[str, int],
    missing: Sequence[str] | None = None,
) -> tuple[dict[str, int], tuple[str, ...]]:
    """
    Worker column positions: found ones stay, missing ones (by default every worker header not
    found) go after the last used column.
    """
    columns = dict(found)
    if missing is None:
        missing = [header for header in h.WORKER_HEADERS if header not in columns]
    missing = tuple(missing)
    if missing:  # (the width of every row of the grid, only when there is a place to find)
        start = last_used_column(grid)
        for offset, header in enumerate(missing):
            columns[header] = start + offset
    return columns, missing
