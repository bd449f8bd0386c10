"""
What the worker reads of a spreadsheet, as plain values: grids of cells and the tabs' metadata.

Every backend returns these and the pure core decides from them, so they sit in the core and
the I/O seam (`sync.backends.base`) hands them on.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from array import array
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast, overload

import msgspec

from sync.core.cells import CellValue, as_read

Grid = list[list[Any]]
"""Values of one range as the API returns them: ragged rows, trailing empties trimmed."""


class _ValueRange(msgspec.Struct):
    values: list[msgspec.Raw] = []
    """Each row's bytes as received: a whole answer is split into rows in one pass."""


class _BatchGet(msgspec.Struct):
    valueRanges: list[_ValueRange] = []


def _digest(data: bytes | bytearray | msgspec.Raw) -> str:
    """
    128 bits of SHA-256: on CPUs with SHA instructions a 19 MB read hashes in half blake2b's
    time (10 ms against 20 on the machines this was measured on).
    """
    return hashlib.sha256(data).hexdigest()[:32]


def _grid(raws: list[msgspec.Raw]) -> Grid:
    """The rows of a range, decoded (a number beyond a double by the standard parser)."""
    return [_decoded_row(raw) for raw in raws]


def _rows_digest(raws: list[msgspec.Raw]) -> str:
    """`_digest` of a range's rows' bytes one after the other (each a whole JSON array, so
    no two ranges of other rows give the same bytes), without joining them into a copy."""
    hashed = hashlib.sha256()
    for raw in raws:
        hashed.update(raw)
    return hashed.hexdigest()[:32]


SAMPLE_ROWS = 64
"""Rows of a grid looked at to tell the columns whose texts repeat."""


def share_texts(grid: Grid) -> Grid:
    """
    The grid, its equal texts made one object in each column that repeats its texts (a
    dropdown, a province, a date, an activity's name), in place (a read's grids are handed
    over once): the decoder makes a new object for every cell, and a regional tab's texts are
    most of a round's memory.

    Which columns repeat is told from a sample of rows (`_repeating`), so columns of nearly
    unique values (names, phones, IDs) cost no look-up; nor do columns whose only repeats are
    blanks: the decoder gives every '' as the one empty string already (in the input columns
    of a 7 x 2,000-row read, such columns took a third of the time, 79 -> 51 ms, and sharing
    lets go of 18.2 MB of texts instead of 18.9). A text is immutable: which of two equal ones
    a cell holds changes nothing but memory (and the hash, computed once per distinct text, is
    then known to every later look-up of the cell).
    """
    columns = _repeating(grid[:SAMPLE_ROWS])
    if columns:
        shared: dict[str, str] = {}
        share = shared.setdefault
        for row in grid:
            _share_row(row, columns, share)
    return grid


def _repeating(sample: Sequence[Sequence[Any]]) -> list[int]:
    """The columns whose texts repeat in `sample` (blanks aside): those worth sharing."""
    width = max(map(len, sample), default=0)
    columns = []
    for col in range(width):
        texts = [v for row in sample if col < len(row) and (v := row[col]).__class__ is str and v]
        if len(texts) >= 4 and 2 * len(set(texts)) <= len(texts):
            columns.append(col)
    return columns


def _share_row(row: list[Any], columns: Sequence[int], share: Callable[[str, str], str]) -> None:
    size = len(row)
    for col in columns:
        if col < size:
            value = row[col]
            if value.__class__ is str:
                row[col] = share(value, value)


_ROW = msgspec.json.Decoder(list)
_CELLS = msgspec.json.Decoder(list[msgspec.Raw])
_EMPTY_CELLS = (msgspec.Raw(b'""'), msgspec.Raw(b"null"))
"""An empty cell's bytes, as the API sends it (or a blank a row carries: JSON null)."""
_CELL = msgspec.json.Decoder()


def _decoded_row(raw: msgspec.Raw) -> list[Any]:
    try:
        return _ROW.decode(raw)
    except msgspec.DecodeError:  # a number beyond a double: the standard parser
        return list(json.loads(bytes(raw)))


def _decoded_cell(raw: msgspec.Raw) -> Any:
    try:
        return _CELL.decode(raw)
    except msgspec.DecodeError:  # a number beyond a double: the standard parser
        return json.loads(bytes(raw))


