"""
Parsers for cell values as people type them and as the Sheets API returns them.

Cells are read with `valueRenderOption=UNFORMATTED_VALUE` and
`dateTimeRenderOption=SERIAL_NUMBER`, so each arrives as `str`, `int`, `float`, `bool` or
`None`. No parser raises: each returns a value, `None` for a blank cell, or an `Invalid`
carrying a stable finding code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from rules.clean import pre_clean

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

SHEETS_EPOCH = date(1899, 12, 30)
"""Day 0 of a Sheets date serial number (serials count days since then)."""

BE_OFFSET = 543
"""Buddhist Era year minus Common Era year."""

BE_YEAR_THRESHOLD = 2400
"""A four-digit year above this is Buddhist Era (domain spec §3.1, "Choice")."""

YEAR_LIKE_SERIALS = (1800.0, 2800.0)
"""Serials that are really a bare year typed into a date cell (2567 would be 1907-01-11)."""

MIN_YEAR_CE = 1800
MAX_YEAR_CE = 2399


@dataclass(frozen=True, slots=True)
class Invalid:
    """
    A value that could not be parsed, with the finding code that explains why.
    """

    code: str


NOT_A_NUMBER = Invalid("not_a_number")
NOT_AN_INTEGER = Invalid("not_an_integer")
DATE_INVALID = Invalid("date_invalid")
CHECKBOX_INVALID = Invalid("checkbox_invalid")


def is_blank(raw: object) -> bool:
    """
    Tell whether a cell holds nothing a person typed (None, empty, whitespace or zero-width only).
    """
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip(_INVISIBLE + " \t\r\n\v\f\u00a0\u202f\u2007\u3000")
    return False


# --- Numbers -----------------------------------------------------------------------------

_NUMBER = re.compile(
    r"""
    (?P<sign>[+-]?)\s*
    (?:฿\s*)?
    (?P<digits>\d{1,3}(?:,\d{3})+|\d+)?
    (?:\.-|(?P<fraction>\.\d*))?
    \s*(?:บาท|บ\.|%|฿)?
    """,
    re.VERBOSE,
)
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\uff0d": "-"})


def _parse_number_text(text: str) -> Decimal | None:
    """
    Parse the typed text of a number (thousands separators, `บาท`, `%`, Thai digits).
    """
    cleaned = pre_clean(text)
    if not cleaned.isascii():  # the minus signs are not ASCII: ASCII text translates to itself
        cleaned = cleaned.translate(_MINUS_SIGNS)
    match = _NUMBER.fullmatch(cleaned)
    if match is None or (match["digits"] is None and len(match["fraction"] or "") < 2):
        return None
    literal = (match["digits"] or "0").replace(",", "") + (match["fraction"] or "")
    try:
        value = Decimal(match["sign"] + literal)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None
    return value


_PLAIN_AMOUNT = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?(?: ?บาท)?")
"""The commonest typed amounts (`1,237`, `389.01`, `542,200 บาท`): already clean, read directly
with the literal `_NUMBER` would build (a test proves both agree)."""


def parse_number(raw: object) -> Decimal | None:
    """
    Return the cell as a Decimal, or None when it is blank or not a number.

    Accepts API numbers (a float through its shortest repr, not its binary expansion) and text
    with thousands separators, a trailing `บาท` or `%`, surrounding spaces and Thai digits.
    A boolean (a checkbox) is not a number.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return None
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, str):
        if len(raw) > 200:
            return None
        if raw.isdigit() and raw.isascii():
            return Decimal(raw)
        match = _PLAIN_AMOUNT.fullmatch(raw)
        if match is not None:
            return Decimal(match[1].replace(",", "") + (match[2] or ""))
        return _parse_number_text(raw)
    return None


def parse_number_cell(raw: object) -> Decimal | Invalid | None:
    """
    Return the cell as a Decimal, None when blank, or `not_a_number` so a rule can report it.
    """
    value = parse_number(raw)
    if value is not None:
        return value
    return None if is_blank(raw) else NOT_A_NUMBER


