"""
Per-region and whole-spreadsheet figures of the summary tab, from each row's final outcome.

What is counted follows domain spec §6 and §7: a row counts when its status is `ผ่าน` or
`คำเตือน` and it is not cancelled (`ซ้ำ` rows never count); a participant is a national ID; an
enterprise is a tax id, a counted row without one being its own enterprise. Unique counts of
the total are taken over the whole spreadsheet, so an enterprise that appears in two regions
counts once in the total (and once in each region's row).

The rows are tallied a block at a time (`Tally`: consecutive rows of one tab) and the tallies
merged in row order (`summary_of`), exactly as one pass over the rows would count them: a
service keeps the tallies of blocks whose rows did not change, and a run after a few edits
tallies only the blocks they fall in. `summarise` is one tally per tab.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import NamedTuple, TypeVar, cast

import msgspec

from kpi.figures import (
    ECONOMIC_PARTS,
    FORM_CHECKBOXES,
    GroupFigures,
    RegionFigures,
    Share,
    arithmetic,
)
from kpi.formulas import round_half_up
from kpi.targets import TargetProfile, TargetResult, evaluate_targets
from kpi.types import KpiCells, KpiValue
from rules import headers as h

STATUSES: tuple[str, ...] = (h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE)
"""The final statuses a row can have (domain spec §3.2, สถานะการตรวจสอบ)."""

COUNTED_STATUSES = frozenset({h.STATUS_PASS, h.STATUS_WARN})
"""Statuses of rows that count towards the figures and targets (domain spec §6)."""


class RowOutcome(msgspec.Struct, frozen=True):
    """
    What the summary needs to know about one checked row of a regional tab (a frozen Struct:
    a run makes one a row, built in C ten times faster than a frozen dataclass).

    Attributes:
        region: The regional tab the row is on.
        row: Its sheet row number (1-based, as a person sees it).
        status: Its final status, one of ผ่าน, คำเตือน, ไม่ผ่าน, ซ้ำ.
        cancelled: Whether its สถานะ is ยกเลิก (checked but not counted).
        national_id: The normalised national ID, or None.
        tax_id: The normalised enterprise tax id or registration number, or None.
        kpis: The row's figures (`kpi.evaluate_row(...).figures`: computed, else typed).
        codes: The finding codes of the row.
        group: The name of the group / network the row belongs to, None when it gives none.
        group_number: The group's registration number, when the row gives one: rows that
            share a number or a name (spaces and case aside) are one group, so a group is
            not split when only some of its rows give the number (`_joined_groups`).
        form_results: The form's own results of the row that the summary counts per region:
            the knowledge percentages (Decimal) and the Part 2 checkboxes (bool).
        typed_economic_value: The row's economic value is the one typed on the form (no raw
            figures computed one): the staff's own total, which the summary takes as it is
            rather than adding up the parts typed beside it (waste and cost only, on the form).
    """

    region: str
    row: int
    status: str
    cancelled: bool
    national_id: str | None
    tax_id: str | None
    kpis: Mapping[str, KpiValue]
    codes: tuple[str, ...] = ()
    group: str | None = None
    group_number: str | None = None
    form_results: Mapping[str, object] = msgspec.field(default_factory=dict)
    typed_economic_value: bool = False

    def __post_init__(self) -> None:
        """
        Reject an unknown status early, since it would silently drop the row from every count.
        """
        if self.status not in STATUSES:
            raise ValueError(
                f"Row {self.row} of {self.region!r} has status {self.status!r}; "
                f"expected one of {', '.join(STATUSES)}."
            )

    @property
    def counted(self) -> bool:
        """
        Tell whether the row counts towards the figures: ผ่าน or คำเตือน and not cancelled.
        """
        return self.status in COUNTED_STATUSES and not self.cancelled


@dataclass(frozen=True, slots=True)
class ProblemCount:
    """
    How many rows of one region carry one finding code, and the first of them (for a link).
    """

    code: str
    region: str
    count: int
    first_row: int


@dataclass(frozen=True, slots=True)
class ProblemLine:
    """
    One problem (finding code) across the regions: rows per region and the first of each.
    """

    code: str
    regions: Mapping[str, ProblemCount]

    @property
    def total(self) -> int:
        """Rows with the problem in all regions."""
        return sum(p.count for p in self.regions.values())


@dataclass(frozen=True, slots=True)
class Summary:
    """
    Everything the summary tab shows: figures per region in tab order, the total, the targets
    of the profile, and the problems from most to least frequent.
    """

    profile: TargetProfile
    regions: dict[str, RegionFigures]
    """Figures of the regions read this run, in tab order (skipped ones are left out)."""
    total: RegionFigures
    targets: tuple[TargetResult, ...]
    problems: tuple[ProblemCount, ...]
    groups: tuple[GroupFigures, ...] = ()
    """Per group / network, largest first; the rows naming no group last."""
    skipped: Mapping[str, str] = field(default_factory=dict)
    """Regions not read this run -> why (Thai); the total leaves them out."""

    def problem_lines(self, limit: int = 20, per_region: int = 3) -> tuple[ProblemLine, ...]:
        """
        One line per problem, most rows first: the `limit` most frequent, and every region's
        `per_region` most frequent too, so no region with problems is left out.
        """
        by_code: dict[str, dict[str, ProblemCount]] = {}
        for problem in self.problems:
            by_code.setdefault(problem.code, {})[problem.region] = problem
        lines = [ProblemLine(code, regions) for code, regions in by_code.items()]
        lines.sort(key=lambda line: (-line.total, line.code))
        chosen = {line.code for line in lines[:limit]}
        for region in (*self.regions, *self.skipped):
            own = [p for p in self.problems if p.region == region]  # already most frequent first
            chosen.update(p.code for p in own[:per_region])
        return tuple(line for line in lines if line.code in chosen)


def _decimal(value: KpiValue) -> Decimal | None:
    """
    Return a numeric KPI cell, or None for a blank or text cell.
    """
    return value if isinstance(value, Decimal) else None


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    """
    Return the average rounded half-up to 2 places, or None for no values.
    """
    return round_half_up(_exact_mean(values))


def _exact_mean(values: Sequence[Decimal]) -> Decimal | None:
    """
    Return the average before rounding (what a target is judged by), or None for no values.
    """
    if not values:
        return None
    with localcontext(arithmetic()):
        return sum(values, Decimal(0)) / len(values)


def _enterprise_key(outcome: RowOutcome) -> Hashable:
    """
    Identify an outcome's enterprise: its tax id, or the row itself (region and row, a tuple:
    never equal to an id) when it has none.
    """
    return outcome.tax_id or (outcome.region, outcome.row)


def _participant_key(outcome: RowOutcome) -> Hashable:
    """
    Identify an outcome's participant: the national ID, or the row itself (region and row, a
    tuple: never equal to an ID) when it has none.
    """
    return outcome.national_id or (outcome.region, outcome.row)


class _Counted(NamedTuple):
    """
    What the figures read of one counted row, found once for every scope it counts in (the
    total, its region, its group) instead of once per scope and figure.
    """

    enterprise: Hashable
    participant: Hashable
    satisfaction: Decimal | None
    productivity: object
    """The productivity flag as computed (ใช่ / ไม่ใช่ / blank)."""
    economic: Decimal | None
    """`_row_economic` of the row."""
    columns: tuple[Decimal | None, ...]
    """The numeric KPI cells of `_COLUMNS`, in that order."""
    form: tuple[Decimal | None, Decimal | None]
    """The form's knowledge gain and knowledge applied percentages."""
    ticked: tuple[bool, ...]
    """Each Part 2 checkbox of `FORM_CHECKBOXES`: ticked or not."""


