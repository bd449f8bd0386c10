"""
First-run and repair set-up, as batchUpdate requests: worker block, anchors, tabs, rules, chart.

Pure: given the spreadsheet's metadata and where each block goes, return the requests that
make the spreadsheet ready, and nothing when it already is. Everything the worker installs
is recognisable as its own (formula marker, protection description, chart title, name
prefix) so it is never confused with people's rules and is never installed twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rules import headers as h
from sync.core.cells import column_letter, to_extended
from sync.core.layout import column_key
from sync.core.sheet import SheetInfo

SETUP_VERSION = 3
"""Bumped whenever the set-up installs something new (2: column anchors; 3: the summary tab's
widths, number formats, frozen header and hidden record row), so old sheets get it."""
MARKER = 'N("sheetsync")=0'
"""Appended to every conditional-format formula the worker installs, to recognise them."""
PROTECTION_DESCRIPTION = "sheetsync: " + h.WORKER_SECTION_LABEL
CHART_TITLE = "สถานประกอบการที่นับได้ ต่อภูมิภาค"
ANCHOR_PREFIX = "sheetsync_"
"""Names of the worker's column anchors (named ranges) start with this."""

RED = {"red": 0.96, "green": 0.8, "blue": 0.8}
YELLOW = {"red": 1.0, "green": 0.95, "blue": 0.7}
GREEN = {"red": 0.85, "green": 0.94, "blue": 0.85}
GREY = {"red": 0.85, "green": 0.85, "blue": 0.85}
HEADER_GREY = {"red": 0.9, "green": 0.9, "blue": 0.9}
STATUS_COLOURS = (
    (h.STATUS_FAIL, RED),
    (h.STATUS_WARN, YELLOW),
    (h.STATUS_DUPLICATE, GREY),
    (h.STATUS_PASS, GREEN),
)


@dataclass(frozen=True)
class TabLayout:
    """Where one regional tab's columns are, as the setup needs them."""

    title: str
    info: SheetInfo
    input_columns: Mapping[str, int]
    worker_columns: Mapping[str, int]
    missing_worker: tuple[str, ...]
    header_row: int
    first_data_row: int
    name_tag: int = 0
    """Above 0: a new anchor of this tab is named `<name>__<tag>` (`fresh_anchor_name`)."""
    taken: frozenset[str] = frozenset()
    """Anchor names Google refused to add again this run or before: taken, though unlisted."""


def _grid_range(sheet_id: int, col: int, first_row: int) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": first_row - 1,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }


