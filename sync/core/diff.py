"""
Planning a write: the exact worker cells whose value differs, grouped into few requests.

Pure functions: the pipeline hands in what it read and what it wants, and gets back cell
changes and what carries them: `values:batchUpdate` data through column anchors for regional
worker cells (`value_writes`), `updateCells` requests for the worker's own tabs.
"""

from __future__ import annotations

import math
import operator
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import accumulate, chain, compress, pairwise, repeat, starmap
from typing import Any, TypeVar, cast

import msgspec

from sync.core.cells import (
    EXACT_INTS,
    CellValue,
    Formula,
    cell_at,
    cells_as_read,
    column_letter,
    row_as_read,
    same_value,
    shows,
    to_extended,
    to_raw,
)
from sync.core.sheet import Digests, LaterGrid, OnDemand, ReadRows, bytes_digest, row_digests


class CellChange(msgspec.Struct, frozen=True, order=True, gc=False):
    """
    One cell to write: tab title, 1-based sheet row, 0-based column, new value.

    A frozen Struct rather than a frozen dataclass: built in C (about 7 times faster than a
    frozen dataclass's `__init__`), 48 bytes instead of 64 and, holding only scalars, never
    scanned by the cyclic collector. A plan holds its cells as columns (`CellChanges`), which
    make one when a cell is read.
    """

    tab: str
    row: int
    col: int
    value: CellValue

    @property
    def a1(self) -> str:
        """The cell's A1 address within its tab."""
        return f"{column_letter(self.col)}{self.row}"


class CellChanges(OnDemand[CellChange]):
    """
    Cells to write, in order, held as four columns (each cell's tab, row, column and value)
    rather than a `CellChange` each: a first run writes ~270,000 cells, ~56 bytes each as
    objects in a list, ~16 here; and let go after the write, they leave no pages of small
    objects behind among what lives on. Read as `CellChange`s, made when asked for.
    """

    __slots__ = ("_cols", "_ids", "_rows", "_runs", "_tab_ids", "_tabs", "_values")

    def __init__(self, changes: Iterable[CellChange] = ()) -> None:
        self._tabs: list[str] = []
        """Each tab named, once, in the order first changed."""
        self._ids: dict[str, int] = {}
        self._tab_ids = array("H")
        self._rows = array("I")
        self._cols = array("H")
        self._values: list[CellValue] = []
        self._runs = array("I")
        """Where each run of cells of one tab starts (a plan adds a tab's cells together):
        `where` takes a run whose columns are all kept, or none, as a slice of each column."""
        self.extend(changes)

    def _run_of(self, tab_id: int) -> None:
        """Cells of `tab_id` come next: a new run unless the last cell is of that tab."""
        if not self._values or self._tab_ids[-1] != tab_id:
            self._runs.append(len(self._values))

    def _tab_id(self, tab: str) -> int:
        found = self._ids.get(tab)
        if found is None:
            found = self._ids[tab] = len(self._tabs)
            self._tabs.append(tab)
        return found

    def touches(self, tab: str) -> bool:
        """Whether a cell of `tab` is among those to write."""
        found = self._ids.get(tab)
        return found is not None and found in self._tab_ids  # (a scan in C: ~1 ms a 100,000)

    def add(self, tab: str, row: int, col: int, value: CellValue) -> None:
        """One cell to write."""
        tab_id = self._tab_id(tab)
        self._run_of(tab_id)
        self._tab_ids.append(tab_id)
        self._rows.append(row)
        self._cols.append(col)
        self._values.append(value)

    def add_row(self, tab: str, row: int, cols: Sequence[int], values: Sequence[CellValue]) -> None:
        """Cells of one row to write, at `cols` (no object a cell on the way)."""
        tab_id = self._tab_id(tab)
        if cols:
            self._run_of(tab_id)
        # From lists (`fromlist`: about half of `extend`'s time, which takes any iterable).
        size = len(cols)
        self._tab_ids.fromlist([tab_id] * size)
        self._rows.fromlist([row] * size)
        self._cols.fromlist(cols if isinstance(cols, list) else list(cols))
        self._values.extend(values)

    def append(self, change: CellChange) -> None:
        """One cell to write, as a `CellChange`."""
        self.add(change.tab, change.row, change.col, change.value)

    def extend(self, changes: Iterable[CellChange]) -> None:
        """Cells to write, in order (another `CellChanges` taken column by column)."""
        if isinstance(changes, CellChanges):
            ids = [self._tab_id(tab) for tab in changes._tabs]
            at = len(self._values)
            for start in changes._runs:
                if start or not at or self._tab_ids[-1] != ids[changes._tab_ids[0]]:
                    self._runs.append(at + start)
            if ids == list(range(len(ids))):  # (the same ids: copied as they are)
                self._tab_ids.extend(changes._tab_ids)
            elif len(ids) == 1:  # (one tab's cells, a tab's diff: its one id repeated)
                self._tab_ids.extend(array("H", ids) * len(changes._tab_ids))
            else:
                self._tab_ids.extend(map(ids.__getitem__, changes._tab_ids))
            self._rows.extend(changes._rows)
            self._cols.extend(changes._cols)
            self._values.extend(changes._values)
            return
        for change in changes:
            self.add(change.tab, change.row, change.col, change.value)

    def cells(self) -> Iterator[tuple[str, int, int, CellValue]]:
        """Each cell as (tab, row, column, value), in order, without a `CellChange` each."""
        return zip(
            map(self._tabs.__getitem__, self._tab_ids),
            self._rows,
            self._cols,
            self._values,
            strict=True,
        )

    def spans(self) -> list[tuple[int, int, int]]:
        """Each run of one tab's cells as (its tab's id, its first cell, the cell after it)."""
        starts = list(self._runs)  # (none without cells: then the end alone, unpaired)
        ends = [*starts[1:], len(self._values)]
        return [
            (self._tab_ids[start], start, end) for start, end in zip(starts, ends, strict=False)
        ]

    def where(self, keep: Collection[tuple[str, int]], *, outside: bool = False) -> CellChanges:
        """
        The cells whose (tab, column) is in `keep` (or, `outside`, is not), in order. A run
        of one tab's cells whose columns are all kept, or none, is taken or left whole (a
        plan's regional tabs, its summary, its list: ~6 ms a first run's 302,000 cells, where
        a mask of them all took ~55), the others cell by cell.
        """
        columns = [frozenset(col for tab, col in keep if tab == title) for title in self._tabs]
        kept = CellChanges()
        kept._tabs, kept._ids = list(self._tabs), dict(self._ids)
        for tab_id, start, end in self.spans():
            wanted = columns[tab_id]
            cols = self._cols[start:end]
            present = set(cols) if wanted else set()
            if present.isdisjoint(wanted):
                whole = outside
            elif wanted.issuperset(present):
                whole = not outside
            else:  # some columns kept: cell by cell
                mask = [(col in wanted) != outside for col in cols]
                if not any(mask):
                    continue
                kept._run_of(tab_id)
                kept._tab_ids.extend(compress(self._tab_ids[start:end], mask))
                kept._rows.extend(compress(self._rows[start:end], mask))
                kept._cols.extend(compress(cols, mask))
                kept._values.extend(compress(self._values[start:end], mask))
                continue
            if whole:
                kept._run_of(tab_id)
                kept._tab_ids.extend(self._tab_ids[start:end])
                kept._rows.extend(self._rows[start:end])
                kept._cols.extend(cols)
                kept._values.extend(self._values[start:end])
        return kept

    def __len__(self) -> int:
        return len(self._values)

    def _item(self, index: int) -> CellChange:
        return CellChange(
            self._tabs[self._tab_ids[index]],
            self._rows[index],
            self._cols[index],
            self._values[index],
        )

    def __iter__(self) -> Iterator[CellChange]:
        return starmap(CellChange, self.cells())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CellChanges | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CellChanges({list(self)!r})"