def parse_integer_cell(raw: object) -> int | Invalid | None:
    """
    Return the cell as an int, None when blank, or an Invalid code when it is not a whole number.
    """
    value = parse_number_cell(raw)
    if value is None or isinstance(value, Invalid):
        return value
    if value != value.to_integral_value():
        return NOT_AN_INTEGER
    return int(value)


# --- Dates -------------------------------------------------------------------------------

_THAI_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("มกราคม", "มค", "jan", "january"),
        ("กุมภาพันธ์", "กพ", "feb", "february"),
        ("มีนาคม", "มีค", "mar", "march"),
        ("เมษายน", "เมย", "apr", "april"),
        ("พฤษภาคม", "พค", "may"),
        ("มิถุนายน", "มิย", "jun", "june"),
        ("กรกฎาคม", "กค", "jul", "july"),
        ("สิงหาคม", "สค", "aug", "august"),
        ("กันยายน", "กย", "sep", "sept", "september"),
        ("ตุลาคม", "ตค", "oct", "october"),
        ("พฤศจิกายน", "พย", "nov", "november"),
        ("ธันวาคม", "ธค", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _THAI_MONTHS[_name] = _number
# A common misspelling of July (ฎ typed as ฏ).
_THAI_MONTHS["กรกฏาคม"] = 7

_NUMERIC_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_NUMERIC_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+)?")
_TEXT_MONTH = re.compile(
    r"(\d{1,2})\s*[\s\-/]?\s*([^\d\s\-/]+?)\s*[\s\-/]?\s*"
    r"(?:(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.?e\.?|a\.?d\.?)\s*)?(\d{4}|\d{2})"
)
_PREFIX = re.compile(r"^(?:วันที่|วัน)\s*")


def year_to_ce(year: int, *, two_digit: bool = False, era: str = "") -> int | None:
    """
    Convert a typed year to Common Era: above 2400 or two digits is Buddhist Era, else CE.
    """
    if two_digit:
        year += 2500
    elif era.startswith(("พ", "b")):
        year = year if year > BE_YEAR_THRESHOLD else year + 2500 if year < 100 else year
    if year > BE_YEAR_THRESHOLD:
        year -= BE_OFFSET
    if not MIN_YEAR_CE <= year <= MAX_YEAR_CE:
        return None
    return year


def _make_date(year: int | None, month: int, day: int) -> date | Invalid:
    """
    Build a date, turning an impossible one (31/02) into `date_invalid`.
    """
    if year is None:
        return DATE_INVALID
    try:
        return date(year, month, day)
    except ValueError:
        return DATE_INVALID


_PLAIN_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
"""The commonest typed date, `15/3/2567`: ASCII only, so nothing for the general path to clean."""


_PLAIN_MONTH_NAMES: dict[str, int] = {
    name: _THAI_MONTHS[name.replace(".", "")]
    for name in (
        *("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย."),
        *("ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."),
        *("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน"),
        *("กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"),
    )
}
"""The Thai months as the form writes them (`15 มี.ค. 2567`, `15 มีนาคม 2567`): the cleaning leaves
these as they are (a test proves it), so such a date is read without it."""

_PLAIN_THAI_DMY = re.compile(
    r"([0-9]{1,2}) (" + "|".join(map(re.escape, _PLAIN_MONTH_NAMES)) + r") ([0-9]{4})"
)
"""`d <Thai month> yyyy` with single spaces and ASCII digits, the second commonest typed date."""


def _parse_date_text(text: str) -> date | Invalid | None:
    """
    Parse the typed text of a date (day-month-year, ISO, or with a Thai month name).

    `d/m/yyyy` in ASCII digits is read straight away: the general path would clean it to
    itself and match `_NUMERIC_DMY` with the same groups; so is `d <Thai month> yyyy`, which it
    would match with `_TEXT_MONTH`, no era (tests prove both shortcuts agree with it).
    """
    match = _PLAIN_DMY.fullmatch(text)
    if match is not None:
        day, month, year_text = match.groups()
        return _make_date(year_to_ce(int(year_text)), int(month), int(day))
    match = _PLAIN_THAI_DMY.fullmatch(text)
    if match is not None:
        day, month_name, year_text = match.groups()
        return _make_date(year_to_ce(int(year_text)), _PLAIN_MONTH_NAMES[month_name], int(day))
    return _parse_date_general(text)


