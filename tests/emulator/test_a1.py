"""
A1 parsing and echo rules, checked against echoes recorded from the real Sheets API.
"""

from __future__ import annotations

import pytest

from sheets_emulator.model.a1 import (
    cell_a1,
    column_index,
    column_letters,
    parse_cell,
    quote_title,
    resolve_range,
)
from sheets_emulator.model.errors import ApiError
from sheets_emulator.model.store import Spreadsheet, Store


@pytest.fixture
def book() -> Spreadsheet:
    """
    A spreadsheet with an ordinary, a Thai-with-dot, a spaced, a quoted and a cell-like title.
    """
    store = Store()
    book = store.create_spreadsheet(
        "a1", sheets=("Sheet1", "ศก.1", "My Sheet", "Jon's_Data", "D3", "small")
    )
    small = book.sheet_by_title("small")
    assert small is not None
    del small.rows[10:]
    del small.columns[4:]
    book.named_ranges.append(
        {
            "namedRangeId": "1",
            "name": "Totals",
            "range": {
                "sheetId": 0,
                "startRowIndex": 0,
                "endRowIndex": 3,
                "startColumnIndex": 1,
                "endColumnIndex": 3,
            },
        }
    )
    return book


@pytest.mark.parametrize(
    ("given", "echo"),
    [
        ("'Sheet1'", "Sheet1!A1:Z1000"),
        ("Sheet1", "Sheet1!A1:Z1000"),
        ("'Sheet1'!A1:C", "Sheet1!A1:C1000"),
        ("'Sheet1'!A1:1", "Sheet1!A1:Z1"),
        ("'Sheet1'!A2:2", "Sheet1!A2:Z2"),
        ("'Sheet1'!A1:A", "Sheet1!A1:A1000"),
        ("'Sheet1'!A:B", "Sheet1!A1:B1000"),
        ("'Sheet1'!1:2", "Sheet1!A1:Z2"),
        ("'Sheet1'!D4:A1", "Sheet1!A1:D4"),
        ("'Sheet1'!A1:A1", "Sheet1!A1"),
        ("'Sheet1'!A1:AA5", "Sheet1!A1:Z5"),
        ("'Sheet1'!A100", "Sheet1!A100"),
        ("'Sheet1'!$B$2:$C$3", "Sheet1!B2:C3"),
        ("A1:B2", "Sheet1!A1:B2"),
        ("A5:B", "Sheet1!A5:B1000"),
        ("'ศก.1'!A4:AT", "'ศก.1'!A4:Z1000"),
        ("'ศก.1'", "'ศก.1'!A1:Z1000"),
        ("My Sheet!A1", "'My Sheet'!A1"),
        ("'My Sheet'!A:A", "'My Sheet'!A1:A1000"),
        ("'Jon''s_Data'!A1:D5", "'Jon''s_Data'!A1:D5"),
        ("'D3'!A1:D4", "'D3'!A1:D4"),
        ("small!A:A", "small!A1:A10"),
        ("Totals", "Sheet1!B1:C3"),
        ("'Sheet1'!Totals", "Sheet1!B1:C3"),
        ("'Sheet1'!R1C1:R2C2", "Sheet1!A1:B2"),
    ],
)
def test_ranges_echo_normalised_against_the_grid(book: Spreadsheet, given: str, echo: str) -> None:
    """
    Ranges resolve like the recorded echoes (C test_range_unbounded, test_range_reversed, ...).
    """
    assert resolve_range(book, given).a1() == echo


@pytest.mark.parametrize(
    "given",
    [
        "Nope!A1",
        "'Nope'",
        "'A1'",
        "'Sheet1'!",
        "'Sheet1'!A1:B2:C3",
        "'Sheet1'!R1C1:B2",
        "'Sheet1",
        "Sheet1!A0",
    ],
)
def test_unparseable_ranges_are_400(book: Spreadsheet, given: str) -> None:
    """
    Unknown sheets and malformed references answer ``Unable to parse range: <as given>``.
    """
    with pytest.raises(ApiError) as info:
        resolve_range(book, given)
    assert (info.value.code, info.value.message, info.value.status) == (
        400,
        f"Unable to parse range: {given}",
        "INVALID_ARGUMENT",
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "'Sheet1'!AA1:AB5",
            "Range (Sheet1!AA1:AB5) exceeds grid limits. Max rows: 1000, max columns: 26",
        ),
        (
            "Sheet1!A1001:B1002",
            "Range (Sheet1!A1001:B1002) exceeds grid limits. Max rows: 1000, max columns: 26",
        ),
        (
            "'ศก.1'!A1001",
            "Range ('ศก.1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26",
        ),
    ],
)
def test_start_outside_grid_is_400(book: Spreadsheet, given: str, message: str) -> None:
    """
    A start past the grid fails with Google's "exceeds grid limits" text (third-party measurement).
    """
    with pytest.raises(ApiError) as info:
        resolve_range(book, given)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("data_2024", "data_2024"),
        ("D3", "'D3'"),
        ("R1C1", "'R1C1'"),
        ("My Sheet", "'My Sheet'"),
        ("ศก.1", "'ศก.1'"),
        ("Лист2", "'Лист2'"),
        ("Products-2021", "'Products-2021'"),
        ("20181204", "'20181204'"),
        ("Jon's", "'Jon''s'"),
    ],
)
def test_titles_are_quoted_unless_plain_identifiers(title: str, quoted: str) -> None:
    """
    Echoes leave only plain, non-cell-like ASCII identifiers bare.
    """
    assert quote_title(title) == quoted


def test_column_letters_round_trip() -> None:
    """
    Column letters and indexes convert both ways, including multi-letter columns.
    """
    for index in (0, 25, 26, 51, 52, 701, 702, 18277):
        assert column_index(column_letters(index)) == index
    assert [column_letters(i) for i in (0, 25, 26, 45, 82)] == ["A", "Z", "AA", "AT", "CE"]
    assert parse_cell("CE12") == (11, 82)
    assert cell_a1(3, 45) == "AT4"


@pytest.mark.parametrize(
    ("formula", "moved"),
    [
        ("=A1+$B$2+C$3", "=B2+$B$2+D$3"),
        ("=SUM(A1:B2)*LOG10(C3)", "=SUM(B2:C3)*LOG10(D4)"),
        ('=Sheet1!A1&"A1"', '=Sheet1!B2&"A1"'),
        ("='Data AB12'!A1", "='Data AB12'!B2"),  # a title that reads like a cell stays
        ("=ZZZ1", "=#REF!"),  # past the last column
    ],
)
def test_a_copied_formula_moves_its_relative_references(formula: str, moved: str) -> None:
    """One down and one right, as repeatCell writes a formula into the next cells."""
    from sheets_emulator.model.a1 import shifted_formula

    assert shifted_formula(formula, 1, 1) == moved
