"""
`evaluate` re-uses a row's results from the run's first round only when the row is the same.
"""

from __future__ import annotations

import copy
import gc
from datetime import date
from decimal import Decimal

import msgspec
import pytest

import kpi
import rules
from rules import headers as h
from sync.core.evaluate import KEPT_CELLS, Evaluation, RegionTab, RowCache, evaluate
from sync.core.sheet import ReadRows, Rows, ValuesRead
from sync.demo.data import generate_spreadsheet, options_lists
from tests.conftest import record_rows_decoded

REGION = "ศก.1"

Cache = dict[tuple[object, ...], tuple[rules.RowResult, kpi.KpiResult]]
"""The run's row cache that `evaluate` shares between its two rounds."""


def tab_of(grid: Rows) -> RegionTab:
    """The first regional tab of a generated sheet, as a run reads it."""
    mapping = rules.map_headers(grid[2], grid[1])
    return RegionTab(REGION, REGION, grid, mapping, {}, first_data_row=4)


def run(grid: Rows, cache: Cache | RowCache) -> Evaluation:
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


def _read_as_bytes(grid: list[list[object]]) -> ReadRows:
    """The grid as a read hands a regional tab over: rows of bytes, decoded when used."""
    body = msgspec.json.encode({"valueRanges": [{"values": grid}]})
    (rows,) = ValuesRead.of_body(body).tabs({0}, lazy=True)
    assert isinstance(rows, ReadRows)
    return rows


def _as_checked(evaluation: Evaluation) -> list[tuple[object, ...]]:
    return [
        (r.row, r.digest, r.status, r.pointer, r.check.codes, dict(r.kpis), dict(r.cells))
        for r in evaluation.rows
    ]


