"""
Planned changes as printable lines, with personal data masked (dry runs print them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rules import mask_pii
from sync.cells import Formula
from sync.plan import CellChange


def mask_changes(changes: Iterable[CellChange]) -> Iterator[str]:
    """`tab!A1: value` per change, grouped as planned; IDs, phones and e-mails masked."""
    for change in changes:
        value = change.value
        shown = (
            value.text if isinstance(value, Formula) else ("(clear)" if value is None else value)
        )
        yield mask_pii(f"{change.tab}!{change.a1}: {shown}")
