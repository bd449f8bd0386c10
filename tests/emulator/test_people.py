"""
A person's UI edits, replayed through the API so everything attached to rows moves with them.
"""

from __future__ import annotations

from typing import Any

import pytest

from sheets_emulator import people
from sheets_emulator.api.router import ApiRequest, SheetsApi
from sheets_emulator.model.store import Formula, Store

SID = "people1"


@pytest.fixture
def store() -> Store:
    """
    A tab with a header and four numbered rows; row 3 carries a note.
    """
    store = Store()
    store.create_spreadsheet("p", spreadsheet_id=SID, sheets=("ศก.1",))
    store.set_values(SID, "ศก.1", "A1", [["id", "n"], ["a", 3], ["b", 1], ["c", 4], ["d", 2]])
    store.get(SID).sheets[0].set_extra("notes", 2, 0, "note on b")
    return store


def _column_a(store: Store) -> list[str]:
    rows: Any = store.get_values(SID, "ศก.1", "A1:A6")
    return [row[0] if row else "" for row in rows]


def _note_row(store: Store) -> int:
    sheet = store.get(SID).sheets[0]
    return next(i for i, row in sheet.used_rows() if row.notes)


def test_insert_rows_pushes_rows_and_notes_down(store: Store) -> None:
    """
    Inserting at row 2 shifts the old rows (and their notes) down and types the new values.
    """
    people.insert_rows(store, SID, "ศก.1", 2, 1, [["new", 9]])
    assert _column_a(store) == ["id", "new", "a", "b", "c", "d"]
    assert _note_row(store) == 3


def test_delete_rows_closes_the_gap(store: Store) -> None:
    """
    Deleting row 2 pulls the rows below up by one.
    """
    people.delete_rows(store, SID, "ศก.1", 2)
    assert _column_a(store)[:4] == ["id", "b", "c", "d"]
    assert _note_row(store) == 1


def test_sort_rows_by_a_column(store: Store) -> None:
    """
    Sorting rows 2-5 by column B orders the data and leaves the header alone.
    """
    people.sort_rows(store, SID, "ศก.1", 2, 5, "B")
    assert _column_a(store)[:5] == ["id", "b", "d", "a", "c"]
    people.sort_rows(store, SID, "ศก.1", 2, 5, 2, descending=True)
    assert _column_a(store)[:5] == ["id", "c", "a", "d", "b"]


def test_move_rows_like_a_drag(store: Store) -> None:
    """
    Dragging row 5 above row 2 moves it, with its cells, to row 2.
    """
    people.move_rows(store, SID, "ศก.1", 5, 1, 2)
    assert _column_a(store)[:5] == ["id", "d", "a", "b", "c"]


def test_type_value_is_parsed_like_typing(store: Store) -> None:
    """
    Typed text is parsed as the UI does: formulas become formulas, numbers numbers.
    """
    people.type_value(store, SID, "ศก.1", "C2", "=B2*2")
    people.type_value(store, SID, "ศก.1", "D2", "1,234")
    sheet = store.get(SID).sheets[0]
    assert sheet.cell(1, 2) == Formula("=B2*2")
    assert store.get_values(SID, "ศก.1", "C2:D2") == [["6", "1,234"]]


def test_row_metadata_follows_an_inserted_row(store: Store) -> None:
    """
    Developer metadata on a row stays with that row when a person inserts rows above it.
    """
    api = SheetsApi(store)
    created = api.handle(
        ApiRequest(
            "POST",
            f"/v4/spreadsheets/{SID}:batchUpdate",
            body={
                "requests": [
                    {
                        "createDeveloperMetadata": {
                            "developerMetadata": {
                                "metadataKey": "rowKey",
                                "metadataValue": "b",
                                "visibility": "DOCUMENT",
                                "location": {
                                    "dimensionRange": {
                                        "sheetId": 0,
                                        "dimension": "ROWS",
                                        "startIndex": 2,
                                        "endIndex": 3,
                                    }
                                },
                            }
                        }
                    }
                ]
            },
        )
    )
    assert created.status == 200
    people.insert_rows(store, SID, "ศก.1", 2, 2)
    sheet = store.get(SID).sheets[0]
    assert [i for i, row in sheet.used_rows() if row.metadata] == [4]


def test_refused_edits_raise(store: Store) -> None:
    """
    An edit the API refuses raises EditRejected with Google's message.
    """
    with pytest.raises(people.EditRejected):
        people.delete_rows(store, SID, "ศก.1", 5000)
    with pytest.raises(people.EditRejected, match="Unable to parse range"):
        people.type_value(store, SID, "no such tab", "A1", 1)
    with pytest.raises(KeyError):
        people.insert_rows(store, SID, "no such tab", 2)
