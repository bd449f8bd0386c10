"""
Rows kept between runs come back from their packed form exactly as they were checked.
"""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

import pytest

import kpi
import rules
from rules import headers as h
from sync.core.evaluate import RowCache, evaluate
from sync.core.packed import fresh_copy, pack_rows, unpack_rows
from sync.core.tabs import RegionTab
from sync.demo.data import generate_spreadsheet, options_lists

AS_OF = date(2024, 6, 1)


def _tabs() -> list[RegionTab]:
    """Three regional tabs of the demo spreadsheet (rows with and without findings)."""
    sheet = generate_spreadsheet(rows_per_region=30, seed=11)
    tabs = []
    for region in h.DEFAULT_REGION_TABS[:3]:
        grid = sheet.tabs[region]
        mapping = rules.map_headers(grid[2], grid[1])
        tabs.append(RegionTab(region, region, grid, mapping, {}, first_data_row=4))
    return tabs


def _checked() -> RowCache:
    cache = RowCache()
    cache.next_run()
    tabs = _tabs()
    evaluate(tabs, options=options_lists(), fiscal_year=2567, as_of=AS_OF, cache=cache)
    return cache


def test_unpacked_rows_equal_the_rows_as_checked() -> None:
    cache = _checked()
    assert len(cache.current) >= 90 and 3 == len(cache.tabs)

    current, tabs = unpack_rows(pack_rows(cache.current, cache.tabs))

    assert current == cache.current
    assert tabs == cache.tabs
    statuses = {found.status for found, _ in current.values()}
    assert {"ผ่าน", "ไม่ผ่าน"} <= statuses  # rows with findings went through too
    for key, (_, computed) in current.items():
        before = cache.current[key][1]
        assert (computed.figures is computed.values) == (before.figures is before.values)
        # Still a tuple behind a mapping, as checked (the next run keeps them that compact).
        assert type(computed.values) is type(before.values) is kpi.KpiCells
        assert type(computed.figures) is kpi.KpiCells
        for header, value in computed.values.items():
            # A Decimal keeps its exact digits ("1.50" is not "1.5"), not only its value.
            assert str(value) == str(before.values[header])
            assert type(value) is type(before.values[header])


