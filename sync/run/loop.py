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
run with no changes costs one. Rows are addressed by position, not by row metadata (developer
metadata): Google does not document whether it follows a sort, and the verify read is needed
anyway.
"""

from __future__ import annotations

import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import kpi
import rules
from rules import headers as h
from rules.header_map import wanted_worker_headers
from sync.backends.base import (
    Grid,
    SheetInfo,
    SheetsBackend,
    SpreadsheetInfo,
    quote_title,
)
from sync.core import setup as setup_mod
from sync.core.cells import CellValue, cell_at, column_letter, hyperlink
from sync.core.diff import (
    CellChange,
    batches,
    diff_tab,
    group_blocks,
    padding_for,
    update_requests,
    value_writes,
)
from sync.core.errors import BadRequest, SheetLayoutError, WriteOutcomeUnknown
from sync.core.evaluate import (
    Evaluation,
    RegionTab,
    RowCache,
    evaluate,
    finding_token,
    options_from_grid,
    worker_values,
)
from sync.core.layout import (
    AmbiguousTitle,
    column_key,
    match_titles,
    normalise_title,
    place_worker_block,
)
from sync.core.meta import SheetMeta
from sync.core.summary import (
    META_LABEL,
    SYNC_NOW_CELL,
    TIMESTAMP_CELL,
    CompiledRow,
    SummaryInputs,
    TabNotice,
    build_compiled,
    build_summary,
    chart_request,
    grid_cells,
)
from sync.run.gcpause import gc_paused
from sync.run.logconfig import get_logger
from sync.run.report import RegionCounts, RunReport

BANGKOK = ZoneInfo("Asia/Bangkok")
log = get_logger()


def bangkok_now() -> datetime:
    """The default clock: now, in the department's time zone."""
    return datetime.now(BANGKOK)


def thai_timestamp(moment: datetime) -> str:
    """`22/11/2569 09:15:03`: day/month/Buddhist-Era year, Bangkok time."""
    local = moment.astimezone(BANGKOK)
    return f"{local:%d/%m}/{local.year + 543} {local:%H:%M:%S}"


@dataclass(frozen=True)
class SyncSettings:
    """What one run needs to know about one spreadsheet."""

    spreadsheet_id: str
    regions: tuple[str, ...] = h.DEFAULT_REGION_TABS
    fiscal_year: int = 2567
    profile: kpi.TargetProfile = field(default_factory=lambda: kpi.PROFILES["manual-2567"])
    options_tab: str = h.OPTIONS_TAB
    summary_tab: str = h.SUMMARY_TAB
    compiled_tab: str = h.COMPILED_TAB
    header_row: int = 3
    """Row of the column headers; the row above it holds the section labels (domain spec §3)."""
    first_data_row: int = 4
    dry_run: bool = False
    max_write_bytes: int = 2_000_000
    """Split writes into calls of about this much JSON (Google recommends at most 2 MB)."""
    max_rounds: int = 4
    """Write/verify rounds before giving up on rows people keep moving (next run finishes)."""


@dataclass
class Snapshot:
    """What one read returned, with the titles it used."""

    grids: dict[str, Grid]
    regions: dict[str, str]
    """Configured region name -> actual title."""
    options_title: str
    summary_title: str | None
    compiled_title: str | None
    info: SpreadsheetInfo | None
    meta: SheetMeta | None


@dataclass
class Plan:
    """Everything one round decided."""

    changes: list[CellChange]
    """Exactly the cells whose value differs (what the report counts)."""
    padding: list[CellChange]
    """Unchanged worker cells of changed rows, rewritten so positional writes stay rectangular."""
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


class AnchorsMoved(Exception):
    """Anchors read back off their columns: nothing was written through them; look again."""


class Counter:
    """Counts the requests a run makes (each backend call is one API request)."""

    def __init__(self, backend: SheetsBackend) -> None:
        self.backend = backend
        self.reads = 0
        self.writes = 0

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        self.reads += 1
        return self.backend.read_ranges(spreadsheet_id, ranges)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        self.reads += 1
        return self.backend.read_info(spreadsheet_id)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]
    ) -> list[Mapping[str, Any]]:
        self.writes += 1
        return self.backend.batch_update(spreadsheet_id, requests)

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        self.writes += 1
        return self.backend.write_values(spreadsheet_id, data, input_option=input_option)


def _find_meta(grid: Grid | None) -> SheetMeta | None:
    for row in grid or []:
        if row and row[0] == META_LABEL and len(row) > 1:
            return SheetMeta.from_json(row[1])
    return None