_AVERAGED = (h.WASTE_REDUCTION_PCT, h.COST_REDUCTION_PCT, h.SALES_INCREASE_PCT)
_COLUMNS = (*_AVERAGED, *ECONOMIC_PARTS.values())
"""The numeric KPI columns a scope averages, then sums (in `ECONOMIC_PARTS` order)."""
_IN_COLUMNS = operator.itemgetter(*[h.KPI_HEADERS.index(x) for x in _COLUMNS])
"""`_COLUMNS` out of a `KpiCells` tuple (in `KPI_HEADERS` order)."""


def _counted(outcome: RowOutcome, parts: Sequence[int]) -> _Counted:
    """
    The facts of one counted row; `parts` are the places in `_COLUMNS` of the profile's
    economic value parts. Called under the `arithmetic()` context (it sums the parts).
    """
    kpis = outcome.kpis
    form = outcome.form_results
    if kpis.__class__ is KpiCells:  # a row's cells as computed: their tuple, in one step
        cells = cast(KpiCells, kpis).cells
        values = _IN_COLUMNS(cells)
        satisfaction, productivity, carried = _IN_READ(cells)
    else:
        values = tuple([kpis.get(x) for x in _COLUMNS])
        satisfaction, productivity, carried = [kpis.get(x) for x in _READ]
    columns = tuple([v if v.__class__ is Decimal else None for v in values])
    # The row's economic value: the total typed on the form where no raw figures computed
    # one (the staff's own figure, §3.0), else its profile's parts where it has any, else
    # the value it carries (computed by the worker's §3.2 choice).
    found = (
        []
        if outcome.typed_economic_value
        else [value for index in parts if (value := columns[index]) is not None]
    )
    gain, applied = form.get(h.KNOWLEDGE_GAIN), form.get(h.KNOWLEDGE_APPLIED)
    # Positional, in field order (a keyword call costs more than the tuple, ~12,000 a run).
    return _Counted(
        _enterprise_key(outcome),
        _participant_key(outcome),
        _decimal(satisfaction),
        productivity,
        sum(found, _ZERO) if found else _decimal(carried),
        columns,
        (
            gain if isinstance(gain, Decimal) else None,
            applied if isinstance(applied, Decimal) else None,
        ),
        tuple([form.get(box) is True for box in FORM_CHECKBOXES]),
    )


