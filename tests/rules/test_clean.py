"""
`pre_clean` skips `str.translate` for text without a character the table changes (ASCII text
first of all), and the number parser skips its minus-sign table for ASCII: the results must be
exactly what translating every text gives.
"""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules import clean, parse

SPECIAL = (
    "".join(map(chr, clean._TABLE)) + "\u0e4d\u0e32\u0e40\u0e41\u0e33 \t\n\u3000\u2212\u2013\uff0d"
)


def translated_always(text: str) -> str:
    """`pre_clean` as first written: the table applied to every text."""
    cleaned = text.translate(clean._TABLE)
    if not cleaned.isascii():
        if not unicodedata.is_normalized("NFC", cleaned):
            cleaned = unicodedata.normalize("NFC", cleaned)
        cleaned = cleaned.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e40\u0e40", "\u0e41")
    return cleaned.strip()


TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=SPECIAL + "abc019.,-", max_size=12),
    st.text(alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F), max_size=12),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12),
)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
@example("")
@example(" ผู้ประกอบการ ")
@example("\u200b0812345678\u00a0")
@example("๑๒๓")
@example("กํา")
@example("เเ")
@example("e\u0301")
@example("\u2212๕๐")
def test_pre_clean_is_the_table_applied_to_every_text(text: str) -> None:
    """Any text: the same cleaned text as translating it first."""
    assert clean.pre_clean(text) == translated_always(text)


def test_the_tables_change_only_non_ascii_characters() -> None:
    """Why ASCII text may skip both tables: none of their characters is ASCII."""
    assert not any(chr(code).isascii() for code in clean._TABLE)
    assert not any(chr(code).isascii() for code in parse._MINUS_SIGNS)
