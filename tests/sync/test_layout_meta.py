"""Tab matching, worker block placement and the worker's own record."""

from __future__ import annotations

import pytest

from rules import headers as h
from sync.core.layout import (
    AmbiguousTitle,
    column_key,
    last_used_column,
    match_titles,
    normalise_title,
    place_worker_block,
)
from sync.core.meta import SheetMeta


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


def test_an_exact_title_beats_a_look_alike() -> None:
    """A person's `ศก. 1` placed before `ศก.1` never takes ศก.1's place."""
    assert {"ศก.1": "ศก.1"} == match_titles(["ศก.1"], ["ศก. 1", "ศก.1"])


def test_two_look_alikes_are_named_in_one_line() -> None:
    """Two tabs like `ศก.1` and neither exact: refused, naming both."""
    with pytest.raises(AmbiguousTitle) as caught:
        match_titles(["ศก.1"], ["ศก. 1", "ศก.1 ", "ศก.2"])
    assert ("ศก. 1", "ศก.1 ") == caught.value.candidates
    assert "'ศก. 1' and 'ศก.1 '" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("typed", ["ศก.\u200b1", "ศก.๑", "ศก.\u00a01", "\ufeffศก.1\u200d"])
def test_invisible_marks_and_thai_digits_do_not_hide_a_tab(typed: str) -> None:
    """Zero-width and non-breaking spaces, byte-order marks and Thai digits still match."""
    assert normalise_title("ศก.1") == normalise_title(typed)
    assert {"ศก.1": typed} == match_titles(["ศก.1"], [typed, "ศก.2"])


def test_meta_keeps_dragged_worker_columns() -> None:
    """Worker columns found away from the block survive the round trip; old records read."""
    meta = SheetMeta(sheet_ids={"ศก.1": 1}, stray={"ศก.1": {h.CHECK_STATUS: 3}})
    assert meta == SheetMeta.from_json(meta.to_json())
    assert "stray" not in SheetMeta(sheet_ids={"ศก.1": 1}).to_json()
