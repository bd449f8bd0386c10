"""
One run over one spreadsheet: read, check, compute, write back, summarise.

The run is a small convergence loop, because people keep editing while it runs:

1. read every tab it needs in ONE values:batchGet;
2. decide every worker cell (pure: `sync.core.evaluate`, `sync.core.summary`) and diff it against
   what was read — nothing to change means the run ends here, having made one request;
3. write the changes: the worker's own tabs (and any set-up) in one atomic
   spreadsheets:batchUpdate, then the regional worker cells in one values:batchUpdate (RAW,
   so text stays text) through column anchors — named ranges that Google moves with their
   column, so a column people insert or delete meanwhile cannot shift the write into theirs.
   Tab ids planned from the worker's record (a cell people can edit) are checked by the
   first requests of that atomic batch (`setup.title_guard`): if any id is no longer the
   tab of its title, nothing is written and the run re-plans from a metadata read;
4. read again and re-plan: if rows were inserted, deleted or sorted between 1 and 3, some
   values landed beside their row; the re-plan finds exactly those cells and the loop writes
   them again. Worker cells are derived data, so a misplaced value is repaired, not lost,
   and none survives the run. People's cells are never in any write.

A steady-state run with changes therefore costs four requests (read, two writes, verify); a
run with no changes costs one. When that one read is byte for byte the read an earlier run
planned nothing from (same settings, day and code: `sync.run.settled`), the run ends before
decoding it; otherwise the rows and tabs checked by the spreadsheet's last run in this process
(`row_cache_for`) spare the unchanged ones, and a row read byte for byte as then is not even
decoded (`sync.core.sheet.ReadRows`), so a run costs about what changed.

Rows are addressed by position, not by row metadata (developer metadata): Google does not
document whether it follows a sort, and the verify read is needed anyway.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sync.backends.base import SheetsBackend
from sync.core.errors import BadRequest, WriteOutcomeUnknown
from sync.core.settings import BANGKOK, SyncSettings
from sync.core.setup import ANCHOR_PREFIX
from sync.core.tabs import Snapshot, Titles
from sync.run.counter import Counter
from sync.run.gcpause import gc_paused
from sync.run.logconfig import get_logger
from sync.run.memory import give_back_memory
from sync.run.read import (
    copy_title_hints,
    drop_title_hint,
    hint_key,
    look_at_typed_percents,
    read_snapshot,
    read_tabs,
    remember_titles,
    snapshot_of,
    title_hint,
    titles_of,
)
from sync.run.report import RegionCounts, RunReport
from sync.run.settled import (
    copy_settled,
    remember_settled,
    report_settled,
    settled_figures,
    settled_key,
)

if TYPE_CHECKING:
    from sync.core.evaluate import RowCache
    from sync.core.round import Plan


_REFUSED_NAME = re.compile(r"Cannot add named range with name: ([^,\s]+),")
"""Google's words for a named range name it keeps though no read lists it (gspread 1530)."""
_TAKEN_ANCHORS: dict[str, frozenset[str]] = {}
"""Per spreadsheet, anchor names Google refused to add: learnt once by a process (a service
keeps them), each refusal costing the round it came in."""

log = get_logger()


def bangkok_now() -> datetime:
    """The default clock: now, in the department's time zone."""
    return datetime.now(BANGKOK)


def _count(report: RunReport, plan: Plan, settings: SyncSettings) -> None:
    report.regions = {}
    for region in settings.regions:
        counts = RegionCounts()
        figures = plan.summary.regions.get(region)
        if figures is not None:
            counts.rows = figures.rows_read
            counts.passed = figures.passed
            counts.warned = figures.warned
            counts.failed = figures.failed
            counts.duplicates = figures.duplicates
            counts.cancelled = figures.cancelled
            counts.counted = figures.counted
        counts.skipped = plan.summary.skipped.get(region, "")
        report.regions[region] = counts
    report.targets = [
        {
            "name": t.name,
            "label": t.label,
            "actual": t.actual,
            "target": t.target,
            "met": t.met,
            "verdict": t.verdict,
            "note": t.note,
        }
        for t in plan.summary.targets
    ]
    report.layout_problems = list(plan.layout_problems)
    report.layout_notes = list(plan.layout_notes)
    report.title = plan.title