def _parse_date_general(text: str) -> date | Invalid | None:
    """
    Parse any typed date text: clean it, then try each accepted form in turn.
    """
    cleaned = pre_clean(text).lower()
    if not cleaned:
        return None
    cleaned = _PREFIX.sub("", cleaned)
    match = _NUMERIC_DMY.fullmatch(cleaned)
    if match:
        day, month, year_text = match.groups()
        year = year_to_ce(int(year_text), two_digit=len(year_text) == 2)
        return _make_date(year, int(month), int(day))
    match = _NUMERIC_YMD.fullmatch(cleaned)
    if match:
        year_text, month, day = match.groups()
        return _make_date(year_to_ce(int(year_text)), int(month), int(day))
    match = _TEXT_MONTH.fullmatch(cleaned)
    if match:
        day, month_text, era, year_text = match.groups()
        month_number = _THAI_MONTHS.get(month_text.replace(".", "").replace(" ", ""))
        if month_number is None:
            return DATE_INVALID
        era_key = (era or "").replace(".", "").replace(" ", "")
        two_digit = len(year_text) == 2 and not era_key.startswith(("ค", "a"))
        year = year_to_ce(int(year_text), two_digit=two_digit, era=era_key)
        return _make_date(year, month_number, int(day))
    return DATE_INVALID


def date_from_serial(serial: float) -> date | Invalid:
    """
    Convert a Sheets date serial (days since 1899-12-30; a fraction is the time of day).
    """
    if not math.isfinite(serial):
        return DATE_INVALID
    try:
        result = SHEETS_EPOCH + timedelta(days=math.floor(serial))
    except OverflowError:
        return DATE_INVALID
    if result.year > MAX_YEAR_CE:
        # `15/3/2567` typed into a date-formatted cell: Sheets stores 15 March 2567 CE. The
        # year is Buddhist Era, as it would be typed as text (domain spec §3.1).
        try:
            result = result.replace(year=result.year - 543)
        except ValueError:  # 29 February of a year that is not leap in CE
            return DATE_INVALID
    if not MIN_YEAR_CE <= result.year <= MAX_YEAR_CE:
        return DATE_INVALID
    return result