def bytes_digest(data: msgspec.Raw | bytes) -> bytes:
    """
    A row's digest of its bytes (`DIGEST_SIZE`: 128 bits of SHA-256), as every row digest
    of the codebase is made (of a row read, of a row's values marshalled, of a list line's
    JSON): ~1.2 µs a row of ~1 kB against blake2b's ~1.9.
    """
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]


def expected_digest(values: Sequence[CellValue]) -> bytes:
    """
    The digest `ReadRows.digests` has for a row written with `values` (each read back as a
    read shows it: `cells.as_read`), in a compact answer: the row's JSON as the API sends it,
    a blank within as '' and trailing blanks left out, encoded as the emulator encodes it
    (and Google, for text and whole numbers). A row read with that digest decodes to those
    cells; a row that reads the same in other bytes (another encoding of a number) only
    misses it. Text and blanks (most of a row) are taken as they are, in one pass.
    """
    sent = [
        ""
        if value is None
        else value
        if value.__class__ is str
        else ""
        if (seen := as_read(value)) is None
        else seen
        for value in values
    ]
    return bytes_digest(msgspec.json.encode(_trimmed(sent)))


def _trimmed(sent: list[object]) -> list[object]:
    """A row's cells as sent without their trailing blanks (a compact answer leaves them out)."""
    while sent and sent[-1] == "":
        sent.pop()
    return sent


def written_digest(
    raw: msgspec.Raw | bytes,
    columns: Sequence[int],
    values: Sequence[object],
    width: int | None = None,
) -> bytes:
    """
    The digest `ReadRows.digests` has for a row read as `raw` once its cells at `columns`
    read as `values` (each as a read shows it: blank as None; text or a number), in a
    compact answer: the row's other cells' bytes as they were, the cells written encoded as
    `expected_digest` encodes its cells, a blank between as '' and trailing blanks left out. A
    row read with that digest holds those bytes: its other cells as they were.

    `width`, the row's number of cells when known: cells written all past its end (a first
    run's worker block) are then added after its bytes, which are not split into cells.
    """
    if width is not None and min(columns) >= width:
        # The cells past the row's end as a compact answer sends them, made so.
        added: list[object] = [""] * (max(columns) + 1 - width)
        for col, value in zip(columns, values, strict=True):
            added[col - width] = "" if value is None else value
        _trimmed(added)
        hashed = hashlib.sha256(memoryview(raw)[:-1])  # (the row without its closing `]`)
        if added:
            if width:
                hashed.update(b",")
            hashed.update(memoryview(msgspec.json.encode(added))[1:])
        else:
            hashed.update(b"]")
        return hashed.digest()[:DIGEST_SIZE]
    parts = _CELLS.decode(raw)
    sent = ["" if value is None else value for value in values]
    for col, part in zip(columns, _CELLS.decode(msgspec.json.encode(sent)), strict=True):
        if col >= len(parts):
            parts.extend([_BLANK_CELL] * (col + 1 - len(parts)))
        parts[col] = part
    while parts and parts[-1] in _EMPTY_CELLS:
        parts.pop()
    return bytes_digest(b"[" + b",".join(parts) + b"]")


_BLANK_CELL = _EMPTY_CELLS[0]