ROW_CACHE_LIMIT = 40_000
"""Checked rows the process keeps for later runs, over all spreadsheets (about 1.5 kB each)."""

_ROW_CACHES: dict[tuple[str, ...], RowCache] = {}
_KEPT_ELSEWHERE: dict[tuple[str, ...], Callable[[], bytes | None]] = {}
"""Per spreadsheet, how to load the rows an earlier process kept (`restore_kept_rows`)."""


def restore_kept_rows(settings: SyncSettings, load: Callable[[], bytes | None]) -> None:
    """
    Where the rows an earlier process kept for this spreadsheet are (`kept_rows_data`), unless
    this process has its own. `load` is called only by a run that plans: a run that finds the
    sheet unchanged never reads them, nor loads the rules to unpack them.
    """
    key = hint_key(settings)
    if key not in _ROW_CACHES:
        _KEPT_ELSEWHERE[key] = load


def _restored(key: tuple[str, ...]) -> RowCache | None:
    """The rows an earlier process kept, or None (none, or unusable: logged, nothing lost)."""
    from sync.core.evaluate import RowCache

    load = _KEPT_ELSEWHERE.pop(key, None)
    if load is None:
        return None
    try:
        data = load()
        return RowCache.from_kept(data) if data else None
    except Exception as exc:  # a damaged or foreign entry: this run checks every row
        log.warning("kept_rows_unusable", error=f"{type(exc).__name__}: {exc}")
        return None


def kept_rows_data(settings: SyncSettings) -> bytes | None:
    """
    The rows this process keeps for this spreadsheet as bytes, for the next process (the run
    history), packed if need be; None when no run here used them (nothing new to keep).
    """
    cache = _ROW_CACHES.get(hint_key(settings))
    if cache is None:
        return None
    try:
        return cache.kept()
    except Exception as exc:  # a value pickle refuses: the next process checks every row
        log.warning("kept_rows_not_packed", error=f"{type(exc).__name__}: {exc}")
        return None


def row_cache_for(settings: SyncSettings) -> RowCache:
    """
    The rows this process checked for this spreadsheet, for its next run (or those an earlier
    process kept); the spreadsheets run longest ago are let go once the process keeps more
    than `ROW_CACHE_LIMIT` rows.
    """
    from sync.core.evaluate import RowCache

    key = hint_key(settings)
    cache = _ROW_CACHES.pop(key, None) or _restored(key) or RowCache()
    _ROW_CACHES[key] = cache  # the newest last
    total = sum(map(len, _ROW_CACHES.values()))
    for other in list(_ROW_CACHES):
        if total <= ROW_CACHE_LIMIT or other == key:
            break
        total -= len(_ROW_CACHES.pop(other))
    return cache


def pack_kept_rows() -> int:
    """
    Pack the rows kept for later runs of every spreadsheet not running now, and give the heap
    they and the run sat on back to the system; how many caches it packed. For a process that
    runs again (the service, once a run is over): a one-shot `sheetsync run` exits instead,
    and a run that found its sheet unchanged used nothing to give back.
    """
    # (A run's own step may have packed its rows already, to keep them in the run history.)
    caches = [cache for cache in list(_ROW_CACHES.values()) if _packed(cache) or cache.unsettled]
    if caches:
        # A full collection also empties the free lists of tuples and lists that packing
        # refilled: each keeps thousands of small blocks spread over the heap.
        give_back_memory()
        for cache in caches:
            cache.settle()
        # What else the run left for the next one, copied now for the same reason.
        copy_settled()
        copy_title_hints()
        give_back_memory()
    return len(caches)


def _packed(cache: RowCache) -> bool:
    """Pack one cache; one that cannot be packed stays as it is (memory only, nothing lost)."""
    try:
        return cache.pack()
    except Exception as exc:  # a value pickle refuses: the rows stay usable unpacked
        log.warning("kept_rows_not_packed", error=f"{type(exc).__name__}: {exc}")
        return False


def forget_row_caches() -> None:
    """Drop every kept row, and the anchor names refused (tests start as a new process would)."""
    _ROW_CACHES.clear()
    _KEPT_ELSEWHERE.clear()
    _TAKEN_ANCHORS.clear()