def cells_of(changes: Iterable[CellChange]) -> Iterator[tuple[str, int, int, CellValue]]:
    """Each change as (tab, row, column, value): of `CellChanges`, no object a cell."""
    if isinstance(changes, CellChanges):
        return changes.cells()
    return ((c.tab, c.row, c.col, c.value) for c in changes)


DesiredCells = Mapping[tuple[int, int], CellValue]
"""Wanted values keyed by (1-based row, 0-based column) within one tab."""


def diff_tab(tab: str, current: Sequence[Sequence[Any]], desired: DesiredCells) -> list[CellChange]:
    """Changes that make `current` show `desired`; cells not named in `desired` are left alone."""
    changes = []
    for (row, col), value in desired.items():
        got = cell_at(current, row, col)
        if got is None and type(value) is not Formula:
            # An empty cell (a new tab's, a new row's) shows exactly the blank values.
            if value is not None and value != "":
                changes.append(CellChange(tab, row, col, value))
        elif not same_value(got, value):
            changes.append(CellChange(tab, row, col, value))
    changes.sort(key=lambda c: (c.row, c.col))
    return changes


def diff_grid(
    tab: str,
    current: Sequence[Sequence[Any]],
    wanted: Sequence[Sequence[CellValue]],
    skip: Collection[tuple[int, int]] = frozenset(),
    alike: Container[int] = frozenset(),
) -> tuple[CellChanges, list[CellChange]]:
    """
    Changes that make a worker-owned tab show `wanted` and nothing else (cells not wanted are
    cleared, `skip` cells are left alone), and the padding that fills each changed row out to
    the width of the tab's wanted cells. Rows in `alike` are known to read exactly as wanted
    (`ListMoves.alike`): they are not looked at again, neither built nor decoded (so they set
    no padding width: a list's header row, never in `alike`, spans its width).

    Row by row, with no (row, column) map of the whole tab: an unchanged row costs one tuple
    comparison, and a row with nothing read yet (every row of a first run) is its non-blank
    wanted cells, in column order.
    """
    skip_rows = {r for r, _ in skip}
    changes = CellChanges()
    changed: list[tuple[int, tuple[int, ...]]] = []
    """Each changed row with its changed columns, in row order: what padding fills around (a
    tuple of a row's ~10: a set of them took ~730 bytes a row, ~9 MB for a first run's list)."""
    top = 0
    everything: dict[int, tuple[int, ...]] = {}
    """The columns of a row of each width, every one changed (one tuple for all such rows)."""
    have, want_rows = len(current), len(wanted)
    for r in range(1, max(have, want_rows) + 1):
        if r in alike:
            continue
        values = wanted[r - 1] if r <= want_rows else ()
        line = current[r - 1] if r <= have else ()
        if line and r not in skip_rows:
            # The whole row at once: it reads as wanted, and holds nothing else (the usual
            # case once a tab is written: no map of the row is made).
            last = len(values) - 1
            while last >= 0 and (values[last] is None or values[last] == ""):
                last -= 1
            top = max(top, last)
            size = max(len(line), 1 + last)
            shown = tuple(row_as_read(values[:size]))
            if shows(cells_as_read(line, range(size)), shown + (None,) * (size - len(shown))):
                continue
        if not line and r not in skip_rows and None not in values and "" not in values:
            # Nothing read here and every cell wanted (a first run's list: nearly every
            # line): every cell is a change, no map of the row made; rows of one width
            # share the tuple of their columns.
            if values:
                top = max(top, len(values) - 1)
                cols = everything.get(len(values))
                if cols is None:
                    cols = everything[len(values)] = tuple(range(len(values)))
                changes.add_row(tab, r, cols, values)
                changed.append((r, cols))
            continue
        want = {c: v for c, v in enumerate(values) if v is not None and v != ""}
        if r in skip_rows:
            want = {c: v for c, v in want.items() if (r, c) not in skip}
        if want:
            top = max(top, max(want))
        if not line:
            if want:  # nothing read here: every wanted (non-blank) cell is a change
                changes.add_row(tab, r, list(want), list(want.values()))
                changed.append((r, tuple(want)))
            continue
        desired: dict[int, CellValue] = dict(want)
        for c, value in enumerate(line):
            if c not in want and (r, c) not in skip and value not in (None, ""):
                desired[c] = None
                top = max(top, c)
        found = [
            CellChange(tab, r, c, value)
            for c, value in sorted(desired.items(), key=_first)
            if _differs(line[c] if c < len(line) else None, value)
        ]
        if found:
            changes.extend(found)
            changed.append((r, tuple([change.col for change in found])))
    padding = [
        CellChange(tab, r, c, _wanted_at(wanted, r, c))
        for r, taken in changed
        if len(taken) <= top  # (every column up to `top` changed: nothing to fill)
        for c in range(top + 1)
        if c not in taken and (r, c) not in skip
    ]
    return changes, padding


