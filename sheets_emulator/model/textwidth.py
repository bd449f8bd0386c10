"""
How wide a cell's text is in Arial 10, so autoResizeDimensions can size a column to its content.

Google fits a column to the widest displayed text in it. The emulator has no font engine; it
adds up per-character advance widths of Arial (in thousandths of an em, from the font's metrics,
grouped by shape) at the em size that gives Google's own recorded answer (1,024 "A"s fit in
8,691 px, WorksheetTest.test_auto_resize_columns), which is close enough to rehearse the
worker's column fitting: a column of long Thai names comes out wide, a column of status
words narrow. Combining marks (Thai vowels and tone marks above and below the line) take no
width; East Asian wide characters take a full em.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

PIXELS_PER_EM = 12.7155  # Arial 10 as Google measures it (calibrated, see above)
CELL_PADDING_PX = 3 + 3  # the default format's left and right padding (SpreadsheetProperties)
LINE_HEIGHT_PX = 21  # the height of a default row, one line of Arial 10
MIN_WIDTH_PX = 21  # a floor so a column of one narrow character stays usable (not measured)

# Advance widths of Arial in 1/1000 em, for the characters that differ from their class.
_NARROW = dict.fromkeys("ijl|", 222) | dict.fromkeys("fIt/\\!.,:;'[]", 278)
_WIDE = dict.fromkeys("mM", 833) | dict.fromkeys("wW", 722) | {"W": 944, "@": 1015, "%": 889}
_ASCII_CLASS = {" ": 278, "-": 333, "(": 333, ")": 333, "r": 333, '"': 355}


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """
    Return the advance width of one character in Arial, in thousandths of an em.
    """
    if char in _NARROW:
        return _NARROW[char]
    if char in _WIDE:
        return _WIDE[char]
    if char in _ASCII_CLASS:
        return _ASCII_CLASS[char]
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0  # combining marks sit on their base letter
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    if "A" <= char <= "Z":
        return 667
    if "\u0e00" <= char <= "\u0e7f":
        return 600  # Thai consonants and the vowels written on the line
    return 556  # lowercase Latin, digits and most other letters


def text_width_px(text: str, font_size: float = 10) -> float:
    """
    Return the width in pixels of the widest line of ``text`` at ``font_size`` points.
    """
    scale = PIXELS_PER_EM * font_size / 10 / 1000
    return max((sum(char_width(c) for c in line) * scale for line in text.split("\n")), default=0)


def fitted_width_px(texts: list[tuple[str, float]]) -> int | None:
    """
    Return the width a column gets to show every (text, font size) in it; None when all are empty.
    """
    widest = max((text_width_px(text, size) for text, size in texts if text), default=None)
    if widest is None:
        return None
    return max(MIN_WIDTH_PX, math.ceil(widest) + CELL_PADDING_PX)


def fitted_height_px(texts: list[tuple[str, float]]) -> int | None:
    """
    Return the height a row gets to show every line of its cells; None when all are empty.
    """
    heights = [
        math.ceil(LINE_HEIGHT_PX * size / 10) * (text.count("\n") + 1)
        for text, size in texts
        if text
    ]
    return max(heights) if heights else None
