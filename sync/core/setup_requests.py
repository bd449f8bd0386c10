"""
A round's set-up: whether it is due, and the requests that make the spreadsheet ready.

The requests themselves are `sync.core.setup`'s; this module decides which ones a round
sends, with the worker's tabs added or grown to hold what the round writes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sync.core import setup as setup_mod
from sync.core.meta import SheetMeta
from sync.core.settings import SyncSettings
from sync.core.sheet import SpreadsheetInfo
from sync.core.summary import SYNC_NOW_CELL, chart_request
from sync.core.summary import format_requests as summary_format_requests
from sync.core.tabs import RegionTab, Snapshot


def needs_setup(
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


def set_up(
    info: SpreadsheetInfo,
    settings: SyncSettings,
    tabs: Sequence[RegionTab],
    missing_worker: Mapping[str, tuple[str, ...]],
    summary_title: str,
    compiled_title: str,
    summary_size: tuple[int, int],
    compiled_size: tuple[int, int],
    *,
    name_tag: int = 0,
    taken: frozenset[str] = frozenset(),
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
    layouts = tab_layouts(info, settings, tabs, missing_worker, name_tag=name_tag, taken=taken)
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
    # Reapplied with every set-up (they change nothing people typed: the tab is the worker's).
    requests.extend(
        summary_format_requests(summary_id, len(settings.regions), sizes[summary_title])
    )
    confirm = setup_mod.anchors_to_confirm(layouts, info.named_ranges, anchoring)
    return requests, tuple(together), sheet_ids, sizes, confirm


def grow_worker_tabs(
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


def anchor_ids(named_ranges: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Name -> id of the worker's column anchors among these named ranges (others skipped)."""
    return {
        str(n["name"]): str(n["namedRangeId"])
        for n in named_ranges
        if str(n.get("name", "")).startswith(setup_mod.ANCHOR_PREFIX) and "namedRangeId" in n
    }


def tab_layouts(
    info: SpreadsheetInfo,
    settings: SyncSettings,
    tabs: Sequence[RegionTab],
    missing_worker: Mapping[str, tuple[str, ...]],
    *,
    name_tag: int = 0,
    taken: frozenset[str] = frozenset(),
) -> list[setup_mod.TabLayout]:
    """
    Each tab's layout as the set-up needs it. A tab whose block has anchors already, or one
    with an anchor name Google refused (`taken`), names its new anchors with `name_tag`: an
    anchor put back there may have a deleted namesake Google keeps unlisted.
    """
    by_title = info.by_title()
    anchored = {
        setup_mod.anchor_sheet(name)
        for name in (*setup_mod.anchors_by_base(info.named_ranges), *taken)
    }
    return [
        setup_mod.TabLayout(
            title=tab.title,
            info=by_title[tab.title],
            input_columns=tab.headers.columns,
            worker_columns=tab.worker_columns,
            missing_worker=missing_worker.get(tab.title, ()),
            header_row=settings.header_row,
            first_data_row=tab.first_data_row,
            name_tag=name_tag if str(by_title[tab.title].sheet_id) in anchored else 0,
            taken=taken,
        )
        for tab in tabs
    ]


def _new_sheet_id(title: str, used: set[int]) -> int:
    candidate = zlib.crc32(title.encode()) % 2_000_000_000 + 1
    while candidate in used:
        candidate += 1
    return candidate
