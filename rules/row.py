"""
Check one row of a regional tab: every cell rule of its column's kind, then the cross-field
rules of domain spec §3.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from types import MappingProxyType
from typing import TypeAlias, cast

import msgspec

from kpi.formulas import RowChanges
from rules import headers as h
from rules.checks import choices, dates, geography, numbers, text
from rules.checks import results as result_checks
from rules.checks.cells import CELL_CHECKS
from rules.findings import Finding, error
from rules.parse import is_blank
from rules.status import status_for
from rules.template import TEMPLATE, Kind, Template
from rules.types import CellCheck, Cells, Options

REQUIRED_BLANK = "ยังไม่ได้กรอก"

PERSON_ADDRESS = geography.AddressColumns(h.PROVINCE, h.POSTCODE, h.DISTRICT, h.SUBDISTRICT)
ENTERPRISE_ADDRESS = geography.AddressColumns(
    h.ENTERPRISE_PROVINCE, h.ENTERPRISE_POSTCODE, h.ENTERPRISE_DISTRICT, h.ENTERPRISE_SUBDISTRICT
)
TAX_ID_COLUMNS: tuple[tuple[str, str], ...] = (
    (h.TAX_ID, h.ENTERPRISE_NAME),
    (h.SME_TAX_ID, h.SME_NAME),
    (h.PRODUCT_TAX_ID, h.PRODUCT_ORG_NAME),
)
"""(tax ID, organisation name) of each section that has both (D01, E02, F01 of the form)."""
STATUS_COLUMNS = (h.STATUS, h.RESULT_STATUS)
"""A row is cancelled when either `สถานะ` (Part 1 or Part 2) says `ยกเลิก`."""


class RowResult(msgspec.Struct, frozen=True):
    """
    The outcome of checking one row: status, findings and the values parsed on the way (a
    frozen Struct: one or two a row, built in C several times faster than a dataclass).
    """

    status: str
    """`ผ่าน`, `คำเตือน` or `ไม่ผ่าน`; blank for a blank row (skipped)."""
    findings: tuple[Finding, ...]
    values: Mapping[str, object] = msgspec.field(default_factory=dict)
    """Parsed value per header, for cells that parsed (Decimal, int, date, bool or str)."""
    national_id: str | None = None
    """The 13 digits of the national ID, or None when blank or not 13 digits."""
    tax_id: str | None = None
    """The tax ID's 13 digits or the registration text, or None when blank."""
    cancelled: bool = False
    """`สถานะ` is `ยกเลิก`: checked but not counted."""
    is_blank: bool = False
    """Every input cell is blank: the row is skipped and its worker cells cleared."""
    changes: RowChanges | None = None
    """The manual's formulas applied to the row's raw figures (None without raw figures), so
    `kpi.evaluate_row` need not apply them again."""

    @property
    def codes(self) -> tuple[str, ...]:
        """
        Return the findings' codes in order, for the `รหัสข้อผิดพลาด` cell.
        """
        return tuple(f.code for f in self.findings)

    @property
    def details(self) -> str:
        """
        Return the findings as shown in the `รายละเอียด` cell, one per line.
        """
        return "\n".join(f.text for f in self.findings)


BLANK_ROW = RowResult(status="", findings=(), values=MappingProxyType({}), is_blank=True)


_EDGE_BLANKS = frozenset(" \t\r\n\v\f\u00a0\u202f\u2007\u3000\u200b\u200c\u200d\u2060\ufeff")

_DECIMAL = Decimal
_INFINITY = float("inf")

_Entry: TypeAlias = tuple[object, tuple[Finding, ...]]
"""What one checked cell adds to its row: the parsed value (None if none) and its findings."""

_SKIP: _Entry = (object(), ())
"""A blank cell: not given, no value, no finding (told apart from results by identity)."""
_UNTICKED: _Entry = (object(), ())
"""An unticked checkbox: a value, but not something a person typed."""
_CHOICE: _Entry = (object(), ())
"""A typed dropdown cell: checked per row, because the allowed lists come with the call."""


