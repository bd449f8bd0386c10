"""
Per-region and whole-spreadsheet figures of the summary tab, from each row's final outcome.

What is counted follows domain spec §6 and §7: a row counts when its status is `ผ่าน` or
`คำเตือน` and it is not cancelled (`ซ้ำ` rows never count); a participant is a national ID; an
enterprise is a tax id, a counted row without one being its own enterprise. Unique counts of
the total are taken over the whole spreadsheet, so an enterprise that appears in two regions
counts once in the total (and once in each region's row).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import NamedTuple, cast

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
        group: The group / network the row belongs to (its registration number when the
            form has one, else its name), None when the row names none.
        form_results: The form's own results of the row that the summary counts per region:
            the knowledge percentages (Decimal) and the Part 2 checkboxes (bool).
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
    form_results: Mapping[str, object] = msgspec.field(default_factory=dict)

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
    if not values:
        return None
    with localcontext(arithmetic()):
        return round_half_up(sum(values, Decimal(0)) / len(values))


def _enterprise_key(outcome: RowOutcome) -> Hashable:
    """
    Identify an outcome's enterprise: its tax id, or the row itself when it has none.
    """
    if outcome.tax_id:
        return ("tax_id", outcome.tax_id)
    return ("row", outcome.region, outcome.row)


def _participant_key(outcome: RowOutcome) -> Hashable:
    """
    Identify an outcome's participant: the national ID, or the row itself when it has none.
    """
    if outcome.national_id:
        return ("national_id", outcome.national_id)
    return ("row", outcome.region, outcome.row)


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
        values = _IN_COLUMNS(cast(KpiCells, kpis).cells)
    else:
        values = tuple([kpis.get(x) for x in _COLUMNS])
    columns = tuple([v if v.__class__ is Decimal else None for v in values])
    # The row's economic value: its profile's parts where it has any, else the value it
    # carries (computed by the worker's §3.2 choice, or typed on the form).
    found = [value for index in parts if (value := columns[index]) is not None]
    gain, applied = form.get(h.KNOWLEDGE_GAIN), form.get(h.KNOWLEDGE_APPLIED)
    return _Counted(
        enterprise=_enterprise_key(outcome),
        participant=_participant_key(outcome),
        satisfaction=_decimal(kpis.get(h.SATISFACTION_PCT)),
        productivity=kpis.get(h.PRODUCTIVITY_FLAG),
        economic=sum(found, Decimal(0)) if found else _decimal(kpis.get(h.ECONOMIC_VALUE)),
        columns=columns,
        form=(
            gain if isinstance(gain, Decimal) else None,
            applied if isinstance(applied, Decimal) else None,
        ),
        ticked=tuple([form.get(box) is True for box in FORM_CHECKBOXES]),
    )


def _column(counted: Iterable[_Counted], index: int) -> list[Decimal]:
    """
    Collect the computable values of one numeric KPI column (`_COLUMNS[index]`).
    """
    return [value for row in counted if (value := row.columns[index]) is not None]


def _productivity(counted: Sequence[_Counted]) -> Share:
    """
    Enterprises with productivity ≥ 10 % over all counted enterprises: ใช่ on any counted row
    wins; ไม่ใช่ only makes the enterprise known.
    """
    improved: dict[Hashable, bool] = {}
    enterprises: set[Hashable] = set()
    for row in counted:
        key = row.enterprise
        enterprises.add(key)
        flag = row.productivity
        if flag in (h.YES, h.NO):
            improved[key] = improved.get(key, False) or flag == h.YES
    return Share(sum(improved.values()), len(improved), len(enterprises))


def _satisfaction(
    counted: Sequence[_Counted], profile: TargetProfile
) -> tuple[Share, list[Decimal]]:
    """
    Participants satisfied at the profile's level over all counted participants, and the
    answers (one per participant who answered).
    """
    answers: dict[Hashable, Decimal] = {}
    participants: set[Hashable] = set()
    for row in counted:
        key = row.participant
        participants.add(key)
        value = row.satisfaction
        if value is not None:
            answers.setdefault(key, value)
    values = list(answers.values())
    hits = sum(1 for value in values if value >= profile.satisfied_at)
    return Share(hits, len(values), len(participants)), values


def _sum(values: Sequence[Decimal]) -> Decimal | None:
    """The sum rounded half-up to 2 places, None for no values."""
    if not values:
        return None
    with localcontext(arithmetic()):
        return round_half_up(sum(values, Decimal(0)))


def _form_average(counted: Sequence[_Counted], index: int) -> Decimal | None:
    """The mean of one typed percentage of the form over the rows that have it."""
    return _mean([value for row in counted if (value := row.form[index]) is not None])


def _figures(
    outcomes: Sequence[RowOutcome], counted: Sequence[_Counted], profile: TargetProfile
) -> RegionFigures:
    """
    Compute the figures of one scope (a region or the whole spreadsheet): its rows, and the
    facts of those that count, in the same order.
    """
    statuses = [outcome.status for outcome in outcomes]
    satisfied, answers = _satisfaction(counted, profile)
    economic = [row.economic for row in counted if row.economic is not None]
    first_part = len(_AVERAGED)
    return RegionFigures(
        rows_read=len(outcomes),
        passed=statuses.count(h.STATUS_PASS),
        warned=statuses.count(h.STATUS_WARN),
        failed=statuses.count(h.STATUS_FAIL),
        duplicates=statuses.count(h.STATUS_DUPLICATE),
        cancelled=sum(1 for outcome in outcomes if outcome.cancelled),
        counted=len(counted),
        unique_participants=satisfied.base,
        unique_enterprises=len({row.enterprise for row in counted}),
        satisfaction_average=_mean(answers),
        satisfied=satisfied,
        productivity=_productivity(counted),
        waste_reduction_average=_mean(_column(counted, 0)),
        cost_reduction_average=_mean(_column(counted, 1)),
        sales_increase_average=_mean(_column(counted, 2)),
        economic_value=_sum(economic),
        economic_parts={
            part: _sum(_column(counted, first_part + index))
            for index, part in enumerate(ECONOMIC_PARTS)
        },
        knowledge_gain_average=_form_average(counted, 0),
        knowledge_applied_average=_form_average(counted, 1),
        ticked={
            box: sum(1 for row in counted if row.ticked[index])
            for index, box in enumerate(FORM_CHECKBOXES)
        },
    )


def _groups(
    by_group: Mapping[str | None, Sequence[_Counted]], profile: TargetProfile
) -> tuple[GroupFigures, ...]:
    """
    The figures of each group / network of the counted rows, largest first, then by name;
    the rows that name no group last.
    """
    groups = []
    for name, rows in by_group.items():
        satisfied, _ = _satisfaction(rows, profile)
        economic = [row.economic for row in rows if row.economic is not None]
        groups.append(
            GroupFigures(
                name=name,
                enterprises=len({row.enterprise for row in rows}),
                participants=satisfied.base,
                productivity=_productivity(rows),
                satisfied=satisfied,
                economic_value=_sum(economic),
            )
        )
    groups.sort(key=lambda g: (g.name is None, -g.enterprises, g.name or ""))
    return tuple(groups)


def _problems(outcomes: Sequence[RowOutcome], regions: Sequence[str]) -> tuple[ProblemCount, ...]:
    """
    Count rows per (code, region), most frequent first, then in region order, then by code.
    """
    rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for outcome in outcomes:
        # A code that appears twice in one row (two columns) still marks one row.
        for code in dict.fromkeys(outcome.codes):
            rows[(code, outcome.region)].append(outcome.row)
    order = {region: index for index, region in enumerate(regions)}
    problems = [
        ProblemCount(code=code, region=region, count=len(found), first_row=min(found))
        for (code, region), found in rows.items()
    ]
    problems.sort(key=lambda p: (-p.count, order[p.region], p.code))
    return tuple(problems)


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
    if len(set(regions)) != len(regions):
        raise ValueError(f"Regions {list(regions)} repeat a name; list each regional tab once.")
    skipped = dict(skipped or {})
    by_region: dict[str, list[RowOutcome]] = {r: [] for r in regions if r not in skipped}
    # One pass: each counted row's facts are found once, for the total, its region and group.
    counted: list[_Counted] = []
    counted_in: dict[str, list[_Counted]] = {r: [] for r in by_region}
    by_group: dict[str | None, list[_Counted]] = defaultdict(list)
    place = {part: len(_AVERAGED) + index for index, part in enumerate(ECONOMIC_PARTS)}
    parts = [place[part] for part in profile.economic_value_parts]
    with localcontext(arithmetic()):
        for outcome in outcomes:
            if outcome.region not in by_region:
                raise ValueError(
                    f"Row {outcome.row} is from region {outcome.region!r}, which is not in the "
                    f"regions given ({', '.join(regions)}); add it to regions."
                )
            by_region[outcome.region].append(outcome)
            if outcome.counted:
                facts = _counted(outcome, parts)
                counted.append(facts)
                counted_in[outcome.region].append(facts)
                by_group[outcome.group].append(facts)
    total = _figures(outcomes, counted, profile)
    groups = _groups(by_group, profile)
    return Summary(
        profile=profile,
        regions={
            region: _figures(rows, counted_in[region], profile)
            for region, rows in by_region.items()
        },
        total=total,
        targets=evaluate_targets(total, profile, groups),
        problems=_problems(outcomes, regions),
        groups=groups,
        skipped=skipped,
    )
