"""
One round's plan, decided without I/O: from a snapshot of what was read to every cell to write.

A round reads (`sync.run.read`), plans here, and writes (`sync.run.write`); the loop in
`sync.run.loop` repeats rounds until a read shows nothing left to change. Planning is a chain of
small steps: map the regional tabs, decide whether the set-up is due (and so whether the loop
must read the metadata first: `needs_metadata`), evaluate the rows and aggregate the KPIs,
build the headquarters tabs, the set-up or growth requests, the worker's record, and finally
the cell changes with the guards and anchors they are written through. Where the tabs and
columns are is `sync.core.tabs`'s to say; which set-up requests a round sends,
`sync.core.setup_requests`'s.
"""

from __future__ import annotations

import hashlib
import itertools
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple

import msgspec

import kpi
from rules import headers as h
from sync.core import setup as setup_mod
from sync.core.cells import (
    CellValue,
    cell_at,
    cells_as_read,
    column_letter,
    hyperlink,
    row_as_read,
    same_value,
    shows,
)
from sync.core.diff import (
    CellChange,
    CellChanges,
    ListMoves,
    cells_of,
    diff_grid,
    diff_tab,
    list_moves,
    padding_for,
)
from sync.core.evaluate import (
    Evaluation,
    RegionTab,
    RowCache,
    RowEvaluation,
    block_order,
    evaluate,
    expect_reads,
    finding_token,
    options_from_grid,
    row_digest,
)
from sync.core.layout import (
    column_key,
)
from sync.core.meta import SheetMeta
from sync.core.packed import ROW_MARK, ListedLines, RowMarks
from sync.core.settings import BANGKOK, SyncSettings
from sync.core.setup_requests import (
    anchor_ids,
    grow_worker_tabs,
    needs_setup,
    set_up,
    tab_layouts,
)
from sync.core.sheet import (
    DIGEST_SIZE,
    Digests,
    OnDemand,
    ReadRows,
    expected_digest,
    row_cells,
    row_digests,
    written_digest,
)
from sync.core.summary import (
    COMPILED_HEADERS,
    SYNC_NOW_CELL,
    TIMESTAMP_CELL,
    SummaryInputs,
    build_summary,
    compiled_line,
)
from sync.core.tabs import MappedTabs, Snapshot, main_run, map_tabs


def thai_timestamp(moment: datetime) -> str:
    """`22/11/2569 09:15:03`: day/month/Buddhist-Era year, Bangkok time."""
    local = moment.astimezone(BANGKOK)
    return f"{local:%d/%m}/{local.year + 543} {local:%H:%M:%S}"


@dataclass
class Plan:
    """Everything one round decided."""

    changes: CellChanges
    """Exactly the cells whose value differs (what the report counts)."""
    padding: list[CellChange]
    """Unchanged worker cells of changed rows, rewritten so positional writes stay rectangular
    (the regional rows with results: `row_padding`)."""
    guards: list[dict[str, Any]]
    """First requests of the first write: each fails it unless its id is still that tab."""
    anchors: dict[tuple[str, int], str]
    """(regional tab, worker column) -> the named range its cells are written through."""
    setup_requests: list[dict[str, Any]]
    evaluation: Evaluation
    summary: kpi.Summary
    layout_problems: list[str]
    """Tabs that could not be processed (the run reports itself failed)."""
    meta: SheetMeta
    title: str
    confirm_anchors: dict[str, str] = field(default_factory=dict)
    """Anchors to read back before any write through them -> the header they must top."""
    anchor_ids: dict[str, str] = field(default_factory=dict)
    """Ids of the worker's anchors as the metadata read saw them (to remove a wrong one)."""
    setup_together: tuple[tuple[int, int], ...] = ()
    """Spans of `setup_requests` that must go in one call (a tab's new columns and anchors)."""
    fresh_columns: frozenset[tuple[str, int]] = frozenset()
    """(tab, column) the set-up of this round inserts: written by position in the same batch."""
    layout_notes: list[str] = field(default_factory=list)
    """Tabs processed without some required column (the run still succeeds)."""
    moves: list[dict[str, Any]] = field(default_factory=list)
    """Rows cut from or opened in the compiled list before its cells are written (same batch)."""
    row_padding: RowPadding = field(default_factory=lambda: RowPadding())
    """The padding of the regional rows with changes, built when a write needs it."""