@contextmanager
def _kept_rows(settings: SyncSettings) -> Iterator[RowCache]:
    """
    The rows kept for this spreadsheet, in use by a run from its first round to its last.
    Rows kept that cannot be read back (a pickle this Python refuses) are only a cache: they
    are dropped and the run checks every row, rather than each run failing on them.
    """
    from sync.core.evaluate import RowCache

    row_cache = row_cache_for(settings)
    try:
        row_cache.next_run()
    except Exception as exc:  # whatever unpacking them raised: nothing but time is lost
        log.warning("kept_rows_unusable", error=f"{type(exc).__name__}: {exc}")
        row_cache = _ROW_CACHES[hint_key(settings)] = RowCache()
        row_cache.next_run()
    try:
        yield row_cache
    finally:
        row_cache.end_run()


def _rounds(
    counter: Counter,
    settings: SyncSettings,
    report: RunReport,
    snapshot: Snapshot,
    clock: Callable[[], datetime],
    on_plan: Callable[[Plan], None] | None,
    pause: Callable[[int], None],
    row_cache: RowCache,
) -> Titles:
    """Plan, write and verify until a read shows nothing left to change; the titles last read."""
    # Imported here, not above: a run that finds the sheet unchanged plans nothing, and a
    # fresh `sheetsync run` process then never loads the rules, the formulas or the planner.
    from rules.row import forget_cells
    from sync.core.round import needs_metadata, plan_round
    from sync.run.write import AnchorsMoved, write_round

    lost_anchors: frozenset[str] = frozenset()
    taken = _TAKEN_ANCHORS.get(settings.spreadsheet_id, frozenset())
    for round_number in range(1, settings.max_rounds + 1):
        report.rounds = round_number
        if needs_metadata(settings, snapshot):
            snapshot = replace(snapshot, info=counter.read_info(settings.spreadsheet_id))
        if lost_anchors or taken:
            snapshot = replace(snapshot, lost_anchors=lost_anchors, taken_anchors=taken)
        now = clock()
        looked_again = look_at_typed_percents(counter, settings, snapshot, row_cache, now.date())
        plan = plan_round(settings, snapshot, now, row_cache)
        # The single cells' caches served this round's checks, a tab at a time (each tab's
        # went after it: `sync.core.evaluate`); what they learnt of which columns repeat goes
        # with the round. The rows' results are kept (`row_cache`): a verify round finds its
        # rows there.
        forget_cells()
        if on_plan is not None:
            on_plan(plan)
        _count(report, plan, settings)
        log.info(
            "planned",
            round=round_number,
            rows=len(plan.evaluation.rows),
            cells=len(plan.changes),
            setup_requests=len(plan.setup_requests),
        )
        if settings.dry_run:
            report.planned = plan.changes
            report.setup_performed = bool(plan.setup_requests)
            break
        if not plan.changes and not plan.setup_requests and not plan.moves:
            if looked_again:
                # The percentages were read after the values: the values read again show
                # whether people changed the sheet in between (a run's last read is always
                # one of the values, so nothing typed while it ran goes unseen).
                again = read_snapshot(counter, settings, titles_of(snapshot, settings), lazy=True)
                if again.digest != snapshot.digest:
                    snapshot = again
                    continue
            if snapshot.info is None:
                # Planned from the read alone: the same read on the same day plans nothing.
                remember_settled(
                    settings, settled_key(settings, snapshot.digest, now.date()), report
                )
            break
        # The grids read have served: neither the plan (its row padding is made of what its
        # rows want, not of the rows read) nor the row cache holds them into the write, so
        # they go now and the write's requests take their place (a first run's decoded rows,
        # ~25 MiB, no longer add to the write's peak and the verify read's).
        snapshot.grids.clear()
        snapshot.mapped = None  # (its tabs hold the grids too)
        row_cache.let_go_of_reads()
        try:
            write_round(counter, settings, plan)
        except (BadRequest, WriteOutcomeUnknown, AnchorsMoved) as exc:
            log.warning("write_not_confirmed", round=round_number, error=str(exc))
            if isinstance(exc, AnchorsMoved):
                lost_anchors |= frozenset(exc.lost)
            refused = _REFUSED_NAME.search(str(exc)) if isinstance(exc, BadRequest) else None
            if refused is not None and refused[1].startswith(ANCHOR_PREFIX):
                # A deleted namesake Google keeps unlisted: the next set-up names it anew.
                taken = _TAKEN_ANCHORS[settings.spreadsheet_id] = taken | {refused[1]}
            # The grid changed under the plan (a tab or rows went away), or the write may
            # or may not have landed: look again, with fresh metadata, and re-plan.
            if round_number == settings.max_rounds and isinstance(exc, AnchorsMoved):
                # People kept moving columns under every round: like rows that keep
                # moving, the next run finishes these cells.
                report.unconverged_cells = len(plan.changes)
                log.warning("unverified_cells", cells=len(plan.changes), rounds=round_number)
                break
            if round_number == settings.max_rounds:
                raise
            pause(round_number)
            snapshot = read_snapshot(
                counter, settings, info=counter.read_info(settings.spreadsheet_id), lazy=True
            )
            continue
        report.cells_written += len(plan.changes)
        report.setup_performed = report.setup_performed or bool(plan.setup_requests)
        if round_number == settings.max_rounds:
            # People kept moving rows under every round: these cells were written but
            # not read back; the next run checks and, if needed, sets them.
            report.unconverged_cells = len(plan.changes)
            log.warning("unverified_cells", cells=len(plan.changes), rounds=round_number)
            break
        # Verify: read again with the titles just used (the worker tabs exist now); metadata
        # read before the write is stale, so the fresh plan relies on the record it wrote.
        # Round 1 is let go first, and the pages it freed go back to the system: only one
        # round's grids and plan are ever in memory. This read decodes only the rows used
        # (`snapshot_of`): after a write to a few rows, those written, the others known by
        # their bytes; after a write to every row (a first run), each row is decoded once for
        # the digest of its input cells and not kept, only the cells its marks read noted
        # (`evaluate._input_digests`). The round holds the body read and ~150 bytes a row,
        # not every row decoded: decoded at once, 7 x 2,000 rows took this read to ~188 MiB,
        # the run's peak then; now ~140 (its plan's ~146, comparing the list, is the peak).
        titles = titles_of(snapshot, settings)
        del plan, snapshot
        give_back_memory(collect=False)
        snapshot = read_snapshot(counter, settings, titles, lazy=True)
    return titles_of(snapshot, settings)


