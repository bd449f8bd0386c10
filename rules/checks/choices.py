"""
Dropdown and checkbox rules (domain spec §3.1).

Allowed dropdown values come from the sheet's `ตัวเลือก` tab at run time, never from code; a
dropdown whose list is missing or empty is not checked.
"""

from __future__ import annotations

from collections.abc import Sequence

from rules.clean import normalise_text
from rules.findings import Finding, error, warning
from rules.parse import Invalid, parse_checkbox

CHOICE_NOT_IN_LIST = "ไม่อยู่ในรายการตัวเลือก"
CHECKBOX_INVALID = "ควรเป็น ใช่/ไม่ใช่ หรือทำเครื่องหมายในช่อง"


def _fold(text: str) -> str:
    """
    Return the key two dropdown values are compared by (cleaned, spaces collapsed, case-folded).
    """
    return normalise_text(text).casefold()


def is_allowed(value: str, allowed: Sequence[str]) -> bool:
    """
    Tell whether a typed value is one of the list's values, ignoring spacing and invisible marks.
    """
    if value in allowed:
        return True
    key = _fold(value)
    return any(_fold(option) == key for option in allowed if isinstance(option, str))


def check_choice(
    header: str, raw: object, list_name: str, allowed: Sequence[str] | None
) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a dropdown cell against its list; no list (or an empty one) means no finding.
    """
    text = raw if isinstance(raw, str) else str(raw)
    if allowed and text in allowed:
        return text, ()
    value = normalise_text(text)
    if not allowed or is_allowed(text, allowed):
        return value, ()
    return value, (error("choice_not_in_list", header, f"{CHOICE_NOT_IN_LIST} '{list_name}'"),)


def check_checkbox(header: str, raw: object) -> tuple[bool | None, tuple[Finding, ...]]:
    """
    Check a checkbox cell: TRUE/FALSE, ✓, ใช่/ไม่ใช่ or มี/ไม่มี; anything else is a warning.
    """
    value = parse_checkbox(raw)
    if isinstance(value, Invalid):
        return None, (warning("checkbox_invalid", header, CHECKBOX_INVALID),)
    return value, ()
