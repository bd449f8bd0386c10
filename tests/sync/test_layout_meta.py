"""Tab matching, worker block placement and the worker's own record."""

from __future__ import annotations

from rules import headers as h
from sync.layout import column_key, last_used_column, match_titles, place_worker_block
from sync.meta import SheetMeta


def test_titles_match_after_normalisation() -> None:
    """Configured names find tabs typed with other spacing or composed differently."""
    found = match_titles(["ศก.1", "ศก.2", "ตัวเลือก"], ["ศก. 1", "ศก.2 ", "อื่น"])
    assert {"ศก.1": "ศก. 1", "ศก.2": "ศก.2 ", "ตัวเลือก": None} == found


def test_block_goes_after_last_used_column() -> None:
    """Missing worker columns are appended after the widest used row, never over people's."""
    grid = [["title"], ["s"], ["a", "b", "c"], ["1", "", "", "", "note"]]
    columns, missing = place_worker_block(grid, {})
    assert 5 == last_used_column(grid)
    assert h.WORKER_HEADERS == missing
    assert list(range(5, 5 + len(h.WORKER_HEADERS))) == [columns[x] for x in h.WORKER_HEADERS]


def test_found_worker_columns_stay_where_they_are() -> None:
    """An existing block is reused in place, even when people moved it."""
    found = {header: 40 + i for i, header in enumerate(h.WORKER_HEADERS)}
    columns, missing = place_worker_block([["x"] * 60], found)
    assert () == missing
    assert found == columns


def test_column_keys_are_stable_ascii() -> None:
    """Keys used in finding tokens and conditional formats are readable English names."""
    assert "national_id" == column_key(h.NATIONAL_ID)
    assert "satisfaction_9" == column_key(h.SATISFACTION_ITEMS[8])
    assert column_key("หัวข้อที่ไม่รู้จัก") == column_key("หัวข้อที่ไม่รู้จัก")


def test_meta_round_trip_and_damage() -> None:
    """The record survives a round trip; a damaged or foreign cell reads as absent."""
    meta = SheetMeta(
        sheet_ids={"ศก.1": 1, h.SUMMARY_TAB: 2},
        regions={"ศก.1": "ศก.1"},
        grid={h.SUMMARY_TAB: (100, 24)},
        setup="abc",
    )
    assert meta == SheetMeta.from_json(meta.to_json())
    assert SheetMeta.from_json("{not json") is None
    assert SheetMeta.from_json('{"v": 99}') is None
    assert SheetMeta.from_json(12) is None
