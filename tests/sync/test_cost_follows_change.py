"""
A run after a few edits does work for about those rows: the rows people did not touch are not
checked again, tabs nobody touched are not compared again, and the outcome is exactly what a
run starting from nothing would write.
"""

from __future__ import annotations

import gc
import pickle
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

import kpi
from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core import evaluate as evaluate_mod
from sync.core import round as round_mod
from sync.core.cells import column_letter
from sync.core.settings import SyncSettings
from sync.core.sheet import LaterGrid, ReadRows
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run import loop as loop_mod
from sync.run.loop import forget_row_caches, pack_kept_rows, run_sync
from sync.run.report import RunReport
from sync.run.settled import forget_settled
from tests.conftest import count_rows_checked, record_rows_compared, record_rows_decoded


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Rows checked, and regional tabs compared with what they should show, per tab."""
    counts: dict[str, Any] = {"rows": 0, "diffed": Counter()}
    row_changes = round_mod._row_changes

    def counted_diff(tab: Any, *args: Any) -> Any:
        counts["diffed"][tab.title] += 1
        return row_changes(tab, *args)

    count_rows_checked(monkeypatch, counts)
    monkeypatch.setattr(round_mod, "_row_changes", counted_diff)
    return counts


@pytest.fixture(params=["one-shot", "service"])
def sync(request: pytest.FixtureRequest) -> Callable[..., RunReport]:
    """
    `run_sync`, alone or as the service runs it: the rows kept for the next run packed once
    each run is over (`pack_kept_rows`), unpacked by the next run that plans.
    """

    def run(*args: Any, **kwargs: Any) -> RunReport:
        report = run_sync(*args, **kwargs)
        if request.param == "service":
            assert 1 == pack_kept_rows()
        return report

    return run


def _column(backend: GspreadBackend, sid: str, tab: str, header: str) -> str:
    (rows,) = backend.read_ranges(sid, [f"'{tab}'!3:3"])
    return column_letter(rows[0].index(header))


def _settled_from_scratch(
    backend: GspreadBackend, settings: SyncSettings, clock: Callable[[], datetime]
) -> int:
    """Cells a run that remembers nothing would still write (0: the sheet is right)."""
    forget_row_caches()
    forget_settled()
    return run_sync(backend, settings, clock=clock).cells_written


def test_one_edited_row_is_the_only_row_checked_and_its_tab_the_only_one_compared(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    work: dict[str, Any],
    sync: Callable[..., RunReport],
) -> None:
    settings = SyncSettings(spreadsheet_id=loaded)
    sync(backend, settings, clock=clock)
    work["rows"], work["diffed"] = 0, Counter()
    name = _column(backend, loaded, "ศก.3", h.FULL_NAME)
    people.type_value(emulator.store, loaded, "ศก.3", f"{name}5", "สมหญิง แก้ชื่อใหม่")

    edited = sync(backend, settings, clock=clock)

    assert "ok" == edited.outcome and edited.cells_written > 0
    assert 1 == work["rows"]  # of 140 rows, the one typed in
    assert {"ศก.3"} == set(work["diffed"])  # the other six tabs were read as before
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_after_an_edit_each_round_walks_and_compares_only_what_moved(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    Round by round: the rows whose input cells are digested (rows not read byte for byte as
    at their tab's last evaluation), the tabs walked row by row (their input cells changed
    since they were last checked) and the rows compared with what they should show. The
    verify round of any run finds each row it wrote read with the bytes its round told for it
    (its input cells' as read, its worker cells' as written), its inputs and worker cells as
    they should be: nothing digested, walked or compared. After an edit, round 1 digests the
    edited rows, walks the edited tab and compares the edited rows; rows nobody touched cost
    nothing.
    """
    walked: list[str] = []
    compared: list[tuple[str, int]] = []
    digested: list[object] = []
    check_tab = evaluate_mod._check_tab
    row_digest = evaluate_mod.row_digest

    def digest(values: Any) -> bytes:
        if len(values) > len(evaluate_mod.KEPT_CELLS):  # a row's input values (each row's
            digested.append(values)  # kept cells are digested beside them)
        return row_digest(values)

    def walk(tab: Any, *args: Any) -> Any:
        walked.append(tab.title)
        return check_tab(tab, *args)

    monkeypatch.setattr(evaluate_mod, "_check_tab", walk)
    monkeypatch.setattr(evaluate_mod, "row_digest", digest)
    record_rows_compared(monkeypatch, compared)
    rounds: list[tuple[int, list[str], int]] = []
    plan_round = round_mod.plan_round

    def planned(*args: Any, **kwargs: Any) -> Any:
        walked.clear()
        compared.clear()
        digested.clear()
        plan = plan_round(*args, **kwargs)
        rounds.append((len(digested), sorted(set(walked)), len(compared)))
        return plan

    monkeypatch.setattr(round_mod, "plan_round", planned)
    settings = SyncSettings(spreadsheet_id=loaded)
    first = sync(backend, settings, clock=clock)
    regions = sorted(settings.regions)
    assert 2 == first.rounds
    # Every row digested (21 a tab, one blank), checked, compared and written; then every row
    # reads with the bytes told for it (the blank rows as before): nothing digested again.
    assert [(147, regions, 140), (0, [], 0)] == rounds

    rounds.clear()
    sales = _column(backend, loaded, "ศก.3", h.SALES_AFTER)
    people.type_value(emulator.store, loaded, "ศก.3", f"{sales}5", 987_654)  # its KPIs change
    status = _column(backend, loaded, "ศก.5", h.CHECK_STATUS)
    people.type_value(emulator.store, loaded, "ศก.5", f"{status}6", "แก้เอง")  # a worker cell
    edited = sync(backend, settings, clock=clock)

    assert 2 == edited.rounds
    # Round 1: the two rows typed in digested, ศก.3's inputs changed (walked); its row 5 and
    # ศก.5's row 6 compared, both written. Round 2: both rows read with the bytes told for
    # them: nothing digested, walked or compared.
    assert [(2, ["ศก.3"], 2), (0, [], 0)] == rounds
    assert "แก้เอง" != backend.read_ranges(loaded, [f"'ศก.5'!{status}6"])[0][0][0]
    assert 0 == _settled_from_scratch(backend, settings, clock)