_READ = (h.SATISFACTION_PCT, h.PRODUCTIVITY_FLAG, h.ECONOMIC_VALUE)
"""The other KPI cells a counted row's facts read: satisfaction, productivity, economic value."""
_IN_READ = operator.itemgetter(*[h.KPI_HEADERS.index(x) for x in _READ])
"""`_READ` out of a `KpiCells` tuple."""


_ECONOMIC = len(_COLUMNS)
"""An enterprise's figures a scope averages or sums: `_COLUMNS`, then the economic value."""
_GAIN, _APPLIED = 0, 1
"""The participants' figures a scope averages: the form's two knowledge percentages."""
_ZERO = Decimal(0)


_UNSEEN = object()
"""Not in a scope's dict yet (None there means seen, with no answer or flag)."""


class _Scope:
    """
    What a scope's figures are made of (a block of rows, a region, the total, a group),
    gathered row by row and merged exactly with the scope of the rows after it: counts add;
    each participant's first satisfaction answer stays the first (merged in row order);
    ใช่ on any row of an enterprise wins; an enterprise's money and change figures count
    once however many of its rows repeat them (§5: an enterprise counts once by its tax id;
    several of its people carry the same enterprise's figures), while rows of it with other
    figures add theirs; IDs unite; the form's knowledge figures (the participants') add under
    `arithmetic()`, the same sum as one pass over the rows whenever no addition rounds at its
    28 digits (figures of up to billions of baht with a few decimals, summed over a sheet,
    never do). Kept by a service between runs (a block's), so each participant and
    enterprise is one entry.
    """

    __slots__ = (
        "cancelled",
        "counted",
        "counts",
        "enterprises",
        "firms",
        "participants",
        "rows",
        "statuses",
        "sums",
        "ticked",
    )

    def __init__(self) -> None:
        self.rows = 0
        self.statuses: dict[str, int] = {}
        self.cancelled = 0
        self.counted = 0
        self.participants: dict[Hashable, Decimal | None] = {}
        """Each counted participant -> their first satisfaction answer (None: none yet)."""
        self.enterprises: dict[Hashable, bool | None] = {}
        """Each counted enterprise -> whether any of its rows says ใช่ (None: no flag)."""
        self.firms: dict[Hashable, dict[tuple[Decimal | None, ...], None]] = {}
        """Each counted enterprise with figures -> the different figures its rows give
        (`_COLUMNS`, then the economic value), in row order."""
        self.sums: list[Decimal] = [_ZERO, _ZERO]
        self.counts: list[int] = [0, 0]
        """The form's knowledge gain and knowledge applied: their sums and counts."""
        self.ticked: list[int] = [0] * len(FORM_CHECKBOXES)

    def _answer(self, participant: Hashable, answer: Decimal | None) -> None:
        known = self.participants.get(participant, _UNSEEN)
        if known is _UNSEEN or (known is None and answer is not None):
            self.participants[participant] = answer

    def _flag(self, enterprise: Hashable, improved: bool | None) -> None:
        known = self.enterprises.get(enterprise, _UNSEEN)
        if known is _UNSEEN or known is None:
            self.enterprises[enterprise] = improved
        elif improved and not known:
            self.enterprises[enterprise] = True

    def _firm(self, enterprise: Hashable, figures: dict[tuple[Decimal | None, ...], None]) -> None:
        self.firms[enterprise] = {**self.firms[enterprise], **figures}  # (repeats once)

    def add(self, rows: Sequence[_Counted]) -> None:
        """
        Count counted rows, in order (under the `arithmetic()` context: it sums). Each summed
        value is added column by column, `sum` from the scope's total: the very additions, in
        the same order, that adding the rows one by one makes, in one call per column.
        """
        self.counted += len(rows)
        answer, flag_of = self._answer, self._flag
        firms = self.firms
        yes, no = h.YES, h.NO
        for row in rows:
            answer(row.participant, row.satisfaction)
            flag = row.productivity
            flag_of(row.enterprise, flag == yes if flag in (yes, no) else None)
            if row.economic is not None or row.columns.count(None) < len(row.columns):
                figures = (*row.columns, row.economic)
                known = firms.get(row.enterprise)
                if known is None:
                    firms[row.enterprise] = {figures: None}
                else:
                    known[figures] = None  # (the same figures again count once)
        sums, counts = self.sums, self.counts
        summed = zip(*[row.form for row in rows], strict=True)
        for index, column in enumerate(summed):
            present = [value for value in column if value is not None]
            if present:
                sums[index] = sum(present, sums[index])
                counts[index] += len(present)
        for index, column in enumerate(zip(*[row.ticked for row in rows], strict=True)):
            self.ticked[index] += sum(column)

    @classmethod
    def merged(cls, scopes: Iterable[_Scope]) -> _Scope:
        """One scope of the rows of `scopes`, in their order (they are left as they are)."""
        total = cls()
        with localcontext(arithmetic()):
            for scope in scopes:
                total.rows += scope.rows
                for status, count in scope.statuses.items():
                    total.statuses[status] = total.statuses.get(status, 0) + count
                total.cancelled += scope.cancelled
                total.counted += scope.counted
                _merge(total.participants, scope.participants, total._answer)
                _merge(total.enterprises, scope.enterprises, total._flag)
                _merge(total.firms, scope.firms, total._firm)
                total.sums = [a + b for a, b in zip(total.sums, scope.sums, strict=True)]
                total.counts = [a + b for a, b in zip(total.counts, scope.counts, strict=True)]
                total.ticked = [a + b for a, b in zip(total.ticked, scope.ticked, strict=True)]
        return total

    def answers(self) -> list[Decimal]:
        """The participants' satisfaction answers (one each, the first they gave)."""
        return [answer for answer in self.participants.values() if answer is not None]

    def satisfied(self, profile: TargetProfile) -> Share:
        """Participants satisfied at the profile's level over all counted participants."""
        answers = self.answers()
        hits = sum(1 for answer in answers if answer >= profile.satisfied_at)
        return Share(hits, len(answers), len(self.participants))

    def productivity(self) -> Share:
        """
        Enterprises with productivity ≥ 10 % over all counted enterprises: ใช่ on any counted
        row wins; ไม่ใช่ only makes the enterprise known.
        """
        flags = [flag for flag in self.enterprises.values() if flag is not None]
        return Share(sum(flags), len(flags), len(self.enterprises))

    def _firm_values(self, index: int) -> list[Decimal]:
        """One figure of the enterprises' different figures, in the order they came."""
        return [
            value
            for figures in self.firms.values()
            for each in figures
            if (value := each[index]) is not None
        ]

    def average(self, index: int) -> Decimal | None:
        """The mean of one enterprise figure over the enterprises with it, rounded half-up to
        2 places; None for no values."""
        return _mean(self._firm_values(index))

    def total(self, index: int) -> Decimal | None:
        """The sum of one enterprise figure, rounded half-up to 2 places; None for no values."""
        values = self._firm_values(index)
        if not values:
            return None
        with localcontext(arithmetic()):
            return round_half_up(sum(values, _ZERO))

    def form_average(self, index: int) -> Decimal | None:
        """The mean of one of the form's knowledge figures over the rows that give it."""
        if not self.counts[index]:
            return None
        with localcontext(arithmetic()):
            return round_half_up(self.sums[index] / self.counts[index])


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _merge(mine: dict[K, V], theirs: Mapping[K, V], one: Callable[[K, V], None]) -> None:
    """
    What `one(key, value)` for each of `theirs` in order makes of `mine` (a merge of the rows
    after `mine`'s): the keys `mine` lacks (nearly all: a participant is mostly on one row)
    are added in one step, and only those both have go through `one`, one by one (each key's
    merge depends on its own values alone, so the order between keys does not matter).
    """
    common = mine.keys() & theirs.keys()
    if not common:
        mine.update(theirs)
        return
    for key in common:
        one(key, theirs[key])
    mine.update({key: value for key, value in theirs.items() if key not in common})


