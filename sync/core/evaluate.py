"""
From what was read to what every worker cell should hold: pure, no I/O, no clock.

Runs the rules and the KPI formulas on every non-blank row of every regional tab, marks
repeats across tabs (domain spec §5), and derives the worker block's values (§3.2).
"""

from __future__ import annotations

import hashlib
import marshal
import operator
import pickle
import threading
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import compress, repeat
from typing import Any, NamedTuple, TypeVar, cast

import msgspec

import kpi
import rules
from kpi.types import KpiCells
from rules import headers as h
from rules.row import forget_cells
from sync.core.cells import CellValue
from sync.core.layout import column_key
from sync.core.packed import (
    Kept,
    ListedLines,
    PackedRows,
    RowMarks,
    Sources,
    dump_kept,
    fresh_copy,
    load_kept,
    pack_rows,
    unpack_sources,
)
from sync.core.sheet import (
    DIGEST_SIZE,
    Digests,
    ReadRows,
    bytes_digest,
    line_cells,
    row_cells,
    row_digests,
)
from sync.core.tabs import RegionTab

DETAILS_SEPARATOR = "; "
CODES_SEPARATOR = ", "


class RowEvaluation(msgspec.Struct, frozen=True):
    """Everything decided about one non-blank row (a frozen Struct: one per row, kept into the
    verify round, built in C ten times faster than a frozen dataclass)."""

    region: str
    row: int
    cells: KeptCells
    """The row's input cells the compiled list copies (`KEPT_CELLS`), by header: a copy, so
    an evaluation holds no row of the grid it was made from (or, for a row known by its
    bytes, taken from the grid read only if the list is built: `KeptCells`)."""
    check: rules.RowResult
    kpis: Mapping[str, Any]
    """The computed KPI cells (what the worker writes)."""
    figures: Mapping[str, Any]
    """The row's figures for the summary: computed, else the result people typed."""
    findings: tuple[rules.Finding, ...]
    status: str
    pointer: str
    digest: bytes = b""
    """The digest of the row's input cells (its cache key's): equal digests, equal results."""

    def outcome(self) -> kpi.RowOutcome:
        """The row as the summary counts it."""
        group, number = _group(self.check.values)
        return kpi.RowOutcome(
            region=self.region,
            row=self.row,
            status=self.status,
            cancelled=self.check.cancelled,
            national_id=self.check.national_id,
            tax_id=self.check.tax_id,
            kpis=self.figures,
            codes=tuple(finding_token(f) for f in self.findings),
            group=group,
            group_number=number,
            form_results={x: self.check.values[x] for x in FORM_RESULTS if x in self.check.values},
            typed_economic_value=self.kpis.get(h.ECONOMIC_VALUE) is None
            and self.figures.get(h.ECONOMIC_VALUE) is not None,
        )


FORM_RESULTS: tuple[str, ...] = (h.KNOWLEDGE_GAIN, h.KNOWLEDGE_APPLIED, *kpi.FORM_CHECKBOXES)
"""The form's own results the summary counts or averages per region (domain spec §7)."""

KEPT_VALUES: tuple[str, ...] = (h.GROUP_REGISTRATION, h.GROUP_NAME, *FORM_RESULTS)
"""Parsed values a row evaluation keeps: what `RowEvaluation.outcome` reads of them."""

KEPT_CELLS: tuple[str, ...] = (h.FULL_NAME, h.MOBILE, h.EMAIL, h.ENTERPRISE_NAME, h.PROVINCE)
"""Input cells a row evaluation keeps, as typed: what the compiled list copies of a row."""


def _group(values: Mapping[str, object]) -> tuple[str | None, str | None]:
    """
    The group a row belongs to, as (its name, its registration number), each None when not
    given: the summary joins the rows that share either (`kpi.RowOutcome.group_number`).
    """
    name, number = (values.get(header) for header in (h.GROUP_NAME, h.GROUP_REGISTRATION))
    return (
        name if isinstance(name, str) and name else None,
        number if isinstance(number, str) and number else None,
    )


def finding_token(finding: rules.Finding) -> str:
    """Stable machine token of a finding: severity letter, code and column key."""
    letter = "E" if finding.severity == rules.Severity.ERROR else "W"
    return f"{letter}:{finding.code}/{column_key(finding.column)}"


