"""
The shortcuts that make a run cost what changed give exactly the answers of the long way.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import msgspec
import pytest

from rules.header_map import map_headers
from sync.backends.gspread_backend import _joined
from sync.core.cells import as_read, cells_as_read, read_back, same_value, shows
from sync.core.diff import CellChange, ListMoves, _opcodes, batches, diff_grid, list_moves
from sync.core.evaluate import RowCells, row_digest
from sync.core.sheet import DIGEST_SIZE, Digests, LaterGrid, ReadRows, ValuesRead, row_digests
from tests.conftest import record_rows_decoded

DESIRED = [
    None,
    "",
    "ผ่าน",
    "0",
    "1",
    Decimal("120840"),
    Decimal("120840.00"),
    Decimal("9.71"),
    Decimal("0.1"),
    Decimal("-3.5"),
    Decimal("1E+400"),
    Decimal(2**60),
    7,
    0,
]
CURRENT = [
    None,
    "",
    "ผ่าน",
    "0",
    "1",
    120840,
    120840.0,
    9.71,
    0.1,
    -3.5,
    7,
    7.0,
    0,
    0.0,
    False,
    True,
    1,
    2**60,
    float(2**60),
    "1E+400",
]


def test_a_row_that_reads_as_wanted_is_unchanged_cell_by_cell() -> None:
    """The whole-row test never calls a cell unchanged that the cell-by-cell test would write."""
    for desired, current in itertools.product(DESIRED, CURRENT):
        if shows(cells_as_read([current], [0]), (as_read(desired),)):
            assert same_value(current, desired), (current, desired)
    # an empty cell shows exactly the blank values (the first run's shortcut)
    for desired in DESIRED:
        assert same_value(None, desired) == (as_read(desired) is None), desired
    # and it recognises the cells an unchanged run meets
    assert as_read(Decimal("120840.00")) == 120840 and type(as_read(Decimal("1.50"))) is float
    assert as_read("") is None and read_back("") is None


def test_a_row_view_reads_as_the_row_dict() -> None:
    headers = map_headers(["ชื่อ-นามสกุล", "เลขบัตรประจำตัวประชาชน", "อีเมล"])
    row = ["สมชาย ใจดี", "1101700203451"]  # the e-mail cell trimmed off by the API
    assert headers.row_cells(row) == dict(RowCells(row, headers.columns))
    assert RowCells(row, headers.columns) == headers.row_cells(row)


def test_the_row_key_tells_cells_apart_that_python_calls_equal() -> None:
    values = (1, 1.0, True, "1", None, "", 0.0, -0.0, Decimal("1"), Decimal("1.0"), "Decimal('1')")
    keys = {row_digest((value,)) for value in values}
    assert len(values) == len(keys)
    assert row_digest(("a", 2)) == row_digest(("a", 2))
    assert row_digest(("สมชาย", Decimal("2.5"))) == row_digest(("สมชาย", Decimal("2.5")))
    assert row_digest((Decimal("1"), Decimal("2"))) != row_digest((Decimal("1"), "2"))


def test_the_row_key_keeps_no_copy_of_the_text_it_reads() -> None:
    # Encoders that reach into a str for its UTF-8 keep that copy inside the str for as long
    # as it lives: ~10 MB over a large read's Thai cells, for nothing.
    row = tuple("".join(["ชื่อ ", str(i)]) for i in range(2_000))
    before = sum(map(sys.getsizeof, row))
    row_digest(row)
    assert before == sum(map(sys.getsizeof, row))


def test_a_batch_carries_the_exact_json_of_its_requests() -> None:
    requests = [{"updateCells": {"n": i, "text": "ผ่าน" * 20}} for i in range(30)]
    split = batches(requests, 1_000)
    assert len(split) > 3
    for batch in split:
        assert [json.loads(e) for e in batch.encoded] == list(batch)
        assert sum(map(len, batch.encoded)) <= 1_000 or len(batch) == 1


@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_a_body_joined_once_is_the_json_of_its_requests(count: int) -> None:
    requests = [{"updateCells": {"n": i}} for i in range(count)]
    body = _joined(b'{"requests":[', [msgspec.json.encode(r) for r in requests], b"]}")
    assert {"requests": requests} == json.loads(body)


def test_a_read_is_digested_as_received_and_decoded_as_json() -> None:
    body = json.dumps(
        {"valueRanges": [{"range": "'ศก.1'!A1:B2", "values": [[1, "ก", 2.5, True]]}, {}]}
    ).encode()
    read = ValuesRead.of_body(body)
    assert [[[1, "ก", 2.5, True]], []] == read.grids()
    assert read.digest == ValuesRead.of_body(body).digest
    assert read.digest != ValuesRead.of_body(body.replace(b"2.5", b"2.6")).digest


def _range_digests(values: list[list[object]], *, regional: bool) -> list[str]:
    body = json.dumps({"valueRanges": [{"values": values}, {"values": [["x"]]}]}).encode()
    read = ValuesRead.of_body(body)
    read.tabs({0} if regional else set())
    return read.range_digests


@pytest.mark.parametrize("regional", [True, False])
def test_a_range_digest_changes_with_any_cell_of_that_range_only(regional: bool) -> None:
    """A regional tab's digest is made of its rows' (each byte hashed once), the others' of
    their bytes: either way one cell typed otherwise gives that range another digest, and
    the same values the same digest."""
    rows: list[list[object]] = [["ก", 1, 2.5], ["ข", True], []]
    same = _range_digests(rows, regional=regional)
    assert same == _range_digests([list(r) for r in rows], regional=regional)
    edits: list[list[list[object]]] = [
        [["ก", 1.0, 2.5], ["ข", True], []],  # 1 and 1.0 are other cells
        [["ก", 1, 2.5], ["ข", "TRUE"], []],
        [["ก", 1, 2.5], ["ข", True], [""]],
        [["ค", 1, 2.5], ["ข", True], []],
    ]
    for edited in edits:
        other = _range_digests(edited, regional=regional)
        assert other[0] != same[0] and other[1] == same[1]
    moved = [rows[1], rows[0], rows[2]]  # the same rows in another order
    assert _range_digests(moved, regional=regional)[0] != same[0]


def test_a_range_read_later_decodes_only_the_rows_used() -> None:
    """The compiled list of a lazy read stays bytes until a round uses it; then each row is
    decoded when used (its length decodes none), each row's digest known; it equals what an
    eager read gives (its rows decoded at once, their digests known), and its digest is the
    same either way."""
    body = json.dumps(
        {"valueRanges": [{"values": [["ก", 1]]}, {"values": [["หัว"], ["ร", 2.5], []]}]}
    ).encode()
    lazy, eager = ValuesRead.of_body(body), ValuesRead.of_body(body)
    _, later = lazy.tabs({0}, lazy=True, later={1})
    _, whole = eager.tabs({0}, lazy=False, later={1})
    assert isinstance(later, LaterGrid) and not later.decoded
    assert isinstance(whole, ReadRows) and 3 == whole.decoded
    assert lazy.range_digests == eager.range_digests and row_digests(whole) is not None
    assert 3 == len(later) and 0 == later.decoded
    assert ["ร", 2.5] == later[1] and 1 == later.decoded
    digests = row_digests(later)
    assert digests is not None and 3 * DIGEST_SIZE == len(digests)
    assert later == whole == [["หัว"], ["ร", 2.5], []]


def test_list_moves_line_up_rows_that_are_already_there() -> None:
    """A row gone from the middle and one new in the middle: one cut, one gap, nothing else."""
    header = [["ภาค", "แถว"]]
    rows = [[f"ศก.{i % 7 + 1}", i] for i in range(60)]
    wanted = header + rows[:10] + rows[11:40] + [["ศก.9", 999]] + rows[40:]
    moves = list_moves(7, header + rows, wanted, first_row=2, width=2)
    kinds = [next(iter(r)) for r in moves.requests]
    assert ["insertRange", "deleteRange"] == kinds  # bottom up
    shifted = [row if row else [None, None] for row in moves.shifted]
    assert [len(wanted)] == [len(shifted)] and 1 == moves.inserted
    assert [r for r in shifted if r != [None, None]] == [r for r in wanted if r != ["ศก.9", 999]]
    cut = moves.requests[1]["deleteRange"]["range"]
    assert (11, 12) == (cut["startRowIndex"], cut["endRowIndex"])  # sheet row 12: rows[10]


def test_list_moves_leave_small_shifts_and_the_end_to_the_cell_diff() -> None:
    header = [["ภาค"]]
    rows = [[f"แถว {i}"] for i in range(50)]
    assert [] == list_moves(7, header + rows, header + rows[:-3], first_row=2, width=1).requests
    first_gone = list_moves(7, header + rows, header + rows[1:], first_row=2, width=1)
    (cut,) = first_gone.requests  # 49 rows would move up: one cut of the sheet's row 2
    assert (1, 2) == (
        cut["deleteRange"]["range"]["startRowIndex"],
        cut["deleteRange"]["range"]["endRowIndex"],
    )
    few = header + rows[:45] + rows[46:]
    assert [] == list_moves(7, header + rows, few, first_row=2, width=1).requests  # 4 rows shift


def _applied(
    have: list[bytes], want: list[bytes], blocks: list[tuple[str, int, int, int, int]]
) -> list[bytes]:
    """`have` edited by the opcodes: equal blocks kept (and checked equal), the rest replaced."""
    out: list[bytes] = []
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "equal":
            assert have[i1:i2] == want[j1:j2]
            out += have[i1:i2]
        else:
            out += want[j1:j2]
    return out


def test_list_opcodes_turn_the_rows_read_into_the_rows_wanted() -> None:
    """Rows alike at both ends are matched first; what is left goes through the matcher."""
    rng = random.Random(7)
    for _ in range(300):
        have = [bytes([rng.randrange(6)]) for _ in range(rng.randrange(0, 30))]
        want = list(have)
        for _ in range(rng.randrange(0, 4)):  # a few rows cut, opened or changed anywhere
            at = rng.randrange(len(want) + 1)
            kind = rng.randrange(3)
            if kind == 0 and at < len(want):
                del want[at]
            elif kind == 1:
                want.insert(at, bytes([rng.randrange(6)]))
            elif at < len(want):
                want[at] = bytes([9])
        blocks = _opcodes(have, want)
        assert want == _applied(have, want, blocks)
        # Contiguous over both lists, as SequenceMatcher's own opcodes are.
        assert [b[1] for b in blocks[1:]] == [b[2] for b in blocks[:-1]]
        assert [b[3] for b in blocks[1:]] == [b[4] for b in blocks[:-1]]
    same = [b"a", b"b", b"c"] * 1000
    assert [("equal", 0, 3000, 0, 3000)] == _opcodes(same, list(same))


def test_rows_the_moves_bring_to_their_place_need_no_cell_diff() -> None:
    """
    After a cut and a gap in the middle of the list, the rows the moves bring to where they
    are wanted are not compared again, and the changes and padding are exactly those of the
    full comparison of the list as the moves leave it: a row changed in place, one with a
    stray cell beyond the list's width and the new row included.
    """
    header = [["ภาค", "แถว"]]
    rows: list[list[object]] = [[f"ศก.{i % 7 + 1}", i] for i in range(60)]
    wanted = header + rows[:10] + rows[11:40] + [["ศก.9", 999]] + rows[40:]
    wanted[20] = ["ศก.1", "แก้แล้ว"]
    read = header + [list(r) for r in rows]
    read[50] = [*read[50], "", "ค้างไว้"]  # typed beyond the list: must be cleared
    moves = list_moves(7, read, wanted, first_row=2, width=2)
    assert moves.requests and len(moves.alike) > 40
    full = diff_grid("t", moves.shifted, wanted)
    assert full == diff_grid("t", moves.shifted, wanted, alike=moves.alike)
    assert {c.row for c in full[0]} == {21, 41, 51} and not {21, 41, 51} & moves.alike


def test_rows_the_list_moves_find_alike_need_no_cell_diff() -> None:
    """
    With no moves, the compiled list's rows that read as wanted are not compared again, and the
    changes and padding are exactly those of the full comparison: a changed, a stray and a
    typed-beyond-the-list cell included.
    """
    rng = random.Random(11)
    values: list[object] = ["ก", "", None, 1, 1.0, True, Decimal("2.50"), "x"]
    for _ in range(200):
        width = rng.randrange(2, 6)
        wanted = [[f"h{c}" for c in range(width)]] + [
            [rng.choice(values) for _ in range(width)] for _ in range(rng.randrange(0, 25))
        ]
        read = [[_as_the_api_sends(v) for v in row] for row in wanted]
        for _ in range(rng.randrange(0, 4)):  # people (or an old run) left other cells
            row = read[rng.randrange(len(read))]
            spot = rng.randrange(width + 2)
            row.extend([""] * (spot + 1 - len(row)))
            row[spot] = rng.choice(["zz", 7, ""])
        moves = list_moves(1, read, wanted, first_row=2, width=width)
        if moves.requests:
            continue
        assert moves.alike <= set(range(2, len(read) + 1))
        assert diff_grid("t", read, wanted) == diff_grid("t", read, wanted, alike=moves.alike)
    same = [["h"], ["ก"], ["ข"]]
    assert {2, 3} == list_moves(1, same, same, first_row=2, width=1).alike


def _as_the_api_sends(value: object) -> object:
    """A written value as a read returns it: blanks as "", numbers as JSON numbers."""
    if value is None or value == "" or isinstance(value, str | bool):
        return "" if value is None else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return as_read(value)  # type: ignore[arg-type]


class _Built(list[list[object]]):
    """Wanted lines that note which of them were used (as the compiled list builds a line)."""

    def __init__(self, lines: list[list[object]]) -> None:
        super().__init__(lines)
        self.used: set[int] = set()

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self.used.add(index)
        return super().__getitem__(index)


def _read_as_bytes(grid: list[list[object]]) -> ReadRows:
    """A grid as a lazy read hands it over: each row decoded when used, digests known."""
    raws = msgspec.json.decode(msgspec.json.encode(grid), type=list[msgspec.Raw])
    return ReadRows(raws)


def test_rows_known_by_their_bytes_and_lines_by_their_keys_are_neither_decoded_nor_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The compiled list compared again after a comparison that found rows showing lines: rows
    read byte for byte as then are matched by the key of the line they show, lines by their
    keys, so only the rows that changed are decoded and their lines built; the moves, the rows
    alike and the cell diff are exactly those of the full comparison. A row decoded for its
    key alone is not kept decoded.
    """
    decoded: list[int] = []
    record_rows_decoded(monkeypatch, decoded)
    header = [["ภาค", "แถว", "ชื่อ"]]
    rows: list[list[object]] = [[f"ศก.{i % 7 + 1}", i, f"ชื่อ {i}"] for i in range(60)]
    keys = [f"k{i}".encode().ljust(16, b".") for i in range(60)]
    read = _read_as_bytes(header + rows)
    first = list_moves(7, read, header + rows, first_row=2, width=3, keys=keys)
    assert first.shows is not None and 60 == len(first.shows)
    assert list(range(2, 62)) == decoded and 0 == read.decoded  # each once, for its key

    # People's edits: row 10 stops being counted, a participant is added after row 40, and
    # row 50's name changes (a new key). The list is read as the first comparison left it.
    wanted = _Built(header + rows[:10] + rows[11:40] + [["ศก.9", 999, "ใหม่"]] + rows[40:])
    at = wanted.index(rows[50])
    wanted[at] = [rows[50][0], 50, "ชื่อแก้"]
    new_keys = [*keys[:10], *keys[11:40], b"new".ljust(16, b"."), *keys[40:]]
    new_keys[at - 1] = b"edited".ljust(16, b".")
    wanted.used.clear()
    again = _read_as_bytes(header + rows)
    decoded.clear()
    moves = list_moves(7, again, wanted, first_row=2, width=3, keys=new_keys, shows=first.shows)
    changes = diff_grid("t", moves.shifted, wanted, alike=moves.alike)
    assert {0, 40, at} == wanted.used  # the header, the new line, the edited one
    assert 2 == again.decoded  # the header, and the row showing row 50's line before the edit

    full_moves = list_moves(7, header + rows, list(wanted), first_row=2, width=3)
    assert full_moves.requests == moves.requests and full_moves.alike == moves.alike
    assert changes == diff_grid("t", full_moves.shifted, list(wanted))
    assert moves.shows is not None and len(moves.alike) == len(moves.shows)