class _BlockRows:
    """One regional tab's worker block, row by row: which cells a row wants and shows."""

    def __init__(self, tab: RegionTab) -> None:
        self.tab = tab
        self.block, self.columns, self.in_order = block_order(tab.worker_columns)
        self.blank = (None,) * len(self.columns)
        self.start = min(self.columns, default=0)
        """The block's first column: a row with fewer cells has none of it."""
        self.last_shown: tuple[object, ...] = ()
        """How a read would show the cells the last `changes` wanted (`as_read` of each)."""
        self.last_written: list[int] = []
        """Of those, the ones it wrote (indexes into `columns`)."""
        self.last_columns: list[int] = []
        """The columns of those (`columns` at `last_written`)."""

    def changes(self, row: RowEvaluation, into: CellChanges) -> bool:
        """
        Add the row's worker cells that differ from what was read to `into`; whether any did
        (nothing at all when the whole block already reads as wanted).
        """
        tab = self.tab
        wanted: tuple[CellValue, ...] = self.in_order(self.block.values(row))
        # The whole worker block of the row at once: unchanged rows (nearly all, after the
        # first run) cost two tuple comparisons, not a comparison per cell.
        grid, columns = tab.grid, self.columns
        current: tuple[object, ...] = self.blank
        index = row.row - 1
        # A row that ends before the block (every row of a first run, its width known from
        # its decode) has none of it; of a row read as bytes, its noted cells, not decoded.
        if index < len(grid) and not (
            isinstance(grid, ReadRows)
            and (width := grid.width(index)) is not None
            and width <= self.start
        ):
            current = cells_as_read(row_cells(grid, index, columns), range(len(columns)))
        shown = self.last_shown = tuple(row_as_read(wanted))
        if current is self.blank or current == self.blank:
            # Nothing in the block yet (every row of a first run): its cells wanted not blank.
            at = [i for i, seen in enumerate(shown) if seen is not None]
        elif shows(current, shown):
            return False
        else:
            at = [
                i
                for i, (got, value, seen) in enumerate(zip(current, wanted, shown, strict=True))
                if not (
                    seen is None  # an empty cell shows only a blank
                    if got is None
                    else (seen == got and type(seen) is type(got)) or same_value(got, value)
                )
            ]
        if not at:
            return False
        written = self.last_columns = [columns[i] for i in at]
        into.add_row(tab.title, row.row, written, [wanted[i] for i in at])
        self.last_written = at
        return True

    def read_after(self, number: int, also: tuple[int, str]) -> bytes | None:
        """
        The digest of sheet row `number`'s bytes once the last `changes` are written, with
        `also` (a column and its text) too, for a row read as bytes whose written cells a read
        shows as text or numbers (`written_digest`); None when it cannot be told.
        """
        grid = self.tab.grid
        if not isinstance(grid, ReadRows) or (raw := grid.raw(number - 1)) is None:
            return None
        shown, at = self.last_shown, self.last_written
        values = [shown[i] for i in at]
        values.append(also[1])
        if not _PREDICTABLE.issuperset(map(type, values)):
            return None
        written = [*self.last_columns, also[0]]
        return written_digest(raw, written, values, grid.width(number - 1))


_PREDICTABLE = frozenset({str, int, float, type(None)})
"""What a read shows of a written cell whose bytes `written_digest` can tell in advance."""


