"""
Checked rows packed into one bytes object while a process waits for its next run.

A service keeps every checked row for the spreadsheet's next run (`evaluate.RowCache`), so a run
after a few edits checks about those rows only. As objects, 14,000 rows are ~30 small objects
each, scattered over the heap the run allocated: they keep ~100 MiB of it from going back to the
system between runs, for ~30 MiB of their own. Packed, they are a few MB in one allocation, and
the heap the run used is given back; the next run that plans unpacks them (~0.05 s for 14,000).

The packing is plain data (`pickle` of tuples, strings, numbers and Decimals, which travel as their
exact text), findings and row contexts once each, shared results (the blank row's) once. The
rows' records are pickled `CHUNK_RECORDS` at a time: a pickler remembers every object it wrote
until it is done, and for 14,000 rows at once that memo was most of the 51 MiB packing took on
top of a run's rows (the pack after a first run was its peak).

A run after a few edits uses nearly every row it unpacked, as the very objects unpacked: the
next pack takes the bytes of each chunk whose rows are (nearly all) still those objects as
they are (`Sources`), and pickles only the records of rows checked since (the Decimals of a
row's KPI cells are most of what pickling costs: ~0.2 s for 14,000 rows, each run).

Each record's mappings (its parsed values, KPI cells and figures: ~11 Decimals a row) are
pickled on their own inside it, and a run's unpack leaves them bytes (`LaterMapping`) until
a row's are used: such a run reads them for the rows whose summary tallies it makes again
only (an unpack of 14,000 rows took ~0.09 s, 0.05 of it making those Decimals; ~5.5 MB packed
instead of ~3.6).
"""

from __future__ import annotations

import io
import itertools
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import kpi
import rules
from rules.headers import KPI_HEADERS

T = TypeVar("T")

RowResults = tuple[rules.RowResult, kpi.KpiResult]
"""A row's own results, as `evaluate.RowCache` keeps them (duplicates are resolved afresh)."""

Key = tuple[object, bytes]
"""A row's cache key: its tab's context and the digest of its values."""

TabMemo = tuple[object, list[tuple[int, Key, RowResults]], tuple[int, ...]]
"""One tab as last checked: its key, its rows (number, key, results) and its blank rows."""


@dataclass(frozen=True)
class PackedRows:
    """The rows and tab memos of a `RowCache`, as bytes; `rows` says how many rows it holds."""

    data: bytes
    rows: int


def _unpacked(names: tuple[str, ...] | None, values: tuple[Any, ...]) -> Mapping[str, Any]:
    """A mapping's values under its names again; None: KPI cells (`kpi.KpiCells` again)."""
    if names is None:
        return kpi.KpiCells(values)
    return dict(zip(names, values, strict=True))


class _Mappings:
    """
    A kept row's parsed values, KPI cells and figures, still pickled (`_Tables.result`):
    decoded once, when the first of them is used. A run after a few edits takes most rows'
    results as they were and reads their mappings only for the blocks the summary tallies
    again: unpickling every row's ~11 Decimals at the run's start was most of its unpack.
    """

    __slots__ = ("data", "names", "parts")

    def __init__(self, data: bytes, names: Sequence[tuple[str, ...] | None]) -> None:
        self.data = data
        self.names = names
        self.parts: tuple[Mapping[str, Any], ...] | None = None

    def part(self, index: int) -> Mapping[str, Any]:
        if self.parts is None:
            self.parts = _mappings_of(self.data, self.names)
            self.data = b""
        return self.parts[index]


def _mappings_of(
    data: bytes, names: Sequence[tuple[str, ...] | None]
) -> tuple[Mapping[str, Any], ...]:
    """A record's mappings, from their own pickle (`_Tables.result`), under their names."""
    return tuple(_unpacked(names[layout], values) for layout, values in _loads(data))


class LaterMapping(Mapping[str, Any]):
    """One of a kept row's mappings (`_Mappings`), decoded when first used."""

    __slots__ = ("_index", "_packed")

    def __init__(self, packed: _Mappings, index: int) -> None:
        self._packed = packed
        self._index = index

    def unpacked(self) -> Mapping[str, Any]:
        """The mapping itself (a dict, or `kpi.KpiCells`)."""
        return self._packed.part(self._index)

    def __getitem__(self, key: str) -> Any:
        return self.unpacked()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.unpacked().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.unpacked()

    def __iter__(self) -> Iterator[str]:
        return iter(self.unpacked())

    def __len__(self) -> int:
        return len(self.unpacked())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LaterMapping):
            other = other.unpacked()
        return self.unpacked() == other

    __hash__ = None  # type: ignore[assignment]  # equal to a dict, like a dict

    def __repr__(self) -> str:
        return f"LaterMapping({dict(self.unpacked())!r})"


