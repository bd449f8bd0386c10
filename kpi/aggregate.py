"""
Per-region and whole-spreadsheet figures of the summary tab, from each row's final outcome.

What is counted follows domain spec §6 and §7: a row counts when its status is `ผ่าน` or
`คำเตือน` and it is not cancelled (`ซ้ำ` rows never count); a participant is a national ID; an
enterprise is a tax id, a counted row without one being its own enterprise. Unique counts of
the total are taken over the whole spreadsheet, so an enterprise that appears in two regions
counts once in the total (and once in each region's row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from kpi.formulas import HUNDRED, PRECISION, round_half_up
from kpi.targets import TargetProfile, TargetResult, evaluate_targets
from kpi.types import KpiValue
from rules import headers as h

STATUSES: tuple[str, ...] = (h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE)
"""The final statuses a row can have (domain spec §3.2, สถานะการตรวจสอบ)."""

COUNTED_STATUSES = frozenset({h.STATUS_PASS, h.STATUS_WARN})
"""Statuses of rows that count towards the figures and targets (domain spec §6)."""


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """
    What the summary needs to know about one checked row of a regional tab.

    Attributes:
        region: The regional tab the row is on.
        row: Its sheet row number (1-based, as a person sees it).
        status: Its final status, one of ผ่าน, คำเตือน, ไม่ผ่าน, ซ้ำ.
        cancelled: Whether its สถานะ is ยกเลิก (checked but not counted).
        national_id: The normalised national ID, or None.
        tax_id: The normalised enterprise tax id or registration number, or None.
        kpis: The row's `compute_row` output.
        codes: The finding codes of the row.
    """

    region: str
    row: int
    status: str
    cancelled: bool
    national_id: str | None
    tax_id: str | None
    kpis: Mapping[str, KpiValue]
    codes: tuple[str, ...] = ()

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
class RegionFigures:
    """
    The figures of one region's row of the summary tab, or of its total row.

    Counts cover every row read; the unique counts, averages, shares and the economic value
    cover counted rows only. Averages and shares are percentages rounded half-up to 2 places,
    None when nothing is computable.

    Attributes:
        rows_read: Rows checked (non-blank rows of the tab).
        passed, warned, failed, duplicates: Rows with status ผ่าน, คำเตือน, ไม่ผ่าน, ซ้ำ.
        cancelled: Rows whose สถานะ is ยกเลิก, whatever their check status.
        counted: Rows that count (ผ่าน or คำเตือน, not cancelled).
        unique_participants: Distinct national IDs among counted rows.
        unique_enterprises: Distinct tax ids among counted rows, a row without one counting alone.
        satisfaction_average: Mean ความพึงพอใจ (ร้อยละ) over counted rows that have it.
        satisfied_share: Share of those respondents at the profile's `satisfied_at` or more.
        productivity_share: Share of enterprises with a computable productivity flag whose
            flag is ใช่ on any of their counted rows.
        waste_reduction_average, cost_reduction_average, sales_increase_average: Mean of
            those KPI percentages over counted rows where they are computable.
        economic_value: Sum of มูลค่าทางเศรษฐกิจ (บาท/ปี) over counted rows, None if none has one.
    """

    rows_read: int
    passed: int
    warned: int
    failed: int
    duplicates: int
    cancelled: int
    counted: int
    unique_participants: int
    unique_enterprises: int
    satisfaction_average: Decimal | None
    satisfied_share: Decimal | None
    productivity_share: Decimal | None
    waste_reduction_average: Decimal | None
    cost_reduction_average: Decimal | None
    sales_increase_average: Decimal | None
    economic_value: Decimal | None


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
class Summary:
    """
    Everything the summary tab shows: figures per region in tab order, the total, the targets
    of the profile, and the problems from most to least frequent.
    """

    profile: TargetProfile
    regions: dict[str, RegionFigures]
    total: RegionFigures
    targets: tuple[TargetResult, ...]
    problems: tuple[ProblemCount, ...]


def _context() -> Context:
    """
    Build the arithmetic context explicitly so results never depend on the caller's context.
    """
    return Context(prec=PRECISION, rounding=ROUND_HALF_UP)


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
    with localcontext(_context()):
        return round_half_up(sum(values, Decimal(0)) / len(values))


def _share(hits: int, total: int) -> Decimal | None:
    """
    Return hits ÷ total × 100 rounded half-up to 2 places, or None for an empty total.
    """
    if total == 0:
        return None
    with localcontext(_context()):
        return round_half_up(Decimal(hits) * HUNDRED / total)


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


def _column(outcomes: Iterable[RowOutcome], header: str) -> list[Decimal]:
    """
    Collect the computable values of one numeric KPI column.
    """
    return [value for o in outcomes if (value := _decimal(o.kpis.get(header))) is not None]


def _figures(outcomes: Sequence[RowOutcome], profile: TargetProfile) -> RegionFigures:
    """
    Compute the figures of one scope (a region or the whole spreadsheet).
    """
    statuses = [outcome.status for outcome in outcomes]
    counted = [outcome for outcome in outcomes if outcome.counted]

    # Enterprise productivity: ใช่ on any counted row wins; ไม่ใช่ only makes it computable.
    improved: dict[Hashable, bool] = {}
    for outcome in counted:
        flag = outcome.kpis.get(h.PRODUCTIVITY_FLAG)
        if flag not in (h.YES, h.NO):
            continue
        key = _enterprise_key(outcome)
        improved[key] = improved.get(key, False) or flag == h.YES

    satisfaction = _column(counted, h.SATISFACTION_PCT)
    economic = _column(counted, h.ECONOMIC_VALUE)
    with localcontext(_context()):
        economic_total = round_half_up(sum(economic, Decimal(0))) if economic else None
    return RegionFigures(
        rows_read=len(outcomes),
        passed=statuses.count(h.STATUS_PASS),
        warned=statuses.count(h.STATUS_WARN),
        failed=statuses.count(h.STATUS_FAIL),
        duplicates=statuses.count(h.STATUS_DUPLICATE),
        cancelled=sum(1 for outcome in outcomes if outcome.cancelled),
        counted=len(counted),
        unique_participants=len({_participant_key(outcome) for outcome in counted}),
        unique_enterprises=len({_enterprise_key(outcome) for outcome in counted}),
        satisfaction_average=_mean(satisfaction),
        satisfied_share=_share(
            sum(1 for value in satisfaction if value >= profile.satisfied_at), len(satisfaction)
        ),
        productivity_share=_share(sum(improved.values()), len(improved)),
        waste_reduction_average=_mean(_column(counted, h.WASTE_REDUCTION_PCT)),
        cost_reduction_average=_mean(_column(counted, h.COST_REDUCTION_PCT)),
        sales_increase_average=_mean(_column(counted, h.SALES_INCREASE_PCT)),
        economic_value=economic_total,
    )


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
    outcomes: Sequence[RowOutcome], *, regions: Sequence[str], profile: TargetProfile
) -> Summary:
    """
    Build the summary tab's figures, targets and problem list from every row's outcome.

    Args:
        outcomes: One outcome per checked row, of every regional tab.
        regions: The regional tabs in display order; each gets figures, even with no rows.
        profile: The targets to judge the total against (see `kpi.targets`).
    """
    if len(set(regions)) != len(regions):
        raise ValueError(f"Regions {list(regions)} repeat a name; list each regional tab once.")
    by_region: dict[str, list[RowOutcome]] = {region: [] for region in regions}
    for outcome in outcomes:
        if outcome.region not in by_region:
            raise ValueError(
                f"Row {outcome.row} is from region {outcome.region!r}, which is not in the "
                f"regions given ({', '.join(regions)}); add it to regions."
            )
        by_region[outcome.region].append(outcome)
    total = _figures(outcomes, profile)
    return Summary(
        profile=profile,
        regions={region: _figures(rows, profile) for region, rows in by_region.items()},
        total=total,
        targets=evaluate_targets(total, profile),
        problems=_problems(outcomes, regions),
    )
