"""
One person counted once per spreadsheet (domain spec §5).

Rows with the same normalised national ID, across all regional tabs, are one person. The first
occurrence that is neither `ไม่ผ่าน` nor cancelled counts; each later non-error occurrence
becomes `ซ้ำ` with a pointer to it. A row with errors keeps `ไม่ผ่าน` but still gets the pointer,
and an erroneous or cancelled first occurrence does not block a later valid one.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from rules.headers import STATUS_DUPLICATE, STATUS_FAIL


class RowRef(msgspec.Struct, frozen=True, order=True, gc=False):
    """
    A row of a regional tab: the tab (region) name and the 1-based sheet row number (a frozen
    Struct: one a row each evaluation).
    """

    region: str
    row: int


class DuplicateCandidate(msgspec.Struct, frozen=True, gc=False):
    """
    What duplicate resolution needs to know about one checked row.
    """

    ref: RowRef
    national_id: str | None
    status: str
    cancelled: bool


class DuplicateMark(msgspec.Struct, frozen=True, gc=False):
    """
    A row's status after duplicate resolution and its `ตรวจสอบการนับซ้ำ` text (blank if none).
    """

    status: str
    first: RowRef | None
    pointer: str


def pointer_text(ref: RowRef) -> str:
    """
    Return the pointer shown in the row, e.g. `ซ้ำกับ ศก.3 แถว 12`.
    """
    return f"ซ้ำกับ {ref.region} แถว {ref.row}"


def resolve_duplicates(rows: Sequence[DuplicateCandidate]) -> dict[RowRef, DuplicateMark]:
    """
    Mark repeats of a person across all regional tabs of one spreadsheet.

    Args:
        rows: Every checked row, in tab order (ศก.1 … ศก.7) then row order.

    Returns:
        A mark for every candidate, in the candidates' order; a row that repeats no one keeps
        its status and no pointer.
    """
    first_seen: dict[str, RowRef] = {}
    counting: dict[str, RowRef] = {}
    for row in rows:
        if row.national_id is None:
            continue
        first_seen.setdefault(row.national_id, row.ref)
        if row.status != STATUS_FAIL and not row.cancelled:
            counting.setdefault(row.national_id, row.ref)
    marks: dict[RowRef, DuplicateMark] = {}
    for row in rows:
        key = row.national_id
        target = None if key is None else counting.get(key) or first_seen.get(key)
        if key is None or target is None or target == row.ref:
            marks[row.ref] = DuplicateMark(row.status, None, "")
            continue
        if row.status == STATUS_FAIL or row.cancelled or counting.get(key) is None:
            marks[row.ref] = DuplicateMark(row.status, target, pointer_text(target))
            continue
        marks[row.ref] = DuplicateMark(STATUS_DUPLICATE, target, pointer_text(target))
    return marks