class Tally:
    """
    The rows of one block of a region (consecutive rows of one tab) as the summary counts
    them: their scope, each group's, and the rows with each problem. A service keeps a
    block's tally while its rows' outcomes stay the same, so a run after a few edits tallies
    the blocks they fall in and merges the rest (`summary_of`).
    """

    __slots__ = ("first_row", "groups", "problems", "region", "scope")

    def __init__(self, region: str, outcomes: Iterable[RowOutcome], profile: TargetProfile) -> None:
        self.region = region
        self.scope = scope = _Scope()
        self.groups: dict[tuple[str | None, str | None], _Scope] = {}
        """Each (group, group number) of the rows -> their scope (joined in `_groups`)."""
        self.problems: dict[str, tuple[int, int]] = {}
        """Each finding code of the rows -> how many rows carry it, and the first of them."""
        self.first_row = 0
        """The block's first row (what an error about its tab names)."""
        place = {part: len(_AVERAGED) + index for index, part in enumerate(ECONOMIC_PARTS)}
        parts = [place[part] for part in profile.economic_value_parts]
        statuses = scope.statuses
        counted: list[_Counted] = []
        grouped: dict[tuple[str | None, str | None], list[_Counted]] = {}
        with localcontext(arithmetic()):
            for outcome in outcomes:
                if outcome.region != region:
                    raise ValueError(
                        f"Row {outcome.row} is from region {outcome.region!r}, not {region!r}."
                    )
                if not scope.rows:
                    self.first_row = outcome.row
                scope.rows += 1
                statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
                if outcome.cancelled:
                    scope.cancelled += 1
                # A code that appears twice in one row (two columns) still marks one row.
                for code in dict.fromkeys(outcome.codes):
                    count, first = self.problems.get(code, (0, outcome.row))
                    self.problems[code] = (count + 1, min(first, outcome.row))
                if outcome.counted:
                    facts = _counted(outcome, parts)
                    counted.append(facts)
                    key = (outcome.group, outcome.group_number)
                    group = grouped.get(key)
                    if group is None:
                        group = grouped[key] = []
                    group.append(facts)
            # The block's rows added per scope at once (groups in the order first met).
            scope.add(counted)
            for name, rows in grouped.items():
                self.groups[name] = _Scope()
                self.groups[name].add(rows)


