"""
One person counted once per spreadsheet (domain spec §5), one case per sentence of the spec.
"""

from __future__ import annotations

from rules import DuplicateCandidate, DuplicateMark, RowRef, resolve_duplicates
from rules.headers import STATUS_DUPLICATE, STATUS_FAIL, STATUS_PASS, STATUS_WARN

ID_A = "1103702071811"
ID_B = "3100100123456"


def row(
    region: str, number: int, national_id: str | None, status: str, cancelled: bool = False
) -> DuplicateCandidate:
    """
    Build a candidate row.
    """
    return DuplicateCandidate(RowRef(region, number), national_id, status, cancelled)


def not_duplicate(status: str) -> DuplicateMark:
    """
    Return the mark of a row that repeats no one.
    """
    return DuplicateMark(status, None, "")


def repeat_of(status: str, region: str, number: int) -> DuplicateMark:
    """
    Return the mark of a row pointing at a counting occurrence.
    """
    return DuplicateMark(status, RowRef(region, number), f"ซ้ำกับ {region} แถว {number}")


def test_first_occurrence_counts_later_ones_are_duplicates() -> None:
    """Across tabs, the first occurrence counts and each later one is `ซ้ำ` with a pointer."""
    rows = [
        row("ศก.1", 4, ID_A, STATUS_PASS),
        row("ศก.1", 5, ID_B, STATUS_PASS),
        row("ศก.3", 12, ID_A, STATUS_WARN),
        row("ศก.7", 4, ID_A, STATUS_PASS),
    ]
    assert {
        RowRef("ศก.1", 4): not_duplicate(STATUS_PASS),
        RowRef("ศก.1", 5): not_duplicate(STATUS_PASS),
        RowRef("ศก.3", 12): repeat_of(STATUS_DUPLICATE, "ศก.1", 4),
        RowRef("ศก.7", 4): repeat_of(STATUS_DUPLICATE, "ศก.1", 4),
    } == resolve_duplicates(rows)


def test_pointer_text() -> None:
    """The pointer reads `ซ้ำกับ ศก.3 แถว 12`."""
    rows = [row("ศก.3", 12, ID_A, STATUS_PASS), row("ศก.4", 9, ID_A, STATUS_PASS)]
    assert "ซ้ำกับ ศก.3 แถว 12" == resolve_duplicates(rows)[RowRef("ศก.4", 9)].pointer


def test_erroneous_row_keeps_fail_but_gets_pointer() -> None:
    """A later row with errors keeps `ไม่ผ่าน` and still points to the counting occurrence."""
    rows = [row("ศก.1", 4, ID_A, STATUS_PASS), row("ศก.2", 8, ID_A, STATUS_FAIL)]
    assert repeat_of(STATUS_FAIL, "ศก.1", 4) == resolve_duplicates(rows)[RowRef("ศก.2", 8)]


def test_erroneous_first_occurrence_does_not_block() -> None:
    """An erroneous first occurrence does not block a later valid one, which counts."""
    rows = [
        row("ศก.1", 4, ID_A, STATUS_FAIL),
        row("ศก.2", 6, ID_A, STATUS_PASS),
        row("ศก.2", 7, ID_A, STATUS_PASS),
    ]
    assert {
        RowRef("ศก.1", 4): repeat_of(STATUS_FAIL, "ศก.2", 6),
        RowRef("ศก.2", 6): not_duplicate(STATUS_PASS),
        RowRef("ศก.2", 7): repeat_of(STATUS_DUPLICATE, "ศก.2", 6),
    } == resolve_duplicates(rows)


def test_cancelled_first_occurrence_does_not_block() -> None:
    """A cancelled first occurrence does not count; the later valid one does."""
    rows = [row("ศก.1", 4, ID_A, STATUS_PASS, cancelled=True), row("ศก.5", 4, ID_A, STATUS_PASS)]
    assert {
        RowRef("ศก.1", 4): repeat_of(STATUS_PASS, "ศก.5", 4),
        RowRef("ศก.5", 4): not_duplicate(STATUS_PASS),
    } == resolve_duplicates(rows)


def test_only_errors_point_to_first_occurrence() -> None:
    """With no counting occurrence, erroneous repeats point to the first occurrence."""
    rows = [row("ศก.1", 4, ID_A, STATUS_FAIL), row("ศก.1", 9, ID_A, STATUS_FAIL)]
    assert {
        RowRef("ศก.1", 4): not_duplicate(STATUS_FAIL),
        RowRef("ศก.1", 9): repeat_of(STATUS_FAIL, "ศก.1", 4),
    } == resolve_duplicates(rows)


def test_rows_without_id_are_never_duplicates() -> None:
    """Rows with no usable national ID are left as they are."""
    rows = [row("ศก.1", 4, None, STATUS_FAIL), row("ศก.1", 5, None, STATUS_FAIL)]
    assert {
        RowRef("ศก.1", 4): not_duplicate(STATUS_FAIL),
        RowRef("ศก.1", 5): not_duplicate(STATUS_FAIL),
    } == resolve_duplicates(rows)


def test_later_cancelled_repeat_keeps_status() -> None:
    """A cancelled repeat keeps its status (it is not counted anyway) and gets the pointer."""
    rows = [row("ศก.1", 4, ID_A, STATUS_PASS), row("ศก.1", 5, ID_A, STATUS_WARN, cancelled=True)]
    assert repeat_of(STATUS_WARN, "ศก.1", 4) == resolve_duplicates(rows)[RowRef("ศก.1", 5)]


def test_every_candidate_gets_a_mark() -> None:
    """The result has exactly one mark per candidate row."""
    rows = [row("ศก.1", n, ID_A if n % 2 else ID_B, STATUS_PASS) for n in range(4, 40)]
    assert {r.ref for r in rows} == set(resolve_duplicates(rows))


def test_the_marks_come_in_the_candidates_order() -> None:
    """A sync takes each row's mark as it comes (no look-up a row), so the marks keep the
    candidates' order, repeats, blanks and errors among them."""
    rows = [
        row("ศก.2", 9, ID_B, STATUS_PASS),
        row("ศก.1", 4, None, STATUS_WARN),
        row("ศก.1", 5, ID_A, STATUS_FAIL),
        row("ศก.3", 2, ID_A, STATUS_PASS),
        row("ศก.2", 10, ID_B, STATUS_PASS, cancelled=True),
        row("ศก.1", 6, ID_A, STATUS_PASS),
    ]
    marks = resolve_duplicates(rows)
    assert [r.ref for r in rows] == list(marks)
    assert marks[RowRef("ศก.1", 6)] == repeat_of(STATUS_DUPLICATE, "ศก.3", 2)
