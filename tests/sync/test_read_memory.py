"""
What a read holds: one buffer for the body, one object for each text a column repeats.
"""

from __future__ import annotations

import copy
import io
from typing import Any

import msgspec
import pytest
import requests
from urllib3.exceptions import ProtocolError

from sync.backends.gspread_backend import received
from sync.core.layout import last_used_column
from sync.core.sheet import (
    DIGEST_SIZE,
    SAMPLE_ROWS,
    ReadRows,
    ValuesRead,
    row_digests,
    share_texts,
    written_digest,
)
from sync.core.tabs import Titles
from sync.demo.data import generate_spreadsheet
from sync.run.read import TabsRead, snapshot_of


def test_equal_texts_of_a_repeating_column_become_one_object() -> None:
    """A province typed on every row is one text; the grid reads exactly as decoded."""
    grid: list[list[Any]] = [["จังหวัด", "ชื่อ", "ยอดขาย", "ติ๊ก"]]
    for i in range(200):
        grid.append(["".join(["เชียง", "ใหม่"]), f"คนที่ {i}", 1 if i % 2 else 1.0, i % 3 == 0])
    grid.append(["เชียงใหม่"])  # a short row (trailing cells empty)
    before = copy.deepcopy(grid)
    shared = share_texts(grid)
    assert shared == before
    assert [[type(c) for c in row] for row in shared] == [[type(c) for c in row] for row in before]
    assert len({id(row[0]) for row in shared[1:]}) == 1  # every province: one object
    assert len({id(row[1]) for row in shared[1:-1]}) == 200  # names, all distinct: untouched


def test_blanks_alone_do_not_make_a_column_worth_sharing() -> None:
    """Every '' is one object already: a column blank on nearly every row is left as decoded
    (no look-up per cell), while a column that repeats texts is shared."""
    grid: list[list[Any]] = [["หมายเหตุ", "จังหวัด"]]
    for i in range(SAMPLE_ROWS * 4):
        note = "".join(["ส่ง", "เอกสาร", "แล้ว"]) if i % 40 == 0 else ""
        grid.append([note, "".join(["เชียง", "ใหม่"])])
    before = copy.deepcopy(grid)
    shared = share_texts(grid)
    assert shared == before
    notes = [row[0] for row in shared[1:] if row[0]]
    assert len(notes) == 7
    assert len({id(note) for note in notes}) == 7  # left as decoded: one object each
    assert len({id(row[1]) for row in shared[1:]}) == 1


def test_numbers_and_ticks_are_never_taken_for_one_another() -> None:
    """1, 1.0 and TRUE are equal in Python but different cells: only texts are shared."""
    grid: list[list[Any]] = [[value, "ก"] for value in (1, 1.0, True, 0, False, 0.0, -0.0) * 20]
    before = copy.deepcopy(grid)
    shared = share_texts(grid)
    assert [[repr(c) for c in row] for row in shared] == [[repr(c) for c in row] for row in before]


def test_a_generated_sheet_keeps_every_value_and_type() -> None:
    """On a real-form tab: every cell as decoded, far fewer text objects."""
    tab = generate_spreadsheet(rows_per_region=SAMPLE_ROWS * 3, seed=7).tabs["ศก.2"]
    before = copy.deepcopy(tab)
    shared = share_texts(tab)
    assert [[(type(c), c) for c in row] for row in shared] == [
        [(type(c), c) for c in row] for row in before
    ]
    texts = [c for row in shared for c in row if isinstance(c, str) and c]
    assert len({id(c) for c in texts}) < len(texts) / 2


class _Raw(io.BytesIO):
    """A response body that arrives in the given pieces, or breaks after them."""

    def __init__(self, pieces: list[bytes], broken: bool = False) -> None:
        super().__init__(b"".join(pieces))
        self.pieces, self.broken = pieces, broken

    def stream(self, amt: int | None = None, decode_content: bool = True) -> Any:
        yield from self.pieces
        if self.broken:
            raise ProtocolError("Connection broken: IncompleteRead")


def _response(pieces: list[bytes], broken: bool = False) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.raw = _Raw(pieces, broken)
    return response


def test_a_body_sent_whole_is_taken_as_it_is() -> None:
    body = b'{"valueRanges": []}' * 1000
    assert received(_response([body])) is body


def test_a_body_sent_in_pieces_is_gathered_in_one_buffer() -> None:
    pieces = [b'{"valueRanges":', b" [", b"]", b"}"]
    assert received(_response(pieces)) == b"".join(pieces)
    assert received(_response([])) == b""


def test_a_body_cut_short_raises_what_requests_raises() -> None:
    """As `Response.content` would: the backend retries a read that broke mid-body."""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        received(_response([b'{"valueRanges":', b" ["], broken=True))