def test_digests_kept_joined_read_as_a_sequence_of_their_own() -> None:
    """Joined digests index, slice and end as a list of them would (iteration included)."""
    each = [bytes([n]) * DIGEST_SIZE for n in range(3)]
    joined = Digests(b"".join(each))
    assert 3 == len(joined) and each == list(joined) == joined[:]
    assert each[-1] == joined[-1] and each[1:] == joined[1:]
    with pytest.raises(IndexError):
        joined[3]


def test_rows_known_by_their_bytes_compare_as_the_full_comparison_would() -> None:
    """
    Lists edited at random (rows cut, opened, changed): the comparison that knows rows by
    their bytes and lines by their keys (from the comparison before) gives the moves, the
    rows alike and the cell diff of the full comparison. With cells people typed beyond the
    list too, a row whose bytes changed so is matched by content only among the lines not
    known either (it may be rewritten where it would have been moved), and the list still
    ends exactly as wanted.
    """
    rng = random.Random(7)
    header = [["ภาค", "แถว", "ชื่อ"]]

    def key(line: list[object]) -> bytes:
        return hashlib.blake2b(msgspec.json.encode(line), digest_size=DIGEST_SIZE).digest()

    def compared(
        read: list[list[object]],
        wanted: list[list[object]],
        shows: Mapping[bytes, bytes] | None = None,
    ) -> ListMoves:
        """The list as `read` compared with `wanted`, rows known as `shows` says."""
        keys = [key(r) for r in wanted]
        grid = _read_as_bytes(header + read)
        return list_moves(7, grid, header + wanted, first_row=2, width=3, keys=keys, shows=shows)

    for turn in range(120):
        stray = turn % 2 == 1
        count = rng.randrange(25, 70)
        rows: list[list[object]] = [
            [f"ศก.{rng.randrange(1, 8)}", n, f"ชื่อ {n}"] for n in range(count)
        ]
        first = compared(rows, rows)
        wanted = [list(r) for r in rows]
        read = [list(r) for r in rows]
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(wanted))
            kind = rng.randrange(4 if stray else 3)
            if kind == 0:
                del wanted[at]
            elif kind == 1:
                wanted.insert(at, ["ศก.9", 900 + at, "ใหม่"])
            elif kind == 2:
                wanted[at] = [wanted[at][0], wanted[at][1], "แก้"]
            else:
                read[at] = [*read[at], "", "ค้าง"]
        known = compared(read, wanted, first.shows)
        changes = diff_grid("t", known.shifted, header + wanted, alike=known.alike)
        assert header + wanted == _written(known.shifted, changes)
        if not stray:
            full = list_moves(7, header + read, header + wanted, first_row=2, width=3)
            assert (known.requests, known.alike) == (full.requests, full.alike)
            assert changes == diff_grid("t", full.shifted, header + wanted)