def run_sync(
    backend: SheetsBackend,
    settings: SyncSettings,
    *,
    clock: Callable[[], datetime] = bangkok_now,
    run_id: str | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    report_sink: dict[str, RunReport] | None = None,
    pause: Callable[[int], None] = lambda attempt: time.sleep(min(0.5 * 2**attempt, 8.0)),
) -> RunReport:
    """Bring one spreadsheet's worker cells and summary up to date; see the module docstring."""
    counter = Counter(backend)
    report = RunReport(
        run_id=run_id or uuid.uuid4().hex[:12],
        spreadsheet_id=settings.spreadsheet_id,
        started_at=clock().isoformat(timespec="seconds"),
        dry_run=settings.dry_run,
    )
    if report_sink is not None:
        report_sink["report"] = report
    # The run builds and drops millions of acyclic lists, dicts and Decimals; the cyclic
    # collector rescanning them (and the whole heap) cost a fifth of a large first run.
    with gc_paused():
        try:
            first = read_tabs(counter, settings, title_hint(settings))
            key = (
                settled_key(settings, first.values.digest, clock().date()) if not first.info else ""
            )
            figures = settled_figures(settings, key)
            if figures is not None:
                # Byte for byte what an earlier run planned nothing from: nothing to do.
                report.rounds = 1
                report_settled(report, figures)
                log.info("unchanged", rounds=1)
                titles = first.titles
            else:
                with _kept_rows(settings) as row_cache:
                    # Rows are decoded as the round uses them: those known from this sheet's
                    # last read here only if used; of a first run, each once, for its check,
                    # and not kept (`evaluate._input_digests`).
                    titles = _rounds(
                        counter,
                        settings,
                        report,
                        snapshot_of(first, lazy=True),
                        clock,
                        on_plan,
                        pause,
                        row_cache,
                    )
            del first
            remember_titles(settings, titles)
            if report.layout_problems:
                report.outcome = "failed"
                report.error = report.layout_problems[0]
        except Exception as exc:
            drop_title_hint(settings)
            report.fail(exc)
            raise
        finally:
            counter.close()
            report.reads = counter.reads
            report.writes = counter.writes
            report.finished_at = clock().isoformat(timespec="seconds")
        return report
