"""
Objects positioned on a sheet: conditional format rules, protected ranges, charts, named ranges and
the basic filter (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request).

Stored as Google's JSON with an explicit ``sheetId``; ``public()`` drops it for sheet 0 on output.
"""

from __future__ import annotations

import re
from typing import Any

from sheets_emulator.api.batch_update._common import Context, Handler, need, stored_range
from sheets_emulator.api.fields import merge_masked, parse_mask
from sheets_emulator.model.errors import RequestInvalid
from sheets_emulator.model.store import Sheet

# -- conditional formats ---------------------------------------------------------------------


def _rule(ctx: Context, rule: Any) -> tuple[Sheet, dict[str, Any]]:
    if not isinstance(rule, dict):
        raise RequestInvalid("Missing rule")
    ranges = rule.get("ranges") or []
    if not ranges:
        raise RequestInvalid("A conditional format rule needs at least one range.")
    if (rule.get("booleanRule") is None) == (rule.get("gradientRule") is None):
        raise RequestInvalid(
            "A conditional format rule needs exactly one of booleanRule or gradientRule."
        )
    boolean = rule.get("booleanRule")
    if boolean is not None and not (boolean.get("condition") or {}).get("type"):
        raise RequestInvalid("booleanRule.condition.type is required.")
    grids = [ctx.grid(r) for r in ranges]
    sheet = grids[0].sheet
    if any(g.sheet is not sheet for g in grids):
        raise RequestInvalid("All ranges of a conditional format rule must be on the same sheet.")
    stored = dict(rule)
    stored["ranges"] = [stored_range(g, r) for g, r in zip(grids, ranges, strict=True)]
    return sheet, stored


def _rule_at(ctx: Context, body: dict[str, Any]) -> tuple[Sheet, int]:
    sheet = ctx.sheet(body.get("sheetId"))
    index = int(body.get("index") or 0)
    if not 0 <= index < len(sheet.conditional_formats):
        raise RequestInvalid(f"No conditional format on sheet {sheet.sheet_id} at index {index}")
    return sheet, index


def add_conditional_format_rule(ctx: Context, body: dict[str, Any]) -> None:
    """
    Insert a rule at ``index`` (rules earlier in the list take precedence); Google replies ``{}``.
    """
    sheet, rule = _rule(ctx, need(body, "rule"))
    index = int(body.get("index") or 0)
    if not 0 <= index <= len(sheet.conditional_formats):
        raise RequestInvalid(f"Invalid index {index}")
    sheet.conditional_formats.insert(index, rule)


