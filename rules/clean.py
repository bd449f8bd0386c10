"""
The one pre-clean step every value goes through before it is parsed or validated.

People paste from Word, LINE and PDFs: zero-width spaces, NBSP, Thai digits, SARA AM typed
as two characters and a doubled SARA E all look right on screen but make the validation
libraries reject a correct value.
"""

from __future__ import annotations

import re
import unicodedata

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"

_TABLE: dict[int, int | str | None] = {
    **{ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff"},
    0x00A0: " ",
    0x202F: " ",
    0x2007: " ",
    **{ord(thai): str(i) for i, thai in enumerate(THAI_DIGITS)},
}
_TRANSLATED = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")
"""Any character `_TABLE` changes (all are non-ASCII): a text without one translates to itself."""
_SPACES = re.compile(r"\s+")
_NIKHAHIT_SARA_AA = "\u0e4d\u0e32"
_SARA_AM = "\u0e33"
_DOUBLE_SARA_E = "\u0e40\u0e40"
_SARA_AE = "\u0e41"


def thai_digits_to_ascii(text: str) -> str:
    """
    Translate Thai digits to ASCII so the digit-only validators accept them.
    """
    return text.translate(_TABLE)


def pre_clean(text: str) -> str:
    """
    Return `text` NFC-normalised with invisible characters removed, NBSP as space, Thai digits
    as ASCII, SARA AM and SARA AE repaired, and surrounding whitespace stripped.

    The translation is skipped for a text with none of the characters it changes, ASCII text
    first of all: `str.translate` looks up every character, which costs more than the rest.
    """
    if text.isascii():  # nothing to translate, already NFC, no Thai vowels
        return text.strip()
    cleaned = text.translate(_TABLE) if _TRANSLATED.search(text) else text
    if not cleaned.isascii():
        if not unicodedata.is_normalized("NFC", cleaned):
            cleaned = unicodedata.normalize("NFC", cleaned)
        if _NIKHAHIT_SARA_AA in cleaned:
            cleaned = cleaned.replace(_NIKHAHIT_SARA_AA, _SARA_AM)
        if _DOUBLE_SARA_E in cleaned:
            cleaned = cleaned.replace(_DOUBLE_SARA_E, _SARA_AE)
    return cleaned.strip()


def normalise_text(text: str) -> str:
    """
    Return the pre-cleaned text with inner whitespace collapsed, for comparing what people typed.
    """
    cleaned = pre_clean(text)
    if "  " in cleaned or "\t" in cleaned or "\n" in cleaned or "\r" in cleaned:
        return _SPACES.sub(" ", cleaned)
    return cleaned


def cell_text(raw: object) -> str:
    """
    Return a cell as cleaned text (empty for None), so rules handle API numbers and text alike.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        return pre_clean(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()
