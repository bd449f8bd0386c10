"""
Input parsing (valueInputOption) and output rendering (valueRenderOption, dateTimeRenderOption).

Semantics follow https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption and
https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption.

Known limits, by design:

* USER_ENTERED recognises plain and grouped numbers (``1,234.5``), percents (``12%``),
  ``TRUE``/``FALSE``, ``=`` formulas, a leading ``'`` forcing text, and dates/times in ISO
  (``2020-01-01``, ``2020-01-01 13:30``), ``2020/01/31``, US ``1/31/2020``, ``Mar 1 2016`` and
  ``13:30[:00]`` forms.  Currency, fractions and locale-specific forms stay text.
* FORMATTED_VALUE renders numbers without number formats or locale: integral values as integers,
  others with about ten significant digits (an approximation of Sheets' "automatic" format);
  typed dates/percents/grouped numbers render in the pattern they were typed in.  Number formats
  set through userEnteredFormat.numberFormat are stored but not applied, and the spreadsheet
  locale does not change rendering.
* Formulas: a small evaluator computes arithmetic, comparisons, ``&``, cell and range references on
  any sheet, and SUM, AVERAGE, MIN, MAX, COUNT, COUNTA, IF, ROUND, ABS, LEN, UPPER, LOWER, TRIM,
  CONCATENATE and HYPERLINK (which yields its label).  Any other function has no computed value:
  FORMATTED_VALUE and UNFORMATTED_VALUE render it as an empty cell, honestly "unknown", rather than
  invent Google's result; FORMULA always returns the formula text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sheets_emulator.model.errors import invalid_argument
from sheets_emulator.model.spreadsheet import (
    CellValue,
    FormattedNumber,
    Formula,
    Sheet,
    Spreadsheet,
)

if TYPE_CHECKING:
    from sheets_emulator.model.a1 import Grid

RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATETIME_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")
_EPOCH = dt.datetime(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PERCENT = re.compile(r"^([+-]?(\d+\.?\d*|\.\d+))\s?%$")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DATE_FORMS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd", "yyyy-mm-dd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd", "yyyy/mm/dd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "mdy", "m/d/yyyy"),
    (re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$"), "bdy", "mmm d yyyy"),
    (re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})$"), "dby", "d mmm yyyy"),
]
_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


# -- input -----------------------------------------------------------------------------------


def _serial(moment: dt.datetime) -> float | int:
    delta = moment - _EPOCH
    serial = delta.days + delta.seconds / 86400
    return int(serial) if serial == int(serial) else serial


def _parse_date(text: str) -> FormattedNumber | None:
    m = _DATETIME.match(text)
    if m:
        y, mo, d, h, mi = (int(g) for g in m.groups()[:5])
        s = int(m.group(6) or 0)
        try:
            moment = dt.datetime(y, mo, d, h, mi, s)
        except ValueError:
            return None
        return FormattedNumber(_serial(moment), "DATE_TIME", "yyyy-mm-dd hh:mm:ss")
    m = _TIME.match(text)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h > 23 or mi > 59 or s > 59:
            return None
        return FormattedNumber((h * 3600 + mi * 60 + s) / 86400, "TIME", "h:mm:ss")
    for regex, order, pattern in _DATE_FORMS:
        m = regex.match(text)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if order == "ymd":
                day = dt.datetime(int(a), int(b), int(c))
            elif order == "mdy":
                day = dt.datetime(int(c), int(a), int(b))
            elif order == "bdy":
                day = dt.datetime(int(c), _MONTHS[a.lower()], int(b))
            else:
                day = dt.datetime(int(c), _MONTHS[b.lower()], int(a))
        except (ValueError, KeyError):
            return None
        return FormattedNumber(_serial(day), "DATE", pattern)
    return None


def _number(text: str) -> int | float:
    value = float(text)
    if value == int(value) and "e" not in text.lower() and "." not in text and abs(value) < 2**53:
        return int(value)
    return value


def parse_input(value: Any, *, user_entered: bool) -> CellValue:
    """
    Turn one JSON value from a values write into the stored user-entered value.

    Non-strings are stored as-is under both options ("Non-string values like booleans or numbers
    are always handled as RAW"); ``""`` clears the cell.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text == "":
        return None
    if not user_entered:
        return text
    if text.startswith("'"):
        return text[1:] or None
    first = text[0]
    if first == "=" and len(text) > 1:
        return Formula(text)
    if first.isalpha() and text[:3].lower() not in _MONTHS and len(text) != 4 and len(text) != 5:
        return text  # fast path: plain words cannot be numbers, dates or TRUE/FALSE
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    if _NUMBER.match(stripped):
        return _number(stripped)
    if _GROUPED.match(stripped):
        return FormattedNumber(_number(stripped.replace(",", "")), "NUMBER", "#,##0.###")
    m = _PERCENT.match(stripped)
    if m:
        decimals = len(m.group(1).partition(".")[2])
        number = round(float(m.group(1)) / 100, decimals + 2 + 10)
        return FormattedNumber(
            number, "PERCENT", "0" + ("." + "0" * decimals if decimals else "") + "%"
        )
    date = _parse_date(stripped)
    if date is not None:
        return date
    return text


# -- output ----------------------------------------------------------------------------------


class FormulaError(str):
    """
    A spreadsheet error value such as ``#DIV/0!``, rendered verbatim by every render option.
    """


class _Unknown:
    """
    Marker for a formula this emulator cannot compute (rendered as an empty cell).
    """


UNKNOWN = _Unknown()


_EXACT_DOUBLE = 2**53
"""Integers up to this are exact as doubles; past it a double keeps only the nearest."""


def as_double(number: int | float) -> int | float:
    """
    A JSON number as Sheets keeps it: a double, so an integer past 2**53 keeps only its
    nearest double (and one past a double's range is refused), as the same number typed as
    text; a float is one already.
    """
    if -_EXACT_DOUBLE <= number <= _EXACT_DOUBLE:
        return number
    try:
        return float(number)
    except OverflowError:
        raise invalid_argument("Request contains an invalid argument.") from None


def json_number(value: float | int) -> float | int:
    """
    Return integral floats as ints so JSON shows ``2`` rather than ``2.0``, as Google does.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def format_number(value: float | int) -> str:
    """
    Render a number with no number format: integers plainly, others to ten significant digits.
    """
    value = json_number(value)
    if isinstance(value, int):
        return str(value)
    if math.isinf(value) or math.isnan(value):
        return "#NUM!"
    if 1e10 <= abs(value) < 1e15:
        return str(round(value))
    # Sheets' "automatic" format shows about ten significant digits (=1/3 -> 0.3333333333).
    return format(value, ".10g").replace("e", "E")


def format_pattern(number: float, kind: str, pattern: str) -> str:
    """
    Render a typed date/time/percent/grouped number in the pattern it was typed in.
    """
    if kind == "PERCENT":
        decimals = len(pattern.partition(".")[2].rstrip("%"))
        return f"{number * 100:.{decimals}f}%"
    if kind == "NUMBER":
        text = f"{number:,.3f}".rstrip("0").rstrip(".")
        return text
    moment = _EPOCH + dt.timedelta(days=number)
    moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
    if kind == "TIME":
        return f"{moment.hour}:{moment.minute:02d}:{moment.second:02d}"
    if kind == "DATE_TIME":
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if pattern == "yyyy/mm/dd":
        return moment.strftime("%Y/%m/%d")
    if pattern == "m/d/yyyy":
        return f"{moment.month}/{moment.day}/{moment.year}"
    if pattern == "mmm d yyyy":
        return f"{moment.strftime('%b')} {moment.day} {moment.year}"
    if pattern == "d mmm yyyy":
        return f"{moment.day} {moment.strftime('%b')} {moment.year}"
    return moment.strftime("%Y-%m-%d")


def effective(spreadsheet: Spreadsheet, sheet: Sheet, value: CellValue, depth: int = 0) -> Any:
    """
    Compute a cell's effective value: formulas are evaluated, everything else is itself.
    """
    if isinstance(value, Formula):
        return evaluate(spreadsheet, sheet, value.text, depth)
    return value


def render_value(
    spreadsheet: Spreadsheet,
    sheet: Sheet,
    value: CellValue,
    render: str,
    datetime_render: str,
) -> Any:
    """
    Render one stored value for values.get; ``""`` means empty (and is trimmed at row ends).
    """
    if value is None:
        return ""
    if render == "FORMULA" and isinstance(value, Formula):
        return value.text
    # Other values read as unformatted ones do, the date option too: it is ignored only "if
    # value_render_option is FORMATTED_VALUE" (DD).
    result = effective(spreadsheet, sheet, value)
    if result is UNKNOWN or result is None:
        return ""
    if isinstance(result, FormulaError):
        return str(result)
    if isinstance(result, FormattedNumber):
        if render == "FORMATTED_VALUE" or (
            datetime_render == "FORMATTED_STRING" and result.kind in ("DATE", "TIME", "DATE_TIME")
        ):
            return format_pattern(result.number, result.kind, result.pattern)
        return json_number(result.number)
    if isinstance(result, bool):
        return ("TRUE" if result else "FALSE") if render == "FORMATTED_VALUE" else result
    if isinstance(result, (int, float)):
        return format_number(result) if render == "FORMATTED_VALUE" else json_number(result)
    return str(result)


def _bool_text(value: bool) -> str:
    return "TRUE" if value else "FALSE"


# Stored values that render as themselves, per render option, then plain values with a direct
# conversion (what ``render_value`` computes for them); formulas and typed numbers take
# ``render_value``.
_AS_IS: dict[str, frozenset[type]] = {
    "UNFORMATTED_VALUE": frozenset({str, int, bool}),
    "FORMATTED_VALUE": frozenset({str}),
    "FORMULA": frozenset({str, int, bool}),
}
_DIRECT: dict[str, dict[type, Callable[[Any], Any]]] = {
    "UNFORMATTED_VALUE": {float: json_number},
    "FORMATTED_VALUE": {int: str, float: format_number, bool: _bool_text},
    "FORMULA": {float: json_number},
}


_EXACT = 2**53
"""Integral floats below this magnitude read as ints (what `json_number` decides, inlined)."""

_BLANK_AS_TEXT: dict[object, str] = {None: ""}
"""An empty cell inside a row reads as ""; every other value maps to itself (the default)."""

_PLAIN_OR_BLANK = frozenset({str, int, bool, float, type(None)})
"""Stored types an unformatted read renders without ``render_value`` (floats only need a look)."""


def read_block(
    spreadsheet: Spreadsheet,
    grid: Grid,
    render: str,
    datetime_render: str,
    major: str,
) -> list[list[Any]]:
    """
    Read a grid block as ``values`` with Google's trimming (trailing empty cells and rows dropped).
    """
    sheet = grid.sheet
    as_is = _AS_IS.get(render, frozenset())
    as_is_or_blank = as_is | {type(None)}
    direct = _DIRECT.get(render, {})
    # Unformatted, a fractional (or infinite) float is its own JSON; integral ones become ints.
    fractions_as_is = render in ("UNFORMATTED_VALUE", "FORMULA")

    def slow(v: CellValue) -> Any:
        convert = direct.get(type(v))
        if convert is not None:
            return convert(v)
        return render_value(spreadsheet, sheet, v, render, datetime_render)

    # A tab's grid is 1,000 rows by default and its data a few dozen: the empty slots after the
    # last written row would only be read as [] and trimmed again, so they are cut off first.
    slots = sheet.rows[grid.r0 : grid.r1]
    end = len(slots)
    while end and slots[end - 1] is None:
        end -= 1
    del slots[end:]
    rows: list[list[Any]] = []
    c0, c1 = grid.c0, grid.c1
    for row in slots:
        if row is None or not row.values:
            rows.append([])
            continue
        stored = row.values if c0 == 0 and len(row.values) <= c1 else row.values[c0:c1]
        kinds = set(map(type, stored))
        if as_is.issuperset(kinds):
            # Only text, integers and booleans as stored: the row is its own answer (checked
            # at C speed, and most rows of a regional tab qualify).
            rows.append(list(stored))
            continue
        if as_is_or_blank.issuperset(kinds):
            # The same with empty cells among them, which read as "" (also at C speed).
            rows.append(list(map(_BLANK_AS_TEXT.get, stored, stored)))
            continue
        if fractions_as_is and _PLAIN_OR_BLANK.issuperset(kinds):
            # Numbers typed as floats among them (most data rows): only floats need a look,
            # so every other cell is settled by one identity test.
            rows.append(
                [
                    ("" if v is None else v)
                    if type(v) is not float
                    else v
                    if not v.is_integer()
                    else int(v)
                    if -_EXACT < v < _EXACT
                    else slow(v)
                    for v in stored
                ]
            )
            continue
        # A cheap membership test per cell keeps text and integers (most of a tab) off the
        # per-value call, which dominated reading a whole tab.
        rows.append(
            [
                v
                if type(v) in as_is
                else ""
                if v is None
                else v
                if fractions_as_is and type(v) is float and not v.is_integer()
                else int(v)
                if fractions_as_is and type(v) is float and -_EXACT < v < _EXACT
                else slow(v)
                for v in stored
            ]
        )
    if major == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
    for cells in rows:
        while cells and cells[-1] == "":
            cells.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def user_entered_json(value: CellValue) -> dict[str, Any] | None:
    """
    Render a stored value as an ExtendedValue (userEnteredValue in grid data).
    """
    if value is None:
        return None
    if isinstance(value, Formula):
        return {"formulaValue": value.text}
    if isinstance(value, FormattedNumber):
        return {"numberValue": json_number(value.number)}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": json_number(value)}
    return {"stringValue": value}


def effective_json(
    spreadsheet: Spreadsheet, sheet: Sheet, value: CellValue
) -> dict[str, Any] | None:
    """
    Render a cell's computed value as an ExtendedValue (effectiveValue in grid data).
    """
    result = effective(spreadsheet, sheet, value)
    if result is None or result is UNKNOWN:
        return None
    if isinstance(result, FormulaError):
        return {
            "errorValue": {"type": _ERROR_TYPES.get(str(result), "ERROR"), "message": str(result)}
        }
    if isinstance(result, Formula):  # pragma: no cover - evaluate never yields a Formula
        return None
    return user_entered_json(result)


_ERROR_TYPES = {
    "#DIV/0!": "DIVIDE_BY_ZERO",
    "#VALUE!": "VALUE",
    "#REF!": "REF",
    "#NAME?": "NAME",
    "#NUM!": "NUM",
    "#N/A": "N_A",
}


# -- formulas --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<str>"(?:[^"]|"")*")
   |(?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?
        (?:\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}(?:\$?\d+)?)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}))
        (?![\w(])
   |(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
   |(?P<func>[A-Za-z_][A-Za-z0-9_.]*)\s*\(
   |(?P<name>[A-Za-z_][A-Za-z0-9_.]*)
   |(?P<op><=|>=|<>|[-+*/^&=<>(),%])
    )""",
    re.VERBOSE,
)
_MAX_DEPTH = 64