CHUNK_RECORDS = 1024
"""Rows' records pickled together: what one pickler's memo holds at a time."""


REUSE_SHARE = 0.9
"""A chunk's bytes are taken again when at least this share of its records are still in use
(the others stay in it, unread, until the chunk is packed afresh)."""

FINDINGS_GROWTH = 2
"""Findings numbered by earlier packs are kept (a chunk taken again refers to them by number)
until the table is this many times as large as at its last pack from scratch (plus 64)."""


@dataclass
class Sources:
    """
    Where the rows of one unpack came from, for the next pack of the same cache: each chunk's
    bytes, and the results unpacked by record number. Holding the results also keeps their
    identities (`id`) from being taken by other objects until that pack, which tells by them
    which rows are still the objects unpacked.
    """

    findings: list[rules.Finding]
    layouts: list[tuple[str, ...]]
    chunks: list[bytes]
    starts: list[int]
    """The record number of each chunk's first record (then one past the last)."""
    results: list[RowResults | None]
    """By record number, the results unpacked from it (None: a record no row used)."""
    base_findings: int
    """Findings in the table at its last pack from scratch (bounds its growth)."""


class _Reused:
    """The chunks of `Sources` a pack takes as they are, and its rows' records in them."""

    def __init__(self, sources: Sources, used: Sequence[RowResults]) -> None:
        live = [0] * (len(sources.starts) - 1)
        chunk_of = [0] * sources.starts[-1]
        for chunk, (start, end) in enumerate(itertools.pairwise(sources.starts)):
            chunk_of[start:end] = [chunk] * (end - start)
        results = sources.results  # (held there: no other object has one of their ids)
        numbers = {id(found): number for number, found in enumerate(results) if found is not None}
        seen: set[int] = set()
        for found in used:
            number = numbers.get(id(found))
            if number is not None and number not in seen:
                seen.add(number)
                live[chunk_of[number]] += 1
        self.chunks: list[bytes] = []
        offsets: dict[int, int] = {}  # chunk taken -> its first record's number in this pack
        total = 0
        for chunk, (start, end) in enumerate(itertools.pairwise(sources.starts)):
            size = end - start
            if size >= CHUNK_RECORDS // 2 and live[chunk] >= REUSE_SHARE * size:
                offsets[chunk] = total - start
                self.chunks.append(sources.chunks[chunk])
                total += size
        self.records = total
        """Records in the chunks taken: a new record's number starts after them."""
        self.number: dict[int, int] = {
            key: number + offsets[chunk_of[number]]
            for key, number in numbers.items()
            if chunk_of[number] in offsets
        }
        """`id` of each results in a chunk taken -> its record number in this pack."""


class _Tables:
    """Objects many rows share, numbered once: contexts, findings, dict keys, results."""

    def __init__(self, sources: Sources | None = None, used: Sequence[RowResults] = ()) -> None:
        self.contexts: dict[int, int] = {}
        self.context_list: list[object] = []
        self.findings: dict[rules.Finding, int] = {}
        self.layouts: dict[tuple[str, ...], int] = {}
        self.results: dict[int, int] = {}
        self.packed: list[tuple[Any, ...]] = []
        """Records not yet pickled (fewer than `CHUNK_RECORDS`)."""
        self.chunks: list[bytes] = []
        """Records pickled, `CHUNK_RECORDS` in each (or as taken from `sources`)."""
        self.count = 0
        """Records numbered so far."""
        self.base_findings = 0
        if sources is not None:
            reused = _Reused(sources, used)
            self.findings = {f: i for i, f in enumerate(sources.findings)}
            self.layouts = {layout: i for i, layout in enumerate(sources.layouts)}
            self.results = reused.number
            self.chunks = reused.chunks
            self.count = reused.records
            self.base_findings = sources.base_findings

    def context(self, context: object) -> int:
        found = self.contexts.get(id(context))
        if found is None:
            found = self.contexts[id(context)] = len(self.context_list)
            self.context_list.append(context)
        return found

    def mapping(self, values: Mapping[str, object]) -> tuple[int, tuple[object, ...]]:
        if values.__class__ is LaterMapping:  # (a row unpacked, in a chunk packed afresh)
            values = cast(LaterMapping, values).unpacked()
        if values.__class__ is kpi.KpiCells:  # its tuple as it is, not a look-up per key
            return self.layouts.setdefault(KPI_HEADERS, len(self.layouts)), cast(
                kpi.KpiCells, values
            ).cells
        layout = self.layouts.setdefault(tuple(values), len(self.layouts))
        return layout, tuple(values.values())

    def result(self, results: RowResults) -> int:
        """The number of `results` in the table, packing them on first sight."""
        found = self.results.get(id(results))
        if found is not None:
            return found
        check, computed = results
        if check.changes is not None:
            raise ValueError("a kept row carries no formula working")
        findings = self.findings
        same = computed.figures is computed.values
        mappings: tuple[tuple[int, tuple[object, ...]], ...] = (
            self.mapping(check.values),
            self.mapping(computed.values),
        )
        if not same:
            mappings += (self.mapping(computed.figures),)
        record = (
            check.status,
            tuple([findings.setdefault(f, len(findings)) for f in check.findings]),
            check.national_id,
            check.tax_id,
            check.cancelled,
            check.is_blank,
            same,
            # Pickled on their own: an unpack leaves them bytes until a row's are used.
            pickle.dumps(mappings, protocol=pickle.HIGHEST_PROTOCOL),
        )
        found = self.results[id(results)] = self.count
        self.count += 1
        self.packed.append(record)
        if len(self.packed) == CHUNK_RECORDS:
            self.flush()
        return found

    def flush(self) -> None:
        """Pickle the records not yet pickled."""
        if self.packed:
            self.chunks.append(pickle.dumps(self.packed, protocol=pickle.HIGHEST_PROTOCOL))
            self.packed = []