class _Column:
    """
    One column's cell rule resolved once, with the results of the values already seen in it.
    """

    __slots__ = (
        "amount",
        "check",
        "checkbox",
        "header",
        "list_name",
        "looked",
        "memo",
        "missed",
        "unique",
    )

    def __init__(self, header: str, check: CellCheck | None, list_name: str, checkbox: bool):
        """
        Keep what a cell of this column needs, so a row looks each cell up in one dict.
        """
        self.header = header
        self.check = check
        self.amount = check is numbers.check_amount
        """An amount column: `check_row` reads API numbers ≥ 0 here directly, uncached."""
        self.list_name = list_name
        self.checkbox = checkbox
        # Text and whole numbers are keys as themselves (no str equals an int); booleans and
        # floats as (value, type), since True == 1 == 1.0.
        self.memo: dict[object, _Entry] = {}
        self.looked = 0
        """Cells looked up in the cache (blanks aside) while deciding whether to cache."""
        self.missed = 0
        """Of those, cells checked (the cache did not have them)."""
        self.unique = False
        """The column's values hardly repeat (IDs, phones, names): none is cached any more."""

    def entry(self, raw: object) -> _Entry:
        """
        Classify and check one non-None cell (blank, unticked, typed into a dropdown, or checked).
        """
        if raw == "":
            return _SKIP
        if isinstance(raw, str):
            if (raw[0] in _EDGE_BLANKS or raw[-1] in _EDGE_BLANKS) and is_blank(raw):
                return _SKIP
        elif raw is False and self.checkbox:
            return _UNTICKED
        if self.check is None:
            return _CHOICE
        return self.check(self.header, raw)


class _Plan:
    """
    A template compiled for speed: each header's cell rule, resolved once instead of per row.
    """

    __slots__ = ("columns", "memo_size", "order", "required")

    def __init__(self, template: Template) -> None:
        """
        Resolve every column's rule and the required-cell findings of a template.
        """
        self.columns = {
            c.header: _Column(
                c.header,
                None if c.kind is Kind.DROPDOWN else CELL_CHECKS[c.kind],
                c.options or c.header,
                c.kind is Kind.CHECKBOX,
            )
            for c in template.columns
        }
        self.required = tuple(
            (
                c.header,
                error("required_blank", c.header, REQUIRED_BLANK),
                # What a row may give instead: the columns it stands for (the date range's
                # start and end), or one that stands for it (the range, for the start date).
                frozenset(
                    (
                        *c.stands_for,
                        *(o.header for o in template.columns if c.header in o.stands_for),
                    )
                ),
            )
            for c in template.columns
            if c.required
        )
        self.order = {c.header: i for i, c in enumerate(template.columns)}
        self.memo_size = 0
        """Cell results cached over all columns (each distinct value is validated once)."""

    def forget(self, *, learnt: bool = False) -> None:
        """Drop every cached cell result, and what was learnt of which columns repeat unless
        `learnt` says to keep it."""
        for each in self.columns.values():
            each.memo.clear()
            if not learnt:
                each.looked = each.missed = 0
                each.unique = False
        self.memo_size = 0

    def learn(self, column: _Column, looked: int, missed: int) -> None:
        """
        Count a batch of a column's cells looked up (blanks aside) and those not cached yet;
        once `UNIQUE_SAMPLE` were, a column whose values hardly repeat (`UNIQUE_SHARE` of them
        new: IDs, phones, e-mails, names) is cached no more, and its results go: each would
        only hold memory until the cache is dropped (after the round), every later cell of
        the column a new value anyway. Which results a row gets does not change.
        """
        column.looked += looked
        column.missed += max(0, missed)  # (negative when the cache was just dropped whole)
        if column.looked >= UNIQUE_SAMPLE and column.missed >= UNIQUE_SHARE * column.looked:
            column.unique = True
            self.memo_size -= len(column.memo) - (2 if "" in column.memo else 0)
            column.memo.clear()

    def resolve(self, column: _Column, raw: object, key: object) -> _Entry:
        """
        Check a cell not yet in its column's cache and cache the result under `key`.
        """
        if column.unique:
            return column.entry(raw)
        if self.memo_size >= MEMO_LIMIT:
            self.forget()
        entry = column.memo[key] = column.entry(raw)
        self.memo_size += 1
        return entry


_PLANS: dict[int, tuple[Template, _Plan]] = {}


