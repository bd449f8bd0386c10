"""
Rows kept between runs come back from their packed form exactly as they were checked.
"""

from __future__ import annotations

import enum
import pickle
from datetime import date
from decimal import Decimal

import msgspec
import pytest

import kpi
import rules
from rules import headers as h
from sync.core.evaluate import RowCache, RowResults, evaluate
from sync.core.packed import Key, PackedRows, fresh_copy, pack_rows, unpack_rows, unpack_sources
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


def test_rows_unpacked_for_a_run_decode_their_mappings_only_when_used() -> None:
    """A service's run unpacks its rows with their parsed values, KPI cells and figures still
    pickled: equal to the rows as checked, each row's decoded when one of them is first used
    (and only that row's), and packed afresh they come back equal again."""
    from sync.core import packed

    cache = _checked()
    current, tabs, _ = unpack_sources(pack_rows(cache.current, cache.tabs), later=True)
    mappings = {
        id(part._packed): part._packed
        for found, computed in current.values()
        for part in (found.values, computed.values, computed.figures)
        if isinstance(part, packed.LaterMapping)
    }
    assert len(mappings) == len({id(found) for found in current.values()}) >= 90
    assert all(m.parts is None for m in mappings.values())  # nothing decoded yet

    key, (found, computed) = next(iter(current.items()))
    before_found, before_computed = cache.current[key]
    assert computed.values[h.ECONOMIC_VALUE] == before_computed.values[h.ECONOMIC_VALUE]
    assert 1 == sum(m.parts is not None for m in mappings.values())  # that row's only
    assert found.values == before_found.values and computed == before_computed

    assert current == cache.current and tabs == cache.tabs
    again, tabs_again = unpack_rows(pack_rows(current, tabs))  # from scratch: every record
    assert again == cache.current and tabs_again == cache.tabs
    for (found, computed), (_, was_computed) in zip(
        again.values(), cache.current.values(), strict=True
    ):
        assert type(computed.values) is kpi.KpiCells and type(found.values) is dict
        assert (computed.figures is computed.values) == (
            was_computed.figures is was_computed.values
        )


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


def _repacked(
    monkeypatch: pytest.MonkeyPatch, changed: int, chunk: int
) -> tuple[list[bytes], list[bytes], dict[Key, RowResults], PackedRows]:
    """
    Rows packed in chunks of `chunk` records, unpacked, the first `changed` of them checked
    again (new objects, one finding more), and packed with the sources of their unpack: the
    chunks before, the chunks after, the rows as the run left them and their pack.
    """
    from sync.core import packed

    monkeypatch.setattr(packed, "CHUNK_RECORDS", chunk)
    cache = _checked()
    first = pack_rows(cache.current, {})
    before = pickle.loads(first.data)[3]
    current, _, sources = unpack_sources(first)
    edited = dict(current)
    extra = rules.Finding(rules.Severity.WARNING, "edited", h.REMARK, "แก้แล้ว")
    for key in list(edited)[:changed]:
        found, computed = edited[key]
        edited[key] = (
            msgspec.structs.replace(found, findings=(*found.findings, extra)),
            computed,
        )
    again = pack_rows(edited, {}, sources)
    return before, pickle.loads(again.data)[3], edited, again


def _sizes(chunks: list[bytes]) -> list[int]:
    return [len(pickle.loads(chunk)) for chunk in chunks]


def test_a_pack_takes_the_chunks_whose_rows_did_not_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three rows of a chunk of 32 checked again since the unpack: every chunk is taken as it
    was (the same bytes; 29 of 32 still in use is enough), and only those three rows' records
    are pickled anew. The three records they replace stay in their chunk, never made into
    results again."""
    before, after, edited, again = _repacked(monkeypatch, changed=3, chunk=32)
    assert _sizes(before) == [32, 32, 26]
    assert after[:3] == before
    assert _sizes(after[3:]) == [3]
    current, _, sources = unpack_sources(again)
    assert current == edited  # the very rows the run left, findings and all
    assert sources.results.count(None) == 3


def test_a_pack_packs_afresh_a_chunk_with_many_rows_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records of rows changed since stay unread in a chunk taken again, so a chunk is taken
    only while nearly all its rows are the same: a chunk with 2 of 8 changed is packed afresh
    (no record of a row changed carried along), and one less than half full too, so that the
    few new records of each run merge instead of piling up in small chunks."""
    before, after, edited, again = _repacked(monkeypatch, changed=2, chunk=8)
    sizes = _sizes(before)
    assert sizes[0] == 8 and sizes[-1] < 4
    assert after[: len(before) - 2] == before[1:-1]
    assert _sizes(after[len(before) - 2 :]) == [8, sizes[-1]]
    assert sum(_sizes(after)) == len({id(found) for found in edited.values()})
    assert unpack_rows(again)[0] == edited