def _written(
    shifted: Sequence[Sequence[object]], changes: tuple[list[CellChange], list[CellChange]]
) -> list[list[object]]:
    """The list as the moves leave it with the changes (and padding) written, blanks cut."""
    grid = [list(row) for row in shifted]
    for change in [*changes[0], *changes[1]]:
        while len(grid) < change.row:
            grid.append([])
        line = grid[change.row - 1]
        line.extend([None] * (change.col + 1 - len(line)))
        line[change.col] = change.value
    trimmed = [[None if v == "" else v for v in row] for row in grid]
    for row in trimmed:
        while row and row[-1] is None:
            row.pop()
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def test_the_compiled_list_is_known_by_one_digest_its_line_keys_made_when_compared() -> None:
    """A run learns whether the list wanted changed from one digest of every listed row's
    line parts; the line keys a comparison matches rows by are made only when it runs (first
    used), one a listed row, equal exactly when the lines' parts are."""
    import marshal
    from dataclasses import replace

    import msgspec.structs

    from rules import headers as h
    from sync.core.evaluate import evaluate
    from sync.core.round import _compiled_digest, _compiled_rows, _line_of
    from sync.core.tabs import RegionTab
    from sync.demo.data import generate_spreadsheet, options_lists

    sheet = generate_spreadsheet(rows_per_region=30, seed=5)
    tabs = []
    for region in h.DEFAULT_REGION_TABS[:2]:
        grid = sheet.tabs[region]
        mapping = map_headers(grid[2], grid[1])
        tabs.append(RegionTab(region, region, grid, mapping, {}, first_data_row=4))
    evaluation = evaluate(tabs, options=options_lists(), fiscal_year=2567, as_of=date(2024, 6, 1))
    listed = _compiled_rows(evaluation)

    digest, keys = _compiled_digest(evaluation)
    assert len(keys) == len(listed) > 20 and keys._keys is None  # none made yet
    made = list(keys)
    expected = [
        hashlib.blake2b(marshal.dumps(_line_of(r), 2), digest_size=16, person=b"line").digest()
        for r in listed
    ]
    assert made == expected and len(set(made)) == len(made) and keys[-1] == made[-1]

    # Another duplicate pointer changes no line; another status does, and that row's key.
    rows = list(evaluation.rows)
    at = rows.index(listed[3])
    for changed, same in (
        (msgspec.structs.replace(rows[at], pointer="ซ้ำ"), True),
        (
            msgspec.structs.replace(
                rows[at],
                status=h.STATUS_WARN if rows[at].status != h.STATUS_WARN else h.STATUS_PASS,
            ),
            False,
        ),
    ):
        other = replace(evaluation, rows=(*rows[:at], changed, *rows[at + 1 :]))
        other_digest, other_keys = _compiled_digest(other)
        assert (other_digest == digest) is same
        differ = [i for i, (a, b) in enumerate(zip(made, other_keys, strict=True)) if a != b]
        assert differ == ([] if same else [3])
