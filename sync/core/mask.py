"""
Personal data masked out of what operators read (dry runs, logs) — and nothing else.

`rules.mask_pii` masks any run of digits shaped like a national ID or a phone. Amounts with
decimals (`981234637.40`) and the sheet ids of links and of the worker's record
(`#gid=961234331`, `"ศก.3":961234331`) have that shape too but are nobody's personal data;
an operator needs them as they are, so they are set aside before masking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rules import mask_pii
from sync.core.cells import Formula
from sync.core.diff import CellChange

_NOT_PERSONAL = re.compile(
    r"""
      gid=\d+                                   # a tab's id in a link
    | "sheet_ids"\s*:\s*\{[^{}]*\}              # the tab ids of the worker's record
    | (?<![\d.])\d{1,12}\.\d*[1-9]\d*(?![\d.])  # an amount with a fraction (not `.0`)
    """,
    re.VERBOSE,
)


def mask_personal(text: str) -> str:
    """Mask national IDs, phones and e-mails; leave amounts and sheet ids readable."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\x00{len(kept) - 1}\x00"

    masked = mask_pii(_NOT_PERSONAL.sub(keep, text))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m[1])], masked)


def mask_value(value: object) -> str:
    """One cell value as printed: numbers with decimals are never masked, text is masked."""
    if isinstance(value, Formula):
        return mask_personal(value.text)
    if value is None:
        return "(clear)"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal) and value != int(value):
        return str(value)
    return mask_personal(str(value))


def mask_changes(changes: Iterable[CellChange]) -> Iterator[str]:
    """`tab!A1: value` per change, grouped as planned; IDs, phones and e-mails masked."""
    for change in changes:
        yield f"{change.tab}!{change.a1}: {mask_value(change.value)}"
