"""Set-up: colour rules that colour exactly the cells codes name, column anchors, the block."""

from __future__ import annotations

import re
from typing import Any

import rules
from rules import headers as h
from sync.backends.base import SheetInfo
from sync.core.evaluate import CODES_SEPARATOR, finding_token
from sync.core.setup import (
    MARKER,
    TabLayout,
    anchor_name,
    anchor_requests,
    anchors_to_confirm,
    block_requests,
    conditional_rules,
    rule_requests,
)


def _layout(existing: tuple[dict[str, object], ...] = ()) -> TabLayout:
    return TabLayout(
        title="ศก.1",
        info=SheetInfo(7, "ศก.1", 1, 1000, 100, conditional_formats=existing),
        input_columns={h.NATIONAL_ID: 8, h.FULL_NAME: 9},
        worker_columns={header: 60 + i for i, header in enumerate(h.WORKER_HEADERS)},
        missing_worker=(),
        header_row=3,
        first_data_row=4,
    )


def _patterns(rule: dict[str, Any]) -> list[tuple[int, str]]:
    """
    Each column a rule colours with the REGEXMATCH pattern Sheets evaluates there.

    The formula builds its pattern as `"prefix"&CHOOSE(COLUMN(),"k1","k2",…)&"suffix"`;
    this does what Sheets does: COLUMN() is the 1-based column of the cell being coloured.
    """
    formula = str(rule["booleanRule"]["condition"]["values"][0]["userEnteredValue"])
    found = re.search(r'REGEXMATCH\([^,]+,"(.*?)"&CHOOSE\(COLUMN\(\),(.*?)\)&"(.*?)"\)', formula)
    assert found is not None, formula
    prefix, choices, suffix = found.groups()
    keys = re.findall(r'"([^"]*)"', choices)
    out = []
    for grid_range in rule["ranges"]:
        for col in range(grid_range["startColumnIndex"], grid_range["endColumnIndex"]):
            out.append((col, prefix + keys[col] + suffix))
    return out


def test_codes_cell_drives_the_colour_of_each_input_cell() -> None:
    """An error on the ID colours the ID cell red only; once fixed, nothing matches."""
    error = rules.Finding("pin_checksum", rules.Severity.ERROR, h.NATIONAL_ID, "x")
    warning = rules.Finding("name_no_space", rules.Severity.WARNING, h.FULL_NAME, "y")
    codes = CODES_SEPARATOR.join(finding_token(f) for f in (error, warning))
    colouring = conditional_rules(_layout())[4:]
    assert 2 == len(colouring)  # one rule per severity, whatever the number of columns
    hits = set()
    for rule, letter in zip(colouring, ("E", "W"), strict=True):
        for column, pattern in _patterns(rule):
            if re.search(pattern, codes):
                hits.add((column, letter))
    assert {(8, "E"), (9, "W")} == hits
    fixed = finding_token(warning)
    still = [c for rule in colouring for c, p in _patterns(rule) if re.search(p, fixed)]
    assert [9] == still


def test_every_input_column_and_nothing_else_is_coloured() -> None:
    """The rules cover exactly the input columns, in runs, around columns people added."""
    layout = TabLayout(
        title="ศก.1",
        info=SheetInfo(7, "ศก.1", 1, 1000, 100),
        input_columns={h.NATIONAL_ID: 2, h.FULL_NAME: 3, h.MOBILE: 6},
        worker_columns={header: 60 + i for i, header in enumerate(h.WORKER_HEADERS)},
        missing_worker=(),
        header_row=3,
        first_data_row=4,
    )
    rule = conditional_rules(layout)[4]
    assert [2, 3, 6] == [c for c, _ in _patterns(rule)]
    assert all(r["startRowIndex"] == 3 for r in rule["ranges"])


def test_rules_are_installed_once() -> None:
    """When the wanted rules are already there (as the API echoes them), nothing is sent."""
    wanted = conditional_rules(_layout())
    assert rule_requests(_layout()) != []
    echoed = tuple(dict(rule) for rule in wanted)
    assert [] == rule_requests(_layout(echoed))
    assert all(MARKER in str(rule) for rule in wanted)


def _tab(
    sheet_id: int, first_worker: int, missing: tuple[str, ...] = (), cols: int = 100
) -> TabLayout:
    return TabLayout(
        title=f"t{sheet_id}",
        info=SheetInfo(sheet_id, f"t{sheet_id}", 1, 1000, cols),
        input_columns={h.NATIONAL_ID: 8},
        worker_columns={x: first_worker + i for i, x in enumerate(h.WORKER_HEADERS)},
        missing_worker=missing,
        header_row=3,
        first_data_row=4,
    )