def _first(item: tuple[int, object]) -> int:
    return item[0]


def _differs(got: object, value: CellValue) -> bool:
    """Whether a cell read as `got` must be written to show `value` (as `diff_tab` decides)."""
    if got is None and type(value) is not Formula:
        return value is not None and value != ""
    return not same_value(got, value)


def _wanted_at(wanted: Sequence[Sequence[CellValue]], row: int, col: int) -> CellValue:
    """The wanted value of a cell, blank as None."""
    if row > len(wanted) or col >= len(wanted[row - 1]):
        return None
    value = wanted[row - 1][col]
    return None if value is None or value == "" else value


@dataclass(frozen=True)
class Block:
    """A rectangle of changed cells in one worker-owned tab, written by one updateCells."""

    tab: str
    row: int
    col: int
    values: tuple[tuple[CellValue, ...], ...]


MAX_BLOCK_ROWS = 500
"""Rows per rectangle at most, so one data entry never outgrows a write call on its own."""


Run = tuple[int, int, Sequence[CellValue]]
"""Cells of one row in adjacent columns: its row, first column and values."""

_COL_BITS = 17
"""A cell's place as one int, `row << _COL_BITS | col`: a column (below 2**16 in a
`CellChanges`) plus one never reaches the row's bits, so adjacent cells differ by 1."""


def group_blocks(changes: Iterable[CellChange], *, max_rows: int = MAX_BLOCK_ROWS) -> list[Block]:
    """Runs of adjacent columns per row, then identical runs on consecutive rows, merged."""
    blocks: list[Block] = []
    for tab, runs in _runs(changes):
        top = start = width = -1  # the current block's first row, first column and width
        lines: list[tuple[CellValue, ...]] = []  # its rows' values
        for row, col, values in runs:
            if (
                row == top + len(lines)
                and col == start
                and len(values) == width
                and len(lines) < max_rows
            ):
                lines.append(tuple(values))
                continue
            if lines:
                blocks.append(Block(tab, top, start, tuple(lines)))
            top, start, width, lines = row, col, len(values), [tuple(values)]
        if lines:
            blocks.append(Block(tab, top, start, tuple(lines)))
    return blocks