def _list_rows_decoded(monkeypatch: pytest.MonkeyPatch, title: str) -> list[list[int]]:
    """Each round from now on, the compiled list's rows it decoded (0: its header row)."""
    seen: list[tuple[int, int]] = []  # (the rows read as bytes, the index of a row decoded)
    read = ReadRows._read

    def reading(rows: ReadRows, at: int) -> Any:
        seen.append((id(rows), at))
        return read(rows, at)

    listed: list[list[int]] = []
    plan_round = round_mod.plan_round

    def planned(*args: Any, **kwargs: Any) -> Any:
        plan = plan_round(*args, **kwargs)
        grid = args[1].grids.get(title)  # (none before the first write)
        grid = id(grid.rows() if isinstance(grid, LaterGrid) else grid)
        listed.append(sorted(at for rows, at in seen if rows == grid))
        seen.clear()
        return plan

    monkeypatch.setattr(ReadRows, "_read", reading)
    monkeypatch.setattr(round_mod, "plan_round", planned)
    return listed


TYPED_OVER = "พิมพ์ทับ"


def _typed_over_before_the_verify_read(
    monkeypatch: pytest.MonkeyPatch,
    emulator: EmulatorHandle,
    loaded: str,
    rounds: list[list[int]],
    tab: str,
    cell: Callable[[], str],
) -> None:
    """`TYPED_OVER` typed into `tab`'s `cell()` (A1, told then) between the first run's write
    and its verify read: once `rounds` holds the first round's."""
    read_snapshot = loop_mod.read_snapshot

    def typed_then_read(*args: Any, **kwargs: Any) -> Any:
        if len(rounds) == 1:
            people.type_value(emulator.store, loaded, tab, cell(), TYPED_OVER)
        return read_snapshot(*args, **kwargs)

    monkeypatch.setattr(loop_mod, "read_snapshot", typed_then_read)