class ReadRows(Sequence[list[Any]]):
    """
    A tab's rows as read: each row decoded from its bytes when first used (or all at once),
    the digest of each row's bytes (`digests`) known without decoding any.

    A row read byte for byte as in an earlier read holds what it held then: a verify round
    learns which rows its write left as they were from these digests alone, and decodes only
    the rows it wrote (and any that moved), not the tens of MB of the whole sheet again
    (`sync.core.evaluate`, `sync.core.round`). Texts repeated in a column are one object, as
    `share_texts` makes them, the columns told from the first `SAMPLE_ROWS` rows decoded.

    Until every row is decoded, the rows' bytes hold the whole body read alive: a read whose
    rows will all be used is decoded at once (`eager`), and the body goes at the end of it.
    """

    __slots__ = (
        "_columns",
        "_left",
        "_noted",
        "_noted_columns",
        "_overlay",
        "_raws",
        "_rows",
        "_sample",
        "_share",
        "_widths",
        "digests",
    )

    def __init__(self, raws: list[msgspec.Raw], *, eager: bool = False) -> None:
        self.digests = b"".join(map(bytes_digest, raws))
        """Each row's digest (`DIGEST_SIZE` bytes), in row order: one allocation beside the
        rows, not an object per row among them."""
        self._raws: list[msgspec.Raw] | None = raws
        self._rows: list[list[Any] | None] = [None] * len(raws)
        self._widths = array("I", bytes(4 * len(raws)))
        """Each row's number of cells plus one, once decoded (0: not yet)."""
        self._left = len(raws)
        shared: dict[str, str] = {}
        self._share = shared.setdefault
        self._columns: list[int] = []
        self._sample: list[list[Any]] | None = []
        """The rows decoded so far, until there are enough to tell the columns to share."""
        self._noted: list[bytes | None] | None = None
        self._noted_columns: tuple[int, ...] = ()
        """Of rows looked at and not kept, the cells at these columns (`note`), marshalled."""
        self._overlay: Mapping[int, Mapping[int, object]] = {}
        """Cells to read as given rather than as sent (`overlay`), by row and column."""
        if eager:
            for index in range(len(raws)):
                self._decode(index)

    def _read(self, index: int) -> list[Any]:
        """Row `index` decoded from its bytes (every whole-row decode goes through here)."""
        assert self._raws is not None
        row = _decoded_row(self._raws[index])
        self._widths[index] = len(row) + 1
        cells = self._overlay.get(index)
        if cells:
            for col, value in cells.items():
                if col < len(row):
                    row[col] = value
        return row

    def overlay(self, cells: Mapping[int, Mapping[int, object]]) -> None:
        """
        Read these cells (row, column: value) as given rather than as sent, before any of
        their rows is noted (`sync.core.percent`: a `92%` Sheets sent as 0.92); a cell past
        its row's end is not set. The rows' digests stay those of their bytes: a row read
        byte for byte as before is known as it was then.
        """
        self._overlay = cells
        for index, values in cells.items():
            row = self._rows[index]
            if row is not None:
                for col, value in values.items():
                    if col < len(row):
                        row[col] = value

    def _decode(self, index: int) -> list[Any]:
        """Row `index` decoded and kept, its repeated texts shared; the body goes with the last."""
        row = self._rows[index] = self._read(index)
        self._left -= 1
        if self._sample is None:
            _share_row(row, self._columns, self._share)
        else:  # the columns to share are told from the first `SAMPLE_ROWS` rows decoded
            self._sample.append(row)
            if len(self._sample) == SAMPLE_ROWS or not self._left:
                self._columns = _repeating(self._sample)
                for decoded in self._sample:
                    _share_row(decoded, self._columns, self._share)
                self._sample = None
        if not self._left:
            self._raws = None  # every row decoded: the body read can go
        return row

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...

    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        row = self._rows[index]
        if row is None:
            row = self._decode(index if index >= 0 else index + len(self._rows))
        return row

    def __iter__(self) -> Iterator[list[Any]]:
        for index in range(len(self._rows)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadRows | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def raw(self, index: int) -> msgspec.Raw | None:
        """Row `index`'s bytes as read, while the body read is held (None once every row is
        decoded and it went)."""
        return None if self._raws is None else self._raws[index]

    def width(self, index: int) -> int | None:
        """Row `index`'s number of cells, if it was decoded (None if not yet)."""
        return self._widths[index] - 1 if self._widths[index] else None

    def look(self, index: int) -> list[Any]:
        """
        Row `index` as `self[index]` gives it, a row not decoded yet decoded without being kept
        (nor its texts shared): for a row that may be needed once only (for the digest of its
        input cells and its check), so that a round that reads every row so holds the body
        read, not every row decoded.
        """
        row = self._rows[index]
        return self._read(index) if row is None else row

    def note(self, index: int, row: list[Any], columns: Sequence[int]) -> None:
        """
        Keep, of row `index` as `look` gave it (not kept), its cells at `columns` only, for
        `cells_at` (the same columns for every row noted): ~150 bytes a row where the row
        decoded held ~3 kB, and no second decode when the round wants those cells.
        """
        if self._rows[index] is not None:
            return
        key = tuple(columns)
        if self._noted is None or key != self._noted_columns:
            self._noted, self._noted_columns = [None] * len(self._rows), key
        if len(row) <= min(key, default=0):  # past the row's end, every one (a first run's block)
            self._noted[index] = _PAST_END
            return
        self._noted[index] = marshal.dumps(line_cells(row, key))

    def cells_at(self, index: int, columns: Sequence[int]) -> tuple[Any, ...]:
        """
        The cells of row `index` at `columns` (beyond its end: None); a row not decoded yet
        is not decoded whole for them, nor kept: only those cells are (the compiled list
        takes five cells of every listed row, most of a tab's rows, in a run after edits).
        """
        row = self._rows[index]
        if row is None:
            noted = self._noted[index] if self._noted is not None else None
            if noted is not None and tuple(columns) == self._noted_columns:
                if noted is _PAST_END:
                    return (None,) * len(columns)
                return cast(tuple[Any, ...], marshal.loads(noted))
            assert self._raws is not None
            parts = _CELLS.decode(self._raws[index])
            size = len(parts)
            found = [_decoded_cell(parts[c]) if c < size else None for c in columns]
            overlaid = self._overlay.get(index)
            if overlaid:
                found = [overlaid.get(c, v) for c, v in zip(columns, found, strict=True)]
            return tuple(found)
        return line_cells(row, columns)

    def used_width(self) -> int:
        """
        The number of columns that hold anything in any row (`layout.last_used_column`): a
        row not decoded is told by its cells' bytes, neither decoded whole nor kept, so a
        first run places the worker block without every row decoded at once.
        """
        width = 0
        for index, row in enumerate(self._rows):
            if row is not None:
                cells: Sequence[object] = row
                empty: tuple[object, ...] = ("", None)
            else:
                assert self._raws is not None
                cells, empty = _CELLS.decode(self._raws[index]), _EMPTY_CELLS
            for col in range(len(cells) - 1, width - 1, -1):
                if cells[col] not in empty:
                    width = col + 1
                    break
        return width

    def is_decoded(self, index: int) -> bool:
        """Whether row `index` was decoded already (using it costs nothing more)."""
        return self._rows[index] is not None

    @property
    def decoded(self) -> int:
        """How many of the rows were decoded so far."""
        return len(self._rows) - self._left

    def __repr__(self) -> str:
        return f"ReadRows({len(self)} rows, {self.decoded} decoded)"


def row_cells(grid: Sequence[Sequence[Any]], index: int, columns: Sequence[int]) -> tuple[Any, ...]:
    """
    The cells of a grid's row `index` at `columns` (beyond its end: None): of a row read as
    bytes and not decoded, neither decoded whole nor kept for them (`ReadRows.cells_at`).
    """
    if isinstance(grid, ReadRows):
        return grid.cells_at(index, columns)
    return line_cells(grid[index], columns)


def line_cells(line: Sequence[Any], columns: Sequence[int]) -> tuple[Any, ...]:
    """The cells of a decoded row at `columns` (beyond its end: None)."""
    size = len(line)
    return tuple([line[c] if c < size else None for c in columns])


DIGEST_SIZE = 16
"""Bytes of a row's digest (`bytes_digest`)."""

_PAST_END = b""
"""A row noted at columns all past its end (no marshalled tuple is empty): each is None."""


T = TypeVar("T")


class OnDemand(Sequence[T]):
    """
    A sequence whose items are made (sliced out, built) when asked for: a subclass gives
    `__len__` and `_item` (of an index in range); slices and negative indexes are told here.
    """

    __slots__ = ()

    def _item(self, index: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._item(index)


class Digests(OnDemand[bytes]):
    """
    Digests of `DIGEST_SIZE` bytes kept joined, one allocation, each sliced out when used:
    thousands of small bytes objects made during a round and kept past it would pin the
    allocator's pages the round's other objects freed.
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __len__(self) -> int:
        return len(self.data) // DIGEST_SIZE

    def _item(self, index: int) -> bytes:
        return self.data[index * DIGEST_SIZE : (index + 1) * DIGEST_SIZE]

    def __iter__(self) -> Iterator[bytes]:
        # Sliced in one comprehension, not through `__getitem__` a digest at a time: the
        # compiled list's thousands of digests are all wanted when they are walked.
        data = self.data
        return iter([data[at : at + DIGEST_SIZE] for at in range(0, len(data), DIGEST_SIZE)])


def row_digests(grid: Sequence[Sequence[Any]]) -> bytes | None:
    """
    The digest of each row's bytes as read (`DIGEST_SIZE` bytes a row, in row order), when
    the grid came as bytes (`ReadRows`, or a `LaterGrid`, split into rows for them).
    """
    if isinstance(grid, LaterGrid):
        return grid.rows().digests
    return grid.digests if isinstance(grid, ReadRows) else None


class LaterGrid(Sequence[list[Any]]):
    """
    A range kept as the bytes read, split into rows (`ReadRows`, each decoded when used) only
    when a round first uses it: for a tab a round mostly needs not at all (the compiled list,
    unless what it should list changed), nothing but the bytes' digest; when compared, only
    the rows whose bytes are not known to show what is wanted are decoded.
    """

    __slots__ = ("_raws", "_read")

    def __init__(self, raws: list[msgspec.Raw]) -> None:
        self._raws: list[msgspec.Raw] | None = raws
        self._read: ReadRows | None = None

    def look(self, index: int) -> list[Any]:
        """Row `index`, not kept decoded (`ReadRows.look`)."""
        return self.rows().look(index)

    def rows(self) -> ReadRows:
        """The range's rows as read: their digests known, each decoded when first used."""
        if self._read is None:
            assert self._raws is not None
            self._read, self._raws = ReadRows(self._raws), None
        return self._read

    @property
    def decoded(self) -> int:
        """How many of its rows were decoded so far (none while it is not split)."""
        return 0 if self._read is None else self._read.decoded

    def __len__(self) -> int:
        return len(self.rows())

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...

    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        return self.rows()[index]

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self.rows()) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        state = "not split" if self._read is None else f"{self.decoded} of {len(self)} decoded"
        return f"LaterGrid({state})"


Rows = Sequence[list[Any]]
"""A tab's rows as a round has them: a `Grid`, `ReadRows` decoding each when first used, or a
`LaterGrid`, split into `ReadRows` when first used."""


@dataclass
class ValuesRead:
    """
    One values:batchGet answer: a digest of it at once, its grids only when asked for.

    A run whose read is the very answer of a run that found nothing to change needs nothing
    more from it (`sync.run.settled`), so the body of tens of MB is hashed, never decoded.
    When it is decoded, msgspec reads the bytes into lists (no text copy of the body, no
    intermediate dicts of every range), a regional tab's a row at a time (`ReadRows`).
    """

    digest: str
    body: bytes | bytearray | None = None
    _grids: list[Grid] | None = field(default=None, repr=False)
    range_digests: list[str] = field(default_factory=list)
    """Per range, the digest of its values as received (of a regional tab read as bytes, of
    its rows' digests: equal exactly when every row's bytes are); known once the grids were
    taken."""

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

    def grids(self) -> list[Grid]:
        """Every range's values in request order, decoded (handed over once, as `tabs`)."""
        return cast(list[Grid], self.tabs())

    def tabs(
        self, rows: Collection[int] = (), *, lazy: bool = False, later: Collection[int] = ()
    ) -> list[Rows]:
        """
        Every range's values in request order, handed over once: the read keeps neither the
        body nor the grids, so a round's grids live exactly as long as the round uses them.

        The ranges at `rows` (the regional tabs) come as `ReadRows`: each row's digest known,
        its texts shared, and its cells decoded at once, or (`lazy`) when first used. Each is
        finished before the next range is decoded: what sharing lets go of one range leaves
        room the next range's cells then fill, instead of holes in a heap grown to hold every
        range whole. Grids handed over decoded (`of_grids`) have their texts shared alike.

        The ranges at `later` (the compiled list: compared when what it should list changed,
        else not used) come as `ReadRows` decoded at once, or as a `LaterGrid` when the read is
        `lazy`, so that a run that does not compare them never splits them, and one that does
        decodes the rows it must; their digest is of their bytes either way.
        """
        if self._grids is not None:
            grids, self._grids = self._grids, None
            return [share_texts(g) if i in rows else g for i, g in enumerate(grids)]
        if self.body is None:
            raise RuntimeError("the grids of this read were handed over already")
        body, self.body = self.body, None
        # One pass splits every range into its rows' bytes (no range is scanned twice).
        ranges = msgspec.json.decode(body, type=_BatchGet).valueRanges
        del body  # the rows' bytes hold it as long as they must
        tabs: list[Rows] = []
        self.range_digests = []
        for i, vr in enumerate(ranges):
            raws, vr.values = vr.values, []  # (each range's bytes go with its rows)
            if i in rows:
                read = ReadRows(raws, eager=not lazy)
                # Of its rows' digests: each byte of a regional tab is hashed once, not again
                # for the whole range (~15 ms a read of 7 x 2,000 rows).
                self.range_digests.append(_digest(read.digests))
                tabs.append(read)
            else:
                self.range_digests.append(_rows_digest(raws))
                if i not in later:
                    tabs.append(_grid(raws))
                else:  # (as `ReadRows`: the digest of each row's bytes known)
                    tabs.append(LaterGrid(raws) if lazy else ReadRows(raws, eager=True))
        return tabs


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