def _runs(changes: Iterable[CellChange]) -> Iterator[tuple[str, list[Run]]]:
    """
    Each tab's cells (tabs in the order first changed) as runs of adjacent columns per row,
    in (row, column) order, cells of one place in the order given.

    Of `CellChanges`, told from its columns in C, without a tuple a cell: each cell's place
    as one int (`_COL_BITS`), sorted only when out of order (a list's padding after its
    changes), a run ending where the next place is not the next column.
    """
    if not isinstance(changes, CellChanges):  # (any other changes: gathered so first)
        changes = CellChanges(changes)
    spans: dict[int, list[tuple[int, int]]] = {}
    for tab_id, begin, end in changes.spans():
        spans.setdefault(tab_id, []).append((begin, end))
    for tab_id, tab_spans in spans.items():
        rows, cols, values = array("I"), array("H"), list[CellValue]()
        for begin, end in tab_spans:
            rows += changes._rows[begin:end]
            cols += changes._cols[begin:end]
            values += changes._values[begin:end]
        places: Sequence[int] = list(
            map(operator.or_, map(operator.lshift, rows, repeat(_COL_BITS)), cols)
        )
        del rows, cols
        ordered: Sequence[CellValue] = values
        if any(map(operator.gt, places, places[1:])):
            pick = operator.itemgetter(*sorted(range(len(places)), key=places.__getitem__))
            places, ordered = pick(places), pick(values)  # (two or more: tuples)
        size = len(places)
        heads = [
            0,
            *compress(range(1, size), map((1).__ne__, map(operator.sub, places[1:], places))),
            size,
        ]
        mask = (1 << _COL_BITS) - 1
        yield (
            changes._tabs[tab_id],
            [
                (places[at] >> _COL_BITS, places[at] & mask, ordered[at:after])
                for at, after in pairwise(heads)
            ],
        )


def padding_for(
    changes: Sequence[CellChange], fillable: Mapping[tuple[int, int], CellValue], tab: str
) -> list[CellChange]:
    """
    Cells of changed rows rewritten with the value they already hold, to close gaps.

    Writing a row's whole worker span, not just its changed cells, lets consecutive rows
    merge into one rectangle: a first run then sends a few large updateCells instead of tens
    of thousands of small ones. `fillable` holds only worker-owned cells and their wanted
    (= current) values, so people's cells can never be part of a write.
    """
    rows = {c.row for c in changes}
    taken = {(c.row, c.col) for c in changes}
    return [
        CellChange(tab, row, col, value)
        for (row, col), value in fillable.items()
        if row in rows and (row, col) not in taken
    ]


Request = Mapping[str, Any] | msgspec.Raw
"""A `spreadsheets:batchUpdate` request: a dict, or its JSON encoded already (sent as it is)."""


_R = TypeVar("_R", bound=Request)


class Batch(list[_R]):
    """
    The requests of one call, with the JSON of each (sizing the call needed it): a backend
    sends these bytes as they are instead of serialising the requests a second time (a
    request encoded already is its own JSON: no second copy).
    """

    encoded: list[bytes]

    def __init__(self, requests: Sequence[_R] = (), encoded: Sequence[bytes] = ()):
        super().__init__(requests)
        self.encoded = list(encoded)


def encode(value: object) -> bytes:
    """JSON as sent: compact UTF-8."""
    return msgspec.json.encode(value)


def batches(
    requests: Sequence[_R],
    max_bytes: int,
    *,
    together: Sequence[tuple[int, int]] = (),
) -> list[Batch[_R]]:
    """
    Requests split into calls of about `max_bytes` of JSON each, in order.

    Google recommends payloads of at most 2 MB (https://developers.google.com/sheets/api/limits).
    Each call is atomic on its own; if a later one fails, the run re-reads and re-plans, and
    since worker cells are derived data the earlier ones are simply part of the result.
    Each `together` span `[start, end)` of requests goes in one call whatever its size: what
    it writes by position is only sure inside the atomic call that inserted the columns.
    """
    starts = {start: end for start, end in together}
    out: list[Batch[_R]] = []
    size = 0
    i = 0
    while i < len(requests):
        end = max(starts.get(i, i + 1), i + 1)
        unit = list(requests[i:end])
        i = end
        encoded = [r if isinstance(r, msgspec.Raw) else encode(r) for r in unit]
        cost = sum(map(len, encoded))
        if out and size + cost <= max_bytes:
            out[-1].extend(unit)
            out[-1].encoded.extend(encoded)
            size += cost
        else:
            out.append(Batch(unit, encoded))
            size = cost
    return out


class _Text(msgspec.Struct, gc=False, rename={"text": "stringValue"}):
    """A text's ExtendedValue, `{"stringValue": text}` as `to_extended` makes it."""

    text: str


class _TextCell(msgspec.Struct, gc=False, rename={"value": "userEnteredValue"}):
    """A text's CellData, `{"userEnteredValue": {"stringValue": text}}`."""

    value: _Text