def _figures(scope: _Scope, profile: TargetProfile) -> RegionFigures:
    """Compute the figures of one scope (a region or the whole spreadsheet)."""
    satisfied = scope.satisfied(profile)
    satisfaction = _exact_mean(scope.answers())
    statuses = scope.statuses
    first_part = len(_AVERAGED)
    return RegionFigures(
        rows_read=scope.rows,
        passed=statuses.get(h.STATUS_PASS, 0),
        warned=statuses.get(h.STATUS_WARN, 0),
        failed=statuses.get(h.STATUS_FAIL, 0),
        duplicates=statuses.get(h.STATUS_DUPLICATE, 0),
        cancelled=scope.cancelled,
        counted=scope.counted,
        unique_participants=satisfied.base,
        unique_enterprises=len(scope.enterprises),
        satisfaction_average=round_half_up(satisfaction),
        satisfied=satisfied,
        productivity=scope.productivity(),
        waste_reduction_average=scope.average(0),
        cost_reduction_average=scope.average(1),
        sales_increase_average=scope.average(2),
        economic_value=scope.total(_ECONOMIC),
        economic_parts={
            part: scope.total(first_part + index) for index, part in enumerate(ECONOMIC_PARTS)
        },
        knowledge_gain_average=scope.form_average(_GAIN),
        knowledge_applied_average=scope.form_average(_APPLIED),
        ticked={box: scope.ticked[index] for index, box in enumerate(FORM_CHECKBOXES)},
        satisfaction_exact=satisfaction,
    )