def _plan(template: Template) -> _Plan:
    """
    Return the compiled plan of a template (built on first use).
    """
    cached = _PLANS.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    plan = _Plan(template)
    _PLANS[id(template)] = (template, plan)
    return plan


UNIQUE_SAMPLE = 512
"""Non-blank cells of a column looked up before `_Plan.learn` tells whether to cache it."""
UNIQUE_SHARE = 0.9
"""Share of those new to the cache that makes a column one whose values are not cached."""
MEMO_LIMIT = 200_000
"""Cached cell results kept per template before the cache starts afresh (bounds memory)."""


def forget_cells(*, learnt: bool = False) -> None:
    """
    Drop every cached cell result, the addresses' too: the caches speed up checking the many
    rows of one pass; a service between runs keeps whole rows' results instead (those are
    `sync`'s), and tens of MB of single cells would only sit there until its next pass.

    `learnt`: keep which columns were found not to repeat (`_Plan.learn`), for more rows of
    the same pass (a sync drops the caches after each tab: `sync.core.evaluate`).
    """
    for _, plan in _PLANS.values():
        plan.forget(learnt=learnt)
    geography.forget_lookups()


def _is_given(raw: object) -> bool:
    """
    Tell whether a cell of a column the template does not know holds something typed.
    """
    if raw is None or raw == "":
        return False
    if isinstance(raw, str):
        return not ((raw[0] in _EDGE_BLANKS or raw[-1] in _EDGE_BLANKS) and is_blank(raw))
    return True


def check_row(
    cells: Cells,
    *,
    region: str,
    options: Options,
    fiscal_year: int,
    as_of: date | None = None,
    template: Template = TEMPLATE,
) -> RowResult:
    """
    Check one row against every rule of domain spec §3.1.

    Args:
        cells: Raw cells keyed by canonical header; a header absent from the mapping (the tab
            has no such column) is not reported as blank. Unknown headers are ignored.
        region: The tab's region name (e.g. `ศก.3`), compared with `หน่วยงาน`.
        options: Dropdown lists from the `ตัวเลือก` tab; a list not given is not checked.
        fiscal_year: Thai fiscal year (BE) of the activity, e.g. 2567.
        as_of: Today's date for "in the future" and for age when the start date is blank.
        template: The tab layout (defaults to the reporting form).
    """
    plan = _plan(template)
    columns = plan.columns
    given: dict[str, object] = {}
    findings: list[Finding] = []
    values: dict[str, object] = {}
    for header, raw in cells.items():
        if not raw and (raw is None or raw.__class__ is str):
            continue  # None or "": never given, whatever the column (0 and False go on)
        column = columns.get(header)
        if column is None:
            if _is_given(raw):
                given[header] = raw
            continue
        cls = raw.__class__
        if cls is str or cls is int:
            entry = column.memo.get(raw)
            if entry is None:
                if type(raw) is int and column.amount and raw >= 0:
                    # `check_amount` of a whole number ≥ 0 is that number and no finding
                    # (a test proves it); amounts are rarely repeated, so none is cached.
                    given[header] = raw
                    values[header] = _DECIMAL(raw)
                    continue
                entry = plan.resolve(column, raw, raw)
        elif type(raw) is float and column.amount and 0 <= raw < _INFINITY:
            # `check_amount` of a finite float ≥ 0 (or -0.0) is the Decimal of its shortest
            # repr and no finding (a test proves it); not cached, as whole numbers above.
            given[header] = raw
            values[header] = _DECIMAL(repr(raw))
            continue
        elif cls is bool or (cls is float and raw and raw == raw):
            # Never cached as themselves: True == 1 == 1.0; -0.0 == 0.0 and NaN are not cached.
            key = (raw, cls)
            entry = column.memo.get(key)
            if entry is None:
                entry = plan.resolve(column, raw, key)
        else:
            entry = column.entry(raw)
        if entry is _SKIP:
            continue
        if entry is _UNTICKED:
            values[header] = False
            continue
        given[header] = raw
        if entry is _CHOICE:
            allowed = options.get(column.list_name)
            if allowed and cls is str and raw in allowed:
                values[header] = raw
                continue
            entry = choices.check_choice(header, raw, column.list_name, allowed)
        value, found = entry
        if found:
            findings += found
        if value is not None:
            values[header] = value
    if not given:
        return BLANK_ROW
    tab = _tab_rules(plan, frozenset(cells))
    return _finish(plan, given, values, findings, tab, region, fiscal_year, as_of)


