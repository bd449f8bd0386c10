"""
A round's writes: the set-up and the worker's own tabs in one atomic batch, then regional cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from sync.core.cells import cell_at
from sync.core.diff import (
    Batch,
    CellChange,
    Request,
    batches,
    group_blocks,
    update_requests,
    value_writes,
)
from sync.core.errors import WriteOutcomeUnknown
from sync.core.evaluate import NOTHING_EVALUATED
from sync.core.round import Plan, RowPadding
from sync.core.settings import SyncSettings
from sync.core.setup import anchor_base
from sync.core.setup_requests import anchor_ids
from sync.run.counter import Counter


class AnchorsMoved(Exception):
    """Anchors read back off their columns: nothing was written through them; look again."""

    def __init__(self, message: str, lost: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.lost = lost
        """Anchors that were there before this set-up and no longer top their header (their
        column's header retyped): the worker's column is gone, and the next round adds a new
        one rather than take a column by a header people can type (`Snapshot.lost_anchors`)."""


def write_round(counter: Counter, settings: SyncSettings, plan: Plan) -> None:
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

    request_batches, by_name = _setup_batches(settings, plan)
    # Built into those batches if a positional write needed it: the padding and the rows it
    # would be built from go now, before the calls and the anchored writes fill memory.
    plan.row_padding = RowPadding()
    plan.evaluation = NOTHING_EVALUATED
    anchored = plan.changes.where(by_name)
    sid = settings.spreadsheet_id
    unknown: WriteOutcomeUnknown | None = None
    replies: list[Any] = []

    def send(calls: list[Callable[[], Any]], *, guarded: bool) -> None:
        # In order; each call (and the requests it holds) is let go once made.
        nonlocal unknown
        calls.reverse()
        while calls:
            try:
                replies.append(calls.pop()())
            except WriteOutcomeUnknown as exc:
                if guarded:
                    raise  # its guards are unconfirmed: nothing goes by id until a new look
                unknown = unknown or exc
            guarded = False

    setup_calls: list[Callable[[], Any]] = [
        partial(counter.batch_update, sid, batch) for batch in request_batches
    ]
    del request_batches
    send(setup_calls, guarded=bool(plan.guards))
    if plan.confirm_anchors:
        _confirm_anchors(counter, settings, plan, replies)
    # Built once the set-up calls are made and let go, so the two never fill memory together.
    writes = value_writes(anchored, by_name)
    del anchored
    value_calls: list[Callable[[], Any]] = [
        partial(counter.write_values, sid, batch, input_option=option)
        for option, data in (("RAW", writes.raw), ("USER_ENTERED", writes.formulas))
        for batch in batches(data, settings.max_write_bytes)
    ]
    del writes
    send(value_calls, guarded=False)
    if unknown is not None:
        raise unknown


def _setup_batches(
    settings: SyncSettings, plan: Plan
) -> tuple[list[Batch[Request]], dict[Any, str]]:
    """
    The calls of the set-up and the worker's own tabs, and the anchor of each regional cell
    that goes by anchor. When everything fits in one call, the cells of columns that call
    inserts go in it by position; otherwise they too go by anchor.
    """

    def split(fresh: frozenset[tuple[str, int]]) -> tuple[list[Batch[Request]], dict[Any, str]]:
        by_name = {cell: name for cell, name in plan.anchors.items() if cell not in fresh}
        padding: Sequence[CellChange] = plan.padding
        if any(cell not in by_name for cell in plan.row_padding.columns):
            padding = plan.row_padding.around(padding, plan.changes)
        positional = plan.changes.where(by_name, outside=True)
        positional.extend(c for c in padding if (c.tab, c.col) not in by_name)
        values = update_requests(group_blocks(positional), plan.meta.sheet_ids)
        requests: list[Request] = [*plan.guards, *plan.setup_requests, *plan.moves, *values]
        shift = len(plan.guards)
        together = [(start + shift, end + shift) for start, end in plan.setup_together]
        return batches(requests, settings.max_write_bytes, together=together), by_name

    request_batches, by_name = split(frozenset())
    if plan.fresh_columns and len(request_batches) == 1:
        # Split calls would not be one atomic batch: only then do fresh columns go by anchor.
        fresh_batches, fresh_by_name = split(plan.fresh_columns)
        if len(fresh_batches) == 1:
            return fresh_batches, fresh_by_name
    return request_batches, by_name


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
        ids.update(anchor_ids(info.named_ranges))
    deletes = [{"deleteNamedRange": {"namedRangeId": ids[name]}} for name in wrong if name in ids]
    if deletes:
        counter.batch_update(settings.spreadsheet_id, deletes)
    added = {
        str(r["addNamedRange"]["namedRange"]["name"])
        for r in plan.setup_requests
        if "addNamedRange" in r
    }
    raise AnchorsMoved(
        f"Column anchors {', '.join(wrong)} do not top their columns (columns moved during "
        "set-up); removed them, looking again.",
        lost=tuple(anchor_base(name) for name in wrong if name not in added),
    )


def _named_range_ids(replies: Sequence[Any]) -> dict[str, str]:
    """Name -> id of every anchor the set-up added (from the batchUpdate replies)."""
    return anchor_ids(
        reply.get("addNamedRange", {}).get("namedRange", {})
        for batch in replies
        if isinstance(batch, list)
        for reply in batch
    )