_PLAIN_CLASSES = frozenset(
    {
        ("rules.findings", "Finding"),
        ("rules.findings", "Severity"),
        ("datetime", "date"),
        ("decimal", "Decimal"),
    }
)
"""The only classes packed rows name: a finding, its severity, a date of a row's context, a
Decimal (made from its text)."""


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: packed rows can come from a file (`sheetsync run`'s history),
    and a pickle naming any other class or function is refused, never run."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _PLAIN_CLASSES:
            raise pickle.UnpicklingError(f"packed rows may not name {module}.{name}")
        return super().find_class(module, name)


def _loads(data: bytes) -> Any:
    return _PlainUnpickler(io.BytesIO(data)).load()


def pack_rows(
    current: Mapping[Key, RowResults],
    tabs: Mapping[str, TabMemo],
    sources: Sources | None = None,
) -> PackedRows:
    """
    Pack the rows a run used (`current`) and its tab memos, keeping which results are shared;
    with the `sources` of the unpack these rows came from, the chunks whose rows are still
    the objects unpacked are taken as they are (only the records of other rows are pickled).
    """
    if sources is not None and len(sources.findings) > FINDINGS_GROWTH * sources.base_findings + 64:
        sources = None  # findings no longer used pile up: number them afresh
    used: list[RowResults] = []
    if sources is not None:
        used.extend(current.values())
        used.extend(found for _, entries, _ in tabs.values() for _, _, found in entries)
    tables = _Tables(sources, used)
    del used
    keep: list[Any] = []
    rows = [
        (tables.context(key[0]), key[1], tables.result(found)) for key, found in current.items()
    ]
    for region, (tab_key, entries, blanks) in tabs.items():
        packed_entries = [
            (number, tables.context(key[0]), key[1], tables.result(found))
            for number, key, found in entries
        ]
        keep.append((region, tab_key, packed_entries, blanks))
    tables.flush()
    base = tables.base_findings if sources is not None else len(tables.findings)
    data = pickle.dumps(
        (
            tables.context_list,
            list(tables.findings),
            list(tables.layouts),
            tables.chunks,
            rows,
            keep,
            base,
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    return PackedRows(data, len(rows))


def unpack_rows(packed: PackedRows) -> tuple[dict[Key, RowResults], dict[str, TabMemo]]:
    """The rows and tab memos `pack_rows` packed, equal to what it was given."""
    current, tabs, _ = unpack_sources(packed)
    return current, tabs


def unpack_sources(
    packed: PackedRows, *, later: bool = False
) -> tuple[dict[Key, RowResults], dict[str, TabMemo], Sources]:
    """
    `unpack_rows`, and where each result came from (for the next `pack_rows`). Only the
    records some row uses are made into results (a chunk taken again by a pack keeps the
    records of rows changed since, unread). With `later`, each row's mappings (parsed
    values, KPI cells, figures) stay pickled until used (`LaterMapping`): for the packs a
    process made itself; rows from a file are decoded whole at once, so that damage shows
    when they are loaded.
    """
    contexts, findings, layouts, chunks, rows, kept_tabs, base = _loads(packed.data)

    names = [None if layout == KPI_HEADERS else layout for layout in layouts]
    needed = {r for _, _, r in rows}
    needed.update(r for _, _, entries, _ in kept_tabs for *_, r in entries)
    results: list[RowResults | None] = []
    starts = [0]
    for chunk in chunks:
        records = _loads(chunk)
        for status, codes, national_id, tax_id, cancelled, blank, same, data in records:
            if len(results) not in needed:
                results.append(None)
                continue
            parts: Sequence[Mapping[str, Any]]
            if later:
                mappings = _Mappings(data, names)
                parts = [LaterMapping(mappings, 0), LaterMapping(mappings, 1)]
                if not same:
                    parts.append(LaterMapping(mappings, 2))
            else:
                parts = _mappings_of(data, names)
            results.append(
                (
                    rules.RowResult(
                        status,
                        tuple([findings[i] for i in codes]),
                        parts[0],
                        national_id,
                        tax_id,
                        cancelled,
                        blank,
                    ),
                    kpi.KpiResult(parts[1], parts[1] if same else parts[2]),
                )
            )
        starts.append(len(results))
    current = {(contexts[c], digest): results[r] for c, digest, r in rows}
    tabs: dict[str, TabMemo] = {
        region: (
            tab_key,
            [(number, (contexts[c], digest), results[r]) for number, c, digest, r in entries],
            blanks,
        )
        for region, tab_key, entries, blanks in kept_tabs
    }
    sources = Sources(
        findings=findings,
        layouts=layouts,
        chunks=chunks,
        starts=starts,
        results=results,
        base_findings=base,
    )
    return cast(dict[Key, RowResults], current), cast(dict[str, TabMemo], tabs), sources


KEPT_FORMAT = 9
"""Version of `dump_kept`'s layout: data of another version is not read."""

RowMarks = tuple[object, bytes, bytes]
"""A regional tab's marks of the rows known to show what they should: the tab's context, a
mark per row (`ROW_MARK` bytes from its first data row; zeros for a row not known to), and a
key per block of rows (`ROW_MARK` bytes from the first block; zeros for a block not all of
whose rows showed what they should). `sync.core.round` says what marks and keys are made of."""

ROW_MARK = 16
"""Bytes of one row's mark in `RowMarks`."""

ListedLines = tuple[object, bytes, bytes]
"""The rows of the compiled list known to show a line: what they hold for (the list's columns,
how a line is made), then the digest of each one's bytes as read and the key of the line it
shows (16 bytes each, in the same order; `sync.core.round` says what a line key is made of)."""


@dataclass(frozen=True)
class Kept:
    """What a `RowCache` keeps for another process besides its rows (see `dump_kept`)."""

    options: object
    clean: dict[str, object]
    marks: dict[str, RowMarks]
    reads: dict[str, tuple[str, object]]
    packed: PackedRows
    inputs: dict[str, tuple[object, bytes, bytes, bytes]]
    """Per region, its rows' digests by position (`evaluate.InputsMemo`): as read, of their
    input values and of their kept cells."""
    lines: ListedLines | None = None


def dump_kept(kept: Kept) -> bytes:
    """
    A `RowCache`'s packed rows with what they were checked against (the `ตัวเลือก` lists), its
    clean tabs' keys, its rows known to show what they should, the reads its tabs' rows were
    last found valid for and its rows' digests, as bytes another process can load
    (`load_kept`).
    """
    return pickle.dumps(
        (
            KEPT_FORMAT,
            kept.options,
            dict(kept.clean),
            dict(kept.marks),
            dict(kept.reads),
            kept.packed.rows,
            kept.packed.data,
            dict(kept.inputs),
            kept.lines,
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def load_kept(data: bytes) -> Kept:
    """
    What `dump_kept` wrote, the rows still packed (unpacked by the run that uses them).
    Raises ValueError for anything else, or another version.
    """
    try:
        version, *fields = _loads(data)
    except Exception as exc:  # whatever a damaged or foreign file makes the unpickler raise
        raise ValueError(f"not kept rows: {exc}") from exc
    if version != KEPT_FORMAT or len(fields) != 8:
        raise ValueError(f"kept rows of another format ({version!r})")
    options, clean, marks, reads, rows, packed, inputs, lines = fields
    kinds = (clean, marks, reads, inputs)
    if not isinstance(packed, bytes) or not all(isinstance(x, dict) for x in kinds):
        raise ValueError(f"kept rows of another format ({version!r})")
    if lines is not None and not _listed_lines(lines):
        raise ValueError(f"kept rows of another format ({version!r})")
    return Kept(options, clean, marks, reads, PackedRows(packed, int(rows)), inputs, lines)


def _listed_lines(lines: object) -> bool:
    """Whether `lines` is `ListedLines`: two byte strings of as many 16-byte digests."""
    if not (isinstance(lines, tuple) and len(lines) == 3):
        return False
    _, reads, keys = lines
    return (
        isinstance(reads, bytes)
        and isinstance(keys, bytes)
        and len(reads) == len(keys)
        and len(reads) % 16 == 0
    )


def fresh_copy(value: T) -> T:
    """
    A deep copy of plain data, made now: objects a run made in among its grids keep the
    allocator's pages of those grids in place after they are freed; a copy made once the
    run is over sits beside what lives on, and the originals go.
    """
    copied: T = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return copied