def _runs(columns: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous runs [start, end) of sorted column indexes."""
    runs: list[tuple[int, int]] = []
    for col in sorted(columns):
        if runs and runs[-1][1] == col:
            runs[-1] = (runs[-1][0], col + 1)
        else:
            runs.append((col, col + 1))
    return runs


def conditional_rules(tab: TabLayout) -> list[dict[str, Any]]:
    """
    The worker's conditional formats for one tab: status colours, then problem cells.

    Problem cells take one rule per severity for all input columns: `CHOOSE(COLUMN(), …)`
    gives the key of the column being coloured (columns are where this set-up saw them; a
    layout change re-runs the set-up), and the rule colours the cell when the row's codes
    name that key. Two rules instead of two per column keep the Sheets UI quick.
    """
    codes = column_letter(tab.worker_columns[h.ERROR_CODES])
    status = column_letter(tab.worker_columns[h.CHECK_STATUS])
    first = tab.first_data_row
    rules: list[dict[str, Any]] = []
    for value, colour in STATUS_COLOURS:
        rules.append(
            {
                "ranges": [
                    _grid_range(tab.info.sheet_id, tab.worker_columns[h.CHECK_STATUS], first)
                ],
                "booleanRule": {
                    "condition": {
                        "type": "CUSTOM_FORMULA",
                        "values": [
                            {"userEnteredValue": f'=AND(${status}{first}="{value}",{MARKER})'}
                        ],
                    },
                    "format": {"backgroundColor": colour},
                },
            }
        )
    if not tab.input_columns:
        return rules
    keys = ["-"] * (max(tab.input_columns.values()) + 1)  # "-" is never a key: no match
    for header, col in tab.input_columns.items():
        keys[col] = column_key(header)
    choose = "CHOOSE(COLUMN()," + ",".join(f'"{k}"' for k in keys) + ")"
    ranges = [
        {**_grid_range(tab.info.sheet_id, start, first), "endColumnIndex": end}
        for start, end in _runs(list(tab.input_columns.values()))
    ]
    for letter, colour in (("E", RED), ("W", YELLOW)):
        pattern = f'"(^|, ){letter}:[a-z0-9_]+/"&{choose}&"(,|$)"'
        formula = f'=AND(REGEXMATCH(${codes}{first}&"",{pattern}),{MARKER})'
        rules.append(
            {
                "ranges": ranges,
                "booleanRule": {
                    "condition": {
                        "type": "CUSTOM_FORMULA",
                        "values": [{"userEnteredValue": formula}],
                    },
                    "format": {"backgroundColor": colour},
                },
            }
        )
    return rules


def _is_ours(rule: Mapping[str, Any]) -> bool:
    values = rule.get("booleanRule", {}).get("condition", {}).get("values", [])
    return any(MARKER in str(v.get("userEnteredValue", "")) for v in values)


def _normalised(rule: Mapping[str, Any], sheet_id: int) -> str:
    """Rules compare after the API's proto3 omissions (sheetId 0, zero colour parts)."""
    ranges = [{"sheetId": sheet_id, **r} if "sheetId" not in r else dict(r) for r in rule["ranges"]]
    boolean = rule.get("booleanRule", {})
    colour = {k: v for k, v in boolean.get("format", {}).get("backgroundColor", {}).items() if v}
    formula = [v.get("userEnteredValue") for v in boolean.get("condition", {}).get("values", [])]
    return json.dumps(
        [ranges, formula, {k: round(float(v), 2) for k, v in colour.items()}], sort_keys=True
    )


def rule_requests(tab: TabLayout) -> list[dict[str, Any]]:
    """Delete and re-add the worker's rules of a tab only when they differ from the wanted set."""
    wanted = conditional_rules(tab)
    existing = list(tab.info.conditional_formats)
    ours = [(i, r) for i, r in enumerate(existing) if _is_ours(r)]
    sheet_id = tab.info.sheet_id
    if [_normalised(r, sheet_id) for _, r in ours] == [_normalised(r, sheet_id) for r in wanted]:
        return []
    requests: list[dict[str, Any]] = [
        {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": i}}
        for i, _ in sorted(ours, key=lambda item: item[0], reverse=True)
    ]
    base = len(existing) - len(ours)
    for offset, rule in enumerate(wanted):
        requests.append({"addConditionalFormatRule": {"rule": rule, "index": base + offset}})
    return requests


def block_requests(tab: TabLayout) -> list[dict[str, Any]]:
    """
    Insert the missing worker columns (labels, headers, warning-only protection).

    The columns are *inserted*, never written into existing empty ones: within this atomic
    batch the new columns are fresh and empty wherever people moved columns since the read,
    so the headers and anchors that follow them cannot land in a person's column.
    """
    requests: list[dict[str, Any]] = []
    sheet_id = tab.info.sheet_id
    if tab.missing_worker:
        first_col = min(tab.worker_columns[x] for x in tab.missing_worker)
        count = len(tab.missing_worker)
        if first_col >= tab.info.column_count:
            # Insert "inheriting from after" needs a column after: add spare ones at the end.
            requests.append(
                {
                    "appendDimension": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "length": first_col - tab.info.column_count + 1,
                    }
                }
            )
        requests.append(
            {
                "insertDimension": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": first_col,
                        "endIndex": first_col + count,
                    },
                    "inheritFromBefore": False,
                }
            }
        )
        if tab.header_row >= 2 and count == len(tab.worker_columns):
            # A whole new block is labelled here; a partly kept one gets its label back
            # through its anchors (the pipeline writes it above the block's first column).
            requests.append(
                {
                    "updateCells": {
                        "start": {
                            "sheetId": sheet_id,
                            "rowIndex": tab.header_row - 2,
                            "columnIndex": first_col,
                        },
                        "rows": [{"values": [to_extended(h.WORKER_SECTION_LABEL)]}],
                        "fields": "userEnteredValue",
                    }
                }
            )
        for header in tab.missing_worker:
            requests.append(
                {
                    "updateCells": {
                        "start": {
                            "sheetId": sheet_id,
                            "rowIndex": tab.header_row - 1,
                            "columnIndex": tab.worker_columns[header],
                        },
                        "rows": [
                            {
                                "values": [
                                    {
                                        **to_extended(header),
                                        "userEnteredFormat": {"backgroundColor": HEADER_GREY},
                                    }
                                ]
                            }
                        ],
                        "fields": "userEnteredValue,userEnteredFormat.backgroundColor",
                    }
                }
            )
    protected = any(
        p.get("description") == PROTECTION_DESCRIPTION for p in tab.info.protected_ranges
    )
    if not protected or tab.missing_worker:
        for p in tab.info.protected_ranges:
            if p.get("description") == PROTECTION_DESCRIPTION and "protectedRangeId" in p:
                requests.append(
                    {"deleteProtectedRange": {"protectedRangeId": p["protectedRangeId"]}}
                )
        start = min(tab.worker_columns.values())
        end = max(tab.worker_columns.values()) + 1
        requests.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": tab.header_row - 1,
                            "startColumnIndex": start,
                            "endColumnIndex": end,
                        },
                        "description": PROTECTION_DESCRIPTION,
                        "warningOnly": True,
                    }
                }
            }
        )
    return requests