@dataclass(frozen=True)
class Titles:
    """The actual tab titles a run reads: regions by configured name, and the other tabs."""

    regions: Mapping[str, str]
    options: str
    summary: str | None
    compiled: str | None

    def all(self) -> list[str]:
        """Every title to read, in request order."""
        extra = [t for t in (self.summary, self.compiled) if t is not None]
        return [*self.regions.values(), self.options, *extra]


_TITLE_HINTS: dict[tuple[str, ...], Titles] = {}
"""
Per spreadsheet (and configured names): the titles the last run in this process read, kept
only when they differ from the configured names (`ศก.1` typed with a no-break space).

The next run's first read asks for those, so an unchanged sheet stays one request in the
service; without this every such run pays a failed read and a metadata read first. A hint
only: a title that is gone makes that read fail and the run resolves the tabs from the
metadata, exactly as without it.
"""


def _hint_key(settings: SyncSettings) -> tuple[str, ...]:
    return (
        settings.spreadsheet_id,
        *settings.regions,
        settings.options_tab,
        settings.summary_tab,
        settings.compiled_tab,
    )


def _remember_titles(settings: SyncSettings, snapshot: Snapshot) -> None:
    titles = Titles(
        regions=dict(snapshot.regions),
        options=snapshot.options_title,
        summary=snapshot.summary_title or settings.summary_tab,
        compiled=snapshot.compiled_title or settings.compiled_tab,
    )
    configured = Titles(
        regions={r: r for r in settings.regions},
        options=settings.options_tab,
        summary=settings.summary_tab,
        compiled=settings.compiled_tab,
    )
    if titles == configured:
        _TITLE_HINTS.pop(_hint_key(settings), None)
    else:
        _TITLE_HINTS[_hint_key(settings)] = titles


def forget_title_hints() -> None:
    """Drop every remembered title (tests start without another run's hints)."""
    _TITLE_HINTS.clear()


def read_snapshot(
    backend: Counter,
    settings: SyncSettings,
    titles: Titles | None = None,
    info: SpreadsheetInfo | None = None,
) -> Snapshot:
    """One batchGet of every needed tab; a metadata read only when a title does not resolve."""
    if info is not None:
        titles = _resolve(info, settings)
    elif titles is None:
        titles = Titles(
            regions={r: r for r in settings.regions},
            options=settings.options_tab,
            summary=settings.summary_tab,
            compiled=settings.compiled_tab,
        )
    wanted = titles.all()
    try:
        grids = backend.read_ranges(settings.spreadsheet_id, [quote_title(t) for t in wanted])
    except BadRequest:
        if info is not None:
            raise
        return read_snapshot(backend, settings, info=backend.read_info(settings.spreadsheet_id))
    by_title = dict(zip(wanted, grids, strict=True))
    return Snapshot(
        grids=by_title,
        regions=dict(titles.regions),
        options_title=titles.options,
        summary_title=titles.summary,
        compiled_title=titles.compiled,
        info=info,
        meta=_find_meta(by_title.get(titles.summary)) if titles.summary else None,
    )


def _resolve(info: SpreadsheetInfo, settings: SyncSettings) -> Titles:
    actual = [s.title for s in info.sheets]
    wanted = [*settings.regions, settings.options_tab, settings.summary_tab, settings.compiled_tab]
    try:
        found = match_titles(wanted, actual)
    except AmbiguousTitle as exc:
        raise SheetLayoutError(f"Spreadsheet {info.title!r}: {exc}") from None
    missing = [name for name in (*settings.regions, settings.options_tab) if found[name] is None]
    if missing:
        raise SheetLayoutError(
            f"Spreadsheet {info.title!r} has no tab named {', '.join(repr(m) for m in missing)} "
            f"(its tabs: {', '.join(actual)}) — rename the tab or fix the region list in the "
            "configuration."
        )
    return Titles(
        regions={r: found[r] or r for r in settings.regions},
        options=found[settings.options_tab] or settings.options_tab,
        summary=found[settings.summary_tab],
        compiled=found[settings.compiled_tab],
    )


def _anchored_columns(
    info: SpreadsheetInfo | None, title: str, header: Sequence[Any]
) -> dict[str, int]:
    """
    Worker columns found by their anchors: header -> column, as the metadata read places them.

    The section label above the block is people-editable text; an anchor (a named range)
    moves with its column wherever people drag it, and is taken only where it lies in this
    very tab (by id) and tops its own header, so a cleared label, a deleted first column or a
    worker column dragged among people's ones never makes the run add a second block.
    """
    sheet = info.by_title().get(title) if info is not None else None
    if info is None or sheet is None:
        return {}
    ranges = {str(n.get("name", "")): n.get("range") or {} for n in info.named_ranges}
    found: dict[str, int] = {}
    for worker_header in h.WORKER_HEADERS:
        got = ranges.get(setup_mod.anchor_name(sheet.sheet_id, worker_header), {})
        if int(got.get("sheetId") or 0) != sheet.sheet_id or "endColumnIndex" not in got:
            continue
        col = int(got.get("startColumnIndex") or 0)
        if int(got["endColumnIndex"]) != col + 1:
            continue
        if col < len(header) and _same_header(header[col], worker_header):
            found[worker_header] = col
    return found