def test_a_list_row_typed_over_before_the_verify_read_is_decoded_and_put_back(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The verify round knows the compiled list's rows by the bytes of the lines just written;
    a row someone typed over between the write and that read has other bytes: it alone is
    decoded, found wrong and written again, and the list ends as a fresh run would leave it.
    """
    settings = SyncSettings(spreadsheet_id=loaded)
    listed = _list_rows_decoded(monkeypatch, settings.compiled_tab)
    _typed_over_before_the_verify_read(
        monkeypatch, emulator, loaded, listed, settings.compiled_tab, lambda: "C5"
    )
    report = run_sync(backend, settings, clock=clock)
    assert report.rounds == 3  # (the verify round wrote the row back; the third found it right)
    # Of the list, the header row and the row typed over (for its key, then cell by cell).
    assert listed[1] == [0, 4, 4] and listed[2] == [0]
    (rows,) = backend.read_ranges(loaded, [f"'{settings.compiled_tab}'!A1:J"])
    assert TYPED_OVER not in {v for row in rows for v in row}
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_a_worker_cell_typed_over_before_the_verify_read_is_decoded_and_put_back(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The verify round knows each regional row written by the bytes its round told for it (its
    other cells' bytes as read, its worker cells as written: `round._BlockRows.read_after`),
    without decoding it; a row whose worker cell someone typed over between the write and
    that read has other bytes: it alone is decoded, found wrong and written again, and the
    tab ends as a fresh run would leave it.
    """
    settings = SyncSettings(spreadsheet_id=loaded)
    headers = settings.first_data_row - 1
    decoded = _list_rows_decoded(monkeypatch, "ศก.5")
    _typed_over_before_the_verify_read(  # (the worker's columns exist once the write made them)
        monkeypatch,
        emulator,
        loaded,
        decoded,
        "ศก.5",
        lambda: f"{_column(backend, loaded, 'ศก.5', h.CHECK_STATUS)}6",
    )
    report = run_sync(backend, settings, clock=clock)
    assert report.rounds == 3  # (the verify round wrote the cell back; the third found it right)
    data = [[at + 1 for at in rows if at >= headers] for rows in decoded]
    assert len(data[0]) > 15 and data[1:] == [[6], []]  # (sheet rows)
    status = _column(backend, loaded, "ศก.5", h.CHECK_STATUS)
    (cells,) = backend.read_ranges(loaded, [f"'ศก.5'!{status}6"])
    assert cells[0][0] in {"ผ่าน", "คำเตือน", "ไม่ผ่าน"}
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_a_participant_taken_off_the_list_costs_the_list_a_cut_not_a_decode(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    A run after an edit that takes a participant off the compiled list cuts the row out (the
    rows below move up, as they were): its first round knows the list's rows by their bytes
    as its last run left them, and its verify round knows them still, as their bytes were
    and as the lines the round wrote; each decodes the list's header row alone. What is kept
    of them is a digest and a key a row (a verify round that writes nothing adds none).
    """
    settings = SyncSettings(spreadsheet_id=loaded)
    assert 2 == sync(backend, settings, clock=clock).rounds
    (before,) = backend.read_ranges(loaded, [f"'{settings.compiled_tab}'!A2:J"])
    # The list's rows known as the verify round found them, once each (it wrote nothing).
    lines = loop_mod.row_cache_for(settings).lines
    assert lines is not None and len(lines[1]) == len(lines[2]) == 16 * len(before)
    listed = _list_rows_decoded(monkeypatch, settings.compiled_tab)
    region, number = before[5][0], before[5][1]  # the sixth participant listed
    ids = _column(backend, loaded, region, h.NATIONAL_ID)
    people.type_value(emulator.store, loaded, region, f"{ids}{number}", "")  # now it fails
    report = sync(backend, settings, clock=clock)
    assert report.rounds == 2 and report.cells_written > 0
    (after,) = backend.read_ranges(loaded, [f"'{settings.compiled_tab}'!A2:J"])
    assert after == before[:5] + before[6:]
    assert listed == [[0], [0]]
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_a_run_after_an_edit_decodes_only_the_rows_that_changed(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    A run after an edit reads the whole sheet twice, and decodes of its data rows only those
    whose bytes changed: the edited row (and the blank row of its tab, walked again) in
    round 1, none in the verify round (the row it wrote reads with the bytes the round told
    for it: `round._BlockRows.read_after`); the others are known by their bytes, and the
    compiled list, none of whose cells changed, is neither built nor compared. Besides, the
    header rows where each tab's columns are found (as a round starts: it looks for
    percentages typed with their sign first). A first run writes to every row: its first
    read decodes its header rows only, its round each data row once, for the digest of its input
    cells and its check (not kept: the worker cells are taken from the bytes), and a blank
    row again where its worker cells are compared; its verify read decodes no data row
    (each reads with the bytes told for it), and of the compiled list its header row only:
    its rows read with the bytes of the lines written (`round._expect_lines`).
    """
    decoded: list[int] = []
    record_rows_decoded(monkeypatch, decoded)
    rounds: list[tuple[list[int], list[int]]] = []
    plan_round = round_mod.plan_round

    blanks: dict[str, tuple[int, ...]] = {}
    listed: list[int] = []
    held: list[dict[str, int]] = []  # rows each regional tab holds decoded after its round

    def planned(*args: Any, **kwargs: Any) -> Any:
        read = sorted(decoded)  # rows decoded with the read, before the round plans
        decoded.clear()
        plan = plan_round(*args, **kwargs)
        rounds.append((read, sorted(decoded)))
        decoded.clear()
        blanks.update(plan.evaluation.blank_rows)
        snapshot = args[1]
        held.append({r: snapshot.grids[r].decoded for r in plan.evaluation.blank_rows})
        listed.append(len(snapshot.grids.get(snapshot.compiled_title) or ()))
        return plan

    monkeypatch.setattr(round_mod, "plan_round", planned)
    settings = SyncSettings(spreadsheet_id=loaded)
    headers = settings.first_data_row - 1
    assert 2 == sync(backend, settings, clock=clock).rounds
    # The verify read has the compiled list (written in round 1), known by its rows' bytes.
    assert listed[0] == 0 and listed[1] > 100
    headers_found = sorted([2, 3] * 7)
    written = [
        n for region in blanks for n in range(headers + 1, headers + 22) if n not in blanks[region]
    ]
    assert len(blanks) == 7 and len(written) == 7 * 20  # (the blank row: as its bytes were)
    verify = (headers_found, [1])
    data = sorted(list(range(headers + 1, headers + 22)) * 7)
    blank_again = [n for region in blanks for n in blanks[region]]
    first = sorted([*data, *blank_again])  # (the header rows: found as the round starts)
    assert [(headers_found, first), verify] == rounds
    # Round 1 holds no data row decoded either: the header rows, and the blank rows compared.
    assert {r: 2 + len(blanks[r]) for r in blanks} == held[0]
    rounds.clear()

    sales = _column(backend, loaded, "ศก.3", h.SALES_AFTER)
    people.type_value(emulator.store, loaded, "ศก.3", f"{sales}5", 987_654)
    decoded.clear()
    edited = sync(backend, settings, clock=clock)

    assert 2 == edited.rounds and edited.cells_written > 0
    data = [[n for n in read + planned if n > headers] for read, planned in rounds]
    assert [sorted([5, *blanks["ศก.3"]]), []] == data
    assert all(len(read + planned) <= 2 + 7 * headers for read, planned in rounds)
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_the_compiled_list_decodes_only_the_rows_whose_listed_cells_changed(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    After edits, a read is lazy: the compiled list (a row per counted participant) is kept as
    the bytes read, and a run whose edits change no listed cell (a figure) never decodes it;
    an edit of a listed cell (a name) compares the list, decoding only the row whose line
    changed (and the header), and the list ends right.
    """
    seen: list[Any] = []
    plan_round = round_mod.plan_round

    def planned(settings: SyncSettings, snapshot: Any, *args: Any, **kwargs: Any) -> Any:
        plan = plan_round(settings, snapshot, *args, **kwargs)
        grid = snapshot.grids.get(snapshot.compiled_title)
        decoded = getattr(grid, "decoded", None)  # (before its length, which decodes it)
        seen.append((type(grid).__name__, decoded, len(grid or ())))
        return plan

    monkeypatch.setattr(round_mod, "plan_round", planned)
    settings = SyncSettings(spreadsheet_id=loaded)
    sync(backend, settings, clock=clock)
    listed = seen[-1][2]
    # A verify read after a write to every row: each row decoded for its key as the list is
    # compared, none kept but the header (every other row shows its line).
    assert listed > 100 and seen[-1][:2] == ("LaterGrid", 1)
    seen.clear()

    sales = _column(backend, loaded, "ศก.3", h.SALES_AFTER)
    people.type_value(emulator.store, loaded, "ศก.3", f"{sales}6", 876_543)
    sync(backend, settings, clock=clock)
    assert [("LaterGrid", False, listed), ("LaterGrid", False, listed)] == seen
    seen.clear()

    name = _column(backend, loaded, "ศก.3", h.FULL_NAME)
    people.type_value(emulator.store, loaded, "ศก.3", f"{name}6", "นางสาวแก้ไข ชื่อใหม่")
    assert sync(backend, settings, clock=clock).cells_written > 0
    # Compared in both rounds, decoding its header and that row only: the others are known
    # by their bytes, as the first run's verify read found them; the verify round keeps the
    # header only (the row written is decoded for its key, and shows its line).
    assert [("LaterGrid", 2, listed), ("LaterGrid", 1, listed)] == seen
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_edits_across_tabs_end_as_a_run_from_nothing_would(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
) -> None:
    """A repeated national ID reaches into an untouched tab; a cleared row, a changed list."""
    settings = SyncSettings(spreadsheet_id=loaded)
    sync(backend, settings, clock=clock)
    ids = _column(backend, loaded, "ศก.1", h.NATIONAL_ID)
    (first_ids,) = backend.read_ranges(loaded, [f"'ศก.1'!{ids}4:{ids}6"])
    repeated = next(str(row[0]) for row in first_ids if row and row[0])

    people.type_value(emulator.store, loaded, "ศก.6", f"{ids}7", repeated)
    assert sync(backend, settings, clock=clock).cells_written > 0
    assert 0 == _settled_from_scratch(backend, settings, clock)

    people.type_value(emulator.store, loaded, "ศก.6", f"{ids}7", "")  # the repeat taken back
    sync(backend, settings, clock=clock)
    assert 0 == _settled_from_scratch(backend, settings, clock)

    (row,) = backend.read_ranges(loaded, ["'ศก.2'!A8:CK8"])
    people.type_values(emulator.store, loaded, "ศก.2", "A8", [[""] * len(row[0])])  # cleared
    sync(backend, settings, clock=clock)
    assert 0 == _settled_from_scratch(backend, settings, clock)

    people.type_value(emulator.store, loaded, settings.options_tab, "A40", "ตัวเลือกใหม่")
    sync(backend, settings, clock=clock)
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_a_participant_leaving_the_compiled_list_shifts_it_instead_of_rewriting_it(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
) -> None:
    """One row stops being counted, then counts again: a cut and a gap, not a rewrite."""
    sid = load_demo(emulator.store, generate_spreadsheet(rows_per_region=40, seed=5))
    settings = SyncSettings(spreadsheet_id=sid)
    run_sync(backend, settings, clock=clock)
    ids = _column(backend, sid, "ศก.1", h.NATIONAL_ID)
    (column,) = backend.read_ranges(sid, [f"'ศก.1'!{ids}4:{ids}20"])
    row = 4 + next(i for i, cells in enumerate(column) if cells and cells[0])
    typed = column[row - 4][0]
    compiled_before = backend.read_ranges(sid, [f"'{settings.compiled_tab}'"])[0]

    people.type_value(emulator.store, sid, "ศก.1", f"{ids}{row}", "123")  # no longer counted
    left = run_sync(backend, settings, clock=clock)
    compiled_after = backend.read_ranges(sid, [f"'{settings.compiled_tab}'"])[0]
    assert ["ศก.1", row] in [r[:2] for r in compiled_before]
    assert ["ศก.1", row] not in [r[:2] for r in compiled_after]
    assert left.cells_written < 100  # the rows below moved up; they were not rewritten
    assert 0 == _settled_from_scratch(backend, settings, clock)

    people.type_value(emulator.store, sid, "ศก.1", f"{ids}{row}", str(typed))  # counted again
    back = run_sync(backend, settings, clock=clock)
    assert backend.read_ranges(sid, [f"'{settings.compiled_tab}'"])[0] == compiled_before
    assert back.cells_written < 100
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_an_edit_that_changes_no_listed_cell_leaves_the_compiled_list_uncompared(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    A new sales figure changes a row's KPIs, not what the compiled list shows of it: the list
    read as when last found right, and wanted as then, is not compared row by row again, in
    either round of the run.
    """
    settings = SyncSettings(spreadsheet_id=loaded)
    sync(backend, settings, clock=clock)
    listed = backend.read_ranges(loaded, [f"'{settings.compiled_tab}'"])[0]
    compared: list[str] = []
    diff_grid, list_moves = round_mod.diff_grid, round_mod.list_moves

    def diffed(title: str, *args: Any, **kwargs: Any) -> Any:
        compared.append(f"diff {title}")
        return diff_grid(title, *args, **kwargs)

    def moved(*args: Any, **kwargs: Any) -> Any:
        compared.append("moves")
        return list_moves(*args, **kwargs)

    monkeypatch.setattr(round_mod, "diff_grid", diffed)
    monkeypatch.setattr(round_mod, "list_moves", moved)
    sales = _column(backend, loaded, "ศก.3", h.SALES_AFTER)
    kpi = _column(backend, loaded, "ศก.3", h.SALES_INCREASE_BAHT)
    (before,) = backend.read_ranges(loaded, [f"'ศก.3'!{sales}5:{kpi}5"])
    people.type_value(emulator.store, loaded, "ศก.3", f"{sales}5", before[0][0] + 1_000)

    edited = sync(backend, settings, clock=clock)

    assert "ok" == edited.outcome and 2 == edited.rounds
    (after,) = backend.read_ranges(loaded, [f"'ศก.3'!{sales}5:{kpi}5"])
    assert before[0][-1] != after[0][-1]  # the row's yearly sales increase was rewritten
    assert listed == backend.read_ranges(loaded, [f"'{settings.compiled_tab}'"])[0]
    assert f"diff {settings.summary_tab}" in compared  # the summary's figures were compared
    assert [] == [x for x in compared if x != f"diff {settings.summary_tab}"]
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_a_round_lets_go_of_its_single_cells_caches_before_it_writes(
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The cell caches only speed up checking a round's new rows; the rows' results are kept
    whole. At the write (a run's peak) they must be empty, and the verify round still
    checks no row again.
    """
    from rules.checks import geography
    from rules.row import _plan
    from rules.template import TEMPLATE
    from sync.run import write as write_mod

    cached_at_write: list[tuple[int, int]] = []
    write_round = write_mod.write_round

    def watched(*args: Any, **kwargs: Any) -> Any:
        addresses = geography._check_address_cells.cache_info().currsize
        cached_at_write.append((_plan(TEMPLATE).memo_size, addresses))
        return write_round(*args, **kwargs)

    monkeypatch.setattr(write_mod, "write_round", watched)
    counts: dict[str, Any] = {"rows": 0}
    count_rows_checked(monkeypatch, counts)

    report = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)

    assert "ok" == report.outcome and 2 == report.rounds
    assert [(0, 0)] == cached_at_write
    assert 140 == counts["rows"]  # each row checked once: the verify round found them all


def test_a_round_lets_go_of_the_rows_it_read_before_it_writes(
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    A first run decodes every row it reads; once planned, nothing holds those rows into the
    write (the plan's row padding is made of what its rows want): at the write, none of the
    first read's rows is alive, and the run still ends as it should.
    """
    from sync.core.sheet import ReadRows
    from sync.run import write as write_mod

    made: list[int] = []
    alive_at_write: list[int] = []
    init, write_round = ReadRows.__init__, write_mod.write_round

    def noted(self: ReadRows, *args: Any, **kwargs: Any) -> None:
        made.append(id(self))
        init(self, *args, **kwargs)

    def watched(*args: Any, **kwargs: Any) -> Any:
        if not alive_at_write:  # the first write: every read so far is the round's own
            gc.collect()
            ids = set(made)
            alive_at_write.append(
                sum(1 for o in gc.get_objects() if type(o) is ReadRows and id(o) in ids)
            )
        return write_round(*args, **kwargs)

    monkeypatch.setattr(ReadRows, "__init__", noted)
    monkeypatch.setattr(write_mod, "write_round", watched)

    report = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)

    assert "ok" == report.outcome and 2 == report.rounds
    assert made  # the first read's regional tabs were rows read as bytes
    assert [0] == alive_at_write


def test_the_summary_tallies_again_only_the_block_of_rows_an_edit_falls_in(
    emulator: EmulatorHandle,
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    sync: Callable[..., RunReport],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The summary is merged from tallies of blocks of rows (`round.TALLY_ROWS` sheet rows of a
    tab): a run after an edited figure tallies that row's block again (here its whole tab,
    20 rows) and takes the other six tabs' as they were, in the service as in one process;
    a run from nothing finds the summary right.
    """
    tallied: list[tuple[str, int]] = []
    tally = kpi.Tally

    def counted(region: str, outcomes: list[Any], profile: Any) -> Any:
        tallied.append((region, len(outcomes)))
        return tally(region, outcomes, profile)

    monkeypatch.setattr(kpi, "Tally", counted)
    settings = SyncSettings(spreadsheet_id=loaded)
    sync(backend, settings, clock=clock)
    assert 7 == len(tallied) and 140 == sum(n for _, n in tallied)
    tallied.clear()

    sales = _column(backend, loaded, "ศก.3", h.SALES_AFTER)
    people.type_value(emulator.store, loaded, "ศก.3", f"{sales}5", 765_432)
    assert sync(backend, settings, clock=clock).cells_written > 0
    assert [("ศก.3", 20)] == tallied
    assert 0 == _settled_from_scratch(backend, settings, clock)


def test_kept_rows_that_cannot_be_unpacked_are_dropped_and_the_run_checks_every_row(
    backend: GspreadBackend,
    loaded: str,
    clock: Callable[[], datetime],
    work: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    The service's rows kept between runs are a cache: a pack this Python cannot read back
    (Python 3.11.2 once pickled findings so) costs one run every row, not every run after.
    """
    settings = SyncSettings(spreadsheet_id=loaded)
    run_sync(backend, settings, clock=clock)
    assert 1 == pack_kept_rows()
    checked = work["rows"]

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise pickle.UnpicklingError("packed rows may not name builtins.getattr")

    unpack = evaluate_mod.unpack_sources
    monkeypatch.setattr(evaluate_mod, "unpack_sources", refused)
    work["rows"] = 0
    forget_settled()  # (so that the run plans, and needs its kept rows)

    report = run_sync(backend, settings, clock=clock)

    assert "ok" == report.outcome and 0 == report.cells_written
    assert checked == work["rows"]  # every row checked again, as in the first run
    assert "kept_rows_unusable" in capsys.readouterr().out
    monkeypatch.setattr(evaluate_mod, "unpack_sources", unpack)
    assert 1 == pack_kept_rows()  # the rows of this run are kept again
    work["rows"] = 0
    forget_settled()
    assert "ok" == run_sync(backend, settings, clock=clock).outcome
    assert 0 == work["rows"]
