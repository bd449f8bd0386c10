"""
`evaluate` re-uses a row's results from the run's first round only when the row is the same.
"""

from __future__ import annotations

import copy
import gc
from datetime import date

import kpi
import rules
from rules import headers as h
from sync.core.evaluate import KEPT_CELLS, Evaluation, RegionTab, RowCache, evaluate
from sync.demo.data import generate_spreadsheet, options_lists

REGION = "ศก.1"

Cache = dict[tuple[object, ...], tuple[rules.RowResult, kpi.KpiResult]]
"""The run's row cache that `evaluate` shares between its two rounds."""


def tab_of(grid: list[list[object]]) -> RegionTab:
    """The first regional tab of a generated sheet, as a run reads it."""
    mapping = rules.map_headers(grid[2], grid[1])
    return RegionTab(REGION, REGION, grid, mapping, {}, first_data_row=4)


def run(grid: list[list[object]], cache: Cache | RowCache) -> Evaluation:
    """Evaluate the tab with a cache shared between calls, as a run's rounds share it."""
    return evaluate(
        [tab_of(grid)],
        options=options_lists(),
        fiscal_year=2567,
        as_of=date(2024, 10, 1),
        cache=cache,
    )


def generated_grid() -> list[list[object]]:
    """A small generated regional tab with no mistakes (every row passes or warns)."""
    return copy.deepcopy(generate_spreadsheet(rows_per_region=3, error_rate=0).tabs[REGION])


def test_an_unchanged_row_is_not_checked_again() -> None:
    """The second round gets the very results of the first: nothing was re-checked."""
    grid = generated_grid()
    cache: Cache = {}
    first, second = run(grid, cache), run(grid, cache)
    assert [r.check for r in first.rows] == [r.check for r in second.rows]
    assert all(a.check is b.check for a, b in zip(first.rows, second.rows, strict=True))


def test_a_number_that_became_true_is_checked_again() -> None:
    """1 and TRUE are equal in Python, but TRUE in an amount column is not a number."""
    grid = generated_grid()
    column = rules.map_headers(grid[2], grid[1]).columns[h.COST_BEFORE]
    row = grid[3]
    row += [None] * (column + 1 - len(row))
    row[column] = 1
    cache: Cache = {}
    assert "not_a_number" not in run(grid, cache).rows[0].check.codes
    row[column] = True
    assert "not_a_number" in run(grid, cache).rows[0].check.codes


def test_a_row_under_swapped_headers_is_checked_again() -> None:
    """Someone swapped two header cells between the rounds: the same values mean other things."""
    grid = generated_grid()
    mapping = rules.map_headers(grid[2], grid[1])
    mobile, email = mapping.columns[h.MOBILE], mapping.columns[h.EMAIL]
    cache: Cache = {}
    before = run(grid, cache).rows[0].check
    headers = grid[2]
    headers[mobile], headers[email] = headers[email], headers[mobile]
    after = run(grid, cache).rows[0].check
    assert "email_invalid" not in before.codes
    assert "email_invalid" in after.codes  # the mobile number, read as an e-mail address


def test_an_empty_cell_sent_as_text_is_the_same_row() -> None:
    """The API omits trailing empty cells until the worker's columns exist, then sends ''."""
    grid = generated_grid()
    cache: Cache = {}
    first = run(grid, cache)
    padded = [[*row, *[""] * 5] if i >= 3 and row else row for i, row in enumerate(grid)]
    for row in padded[3:]:
        for c, value in enumerate(row):
            if value is None:
                row[c] = ""
    second = run(padded, cache)
    assert all(a.check is b.check for a, b in zip(first.rows, second.rows, strict=True))


def test_a_round_with_the_inputs_of_the_round_before_has_its_very_rows() -> None:
    """
    The verify round reads the tab again after the write: the same people's cells (the worker's
    own do not count) give the round before's evaluation, duplicates and all; a name typed in
    between gives a new one, which shows it.
    """
    grid = generated_grid()
    cache = RowCache()
    first = run(grid, cache)
    read_again = copy.deepcopy(grid)
    read_again[3] += ["ผ่าน", "written by the worker"]  # cells beyond the inputs
    assert run(read_again, cache) is first
    name = rules.map_headers(grid[2], grid[1]).columns[h.FULL_NAME]
    read_again[4][name] = "นางสาวพิมพ์ใจ ทดสอบ"
    edited = run(read_again, cache)
    assert edited is not first
    assert [r.cells[h.FULL_NAME] for r in edited.rows][1] == "นางสาวพิมพ์ใจ ทดสอบ"
    assert [r.cells[h.FULL_NAME] for r in first.rows][1] != "นางสาวพิมพ์ใจ ทดสอบ"
    assert run(copy.deepcopy(read_again), cache) is edited
    cache.end_run()  # a new run starts from its own rows
    assert run(read_again, cache) is not edited


def test_a_row_evaluation_keeps_a_copy_of_the_cells_the_compiled_list_copies() -> None:
    """What a row keeps of its cells does not hold the grid read: the grid can go."""
    grid = generated_grid()
    columns = rules.map_headers(grid[2], grid[1]).columns
    row = run(grid, {}).rows[0]
    assert set(row.cells) == {x for x in KEPT_CELLS if x in columns}
    name = row.cells[h.FULL_NAME]
    grid[3][columns[h.FULL_NAME]] = "someone else"
    assert row.cells[h.FULL_NAME] == name
    assert not any(referent is grid[3] for referent in gc.get_referents(row.cells))
    assert row.cells.get(h.NATIONAL_ID) is None  # not kept: the check keeps its digits