def parse_date(raw: object) -> date | Invalid | None:
    """
    Return the cell as a date, None when blank, or `date_invalid`.

    Accepts `15/3/2567`, `15/03/67`, `15 มี.ค. 2567`, `๑๕ มีนาคม ๒๕๖๗`, ISO `2024-03-15` and
    Sheets serial numbers. A year above 2400 or of two digits is Buddhist Era; any other
    four-digit year is taken as Common Era without a finding (ISO dates and serials are CE,
    and a wrong era still shows up as a date outside the fiscal year or in the future).
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return DATE_INVALID
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float | Decimal):
        try:
            serial = float(raw)
        except (ValueError, OverflowError):
            return DATE_INVALID
        if YEAR_LIKE_SERIALS[0] <= serial <= YEAR_LIKE_SERIALS[1]:
            return DATE_INVALID
        return date_from_serial(serial)
    if isinstance(raw, str):
        if len(raw) > 100:
            return DATE_INVALID
        return _parse_date_text(raw)
    return DATE_INVALID


# --- Date ranges --------------------------------------------------------------------------
_RANGE_WORDS = re.compile(r"\s*(?:ถึง|จนถึง|–|—|~|\bto\b)\s*")
_SPACED_DASH = re.compile(r"\s+-\s*|\s*-\s+")
_DAY_ONLY = re.compile(r"(\d{1,2})")
_DAY_MONTH_TEXT = re.compile(r"(\d{1,2})\s*[\s\-/]?\s*([^\d\s\-/]+)")
_DAY_MONTH_NUMBER = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})")


def _split_range(text: str) -> tuple[str, str] | None:
    """
    Split a range's text at its separator: a word (`ถึง`), a long dash, or a hyphen between
    spaces; failing those, the one hyphen after which the rest is a whole date.
    """
    for pattern in (_RANGE_WORDS, _SPACED_DASH):
        parts = pattern.split(text, maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[1]:
            return parts[0], parts[1]
    for index, char in enumerate(text):
        if char == "-" and 0 < index < len(text) - 1:
            right = _parse_date_text(text[index + 1 :])
            if isinstance(right, date):
                return text[:index], text[index + 1 :]
    return None


def _start_from_end(text: str, end: date) -> date | Invalid:
    """
    Read a range's first half, which may leave out what it shares with the end: `15` of
    `15-20 มี.ค. 67`, `28 ก.พ.` of `28 ก.พ. - 2 มี.ค. 67`, `15/3` of `15/3 - 20/3/2567`.
    """
    whole = _parse_date_text(text)
    if isinstance(whole, date):
        return whole
    cleaned = _PREFIX.sub("", pre_clean(text).lower())
    month: int | None = None
    match = _DAY_ONLY.fullmatch(cleaned)
    if match:
        day, month = int(match.group(1)), end.month
    elif (match := _DAY_MONTH_NUMBER.fullmatch(cleaned)) is not None:
        day, month = int(match.group(1)), int(match.group(2))
    elif (match := _DAY_MONTH_TEXT.fullmatch(cleaned)) is not None:
        day = int(match.group(1))
        month = _THAI_MONTHS.get(match.group(2).replace(".", "").replace(" ", ""))
    if month is None:
        return DATE_INVALID
    start = _make_date(end.year, month, day)
    if isinstance(start, date) and month > end.month:
        # `28 ธ.ค. - 3 ม.ค. 67`: the range crosses a new year, so it started the year before
        # (a later day of the end's own month, `20-15 มี.ค. 67`, is a start after the end).
        start = _make_date(end.year - 1, month, day)
    return start


def parse_date_range(raw: object) -> tuple[date, date] | Invalid | None:
    """
    Return a cell holding an activity's start and end as (start, end), None when blank, or
    `date_invalid`.

    Accepts two dates with `-`, `–`, `ถึง` or `to` between them (`15/3/2567 - 20/3/2567`,
    `๑๕ มี.ค. ๖๗ ถึง ๒๐ มี.ค. ๖๗`), a first half that leaves out what it shares with the end
    (`15-20 มี.ค. 67`), and a single date or serial for a one-day activity (start = end). Each
    date follows `parse_date`. The end is not checked against the start here: that is the
    rule `end_before_start`.
    """
    if raw is None or isinstance(raw, bool):
        return None if raw is None else DATE_INVALID
    if not isinstance(raw, str):
        single = parse_date(raw)
        return single if not isinstance(single, date) else (single, single)
    if len(raw) > 100:
        return DATE_INVALID
    text = pre_clean(raw)
    if not text:
        return None
    single = _parse_date_text(text)
    if isinstance(single, date):
        return single, single
    parts = _split_range(_PREFIX.sub("", text.lower()))
    if parts is None:
        return DATE_INVALID
    end = _parse_date_text(parts[1])
    if not isinstance(end, date):
        return DATE_INVALID
    start = _start_from_end(parts[0], end)
    if not isinstance(start, date):
        return DATE_INVALID
    return start, end


# --- Checkboxes --------------------------------------------------------------------------

_TRUE_WORDS = frozenset({"true", "ใช่", "มี", "yes", "y", "1", "✓", "✔", "☑", "☑️", "✅"})
_FALSE_WORDS = frozenset({"false", "ไม่ใช่", "ไม่มี", "no", "n", "0", "✗", "✘", "☐", "-"})


def parse_checkbox(raw: object) -> bool | Invalid | None:
    """
    Return a checkbox cell as a bool, None when blank, or `checkbox_invalid`.

    Accepts API booleans, TRUE/FALSE, ✓, ใช่/ไม่ใช่, มี/ไม่มี, yes/no and 1/0.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = pre_clean(raw).lower() if len(raw) < 100 else "?"
        if not word:
            return None
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return CHECKBOX_INVALID