class _Number(msgspec.Struct, gc=False, rename={"number": "numberValue"}):
    """A number's ExtendedValue, `{"numberValue": number}`."""

    number: float


class _NumberCell(msgspec.Struct, gc=False, rename={"value": "userEnteredValue"}):
    """A number's CellData, `{"userEnteredValue": {"numberValue": number}}`."""

    value: _Number


class _RowData(msgspec.Struct, gc=False):
    """A row's cells, `{"values": [...]}`."""

    values: list[Any]


def update_requests(blocks: Sequence[Block], sheet_ids: Mapping[str, int]) -> list[msgspec.Raw]:
    """
    One `updateCells` per block, values typed so text is never run as a formula.

    Each is JSON already (`msgspec.Raw`, sent as it is): a first run's compiled list as two
    dicts a cell (~370 bytes each) took ~18 MB until its call was made, beside the bodies;
    encoded a block at a time, each block's dicts go at once. A number, tick or blank that
    fills many cells of a block shares one CellData while it is encoded. A text's CellData
    and a row are Structs that encode to the very JSON of those dicts: made and encoded in
    under half the dicts' time (~24 bytes each, not ~200), never tracked by the collector.
    """
    shared: dict[tuple[type, object], dict[str, Any]] = {}

    def cell(value: CellValue) -> object:
        kind = type(value)
        if kind is int and -EXACT_INTS < value < EXACT_INTS:  # type: ignore[operator]
            # (a list's row numbers: each its own, none shared)
            return _NumberCell(_Number(float(value)))  # type: ignore[arg-type]
        if kind is not str and kind is not int and kind is not bool and value is not None:
            return to_extended(value)  # a Decimal: equal ones may print differently as text
        key = (kind, value)
        found = shared.get(key)
        if found is None:
            found = shared[key] = to_extended(value)
        return found

    requests = []
    for block in blocks:
        request = {
            "updateCells": {
                "start": {
                    "sheetId": sheet_ids[block.tab],
                    "rowIndex": block.row - 1,
                    "columnIndex": block.col,
                },
                "rows": [
                    # (text, most cells, made inline as `to_extended` makes it: cheaper than
                    # a call and a look-up a cell)
                    _RowData([_TextCell(_Text(v)) if v.__class__ is str else cell(v) for v in row])
                    for row in block.values
                ],
                "fields": "userEnteredValue",
            }
        }
        requests.append(msgspec.Raw(encode(request)))
        shared.clear()
    return requests


@dataclass(frozen=True)
class ValueWrites:
    """The `values:batchUpdate` data of one round: plain values (RAW) and formulas."""

    raw: list[dict[str, Any]]
    formulas: list[dict[str, Any]]
    """Sent with USER_ENTERED; only the worker's own `Formula` cells, everything else null."""


CHUNK_BYTES = 400_000
"""An anchored column is sent in pieces of about this much JSON, so calls stay under 2 MB."""


def _json_size(value: CellValue) -> int:
    # An upper bound of the value's JSON (non-ASCII text is \uXXXX-escaped on the wire).
    if isinstance(value, str):
        return len(value) + 3 if value.isascii() else 6 * len(value) + 3
    if isinstance(value, Formula):
        return 6 * len(value.text) + 3
    return 25


def _sides(
    rows: Sequence[int], values: Sequence[CellValue], kinds: AbstractSet[type]
) -> tuple[list[Any], list[Any]]:
    """
    The two sides of a column from row 1 holding `values` at `rows` (ascending; `kinds` the
    values' types), null (leave it alone) at every other row: plain values (formulas null)
    and formulas (every other cell null), each without its trailing nulls. A column of one
    kind (a regional column: text, or Decimal figures) is converted at once, in C; others
    a cell at a time, text and finite Decimals inline (as `to_raw` would), the rest by
    `_plain`.
    """
    decimal, finite = Decimal, math.isfinite
    plain: list[Any] | None = None
    if kinds == {str}:
        plain = list(values)
    elif kinds == {decimal}:
        plain = list(map(float, cast(Sequence[Decimal], values)))
        if not all(map(finite, plain)):
            plain = None
    if plain is None:
        plain = [
            value
            if value.__class__ is str
            else number
            if value.__class__ is decimal and finite(number := float(value))
            else _plain(value)
            for value in values
        ]
    formula = any(issubclass(kind, Formula) for kind in kinds)
    texts = [v.text if isinstance(v, Formula) else None for v in values] if formula else []
    sides = (_column_from(rows, plain), _column_from(rows, texts) if formula else texts)
    for side in sides:
        while side and side[-1] is None:
            side.pop()
    return sides


def _column_from(rows: Sequence[int], values: list[Any]) -> list[Any]:
    """A column from row 1 holding `values` at `rows` (ascending), null everywhere else."""
    first = rows[0]
    if rows[-1] - first + 1 == len(rows):  # consecutive rows (every row of a list)
        if first == 1:
            return values
        return [*repeat(None, first - 1), *values]
    column: list[Any] = [None] * (rows[-1] + 1)  # (from row 0: set in C, not a cell a time)
    deque(map(column.__setitem__, rows, values), maxlen=0)
    del column[0]
    return column