def _whole_column(sheet_id: int, col: int) -> dict[str, int]:
    return {"sheetId": sheet_id, "startColumnIndex": col, "endColumnIndex": col + 1}


def test_anchors_are_added_once_per_worker_column() -> None:
    """A tab without anchors gets one whole-column named range per worker column."""
    requests = anchor_requests([_tab(7, 60)], [])
    added = {r["addNamedRange"]["namedRange"]["name"]: r for r in requests}
    assert len(h.WORKER_HEADERS) == len(requests) == len(added)
    status = added[anchor_name(7, h.CHECK_STATUS)]["addNamedRange"]["namedRange"]
    assert "sheetsync_7_check_status" == status["name"]
    col = 60 + h.WORKER_HEADERS.index(h.CHECK_STATUS)
    assert _whole_column(7, col) == status["range"]


def test_anchors_in_place_need_nothing_even_as_the_api_echoes_them() -> None:
    """Sheet 0 and zero indexes are omitted in echoes; that is still the same range."""
    tab = _tab(0, 60)
    echoed = [
        {
            "namedRangeId": str(i),
            "name": anchor_name(0, x),
            "range": {"startColumnIndex": 60 + i, "endColumnIndex": 61 + i},
        }
        for i, x in enumerate(h.WORKER_HEADERS)
    ]
    assert [] == anchor_requests([tab], echoed)


def test_moved_stale_broken_and_foreign_named_ranges() -> None:
    """
    A disagreeing anchor is checked, not moved; a stale one goes; a broken one is replaced.

    An anchor follows its column, so when it disagrees with the read either may be stale:
    re-pointing it by position could move it onto somebody's column. People's names stay.
    """
    tab = _tab(7, 60)
    existing: list[dict[str, object]] = [
        {"namedRangeId": f"id{i}", "name": anchor_name(7, x), "range": _whole_column(7, 60 + i)}
        for i, x in enumerate(h.WORKER_HEADERS)
    ]
    existing[0]["range"] = _whole_column(7, 12)  # disagrees with the read
    existing[1]["range"] = {"sheetId": 7}  # its column was deleted
    existing += [
        {"namedRangeId": "old", "name": "sheetsync_7_retired", "range": _whole_column(7, 99)},
        {"namedRangeId": "other", "name": "sheetsync_8_details", "range": _whole_column(8, 5)},
        {"namedRangeId": "mine", "name": "ยอดรวม", "range": _whole_column(7, 3)},
    ]
    requests = anchor_requests([tab], existing)
    assert [
        {"deleteNamedRange": {"namedRangeId": "old"}},
        {"deleteNamedRange": {"namedRangeId": "id1"}},
        {
            "addNamedRange": {
                "namedRange": {
                    "name": anchor_name(7, h.WORKER_HEADERS[1]),
                    "range": _whole_column(7, 61),
                }
            }
        },
    ] == requests
    assert {
        anchor_name(7, h.WORKER_HEADERS[0]): h.WORKER_HEADERS[0],
        anchor_name(7, h.WORKER_HEADERS[1]): h.WORKER_HEADERS[1],
    } == anchors_to_confirm([tab], existing, requests)


def test_anchors_on_new_columns_need_no_check() -> None:
    """Columns inserted by the same batch are the planned ones; existing ones get checked."""
    missing = h.WORKER_HEADERS[10:]
    tab = _tab(7, 60, missing)
    requests = anchor_requests([tab], [])
    assert {anchor_name(7, x): x for x in h.WORKER_HEADERS[:10]} == anchors_to_confirm(
        [tab], [], requests
    )


def test_missing_worker_columns_are_inserted_never_written_over() -> None:
    """The block goes into freshly inserted columns; spare ones are added first at the end."""
    inside = block_requests(_tab(7, 60, h.WORKER_HEADERS, cols=100))
    assert {
        "insertDimension": {
            "range": {"sheetId": 7, "dimension": "COLUMNS", "startIndex": 60, "endIndex": 79},
            "inheritFromBefore": False,
        }
    } == inside[0]
    at_end = block_requests(_tab(7, 60, h.WORKER_HEADERS, cols=60))
    assert {"appendDimension": {"sheetId": 7, "dimension": "COLUMNS", "length": 1}} == at_end[0]
    assert "insertDimension" in at_end[1]