def test_a_round_shares_the_texts_of_its_regional_tabs_only() -> None:
    """Both rounds' reads share them (their grids live through the round); the other tabs
    keep the decoder's objects."""

    def grid() -> list[list[Any]]:
        return [[f"{'ตัว'}{'เลือก'}", str(i)] for i in range(100)]

    titles = Titles(regions={"ศก.1": "ศก.1"}, options="ตัวเลือก", summary=None, compiled=None)
    read = TabsRead(titles, ValuesRead.of_grids([grid(), grid()]))
    snapshot = snapshot_of(read)
    regional, options = snapshot.grids["ศก.1"], snapshot.grids["ตัวเลือก"]
    assert regional == options == grid()
    assert len({id(row[0]) for row in regional}) == 1
    assert len({id(row[0]) for row in options}) == 100


def test_each_regional_range_is_shared_before_the_next_is_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What sharing lets go of one range is free for the next range's cells to fill."""
    from sync.core import sheet

    steps: list[str] = []
    decode_row = sheet._decoded_row  # (every range's rows, the other tabs' too)
    share_row = sheet._share_row

    def row_decoded(raw: Any) -> Any:
        row = decode_row(raw)
        steps.append(f"decode {row[0]}")
        return row

    def row_shared(row: Any, *args: Any) -> None:
        steps.append(f"share {row[0]}")
        share_row(row, *args)

    monkeypatch.setattr(sheet, "_decoded_row", row_decoded)
    monkeypatch.setattr(sheet, "_share_row", row_shared)
    body = msgspec.json.encode(
        {"valueRanges": [{"values": [[name]]} for name in ("ศก.1", "ศก.2", "ตัวเลือก")]}
    )
    titles = Titles(
        regions={"ศก.1": "ศก.1", "ศก.2": "ศก.2"}, options="ตัวเลือก", summary=None, compiled=None
    )
    snapshot = snapshot_of(TabsRead(titles, ValuesRead.of_body(body)))
    assert ["decode ศก.1", "share ศก.1", "decode ศก.2", "share ศก.2", "decode ตัวเลือก"] == steps
    assert {t: [[t]] for t in ("ศก.1", "ศก.2", "ตัวเลือก")} == snapshot.grids


def _rows_body(grid: list[list[Any]]) -> bytes:
    return msgspec.json.encode({"valueRanges": [{"values": grid}]})


def test_a_lazy_read_decodes_only_the_rows_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A verify read's rows are decoded when first used, each once; their digests are known
    before any is, equal for rows read byte for byte alike and only for those."""
    from sync.core import sheet

    decoded: list[Any] = []
    decode_row = sheet._decoded_row
    monkeypatch.setattr(sheet, "_decoded_row", lambda raw: decoded.append(raw) or decode_row(raw))
    grid: list[list[Any]] = [["ชื่อ", "ยอด"], ["ก", 1], ["ข", 1.0], ["ก", 1], [], ["ค", True]]
    (rows,) = ValuesRead.of_body(_rows_body(grid)).tabs({0}, lazy=True)
    assert isinstance(rows, ReadRows)
    assert 6 == len(rows) and [] == decoded
    digests = row_digests(rows)
    assert digests is not None and len(digests) == 6 * DIGEST_SIZE
    of = [digests[i * DIGEST_SIZE : (i + 1) * DIGEST_SIZE] for i in range(6)]
    assert of[1] == of[3]
    assert len({of[i] for i in (0, 1, 2, 4, 5)}) == 5  # 1 and 1.0 are other bytes

    assert ["ข", 1.0] == rows[2] and ["ค", True] == rows[-1]
    assert ["ข", 1.0] == rows[2]
    assert 2 == len(decoded)
    assert [["ก", 1], ["ข", 1.0]] == rows[1:3]
    assert 3 == len(decoded)
    assert grid == rows and grid == list(rows)
    assert 6 == len(decoded)
    with pytest.raises(IndexError):
        rows[6]


def test_read_rows_keep_every_value_share_texts_and_read_big_numbers() -> None:
    """Rows read as bytes hold what a whole decode would (a number beyond a double read by
    the standard parser), and a column's repeated texts are one object."""
    tab = generate_spreadsheet(rows_per_region=SAMPLE_ROWS * 3, seed=7).tabs["ศก.2"]
    tab = [*tab, ["1" * 400, 10**400]]
    body = _rows_body(tab).replace(b'"' + b"1" * 400 + b'",', b"1" * 400 + b",", 1)
    expected = [*tab[:-1], [int("1" * 400), 10**400]]
    for lazy in (False, True):
        (rows,) = ValuesRead.of_body(body).tabs({0}, lazy=lazy)
        assert [[(type(c), c) for c in row] for row in rows] == [
            [(type(c), c) for c in row] for row in expected
        ]
        texts = [c for row in rows for c in row if isinstance(c, str) and c]
        assert len({id(c) for c in texts}) < len(texts) / 2


def test_cells_taken_from_rows_not_decoded_are_those_of_the_row_decoded() -> None:
    """The few cells the compiled list takes of a row not decoded yet are the row's (a number
    beyond a double read by the standard parser, beyond the row's end None), and the row
    is not decoded whole for them: it stays bytes until a round uses it."""
    tab = generate_spreadsheet(rows_per_region=5, seed=7).tabs["ศก.2"]
    tab = [*tab, ["x", 10**400]]
    (rows,) = ValuesRead.of_body(_rows_body(tab)).tabs({0}, lazy=True)
    (whole,) = ValuesRead.of_body(_rows_body(tab)).tabs({0}, lazy=False)
    columns = [0, 1, 5, 30, 200]
    for index in range(len(tab)):
        taken = rows.cells_at(index, columns)
        assert [(type(c), c) for c in taken] == [
            (type(c), c)
            for c in (whole[index][i] if i < len(whole[index]) else None for i in columns)
        ]
    assert 0 == rows.decoded
    assert rows[3] == whole[3]
    assert rows.cells_at(3, columns)[0] == whole[3][0] and 1 == rows.decoded


