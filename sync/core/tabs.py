"""
Where the worker's tabs and columns are, from one read: titles, the record, the worker blocks.

A snapshot is what one read returned. Mapping it finds each regional tab's columns by their
headers, and the worker's own columns under their label, where the record saw a stray one, or
by their anchors when the metadata was read; what is missing is what the set-up must insert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import rules
from rules import headers as h
from rules.header_map import HeaderMap, wanted_worker_headers
from sync.core import setup as setup_mod
from sync.core.cells import cell_at
from sync.core.errors import SheetLayoutError
from sync.core.layout import AmbiguousTitle, match_titles, normalise_title, place_worker_block
from sync.core.meta import SheetMeta
from sync.core.settings import SyncSettings
from sync.core.sheet import Rows, SheetInfo, SpreadsheetInfo
from sync.core.summary import META_LABEL, TabNotice


@dataclass(frozen=True)
class RegionTab:
    """One regional tab as read: configured region name, actual title, grid and columns."""

    region: str
    title: str
    grid: Rows
    headers: HeaderMap
    worker_columns: Mapping[str, int]
    """Worker header -> column index, including columns the setup is about to append."""
    first_data_row: int


@dataclass
class Snapshot:
    """What one read returned, with the titles it used."""

    grids: dict[str, Rows]
    regions: dict[str, str]
    """Configured region name -> actual title."""
    options_title: str
    summary_title: str | None
    compiled_title: str | None
    info: SpreadsheetInfo | None
    meta: SheetMeta | None
    missing_regions: tuple[str, ...] = ()
    """Configured regions with no tab at all (the others are synced; see `resolve_titles`)."""
    digest: str = ""
    """Digest of the read's answer as received (`ValuesRead`); empty when not known."""
    tab_digests: Mapping[str, str] = field(default_factory=dict)
    """Per title, the digest of its values as received: an unchanged tab is known by it."""
    lost_anchors: frozenset[str] = frozenset()
    """Anchors this run found no longer topping their header (`write.AnchorsMoved.lost`):
    their worker columns are added anew, never taken by a header people can type."""
    taken_anchors: frozenset[str] = frozenset()
    """Anchor names Google refused to add (a deleted namesake it keeps, unlisted): the
    set-up names new anchors of their tabs otherwise (`setup.fresh_anchor_name`)."""
    mapped: tuple[SyncSettings, MappedTabs] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """`map_tabs` of this very snapshot, once made (a copy made by `replace` makes its own):
    a round looks for typed percentages and then plans from the same mapping."""


def find_meta(grid: Rows | None) -> SheetMeta | None:
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
    missing: tuple[str, ...] = ()
    """Configured regions no tab answers to: left out of the read, reported, not fatal."""

    def all(self) -> list[str]:
        """Every title to read, in request order."""
        extra = [t for t in (self.summary, self.compiled) if t is not None]
        return [*self.regions.values(), self.options, *extra]


def resolve_titles(info: SpreadsheetInfo, settings: SyncSettings) -> Titles:
    actual = [s.title for s in info.sheets]
    wanted = [*settings.regions, settings.options_tab, settings.summary_tab, settings.compiled_tab]
    try:
        found = match_titles(wanted, actual)
    except AmbiguousTitle as exc:
        raise SheetLayoutError(f"Spreadsheet {info.title!r}: {exc}") from None
    missing_regions = tuple(r for r in settings.regions if found[r] is None)
    # One region's tab renamed or deleted never stops the others (it is reported, and the
    # summary keeps its last figures); without the dropdown lists or any region, nothing runs.
    fatal = [m for m in (settings.options_tab,) if found[m] is None]
    if len(missing_regions) == len(settings.regions):
        fatal = [*missing_regions, *fatal]
    if fatal:
        fixes = []
        if missing_regions and len(missing_regions) == len(settings.regions):
            fixes.append("rename the regional tabs back, or fix the configuration's region list")
        if found[settings.options_tab] is None:
            fixes.append(
                f"restore the dropdown lists' tab {settings.options_tab!r} (the form's own, "
                "renamed back or copied from the template)"
            )
        raise SheetLayoutError(
            f"Spreadsheet {info.title!r} has no tab named {', '.join(repr(m) for m in fatal)} "
            f"(its tabs: {', '.join(actual)}) — {'; '.join(fixes)}."
        )
    return Titles(
        regions={r: t for r in settings.regions if (t := found[r]) is not None},
        options=found[settings.options_tab] or settings.options_tab,
        summary=found[settings.summary_tab],
        compiled=found[settings.compiled_tab],
        missing=missing_regions,
    )


