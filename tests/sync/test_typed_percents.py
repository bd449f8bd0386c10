"""
A percentage typed with its sign (`92%`) is kept by Sheets as 0.92 with a percent format: the
cells shown with a `%` are read as typed, the others as read (`sync.core.percent`).
"""

from __future__ import annotations

import msgspec

from sync.core.percent import Suspects, overlay_of
from sync.core.sheet import ReadRows


def test_cells_shown_with_a_sign_are_read_as_typed_and_the_others_as_read() -> None:
    """
    0.92 shown `92%` is `92%`; 0.925 shown `93%` (a `0%` format) is the exact `92.5%`; 7.5
    shown `7.5` had no sign; 0.3 shown `45%` is another cell's (rows moved between the
    reads) and stays as read; -0.2 shown `-20.00%` is `-20%`.
    """
    found = [Suspects("ศก.1", 5, (3, 4, 5, 6, 8), (0.92, 0.925, 7.5, 0.3, -0.2))]
    shown = [[["92%"], ["93%"], ["7.5"], ["45%"], [], ["-20.00%"]]]
    assert overlay_of(found, shown) == {"ศก.1": {3: {5: "92%"}, 4: {5: "92.5%"}, 8: {5: "-20%"}}}


def test_an_overlaid_row_reads_as_given() -> None:
    """The cells read as given, a few at a time or whole; the others as sent."""
    raws = [msgspec.Raw(msgspec.json.encode(row)) for row in (["a", 0.92], ["b", 0.5])]
    rows = ReadRows(raws)
    rows.overlay({0: {1: "92%"}})
    assert rows.cells_at(0, [1]) == ("92%",)
    assert rows[0] == ["a", "92%"] and rows[1] == ["b", 0.5]


def test_an_edit_while_the_percentages_are_read_is_seen_by_the_same_run() -> None:
    """
    The percentages are read after the values: a name typed between the two reads, in a
    round that plans nothing from the first, makes the run read the values again and write
    that row's results; nothing is left for the next run (a run's last read is of values).
    """
    from dataclasses import replace
    from datetime import datetime

    from rules import headers as h
    from rules.header_map import header_key
    from sheets_emulator.model.store import Store
    from sync.backends.memory import MemoryBackend
    from sync.core.cells import column_letter
    from sync.core.settings import BANGKOK, SyncSettings
    from sync.demo.data import generate_spreadsheet
    from sync.demo.seed import load_demo
    from sync.run.loop import run_sync

    store = Store()
    demo = generate_spreadsheet(rows_per_region=6, seed=3, form="appendix-results")
    sid = load_demo(store, demo)
    grid = store.get_values(sid, "ศก.1")
    headers = [header_key(v) for v in grid[demo.header_row - 1]]
    satisfaction = headers.index(header_key(h.RESULT_SATISFACTION_PCT))
    name = headers.index(header_key(h.FULL_NAME))
    first = demo.first_data_row
    store.set_values(sid, "ศก.1", f"{column_letter(satisfaction)}{first}", [["92%"]])
    settings = SyncSettings(
        spreadsheet_id=sid, header_row=demo.header_row, first_data_row=demo.first_data_row
    )
    run_sync(MemoryBackend(store), settings, clock=lambda: datetime(2024, 10, 2, tzinfo=BANGKOK))

    class Typing(MemoryBackend):
        typed = False

        def read_formatted(self, spreadsheet_id: str, ranges: list[str]) -> object:
            if not self.typed:
                self.typed = True
                # The second data row's name, typed afresh.
                store.set_values(sid, "ศก.1", f"{column_letter(name)}{first + 1}", [["ชื่อ ใหม่"]])
            return super().read_formatted(spreadsheet_id, ranges)

    typing = Typing(store)
    later = lambda: datetime(2024, 10, 3, tzinfo=BANGKOK)  # noqa: E731
    report = run_sync(typing, settings, clock=later)
    assert typing.typed and report.outcome == "ok"
    check = run_sync(MemoryBackend(store), replace(settings, dry_run=True), clock=later)
    assert check.planned == []


def test_a_look_that_finds_no_sign_costs_its_one_read_and_no_read_of_the_values_again() -> None:
    """
    A satisfaction typed as plain 9.45 may be a fraction kept for a `%`: the cells are read as
    people see them, once; none shows a `%`, so the snapshot is the values read and a round
    that plans nothing settles on it: the values read, the percentages read, nothing more.
    """
    from datetime import datetime

    from rules import headers as h
    from rules.header_map import header_key
    from sheets_emulator.model.store import Store
    from sync.backends.memory import MemoryBackend
    from sync.core.cells import column_letter
    from sync.core.settings import BANGKOK, SyncSettings
    from sync.demo.data import generate_spreadsheet
    from sync.demo.seed import load_demo
    from sync.run.loop import run_sync

    store = Store()
    demo = generate_spreadsheet(rows_per_region=6, seed=3, form="appendix-results")
    sid = load_demo(store, demo)
    headers = [header_key(v) for v in store.get_values(sid, "ศก.1")[demo.header_row - 1]]
    satisfaction = headers.index(header_key(h.RESULT_SATISFACTION_PCT))
    cell = f"{column_letter(satisfaction)}{demo.first_data_row}"
    store.set_values(sid, "ศก.1", cell, [[9.45]])
    settings = SyncSettings(
        spreadsheet_id=sid, header_row=demo.header_row, first_data_row=demo.first_data_row
    )
    run_sync(MemoryBackend(store), settings, clock=lambda: datetime(2024, 10, 2, tzinfo=BANGKOK))

    kinds: list[str] = []

    class Reads(MemoryBackend):
        def read_ranges(self, spreadsheet_id: str, ranges: object) -> object:
            kinds.append("values")
            return super().read_ranges(spreadsheet_id, ranges)  # type: ignore[arg-type]

        def read_formatted(self, spreadsheet_id: str, ranges: list[str]) -> object:
            kinds.append("formatted")
            return super().read_formatted(spreadsheet_id, ranges)

    reads = Reads(store)  # a new day: every row is checked again, so looked at again
    report = run_sync(reads, settings, clock=lambda: datetime(2024, 10, 3, tzinfo=BANGKOK))
    assert report.outcome == "ok" and kinds == ["values", "formatted"]