def _groups(tallies: Sequence[Tally], profile: TargetProfile) -> tuple[GroupFigures, ...]:
    """
    The figures of each group / network of the counted rows, largest first, then by name;
    the rows that name no group last.
    """
    by_key: dict[tuple[str | None, str | None], list[_Scope]] = {}
    for each in tallies:
        for key, scope in each.groups.items():
            by_key.setdefault(key, []).append(scope)
    groups = []
    for name, keys in _joined_groups(by_key).items():
        scope = _Scope.merged(scope for key in keys for scope in by_key[key])
        satisfied = scope.satisfied(profile)
        groups.append(
            GroupFigures(
                name=name,
                enterprises=len(scope.enterprises),
                participants=satisfied.base,
                productivity=scope.productivity(),
                satisfied=satisfied,
                economic_value=scope.total(_ECONOMIC),
            )
        )
    groups.sort(key=lambda g: (g.name is None, -g.enterprises, g.name or ""))
    return tuple(groups)


def _name_key(name: str) -> str:
    """What two group names are compared by: spaces and case aside (`กลุ่ม สมุนไพร`)."""
    return "".join(name.split()).casefold()


def _joined_groups(
    by_key: Mapping[tuple[str | None, str | None], Sequence[_Scope]],
) -> dict[str | None, list[tuple[str | None, str | None]]]:
    """
    The (group, group number) keys of the rows joined into groups: keys that share a name or
    a registration number are one group, named by the name its rows give most (then the
    first in order), or by its number when none gives a name; None holds the rows naming none.
    """
    parent: dict[str, str] = {}

    def root(token: str) -> str:
        while parent.setdefault(token, token) != token:
            parent[token] = parent[parent[token]]
            token = parent[token]
        return token

    tokens: dict[tuple[str | None, str | None], list[str]] = {}
    for key in by_key:
        name, number = key
        own = [f"#{number}"] if number else []
        if name:
            own.append(f"={_name_key(name)}")
        tokens[key] = own
        for token in own[1:]:
            parent[root(token)] = root(own[0])
    members: dict[str | None, list[tuple[str | None, str | None]]] = {}
    for key, own in tokens.items():
        members.setdefault(root(own[0]) if own else None, []).append(key)
    joined: dict[str | None, list[tuple[str | None, str | None]]] = {}
    for head, keys in members.items():
        if head is None:
            joined[None] = keys
            continue
        named: dict[str, int] = {}
        for given, number in keys:
            if given:
                counted = sum(scope.counted for scope in by_key[(given, number)])
                named[given] = named.get(given, 0) + counted
        label = min(named, key=lambda n: (-named[n], n)) if named else min(str(k[1]) for k in keys)
        joined.setdefault(label, []).extend(keys)
    return joined