def _same_header(cell: Any, header: str) -> bool:
    return isinstance(cell, str) and normalise_title(cell) == normalise_title(header)


def _main_run(worker_columns: Mapping[str, int]) -> list[int]:
    """The block's longest run of adjacent columns: where its section label belongs."""
    runs: list[list[int]] = []
    for col in sorted(worker_columns.values()):
        if runs and runs[-1][-1] + 1 == col:
            runs[-1].append(col)
        else:
            runs.append([col])
    return max(runs, key=len)


def _region_tabs(
    snapshot: Snapshot, settings: SyncSettings, info: SpreadsheetInfo | None = None
) -> tuple[list[RegionTab], list[TabNotice], dict[str, tuple[str, ...]]]:
    """
    Map each regional tab's headers; a tab is left out only when nothing identifies its rows,
    and a tab lacking required columns is kept, with one notice for the summary. The worker's
    columns are found under its label, where the record saw a stray one, and by their anchors
    when the metadata was read (`info`).
    """
    tabs = []
    notices: list[TabNotice] = []
    missing_worker: dict[str, tuple[str, ...]] = {}
    header_row = settings.header_row
    section_row = header_row - 1
    for region, title in snapshot.regions.items():
        grid = snapshot.grids.get(title, [])
        header = grid[header_row - 1] if len(grid) >= header_row else []
        sections = grid[section_row - 1] if len(grid) >= section_row else []
        mapping = rules.map_headers(header, sections)
        if not mapping.is_processable:
            missing = rules.TEMPLATE.identifying_headers
            notices.append(TabNotice(region, title, missing, skipped=True))
            continue
        if mapping.missing_required:
            notices.append(TabNotice(region, title, mapping.missing_required))
        found = dict(mapping.worker)
        inputs = set(mapping.columns.values())
        stray = snapshot.meta.stray.get(title, {}) if snapshot.meta is not None else {}
        for worker_header, col in stray.items():
            # A worker column dragged among people's columns, where the last run found it by
            # its anchor: taken again only if its header still tops that column.
            if (
                worker_header in h.WORKER_HEADERS
                and worker_header not in found
                and col not in inputs
                and col not in found.values()
                and _same_header(cell_at(grid, header_row, col), worker_header)
            ):
                found[worker_header] = col
        anchored = _anchored_columns(info, title, header)
        if anchored:
            found = {x: c for x, c in found.items() if c not in anchored.values()}
            found.update({x: c for x, c in anchored.items() if c not in inputs})
        wanted = wanted_worker_headers(mapping.columns, found)
        columns, missing = place_worker_block(grid, found, [x for x in wanted if x not in found])
        missing_worker[title] = missing
        tabs.append(
            RegionTab(
                region=region,
                title=title,
                grid=grid,
                headers=mapping,
                worker_columns=columns,
                first_data_row=settings.first_data_row,
            )
        )
    return tabs, notices, missing_worker


def _row_changes(
    tab: RegionTab, evaluation: Evaluation, stamp: str
) -> tuple[list[CellChange], list[CellChange]]:
    """
    Cells of one tab to write, and the padding that keeps a positional write rectangular.

    `ตรวจสอบล่าสุด` moves only on rows whose results changed. Padding is used only where
    cells go by position (columns inserted by the same batch); anchored writes skip it.
    """
    changes: list[CellChange] = []
    padding: list[CellChange] = []
    checked_col = tab.worker_columns[h.CHECKED_AT]
    for row in evaluation.rows:
        if row.region != tab.region:
            continue
        desired = {
            (row.row, tab.worker_columns[header]): value
            for header, value in worker_values(row, tab.worker_columns).items()
        }
        row_changes = diff_tab(tab.title, tab.grid, desired)
        if row_changes:
            row_changes.append(CellChange(tab.title, row.row, checked_col, stamp))
            changes.extend(row_changes)
            padding.extend(padding_for(row_changes, desired, tab.title))
    for row_number in evaluation.blank_rows.get(tab.region, ()):
        desired_blank: dict[tuple[int, int], CellValue] = {
            (row_number, col): None for col in tab.worker_columns.values()
        }
        cleared = diff_tab(tab.title, tab.grid, desired_blank)
        changes.extend(cleared)
        padding.extend(padding_for(cleared, desired_blank, tab.title))
    return changes, padding


