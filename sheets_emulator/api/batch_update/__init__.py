"""
``spreadsheets.batchUpdate``: a registry of request handlers applied atomically.

Per https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate, "if any
request is not valid then the entire request will fail and nothing will be applied": requests run
against a copy of the spreadsheet that replaces the stored one only when every request succeeded.
Request types outside the registry fail with ``Unsupported request type`` rather than being ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheets_emulator.api.batch_update import cells, dimensions, metadata, objects, ranges, sheets
from sheets_emulator.api.batch_update._common import Context, Handler, public, strip_nulls
from sheets_emulator.model.errors import ApiError, RequestInvalid, invalid_argument
from sheets_emulator.model.store import Store

if TYPE_CHECKING:
    from sheets_emulator.api.call import Call

REGISTRY: dict[str, Handler] = {
    **sheets.HANDLERS,
    **dimensions.HANDLERS,
    **cells.HANDLERS,
    **ranges.HANDLERS,
    **objects.HANDLERS,
    **metadata.HANDLERS,
}
# Request kinds whose handler gets the payload as sent and treats nulls as absent itself: an
# updateCells can carry thousands of cells, and copying them all just to drop nulls cost more
# than writing them.
RAW_PAYLOAD = frozenset({"updateCells"})


def batch_update(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve spreadsheets.batchUpdate: replies map 1:1 to requests; any failure changes nothing.
    """
    from sheets_emulator.api.spreadsheets_get import render_spreadsheet

    body = call.body
    requests = body.get("requests")
    if not requests:
        raise invalid_argument("Must specify at least one request.")
    if not isinstance(requests, list):
        raise invalid_argument("Invalid value at 'requests'")
    ctx = Context(
        store,
        call.spreadsheet.clone(sheets=False),
        call.request.principal,
        body_has_nulls=call.request.body_has_nulls,
    )
    replies: list[dict[str, Any]] = []
    try:
        for i, request in enumerate(requests):
            replies.append(_apply(ctx, i, request))
    except BaseException:
        # Tabs changed in place are put back; cloned ones are simply dropped with ``ctx``.
        ctx.rollback()
        raise
    ctx.spreadsheet.touch()
    committed = store.commit(ctx.spreadsheet)
    out: dict[str, Any] = {"spreadsheetId": committed.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse") in (True, "true", "True"):
        grid = body.get("responseIncludeGridData") in (True, "true", "True")
        out["updatedSpreadsheet"] = render_spreadsheet(committed, include_grid_data=grid)
    return out


def _apply(ctx: Context, i: int, request: Any) -> dict[str, Any]:
    """
    Validate and run the ``i``-th request of a batch and return its public reply.
    """
    if not isinstance(request, dict):
        raise invalid_argument(f"Invalid requests[{i}]: Request must be an object")
    if len(request) != 1 or next(iter(request.values())) is None:
        request = {k: v for k, v in request.items() if v is not None}
    if len(request) != 1:
        kinds = ", ".join(sorted(request)) or "none"
        raise invalid_argument(
            f"Invalid requests[{i}]: Exactly one request kind expected, got {kinds}"
        )
    ((name, payload),) = request.items()
    handler = REGISTRY.get(name)
    if handler is None:
        raise invalid_argument(f"Invalid requests[{i}]: Unsupported request type {name}")
    if not isinstance(payload, dict):
        raise invalid_argument(f"Invalid requests[{i}].{name}: the request must be an object")
    if ctx.body_has_nulls and name not in RAW_PAYLOAD:
        # Also a copy: an in-process caller's dicts must not end up inside the store.
        payload = strip_nulls(payload)
    try:
        reply = handler(ctx, payload)
    except (RequestInvalid, ApiError) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        raise invalid_argument(f"Invalid requests[{i}].{name}: {message}") from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # A field of the wrong JSON type (e.g. a string where an index belongs).
        raise invalid_argument(f"Invalid requests[{i}].{name}: invalid value ({exc})") from exc
    return public(reply) if reply else {}


SUPPORTED_REQUESTS = tuple(sorted(REGISTRY))