def _plain(value: object) -> Any:
    """A cell's plain side other than text or a finite Decimal (`to_raw`; a formula's plain
    side is null)."""
    return None if isinstance(value, Formula) else to_raw(cast(CellValue, value))


def _size_bound(values: Sequence[CellValue], kinds: AbstractSet[type]) -> int | None:
    """
    Not less than the JSON a piece of `values` takes by `_json_size` (each + 1, its comma),
    told from the values' kinds without a size a value: of text, 6 bytes a character (every
    one escaped) and 4; of values neither text nor formula, 26 each. None for other mixes.
    """
    if all(issubclass(kind, str) for kind in kinds):
        return 6 * sum(map(len, cast(Sequence[str], values))) + 4 * len(values)
    if not any(issubclass(kind, str | Formula) for kind in kinds):
        return 26 * len(values)
    return None


def value_writes(
    changes: Iterable[CellChange],
    anchors: Mapping[tuple[str, int], str],
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> ValueWrites:
    """
    The data entries that write `changes` through their columns' anchors (named ranges).

    An anchor spans its whole column, so an entry lists the column from row 1, with `null`
    (leave the cell alone) for every row not changed: nothing else in the column is touched.
    `None` values (clear the cell) become `""`. Every change must have an anchor.
    """
    raw: list[dict[str, Any]] = []
    formulas: list[dict[str, Any]] = []
    for name, cells in _by_anchor(changes, anchors).items():
        rows = sorted(cells)
        values = list(map(cells.__getitem__, rows))
        kinds = set(map(type, values))
        bound = _size_bound(values, kinds)
        if bound is not None and bound <= chunk_bytes:
            pieces = [(rows, values)]  # (a regional column: one piece, no size a value)
        else:
            pieces = _pieces(rows, values, chunk_bytes)
        for piece_rows, piece_values in pieces:
            piece_kinds = kinds if len(pieces) == 1 else set(map(type, piece_values))
            for side, out in zip(
                _sides(piece_rows, piece_values, piece_kinds), (raw, formulas), strict=True
            ):
                if side:
                    out.append({"range": name, "majorDimension": "COLUMNS", "values": [side]})
    return ValueWrites(raw=raw, formulas=formulas)


def _pieces(
    rows: list[int], values: list[CellValue], chunk_bytes: int
) -> list[tuple[list[int], list[CellValue]]]:
    """A column's rows and values in pieces, each ending at the first row after which its
    JSON passes `chunk_bytes`."""
    ends = list(
        accumulate(
            [  # `_json_size(value) + 1` (its comma), the text branch inline
                (len(value) + 4 if value.isascii() else 6 * len(value) + 4)
                if value.__class__ is str
                else _json_size(value) + 1
                for value in values
            ]
        )
    )
    pieces = []
    start, before = 0, 0
    while start < len(rows):
        end = bisect_right(ends, before + chunk_bytes, lo=start) + 1
        pieces.append((rows[start:end], values[start:end]))
        before = ends[min(end, len(rows)) - 1]
        start = end
    return pieces


def _by_anchor(
    changes: Iterable[CellChange], anchors: Mapping[tuple[str, int], str]
) -> dict[str, dict[int, CellValue]]:
    """
    Each anchor's changed rows and values, anchors in the order first changed, a later change
    of a cell winning. Gathered per (tab, column) first: one tuple and look-up a change, not
    the anchor's name looked up for each (two tabs' columns through one name are merged in
    the changes' order, as one walk over them would).
    """
    if not isinstance(changes, CellChanges):  # (any other changes: gathered so first)
        changes = CellChanges(changes)
    by_column: dict[tuple[str, int], dict[int, CellValue]] = {}
    # A run of one tab's cells at a time: each cell set in its column's map in C.
    for tab_id, begin, end in changes.spans():
        tab = changes._tabs[tab_id]
        cols = changes._cols[begin:end]
        into: dict[int, dict[int, CellValue]] = {}
        for col in dict.fromkeys(cols):  # (in the order first changed)
            into[col] = by_column.setdefault((tab, col), {})
        setting = map(
            operator.setitem,
            map(into.__getitem__, cols),
            changes._rows[begin:end],
            changes._values[begin:end],
        )
        deque(setting, maxlen=0)
    names = [anchors[key] for key in by_column]
    if len(set(names)) == len(names):
        return dict(zip(names, by_column.values(), strict=True))
    by_anchor: dict[str, dict[int, CellValue]] = {}
    for tab, row, col, value in cells_of(changes):
        by_anchor.setdefault(anchors[(tab, col)], {})[row] = value
    return by_anchor


MIN_MOVED_ROWS = 20
"""Rows a list must shift by at least before the shift is sent as moves, not as rewrites."""


@dataclass(frozen=True)
class ListMoves:
    """
    How a worker-owned list tab gets from what was read to what is wanted by shifting rows.

    `requests` cut rows out (`deleteRange`, the rest pulled up) and open gaps (`insertRange`,
    the rest pushed down) inside one atomic batch; `shifted` is the tab as those requests
    leave it, which the cell diff then compares with what is wanted.
    """

    requests: list[dict[str, Any]]
    shifted: Sequence[Sequence[Any]]
    inserted: int
    """Rows the gaps added to the tab (an insert grows the grid)."""
    alike: frozenset[int] = frozenset()
    """The rows (numbered as in the sheet, after the moves) that read exactly as wanted, which
    the cell diff then need not compare again (`diff_grid`'s `alike`)."""
    shows: dict[bytes, bytes] | None = None
    """With the wanted lines' keys given (`list_moves`'s `keys`) and the list read as bytes:
    for each row found alike, the digest of its bytes -> the key of the line it shows (what
    the next comparison's `shows` is)."""


class _Shifted(OnDemand[Sequence[Any]]):
    """A list's rows as moves leave them: each a row of the read (by index), or an opened
    gap (empty); no row is decoded for it (`ReadRows` decodes a row when it is used)."""

    __slots__ = ("_current", "_order", "_start")

    def __init__(
        self, current: Sequence[Sequence[Any]], start: int, order: list[int | None]
    ) -> None:
        self._current, self._start, self._order = current, start, order

    def __len__(self) -> int:
        return self._start + len(self._order)

    def _item(self, index: int) -> Sequence[Any]:
        if index < self._start:
            return self._current[index]
        at = self._order[index - self._start]
        return [] if at is None else self._current[at]


def _opcodes(have: list[bytes], want: list[bytes]) -> list[tuple[str, int, int, int, int]]:
    """
    `SequenceMatcher` opcodes turning `have` into `want`, with the rows alike at both ends
    matched first: a verify round's list reads as wanted (one pass, no matcher), and an edit
    leaves most of it alone at the top and the bottom.
    """
    size = min(len(have), len(want))
    top = 0
    while top < size and have[top] == want[top]:
        top += 1
    bottom = 0
    while bottom < size - top and have[-1 - bottom] == want[-1 - bottom]:
        bottom += 1
    blocks = [("equal", 0, top, 0, top)] if top else []
    middle = SequenceMatcher(
        None, have[top : len(have) - bottom], want[top : len(want) - bottom], autojunk=False
    )
    blocks += [
        (tag, i1 + top, i2 + top, j1 + top, j2 + top)
        for tag, i1, i2, j1, j2 in middle.get_opcodes()
        if i1 != i2 or j1 != j2
    ]
    if bottom:
        blocks.append(("equal", len(have) - bottom, len(have), len(want) - bottom, len(want)))
    return blocks


def list_moves(
    sheet_id: int,
    current: Sequence[Sequence[Any]],
    wanted: Sequence[Sequence[CellValue]],
    *,
    first_row: int,
    width: int,
    min_moved: int = MIN_MOVED_ROWS,
    keys: Sequence[bytes] | None = None,
    shows: Mapping[bytes, bytes] | None = None,
) -> ListMoves:
    """
    Rows to cut or open in a list tab so that rows already there line up with where they are
    wanted: when one participant stops being counted (or starts), the rows below move by one
    instead of every one of them being rewritten (issue: cost follows change).

    Rows are matched by their whole content as a read shows it; only gaps and cuts in the
    middle are moves (rows at the end are simply written or cleared), and only when at least
    `min_moved` matching rows would otherwise be rewritten in place of their neighbours.

    With `keys` (one per wanted row from `first_row`: equal keys, equal lines) and `shows`
    (the digest of a row's bytes as read -> the key of the line it was found to show, as the
    last comparison's `ListMoves.shows` says), a row read as bytes (`ReadRows`) is matched by
    the key of the line it shows when its bytes are known, and a wanted line by its key when
    a row was found to show it: only the other rows are decoded, and the other lines built.
    A row whose bytes changed (people typed beyond the list) is then matched by content among
    the lines not known only: where the full comparison would move it, it may be rewritten.
    """
    start = first_row - 1
    joined = row_digests(current) if keys is not None else None
    digests = list(Digests(joined)) if joined is not None else None
    known = shows if digests is not None and shows else {}
    wanted_keys = list(keys) if keys is not None else None
    listed = set(known.values())
    wide: set[int] = set()
    """Rows of `current` holding cells beyond `width` (which their keys do not see)."""

    # A row read as bytes is decoded for its key, not kept: a row found to show its line is
    # not looked at again (the verify read after a first run's write: the whole list).
    row_at = current.look if isinstance(current, ReadRows | LaterGrid) else current.__getitem__

    def have_key(at: int) -> bytes:
        row = row_at(at)
        if len(row) > width:
            wide.add(at)
        # Its cells as a read shows them, in JSON (which tells 1, 1.0 and True apart).
        return _content_key(msgspec.json.encode(cells_as_read(row, range(width))))

    def want_key(at: int) -> bytes:
        row = wanted[at]
        return _content_key(
            msgspec.json.encode(
                row_as_read(row[:width]) + [None] * (width - len(row)), enc_hook=repr
            )
        )

    # A known row's token is the key of the line it shows, a wanted line's its key when a row
    # showed it (16 bytes, the very objects `shows` and `keys` hold); the others' are of their
    # content (17 bytes, '=' first: `_content_key`), only those rows decoded and those lines
    # built. Of two lengths, the two kinds never meet.
    shown = map(known.get, digests[start:]) if digests is not None else repeat(None)
    have = [
        have_key(at) if line is None else line
        for at, line in zip(range(start, len(current)), shown, strict=False)
    ]
    want = [
        key
        if wanted_keys is not None and (key := wanted_keys[at - start]) in listed
        else want_key(at)
        for at in range(start, len(wanted))
    ]
    blocks = _opcodes(have, want)
    order: list[int | None] = list(range(start, len(current)))
    """Each row from `first_row` on as the moves leave it: its index in `current`, or None."""
    moved = sum(i2 - i1 for tag, i1, i2, j1, _ in blocks if tag == "equal" and i1 != j1)
    if moved < min_moved:
        spans = _alike_spans(blocks, order, start, wide)
        shows = _shows(spans, digests, wanted_keys)
        return ListMoves([], current, 0, _alike(spans, start), shows)
    requests: list[dict[str, Any]] = []
    inserted = 0

    def band(begin: int, end: int) -> dict[str, int]:
        return {
            "sheetId": sheet_id,
            "startRowIndex": start + begin,
            "endRowIndex": start + end,
            "startColumnIndex": 0,
            "endColumnIndex": width,
        }

    for tag, i1, i2, j1, j2 in reversed(blocks):  # bottom up: indexes above stay valid
        if tag == "equal" or i2 >= len(have):
            continue  # in place, or at the end: the cell diff writes or clears it
        surplus = (i2 - i1) - (j2 - j1)
        if surplus > 0:
            cut = i2 - surplus
            requests.append({"deleteRange": {"range": band(cut, i2), "shiftDimension": "ROWS"}})
            del order[cut:i2]
        elif surplus < 0:
            requests.append(
                {"insertRange": {"range": band(i2, i2 - surplus), "shiftDimension": "ROWS"}}
            )
            order[i2:i2] = [None] * -surplus
            inserted -= surplus
    spans = _alike_spans(blocks, order, start, wide)
    shifted = _Shifted(current, start, order)
    return ListMoves(
        requests, shifted, inserted, _alike(spans, start), _shows(spans, digests, wanted_keys)
    )


def _content_key(encoded: bytes) -> bytes:
    """
    A list row's content as `list_moves` compares it: 128 bits of SHA-256 of its JSON after
    '=' (17 bytes where the JSON took ~200: a list compared whole, every row of a first run's
    verify round, held two such keys a row while the comparison ran, ~5 MB of 12,000 rows).
    """
    return b"=" + bytes_digest(encoded)


Span = tuple[int, int, int]
"""Wanted rows `j1` to `j2` (counted from `first_row`) that read as wanted, shown by the read's
rows from index `at` on, in order."""


def _alike_spans(
    blocks: Sequence[tuple[str, int, int, int, int]],
    order: Sequence[int | None],
    start: int,
    wide: AbstractSet[int],
) -> list[Span]:
    """
    The rows that read as wanted where the moves leave them (`order`, indexes into the read):
    a row whose key is a wanted row's, at that row's place (there already, or brought by the
    moves), holding nothing beyond the list's width (`wide` holds those that do: the key does
    not see that far). As spans: a list compared again is nearly all one or two runs of rows
    in place, told by comparing slices, not row by row.
    """
    spans: list[Span] = []
    for tag, i1, _, j1, j2 in blocks:
        if tag != "equal":
            continue
        end, at = min(j2, len(order)), start + i1
        if end <= j1:
            continue
        rows = range(at, at + end - j1)
        if order[j1:end] == list(rows) and (not wide or wide.isdisjoint(rows)):
            spans.append((j1, end, at))
            continue
        spans.extend(
            (j, j + 1, row)
            for j in range(j1, end)
            if order[j] == (row := at + j - j1) and row not in wide
        )
    return spans


def _alike(spans: Sequence[Span], start: int) -> frozenset[int]:
    """The rows of `spans`, numbered as in the sheet (`diff_grid`'s `alike`)."""
    first = start + 1
    return frozenset(chain.from_iterable(range(first + j1, first + j2) for j1, j2, _ in spans))


def _shows(
    spans: Sequence[Span],
    digests: Sequence[bytes] | None,
    keys: Sequence[bytes] | None,
) -> dict[bytes, bytes] | None:
    """For each row alike, the digest of its bytes as read -> the key of the line it shows."""
    if digests is None or keys is None:
        return None
    return dict(
        chain.from_iterable(
            zip(digests[at : at + j2 - j1], keys[j1:j2], strict=True) for j1, j2, at in spans
        )
    )