def _problems(tallies: Sequence[Tally], regions: Sequence[str]) -> tuple[ProblemCount, ...]:
    """
    Count rows per (code, region), most frequent first, then in region order, then by code.
    """
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for each in tallies:
        for code, (count, first) in each.problems.items():
            before = found.get((code, each.region))
            if before is not None:
                count, first = before[0] + count, min(before[1], first)
            found[(code, each.region)] = (count, first)
    order = {region: index for index, region in enumerate(regions)}
    problems = [
        ProblemCount(code=code, region=region, count=count, first_row=first)
        for (code, region), (count, first) in found.items()
    ]
    problems.sort(key=lambda p: (-p.count, order[p.region], p.code))
    return tuple(problems)


def summary_of(
    tallies: Sequence[Tally],
    *,
    regions: Sequence[str],
    profile: TargetProfile,
    skipped: Mapping[str, str] | None = None,
) -> Summary:
    """
    The summary of the rows of `tallies`, given in row order (tab, then row): `summarise`,
    from blocks of rows tallied once each (a block whose rows did not change keeps its tally).
    """
    if len(set(regions)) != len(regions):
        raise ValueError(f"Regions {list(regions)} repeat a name; list each regional tab once.")
    skipped = dict(skipped or {})
    by_region: dict[str, list[_Scope]] = {r: [] for r in regions if r not in skipped}
    for each in tallies:
        if each.region not in by_region:
            raise ValueError(
                f"Row {each.first_row} is from region {each.region!r}, which is not in the "
                f"regions given ({', '.join(regions)}); add it to regions."
            )
        by_region[each.region].append(each.scope)
    total = _figures(_Scope.merged(each.scope for each in tallies), profile)
    groups = _groups(tallies, profile)
    return Summary(
        profile=profile,
        regions={
            region: _figures(_Scope.merged(scopes), profile) for region, scopes in by_region.items()
        },
        total=total,
        targets=evaluate_targets(total, profile, groups),
        problems=_problems(tallies, regions),
        groups=groups,
        skipped=skipped,
    )


def summarise(
    outcomes: Sequence[RowOutcome],
    *,
    regions: Sequence[str],
    profile: TargetProfile,
    skipped: Mapping[str, str] | None = None,
) -> Summary:
    """
    Build the summary tab's figures, targets, groups and problem list from every row's outcome.

    Args:
        outcomes: One outcome per checked row, of every regional tab.
        regions: The regional tabs in display order; each gets figures, even with no rows.
        profile: The targets to judge the total against (see `kpi.targets`).
        skipped: Regions whose tab could not be read this run -> why (Thai): they get no
            figures (never zeros) and the total leaves them out.
    """
    tallies = [
        Tally(region, rows, profile)
        for region, rows in itertools.groupby(outcomes, key=operator.attrgetter("region"))
    ]
    return summary_of(tallies, regions=regions, profile=profile, skipped=skipped)