def update_conditional_format_rule(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Replace a rule or move it to ``newIndex``; replies with old/new rule and index.
    """
    sheet, index = _rule_at(ctx, body)
    old = sheet.conditional_formats[index]
    if body.get("rule") is not None:
        new_sheet, rule = _rule(ctx, body["rule"])
        if new_sheet is not sheet:
            raise RequestInvalid("A rule cannot move to another sheet.")
        sheet.conditional_formats[index] = rule
        # oldIndex is "Not set if a rule was replaced (instead of moved)" (DD).
        reply = {"oldRule": old, "newRule": rule, "newIndex": index}
    elif body.get("newIndex") is not None:
        new_index = int(body["newIndex"])
        if not 0 <= new_index < len(sheet.conditional_formats):
            raise RequestInvalid(f"Invalid newIndex {new_index}")
        sheet.conditional_formats.insert(new_index, sheet.conditional_formats.pop(index))
        # oldRule is "Not set if a rule was moved (instead of replaced)" (DD).
        reply = {"newRule": old, "oldIndex": index, "newIndex": new_index}
    else:
        raise RequestInvalid("One of rule or newIndex must be set.")
    return {"updateConditionalFormatRule": {k: v for k, v in reply.items() if v != 0}}


def delete_conditional_format_rule(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Delete the rule at ``index``; the reply carries the deleted rule.
    """
    sheet, index = _rule_at(ctx, body)
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


# -- protected ranges ------------------------------------------------------------------------


def _all_protected(ctx: Context) -> list[tuple[Sheet, dict[str, Any]]]:
    return [(s, p) for s in ctx.spreadsheet.sheets for p in s.protected_ranges]


def _protection(ctx: Context, data: dict[str, Any]) -> tuple[Sheet, dict[str, Any]]:
    if data.get("namedRangeId") is not None:
        raise RequestInvalid("Protecting named ranges is not supported by this emulator.")
    if data.get("range") is not None:
        grid = ctx.grid(data["range"])
        sheet = grid.sheet
        stored_r = stored_range(grid, data["range"])
    else:
        raise RequestInvalid("A protected range needs a range.")
    # "When writing: if this field is true, then editors are ignored" (DD, warningOnly).
    editors = {} if data.get("warningOnly") else data.get("editors") or {}
    out: dict[str, Any] = {"range": stored_r}
    if data.get("description"):
        out["description"] = data["description"]
    if data.get("warningOnly"):
        out["warningOnly"] = True
    out["requestingUserCanEdit"] = True
    clean_editors = {k: v for k, v in editors.items() if v}
    out["editors"] = clean_editors
    if data.get("unprotectedRanges"):
        out["unprotectedRanges"] = [stored_range(ctx.grid(r), r) for r in data["unprotectedRanges"]]
    return sheet, out


def add_protected_range(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Protect a range; the reply assigns an integer ``protectedRangeId``.
    """
    data = need(body, "protectedRange")
    sheet, stored = _protection(ctx, data)
    taken = [p.get("protectedRangeId") for _, p in _all_protected(ctx)]
    pid = data.get("protectedRangeId")
    if pid is not None and int(pid) in taken:
        raise RequestInvalid(f"A protected range with id {pid} already exists.")
    stored = {"protectedRangeId": int(pid) if pid is not None else ctx.new_id(taken), **stored}
    reply = {"addProtectedRange": {"protectedRange": stored}}
    users = list(stored["editors"].get("users") or ())
    if ctx.principal is not None and ctx.principal not in users:
        # The reply echoes the editors asked for, but Google then lists the requesting
        # account among them, warning-only or not (gspread's test_add_protected_range_*).
        editors = {**stored["editors"], "users": [*users, ctx.principal]}
        stored = {**stored, "editors": editors}
    sheet.protected_ranges.append(stored)
    return reply


def _find_protected(ctx: Context, pid: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet, p in _all_protected(ctx):
        if p.get("protectedRangeId") == int(pid):
            return ctx.writable(sheet), next(
                q
                for q in ctx.writable(sheet).protected_ranges
                if q.get("protectedRangeId") == int(pid)
            )
    raise RequestInvalid(f"No protected range with id: {pid}")


def delete_protected_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Remove a protected range by ID.
    """
    sheet, p = _find_protected(ctx, need(body, "protectedRangeId"))
    sheet.protected_ranges.remove(p)


def update_protected_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Update the masked fields of a protected range.
    """
    data = need(body, "protectedRange")
    sheet, p = _find_protected(ctx, need(data, "protectedRangeId"))
    merged = merge_masked(p, data, parse_mask(str(need(body, "fields"))))
    new_sheet, stored = _protection(ctx, merged)
    stored = {"protectedRangeId": p["protectedRangeId"], **stored}
    sheet.protected_ranges.remove(p)
    ctx.writable(new_sheet).protected_ranges.append(stored)


# -- charts ----------------------------------------------------------------------------------


def _all_charts(ctx: Context) -> list[tuple[Sheet, dict[str, Any]]]:
    return [(s, c) for s in ctx.spreadsheet.sheets for c in s.charts]


def _check_sources(ctx: Context, spec: dict[str, Any]) -> None:
    basic = spec.get("basicChart")
    if not isinstance(basic, dict):
        return
    domains = [d.get("domain", {}) for d in basic.get("domains") or []]
    series = [s.get("series", {}) for s in basic.get("series") or []]
    counts = set()
    for source in [*domains, *series]:
        sources = (source.get("sourceRange") or {}).get("sources") or []
        counts.add(len(sources))
        for grid_range in sources:
            grid = ctx.grid(grid_range)
            if grid.rows != 1 and grid.columns != 1:
                raise RequestInvalid("Each chart source must be exactly one row or one column.")
    if len(counts) > 1:
        raise RequestInvalid("Domains and series must have the same number of source ranges.")


def add_chart(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Embed a chart; the reply carries the assigned ``chartId``.
    """
    chart = dict(need(body, "chart"))
    spec = need(chart, "spec")
    _check_sources(ctx, spec)
    position = chart.get("position") or {"newSheet": True}
    anchor = (position.get("overlayPosition") or {}).get("anchorCell")
    if anchor is not None:
        host = ctx.sheet(anchor.get("sheetId"))
        anchor.setdefault("sheetId", host.sheet_id)
    else:
        host = ctx.writable(ctx.spreadsheet.sheets[0])
    taken = [c.get("chartId") for _, c in _all_charts(ctx)]
    cid = chart.get("chartId")
    if cid is not None and int(cid) in taken:
        raise RequestInvalid(f"A chart with id {cid} already exists.")
    stored = {
        "chartId": int(cid) if cid is not None else ctx.new_id(taken),
        "spec": spec,
        "position": position,
    }
    host.charts.append(stored)
    return {"addChart": {"chart": stored}}


def _find_chart(ctx: Context, cid: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet, chart in _all_charts(ctx):
        if chart.get("chartId") == int(cid):
            own = ctx.writable(sheet)
            return own, next(c for c in own.charts if c.get("chartId") == int(cid))
    raise RequestInvalid(f"No chart with id: {cid}")


def update_chart_spec(ctx: Context, body: dict[str, Any]) -> None:
    """
    Replace a chart's spec.
    """
    _, chart = _find_chart(ctx, need(body, "chartId"))
    spec = need(body, "spec")
    _check_sources(ctx, spec)
    chart["spec"] = spec


def delete_embedded_object(ctx: Context, body: dict[str, Any]) -> None:
    """
    Delete a chart by its object ID.
    """
    sheet, chart = _find_chart(ctx, need(body, "objectId"))
    sheet.charts.remove(chart)


def update_embedded_object_position(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Move a chart; replies with the new position.
    """
    _, chart = _find_chart(ctx, need(body, "objectId"))
    mask = parse_mask(str(body.get("fields") or "*"))
    chart["position"] = merge_masked(chart.get("position") or {}, need(body, "newPosition"), mask)
    return {"updateEmbeddedObjectPosition": {"position": chart["position"]}}


# -- named ranges ----------------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


def _check_name(ctx: Context, name: Any, own: str | None = None) -> str:
    if (
        not isinstance(name, str)
        or not _NAME.match(name)
        or _CELL_LIKE.match(name)
        or name.upper() in ("TRUE", "FALSE")
    ):
        raise RequestInvalid(f"Invalid name for a named range: {name}")
    holders = ctx.named_range_names().get(name.lower())
    if (holders and any(nid != own for nid in holders)) or name.lower() in {
        broken.lower() for broken in ctx.spreadsheet.broken_names
    }:
        # Google's words (gspread issue 1530), for a listed name and an unlisted broken one.
        raise RequestInvalid(
            f"Cannot add named range with name: {name}, a named range with that name "
            "already exists."
        )
    return name


def add_named_range(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """
    Name a range; the reply's ``namedRangeId`` is a string, as on Google.
    """
    data = need(body, "namedRange")
    name = _check_name(ctx, data.get("name"))
    grid = ctx.grid(need(data, "range"))
    nid = data.get("namedRangeId")
    if nid is not None and any(
        n.get("namedRangeId") == str(nid) for n in ctx.spreadsheet.named_ranges
    ):
        raise RequestInvalid(f"A named range with id {nid} already exists.")
    stored = {
        "namedRangeId": str(nid) if nid is not None else str(ctx.new_id()),
        "name": name,
        "range": stored_range(grid, data["range"]),
    }
    ctx.spreadsheet.named_ranges.append(stored)
    return {"addNamedRange": {"namedRange": stored}}


def update_named_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Rename or re-point a named range (masked fields).
    """
    data = need(body, "namedRange")
    nid = str(need(data, "namedRangeId"))
    for i, n in enumerate(ctx.spreadsheet.named_ranges):
        if n.get("namedRangeId") == nid:
            merged = merge_masked(n, data, parse_mask(str(need(body, "fields"))))
            merged["name"] = _check_name(ctx, merged.get("name"), own=nid)
            grid = ctx.grid(need(merged, "range"))
            merged["range"] = stored_range(grid, merged["range"])
            ctx.spreadsheet.named_ranges[i] = merged
            return
    raise RequestInvalid(f"No named range with id: {nid}")


def delete_named_range(ctx: Context, body: dict[str, Any]) -> None:
    """
    Remove a named range by ID.
    """
    nid = str(need(body, "namedRangeId"))
    before = len(ctx.spreadsheet.named_ranges)
    ctx.spreadsheet.named_ranges = [
        n for n in ctx.spreadsheet.named_ranges if n.get("namedRangeId") != nid
    ]
    if len(ctx.spreadsheet.named_ranges) == before:
        raise RequestInvalid(f"No named range with id: {nid}")


# -- basic filter ----------------------------------------------------------------------------


def set_basic_filter(ctx: Context, body: dict[str, Any]) -> None:
    """
    Set (replace) a sheet's basic filter; filtering does not hide rows in the emulator.

    Google stores the filter's range with explicit bounds, 0…rowCount × 0…columnCount for a
    range that names only the sheet (recorded in gspread's ``test_basic_filters``).
    """
    data = dict(need(body, "filter"))
    grid = ctx.grid(need(data, "range"))
    data["range"] = {
        "sheetId": grid.sheet.sheet_id,
        "startRowIndex": grid.r0,
        "endRowIndex": grid.r1,
        "startColumnIndex": grid.c0,
        "endColumnIndex": grid.c1,
    }
    grid.sheet.basic_filter = data


def clear_basic_filter(ctx: Context, body: dict[str, Any]) -> None:
    """
    Remove a sheet's basic filter.
    """
    ctx.sheet(body.get("sheetId")).basic_filter = None


HANDLERS: dict[str, Handler] = {
    "addConditionalFormatRule": add_conditional_format_rule,
    "updateConditionalFormatRule": update_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "updateProtectedRange": update_protected_range,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "deleteEmbeddedObject": delete_embedded_object,
    "updateEmbeddedObjectPosition": update_embedded_object_position,
    "addNamedRange": add_named_range,
    "updateNamedRange": update_named_range,
    "deleteNamedRange": delete_named_range,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
}