def test_rows_known_by_their_bytes_evaluate_as_rows_read_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    Read as bytes, a row found byte for byte as at the tab's last evaluation, in its place,
    is taken for that evaluation's inputs without being decoded: through edits, a sort, an
    inserted and a cleared row, the worker's cells written and a column inserted, every
    evaluation is the one a run that knew nothing would make of the same grid; a read with
    the inputs of the last one decodes only the rows whose bytes changed, once each, and keeps
    none of them decoded (their input cells are as they were: nothing to check again); nor
    does one whose every row's inputs moved (each is checked as it was decoded for its
    digest, once).
    """
    grid = copy.deepcopy(generate_spreadsheet(rows_per_region=12, seed=3).tabs[REGION])
    columns = rules.map_headers(grid[2], grid[1]).columns
    name, mobile = columns[h.FULL_NAME], columns[h.MOBILE]
    width = max(map(len, grid))

    def edit(step: str) -> None:
        if step == "retyped":  # a name and a phone
            grid[5][name] = "นายแก้ไข ชื่อใหม่"
            grid[9][mobile] = "0812345678"
        elif step == "sorted":  # by name
            grid[3:] = sorted(grid[3:], key=lambda row: str(row[name] if name < len(row) else ""))
        elif step == "inserted":  # a row, and another cleared
            grid.insert(6, copy.deepcopy(grid[4]))
            grid[8] = [""] * len(grid[8])
        elif step == "written":  # the worker's cells, beyond the inputs, in two rows
            for row in (grid[4], grid[7]):
                row += [""] * (width - len(row)) + ["ผ่าน", "written"]
        elif step == "column":  # a column inserted before the names: every input moves
            for row in grid:
                row.insert(name, "")

    cache = RowCache()
    cache.next_run()
    decoded: list[int] = []
    record_rows_decoded(monkeypatch, decoded)
    data_rows: dict[str, list[int]] = {}
    kept: dict[str, int] = {}
    for step in ("first", "retyped", "sorted", "inserted", "as is", "written", "column"):
        edit(step)
        read = _read_as_bytes(copy.deepcopy(grid))
        decoded.clear()
        known = run(read, cache)
        data_rows[step] = [n for n in decoded if n > 3]  # (rows 2 and 3: the headers)
        kept[step] = read.decoded - 2
        assert _as_checked(known) == _as_checked(run(copy.deepcopy(grid), {})), step
    assert [] == data_rows["as is"]  # every row known: the last evaluation, as it was
    assert [5, 8] == data_rows["written"] and 0 == kept["written"]  # the two rows written
    assert list(range(4, len(grid) + 1)) == data_rows["column"]  # each row, once
    assert 0 == kept["column"]  # (every input moved: each checked as decoded for its digest)


def test_cells_not_taken_follow_the_tab_to_its_next_read_with_the_same_inputs() -> None:
    """
    A row known by its bytes keeps its cells in the read until the compiled list wants them;
    once that read is let go (before the verify read), they are taken from the next read of
    the tab with the same input cells (the worker's own cells written), never from nothing.
    """
    grid = copy.deepcopy(generate_spreadsheet(rows_per_region=12, seed=5).tabs[REGION])
    name = rules.map_headers(grid[2], grid[1]).columns[h.FULL_NAME]
    cache = RowCache()
    cache.next_run()
    run(_read_as_bytes(grid), cache)
    grid[6][name] = "นางแก้ไข ชื่อใหม่"  # one row edited: a new evaluation, the others known
    edited = run(_read_as_bytes(grid), cache)
    cells = [row.cells for row in edited.rows]

    cache.let_go_of_reads()
    with pytest.raises(RuntimeError, match="let go"):
        [dict(c) for c in cells]  # (taken from nowhere: refused, never guessed)
    width = max(map(len, grid))
    for row in grid[3:]:  # the worker's cells written: other bytes, the same inputs
        row += [""] * (width - len(row)) + ["ผ่าน"]
    verify = _read_as_bytes(grid)
    assert run(verify, cache) is edited  # the round before's evaluation, as it is
    fresh = run(copy.deepcopy(grid), {})
    assert [dict(c) for c in cells] == [dict(r.cells) for r in fresh.rows]
    assert "นางแก้ไข ชื่อใหม่" in [c.get(h.FULL_NAME) for c in cells]


def test_kept_cells_digest_alike_whether_empty_cells_came_as_blanks_or_not_at_all() -> None:
    """Before the worker's columns exist the API leaves a row's trailing empty cells out; then
    it sends ''. The cells the compiled list copies digest alike either way, so a first run's
    list is not built again by the next run for that alone."""
    grid = generated_grid()
    width = max(map(len, grid))
    email = rules.map_headers(grid[2], grid[1]).columns[h.EMAIL]
    for row in grid[3:]:
        del row[email:]  # no e-mail, nor anything after it: the row ends before
    padded = [
        [*row, *[""] * (width + 3 - len(row))] if i >= 3 else row for i, row in enumerate(grid)
    ]
    before = [r.cells.digest for r in run(grid, {}).rows]
    after = [r.cells.digest for r in run(padded, {}).rows]
    assert before == after and len(before) == 3


def test_the_economic_value_typed_on_the_form_is_the_one_the_summary_adds_up() -> None:
    """
    A row of the real form, results typed (no raw figures): its typed economic value is the
    staff's own total, so the summary takes 50,000, not the 3,000 of the waste and cost baht
    typed beside it (the form has no typed sales or product baht to add); a row whose raw
    figures compute the value adds up its profile's parts.
    """
    headers = [
        h.AGENCY, h.ACTIVITY_NAME, h.START_END_DATES, h.NATIONAL_ID, h.FULL_NAME, h.MOBILE,
        h.RESULT_WASTE_PCT, h.RESULT_WASTE_BAHT, h.RESULT_COST_PCT, h.RESULT_COST_BAHT,
        h.RESULT_ECONOMIC_VALUE, h.COST_BEFORE, h.COST_AFTER,
    ]  # fmt: skip
    person = [REGION, "อบรม", "15/3/2567 - 16/3/2567", "1103702071811", "นายสมชาย ใจดี"]
    typed = [*person, "0812345678", "12", "1,000", "5", "2,000", "50,000", "", ""]
    computed = [*person[:3], "3100100123451", "นางสมศรี ใจดี", "0812345679"]
    computed += ["", "", "", "", "", "100", "90"]  # cost 100 → 90 a month: 120 baht a year
    grid: list[list[object]] = [[], [""] * len(headers), headers, typed, computed]
    evaluation = run(grid, {})
    outcomes = [row.outcome() for row in evaluation.rows]
    assert [o.typed_economic_value for o in outcomes] == [True, False]
    summary = kpi.summarise(outcomes, regions=[REGION], profile=kpi.PROFILES["manual-2567"])
    assert summary.total.economic_value == Decimal("50120.00")