class _Unsupported(Exception):
    """
    Raised when a formula uses something the evaluator does not implement.
    """


class _Raise(Exception):
    """
    Carries a spreadsheet error value up through the evaluator.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _Unsupported(text[pos:])
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    """
    Recursive-descent evaluator over the token list, with Sheets operator precedence.
    """

    def __init__(self, spreadsheet: Spreadsheet, sheet: Sheet, text: str, depth: int) -> None:
        self.spreadsheet = spreadsheet
        self.sheet = sheet
        self.tokens = _tokens(text)
        self.pos = 0
        self.depth = depth

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (op is not None and tok[1] != op):
            raise _Unsupported(f"expected {op}")
        self.pos += 1
        return tok

    def run(self) -> Any:
        value = self.compare()
        if self.peek() is not None:
            raise _Unsupported("trailing tokens")
        return _scalar(value)

    def compare(self) -> Any:
        left = self.concat()
        while (tok := self.peek()) and tok[1] in ("=", "<>", "<", ">", "<=", ">="):
            self.pos += 1
            right = self.concat()
            a, b = _scalar(left), _scalar(right)
            a = "" if a is None else a
            b = "" if b is None else b
            ops: dict[str, Callable[[Any, Any], bool]] = {
                "=": lambda x, y: x == y,
                "<>": lambda x, y: x != y,
                "<": lambda x, y: x < y,
                ">": lambda x, y: x > y,
                "<=": lambda x, y: x <= y,
                ">=": lambda x, y: x >= y,
            }
            try:
                left = ops[tok[1]](a, b)
            except TypeError:
                left = ops[tok[1]](str(a), str(b))
        return left

    def concat(self) -> Any:
        left = self.additive()
        while (tok := self.peek()) and tok[1] == "&":
            self.pos += 1
            left = _text(left) + _text(self.additive())
        return left

    def additive(self) -> Any:
        left = self.term()
        while (tok := self.peek()) and tok[1] in ("+", "-"):
            self.pos += 1
            right = self.term()
            left = _num(left) + _num(right) if tok[1] == "+" else _num(left) - _num(right)
        return left

    def term(self) -> Any:
        left = self.power()
        while (tok := self.peek()) and tok[1] in ("*", "/"):
            self.pos += 1
            right = _num(self.power())
            if tok[1] == "*":
                left = _num(left) * right
            else:
                if right == 0:
                    raise _Raise("#DIV/0!")
                left = _num(left) / right
        return left

    def power(self) -> Any:
        left = self.unary()
        while (tok := self.peek()) and tok[1] == "^":
            self.pos += 1
            left = _num(left) ** _num(self.unary())
        return left

    def unary(self) -> Any:
        tok = self.peek()
        if tok and tok[1] in ("-", "+"):
            self.pos += 1
            value = _num(self.unary())
            return -value if tok[1] == "-" else value
        value = self.primary()
        if (nxt := self.peek()) and nxt[1] == "%":
            self.pos += 1
            value = _num(value) / 100
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return _number(text) if "." not in text and "e" not in text.lower() else float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "op" and text == "(":
            value = self.compare()
            self.take(")")
            return value
        if kind == "name" and text.upper() in ("TRUE", "FALSE"):
            return text.upper() == "TRUE"
        if kind == "name" and any(n.get("name") == text for n in self.spreadsheet.named_ranges):
            return self.reference(text)
        if kind == "ref":
            return self.reference(text)
        if kind == "func":
            return self.call(text.upper())
        raise _Unsupported(text)

    def reference(self, text: str) -> Any:
        from sheets_emulator.model.a1 import parse_range

        named = any(n.get("name") == text for n in self.spreadsheet.named_ranges)
        if "!" not in text and not named:
            text = "'" + self.sheet.title.replace("'", "''") + "'!" + text
        try:
            ref = parse_range(self.spreadsheet, text.replace("$", ""))
        except Exception as exc:
            raise _Raise("#REF!") from exc
        sheet = ref.sheet
        r1 = sheet.row_count if ref.r1 is None else min(ref.r1, sheet.row_count)
        c1 = sheet.column_count if ref.c1 is None else min(ref.c1, sheet.column_count)
        if r1 - ref.r0 == 1 and c1 - ref.c0 == 1 and ":" not in text.rpartition("!")[2]:
            return self.cell(sheet, ref.r0, ref.c0)
        return [self.cell(sheet, r, c) for r in range(ref.r0, r1) for c in range(ref.c0, c1)]

    def cell(self, sheet: Sheet, r: int, c: int) -> Any:
        value = sheet.cell(r, c)
        if isinstance(value, Formula):
            if self.depth >= _MAX_DEPTH:
                raise _Raise("#REF!")
            result = evaluate(self.spreadsheet, sheet, value.text, self.depth + 1)
            if result is UNKNOWN:
                raise _Unsupported("depends on an unsupported formula")
            if isinstance(result, FormulaError):
                raise _Raise(str(result))
            return result
        if isinstance(value, FormattedNumber):
            return value.number
        return value

    def args(self) -> list[Any]:
        out: list[Any] = []
        if (tok := self.peek()) and tok[1] == ")":
            self.pos += 1
            return out
        while True:
            out.append(self.compare())
            tok = self.take()
            if tok[1] == ")":
                return out
            if tok[1] != ",":
                raise _Unsupported("bad argument list")

    def call(self, name: str) -> Any:
        if name == "IF":
            start = self.pos
            args = self.args()
            del start
            if len(args) not in (2, 3):
                raise _Raise("#N/A")
            return args[1] if _truthy(args[0]) else (args[2] if len(args) == 3 else False)
        args = self.args()
        flat = [v for a in args for v in (a if isinstance(a, list) else [a])]
        numbers = [
            float(v) if isinstance(v, float) else v
            for v in flat
            if isinstance(v, (int, float)) and not isinstance(v, bool)
        ]
        if name == "SUM":
            return sum(numbers)
        if name in ("AVERAGE", "MIN", "MAX"):
            if not numbers:
                if name == "AVERAGE":
                    raise _Raise("#DIV/0!")
                return 0
            return {
                "AVERAGE": lambda: sum(numbers) / len(numbers),
                "MIN": lambda: min(numbers),
                "MAX": lambda: max(numbers),
            }[name]()
        if name == "COUNT":
            return len(numbers)
        if name == "COUNTA":
            return sum(1 for v in flat if v not in (None, ""))
        if name in ("HYPERLINK",):
            if not args:
                raise _Raise("#N/A")
            return _text(args[1] if len(args) > 1 else args[0])
        if name == "CONCATENATE":
            return "".join(_text(v) for v in flat)
        if name in ("ROUND", "ABS", "LEN", "UPPER", "LOWER", "TRIM") and args:
            first = _scalar(args[0])
            if name == "ROUND":
                digits = int(_num(args[1])) if len(args) > 1 else 0
                return _round_half_up(_num(first), digits)
            if name == "ABS":
                return abs(_num(first))
            if name == "LEN":
                return len(_text(first))
            return {"UPPER": str.upper, "LOWER": str.lower, "TRIM": lambda s: " ".join(s.split())}[
                name
            ](_text(first))
        raise _Unsupported(name)


def _round_half_up(value: float, digits: int) -> float:
    factor = 10**digits
    return math.floor(abs(value) * factor + 0.5) / factor * (1 if value >= 0 else -1)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _num(value: Any) -> float | int:
    value = _scalar(value)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return _number(value.strip())
    raise _Raise("#VALUE!")


def _text(value: Any) -> str:
    value = _scalar(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def _truthy(value: Any) -> bool:
    value = _scalar(value)
    if isinstance(value, str):
        if value.upper() in ("TRUE", "FALSE"):
            return value.upper() == "TRUE"
        if value == "":
            return False
        raise _Raise("#VALUE!")
    return bool(value)


def evaluate(spreadsheet: Spreadsheet, sheet: Sheet, text: str, depth: int = 0) -> Any:
    """
    Evaluate a formula's text; returns a value, a ``FormulaError``, or ``UNKNOWN`` if unsupported.
    """
    try:
        result = _Parser(spreadsheet, sheet, text[1:], depth).run()
    except _Raise as exc:
        return FormulaError(exc.code)
    except (_Unsupported, RecursionError):
        return UNKNOWN
    except (OverflowError, ZeroDivisionError):
        return FormulaError("#NUM!")
    if isinstance(result, float) and (math.isinf(result) or math.isnan(result)):
        return FormulaError("#NUM!")
    return "" if result is None else result
