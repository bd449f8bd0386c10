"""
The store's Python API: creation, typing as a person, persistence and transactional clones.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

from sheets_emulator.model.store import FormattedNumber, Formula, Store


def test_new_spreadsheet_looks_like_a_new_google_sheet() -> None:
    """
    The first tab is sheetId 0 on a 1000x26 grid; locale en_US; time zone is a parameter.
    """
    store = Store(seed=1)
    book = store.create_spreadsheet("t", sheets=("Sheet1", "Two"), time_zone="Etc/GMT")
    first, second = book.sheets
    assert (first.sheet_id, first.row_count, first.column_count) == (0, 1000, 26)
    assert second.sheet_id > 1000
    assert (book.locale, book.time_zone, len(book.spreadsheet_id)) == ("en_US", "Etc/GMT", 44)
    assert store.get(book.spreadsheet_id) is book
    assert store.list() == [book]


def test_ids_are_deterministic_per_seed() -> None:
    """
    Two stores with the same seed hand out the same IDs, so rehearsals are reproducible.
    """
    a, b = Store(seed=7), Store(seed=7)
    ids_a = [a.create_spreadsheet("x", sheets=("S", "T")) for _ in range(2)]
    ids_b = [b.create_spreadsheet("x", sheets=("S", "T")) for _ in range(2)]
    assert [(s.spreadsheet_id, s.sheets[1].sheet_id) for s in ids_a] == [
        (s.spreadsheet_id, s.sheets[1].sheet_id) for s in ids_b
    ]


def test_set_values_types_like_a_person_and_get_values_reads_like_the_api() -> None:
    """
    ``set_values`` parses numbers, dates, formulas; ``get_values`` trims like values.get.
    """
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="s1")
    store.set_values("s1", "Sheet1", "B2", [["1,234.5", "2020-01-01", "=B2*2", "'007", "TRUE"]])
    sheet = book.sheets[0]
    assert sheet.cell(1, 1) == FormattedNumber(1234.5, "NUMBER", "#,##0.###")
    assert sheet.cell(1, 3) == Formula("=B2*2")
    assert sheet.cell(1, 4) == "007"
    assert store.get_values("s1", "Sheet1") == [
        [],
        ["", "1,234.5", "2020-01-01", "2469", "007", "TRUE"],
    ]
    assert store.get_values("s1", "Sheet1", "C2:D2", render="UNFORMATTED_VALUE") == [[43831, 2469]]
    store.set_values("s1", "Sheet1", "A1", [["=1+2"]], user_entered=False)
    assert sheet.cell(0, 0) == "=1+2"


def test_set_values_grows_the_grid_and_bumps_the_revision() -> None:
    """
    Typing past the grid grows it (like pasting in the UI); every mutation counts a revision.
    """
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="s1")
    before = book.revision
    store.set_values("s1", "Sheet1", "AA1000", [[1], [2]])
    assert (book.sheets[0].row_count, book.sheets[0].column_count) == (1001, 27)
    assert book.revision == before + 1
    with pytest.raises(KeyError):
        store.set_values("s1", "Nope", "A1", [[1]])


def test_json_round_trip_is_lossless() -> None:
    """
    ``to_json``/``from_json`` keep values, typed kinds, extras, metadata, ACLs and the ID stream.
    """
    store = Store(seed=3)
    book = store.create_spreadsheet(
        "t", spreadsheet_id="s1", sheets=("A", "B"), shared_with=["x@y"]
    )
    store.set_values("s1", "A", "A1", [["x", 1, 2.5, True, "=A2+1", "2020-01-01", "12%"]])
    sheet = book.sheets[0]
    sheet.set_extra("notes", 0, 0, "note")
    sheet.set_extra("formats", 0, 1, {"textFormat": {"bold": True}})
    sheet.row(3).metadata = [5]
    book.developer_metadata[5] = {
        "metadataKey": "k",
        "visibility": "DOCUMENT",
        "location": {"locationType": "ROW"},
    }
    sheet.merges.append(
        {
            "sheetId": 0,
            "startRowIndex": 0,
            "endRowIndex": 2,
            "startColumnIndex": 0,
            "endColumnIndex": 2,
        }
    )
    data = json.loads(json.dumps(store.to_json()))
    assert data["version"] == 1
    again = Store.from_json(data)
    assert again.to_json() == store.to_json()
    assert again.new_int_id() == store.new_int_id()
    copy = again.get("s1")
    assert copy.sheets[0].cell(0, 4) == Formula("=A2+1")
    assert copy.shared_with == {"x@y"}
    with pytest.raises(ValueError):
        Store.from_json({"version": 99})


def test_clone_is_independent() -> None:
    """
    A transactional clone can be modified without touching the original.
    """
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="s1")
    store.set_values("s1", "Sheet1", "A1", [["a"]])
    twin = book.clone()
    twin.sheets[0].set_cell(0, 0, "b")
    twin.sheets[0].merges.append({"sheetId": 0})
    assert book.sheets[0].cell(0, 0) == "a"
    assert book.sheets[0].merges == []


def test_can_access_follows_shared_with() -> None:
    """
    ``None`` principal (auth off) or ``None`` ACL allow everyone; otherwise the ACL decides.
    """
    store = Store()
    open_book = store.create_spreadsheet("o")
    private = store.create_spreadsheet("p", shared_with=["a@x"])
    assert open_book.can_access("z@x") and private.can_access(None)
    assert private.can_access("a@x") and not private.can_access("z@x")


@pytest.mark.slow
def test_a_large_tab_stays_compact() -> None:
    """
    10,000 rows x 83 columns of values fit in well under 100 MB (7 such tabs stay comfortable).
    """
    store = Store()
    tracemalloc.start()
    book = store.create_spreadsheet("big", sheets=("T",))
    sheet = book.sheets[0]
    sheet.rows.extend([None] * 9000)
    sheet.columns.extend([None] * 57)
    for r in range(10_000):
        row = sheet.row(r)
        row.values = [r * 100 + c for c in range(83)]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 100 * 1024 * 1024


def test_objects_stay_current_after_a_batch_update() -> None:
    """
    A committed batchUpdate updates the stored Spreadsheet/Sheet objects in place.
    """
    from sheets_emulator.api.router import SheetsApi

    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="s1")
    sheet = book.sheets[0]
    body = {
        "requests": [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": 0, "title": "Renamed"},
                    "fields": "title",
                }
            },
            {"addSheet": {"properties": {"title": "Two"}}},
        ]
    }
    assert SheetsApi(store).call("POST", "/v4/spreadsheets/s1:batchUpdate", body).status == 200
    assert store.get("s1") is book
    assert book.sheets[0] is sheet and sheet.title == "Renamed"
    assert [s.title for s in book.sheets] == ["Renamed", "Two"]
    assert book.revision == 1
