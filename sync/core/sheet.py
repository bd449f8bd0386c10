"""
What the worker reads of a spreadsheet, as plain values: grids of cells and the tabs' metadata.

Every backend returns these and the pure core decides from them, so they sit in the core and
the I/O seam (`sync.backends.base`) hands them on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

Grid = list[list[Any]]
"""Values of one range as the API returns them: ragged rows, trailing empties trimmed."""


class _ValueRange(msgspec.Struct):
    values: msgspec.Raw = msgspec.Raw(b"[]")


class _BatchGet(msgspec.Struct):
    valueRanges: list[_ValueRange] = []


def _digest(data: bytes | bytearray | msgspec.Raw) -> str:
    """
    128 bits of SHA-256: on CPUs with SHA instructions a 19 MB read hashes in half blake2b's
    time (10 ms against 20 on the machines this was measured on).
    """
    return hashlib.sha256(data).hexdigest()[:32]


def _grid(raw: bytes) -> Grid:
    try:
        return msgspec.json.decode(raw, type=Grid)
    except msgspec.DecodeError:
        # Out of msgspec's range (a number beyond a double): the standard parser.
        return list(json.loads(raw))


SAMPLE_ROWS = 64
"""Rows of a grid looked at to tell the columns whose texts repeat."""


def share_texts(grid: Grid) -> Grid:
    """
    The grid, its equal texts made one object in each column that repeats its texts (a
    dropdown, a province, a date, an activity's name), in place (a read's grids are handed
    over once): the decoder makes a new object for every cell, and a regional tab's texts are
    most of a round's memory.

    Which columns repeat is told from a sample of rows, so columns of nearly unique values
    (names, phones, IDs) cost no look-up; nor do columns whose only repeats are blanks: the
    decoder gives every '' as the one empty string already (in the input columns of a
    7 x 2,000-row read, such columns took a third of the time, 79 -> 51 ms, and sharing lets
    go of 18.2 MB of texts instead of 18.9). A text is immutable: which of two equal ones a
    cell holds changes nothing but memory (and the hash, computed once per distinct text, is
    then known to every later look-up of the cell).
    """
    sample = grid[:SAMPLE_ROWS]
    width = max(map(len, sample), default=0)
    columns = []
    for col in range(width):
        texts = [v for row in sample if col < len(row) and (v := row[col]).__class__ is str and v]
        if len(texts) >= 4 and 2 * len(set(texts)) <= len(texts):
            columns.append(col)
    if not columns:
        return grid
    shared: dict[str, str] = {}
    share = shared.setdefault
    for row in grid:
        size = len(row)
        for col in columns:
            if col < size:
                value = row[col]
                if value.__class__ is str:
                    row[col] = share(value, value)
    return grid


@dataclass
class ValuesRead:
    """
    One values:batchGet answer: a digest of it at once, its grids only when asked for.

    A run whose read is the very answer of a run that found nothing to change needs nothing
    more from it (`sync.run.settled`), so the body of tens of MB is hashed, never decoded.
    When it is decoded, msgspec reads the bytes once into lists (no text copy of the body,
    no intermediate dicts of every range).
    """

    digest: str
    body: bytes | bytearray | None = None
    _grids: list[Grid] | None = field(default=None, repr=False)
    range_digests: list[str] = field(default_factory=list)
    """Per range, the digest of its values as received; known once the grids were taken."""

    @classmethod
    def of_body(cls, body: bytes | bytearray) -> ValuesRead:
        return cls(digest=_digest(body), body=body)

    @classmethod
    def of_grids(cls, grids: Sequence[Grid]) -> ValuesRead:
        """For backends that hand over decoded grids: the digest of their exact JSON."""
        encoded = [msgspec.json.encode(grid, enc_hook=repr) for grid in grids]
        return cls(
            digest=_digest(b"\n".join(encoded)),
            _grids=list(grids),
            range_digests=[_digest(e) for e in encoded],
        )

    def grids(self, shape: Sequence[Callable[[Grid], Grid] | None] = ()) -> list[Grid]:
        """
        Every range's values in request order, handed over once: the read keeps neither the
        body nor the grids, so a round's grids live exactly as long as the round uses them.

        `shape[i]`, where given, is applied to range i's grid as soon as it is decoded, before
        the next one is: what it lets go (`share_texts`' duplicate texts) leaves room the next
        range's cells then fill, instead of holes in a heap grown to hold every range whole.
        """
        if self._grids is not None:
            grids, self._grids = self._grids, None
            return [_shaped(grid, shape, i) for i, grid in enumerate(grids)]
        if self.body is None:
            raise RuntimeError("the grids of this read were handed over already")
        body, self.body = self.body, None
        ranges = msgspec.json.decode(body, type=_BatchGet).valueRanges
        self.range_digests = [_digest(vr.values) for vr in ranges]
        return [_shaped(_grid(vr.values), shape, i) for i, vr in enumerate(ranges)]


def _shaped(grid: Grid, shape: Sequence[Callable[[Grid], Grid] | None], index: int) -> Grid:
    step = shape[index] if index < len(shape) else None
    return grid if step is None else step(grid)


@dataclass(frozen=True)
class SheetInfo:
    """What the worker needs to know about one tab."""

    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    conditional_formats: tuple[Mapping[str, Any], ...] = ()
    protected_ranges: tuple[Mapping[str, Any], ...] = ()
    charts: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class SpreadsheetInfo:
    """Title, time zone and tabs of one spreadsheet."""

    spreadsheet_id: str
    title: str
    time_zone: str
    sheets: tuple[SheetInfo, ...]
    named_ranges: tuple[Mapping[str, Any], ...] = ()

    def by_title(self) -> dict[str, SheetInfo]:
        """Tabs keyed by their exact title."""
        return {s.title: s for s in self.sheets}


def quote_title(title: str) -> str:
    """Quote a tab title for an A1 range the way gspread does (embedded quotes doubled)."""
    return "'" + title.replace("'", "''") + "'"