def test_rows_packed_in_many_chunks_come_back_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are pickled a chunk at a time (a pickler's memo per chunk): rows spread over
    many chunks, and findings shared by rows of different chunks, come back as they were."""
    from sync.core import packed

    monkeypatch.setattr(packed, "CHUNK_RECORDS", 7)
    cache = _checked()
    data = pack_rows(cache.current, cache.tabs)
    results = len({id(found) for found in cache.current.values()})
    assert len(pickle.loads(data.data)[3]) == -(-results // 7)  # chunks of 7 records
    current, tabs = unpack_rows(data)
    assert current == cache.current
    assert tabs == cache.tabs
    findings = [f for found, _ in current.values() for f in found.findings]
    assert len({id(f) for f in findings}) == len(set(findings))  # each finding once, shared


def test_results_shared_by_rows_stay_shared() -> None:
    blank = (rules.RowResult(status="", findings=(), is_blank=True), kpi.KpiResult({}, {}))
    context = ("ศก.1", 2567, AS_OF, ("ชื่อ",))
    current = {(context, bytes([n])): blank for n in range(3)}

    unpacked, _ = unpack_rows(pack_rows(current, {}))

    assert 1 == len({id(found) for found in unpacked.values()})
    assert 1 == len({id(key[0]) for key in unpacked})  # one tab context, as before


@pytest.mark.parametrize(
    "value",
    [Decimal("1.50"), Decimal("-0"), Decimal("1E+2"), Decimal("NaN"), "1.50", ("a", 1), None, True],
)
def test_every_kept_value_comes_back_as_itself(value: object) -> None:
    found = rules.RowResult(status="ผ่าน", findings=(), values={h.GROUP_NAME: value})
    computed = kpi.KpiResult(values={h.ECONOMIC_VALUE: value}, figures={h.ECONOMIC_VALUE: None})
    current = {(("ศก.1",), b"k"): (found, computed)}

    ((back, back_kpi),) = unpack_rows(pack_rows(current, {}))[0].values()

    for got in (back.values[h.GROUP_NAME], back_kpi.values[h.ECONOMIC_VALUE]):
        assert type(got) is type(value) and str(got) == str(value)
    assert back_kpi.figures == {h.ECONOMIC_VALUE: None}


def test_a_cache_is_packed_between_runs_only() -> None:
    cache = _checked()
    assert not cache.pack()  # its run is not over

    cache.end_run()
    rows = len(cache)
    assert cache.pack() and cache.packed is not None
    assert rows == len(cache) and not cache.current and not cache.tabs
    assert not cache.pack()  # packed already
    clean = cache.clean = {"ศก.1": (b"digest", (("สถานะ", 3),))}
    cache.settle()  # what else it keeps is copied, equal
    assert clean == cache.clean and clean is not cache.clean

    cache.next_run()  # the next run finds every row again
    assert cache.packed is None
    again = _tabs()
    before = len(cache.previous)
    evaluate(again, options=options_lists(), fiscal_year=2567, as_of=AS_OF, cache=cache)
    assert before == len(cache.current) and not cache.previous


def test_a_fresh_copy_is_equal_and_new() -> None:
    kept = ([["รายการ", "ก"]], {"ศก.1": (b"\x01", (("สถานะ", 3),))})
    copied = fresh_copy(kept)
    assert copied == kept and copied[0] is not kept[0] and copied[1] is not kept[1]


def test_rows_that_cannot_be_packed_stay_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A packing failure costs memory, never the rows: the next run still finds them."""
    from sync.core import evaluate as evaluate_module
    from sync.run import loop

    cache = _checked()
    cache.end_run()
    rows = dict(cache.current)
    loop.forget_row_caches()
    loop._ROW_CACHES[("test",)] = cache

    def refuse(*_: object) -> None:
        raise TypeError("cannot pickle 'generator' object")

    monkeypatch.setattr(evaluate_module, "pack_rows", refuse)
    try:
        assert 0 == loop.pack_kept_rows()
        assert cache.packed is None and rows == cache.current
    finally:
        loop.forget_row_caches()


def _statuses(
    tabs: list[RegionTab], cache: RowCache | None = None, digests: dict[str, str] | None = None
) -> list[tuple[str, int, str, str]]:
    """Each row's region, number, status and finding codes, as `evaluate` decides them."""
    evaluation = evaluate(
        tabs, options=options_lists(), fiscal_year=2567, as_of=AS_OF, cache=cache, digests=digests
    )
    return [
        (r.region, r.row, r.status, "\n".join(f.code for f in r.findings)) for r in evaluation.rows
    ]


def test_a_tab_is_known_by_its_read_only_while_its_rows_were_found_for_that_read() -> None:
    """
    A read's digest stands for its rows only while the tab's rows are those found for it: a
    read with no digest in between (its rows evaluated afresh) ends that, so a later read
    with the old digest is evaluated, not taken for the rows in between.
    """
    tabs = _tabs()
    edited = [list(line) for line in tabs[0].grid]
    national_id = tabs[0].headers.columns[h.NATIONAL_ID]
    edited[4][national_id] = "123"  # row 5: an ID that fails
    other = [
        RegionTab(t.region, t.title, edited if i == 0 else t.grid, t.headers, {}, 4)
        for i, t in enumerate(tabs)
    ]
    cache = RowCache()
    cache.next_run()
    digests = {t.title: f"read of {t.title}" for t in tabs}
    assert _statuses(tabs) == _statuses(tabs, cache=cache, digests=digests)
    assert _statuses(other) == _statuses(other, cache=cache)  # no digests: evaluated afresh
    assert _statuses(tabs) == _statuses(tabs, cache=cache, digests=digests)
    assert _statuses(tabs) != _statuses(other)