def _grid_changes(
    title: str,
    current: Grid,
    wanted: Mapping[tuple[int, int], CellValue],
    skip: set[tuple[int, int]],
) -> tuple[list[CellChange], list[CellChange]]:
    """Changes to a worker-owned tab, and the padding that fills out each changed row."""
    desired: dict[tuple[int, int], CellValue] = {k: v for k, v in wanted.items() if k not in skip}
    for r, row in enumerate(current, start=1):
        for c, value in enumerate(row):
            if (r, c) not in desired and (r, c) not in skip and value not in (None, ""):
                desired[(r, c)] = None
    changes = diff_tab(title, current, desired)
    width = 1 + max((c for _, c in desired), default=0)
    rows = {change.row for change in changes}
    fillable = {
        (r, c): desired.get((r, c)) for r in rows for c in range(width) if (r, c) not in skip
    }
    return changes, padding_for(changes, fillable, title)


def make_plan(
    backend: Counter,
    settings: SyncSettings,
    snapshot: Snapshot,
    now: datetime,
    cache: RowCache | None = None,
) -> tuple[Plan, Snapshot]:
    """Decide every cell; fetch metadata first when the set-up has to be checked."""
    tabs, notices, missing_worker = _region_tabs(snapshot, settings, snapshot.info)
    layouts_key = _layouts_key(tabs, settings)
    needs_setup = _needs_setup(snapshot, tabs, missing_worker, layouts_key)
    info = snapshot.info
    if needs_setup and info is None:
        info = backend.read_info(settings.spreadsheet_id)
        snapshot = Snapshot(**{**snapshot.__dict__, "info": info})
        # The block may be there with its label gone: its anchors find it (no second block).
        tabs, notices, missing_worker = _region_tabs(snapshot, settings, info)
        layouts_key = _layouts_key(tabs, settings)
        needs_setup = _needs_setup(snapshot, tabs, missing_worker, layouts_key)
    if not needs_setup and info is not None:
        # Metadata was read (a write failed): a column anchor may be gone or point elsewhere.
        layouts = _layouts(info, settings, tabs, missing_worker)
        anchoring = setup_mod.anchor_requests(layouts, info.named_ranges)
        needs_setup = bool(anchoring) or bool(
            setup_mod.anchors_to_confirm(layouts, info.named_ranges, anchoring)
        )
    meta = snapshot.meta
    options_grid = snapshot.grids.get(snapshot.options_title, [])
    evaluation = evaluate(
        tabs,
        options=options_from_grid(options_grid),
        fiscal_year=settings.fiscal_year,
        as_of=now.date(),
        cache=cache.for_options(options_grid) if cache is not None else None,
    )
    outcomes = [row.outcome() for row in evaluation.rows]
    summary = kpi.summarise(
        outcomes,
        regions=list(settings.regions),
        profile=settings.profile,
        skipped={n.region: n.reason() for n in notices if n.skipped},
    )
    stamp = thai_timestamp(now)

    # Sheet ids: from the metadata read when there was one, else from the worker's record.
    if info is not None:
        sheet_ids = {s.title: s.sheet_id for s in info.sheets}
    else:
        assert meta is not None
        sheet_ids = dict(meta.sheet_ids)
    meta_ids = dict(meta.sheet_ids) if meta is not None else {}
    summary_title = snapshot.summary_title or settings.summary_tab
    compiled_title = snapshot.compiled_title or settings.compiled_tab

    column_of = {t.region: t.headers.columns for t in tabs}
    headers_by_key = {column_key(x): x for t in tabs for x in t.headers.columns}
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

    compiled_rows = [
        CompiledRow(
            region=row.region,
            row=row.row,
            cells=row.cells,
            national_id=row.check.national_id,
            tax_id=row.check.tax_id,
            status=row.status,
        )
        for row in evaluation.rows
        if row.status in (h.STATUS_PASS, h.STATUS_WARN) and not row.check.cancelled
    ]
    compiled_grid = build_compiled(compiled_rows)

    def summary_grid(meta_json: str) -> list[list[CellValue]]:
        return build_summary(
            summary,
            SummaryInputs(
                title=info.title if info else _title_from(snapshot),
                profile_name=settings.profile.name,
                fiscal_year=settings.fiscal_year,
                updated_at=stamp,
                meta_json=meta_json,
            ),
            link=link,
            column_label=header_of,
            message=lambda token: messages.get(token, ""),
            notices=notices,
            regions=settings.regions,
            previous=snapshot.grids.get(snapshot.summary_title, [])
            if snapshot.summary_title
            else [],
        )

    draft = summary_grid("")
    summary_size = (len(draft) + 50, max(24, 1 + max(len(row) for row in draft)))
    compiled_size = (len(compiled_grid) + 200, len(compiled_grid[0]))
    setup_requests: list[dict[str, Any]] = []
    together: tuple[tuple[int, int], ...] = ()
    confirm: dict[str, str] = {}
    if needs_setup:
        assert info is not None
        setup_requests, together, sheet_ids, grid_sizes, confirm = _setup(
            info,
            settings,
            tabs,
            missing_worker,
            summary_title,
            compiled_title,
            summary_size,
            compiled_size,
        )
    else:
        assert meta is not None
        setup_requests, grid_sizes = _grow_worker_tabs(
            info, meta, sheet_ids, ((summary_title, summary_size), (compiled_title, compiled_size))
        )

    new_meta = SheetMeta(
        sheet_ids={
            t: sheet_ids[t]
            for t in (*[x.title for x in tabs], summary_title, compiled_title)
            if t in sheet_ids
        },
        regions=dict(snapshot.regions),
        grid=grid_sizes,
        setup=layouts_key,
        stray={
            t.title: stray
            for t in tabs
            if (
                stray := {
                    x: c
                    for x, c in t.worker_columns.items()
                    if c not in _main_run(t.worker_columns)
                }
            )
        },
    )
    final_summary = summary_grid(new_meta.to_json())

    changes: list[CellChange] = []
    padding: list[CellChange] = []
    for tab in tabs:
        tab_changes, tab_padding = _row_changes(tab, evaluation, stamp)
        changes.extend(tab_changes)
        padding.extend(tab_padding)
    skip = {TIMESTAMP_CELL, SYNC_NOW_CELL}
    summary_current = snapshot.grids.get(summary_title, []) if snapshot.summary_title else []
    compiled_current = snapshot.grids.get(compiled_title, []) if snapshot.compiled_title else []
    for title, current, wanted, skipped in (
        (summary_title, summary_current, grid_cells(final_summary), skip),
        (compiled_title, compiled_current, grid_cells(compiled_grid), set()),
    ):
        grid_changes, grid_padding = _grid_changes(title, current, wanted, skipped)
        changes.extend(grid_changes)
        padding.extend(grid_padding)
    label_row = settings.header_row - 1
    for tab in tabs if label_row >= 1 else ():
        if len(missing_worker.get(tab.title, ())) == len(tab.worker_columns):
            continue  # a whole new block: the set-up writes its label with its columns
        col = _main_run(tab.worker_columns)[0]
        if cell_at(tab.grid, label_row, col) != h.WORKER_SECTION_LABEL:
            # Cleared or retyped: put it back (through the column's anchor), so the next
            # run finds the block from its one read again.
            changes.append(CellChange(tab.title, label_row, col, h.WORKER_SECTION_LABEL))

    # The on-demand checkbox: a ticked box is answered by this run, so it is unticked.
    if cell_at(summary_current, *SYNC_NOW_CELL) is not False:
        changes.append(CellChange(summary_title, SYNC_NOW_CELL[0], SYNC_NOW_CELL[1], False))
    if changes or setup_requests:
        changes.append(CellChange(summary_title, TIMESTAMP_CELL[0], TIMESTAMP_CELL[1], stamp))

    anchors = {
        (t.title, col): setup_mod.anchor_name(sheet_ids[t.title], header)
        for t in tabs
        if t.title in sheet_ids
        for header, col in t.worker_columns.items()
    }
    # Planned from the record (no metadata read): every id the write uses must still be the
    # tab of that title, or the first write fails whole and the run looks at the metadata.
    guards = (
        [
            setup_mod.title_guard(meta_ids[title], title)
            for title in dict.fromkeys([*(t.title for t in tabs), summary_title, compiled_title])
            if title in meta_ids
        ]
        if info is None
        else []
    )
    plan = Plan(
        changes=changes,
        padding=padding,
        guards=guards,
        anchors=anchors,
        confirm_anchors=confirm,
        setup_together=together,
        fresh_columns=frozenset(
            (t.title, t.worker_columns[x])
            for t in tabs
            for x in missing_worker.get(t.title, ())
            if setup_requests
        ),
        anchor_ids=_anchor_ids(info.named_ranges if info is not None else ()),
        setup_requests=setup_requests,
        evaluation=evaluation,
        summary=summary,
        layout_problems=[n.english(settings.header_row) for n in notices if n.skipped],
        layout_notes=[n.english(settings.header_row) for n in notices if not n.skipped],
        meta=new_meta,
        title=info.title if info else _title_from(snapshot),
    )
    return plan, snapshot


