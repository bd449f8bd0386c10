"""
Mask national IDs, phone numbers and e-mail addresses inside any text before it is logged.

Thailand's Personal Data Protection Act B.E. 2562 applies to this data (domain spec §8), and
the logging layer runs every line through `mask_pii`, so it is one compiled regex pass.
"""

from __future__ import annotations

import re

_D = "[0-9๐-๙]"
_SEP = r"[\s\-.]?"
"""What people type between an ID's or a phone's digit groups (the checks take dots too)."""
_THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
"""Thai vowel and tone marks: letters of a Thai name, yet not `\\w` (they are marks, Mn)."""
_LETTER = rf"[\w{_THAI_MARKS}.+\-]"
_LABEL = rf"[\w{_THAI_MARKS}\-]"
# Invalid addresses are personal data too: `somchai@hotmail` (no TLD), `a@@b`, `a@`; and a
# Thai local part (`สมศักดิ์@…`), which the e-mail check accepts.
_EMAIL = re.compile(rf"(?<!{_LETTER}){_LETTER}+@+{_LABEL}*(?:\.{_LABEL}+)*")
_NUMBERS = re.compile(
    rf"""
      (?<![0-9๐-๙])(?P<pin>{_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{5}}{_SEP}{_D}{{2}}{_SEP}{_D})(?![0-9๐-๙])
    | (?<![0-9๐-๙+])(?P<phone>
          (?:\+66|66)[\s\-]?{_D}{{1,2}}{_SEP}{_D}{{3}}{_SEP}{_D}{{3,4}}
        | [0๐]{_D}{{1,2}}[\s\-)]?{_SEP}{_D}{{3}}{_SEP}{_D}{{3,4}}
        | \([0๐]{_D}{{1,2}}\)\s?{_D}{{3}}{_SEP}{_D}{{3,4}}
        | [689๖๘๙]{_D}{{8}}
      )(?![0-9๐-๙])
    """,
    re.VERBOSE,
)
# Long-enough runs of digits, separators and brackets: only these can hold an ID or a phone,
# so the detailed pattern runs on a few short pieces instead of the whole line.
_CANDIDATE = re.compile(r"[+(]?[0-9๐-๙][0-9๐-๙\s\-().]{7,24}[0-9๐-๙]")
_DIGITS = "0123456789๐๑๒๓๔๕๖๗๘๙"
_TO_X = str.maketrans(dict.fromkeys(_DIGITS, "x"))
_TRIGGER = re.compile(r"[0-9๐-๙@]")


def _mask_digits(text: str, keep_first: int, keep_last: int) -> str:
    """
    Replace every digit except the first and last few with `x`, keeping separators.
    """
    start = 0
    kept = 0
    while kept < keep_first and start < len(text):
        kept += text[start] in _DIGITS
        start += 1
    end = len(text)
    kept = 0
    while kept < keep_last and end > start:
        end -= 1
        kept += text[end] in _DIGITS
    return text[:start] + text[start:end].translate(_TO_X) + text[end:]


def _mask_email(match: re.Match[str]) -> str:
    """
    Keep an address's first letter and its domain.
    """
    local, _, domain = match[0].rpartition("@")
    return f"{local[:1]}***@{domain}"


def _mask_number(match: re.Match[str]) -> str:
    """
    Mask an ID (keep first and last digit) or a phone (keep prefix and last three digits).
    """
    if match["pin"]:
        return _mask_digits(match["pin"], 1, 1)
    phone = match["phone"]
    keep_first = 4 if phone.startswith(("+66", "66")) else 2
    return _mask_digits(phone, keep_first, 3)


_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_IDENTIFIER_LENGTH = 30
"""A run of ASCII letters, digits, `_` and `-` this long, with both cases in it, is an
identifier (a spreadsheet id is 44 of them): digits inside it are no one's phone."""


def _in_identifier(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside an identifier such as a spreadsheet id."""
    if end - start > 24 or not (text[start - 1 : start] + text[end : end + 1]):
        return False
    left = start
    while left and text[left - 1] in _TOKEN_CHARS:
        left -= 1
    right = end
    while right < len(text) and text[right] in _TOKEN_CHARS:
        right += 1
    token = text[left:right]
    return (
        len(token) >= _IDENTIFIER_LENGTH
        and any(ch.isupper() for ch in token)
        and any(ch.islower() for ch in token)
        and all(ch in _TOKEN_CHARS for ch in text[start:end])
    )


def _mask_candidate(match: re.Match[str]) -> str:
    """
    Mask the IDs and phones inside one run of digits and separators (not inside an
    identifier: the spreadsheet id an error tells the operator to check stays whole).
    """
    if _in_identifier(match.string, match.start(), match.end()):
        return match[0]
    masked = _NUMBERS.sub(_mask_number, match[0])
    clear = sum(ch in _DIGITS for ch in masked)
    phone_like = masked[:1] in ("0", "๐", "+", "(")
    if (clear >= 9 and phone_like) or clear >= 12:
        # A mistyped phone or ID (`086-884-61594`, 12 or 14 digits) is the person's all the
        # same. Dates, times, sheet ids and amounts (under 12 digits) stay readable.
        return _mask_digits(masked, 2, 2)
    return masked


def mask_pii(text: str) -> str:
    """
    Return the text with national IDs, Thai phone numbers and e-mail addresses masked.

    `1-2345-67890-12-3` → `1-xxxx-xxxxx-xx-3`, `0812345678` → `08xxxxx678`,
    `somchai@example.com` → `s***@example.com`.
    """
    if _TRIGGER.search(text) is None:
        return text
    if "@" in text:
        text = _EMAIL.sub(_mask_email, text)
    return _CANDIDATE.sub(_mask_candidate, text)