def _row_changes(
    tab: RegionTab,
    evaluation: Evaluation,
    stamp: str,
    tab_marks: MutableMapping[str, RowMarks] | None = None,
    context: object = None,
    reads: dict[int, bytes] | None = None,
) -> tuple[CellChanges, list[CellChange]]:
    """
    Cells of one tab to write, and the padding of the blank rows it clears.

    `ตรวจสอบล่าสุด` moves only on rows whose results changed. The padding of rows with
    results is the plan's `row_padding`, built only for a write that needs it.

    With `tab_marks` (kept across rounds and runs), a row read exactly as when it was last found
    showing what it should, with the same status and pointer and in the same `context` (the
    tab's columns, the fiscal year, the day), is not compared again: a tab where people
    edited a few rows costs a digest per row and the comparison of those rows. The rows
    found showing what they should are recorded there for the next round.

    A row written is marked by the bytes it will be read as, where those can be told
    (`_BlockRows.read_after`), and they go in `reads` (by sheet row): the verify read then
    knows it, its inputs and its worker cells, by the digest of its bytes, without decoding
    it; a row read otherwise (another encoding of a number, an edit since) is compared again.
    """
    changes = CellChanges()
    padding: list[CellChange] = []
    checked_col = tab.worker_columns[h.CHECKED_AT]
    rows = _BlockRows(tab)
    marks = _Marks(tab, tab_marks, context)
    tab_rows = evaluation.rows_of(tab.region)
    for block, grouped in itertools.groupby(tab_rows, key=lambda r: r.row // MARK_BLOCK):
        block_rows = list(grouped)
        # (made only where a key was kept, or to keep one: not for a first run's blocks)
        key = marks.block_key(block, block_rows) if marks.knows_block(block) else None
        if marks.take_block(block, key):
            continue  # (a block nobody's edit or write touched: most of them)
        right = True
        for row in block_rows:
            decided = (row.digest, row.status, row.pointer)
            if marks.unchanged(row.row, decided, rows.columns):
                continue
            if rows.changes(row, changes):
                changes.add(tab.title, row.row, checked_col, stamp)
                read = rows.read_after(row.row, (checked_col, stamp)) if marks.kept else None
                marks.expect(row.row, decided, rows.last_shown, read)
                if read is not None and reads is not None:
                    reads[row.row] = read
                right = False
            else:
                marks.shows(row.row, decided, rows.columns)
        if right:
            marks.keep_block(block, key or marks.block_key(block, block_rows))
    every = sorted(tab.worker_columns.values())  # a blank row's `ตรวจสอบล่าสุด` is cleared too
    for row_number in evaluation.blank_rows.get(tab.region, ()):
        if marks.unchanged(row_number, _BLANK_ROW, every):
            continue
        desired_blank: dict[tuple[int, int], CellValue] = {
            (row_number, col): None for col in tab.worker_columns.values()
        }
        cleared = diff_tab(tab.title, tab.grid, desired_blank)
        changes.extend(cleared)
        padding.extend(padding_for(cleared, desired_blank, tab.title))
        if cleared:
            marks.expect(row_number, _BLANK_ROW, (None,) * len(every))
        else:
            marks.shows(row_number, _BLANK_ROW, every)
    if tab_marks is not None:
        tab_marks[tab.title] = (context, bytes(marks.marks), bytes(marks.blocks))
    return changes, padding


MARK_BLOCK = 64
"""Sheet rows of a regional tab whose marks are also known together (`_Marks.block_key`): a
block read and decided as when all its rows showed what they should is taken whole, one
digest for its rows instead of one a row (~1.8 µs a row, both rounds of every run)."""

_BLANK_ROW = (b"", "", "")
"""What a blank row is decided from: no input digest, no status, no pointer."""


class _Marks:
    """
    One regional tab's `RowMarks` as they were, and as this diff leaves its rows. A row's mark
    is the digest of what its worker cells' diff depends on: how the row was decided (the
    digest of its input cells, its status and pointer) and its worker cells as read. A row
    found right keeps the mark of its read; a row being written gets the mark of the read
    that would show what it should, so the verify round skips it once it reads back so.

    A row read as bytes (`ReadRows`) is marked by those bytes instead of its decoded worker
    cells (they hold them, and the input cells too: a mark that changes with them only
    means comparing again), so a row read byte for byte as when found right is known
    without being decoded. A written row's mark is of the cells it should read as (its bytes
    cannot be told in advance): its read is decoded once, then marked by its bytes.
    """

    def __init__(
        self, tab: RegionTab, tab_marks: Mapping[str, RowMarks] | None, context: object
    ) -> None:
        self.grid, self.first = tab.grid, tab.first_data_row
        self.read = row_digests(tab.grid)
        """The digests of the grid's rows as read, `DIGEST_SIZE` bytes each from its first."""
        last = tab_marks.get(tab.title) if tab_marks is not None else None
        same = last is not None and last[0] == context
        self.known = last[1] if last is not None and same else b""
        self.known_blocks = last[2] if last is not None and same else b""
        self.kept = tab_marks is not None
        """Whether marks are kept at all (not without a row cache): else none is taken."""
        self.marks = bytearray(ROW_MARK * max(0, len(self.grid) - self.first + 1) * self.kept)
        self.blocks = bytearray(ROW_MARK * (len(self.grid) // MARK_BLOCK + 1) * self.kept)
        """A key per block of `MARK_BLOCK` sheet rows all found showing what they should."""

    def block_key(self, block: int, rows: Sequence[RowEvaluation]) -> bytes | None:
        """
        The key of a block's rows (sheet rows `MARK_BLOCK` × `block` on): how each was decided
        (its number, input digest, status and pointer) and the bytes of every row of the
        block as read. None where marks are not kept or the rows were not read as bytes.
        """
        if not self.kept or self.read is None:
            return None
        start = max(block * MARK_BLOCK - 1, 0) * DIGEST_SIZE
        end = ((block + 1) * MARK_BLOCK - 1) * DIGEST_SIZE
        decided = marshal.dumps([(r.row, r.digest, r.status, r.pointer) for r in rows], 2)
        return hashlib.blake2b(
            decided + self.read[start:end], digest_size=16, person=b"block"
        ).digest()

    def knows_block(self, block: int) -> bool:
        """Whether a key was kept for the block (all its rows showed what they should)."""
        known = self.known_blocks[block * ROW_MARK : (block + 1) * ROW_MARK]
        return len(known) == ROW_MARK and known != bytes(ROW_MARK)

    def take_block(self, block: int, key: bytes | None) -> bool:
        """
        Whether the block reads as when all its rows were last found showing what they
        should (the same key): then each row's mark is as it was, without a digest a row.
        """
        at = block * ROW_MARK
        if key is None or self.known_blocks[at : at + ROW_MARK] != key:
            return False
        start = (max(block * MARK_BLOCK, self.first) - self.first) * ROW_MARK
        end = min(((block + 1) * MARK_BLOCK - self.first) * ROW_MARK, len(self.marks))
        if start >= end or len(self.known) < end:
            return False
        self.marks[start:end] = self.known[start:end]
        self.blocks[at : at + ROW_MARK] = key
        return True

    def keep_block(self, block: int, key: bytes | None) -> None:
        """Every row of the block was found showing what it should: its key is kept."""
        if key is not None:
            self.blocks[block * ROW_MARK : (block + 1) * ROW_MARK] = key

    def _usable(self, decided: tuple[bytes, str, str]) -> bool:
        # A blank row has no digest and no status; a row with a status but no digest
        # (none is made without) is never marked.
        return self.kept and bool(decided[0] or decided[1] == "")

    def unchanged(
        self, number: int, decided: tuple[bytes, str, str], columns: Sequence[int]
    ) -> bool:
        """Whether the row's worker cells (`columns`) read as when last found right."""
        at = (number - self.first) * ROW_MARK
        known = self.known[at : at + ROW_MARK]
        if not self._usable(decided) or not known.strip(b"\0"):  # none: nothing to compare
            return False
        mark = self._mark(number, decided, columns)
        if known != mark and (
            self.read is None or known != self._cells_mark(number, decided, columns)
        ):
            return False  # (a row just written is marked by its cells: `expect`)
        self.marks[at : at + ROW_MARK] = mark
        return True

    def _mark(self, number: int, decided: tuple[bytes, str, str], columns: Sequence[int]) -> bytes:
        """The row's mark: by its bytes as read when known, else by its worker cells."""
        if self.read is None:
            return self._cells_mark(number, decided, columns)
        at = (number - 1) * DIGEST_SIZE
        return _read_mark(decided, self.read[at : at + DIGEST_SIZE])

    def _cells_mark(
        self, number: int, decided: tuple[bytes, str, str], columns: Sequence[int]
    ) -> bytes:
        # A row not decoded (of the verify read after a first run's write): the cells noted
        # when it was read for its inputs' digest (`evaluate._input_digests`).
        cells = row_cells(self.grid, number - 1, columns)
        return row_digest((*decided, cells_as_read(cells, range(len(cells)))))

    def shows(self, number: int, decided: tuple[bytes, str, str], columns: Sequence[int]) -> None:
        """The row shows what it should: the mark of its read (`columns`) is kept."""
        if self._usable(decided):
            at = (number - self.first) * ROW_MARK
            self.marks[at : at + ROW_MARK] = self._mark(number, decided, columns)

    def expect(
        self,
        number: int,
        decided: tuple[bytes, str, str],
        read: tuple[object, ...],
        digest: bytes | None = None,
    ) -> None:
        """
        The row is written: it will show what it should once its worker cells read as `read`;
        with `digest` (of a row read as bytes: `_BlockRows.read_after`), once its bytes are
        those whose digest it is: the verify read knows it without decoding it.
        """
        if self._usable(decided):
            at = (number - self.first) * ROW_MARK
            self.marks[at : at + ROW_MARK] = (
                row_digest((*decided, read)) if digest is None else _read_mark(decided, digest)
            )


def _read_mark(decided: tuple[bytes, str, str], digest: bytes) -> bytes:
    """A row's mark by the digest of its bytes as read (`_Marks._mark`)."""
    return hashlib.blake2b(
        marshal.dumps(decided, 2) + digest, digest_size=16, person=b"read"
    ).digest()


class PaddedTab(NamedTuple):
    """What a row padding needs of a regional tab: not its grid (`RowPadding`)."""

    title: str
    region: str
    worker_columns: Mapping[str, int]


@dataclass(frozen=True)
class RowPadding:
    """
    The padding of the regional rows with changes: their other worker cells, rewritten with
    the value they already hold so that a positional write stays rectangular.

    Only a write that sends some regional worker column by position (columns the same batch
    inserts) uses it, so it is built then (`cells`), not with every plan: a first run's rows
    have about 100,000 such cells, which a write through the column anchors never sends.
    A row's padding is its worker cells the plan's changes leave out, with the values wanted
    (those are what they show): known without the rows read, so the plan holds no grid into
    its write (a first run's ~25 MiB of decoded rows go before the write, not after).
    """

    tabs: tuple[PaddedTab, ...] = ()
    evaluation: Evaluation | None = None

    @classmethod
    def of(cls, tabs: Iterable[RegionTab], evaluation: Evaluation) -> RowPadding:
        """The padding of these tabs' rows with results (their titles, regions, columns)."""
        return cls(
            tuple(PaddedTab(t.title, t.region, dict(t.worker_columns)) for t in tabs), evaluation
        )

    @property
    def columns(self) -> frozenset[tuple[str, int]]:
        """(tab, column) of every regional worker cell: where this padding may fall."""
        return frozenset((t.title, c) for t in self.tabs for c in t.worker_columns.values())

    def around(
        self, padding: Iterable[CellChange], changes: Iterable[CellChange]
    ) -> list[CellChange]:
        """
        The plan's `padding` with this padding's cells, in the order one list of both would
        have: tab by tab, each regional tab's rows before the blank rows it clears.
        """
        rank = {tab.title: number for number, tab in enumerate(self.tabs)}
        return sorted(
            [*self.cells(changes), *padding], key=lambda cell: rank.get(cell.tab, len(rank))
        )

    def cells(self, changes: Iterable[CellChange]) -> list[CellChange]:
        """The padding of the rows of `changes` (the plan's changes) that have results."""
        changed: dict[str, dict[int, set[int]]] = {}
        for title, row_number, col, _ in cells_of(changes):
            changed.setdefault(title, {}).setdefault(row_number, set()).add(col)
        padding: list[CellChange] = []
        if self.evaluation is None:
            return padding
        for tab in self.tabs:
            rows = changed.get(tab.title)
            if not rows:
                continue
            block, columns, in_order = block_order(tab.worker_columns)
            for row in self.evaluation.rows_of(tab.region):
                cols = rows.get(row.row)
                if cols is None:
                    continue
                wanted = in_order(block.values(row))
                padding += [
                    CellChange(tab.title, row.row, col, value)
                    for col, value in zip(columns, wanted, strict=True)
                    if col not in cols
                ]
        return padding


def needs_metadata(settings: SyncSettings, snapshot: Snapshot) -> bool:
    """
    Whether the loop must read the metadata before this snapshot can be planned.

    Only when the read alone shows the set-up missing, stale or for other tabs: the set-up
    needs tab ids and sizes, and the block may be there with its label gone, which only its
    anchors (in the metadata) show, so that no second block is added.
    """
    if snapshot.info is not None:
        return False
    mapped = map_tabs(settings, snapshot)
    return needs_setup(snapshot, mapped.tabs, mapped.missing_worker, mapped.layouts_key)


def _setup_due(settings: SyncSettings, snapshot: Snapshot, mapped: MappedTabs) -> bool:
    """Step 2: whether this round sets up; with metadata, also when an anchor is gone or off."""
    if needs_setup(snapshot, mapped.tabs, mapped.missing_worker, mapped.layouts_key):
        return True
    info = snapshot.info
    if info is None:
        return False
    # Metadata was read (a write failed): a column anchor may be gone or point elsewhere.
    layouts = tab_layouts(info, settings, mapped.tabs, mapped.missing_worker)
    anchoring = setup_mod.anchor_requests(layouts, info.named_ranges)
    return bool(anchoring) or bool(
        setup_mod.anchors_to_confirm(layouts, info.named_ranges, anchoring)
    )


def _evaluate(
    settings: SyncSettings,
    snapshot: Snapshot,
    mapped: MappedTabs,
    now: datetime,
    cache: RowCache | None,
) -> tuple[Evaluation, kpi.Summary]:
    """Step 3: check and compute every row, then aggregate the KPIs per region."""
    options_grid = snapshot.grids.get(snapshot.options_title, [])
    evaluation = evaluate(
        mapped.tabs,
        options=options_from_grid(options_grid),
        fiscal_year=settings.fiscal_year,
        as_of=now.date(),
        cache=cache.for_options(options_grid) if cache is not None else None,
        digests=snapshot.tab_digests,
    )
    skipped = {n.region: n.reason() for n in mapped.notices if n.skipped}

    def summarise() -> kpi.Summary:
        return kpi.summary_of(
            _tallies(settings, mapped, evaluation, now.date(), cache),
            regions=list(settings.regions),
            profile=settings.profile,
            skipped=skipped,
        )

    if cache is None:
        return evaluation, summarise()
    # The verify round (and a run after edits outside the form) has the very rows of the
    # round before: the same summary.
    key = (evaluation.fingerprint, settings.regions, settings.profile, tuple(skipped.items()))
    return evaluation, cache.built_from("summary", key, summarise)


TALLY_ROWS = 64
"""Sheet rows of a tab tallied together for the summary (`kpi.Tally`). A run after 10 edits in
7 x 2,000 rows makes 10 blocks' outcomes and merges all the tallies: blocks of 256 rows took
~60-100 ms to tally and ~18 to merge, of 64 ~21 and ~21, of 32 ~16 and ~26."""


def _tallies(
    settings: SyncSettings,
    mapped: MappedTabs,
    evaluation: Evaluation,
    as_of: date,
    cache: RowCache | None,
) -> list[kpi.Tally]:
    """
    Step 3b: the summary's tallies of the rows, a block of `TALLY_ROWS` sheet rows of a tab
    at a time, in row order. With a cache, a block whose rows' outcomes are decided from the
    same things as at the last summary (each row's place, input digest and final status; the
    tab's columns, the year, the day, the profile's economic-value parts) keeps its tally: a
    run after a few edits builds the outcomes of their blocks only.
    """
    profile = settings.profile
    contexts = {
        tab.region: marshal.dumps(
            (
                tab.region,
                settings.fiscal_year,
                as_of.isoformat(),
                tuple(tab.headers.columns),
                tuple(profile.economic_value_parts),
            ),
            2,
        )
        for tab in mapped.tabs
    }
    known = cache.tallies if cache is not None else {}
    kept: dict[bytes, kpi.Tally] = {}
    tallies: list[kpi.Tally] = []
    blocks = itertools.groupby(evaluation.rows, key=lambda r: (r.region, r.row // TALLY_ROWS))
    for (region, _), grouped in blocks:
        rows = list(grouped)
        key = None
        if cache is not None and region in contexts and all(r.digest for r in rows):
            decided = marshal.dumps([(r.row, r.digest, r.status) for r in rows], 2)
            key = hashlib.blake2b(contexts[region] + decided, digest_size=16).digest()
        tally = known.get(key) if key is not None else None
        if tally is None:
            tally = kpi.Tally(region, [r.outcome() for r in rows], profile)
        if key is not None:
            kept[key] = tally
        tallies.append(tally)
    if cache is not None:
        cache.tallies = kept
    return tallies


def _known_sheet_ids(snapshot: Snapshot) -> dict[str, int]:
    """Sheet ids: from the metadata read when there was one, else from the worker's record."""
    if snapshot.info is not None:
        return {s.title: s.sheet_id for s in snapshot.info.sheets}
    assert snapshot.meta is not None
    return dict(snapshot.meta.sheet_ids)


def _summary_grid(
    settings: SyncSettings,
    snapshot: Snapshot,
    mapped: MappedTabs,
    evaluation: Evaluation,
    summary: kpi.Summary,
    stamp: str,
    sheet_ids: Mapping[str, int],
    meta_json: str,
) -> list[list[CellValue]]:
    """Step 4: the summary tab, its problem counts linked to the cells they are about."""
    column_of = {t.region: t.headers.columns for t in mapped.tabs}
    headers_by_key = {column_key(x): x for t in mapped.tabs for x in t.headers.columns}
    headers_by_key.update({column_key(x): x for x in h.KPI_HEADERS})

    messages: dict[str, str] = {}
    for evaluated in evaluation.rows:
        for finding in evaluated.findings:
            messages.setdefault(finding_token(finding), finding.message)

    def header_of(token: str) -> str:
        return headers_by_key.get(token.rsplit("/", 1)[-1], token.rsplit("/", 1)[-1])

    def link(region: str, row: int, token: str, label: str) -> CellValue:
        title = snapshot.regions.get(region, region)
        col = column_of.get(region, {}).get(header_of(token), 0)
        gid = sheet_ids.get(title)
        return hyperlink(gid, f"{column_letter(col)}{row}", label) if gid is not None else label

    return build_summary(
        summary,
        SummaryInputs(
            title=_spreadsheet_title(snapshot),
            profile_name=settings.profile.name,
            fiscal_year=settings.fiscal_year,
            updated_at=stamp,
            meta_json=meta_json,
        ),
        link=link,
        column_label=header_of,
        message=lambda token: messages.get(token, ""),
        notices=mapped.notices,
        regions=settings.regions,
        previous=snapshot.grids.get(snapshot.summary_title, []) if snapshot.summary_title else [],
    )


def _compiled_rows(evaluation: Evaluation) -> list[RowEvaluation]:
    """The rows the compiled list lists: every counted participant, in tab-then-row order."""
    return [
        row
        for row in evaluation.rows
        if row.status in (h.STATUS_PASS, h.STATUS_WARN) and not row.check.cancelled
    ]


class _Lines(OnDemand[list[CellValue]]):
    """
    The compiled list wanted (step 4b: every counted participant), each line built when first
    used: a run whose edits change who is listed compares the list, and so builds, only the
    lines no row read is known to show already (`_compiled_moves`). With nothing known of the
    rows read (`whole`: a first run), every line is built the first time one is used, in one
    pass: built one by one as the diff goes, they would sit among its cell changes, holding
    the allocator's pages those free after the write into the verify round.
    """

    __slots__ = ("_built", "_rows", "_whole")

    def __init__(self, rows: Sequence[RowEvaluation], *, whole: bool = False) -> None:
        self._rows = rows
        self._whole = whole
        self._built: list[list[CellValue] | None] = [list(COMPILED_HEADERS)]
        self._built += [None] * len(rows)

    def __len__(self) -> int:
        return len(self._built)

    def built(self) -> Iterator[tuple[int, list[CellValue]]]:
        """The lines built so far (those the round compared or wrote), by index."""
        return ((i, line) for i, line in enumerate(self._built) if i and line is not None)

    def _item(self, index: int) -> list[CellValue]:
        if self._whole and index:
            self._whole = False
            self._built[1:] = [_line(row) for row in self._rows]
        line = self._built[index]
        if line is None:
            line = self._built[index] = _line(self._rows[index - 1])
        return line


def _line(row: RowEvaluation) -> list[CellValue]:
    check = row.check
    return compiled_line(
        row.region, row.row, row.cells, check.national_id, check.tax_id, row.status
    )


def _compiled_grid(evaluation: Evaluation, *, whole: bool = True) -> Sequence[list[CellValue]]:
    """Step 4b: the compiled list of every counted participant (built when compared)."""
    return _Lines(_compiled_rows(evaluation), whole=whole)


def _record(
    snapshot: Snapshot,
    mapped: MappedTabs,
    sheet_ids: Mapping[str, int],
    grid_sizes: dict[str, tuple[int, int]],
    summary_title: str,
    compiled_title: str,
) -> SheetMeta:
    """Step 6: the worker's record of this round, kept in the summary's last row."""
    tabs = mapped.tabs
    return SheetMeta(
        sheet_ids={
            t: sheet_ids[t]
            for t in (*[x.title for x in tabs], summary_title, compiled_title)
            if t in sheet_ids
        },
        regions=dict(snapshot.regions),
        grid=grid_sizes,
        setup=mapped.layouts_key,
        stray={
            t.title: stray
            for t in tabs
            if (
                stray := {
                    x: c for x, c in t.worker_columns.items() if c not in main_run(t.worker_columns)
                }
            )
        },
    )


def _cell_changes(
    settings: SyncSettings,
    snapshot: Snapshot,
    mapped: MappedTabs,
    evaluation: Evaluation,
    stamp: str,
    worker_tabs: tuple[
        tuple[str, list[list[CellValue]]], tuple[str, Callable[[], Sequence[list[CellValue]]]]
    ],
    setup_requests: Sequence[Mapping[str, Any]],
    cache: RowCache | None = None,
    moves: ListMoves | None = None,
    as_of: date | None = None,
    compiled_key: object = None,
) -> tuple[CellChanges, list[CellChange]]:
    """
    Step 7: every cell whose value differs, and the padding of positional writes. `as_of`
    is the day the rows were checked on (what a row's results depend on besides its cells);
    `compiled_key` what the compiled list's diff depends on: the tab's read digest and the
    digest of the list wanted (`_compiled_digest`); `worker_tabs` the summary wanted and how
    to build the compiled list wanted (only if it is compared).
    """
    changes = CellChanges()
    padding: list[CellChange] = []

    def unless_clean(
        title: str,
        key: object,
        diff: Callable[[], tuple[Sequence[CellChange], list[CellChange]]],
        *,
        remember: bool = True,
    ) -> None:
        # A tab read exactly as when its diff last found nothing, wanted exactly as then,
        # still needs nothing: it is not compared again, cell by cell or row by row.
        memo = cache.clean if cache is not None and snapshot.tab_digests.get(title) else None
        if memo is not None and memo.get(title) == key:
            return
        found, filler = diff()
        changes.extend(found)
        padding.extend(filler)
        if memo is not None and remember and not found:
            memo[title] = key

    for tab in mapped.tabs:
        reads: dict[int, bytes] = {}
        unless_clean(
            tab.title,
            (
                snapshot.tab_digests.get(tab.title),
                evaluation.fingerprints.get(tab.region),
                tuple(tab.worker_columns.items()),
                tab.first_data_row,
            ),
            partial(
                _row_changes,
                tab,
                evaluation,
                stamp,
                cache.marks if cache is not None else None,
                (
                    tab.region,
                    tuple(tab.headers.columns.items()),
                    tuple(tab.worker_columns.items()),
                    tab.first_data_row,
                    settings.fiscal_year,
                    as_of,
                ),
                reads,
            ),
        )
        if cache is not None and reads:
            expect_reads(cache.inputs, tab, reads)
    (summary_title, final_summary), (compiled_title, compiled_grid) = worker_tabs
    skip = {TIMESTAMP_CELL, SYNC_NOW_CELL}
    summary_current = snapshot.grids.get(summary_title, []) if snapshot.summary_title else []
    unless_clean(
        summary_title,
        (
            snapshot.tab_digests.get(summary_title),
            msgspec.json.encode(final_summary, enc_hook=repr),
        ),
        partial(diff_grid, summary_title, summary_current, final_summary, skip),
    )
    compiled_current = snapshot.grids.get(compiled_title, []) if snapshot.compiled_title else []
    moved = moves is not None and bool(moves.requests)
    unless_clean(
        compiled_title,
        compiled_key,
        lambda: diff_grid(
            compiled_title,
            moves.shifted if moves is not None and moved else compiled_current,
            compiled_grid(),
            alike=moves.alike if moves is not None else frozenset(),
        ),
        remember=not moved,  # compared with the list as its moves leave it, not as read
    )
    label_row = settings.header_row - 1
    for tab in mapped.tabs if label_row >= 1 else ():
        if len(mapped.missing_worker.get(tab.title, ())) == len(tab.worker_columns):
            continue  # a whole new block: the set-up writes its label with its columns
        col = main_run(tab.worker_columns)[0]
        if cell_at(tab.grid, label_row, col) != h.WORKER_SECTION_LABEL:
            # Cleared or retyped: put it back (through the column's anchor), so the next
            # run finds the block from its one read again.
            changes.append(CellChange(tab.title, label_row, col, h.WORKER_SECTION_LABEL))

    # The on-demand checkbox: a ticked box is answered by this run, so it is unticked.
    if cell_at(summary_current, *SYNC_NOW_CELL) is not False:
        changes.append(CellChange(summary_title, SYNC_NOW_CELL[0], SYNC_NOW_CELL[1], False))
    if changes or setup_requests:
        changes.append(CellChange(summary_title, TIMESTAMP_CELL[0], TIMESTAMP_CELL[1], stamp))
    return changes, padding


def _line_of(r: RowEvaluation) -> tuple[Any, ...]:
    """What a listed row's line is made of: its place, the digest of its kept cells (those the
    line copies), its IDs and status. Equal, the lines are equal."""
    return (r.region, r.row, r.cells.digest, r.check.national_id, r.check.tax_id, r.status)


def _compiled_digest(evaluation: Evaluation) -> tuple[bytes, LineKeys]:
    """
    A digest of the compiled list wanted, and each listed row's line key: with the tab as
    read, what its diff depends on. Made of what each listed row's line is made of
    (`_line_of`), so the list is not built to be known: edits that change figures but no
    listed cell (a new sales figure) leave it as it was, and a run after them neither builds
    the list (nor decodes the rows it copies) nor compares it again. When it is compared, a
    line is known by its key (`_compiled_moves`), made then (`LineKeys`): the digest is of
    every line's parts marshalled at once, not of a key hashed per line.
    """
    rows = _compiled_rows(evaluation)
    lines = marshal.dumps([_line_of(r) for r in rows], 2)
    digest = hashlib.blake2b(lines, digest_size=16, person=b"compiled").digest()
    return digest, LineKeys(rows)


class LineKeys(OnDemand[bytes]):
    """
    Each listed row's line key (a digest of `_line_of`), made for all rows when the first is
    used: only a run whose edits change who is listed compares the list by them.
    """

    __slots__ = ("_keys", "_rows")

    def __init__(self, rows: Sequence[RowEvaluation]) -> None:
        self._rows = rows
        self._keys: Digests | None = None

    def keys(self) -> Digests:
        """Every key, joined (`sheet.Digests`)."""
        if self._keys is None:
            joined = bytearray()  # (not a list of 12,000 small digests, made and dropped)
            for r in self._rows:
                joined += hashlib.blake2b(
                    marshal.dumps(_line_of(r), 2), digest_size=16, person=b"line"
                ).digest()
            self._keys = Digests(bytes(joined))
        return self._keys

    def __len__(self) -> int:
        return len(self._rows)

    def _item(self, index: int) -> bytes:
        return self.keys()[index]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.keys())


LINES_CONTEXT = ("compiled lines", 1, *COMPILED_HEADERS)
"""What the lines a row of the compiled list is known to show (`ListedLines`) hold for: the
list's columns, and the version of how a line is made of its key's parts (`compiled_line`)."""


def _compiled_moves(
    snapshot: Snapshot,
    title: str,
    wanted: Callable[[], Sequence[list[CellValue]]],
    keys: Sequence[bytes] | None,
    sheet_ids: Mapping[str, int],
    cache: RowCache | None,
    key: object,
) -> ListMoves:
    """
    Step 5b: rows to cut from or open in the compiled list, so that a participant who stops
    (or starts) being counted shifts the rows below instead of having them all rewritten.

    With a cache, a row read byte for byte as a row found showing a line (the last time the
    list was compared: `RowCache.lines`) is known to show it, and a wanted line by its key
    (`_compiled_digest`): the list is compared by those, decoding the rows and building the lines
    of the others only (the rows people's edits moved into or out of the list, or changed).
    """
    current = snapshot.grids.get(title, []) if snapshot.compiled_title else []
    clean = cache is not None and cache.clean.get(title) == key
    if clean or title not in sheet_ids or len(current) < 2:  # (clean: never split)
        return ListMoves([], current, 0)
    grid = wanted()
    shows = _shows(cache.lines) if cache is not None else None
    moves = list_moves(
        sheet_ids[title], current, grid, first_row=2, width=len(grid[0]), keys=keys, shows=shows
    )
    if cache is not None and moves.shows is not None:
        cache.lines = (
            LINES_CONTEXT,
            b"".join(moves.shows.keys()),
            b"".join(moves.shows.values()),
        )
    return moves


def _expect_lines(cache: RowCache, fingerprint: bytes, keys: LineKeys) -> None:
    """
    Step 5c: the rows of the compiled list known, before they are read, to show the lines
    this round built (`RowCache.lines`): a row read with the bytes of a line as the API sends
    it (`sheet.expected_digest`) shows that line. The verify read after a write of the list
    (a first run's: every line) then knows its rows by their bytes, and neither decodes them
    nor builds their lines' keys of content to compare them (~0.1 s of 12,000 lines); a row
    that reads otherwise is decoded and compared as before. Only the lines built are (all of
    a first run's; after edits, those compared or written): the others are built for none.
    """
    built = cache.built.get("compiled")
    if built is None or built[0] != fingerprint or not isinstance(built[1], _Lines):
        return  # the list was not built this round (known, or clean): nothing new to expect
    width = len(COMPILED_HEADERS)
    # The rows known to show a line before stay so (the list compared in this round left
    # only those: `_compiled_moves`); the lines expected go after them (a digest both have
    # is taken as the later says). Joined as they are made: a dict of 12,000 digests, made
    # and dropped here, left ~3 MiB of the allocator's pages pinned into the verify round.
    last = cache.lines
    known = last[1:] if last is not None and last[0] == LINES_CONTEXT else (b"", b"")
    reads, shown = bytearray(known[0]), bytearray(known[1])
    # Each key sliced out of the keys joined, not through two sequences' look-ups a line.
    joined = keys.keys().data
    for index, line in built[1].built():  # (a run after edits: the few lines it wrote)
        reads += expected_digest(line[:width])
        at = (index - 1) * DIGEST_SIZE
        shown += joined[at : at + DIGEST_SIZE]
    cache.lines = (LINES_CONTEXT, bytes(reads), bytes(shown))


def _shows(lines: ListedLines | None) -> dict[bytes, bytes]:
    """`ListedLines` as `list_moves` takes them: a row's digest -> the key of its line."""
    if lines is None or lines[0] != LINES_CONTEXT:
        return {}
    _, reads, keys = lines
    return dict(zip(Digests(reads), Digests(keys), strict=True))


def _guards(snapshot: Snapshot, titles: Iterable[str]) -> list[dict[str, Any]]:
    """
    Step 8: planned from the record (no metadata read), every id the write uses must still be
    the tab of that title, or the first write fails whole and the run looks at the metadata.
    """
    if snapshot.info is not None:
        return []
    meta_ids = dict(snapshot.meta.sheet_ids) if snapshot.meta is not None else {}
    return [
        setup_mod.title_guard(meta_ids[title], title)
        for title in dict.fromkeys(titles)
        if title in meta_ids
    ]


def plan_round(
    settings: SyncSettings,
    snapshot: Snapshot,
    now: datetime,
    cache: RowCache | None = None,
) -> Plan:
    """
    Decide every cell of one round from one snapshot; pure.

    When `needs_metadata` says so, the snapshot must carry the metadata read (`info`).
    """
    mapped = map_tabs(settings, snapshot)
    setup_due = _setup_due(settings, snapshot, mapped)
    evaluation, summary = _evaluate(settings, snapshot, mapped, now, cache)
    stamp = thai_timestamp(now)
    info = snapshot.info
    sheet_ids = _known_sheet_ids(snapshot)
    summary_title = snapshot.summary_title or settings.summary_tab
    compiled_title = snapshot.compiled_title or settings.compiled_tab

    def summary_grid(ids: Mapping[str, int], meta_json: str) -> list[list[CellValue]]:
        return _summary_grid(settings, snapshot, mapped, evaluation, summary, stamp, ids, meta_json)

    if cache is None:
        built = _compiled_grid(evaluation)
        compiled_key: object = None
        listed = len(built) - 1
        line_keys: LineKeys | None = None

        def compiled_grid() -> Sequence[list[CellValue]]:
            return built

    else:
        content, line_keys = cache.built_from(
            "compiled digest", evaluation.fingerprint, partial(_compiled_digest, evaluation)
        )
        listed = len(line_keys)
        # What the list's diff depends on; only a cache remembers clean lists by it.
        compiled_key = (snapshot.tab_digests.get(compiled_title), content)
        compiled_grid = partial(
            cache.built_from,
            "compiled",
            evaluation.fingerprint,
            partial(_compiled_grid, evaluation, whole=cache.lines is None),
        )
    draft = summary_grid(sheet_ids, "")
    summary_size = (len(draft) + 50, max(24, 1 + max(len(row) for row in draft)))
    compiled_size = (1 + listed + 200, len(COMPILED_HEADERS))
    # Step 5: the set-up, or only the growth of the worker's tabs.
    setup_requests: list[dict[str, Any]] = []
    together: tuple[tuple[int, int], ...] = ()
    confirm: dict[str, str] = {}
    if setup_due:
        assert info is not None, "needs_metadata: read the metadata before planning"
        setup_requests, together, sheet_ids, grid_sizes, confirm = set_up(
            info,
            settings,
            mapped.tabs,
            mapped.missing_worker,
            summary_title,
            compiled_title,
            summary_size,
            compiled_size,
            name_tag=int(now.timestamp()),
            taken=snapshot.taken_anchors,
        )
    else:
        assert snapshot.meta is not None
        setup_requests, grid_sizes = grow_worker_tabs(
            info,
            snapshot.meta,
            sheet_ids,
            ((summary_title, summary_size), (compiled_title, compiled_size)),
        )
    moves = _compiled_moves(
        snapshot, compiled_title, compiled_grid, line_keys, sheet_ids, cache, compiled_key
    )
    if moves.inserted and compiled_title in grid_sizes:
        rows, columns = grid_sizes[compiled_title]
        grid_sizes = {**grid_sizes, compiled_title: (rows + moves.inserted, columns)}
    new_meta = _record(snapshot, mapped, sheet_ids, grid_sizes, summary_title, compiled_title)
    final_summary = summary_grid(sheet_ids, new_meta.to_json())
    changes, padding = _cell_changes(
        settings,
        snapshot,
        mapped,
        evaluation,
        stamp,
        ((summary_title, final_summary), (compiled_title, compiled_grid)),
        setup_requests,
        cache,
        moves,
        now.date(),
        compiled_key,
    )
    if (
        cache is not None
        and line_keys is not None
        and (moves.requests or changes.touches(compiled_title))
    ):  # (a round that writes nothing to the list keeps its rows as the comparison found them)
        _expect_lines(cache, evaluation.fingerprint, line_keys)
    tabs = mapped.tabs
    in_use = setup_mod.names_in_use(info.named_ranges if info is not None else (), setup_requests)
    return Plan(
        changes=changes,
        padding=padding,
        row_padding=RowPadding.of(mapped.tabs, evaluation),
        guards=_guards(snapshot, [*(t.title for t in tabs), summary_title, compiled_title]),
        anchors={
            (t.title, col): in_use.get(base, base)
            for t in tabs
            if t.title in sheet_ids
            for header, col in t.worker_columns.items()
            for base in (setup_mod.anchor_name(sheet_ids[t.title], header),)
        },
        confirm_anchors=confirm,
        setup_together=together,
        fresh_columns=frozenset(
            (t.title, t.worker_columns[x])
            for t in tabs
            for x in mapped.missing_worker.get(t.title, ())
            if setup_requests
        ),
        anchor_ids=anchor_ids(info.named_ranges if info is not None else ()),
        setup_requests=setup_requests,
        evaluation=evaluation,
        summary=summary,
        layout_problems=[n.english(settings.header_row) for n in mapped.notices if n.skipped],
        layout_notes=[n.english(settings.header_row) for n in mapped.notices if not n.skipped],
        meta=new_meta,
        title=_spreadsheet_title(snapshot),
        moves=moves.requests,
    )


def _spreadsheet_title(snapshot: Snapshot) -> str:
    """The spreadsheet's title: from the metadata when read, else as the summary last showed it."""
    if snapshot.info is not None:
        return snapshot.info.title
    return _title_from(snapshot)


def _title_from(snapshot: Snapshot) -> str:
    grid = snapshot.grids.get(snapshot.summary_title or "", [])
    if len(grid) >= 2 and len(grid[1]) >= 2 and isinstance(grid[1][1], str):
        return grid[1][1]
    return ""
