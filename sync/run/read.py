"""
A round's read: every needed tab in one values:batchGet, and the titles to ask for next time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sync.backends.base import SpreadsheetInfo, ValuesRead, quote_title
from sync.core.errors import BadRequest
from sync.core.settings import SyncSettings
from sync.core.tabs import Snapshot, Titles, find_meta, resolve_titles
from sync.run.counter import Counter

if TYPE_CHECKING:
    from sync.core.evaluate import RowCache

_TITLE_HINTS: dict[tuple[str, ...], Titles] = {}
"""
Per spreadsheet (and configured names): the titles the last run in this process read, kept
only when they differ from the configured names (`ศก.1` typed with a no-break space).

The next run's first read asks for those, so an unchanged sheet stays one request in the
service; without this every such run pays a failed read and a metadata read first. The run
history keeps them for the next process too (`sheetsync run`, see `sync.run.runner`). A hint
only: a title that is gone makes that read fail and the run resolves the tabs from the
metadata, exactly as without it.
"""


def hint_key(settings: SyncSettings) -> tuple[str, ...]:
    return (
        settings.spreadsheet_id,
        *settings.regions,
        settings.options_tab,
        settings.summary_tab,
        settings.compiled_tab,
    )


def titles_of(snapshot: Snapshot, settings: SyncSettings) -> Titles:
    """The titles a snapshot was read with (the worker's tabs under their configured names
    when they did not exist yet: the set-up has just made them)."""
    return Titles(
        regions=dict(snapshot.regions),
        options=snapshot.options_title,
        summary=snapshot.summary_title or settings.summary_tab,
        compiled=snapshot.compiled_title or settings.compiled_tab,
        missing=snapshot.missing_regions,
    )


def remember_titles(settings: SyncSettings, titles: Titles) -> None:
    """Keep the titles a run read for its next run, when they differ from the configured names."""
    if titles.missing:
        # A region's tab is gone: the next run must look for it again, not read without it.
        _TITLE_HINTS.pop(hint_key(settings), None)
        return
    configured = Titles(
        regions={r: r for r in settings.regions},
        options=settings.options_tab,
        summary=settings.summary_tab,
        compiled=settings.compiled_tab,
    )
    if titles == configured:
        _TITLE_HINTS.pop(hint_key(settings), None)
    else:
        _TITLE_HINTS[hint_key(settings)] = titles


def copy_title_hints() -> None:
    """Copy every remembered title hint into fresh memory (as `settled.copy_settled`)."""
    from sync.core.packed import fresh_copy

    _TITLE_HINTS.update(fresh_copy(dict(_TITLE_HINTS)))


def forget_title_hints() -> None:
    """Drop every remembered title (tests start without another run's hints)."""
    _TITLE_HINTS.clear()


@dataclass(frozen=True)
class TabsRead:
    """One batchGet of every needed tab, not yet decoded: the titles asked for and the answer."""

    titles: Titles
    values: ValuesRead
    info: SpreadsheetInfo | None = None


def read_tabs(
    backend: Counter,
    settings: SyncSettings,
    titles: Titles | None = None,
    info: SpreadsheetInfo | None = None,
) -> TabsRead:
    """One batchGet of every needed tab; a metadata read only when a title does not resolve."""
    if info is not None:
        titles = resolve_titles(info, settings)
    elif titles is None:
        titles = Titles(
            regions={r: r for r in settings.regions},
            options=settings.options_tab,
            summary=settings.summary_tab,
            compiled=settings.compiled_tab,
        )
    try:
        values = backend.read_values(
            settings.spreadsheet_id, [quote_title(t) for t in titles.all()]
        )
    except BadRequest:
        if info is not None:
            raise
        return read_tabs(backend, settings, info=backend.read_info(settings.spreadsheet_id))
    return TabsRead(titles=titles, values=values, info=info)


def snapshot_of(read: TabsRead, *, lazy: bool = False) -> Snapshot:
    """
    The read decoded into the grids a round plans from, each regional tab as `ReadRows`: the
    digest of each of its rows known, its repeated texts one object each; its grids live
    through the round's plan (and the first round's, through its write too).

    A run's reads are `lazy`: a row is decoded when first used, and a round uses only the rows
    whose bytes changed (`sync.core.evaluate`); of those, it keeps decoded only the rows it
    needs whole again. So a round after a few edits decodes those rows, and a first run's
    decodes each row once, for the digest of its input cells and its check, and holds the
    body read rather than every row decoded (7 x 2,000 rows: its write at ~165 MiB, not ~173,
    the decoded rows' objects no longer left among the round's results as holes once freed).
    The rows a round keeps share their texts alike: on 7 x 2,000 rows, sharing the verify
    read's took a service's run after edits from 216 to 194 MiB, when that read was decoded
    whole. The compiled list of a lazy read is decoded only if the round compares it (an edit
    of a figure leaves it as it was).
    """
    titles = read.titles
    regional = set(titles.regions.values())
    rows = {i for i, title in enumerate(titles.all()) if title in regional}
    later = {i for i, title in enumerate(titles.all()) if title == titles.compiled}
    tabs = read.values.tabs(rows, lazy=lazy, later=later)
    by_title = dict(zip(titles.all(), tabs, strict=True))
    digests = dict(zip(titles.all(), read.values.range_digests, strict=True))
    return Snapshot(
        grids=by_title,
        regions=dict(titles.regions),
        options_title=titles.options,
        summary_title=titles.summary,
        compiled_title=titles.compiled,
        info=read.info,
        meta=find_meta(by_title.get(titles.summary)) if titles.summary else None,
        missing_regions=titles.missing,
        digest=read.values.digest,
        tab_digests=digests,
    )


def look_at_typed_percents(
    backend: Counter,
    settings: SyncSettings,
    snapshot: Snapshot,
    cache: RowCache | None,
    as_of: date,
) -> bool:
    """
    Make the snapshot read each percentage typed with a `%` as typed (`92%`, where the read
    gave 0.92: `sync.core.percent`), by one more read, of the percent columns' numbers as
    people see them, when any row the round checks (again) holds one; whether a cell then
    reads otherwise than the values read (only then does the loop read the values again
    before it settles: a snapshot of the values alone is as consistent as its one read).
    """
    from sync.core.evaluate import rows_to_check
    from sync.core.percent import apply_overlay, overlay_of, suspects
    from sync.core.tabs import map_tabs

    if cache is not None:  # (other lists empty it: every row is checked again, so looked at)
        cache = cache.for_options(snapshot.grids.get(snapshot.options_title, []))
    found = suspects(
        map_tabs(settings, snapshot).tabs,
        lambda tab: rows_to_check(
            tab,
            cache,
            fiscal_year=settings.fiscal_year,
            as_of=as_of,
            digest=snapshot.tab_digests.get(tab.title),
        ),
    )
    if not found:
        return False
    shown = backend.read_formatted(settings.spreadsheet_id, [each.a1 for each in found])
    if shown is None:  # a backend that cannot show cells as people see them
        return False
    overlay = overlay_of(found, shown)
    if not overlay:  # (no `%` shown: the snapshot stays the values read, nothing mixed in)
        return False
    apply_overlay(snapshot, overlay)
    return True


def read_snapshot(
    backend: Counter,
    settings: SyncSettings,
    titles: Titles | None = None,
    info: SpreadsheetInfo | None = None,
    *,
    lazy: bool = False,
) -> Snapshot:
    """One batchGet of every needed tab, decoded (see `read_tabs`, `snapshot_of`)."""
    return snapshot_of(read_tabs(backend, settings, titles, info), lazy=lazy)


def title_hint(settings: SyncSettings) -> Titles | None:
    """The titles the last run in this process read for this spreadsheet, if they differed."""
    return _TITLE_HINTS.get(hint_key(settings))


def hint_key_text(settings: SyncSettings) -> str:
    """The key a hint is kept under outside the process (the run history)."""
    return json.dumps(hint_key(settings), ensure_ascii=False)


def title_hint_data(settings: SyncSettings) -> dict[str, Any] | None:
    """This spreadsheet's hint as plain data, for the run history (None: no hint)."""
    hint = title_hint(settings)
    if hint is None:
        return None
    return {
        "regions": dict(hint.regions),
        "options": hint.options,
        "summary": hint.summary,
        "compiled": hint.compiled,
    }


def restore_title_hint(settings: SyncSettings, data: Mapping[str, Any] | None) -> None:
    """
    Take a hint kept by an earlier process, unless this process has its own. A hint is only a
    first guess at the titles: a wrong one costs the failed read it was meant to save.
    """
    key = hint_key(settings)
    if data is None or key in _TITLE_HINTS:
        return
    regions = data.get("regions")
    if not isinstance(regions, dict) or set(regions) != set(settings.regions):
        return
    _TITLE_HINTS[key] = Titles(
        regions={str(k): str(v) for k, v in regions.items()},
        options=str(data.get("options") or settings.options_tab),
        summary=data.get("summary") if isinstance(data.get("summary"), str) else None,
        compiled=data.get("compiled") if isinstance(data.get("compiled"), str) else None,
    )


def drop_title_hint(settings: SyncSettings) -> None:
    """Forget this spreadsheet's hint (a run failed: the next one starts from the names)."""
    _TITLE_HINTS.pop(hint_key(settings), None)