_NONES = repeat(None)
_PLAIN_KINDS = frozenset({str, int, type(None)})
"""Cell types whose values are memo keys as themselves (True == 1 == 1.0 are not among them)."""
_API_KINDS = _PLAIN_KINDS | {bool, float}
"""Every type of cell the Sheets API sends."""
_NUMBER_KINDS = frozenset({int, float})
"""API numbers, which an amount column reads directly when ≥ 0."""
_GIVEN: _Entry = (None, ())
"""A cell of a column the template does not know, holding something typed: given, no value."""


def check_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    region: str,
    options: Options,
    fiscal_year: int,
    as_of: date | None = None,
    template: Template = TEMPLATE,
) -> list[RowResult]:
    """
    Check many rows of one tab at once: what `check_row` gives each, column by column.

    `rows` hold one raw cell per header of `headers` (distinct; a short row is padded with
    blanks), and each result equals `check_row(dict(zip(headers, row)), ...)` with the same
    arguments. Each column's cells are looked up in its cache in one sweep (one dict in use at
    a time, where a row-by-row walk hops between dozens of large ones, and no per-cell
    dispatch on the column), the cells it lacks are checked after, and each row is then
    assembled from its ready entries; the cross-field rules run row by row, by the same code
    as `check_row`.
    """
    plan = _plan(template)
    width = len(headers)
    padded = [row if len(row) >= width else (*row, *([None] * (width - len(row)))) for row in rows]
    if not width:  # no column: every row is blank, as `check_row` finds an empty dict
        return [BLANK_ROW] * len(padded)
    columns = [
        _column_entries(plan, plan.columns.get(header), header, raws, options)
        for header, raws in zip(headers, zip(*padded, strict=False), strict=False)
    ]
    tab = _tab_rules(plan, frozenset(headers))
    results: list[RowResult] = []
    append = results.append
    skip, unticked = _SKIP, _UNTICKED
    for row, entries in zip(padded, zip(*columns, strict=True), strict=True):
        given: dict[str, object] = {}
        values: dict[str, object] = {}
        findings: list[Finding] = []
        for header, raw, entry in zip(headers, row, entries, strict=False):
            if entry is skip:
                continue
            if entry is unticked:
                values[header] = False
                continue
            given[header] = raw
            value, found = entry
            if found:
                findings += found
            if value is not None:
                values[header] = value
        if not given:
            append(BLANK_ROW)
            continue
        append(_finish(plan, given, values, findings, tab, region, fiscal_year, as_of))
    return results