def anchor_name(sheet_id: int, header: str) -> str:
    """
    The named range over one worker column of one tab.

    Regional worker cells are written through these names, never by position: Google moves a
    named range with its column when people insert, delete or move columns, so a column
    inserted between a run's read and its write cannot turn the write into a person's column.
    A name whose column was deleted no longer resolves, and the write fails instead.
    """
    return f"{ANCHOR_PREFIX}{sheet_id}_{column_key(header)}"


ANCHOR_TAG = "__"
"""Between an anchor's name and the tag of a later generation (`fresh_anchor_name`)."""


def anchor_base(name: str) -> str:
    """The `anchor_name` a (possibly tagged) anchor's name stands for."""
    base, sep, tag = name.rpartition(ANCHOR_TAG)
    return base if sep and tag.isdigit() and base.startswith(ANCHOR_PREFIX) else name


def anchor_sheet(name: str) -> str:
    """The sheetId (as text) an anchor's name names its tab by."""
    return name[len(ANCHOR_PREFIX) :].split("_", 1)[0]


def anchors_by_base(named_ranges: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """
    The worker's anchors among these named ranges by the `anchor_name` they stand for (one
    each: one that names a column before one that does not, then the latest generation).
    """
    out: dict[str, Mapping[str, Any]] = {}
    for named in named_ranges:
        name = str(named.get("name", ""))
        if not name.startswith(ANCHOR_PREFIX):
            continue
        base = anchor_base(name)
        have = out.get(base)
        if have is None or (_names_a_column(named.get("range")), len(name), name) > (
            _names_a_column(have.get("range")),
            len(str(have.get("name", ""))),
            str(have.get("name", "")),
        ):
            out[base] = named
    return out


def fresh_anchor_name(base: str, tag: int, taken: Iterable[str]) -> str:
    """
    The name of a new anchor for `base`: `base` itself, or `base__<tag>` (the next free tag)
    when `tag` says so or the name is taken.

    Google keeps the name of a named range whose column was deleted, unlisted (#REF!), and
    refuses to add one of that name again (gspread issue 1530): an anchor put back after its
    column was deleted gets a name of its own generation, so the batch that puts it back is
    not refused for a name no read shows.
    """
    refused = set(taken)
    if not tag and base not in refused:
        return base
    number = max(tag, 2)
    while f"{base}{ANCHOR_TAG}{number}" in refused:
        number += 1
    return f"{base}{ANCHOR_TAG}{number}"


def names_in_use(
    named_ranges: Iterable[Mapping[str, Any]], requests: Iterable[Mapping[str, Any]] = ()
) -> dict[str, str]:
    """Per `anchor_name`, the name its anchor has once `requests` are applied."""
    out = {base: str(named["name"]) for base, named in anchors_by_base(named_ranges).items()}
    for request in requests:
        if "addNamedRange" in request:
            name = str(request["addNamedRange"]["namedRange"]["name"])
            out[anchor_base(name)] = name
    return out


def _anchor_range(sheet_id: int, col: int) -> dict[str, int]:
    # Whole column, no row bounds: inserting or deleting rows never moves or shrinks it.
    return {"sheetId": sheet_id, "startColumnIndex": col, "endColumnIndex": col + 1}


def _same_range(got: Mapping[str, Any] | None, wanted: Mapping[str, int]) -> bool:
    """Compare after the API's omissions (sheetId 0 and zero start indexes are left out)."""
    if not got:
        return False
    norm = {k: int(v) for k, v in got.items() if v is not None}
    norm.setdefault("sheetId", 0)
    if norm.get("startRowIndex") == 0:
        del norm["startRowIndex"]
    return norm == dict(wanted)


def _names_a_column(got: Mapping[str, Any] | None) -> bool:
    # A named range listed with no usable column range is replaced. (One whose cells were all
    # deleted Google no longer lists at all, though it keeps its name: `fresh_anchor_name`.)
    return got is not None and "endColumnIndex" in got


def anchor_requests(
    tabs: Sequence[TabLayout], existing: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """
    Name every worker column that has no anchor; drop the worker's anchors nothing uses.

    An existing anchor is never re-pointed by position: it moves with its column, so where it
    disagrees with the read the read may be the stale one (`anchors_to_confirm` checks it).
    Replaced are only the anchor of a column this batch inserts and one that names no column.
    People's own names, and anchors of tabs not processed this run, are left alone. A new
    anchor is named by `fresh_anchor_name`.
    """
    kept_sheets = {str(t.info.sheet_id) for t in tabs}
    by_base = anchors_by_base(existing)
    chosen = {id(named) for named in by_base.values()}
    wanted = {anchor_name(t.info.sheet_id, x) for t in tabs for x in t.worker_columns}
    deletes: list[dict[str, Any]] = []
    adds: list[dict[str, Any]] = []
    for named in existing:
        name = str(named.get("name", ""))
        if (
            name.startswith(ANCHOR_PREFIX)
            and anchor_sheet(name) in kept_sheets
            and (anchor_base(name) not in wanted or id(named) not in chosen)
        ):
            deletes.append({"deleteNamedRange": {"namedRangeId": named["namedRangeId"]}})
    for tab in tabs:
        for header, col in tab.worker_columns.items():
            base = anchor_name(tab.info.sheet_id, header)
            found = by_base.get(base)
            if found is not None and (
                header in tab.missing_worker or not _names_a_column(found.get("range"))
            ):
                deletes.append({"deleteNamedRange": {"namedRangeId": found["namedRangeId"]}})
                found = None
            if found is None:
                name = fresh_anchor_name(base, tab.name_tag, tab.taken)
                grid_range = _anchor_range(tab.info.sheet_id, col)
                adds.append({"addNamedRange": {"namedRange": {"name": name, "range": grid_range}}})
    return deletes + adds


def anchors_to_confirm(
    tabs: Sequence[TabLayout],
    existing: Sequence[Mapping[str, Any]],
    requests: Sequence[Mapping[str, Any]],
) -> dict[str, str]:
    """
    Anchors to read back before writing through them: name -> the header they must top.

    Those the requests put on columns that already existed (the column may have moved since
    the read), and existing ones that disagree with the read (the anchor or the read is
    stale). An anchor on a column inserted by the same batch is certainly right.
    """
    added = {
        anchor_base(name): name
        for r in requests
        if "addNamedRange" in r
        for name in (str(r["addNamedRange"]["namedRange"]["name"]),)
    }
    by_base = anchors_by_base(existing)
    out: dict[str, str] = {}
    for tab in tabs:
        for header, col in tab.worker_columns.items():
            if header in tab.missing_worker:
                continue
            base = anchor_name(tab.info.sheet_id, header)
            if base in added:
                out[added[base]] = header
                continue
            found = by_base.get(base)
            if found is not None and not _same_range(
                found.get("range"), _anchor_range(tab.info.sheet_id, col)
            ):
                out[str(found["name"])] = header
    return out


def title_guard(sheet_id: int, title: str) -> dict[str, Any]:
    """
    A request that fails its whole atomic batch unless tab `sheet_id` is (still) `title`.

    Ids and titles are hints (a record people can edit, tabs they swap, duplicate or delete);
    naming the tab its own title is a no-op when they agree, and is refused ("a sheet with
    the name … already exists", or an unknown id) when another tab holds the title, so
    nothing of the batch — nor any later write of the round — lands in the wrong tab.
    """
    return {
        "updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "title": title},
            "fields": "title",
        }
    }


def add_sheet_request(
    sheet_id: int, title: str, index: int, rows: int, cols: int
) -> dict[str, Any]:
    """A worker-owned tab, with an id chosen here so later requests of the batch can use it."""
    return {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": title,
                "index": index,
                "gridProperties": {"rowCount": rows, "columnCount": cols},
            }
        }
    }