def test_results_equal_but_not_the_objects_unpacked_are_packed_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What is taken again is told by identity: rows equal to those unpacked but made anew
    (a fresh check, say) are pickled again, never assumed the same."""
    from sync.core import packed

    monkeypatch.setattr(packed, "CHUNK_RECORDS", 8)
    cache = _checked()
    current, _, sources = unpack_sources(pack_rows(cache.current, {}))
    copies = {key: pickle.loads(pickle.dumps(found)) for key, found in current.items()}
    pickled = _records_pickled(monkeypatch)
    again = pack_rows(copies, {}, sources)
    assert sum(pickled) == len({id(found) for found in copies.values()})
    assert unpack_rows(again)[0] == current


def test_findings_no_row_uses_are_numbered_afresh_once_they_pile_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chunk taken again refers to findings by number, so a pack with sources keeps the
    table; once it is more than twice its size at the last pack from scratch (plus 64), the
    next pack starts from scratch: only the findings the rows use."""
    from sync.core import packed

    monkeypatch.setattr(packed, "CHUNK_RECORDS", 8)
    cache = _checked()
    current, _, sources = unpack_sources(pack_rows(cache.current, {}))
    used = {f for found, _ in current.values() for f in found.findings}
    assert len(sources.findings) == len(used) == sources.base_findings
    stale = [
        rules.Finding(rules.Severity.ERROR, "gone", h.REMARK, str(n))
        for n in range(2 * len(used) + 65)
    ]
    sources.findings = [*sources.findings, *stale]
    again = pack_rows(current, {}, sources)
    assert set(pickle.loads(again.data)[1]) == used
    assert unpack_rows(again)[0] == current


def _records_pickled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the records each chunk pickles (a chunk is a list; the whole pack a tuple)."""
    pickled: list[int] = []
    dumps = pickle.dumps

    def counted(value: object, protocol: int | None = None) -> bytes:
        if isinstance(value, list):
            pickled.append(len(value))
        return dumps(value, protocol)

    monkeypatch.setattr(pickle, "dumps", counted)
    return pickled


def test_a_service_cache_packs_only_what_its_run_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through `RowCache`, as the service uses it: a run after one row was edited unpacks the
    rows, re-uses all but that row's, and the pack after it takes back the other chunks."""
    from sync.core import packed

    monkeypatch.setattr(packed, "CHUNK_RECORDS", 8)
    cache = _checked()
    cache.end_run()
    assert cache.pack() and cache.packed is not None
    before = pickle.loads(cache.packed.data)[3]
    cache.next_run()
    assert cache.sources is not None
    tabs = _tabs()
    tabs[0].grid[5][tabs[0].headers.columns[h.FULL_NAME]] += " (แก้)"
    evaluate(tabs, options=options_lists(), fiscal_year=2567, as_of=AS_OF, cache=cache)
    rows = dict(cache.current)
    cache.end_run()
    pickled = _records_pickled(monkeypatch)
    assert cache.pack() and cache.packed is not None and cache.sources is None
    after = pickle.loads(cache.packed.data)[3]
    # The edited row's chunk is packed afresh (7 of its 8 rows the same: under 90 %), and the
    # last chunk if less than half full; every other chunk is the same bytes, not pickled.
    tail = len(pickle.loads(before[-1]))
    anew = 8 + (tail if tail < 4 else 0)
    assert [anew] == [sum(pickled)] and len(pickled) == 1 + (tail < 4)
    taken = after[: len(after) - len(pickled)]  # (taken chunks first, then those pickled)
    assert len(taken) == len(before) - len(pickled) and set(taken) <= set(before)
    cache.next_run()
    assert cache.previous == rows  # every row as the run left it


def test_rows_pack_and_load_whatever_way_python_pickles_an_enum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    Python 3.11.2 (Debian 12's python3.11) pickles an enum member by name, through
    `getattr`, which the kept rows' loader refuses: a finding's severity must not depend on
    it, or a service's second run would fail on the rows its first one kept.
    """
    monkeypatch.setattr(
        enum.Enum, "__reduce_ex__", lambda self, proto: (getattr, (type(self), self.name))
    )
    cache = _checked()
    assert any(found.findings for found, _ in cache.current.values())

    current, tabs = unpack_rows(pack_rows(cache.current, cache.tabs))

    assert current == cache.current and tabs == cache.tabs
    for severity in rules.Severity:
        assert pickle.loads(pickle.dumps(severity)) is severity