def _grow_worker_tabs(
    info: SpreadsheetInfo | None,
    meta: SheetMeta,
    sheet_ids: Mapping[str, int],
    wanted: Iterable[tuple[str, tuple[int, int]]],
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    """
    Requests that grow the worker's tabs to hold what is written, and their sizes after.

    Sizes come from the metadata read when the plan has one. Without it only the record (a
    cell people can edit) says how big a tab is, so growth is relative (`appendDimension`):
    a record that overstates makes the write exceed the grid and fail cleanly (the run then
    reads the metadata), one that understates adds spare rows; neither ever shrinks a tab.
    """
    requests: list[dict[str, Any]] = []
    by_title = info.by_title() if info is not None else {}
    sizes = dict(meta.grid)
    for title, size in wanted:
        existing = by_title.get(title)
        have = (existing.row_count, existing.column_count) if existing else sizes.get(title, (0, 0))
        sizes[title] = have
        if have[0] >= size[0] and have[1] >= size[1]:
            continue
        grown = (max(have[0], size[0] + size[0] // 2), max(have[1], size[1]))
        sizes[title] = grown
        if existing is not None:
            resize = setup_mod.resize_request(existing, *grown)
            requests.extend([resize] if resize is not None else [])
            continue
        for dimension, extra in (("ROWS", grown[0] - have[0]), ("COLUMNS", grown[1] - have[1])):
            if extra > 0:
                requests.append(
                    {
                        "appendDimension": {
                            "sheetId": sheet_ids[title],
                            "dimension": dimension,
                            "length": extra,
                        }
                    }
                )
    return requests, sizes


def _layouts_key(tabs: Sequence[RegionTab], settings: SyncSettings) -> str:
    """The set-up fingerprint of these tabs' blocks (the record keeps the last one installed)."""
    return setup_mod.fingerprint(
        [
            setup_mod.TabLayout(
                title=t.title,
                info=SheetInfo(0, t.title, 0, 0, 0),
                input_columns=t.headers.columns,
                worker_columns=t.worker_columns,
                missing_worker=(),
                header_row=settings.header_row,
                first_data_row=t.first_data_row,
            )
            for t in tabs
        ],
        extra=[settings.summary_tab, settings.compiled_tab, len(settings.regions)],
    )


def _needs_setup(
    snapshot: Snapshot,
    tabs: Sequence[RegionTab],
    missing_worker: Mapping[str, tuple[str, ...]],
    layouts_key: str,
) -> bool:
    """Whether the read alone shows the set-up is missing, stale or for other tabs."""
    meta = snapshot.meta
    return (
        meta is None
        or meta.setup != layouts_key
        or snapshot.summary_title is None
        or snapshot.compiled_title is None
        or any(missing_worker.values())
        or any(t.title not in meta.sheet_ids for t in tabs)
        or meta.regions != snapshot.regions
    )


def _title_from(snapshot: Snapshot) -> str:
    grid = snapshot.grids.get(snapshot.summary_title or "", [])
    if len(grid) >= 2 and len(grid[1]) >= 2 and isinstance(grid[1][1], str):
        return grid[1][1]
    return ""


def _setup(
    info: SpreadsheetInfo,
    settings: SyncSettings,
    tabs: Sequence[RegionTab],
    missing_worker: Mapping[str, tuple[str, ...]],
    summary_title: str,
    compiled_title: str,
    summary_size: tuple[int, int],
    compiled_size: tuple[int, int],
) -> tuple[
    list[dict[str, Any]],
    tuple[tuple[int, int], ...],
    dict[str, int],
    dict[str, tuple[int, int]],
    dict[str, str],
]:
    by_title = info.by_title()
    sheet_ids = {s.title: s.sheet_id for s in info.sheets}
    requests: list[dict[str, Any]] = []
    sizes: dict[str, tuple[int, int]] = {}
    used_ids = set(sheet_ids.values())
    next_index = len(info.sheets)
    for title, size in ((summary_title, summary_size), (compiled_title, compiled_size)):
        existing = by_title.get(title)
        if existing is None:
            new_id = _new_sheet_id(title, used_ids)
            used_ids.add(new_id)
            sheet_ids[title] = new_id
            requests.append(setup_mod.add_sheet_request(new_id, title, next_index, *size))
            next_index += 1
            sizes[title] = size
        else:
            resize = setup_mod.resize_request(existing, *size)
            if resize is not None:
                requests.append(resize)
            sizes[title] = (max(existing.row_count, size[0]), max(existing.column_count, size[1]))
    layouts = _layouts(info, settings, tabs, missing_worker)
    anchoring: list[dict[str, Any]] = []
    together: list[tuple[int, int]] = []
    for layout in layouts:
        # A tab's new columns, their labels and their anchors go in one call (see `batches`);
        # an anchor can only name a column the grid already has, so it comes after the block.
        start = len(requests)
        requests.extend(setup_mod.block_requests(layout))
        tab_anchors = setup_mod.anchor_requests([layout], info.named_ranges)
        requests.extend(tab_anchors)
        anchoring.extend(tab_anchors)
        together.append((start, len(requests)))
        requests.extend(setup_mod.rule_requests(layout))
    summary_id = sheet_ids[summary_title]
    summary_info = by_title.get(summary_title)
    has_chart = summary_info is not None and any(
        c.get("spec", {}).get("title") == setup_mod.CHART_TITLE for c in summary_info.charts
    )
    if not has_chart:
        requests.append(chart_request(summary_id, len(settings.regions), setup_mod.CHART_TITLE))
    if summary_info is None:
        requests.append(setup_mod.checkbox_request(summary_id, *SYNC_NOW_CELL))
    confirm = setup_mod.anchors_to_confirm(layouts, info.named_ranges, anchoring)
    return requests, tuple(together), sheet_ids, sizes, confirm


def _write(counter: Counter, settings: SyncSettings, plan: Plan) -> None:
    """
    One round's writes: set-up and the worker's own tabs, then regional cells by anchor.

    The first call is one atomic spreadsheets:batchUpdate (tabs, columns, anchors, rules,
    summary). When everything fits in that one call, cells of the worker columns it inserts
    go in it by position: inside one atomic batch a column inserted at an index is fresh and
    empty there, wherever people moved columns before (so a small first run is one write).
    Other regional worker cells follow through their column anchors: plain values RAW (text
    stays text), then the worker's own formulas USER_ENTERED. A call whose outcome is unknown
    does not stop the others — values are idempotent, and an anchor the set-up did not
    create makes its write fail cleanly — and the caller looks again after the round.
    """

    def split(fresh: frozenset[tuple[str, int]]) -> tuple[list[Any], dict[Any, str]]:
        by_name = {cell: name for cell, name in plan.anchors.items() if cell not in fresh}
        positional = [c for c in plan.changes + plan.padding if (c.tab, c.col) not in by_name]
        values = update_requests(group_blocks(positional), plan.meta.sheet_ids)
        requests = [*plan.guards, *plan.setup_requests, *values]
        shift = len(plan.guards)
        together = [(start + shift, end + shift) for start, end in plan.setup_together]
        return batches(requests, settings.max_write_bytes, together=together), by_name

    request_batches, by_name = split(frozenset())
    if plan.fresh_columns and len(request_batches) == 1:
        # Split calls would not be one atomic batch: only then do fresh columns go by anchor.
        fresh_batches, fresh_by_name = split(plan.fresh_columns)
        if len(fresh_batches) == 1:
            request_batches, by_name = fresh_batches, fresh_by_name
    anchored = [c for c in plan.changes if (c.tab, c.col) in by_name]
    writes = value_writes(anchored, by_name)
    setup_calls = [
        partial(counter.batch_update, settings.spreadsheet_id, batch) for batch in request_batches
    ]
    value_calls = [
        partial(counter.write_values, settings.spreadsheet_id, batch, input_option=option)
        for option, data in (("RAW", writes.raw), ("USER_ENTERED", writes.formulas))
        for batch in batches(data, settings.max_write_bytes)
    ]
    unknown: WriteOutcomeUnknown | None = None
    replies: list[Any] = []
    for calls in (setup_calls, value_calls):
        for call in calls:
            try:
                replies.append(call())
            except WriteOutcomeUnknown as exc:
                if call is setup_calls[0] and plan.guards:
                    raise  # its guards are unconfirmed: nothing goes by id until a new look
                unknown = unknown or exc
        if calls is setup_calls and plan.confirm_anchors:
            _confirm_anchors(counter, settings, plan, replies)
    if unknown is not None:
        raise unknown


def _confirm_anchors(
    counter: Counter, settings: SyncSettings, plan: Plan, replies: Sequence[Any]
) -> None:
    """
    Read anchors just set on existing columns: each must top its worker header.

    One read shows where each name points now; an anchor moves with its column from then on,
    so one that tops the right header is right for good. A wrong one (people moved columns
    between the plan's read and the set-up) is deleted at once — nothing is ever written
    through it, in this run or a later one — and the round looks again to set it anew.
    """
    anchors = plan.confirm_anchors
    names = list(anchors)
    grids = counter.read_ranges(settings.spreadsheet_id, names)
    wrong = [
        name
        for name, grid in zip(names, grids, strict=True)
        if cell_at(grid, settings.header_row, 0) != anchors[name]
    ]
    if not wrong:
        return
    ids = {**plan.anchor_ids, **_named_range_ids(replies)}
    if any(name not in ids for name in wrong):
        # A set-up call whose answer was lost added it: its id is in the metadata.
        info = counter.read_info(settings.spreadsheet_id)
        ids.update(_anchor_ids(info.named_ranges))
    deletes = [{"deleteNamedRange": {"namedRangeId": ids[name]}} for name in wrong if name in ids]
    if deletes:
        counter.batch_update(settings.spreadsheet_id, deletes)
    raise AnchorsMoved(
        f"Column anchors {', '.join(wrong)} do not top their columns (columns moved during "
        "set-up); removed them, looking again."
    )


def _named_range_ids(replies: Sequence[Any]) -> dict[str, str]:
    """Name -> id of every anchor the set-up added (from the batchUpdate replies)."""
    return _anchor_ids(
        reply.get("addNamedRange", {}).get("namedRange", {})
        for batch in replies
        if isinstance(batch, list)
        for reply in batch
    )


def _anchor_ids(named_ranges: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Name -> id of the worker's column anchors among these named ranges (others skipped)."""
    return {
        str(n["name"]): str(n["namedRangeId"])
        for n in named_ranges
        if str(n.get("name", "")).startswith(setup_mod.ANCHOR_PREFIX) and "namedRangeId" in n
    }


def _layouts(
    info: SpreadsheetInfo,
    settings: SyncSettings,
    tabs: Sequence[RegionTab],
    missing_worker: Mapping[str, tuple[str, ...]],
) -> list[setup_mod.TabLayout]:
    by_title = info.by_title()
    return [
        setup_mod.TabLayout(
            title=tab.title,
            info=by_title[tab.title],
            input_columns=tab.headers.columns,
            worker_columns=tab.worker_columns,
            missing_worker=missing_worker.get(tab.title, ()),
            header_row=settings.header_row,
            first_data_row=tab.first_data_row,
        )
        for tab in tabs
    ]


def _new_sheet_id(title: str, used: set[int]) -> int:
    candidate = zlib.crc32(title.encode()) % 2_000_000_000 + 1
    while candidate in used:
        candidate += 1
    return candidate


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
            snapshot = read_snapshot(counter, settings, _TITLE_HINTS.get(_hint_key(settings)))
            row_cache = RowCache()
            for round_number in range(1, settings.max_rounds + 1):
                report.rounds = round_number
                plan, snapshot = make_plan(counter, settings, snapshot, clock(), row_cache)
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
                if not plan.changes and not plan.setup_requests:
                    break
                try:
                    _write(counter, settings, plan)
                except (BadRequest, WriteOutcomeUnknown, AnchorsMoved) as exc:
                    log.warning("write_not_confirmed", round=round_number, error=str(exc))
                    # The grid changed under the plan (a tab or rows went away), or the write may
                    # or may not have landed: look again, with fresh metadata, and re-plan.
                    if round_number == settings.max_rounds and isinstance(exc, AnchorsMoved):
                        # People kept moving columns under every round: like rows that keep
                        # moving, the next run finishes these cells.
                        report.unconverged_cells = len(plan.changes)
                        log.warning(
                            "unverified_cells", cells=len(plan.changes), rounds=round_number
                        )
                        break
                    if round_number == settings.max_rounds:
                        raise
                    pause(round_number)
                    snapshot = read_snapshot(
                        counter, settings, info=counter.read_info(settings.spreadsheet_id)
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
                snapshot = read_snapshot(
                    counter,
                    settings,
                    Titles(
                        regions=snapshot.regions,
                        options=snapshot.options_title,
                        summary=snapshot.summary_title or settings.summary_tab,
                        compiled=snapshot.compiled_title or settings.compiled_tab,
                    ),
                )
            _remember_titles(settings, snapshot)
            if report.layout_problems:
                report.outcome = "failed"
                report.error = report.layout_problems[0]
        except Exception as exc:
            _TITLE_HINTS.pop(_hint_key(settings), None)
            report.outcome = "failed"
            report.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            report.reads = counter.reads
            report.writes = counter.writes
            report.finished_at = clock().isoformat(timespec="seconds")
        return report