def _tab_anchors(
    anchors: Mapping[str, Mapping[str, Any]], sheet: SheetInfo | None
) -> dict[str, Mapping[str, Any]]:
    """Worker header -> its anchor in this tab (by id), wherever it points now
    (`anchors`: `setup.anchors_by_base` of the metadata read)."""
    if sheet is None:
        return {}
    return {
        header: named
        for header in h.WORKER_HEADERS
        if (named := anchors.get(setup_mod.anchor_name(sheet.sheet_id, header))) is not None
    }


def _anchored_columns(
    anchors: Mapping[str, Mapping[str, Any]], sheet_id: int, header: Sequence[Any]
) -> dict[str, int]:
    """
    Worker columns found by their anchors (`_tab_anchors`): header -> column, as the metadata
    read places them.

    The section label above the block is people-editable text; an anchor (a named range)
    moves with its column wherever people drag it, and is taken only where it lies in this
    very tab (by id) and tops its own header, so a cleared label, a deleted first column or a
    worker column dragged among people's ones never makes the run add a second block.
    """
    found: dict[str, int] = {}
    for worker_header, named in anchors.items():
        got = named.get("range") or {}
        if int(got.get("sheetId") or 0) != sheet_id or "endColumnIndex" not in got:
            continue
        col = int(got.get("startColumnIndex") or 0)
        if int(got["endColumnIndex"]) != col + 1:
            continue
        if col < len(header) and _same_header(header[col], worker_header):
            found[worker_header] = col
    return found


def _protected_span(protected: Sequence[Mapping[str, Any]], sheet_id: int) -> range:
    """The columns the worker's own warning-only protection spans in a tab (its block)."""
    for each in protected:
        grid = each.get("range") or {}
        if (
            each.get("description") == setup_mod.PROTECTION_DESCRIPTION
            and int(grid.get("sheetId") or 0) == sheet_id
            and "endColumnIndex" in grid
        ):
            return range(int(grid.get("startColumnIndex") or 0), int(grid["endColumnIndex"]))
    return range(0)


def _same_header(cell: Any, header: str) -> bool:
    return isinstance(cell, str) and normalise_title(cell) == normalise_title(header)


def main_run(worker_columns: Mapping[str, int]) -> list[int]:
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
    notices: list[TabNotice] = [
        TabNotice(region, region, (), skipped=True, tab_missing=True)
        for region in snapshot.missing_regions
    ]
    missing_worker: dict[str, tuple[str, ...]] = {}
    header_row = settings.header_row
    section_row = header_row - 1
    sheets = info.by_title() if info is not None else {}
    by_base = setup_mod.anchors_by_base(info.named_ranges) if info is not None else {}
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
        doubled = tuple(
            (d.header, d.kept, d.ignored) for d in mapping.duplicates if d.header in mapping.columns
        )
        if doubled:  # (people's cells under the second header would go unchecked, unsaid)
            notices.append(TabNotice(region, title, (), doubled=doubled))
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
        sheet = sheets.get(title)
        anchors = _tab_anchors(by_base, sheet)
        anchored = _anchored_columns(anchors, sheet.sheet_id, header) if sheet else {}
        if anchors and sheet is not None:
            # The block is known by its anchors. A worker header whose column this run found
            # retyped away (`lost_anchors`), or that has no anchor any more (its column
            # deleted, its name removed) outside the block's own protected span, is not
            # looked for by its header, which people can type on a column of their own
            # beside the block (it would be written over): the column is added anew. (A
            # block with no anchor at all, from before anchors, is taken by its headers.)
            span = _protected_span(sheet.protected_ranges, sheet.sheet_id)
            found = {
                x: c
                for x, c in found.items()
                if (x in anchors or c in span)
                and setup_mod.anchor_name(sheet.sheet_id, x) not in snapshot.lost_anchors
            }
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


@dataclass(frozen=True)
class MappedTabs:
    """The regional tabs as one read shows them: where each column is, and what is missing."""

    tabs: list[RegionTab]
    notices: list[TabNotice]
    """Tabs left out or lacking required columns (one line each in the summary)."""
    missing_worker: dict[str, tuple[str, ...]]
    """Per tab title: the worker columns the set-up has to insert."""
    layouts_key: str
    """The set-up fingerprint of these blocks (the record keeps the last one installed)."""


def map_tabs(settings: SyncSettings, snapshot: Snapshot) -> MappedTabs:
    """Step 1: map every regional tab's headers and place its worker block (once a snapshot)."""
    if snapshot.mapped is not None and snapshot.mapped[0] is settings:
        return snapshot.mapped[1]
    tabs, notices, missing_worker = _region_tabs(snapshot, settings, snapshot.info)
    mapped = MappedTabs(tabs, notices, missing_worker, _layouts_key(tabs, settings))
    snapshot.mapped = (settings, mapped)
    return mapped


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