def _column_entries(
    plan: _Plan,
    column: _Column | None,
    header: str,
    raws: Sequence[object],
    options: Options,
) -> list[_Entry]:
    """
    Return the entry of each cell of one column (what `check_row` makes of it), choices
    resolved against `options`: one sweep through the column's cache, then the cells it lacks.
    """
    if column is None:
        return [_GIVEN if _is_given(raw) else _SKIP for raw in raws]
    memo = column.memo
    if "" not in memo:  # blanks are answered by the cache too (not counted: two per column)
        memo[""] = memo[None] = _SKIP
    get = memo.get
    count = len(raws)
    if column.unique and column.check is not None and not column.amount:
        # Values that hardly repeat (IDs, phones, e-mails) are cached no more: each cell is
        # checked at once, without asking the cache and missing first (an amount column's API
        # numbers are read directly, below).
        # Text without edge blanks (nearly all of it) goes to the rule at once.
        rule, classify = column.check, column.entry
        return [
            _SKIP
            if raw is None or raw == ""
            else rule(header, raw)
            if raw.__class__ is str and raw[0] not in _EDGE_BLANKS and raw[-1] not in _EDGE_BLANKS
            else classify(raw)
            for raw in raws
        ]
    kinds = set(map(type, raws))
    entries: list[_Entry | None]
    if column.amount and not kinds.isdisjoint(_NUMBER_KINDS):
        # API numbers ≥ 0 read directly, as `check_row` reads them (never cached, so the cache
        # is not asked); blanks and text from the cache; any other cell is resolved below.
        entries = [
            (_DECIMAL(raw), ())
            if raw.__class__ is int and raw >= 0
            else (_DECIMAL(repr(raw)), ())
            if raw.__class__ is float and 0 <= raw < _INFINITY
            else get(raw)
            if raw is None or raw.__class__ is str
            else None
            for raw in raws
        ]
    elif kinds <= _PLAIN_KINDS:
        entries = list(map(get, raws))
    elif kinds <= _API_KINDS:
        # A boolean or float equal to a cached whole number must not take its entry: such
        # cells are answered again, a checkbox's two values once per column.
        entries = list(map(get, raws))
        types = list(map(type, raws))
        if bool in kinds:
            ticks = {flag: _cell_entry(plan, column, flag) for flag in (False, True)}
            for index in compress(range(count), map(is_, types, repeat(bool))):
                entries[index] = ticks[raws[index]]  # type: ignore[index]
        if float in kinds:
            for index in compress(range(count), map(is_, types, repeat(float))):
                entries[index] = _cell_entry(plan, column, raws[index])
    else:  # something no API sends (unhashable, perhaps): each cell on its own
        entries = [_cell_entry(plan, column, raw) for raw in raws]
    cached = len(memo)
    misses = list(compress(range(count), map(is_, entries, _NONES)))
    if misses and plan.memo_size + len(misses) > MEMO_LIMIT:
        plan.forget()  # (the entries taken so far stay; the cache starts afresh)
    cell_rule, unique = column.check, column.unique
    stored = 0
    for index in misses:
        raw = raws[index]
        if raw.__class__ is not str:
            entries[index] = _cell_entry(plan, column, raw)
            continue
        found = get(raw)  # not blank (blanks are cached); maybe cached since, by a repeat
        if found is None:
            if cell_rule is None or raw[0] in _EDGE_BLANKS or raw[-1] in _EDGE_BLANKS:
                found = column.entry(raw)  # a dropdown's choice, or text with edge blanks
            else:
                found = cell_rule(header, raw)  # what `column.entry` gives it, a call less
            if not unique:
                memo[raw] = found
                stored += 1
        entries[index] = found
    plan.memo_size += stored
    if column.looked < UNIQUE_SAMPLE:  # (the values new to the cache: what it gained)
        plan.learn(column, count - raws.count("") - raws.count(None), len(memo) - cached)
    if column.check is None and any(map(is_, entries, repeat(_CHOICE))):
        allowed = options.get(column.list_name)
        chosen: dict[str, _Entry] = {}  # this call's lists: the same few values recur
        for index in compress(range(len(raws)), map(is_, entries, repeat(_CHOICE))):
            raw = raws[index]
            if raw.__class__ is not str:
                entries[index] = choices.check_choice(header, raw, column.list_name, allowed)
                continue
            entry = chosen.get(raw)
            if entry is None:
                if allowed and raw in allowed:
                    entry = (raw, ())
                else:
                    entry = choices.check_choice(header, raw, column.list_name, allowed)
                chosen[raw] = entry
            entries[index] = entry
    return cast(list[_Entry], entries)


def _cell_entry(plan: _Plan, column: _Column, raw: object) -> _Entry:
    """
    Return the entry of one cell not answered by a plain cache look-up, as `check_row` does.
    """
    if not raw and (raw is None or raw.__class__ is str):
        return _SKIP
    cls = raw.__class__
    if cls is str or cls is int:
        entry = column.memo.get(raw)
        if entry is not None:
            return entry
        if cls is int and column.amount and raw >= 0:  # type: ignore[operator]
            # As `check_row`: a whole amount ≥ 0 is its Decimal, no finding, not cached.
            return (_DECIMAL(raw), ())  # type: ignore[arg-type]
        return plan.resolve(column, raw, raw)
    if cls is float and column.amount and 0 <= raw < _INFINITY:  # type: ignore[operator]
        return (_DECIMAL(repr(raw)), ())
    if cls is bool or (cls is float and raw and raw == raw):
        key = (raw, cls)
        entry = column.memo.get(key)
        if entry is None:
            entry = plan.resolve(column, raw, key)
        return entry
    return column.entry(raw)