def test_grids_handed_over_decoded_have_no_row_digests() -> None:
    """A backend that hands over decoded grids (a file, memory): rows are compared as values."""
    (grid,) = ValuesRead.of_grids([[["ก", 1]]]).tabs({0})
    assert [["ก", 1]] == grid and row_digests(grid) is None


def test_a_row_looked_at_is_not_kept_and_its_noted_cells_answer_for_it() -> None:
    """
    A row looked at (for the digest of its input cells) is decoded, not kept: the read still
    holds its bytes only. Noted at some columns, those cells are kept (what a round's marks
    read of a row its worker wrote) and answer `cells_at` for exactly those columns, as the
    row would (beyond its end None; a row shorter than all of them noted as such); other
    columns are taken from the bytes.
    """
    tab = generate_spreadsheet(rows_per_region=5, seed=7).tabs["ศก.2"]
    (rows,) = ValuesRead.of_body(_rows_body(tab)).tabs({0}, lazy=True)
    (whole,) = ValuesRead.of_body(_rows_body(tab)).tabs({0}, lazy=False)
    noted = [2, 5, 300]
    for index in range(len(tab)):
        looked = rows.look(index)
        assert looked == whole[index]
        rows.note(index, looked, noted)
    assert 0 == rows.decoded
    for index in range(len(tab)):
        for columns in (noted, [0, 5]):
            expected = [whole[index][c] if c < len(whole[index]) else None for c in columns]
            assert list(rows.cells_at(index, columns)) == expected
    past = [len(whole[5]) + 2, len(whole[5])]  # (a block not there yet: a first run's)
    rows.note(5, rows.look(5), past)
    assert (None, None) == rows.cells_at(5, past) and 0 == rows.decoded


def test_the_width_of_rows_not_decoded_is_told_from_their_bytes() -> None:
    """
    The columns used in any row (where a new worker block goes) are those of the rows
    decoded: an empty text, a blank (null) or nothing at a row's end is not used, a space is;
    the rows are neither decoded for it nor kept.
    """
    grid: list[list[Any]] = [
        ["ชื่อ", "ยอด"],
        ["ก", 1, "", ""],
        ["ข", None, None],
        [],
        ["", "", "", "", " "],
        ["ค", "", 0, ""],
    ]
    for rows_of in (grid[:4], grid[:5], grid[:4] + grid[5:], grid):
        (rows,) = ValuesRead.of_body(_rows_body(rows_of)).tabs({0}, lazy=True)
        assert isinstance(rows, ReadRows)
        assert last_used_column(rows) == last_used_column(rows_of)
        assert 0 == rows.decoded
    (rows,) = ValuesRead.of_body(_rows_body(grid)).tabs({0}, lazy=True)
    assert rows[4] == grid[4] and rows[1] == grid[1]  # (two rows decoded already)
    assert (5, 2) == (last_used_column(rows), rows.decoded)
    assert [2, 5, 3, 5] == [
        last_used_column(g) for g in (grid[:4], grid[:5], grid[:4] + grid[5:], grid)
    ]


@pytest.mark.parametrize(
    ("row", "cells", "after"),
    [
        # A first run's worker block: past the row's end, a gap of blanks before it.
        (["ชื่อ", "", 12], [(5, "ผ่าน"), (6, 12.5), (7, None)], ["ชื่อ", "", 12, "", "", "ผ่าน", 12.5]),
        # Cells within the row: overwritten, a cell cleared, the row's end trimmed of blanks.
        (["a", 1, "x", "y"], [(2, None), (3, None)], ["a", 1]),
        (["a", 1, "x", "y"], [(1, "ข้อความ"), (3, 7)], ["a", "ข้อความ", "x", 7]),
        # Blanks written past the end change nothing; an empty row gains its cells.
        (["a"], [(4, None)], ["a"]),
        ([], [(2, "z")], ["", "", "z"]),
    ],
)
def test_a_row_written_reads_with_the_digest_told_for_it(
    row: list[Any], cells: list[tuple[int, Any]], after: list[Any]
) -> None:
    """
    `written_digest` tells the digest a compact answer's row will have once the cells are
    written (as `ReadRows.digests` makes it): the row's other cells as they were, blanks
    between as '', none trailing; told with the row's width or from its bytes alike.
    """
    raw = msgspec.Raw(msgspec.json.encode(row))
    columns, values = [c for c, _ in cells], [v for _, v in cells]
    expected = ReadRows([msgspec.Raw(msgspec.json.encode(after))]).digests
    assert written_digest(raw, columns, values) == expected
    assert written_digest(raw, columns, values, len(row)) == expected