@dataclass(frozen=True)
class Evaluation:
    """Every evaluated row in tab-then-row order, and the blank rows whose cells to clear."""

    rows: tuple[RowEvaluation, ...]
    blank_rows: Mapping[str, tuple[int, ...]]
    fingerprint: bytes = b""
    """Digest of every row's place, cells and final status: equal fingerprints (with the same
    dropdown lists) mean equal rows, so what is built from the rows alone can be kept."""
    fingerprints: Mapping[str, bytes] = field(default_factory=dict)
    """The same per region: what one tab's worker cells are decided from."""
    _by_region: dict[str, list[RowEvaluation]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def rows_of(self, region: str) -> Sequence[RowEvaluation]:
        """One tab's rows in row order, grouped once for the steps that go tab by tab."""
        if not self._by_region and self.rows:
            for row in self.rows:
                self._by_region.setdefault(row.region, []).append(row)
        return self._by_region.get(region, ())


NOTHING_EVALUATED = Evaluation(rows=(), blank_rows={})
"""What a plan holds once its rows have served (its write lets them go: `sync.run.write`)."""


def options_from_grid(grid: Sequence[Sequence[Any]]) -> dict[str, list[str]]:
    """The `ตัวเลือก` tab's lists: names in row 1, values down each column."""
    if not grid:
        return {}
    names = grid[0]
    lists: dict[str, list[str]] = {}
    for col, name in enumerate(names):
        if rules.is_blank(name):
            continue
        values = []
        for row in grid[1:]:
            if col < len(row) and not rules.is_blank(row[col]):
                value = row[col]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                values.append(str(value).strip())
        lists[str(name).strip()] = values
    return lists


class RowCells(Mapping[str, object]):
    """
    One row's input cells by canonical header, read from the grid's own row list.

    What the formulas read a row's cells through: a view costs two references where a dict of
    every column of every row cost tens of MB.
    """

    __slots__ = ("_columns", "_row")

    def __init__(self, row: Sequence[object], columns: Mapping[str, int]) -> None:
        self._row = row
        self._columns = columns

    def __getitem__(self, header: str) -> object:
        index = self._columns[header]
        return self._row[index] if index < len(self._row) else None

    def get(self, header: str, default: object = None) -> object:
        """As `Mapping.get`, without raising and catching a KeyError per absent header."""
        index = self._columns.get(header)
        if index is None:
            return default
        return self._row[index] if index < len(self._row) else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


class KeptCells(Mapping[str, object]):
    """
    One row's `KEPT_CELLS` (those its tab has), by header, and the digest of their values.

    Copied out of the row, so an evaluation holds no row of the grid it was made from; or,
    for a row read as bytes byte for byte as at its tab's last evaluation, not decoded yet:
    its cells are taken from the tab's rows if the compiled list is built (from the row's
    bytes, those cells only: `ReadRows.cells_at`), their digest known from then. A run after
    edits compares the list's digest (`digest` of each counted row) with the last one, and
    builds the list, taking the cells of every counted row, only when it moved.
    """

    __slots__ = ("_cells", "_digest", "_places")

    def __init__(
        self,
        places: Mapping[str, int],
        cells: tuple[object, ...] | Untaken,
        digest: bytes | None = None,
    ) -> None:
        self._places = places
        self._cells = cells
        self._digest = digest
        """The cells' digest once known (given, when the tab's inputs memo has it)."""

    def _taken(self) -> tuple[object, ...]:
        cells = self._cells
        if cells.__class__ is Untaken:
            rows, at, columns, _ = cast(Untaken, cells)
            grid = rows.grid
            if grid is None:
                raise RuntimeError("the rows these cells were to be taken from were let go")
            cells = self._cells = row_cells(grid, at, columns)  # (not decoded whole for them)
        return cells

    @property
    def digest(self) -> bytes:
        """`_kept_digest` of the cells' values: equal digests, equal cells. Known from the
        tab's inputs memo, or made once when first asked for (the compiled list's digest and
        its line keys both ask, for every listed row of a first run)."""
        digest = self._digest
        if digest is None:
            cells = self._cells
            if cells.__class__ is Untaken:
                return cast(Untaken, cells).digest
            digest = self._digest = _kept_digest(cast(tuple[object, ...], cells))
        return digest

    def __getitem__(self, header: str) -> object:
        return self._taken()[self._places[header]]

    def get(self, header: str, default: object = None) -> object:
        place = self._places.get(header)
        if place is None:
            return default
        cells = self._cells  # (taken already, nearly always: no call a cell)
        return (self._taken() if cells.__class__ is Untaken else cells)[place]

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


class Untaken(NamedTuple):
    """Where a row's kept cells are until taken, and their digest."""

    rows: TabRows
    at: int
    """The row's index in the tab's rows."""
    columns: Sequence[int]
    """The column of each cell."""
    digest: bytes


class TabRows:
    """
    The rows of one tab that its `KeptCells` not taken yet are taken from: the tab as last
    read with the same input cells in every row (a verify read after the worker wrote its own
    cells, say), so each read is let go as soon as the next one, or the end of the round,
    comes (`RowCache.let_go_of_reads`), not kept by the evaluation it was made from.
    """

    __slots__ = ("grid",)

    def __init__(self, grid: Sequence[Sequence[object]] | None = None) -> None:
        self.grid = grid


def _kept_digest(values: tuple[object, ...]) -> bytes:
    """
    `row_digest` of a row's kept cells, an empty cell '' whether the API sent '' or left it
    out (trailing: before the worker's columns existed), as `_values_of` reads inputs: the
    same row digests alike in a first run's two reads and the next run's.
    """
    return row_digest(tuple(["" if value is None else value for value in values]))


CacheKey = tuple[object, bytes]
"""A row's context (tab, year, date, headers' digest) and the digest of its values."""


def _headers_digest(columns: Mapping[str, int]) -> bytes:
    """
    The headers of a row's values, in order, as 16 bytes in its context: hashing a key then
    costs four cached hashes, where the tuple of ~90 headers was walked at every look-up
    (three a row in a run after edits: ~7 % of it).
    """
    return hashlib.blake2b(marshal.dumps(tuple(columns), 2), digest_size=16).digest()


def _tab_layout(tab: RegionTab, fiscal_year: int, as_of: date) -> tuple[tuple[object, ...], object]:
    """
    A tab's rows' context (its region, the year, the day, its headers' digest: what a row's
    results depend on besides its cells) and its layout (that context, where its columns
    stand, its first data row): what `evaluate` keys a tab's rows and its reads by.
    """
    columns = tab.headers.columns
    context = (tab.region, fiscal_year, as_of, _headers_digest(columns))
    return context, (context, tuple(columns.values()), tab.first_data_row)


def row_digest(values: tuple[object, ...]) -> bytes:
    """
    A digest of a row's values that tells 1, 1.0 and True apart, so the cache keeps 16 bytes
    per row instead of the row's values and their types.

    The values are serialised by `marshal` (format 2: no back-references, so equal values give
    equal bytes; each type has its own tag). Unlike JSON or pickle encoders, it encodes Thai
    text into a temporary buffer: those keep a UTF-8 copy inside every str they encode, ~10 MB
    for a 14,000-row read, alive as long as the grid read is. A value marshal refuses (a
    Decimal from a file backend, a str subclass) is tagged with its type and JSON-encoded: a
    JSON list starts with `[`, a marshalled tuple never does, so the two kinds never meet.
    128 bits of SHA-256, as a read's row digests: ~1.8 µs a row of ~1 kB where blake2b took
    ~3 (a first run digests each row's inputs, and the cells the compiled list copies).
    """
    try:
        encoded = marshal.dumps(cast(tuple[Any, ...], values), 2)  # raises on what it refuses
    except ValueError:
        tagged = [v if type(v) in _JSON_KINDS else _tagged(v) for v in values]
        encoded = msgspec.json.encode(tagged)
    return bytes_digest(encoded)


_JSON_KINDS = frozenset({str, int, float, bool, type(None)})
"""Types JSON keeps apart by themselves (1, 1.0, true); any other is tagged with its type."""


def _tagged(value: object) -> object:
    """A value JSON would not tell apart (Decimal('1') is written as "1"): type and repr."""
    return ["$", type(value).__qualname__, repr(value)]


RowResults = tuple[rules.RowResult, kpi.KpiResult]
T = TypeVar("T")


class RowCache:
    """
    Results of rows already checked, valid while the dropdown lists hold: a run's two rounds
    share them, and the service keeps them for the spreadsheet's next run, so a run after a
    few edits checks about those rows only (issue: cost follows change).

    Two generations: what the current run used, and what the run before used; a run starts
    a new generation (`next_run`), so a row nobody has had in a whole run is let go.
    """

    def __init__(self) -> None:
        self.options: object = None
        self.current: dict[CacheKey, RowResults] = {}
        self.previous: dict[CacheKey, RowResults] = {}
        self.tabs: dict[str, tuple[object, list[TabEntry], tuple[int, ...]]] = {}
        """Per region, the rows of the tab as last evaluated (by its input cells' digest), to
        skip it unchanged."""
        self.reads: dict[str, tuple[str, object]] = {}
        """Per region, the digest of the read its `tabs` entry was last found valid for, with
        the tab's layout: a tab read byte for byte as then is known without a digest per row."""
        self.inputs: dict[str, InputsMemo] = {}
        """Per region, its rows' input digests at its last evaluation, by the digest of each
        row as read: a row read byte for byte as then has those inputs without being decoded."""
        self.rows_read: dict[str, TabRows] = {}
        """Per region, the rows its evaluation's kept cells not taken yet are taken from."""
        self.built: dict[str, tuple[object, Any]] = {}
        """What was last built from whole evaluations (the KPI summary), by its inputs' key."""
        self.tallies: dict[bytes, kpi.Tally] = {}
        """Per block of a tab's rows (by what its rows' outcomes are decided from), the
        summary's tally of them (`sync.core.round`): a run after a few edits tallies the
        blocks those fall in, and takes the others' as they were."""
        self.packed_tallies: bytes | None = None
        """`tallies` between runs, pickled with the rows (one allocation, ~0.7 MB for
        14,000 rows; as objects they held ~12 MiB of the heap the run used)."""
        self.evaluated: tuple[object, Evaluation] | None = None
        """The last evaluation, by its tabs' keys: a verify round whose tabs' inputs are those
        of the round before has the very same rows (duplicates and fingerprints included)."""
        self.clean: dict[str, object] = {}
        """Per tab title, the key (its digest, what was wanted) of its last diff that found
        nothing to change."""
        self.marks: dict[str, RowMarks] = {}
        """Per regional tab title, a mark per row known to show what it should (its inputs'
        digest, status, pointer and worker cells as read: `sync.core.round`), so a tab people
        edited is compared again only at the rows that moved."""
        self.lines: ListedLines | None = None
        """The compiled list's rows known to show a line, by the digest of their bytes as read
        (`sync.core.round`): a list compared again decodes only the rows not known."""
        self.packed: PackedRows | None = None
        """`current` and `tabs` between runs, packed (`sync.core.packed`): a few MB in one
        allocation instead of ~30 small objects a row pinning the heap the run used."""
        self.sources: Sources | None = None
        """Where the rows last unpacked came from: the next pack takes the chunks whose rows
        are still those very objects as they are, and pickles only the others."""
        self.unsettled = False
        """Packed since the last `settle`: the heap the run used is still to give back."""
        self.handed_over = False
        """No run used the rows since `kept` handed them over (or `from_kept` loaded them)."""
        self._lock = threading.Lock()
        """A service packs idle caches from its own thread while other spreadsheets run."""
        self._running = False

    def built_from(self, name: str, key: object, build: Callable[[], T]) -> T:
        """`build()`, or what it returned last time for the same key (equal inputs)."""
        known = self.built.get(name)
        if known is not None and known[0] == key:
            return cast(T, known[1])
        value = build()
        self.built[name] = (key, value)
        return value

    def known_read(
        self, region: str, digest: str, layout: object
    ) -> tuple[object, list[TabEntry], tuple[int, ...]] | None:
        """`region`'s tab as last evaluated, when that was from this very read (`digest`, the
        snapshot's) with this layout on this day: its rows then are its rows now."""
        if self.reads.get(region) != (digest, layout):
            return None
        return self.tabs.get(region)

    def __len__(self) -> int:
        return len(self.current) + len(self.previous) + (self.packed.rows if self.packed else 0)

    def for_options(self, options_grid: object) -> RowCache:
        """This cache, emptied first when the `ตัวเลือก` lists changed."""
        if options_grid != self.options:
            self.current, self.previous, self.built, self.tabs = {}, {}, {}, {}
            self.clean, self.marks, self.reads, self.inputs = {}, {}, {}, {}
            self.evaluated, self.rows_read, self.tallies = None, {}, {}
            self.packed = self.sources = self.packed_tallies = None
            self.options = options_grid
        return self

    def next_run(self) -> None:
        """Start a run: the last run's rows (unpacked) become the previous generation."""
        with self._lock:
            self._running = True
            self.handed_over = False
            if self.packed is not None:
                self.current, self.tabs, self.sources = unpack_sources(self.packed, later=True)
                self.packed = None
            if self.packed_tallies is not None:
                self.tallies = pickle.loads(self.packed_tallies)
                self.packed_tallies = None
        self.previous, self.current = self.current, {}

    def let_go_of_reads(self) -> None:
        """
        Let go of the rows read (before the next read): kept cells not taken yet are taken
        from the next read of their tab with the same input cells (`evaluate`), if any.
        """
        for rows in self.rows_read.values():
            rows.grid = None

    def end_run(self) -> None:
        """
        End a run: what was built from its rows (the compiled list holds a copy of people's
        names, phones and e-mails) served its verify round; the next run has other rows.
        Rows this run did not use would be dropped by the next `next_run`: they go now.
        """
        self.built = {}
        self.evaluated = None
        self.previous = {}
        self.rows_read = {}
        with self._lock:
            self._running = False

    def pack(self) -> bool:
        """
        Pack the kept rows until the next run (see `sync.core.packed`), unless a run is using
        them or they are packed already; whether it packed anything.
        """
        with self._lock:
            if self._running or self.packed is not None or not (self.current or self.tabs):
                return False
            self._pack()
            return True

    def _pack(self) -> None:
        self.packed = pack_rows(self.current, self.tabs, self.sources)
        self.current, self.tabs, self.previous, self.sources = {}, {}, {}, None
        if self.tallies:
            self.packed_tallies = pickle.dumps(self.tallies, protocol=pickle.HIGHEST_PROTOCOL)
            self.tallies = {}
        self.unsettled = True

    def kept(self) -> bytes | None:
        """
        The kept rows as bytes for another process (`sync.core.packed.dump_kept`), packed
        first if need be; None while a run uses them, when nothing is kept, or when no run
        used them since they were last handed over (or loaded): nothing new to keep.
        """
        with self._lock:
            if self._running or self.handed_over:
                return None
            if self.packed is None:
                if not (self.current or self.tabs):
                    return None
                self._pack()
            assert self.packed is not None
            self.handed_over = True
            return dump_kept(
                Kept(
                    self.options,
                    self.clean,
                    self.marks,
                    self.reads,
                    self.packed,
                    self.inputs,
                    self.lines,
                )
            )

    @classmethod
    def from_kept(cls, data: bytes) -> RowCache:
        """
        A cache holding what `kept` returned (in another process), unpacked now, so that an
        entry damaged anywhere fails here (ValueError), never in the run that would use it.
        """
        kept = load_kept(data)
        try:
            current, tabs, sources = unpack_sources(kept.packed)
        except Exception as exc:  # whatever damaged rows make the unpickler or unpacking raise
            raise ValueError(f"kept rows unreadable: {exc}") from exc
        cache = cls()
        cache.options, cache.clean, cache.marks = kept.options, kept.clean, kept.marks
        cache.reads, cache.inputs, cache.lines = kept.reads, kept.inputs, kept.lines
        cache.current, cache.tabs, cache.sources = current, tabs, sources
        cache.handed_over = True
        return cache

    def settle(self) -> None:
        """
        Copy what else is kept (the lists, the clean tabs' keys, the rows' marks and digests,
        the list's known lines): made during the run, in among its grids, it would hold their
        freed memory in place; copied once the run's memory is free, it sits beside what lives
        on.
        """
        with self._lock:
            if not self._running:
                self.options, self.clean, self.marks, self.reads, self.inputs, self.lines = (
                    fresh_copy(
                        (self.options, self.clean, self.marks, self.reads, self.inputs, self.lines)
                    )
                )
                self.unsettled = False

    def knows(self, key: CacheKey) -> bool:
        """Whether a row of this key has results here (nothing is moved or kept for it)."""
        return key in self.current or key in self.previous

    def get(self, key: CacheKey) -> RowResults | None:
        found = self.current.get(key)
        if found is None:
            found = self.previous.pop(key, None)
            if found is not None:
                self.current[key] = found
        return found

    def get_many(self, keys: Sequence[CacheKey]) -> list[RowResults | None]:
        """
        `get` of each key, in order: the look-ups a tab's rows make, in a few passes over
        the keys instead of a call a row (those of the previous run moved in at once).
        """
        found: list[RowResults | None] = list(map(self.current.get, keys))
        misses = list(compress(range(len(keys)), map(operator.is_, found, repeat(None))))
        if misses:
            missing = [keys[i] for i in misses]
            moved = list(map(self.previous.pop, missing, repeat(None)))
            for index, results in zip(misses, moved, strict=True):
                found[index] = results
            self.current.update(
                (key, results) for key, results in zip(missing, moved, strict=True) if results
            )
        return found

    def __setitem__(self, key: CacheKey, value: RowResults) -> None:
        self.current[key] = value


TabEntry = tuple[int, CacheKey, RowResults]
"""One checked row of a tab: its number, its cache key and its results."""

_BLANK: RowResults = (
    rules.RowResult(status="", findings=(), is_blank=True),
    kpi.KpiResult(values={}, figures={}),
)
"""What a row with no typed cell evaluates to (not cached: it is told at once)."""


def _values_of(columns: Mapping[str, int]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """
    A row's input values in column order, read in one step; an empty cell is '' whether the
    API sent '' or left it out (trailing), so both rounds of a first run key a row alike.
    """
    indexes = list(columns.values())
    width = 1 + max(indexes, default=-1)
    getter = operator.itemgetter(*indexes) if len(indexes) > 1 else None

    def values(row: Sequence[object]) -> tuple[object, ...]:
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        if getter is not None:
            return cast(tuple[object, ...], getter(row))
        return tuple(row[i] for i in indexes)

    return values


CHECK_CHUNK = 256
"""Rows not in the cache checked together (column by column); bounds what a batch holds."""

NewRows = Callable[[Sequence[str], Sequence[tuple[object, ...]]], list[RowResults]]
"""Check rows not in the cache: their values in the order of the given headers."""


def _inputs_digest(digests: Sequence[bytes]) -> bytes:
    """
    A digest of a tab's input cells, from its rows' own digests (their cache keys'), so a tab
    whose inputs did not change is known without a cache look-up per row, whatever the
    worker's own cells (which its write changes) hold.
    """
    joined = digests.data if isinstance(digests, Digests) else b"".join(digests)
    return hashlib.blake2b(joined, digest_size=16, person=b"inputs").digest()


def _check_tab(
    tab: RegionTab,
    line_of: Callable[[int], tuple[object, ...]],
    digests: Sequence[bytes],
    context: tuple[object, ...],
    cache: RowCache | dict[CacheKey, RowResults],
    check: NewRows,
) -> tuple[list[TabEntry], tuple[int, ...]]:
    """
    Every row of one tab checked (or found in the cache), and its blank rows; `digests` are
    those of its rows' input values from the first data row on, `line_of(i)` the values of
    the i-th (read only for a row the cache lacks). Rows the cache lacks are checked a chunk
    at a time, and a row equal to one waiting in the chunk waits for the same result, as it
    would have found it in the cache.
    """
    headers = list(tab.headers.columns)
    # Every row's look-up at once; then, in row order, the rows the cache lacked (a row
    # repeating one checked since, in an earlier chunk, finds it in the cache then).
    first = tab.first_data_row
    keys: list[CacheKey] = [(context, digest) for digest in digests]
    found = cache.get_many(keys) if isinstance(cache, RowCache) else list(map(cache.get, keys))
    checked: list[tuple[int, CacheKey, RowResults | None]] = list(
        zip(range(first, first + len(keys)), keys, found, strict=True)
    )
    waiting: dict[CacheKey, list[int]] = {}
    rows: list[tuple[object, ...]] = []

    def flush() -> None:
        for (key, places), results in zip(waiting.items(), check(headers, rows), strict=True):
            cache[key] = results
            for place in places:
                checked[place] = (checked[place][0], key, results)
        waiting.clear()
        rows.clear()

    for index in compress(range(len(keys)), map(operator.is_, found, repeat(None))):
        key = keys[index]
        cached = cache.get(key)
        if cached is None:
            places = waiting.get(key)
            if places is not None:
                places.append(index)
            elif all(map(rules.is_blank, values := line_of(index))):  # known again at once
                cached = _BLANK  # (not cached)
            else:
                waiting[key] = [index]
                rows.append(values)
        checked[index] = (first + index, key, cached)
        if len(rows) >= CHECK_CHUNK:
            flush()
    if rows:
        flush()
    entries: list[TabEntry] = []
    blanks: list[int] = []
    for row_number, key, results in checked:
        assert results is not None
        if results[0].is_blank:
            blanks.append(row_number)
        else:
            entries.append((row_number, key, results))
    return entries, tuple(blanks)


def _line_reader(
    tab: RegionTab, fresh: dict[int, tuple[object, ...]]
) -> Callable[[int], tuple[object, ...]]:
    """The input values of the tab's i-th row from its first data row (`_values_of`), taken
    out of `fresh` when there (a row decoded for its digest, not kept: `_input_digests`)."""
    values_of = _values_of(tab.headers.columns)
    grid, first = tab.grid, tab.first_data_row - 1

    def line_of(index: int) -> tuple[object, ...]:
        values = fresh.pop(index, None)
        return values_of(grid[first + index]) if values is None else values

    return line_of


DIGEST = DIGEST_SIZE
"""Bytes of a row's digests, of its values (`row_digest`) as of its bytes read
(`sync.core.sheet.ReadRows.digests`): the memo's blobs line up by it."""

InputsMemo = tuple[object, bytes, bytes, bytes]
"""A tab's rows at its last evaluation: its layout (`_shape`), then by position from its first
data row (16 bytes each) the digest of each row as read, of its input values and of its
`KEPT_CELLS`."""


def _shape(tab: RegionTab) -> object:
    """What a row's input values and kept cells are read by: the tab's columns, its first row."""
    return (tuple(tab.headers.columns.items()), tab.first_data_row)


def _input_digests(
    tab: RegionTab,
    line_of: Callable[[int], tuple[object, ...]],
    memo: dict[str, InputsMemo] | None,
    fresh: dict[int, tuple[object, ...]],
    taken: dict[int, tuple[object, ...]],
) -> Sequence[bytes]:
    """
    The digest of each row's input values (`row_digest` of `line_of(i)`), from the first data
    row on. A row read as bytes (`ReadRows`) byte for byte as at the tab's last evaluation,
    in the same place, has that evaluation's: it is not decoded for it (most rows of a verify
    read, and of a read after a few edits), and a block of `INPUTS_BLOCK` such rows is taken
    in one slice, not row by row. The tab's are kept in `memo` for the next time, with the
    digest of each row's kept cells (`_kept_cells`).

    A row whose bytes changed is decoded for its digest and not kept: of each, the cells of
    its worker block are (`ReadRows.note`: what the round's marks and diff read of it), ~150
    bytes a row. One whose input cells changed too (every row of a first run) leaves its input
    values in `fresh`, for its check next (`_line_reader`), and its kept cells in `taken`
    (`_kept_cells`), by its index in the grid: it is decoded once, and its round holds the
    body read and those rather than every row decoded. One whose worker cells alone changed
    (every row of the verify read after a first run's write) needs nothing more.
    """
    grid, first = tab.grid, tab.first_data_row - 1
    count = max(0, len(grid) - first)
    read = row_digests(grid)
    if read is None or memo is None or not isinstance(grid, ReadRows):
        return [row_digest(line_of(i)) for i in range(count)]
    values_of = _values_of(tab.headers.columns)
    marked = block_order(tab.worker_columns)[1] if tab.worker_columns else []
    shape = _shape(tab)
    last = memo.get(tab.region)
    if last is None or last[0] != shape:
        last = (shape, b"", b"", b"")
    _, was_read, was_input, was_kept = last
    kept = _kept_indexes(tab.headers.columns)[1]
    now = read[first * DIGEST :]  # (the rows' digests from the first data row, as was_read)
    digests: list[bytes] = []
    kept_digests: list[bytes] = []
    for start in range(0, count, INPUTS_BLOCK):
        end = min(count, start + INPUTS_BLOCK)
        if was_read[start * DIGEST : end * DIGEST] == now[start * DIGEST : end * DIGEST]:
            digests.append(was_input[start * DIGEST : end * DIGEST])
            kept_digests.append(was_kept[start * DIGEST : end * DIGEST])
            continue
        for index in range(start, end):
            at = index * DIGEST
            if was_read[at : at + DIGEST] == now[at : at + DIGEST]:
                digests.append(was_input[at : at + DIGEST])
                kept_digests.append(was_kept[at : at + DIGEST])
                continue
            row = grid.look(first + index)
            values = values_of(row)
            digest = row_digest(values)
            digests.append(digest)
            if digest == was_input[at : at + DIGEST]:  # other bytes, the same inputs: the
                kept_digests.append(was_kept[at : at + DIGEST])  # worker's cells were written
                if marked:  # (what its marks read: `sync.core.round`)
                    grid.note(first + index, row, marked)
            else:  # inputs of its own: checked next (unless known), from `fresh`
                fresh[index] = values
                if marked:
                    grid.note(first + index, row, marked)
                cells = taken[first + index] = line_cells(row, kept)
                kept_digests.append(_kept_digest(cells))
    joined = b"".join(digests)
    memo[tab.region] = (shape, now, joined, b"".join(kept_digests))
    return Digests(joined)


def rows_to_check(
    tab: RegionTab,
    cache: RowCache | None,
    *,
    fiscal_year: int,
    as_of: date,
    digest: str | None = None,
) -> Sequence[int]:
    """
    The grid indexes of `tab`'s data rows an evaluation would check anew: every one without
    a cache; of a tab read as bytes, those `cache` does not know by their bytes (what
    `_input_digests` decodes: its inputs may have changed) or has no results for on this
    day, year and lists (what `_check_tab` checks again: every row, on a new day); of one
    handed over decoded, those whose input values as read it has no results for (a row with
    a typed percentage each time: its results are kept under the values it reads as). A tab
    read as last time (`digest`, the snapshot's), on the same day and layout, has none: it
    is not evaluated again (`evaluate`), nor are its rows looked at one by one here.
    """
    grid, first = tab.grid, tab.first_data_row - 1
    everything = range(first, len(grid))
    if cache is None:
        return everything
    columns = tab.headers.columns
    context, layout = _tab_layout(tab, fiscal_year, as_of)
    if digest and cache.known_read(tab.region, digest, layout) is not None:
        return ()
    if not isinstance(grid, ReadRows):
        values_of = _values_of(columns)
        return [i for i in everything if not cache.knows((context, row_digest(values_of(grid[i]))))]
    read = row_digests(grid)
    last = cache.inputs.get(tab.region)
    if read is None or last is None or last[0] != _shape(tab):
        return everything
    was_read, was_input, now = last[1], last[2], read[first * DIGEST :]
    found = []
    for index in range(len(everything)):
        at = slice(index * DIGEST, (index + 1) * DIGEST)
        if was_read[at] != now[at] or not cache.knows((context, was_input[at])):
            found.append(first + index)
    return found


INPUTS_BLOCK = 64
"""Rows whose read digests `_input_digests` compares in one slice (as the marks' blocks)."""


def expect_reads(memo: dict[str, InputsMemo], tab: RegionTab, reads: Mapping[int, bytes]) -> None:
    """
    Rows of `tab` a round writes will be read as `reads` (sheet row: the digest of its bytes
    then, `sync.core.round`), with the same input cells: taken into its memo as read so, the
    verify read finds their inputs' digests without decoding them (`_input_digests`). The
    memo is this round's read of the tab (made as it was evaluated); a row read otherwise
    is decoded, as any row whose bytes changed.
    """
    last = memo.get(tab.region)
    if last is None or last[0] != _shape(tab):
        return
    shape, was_read, was_input, was_kept = last
    expected = bytearray(was_read)
    first = tab.first_data_row
    for number, digest in reads.items():
        at = (number - first) * DIGEST
        if 0 <= at and at + DIGEST <= len(expected):
            expected[at : at + DIGEST] = digest
    memo[tab.region] = (shape, bytes(expected), was_input, was_kept)


def evaluate(
    tabs: Sequence[RegionTab],
    *,
    options: Mapping[str, Sequence[str]],
    fiscal_year: int,
    as_of: date,
    cache: RowCache | dict[CacheKey, RowResults] | None = None,
    digests: Mapping[str, str] | None = None,
) -> Evaluation:
    """
    Check, compute and de-duplicate every row of every processable tab.

    A run evaluates twice (plan, then verify after its write); `cache` lets the verify round,
    and the service's next run, skip rows whose cells did not change, and (a `RowCache`)
    whole tabs whose input cells did not change, whatever the worker's own cells hold: known
    at once when the tab's `digests` (of its values as read, by title) is the one its rows
    were last found valid for, else by a digest of its input cells. Only a row's own results
    are cached: duplicates depend on the other rows and are resolved afresh, unless every tab
    has the inputs of the run's last evaluation (a verify round, normally): then that very
    evaluation is returned.
    """
    cache = {} if cache is None else cache
    results: dict[str, Decimal] = {}
    """The KPI results of this evaluation's rows, one object each (`kpi.evaluate_row`)."""

    def check_new(
        headers: Sequence[str], rows: Sequence[tuple[object, ...]], region: str
    ) -> list[RowResults]:
        checked = rules.check_rows(
            headers, rows, region=region, options=options, fiscal_year=fiscal_year, as_of=as_of
        )
        places = {header: index for index, header in enumerate(headers)}
        new: list[RowResults] = []
        for row, found in zip(rows, checked, strict=True):
            computed = kpi.evaluate_row(
                RowCells(row, places), parsed=found.values, changes=found.changes, shared=results
            )
            # Only what later steps read is kept: the parsed values of every column and the
            # formulas' working stay behind with this row's dict.
            kept = {x: found.values[x] for x in KEPT_VALUES if x in found.values}
            kept_check = rules.RowResult(  # `replace(found, ...)`, without its introspection
                status=found.status,
                findings=found.findings,
                values=kept,
                national_id=found.national_id,
                tax_id=found.tax_id,
                cancelled=found.cancelled,
                is_blank=found.is_blank,
                changes=None,
            )
            new.append((kept_check, computed))
        return new

    rows_cache = cache if isinstance(cache, RowCache) else None
    done: list[tuple[RegionTab, list[TabEntry], tuple[int, ...]]] = []
    keys: list[object] = []
    """Each tab's memo key (its layout and inputs' digest): what its rows are decided from."""
    walked_any = False
    taken: dict[str, dict[int, tuple[object, ...]]] = {tab.region: {} for tab in tabs}
    for tab in tabs:
        # A row's cache key: the digest of its values in column order (1, 1.0 and True are
        # equal in Python but are different cells), with the headers they sit under (one tuple
        # per tab) in case columns moved between the two rounds.
        context, layout = _tab_layout(tab, fiscal_year, as_of)
        known = rows_cache.tabs.get(tab.region) if rows_cache is not None else None
        reads = rows_cache.reads if rows_cache is not None else {}
        digest = (digests or {}).get(tab.title)
        read = (digest, layout) if digest else None
        walked = False
        again = (
            rows_cache.known_read(tab.region, digest, layout)
            if rows_cache is not None and digest
            else None
        )
        if again is not None:
            tab_key, entries, blanks = again  # the very read of last time: same inputs
        else:
            fresh: dict[int, tuple[object, ...]] = {}
            line_of = _line_reader(tab, fresh)
            memo = rows_cache.inputs if rows_cache is not None else None
            inputs = _input_digests(tab, line_of, memo, fresh, taken[tab.region])
            tab_key = (layout, _inputs_digest(inputs) if rows_cache is not None else b"")
            if known is not None and known[0] == tab_key:
                entries, blanks = known[1], known[2]
            else:
                new_rows = partial(check_new, region=tab.region)
                entries, blanks = _check_tab(tab, line_of, inputs, context, cache, new_rows)
                # The single cells' caches serve this tab's rows (a centre's places, lists and
                # amounts recur within its tab) and go now: kept for all the tabs, they sat in
                # among the round's results and left ~11 MiB of holes when dropped after it
                # (a first run of 7 x 2,000 rows peaked at 156 MiB, not 145). What other tabs
                # share costs a check again (on the demo ~18,000 more cells, ~0.1 s).
                forget_cells(learnt=True)
                walked = walked_any = True
                if rows_cache is not None:
                    rows_cache.tabs[tab.region] = (tab_key, entries, blanks)
            del inputs, fresh
        if rows_cache is not None:
            # The tab's kept cells not taken yet are taken from this read from now on: the
            # same input cells as the read they were made from, when its rows are as known.
            same = known is not None and known[0] == tab_key
            held = rows_cache.rows_read.get(tab.region)
            if held is None or not same:
                held = rows_cache.rows_read[tab.region] = TabRows()
            held.grid = tab.grid
        if rows_cache is not None and not walked:  # still in use: kept for the next run
            rows_cache.get_many([key for _, key, _ in entries])
        if read is not None:
            reads[tab.region] = read
        else:  # a read without a digest: nothing to know the next one by
            reads.pop(tab.region, None)
        done.append((tab, entries, blanks))
        keys.append(tab_key)
    if rows_cache is not None and not walked_any:
        last = rows_cache.evaluated
        if last is not None and last[0] == keys:
            return last[1]  # every tab's inputs as last evaluated: the same rows

    provisional: list[tuple[str, int, KeptCells, rules.RowResult, kpi.KpiResult, bytes]] = []
    blank: dict[str, tuple[int, ...]] = {}
    seen: dict[str, list[object]] = {}
    memo = rows_cache.inputs if rows_cache is not None else None
    for tab, entries, blanks in done:
        columns = tab.headers.columns
        held = rows_cache.rows_read.get(tab.region) if rows_cache is not None else None
        kept_cells = _kept_cells(tab, memo, held, taken.pop(tab.region))
        region_seen = seen[tab.region] = [fiscal_year, as_of.isoformat(), list(columns.values())]
        for row_number, key, (found, computed) in entries:
            cells = kept_cells(row_number)
            provisional.append((tab.region, row_number, cells, found, computed, key[1]))
            region_seen.append(key[1])
        blank[tab.region] = blanks
        region_seen.append(blanks)

    candidates = [
        rules.DuplicateCandidate(
            rules.RowRef(region, row_number), check.national_id, check.status, check.cancelled
        )
        for region, row_number, _cells, check, _result, _digest in provisional
    ]
    marks = rules.resolve_duplicates(candidates)

    # The marks come in the candidates' order: each row's is taken as it comes, not looked up.
    rows = []
    for (region, row_number, kept, check, result, row_key), marked in zip(
        provisional, marks.values(), strict=True
    ):
        seen[region].append((row_number, marked.status, marked.pointer))
        rows.append(
            RowEvaluation(
                region,
                row_number,
                kept,
                check,
                result.values,
                result.figures,
                check.findings,
                marked.status,
                marked.pointer,
                row_key,
            )
        )
    fingerprints = {
        region: hashlib.blake2b(msgspec.json.encode(items), digest_size=16).digest()
        for region, items in seen.items()
    }
    overall = hashlib.blake2b(msgspec.json.encode(list(fingerprints.items())), digest_size=16)
    evaluation = Evaluation(
        rows=tuple(rows),
        blank_rows=blank,
        fingerprint=overall.digest(),
        fingerprints=fingerprints,
    )
    if rows_cache is not None:
        rows_cache.evaluated = (keys, evaluation)
    return evaluation


def _kept_indexes(columns: Mapping[str, int]) -> tuple[dict[str, int], list[int]]:
    """Where each `KEPT_CELLS` the tab has sits in `KeptCells`, and its column in a row."""
    places = {header: i for i, header in enumerate(x for x in KEPT_CELLS if x in columns)}
    return places, [columns[header] for header in places]


def _kept_cells(
    tab: RegionTab,
    memo: Mapping[str, InputsMemo] | None,
    held: TabRows | None,
    taken: Mapping[int, tuple[object, ...]],
) -> Callable[[int], KeptCells]:
    """
    A row's `KeptCells` by its sheet row number: copied out of its row, or (`taken`, by its
    index) out of the row decoded for its digest and not kept; unless the row is read as
    bytes, not decoded yet and known by them from the tab's last evaluation (`memo`): then
    taken from the tab's rows (`held`) only if used.
    """
    places, indexes = _kept_indexes(tab.headers.columns)
    grid = tab.grid
    last = memo.get(tab.region) if memo is not None else None
    if not isinstance(grid, ReadRows) or held is None or last is None or last[0] != _shape(tab):

        def copied(number: int) -> KeptCells:
            return KeptCells(places, row_cells(grid, number - 1, indexes))

        return copied
    now = grid.digests[(tab.first_data_row - 1) * DIGEST :]
    _, was_read, _, was_kept = last
    first = tab.first_data_row

    def kept(number: int) -> KeptCells:
        index = number - 1
        at = (number - first) * DIGEST
        if was_read[at : at + DIGEST] != now[at : at + DIGEST]:
            return KeptCells(places, grid.cells_at(index, indexes))
        digest = was_kept[at : at + DIGEST]  # (the row as read then: its kept cells' digest)
        cells = taken.get(index)
        if cells is not None:
            return KeptCells(places, cells, digest)
        if grid.is_decoded(index):
            return KeptCells(places, line_cells(grid[index], indexes), digest)
        return KeptCells(places, Untaken(held, index, indexes, digest))

    return kept


def worker_values(row: RowEvaluation, columns: Container[str]) -> dict[str, CellValue]:
    """
    The worker block of one row, except `ตรวจสอบล่าสุด` (set only when the row changes); the
    computed KPIs only where the tab has their columns (`columns`, its worker headers).
    """
    block = WorkerBlock(columns)
    return dict(zip(block.headers, block.values(row), strict=True))


def block_order(
    worker_columns: Mapping[str, int],
) -> tuple[WorkerBlock, list[int], Callable[[tuple[CellValue, ...]], tuple[CellValue, ...]]]:
    """
    A tab's worker block, its columns in sheet order (what a row's marks read of it, and a
    read notes of a row it does not keep decoded: `_input_digests`), and how to put a row's
    cells in that order (so its changes need no sorting).
    """
    block = WorkerBlock(worker_columns)
    headers = block.headers
    order = sorted(range(len(headers)), key=lambda i: worker_columns[headers[i]])
    return block, [worker_columns[headers[i]] for i in order], operator.itemgetter(*order)


class WorkerBlock:
    """
    The worker block of a tab's rows (`worker_values`, as a tuple in `headers` order): which
    KPI columns the tab has is found once per tab, not once per row and KPI.
    """

    __slots__ = ("_kpis", "_pick", "_places", "headers")

    def __init__(self, columns: Container[str]) -> None:
        self._kpis = tuple(header for header in h.KPI_HEADERS if header in columns)
        self._places = [h.KPI_HEADERS.index(header) for header in self._kpis]
        """Where the tab's KPI columns are in a `kpi.KpiCells`' tuple."""
        self._pick = operator.itemgetter(*self._places) if len(self._places) > 1 else None
        """Those cells taken out of the tuple in C (of two or more: a tuple)."""
        self.headers: tuple[str, ...] = (*self._kpis, *_STATUS_BLOCK)

    def values(self, row: RowEvaluation) -> tuple[CellValue, ...]:
        """One row's worker cells, in `headers` order."""
        kpis = row.kpis
        findings = row.findings
        computed: Sequence[CellValue]
        if kpis.__class__ is KpiCells:
            cells = cast(KpiCells, kpis).cells
            pick = self._pick
            computed = pick(cells) if pick is not None else [cells[p] for p in self._places]
        else:
            computed = [kpis.get(header) for header in self._kpis]
        if not findings:  # (most rows: no texts to join)
            return (*computed, row.status, None, None, row.pointer or None)
        return (
            *computed,
            row.status,
            DETAILS_SEPARATOR.join([f.text for f in findings]) or None,
            CODES_SEPARATOR.join([finding_token(f) for f in findings]) or None,
            row.pointer or None,
        )


_STATUS_BLOCK = (h.CHECK_STATUS, h.DETAILS, h.ERROR_CODES, h.DUPLICATE_OF)
"""The cells after the KPIs in every row's worker block, in `worker_values`' order."""