class _TabRules:
    """
    What the cross-field rules need of a tab's columns, worked out once per tab rather than
    for each of its rows: its required columns, the before/after pairs and satisfaction items
    it has all columns of (a missing column costs only the checks that need it, §3.0), and
    the sections whose organisation name it has.
    """

    __slots__ = (
        "item_set",
        "items",
        "named_sections",
        "pair_headers",
        "pairs",
        "required",
        "required_headers",
    )

    def __init__(self, plan: _Plan, columns: frozenset[str]) -> None:
        self.required = tuple(r for r in plan.required if r[0] in columns)
        self.required_headers = frozenset(r[0] for r in self.required)
        """A row holding all of these (most rows) needs no look at each."""
        self.pairs = tuple(
            p for p in numbers.BEFORE_AFTER_PAIRS if p[0] in columns and p[1] in columns
        )
        self.pair_headers = frozenset(x for pair in self.pairs for x in pair)
        """A row with all of these or none (most rows) has no pair half missing."""
        self.items = tuple(x for x in h.SATISFACTION_ITEMS if x in columns)
        self.item_set = frozenset(self.items)
        self.named_sections = tuple(s for s in TAX_ID_COLUMNS if s[1] in columns)


@lru_cache(maxsize=64)
def _tab_rules(plan: _Plan, columns: frozenset[str]) -> _TabRules:
    """The `_TabRules` of a tab with `columns` (a tab's rows come in chunks: once a tab)."""
    return _TabRules(plan, columns)


def _finish(
    plan: _Plan,
    given: dict[str, object],
    values: dict[str, object],
    findings: list[Finding],
    tab: _TabRules,
    region: str,
    fiscal_year: int,
    as_of: date | None,
) -> RowResult:
    """
    Complete a non-blank row whose cells are checked: the cross-field rules, then the result.

    `findings` holds the cells' own findings in column order; `tab` what the rules need of the
    tab's columns. Shared by `check_row` and `check_rows`, so both judge a row alike.
    """
    period = values.get(h.START_END_DATES)
    if isinstance(period, tuple):
        # The form's one-cell period stands for the two date columns (a column of its own wins).
        values.setdefault(h.START_DATE, period[0])
        values.setdefault(h.END_DATE, period[1])
    if not given.keys() >= tab.required_headers:
        for header, blank, instead in tab.required:
            if header not in given and (not instead or given.keys().isdisjoint(instead)):
                findings.append(blank)
    changes = result_checks.changes_of(given, values)
    context = _Context(given, values, tab, region, fiscal_year, as_of, changes)
    for rule in CROSS_FIELD_RULES:
        findings.extend(rule(context))
    if len(findings) > 1:
        order = plan.order
        findings.sort(key=lambda f: order.get(f.column, len(order)))
    national_id = values.get(h.NATIONAL_ID)
    tax_id = None
    for header, _ in TAX_ID_COLUMNS:  # the first section's tax ID that parsed
        if isinstance(value := values.get(header), str):
            tax_id = value
            break
    cancelled = False
    for header in STATUS_COLUMNS:
        if values.get(header) == h.CANCELLED:
            cancelled = True
            break
    # Positional, in field order (status, findings, values, national_id, tax_id, cancelled,
    # is_blank, changes): once per row.
    return RowResult(
        status_for(findings),
        tuple(findings),
        values,
        national_id if isinstance(national_id, str) else None,
        tax_id,
        cancelled,
        False,
        changes,
    )


class _Context:
    """
    What a cross-field rule sees of the row (a plain class: it is built for every row).
    """

    __slots__ = ("as_of", "changes", "fiscal_year", "given", "region", "tab", "values")

    def __init__(
        self,
        given: Mapping[str, object],
        values: Mapping[str, object],
        tab: _TabRules,
        region: str,
        fiscal_year: int,
        as_of: date | None,
        changes: RowChanges | None,
    ) -> None:
        """
        Keep the row's cells, values and the tab's facts (`tab`: a rule needing a column the
        tab lacks is skipped).
        """
        self.given = given
        self.values = values
        self.tab = tab
        self.region = region
        self.fiscal_year = fiscal_year
        self.as_of = as_of
        self.changes = changes


def _date(ctx: _Context, header: str) -> date | None:
    """
    Return a parsed date value of the row, or None.
    """
    value = ctx.values.get(header)
    return value if isinstance(value, date) else None


