"""
`evaluate` checks the rows its cache lacks a chunk at a time, column by column: every row must
come out as checking it alone gives (`rules.check_row`, then `kpi.evaluate_row`), blank rows
and repeated rows included, wherever the chunks begin and end.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import msgspec
import pytest

import kpi
import rules
from rules import headers as h
from sync.core import evaluate as ev
from sync.core.evaluate import RegionTab, evaluate
from sync.demo.data import generate_spreadsheet, options_lists

AS_OF = date(2024, 10, 1)


def alone(cells: dict[str, object], region: str) -> tuple[rules.RowResult, kpi.KpiResult]:
    """One row checked and computed on its own, keeping what a row evaluation keeps."""
    found = rules.check_row(
        cells, region=region, options=options_lists(), fiscal_year=2567, as_of=AS_OF
    )
    computed = kpi.evaluate_row(cells, parsed=found.values, changes=found.changes)
    kept = {x: found.values[x] for x in ev.KEPT_VALUES if x in found.values}
    return msgspec.structs.replace(found, values=kept, changes=None), computed


def tabs_with_repeats_and_blanks() -> list[RegionTab]:
    """Generated tabs (mistakes and repeated people included) with copied rows, blank rows
    and a row holding only an unticked box (typed, yet blank to the rules)."""
    demo = generate_spreadsheet(rows_per_region=150, seed=7)
    tabs = []
    for region in (t for t in demo.tabs if t.startswith("ศก.")):
        grid = copy.deepcopy(demo.tabs[region])
        mapping = rules.map_headers(grid[2], grid[1])
        unticked: list[object] = [""] * (1 + max(mapping.columns.values()))
        unticked[mapping.columns[h.BUSINESS_MATCHING]] = False
        grid[10:10] = [grid[5], [], grid[5][:], unticked, ["", " "], grid[40]]
        grid.append(grid[3])
        tabs.append(RegionTab(region, region, grid, mapping, {}, first_data_row=4))
    return tabs


@pytest.mark.parametrize("chunk", [1, 7, 1024])
def test_rows_checked_in_chunks_are_rows_checked_alone(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same status, findings, kept values, IDs and KPI cells for every row; same blank rows."""
    monkeypatch.setattr(ev, "CHECK_CHUNK", chunk)
    tabs = tabs_with_repeats_and_blanks()
    result = evaluate(tabs, options=options_lists(), fiscal_year=2567, as_of=AS_OF)
    expected_rows = []
    expected_blanks: dict[str, tuple[int, ...]] = {}
    for tab in tabs:
        blanks = []
        for number in range(tab.first_data_row, len(tab.grid) + 1):
            cells = tab.headers.row_cells(tab.grid[number - 1])
            if all(rules.is_blank(v) for v in cells.values()):
                blanks.append(number)
                continue
            check, computed = alone(cells, tab.region)
            if check.is_blank:
                blanks.append(number)
            else:
                expected_rows.append((tab.region, number, check, computed.values, computed.figures))
        expected_blanks[tab.region] = tuple(blanks)
    actual_rows = [(r.region, r.row, r.check, r.kpis, r.figures) for r in result.rows]
    assert len(actual_rows) > 1000
    assert expected_rows == actual_rows
    assert repr(expected_rows) == repr(actual_rows)
    assert expected_blanks == result.blank_rows
    assert all({12, 14, 15} <= set(blanks) for blanks in result.blank_rows.values())


def test_a_copied_row_shares_the_results_of_its_original() -> None:
    """A row equal to one checked in the same chunk gets the very same results (not a copy)."""
    tabs = tabs_with_repeats_and_blanks()[:1]
    rows = {
        r.row: r
        for r in evaluate(tabs, options=options_lists(), fiscal_year=2567, as_of=AS_OF).rows
    }
    assert rows[11].check is rows[6].check and rows[13].check is rows[6].check
    assert rows[11].kpis is rows[6].kpis


def test_equal_kpi_results_of_different_rows_are_kept_once() -> None:
    """
    A run keeps every row's KPI cells into its verify round: each distinct result is one
    object across the evaluation's rows (of ~123,000 results of a 14,000-row first run, ~25,000
    are distinct), as the rows checked alone give them.
    """
    rows = evaluate(
        tabs_with_repeats_and_blanks(), options=options_lists(), fiscal_year=2567, as_of=AS_OF
    ).rows
    results = [v for r in rows for v in r.kpis.values() if isinstance(v, Decimal) and v]
    objects: dict[Decimal, set[int]] = {}
    for value in results:
        objects.setdefault(value, set()).add(id(value))
    assert len(results) > 2 * len(objects)
    assert all(len(ids) == 1 for ids in objects.values())


def test_each_tab_is_checked_with_the_single_cells_caches_of_its_own_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The cells' caches serve one tab's rows and go after it (kept for a whole round they left
    holes among its results): a tab's check starts with nothing cached from the tabs before,
    its later chunks find its own cells cached, what a tab learnt of a column that does not
    repeat (national IDs) holds for the next, and nothing is cached once the round is done.
    """
    from rules.checks import geography
    from rules.row import _plan, forget_cells
    from rules.template import TEMPLATE

    monkeypatch.setattr(ev, "CHECK_CHUNK", 50)
    monkeypatch.setattr(rules.row, "UNIQUE_SAMPLE", 100)
    plan = _plan(TEMPLATE)
    check_rows = rules.check_rows
    seen: list[tuple[str, int, int, bool]] = []

    def spy(headers: object, rows: object, **kwargs: object) -> object:
        addresses = geography._check_address_cells.cache_info().currsize
        unique = plan.columns[h.NATIONAL_ID].unique
        seen.append((str(kwargs["region"]), plan.memo_size, addresses, unique))
        return check_rows(headers, rows, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rules, "check_rows", spy)
    forget_cells()
    evaluate(tabs_with_repeats_and_blanks(), options=options_lists(), fiscal_year=2567, as_of=AS_OF)
    firsts = [n for n, call in enumerate(seen) if n == 0 or seen[n - 1][0] != call[0]]
    assert len(firsts) == 7 and len(seen) > 14
    assert all(seen[n][1:3] == (0, 0) for n in firsts)
    assert all(
        memo > 0 and addresses > 0
        for n, (_, memo, addresses, _) in enumerate(seen)
        if n not in firsts
    )
    assert not seen[0][3] and all(seen[n][3] for n in firsts[1:])
    assert plan.memo_size == 0 and geography._check_address_cells.cache_info().currsize == 0