def resize_request(info: SheetInfo, rows: int, cols: int) -> dict[str, Any] | None:
    """Grow (never shrink) a worker tab's grid to hold `rows` × `cols`."""
    new_rows = max(info.row_count, rows)
    new_cols = max(info.column_count, cols)
    if (new_rows, new_cols) == (info.row_count, info.column_count):
        return None
    return {
        "updateSheetProperties": {
            "properties": {
                "sheetId": info.sheet_id,
                "gridProperties": {"rowCount": new_rows, "columnCount": new_cols},
            },
            "fields": "gridProperties(rowCount,columnCount)",
        }
    }


def checkbox_request(sheet_id: int, row: int, col: int) -> dict[str, Any]:
    """The on-demand `ซิงก์ทันที` checkbox on the summary tab."""
    return {
        "setDataValidation": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": row - 1,
                "endRowIndex": row,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "rule": {"condition": {"type": "BOOLEAN"}, "showCustomUi": True},
        }
    }


def fingerprint(layouts: Sequence[TabLayout], extra: Sequence[object] = ()) -> str:
    """Changes whenever what the setup installs would change (column moves, regions, version)."""
    data = [
        SETUP_VERSION,
        [
            (t.title, sorted(t.input_columns.items()), sorted(t.worker_columns.items()))
            for t in layouts
        ],
        list(extra),
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]