def _activity_dates(ctx: _Context) -> list[Finding]:
    """
    Check end ≥ start, duration and fiscal year, naming the column each date came from.
    """
    start = _date(ctx, h.START_DATE)
    if start is None:  # every one of these rules needs the start date
        return []
    given = ctx.given
    in_range = h.START_END_DATES in given
    return list(
        _activity_findings(
            start,
            _date(ctx, h.END_DATE),
            ctx.fiscal_year,
            h.START_END_DATES if in_range and h.START_DATE not in given else h.START_DATE,
            h.START_END_DATES if in_range and h.END_DATE not in given else h.END_DATE,
        )
    )


@lru_cache(maxsize=4096)
def _activity_findings(
    start: date, end: date | None, fiscal_year: int, start_column: str, end_column: str
) -> tuple[Finding, ...]:
    """
    `dates.check_activity_dates`, kept: the participants of one activity share its dates,
    so a tab holds a few hundred distinct ones among thousands of rows.
    """
    return tuple(
        dates.check_activity_dates(
            start, end, fiscal_year, start_column=start_column, end_column=end_column
        )
    )


def _birth_and_age(ctx: _Context) -> list[Finding]:
    """
    Check the birth date and the typed age against it.
    """
    birth = _date(ctx, h.BIRTH_DATE)
    age = ctx.values.get(h.AGE)
    if birth is None and not isinstance(age, int):  # nothing to check
        return []
    return dates.check_birth_and_age(
        birth,
        age if isinstance(age, int) else None,
        _date(ctx, h.START_DATE),
        ctx.as_of,
    )


def _addresses(ctx: _Context) -> list[Finding]:
    """
    Check both address groups (the person's and the enterprise's).
    """
    given = ctx.given
    found = list(_address(given, PERSON_ADDRESS))
    if h.ENTERPRISE_PROVINCE not in given and not given.keys().isdisjoint(_ENTERPRISE_PARTS):
        # Part of the enterprise's address without its province: nothing of it can be checked.
        found.append(error("required_blank", h.ENTERPRISE_PROVINCE, REQUIRED_BLANK))
    found.extend(_address(given, ENTERPRISE_ADDRESS))
    return found


_ENTERPRISE_PARTS = frozenset(
    (h.ENTERPRISE_POSTCODE, h.ENTERPRISE_DISTRICT, h.ENTERPRISE_SUBDISTRICT)
)
"""The enterprise address's parts a province is needed to check."""


def _address(given: Mapping[str, object], group: geography.AddressColumns) -> Sequence[Finding]:
    """One address group's findings (none without a typed province: `check_address`)."""
    return geography.check_address(
        group,
        given.get(group.province),
        given.get(group.district),
        given.get(group.subdistrict),
        given.get(group.postcode),
    )


def _numbers(ctx: _Context) -> list[Finding]:
    """
    Check before/after pairs, waste ≤ production and the satisfaction group.
    """
    given, tab = ctx.given, ctx.tab
    typed = given.keys()
    # A row with every half of the pairs, or none (nearly every row), has none missing; the
    # same for the satisfaction items: the look at each is only for the others.
    whole = typed >= tab.pair_headers or typed.isdisjoint(tab.pair_headers)
    found = numbers.check_pairs(given, ctx.values, () if whole else tab.pairs)
    items = tab.items
    if not (typed >= tab.item_set or typed.isdisjoint(tab.item_set)):
        found.extend(numbers.check_satisfaction([x for x in items if x in given], items))
    found.extend(result_checks.check_results(ctx.changes, ctx.values))
    return found


def _people_and_enterprise(ctx: _Context) -> list[Finding]:
    """
    Check the agency against the region and the enterprise name against the tax ID.
    """
    given = ctx.given
    found = text.check_agency(given.get(h.AGENCY), ctx.region)
    for tax_id, name in ctx.tab.named_sections:
        found.extend(text.check_enterprise_name(tax_id in given, name in given, column=name))
    return found


CROSS_FIELD_RULES: tuple[Callable[[_Context], list[Finding]], ...] = (
    _activity_dates,
    _birth_and_age,
    _addresses,
    _numbers,
    _people_and_enterprise,
)
"""Rules that look at several cells of the row."""
