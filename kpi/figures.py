"""
The figures of the summary tab as data: a region's (or the total's) row, a group's row, and a
share with its coverage. Plain values shared by the aggregation (`kpi.aggregate`) and the
targets judged on them (`kpi.targets`), so neither needs the other's module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from types import MappingProxyType

from kpi.formulas import HUNDRED, PRECISION, round_half_up
from rules import headers as h


def arithmetic() -> Context:
    """
    Build the arithmetic context explicitly so results never depend on the caller's context.
    """
    return Context(prec=PRECISION, rounding=ROUND_HALF_UP)


def _share(hits: int, total: int) -> Decimal | None:
    """
    Return hits ÷ total × 100 rounded half-up to 2 places, or None for an empty total.
    """
    if total == 0:
        return None
    with localcontext(arithmetic()):
        return round_half_up(Decimal(hits) * HUNDRED / total)


@dataclass(frozen=True, slots=True)
class Share:
    """
    A share taken over a whole base (every counted enterprise or participant), with how much
    of the base had data: 3 improved of 20 enterprises, 4 of them with figures, is 15 %,
    `มีข้อมูล 4/20` (domain spec §6, correction).
    """

    hits: int
    known: int
    base: int

    @property
    def percent(self) -> Decimal | None:
        """hits ÷ base × 100, rounded half-up to 2 places; None for an empty base."""
        return _share(self.hits, self.base)

    def reaches(self, target: Decimal) -> bool:
        """Whether hits ÷ base × 100 is at least `target`, exactly (not the rounded share)."""
        return self.hits * HUNDRED >= target * self.base

    @property
    def sufficient(self) -> bool:
        """Whether at least half the base has data, so the share can judge a target."""
        return self.base > 0 and 2 * self.known >= self.base

    @property
    def coverage(self) -> str:
        """The coverage as the summary shows it beside the share."""
        return f"มีข้อมูล {self.known}/{self.base}"


ECONOMIC_PARTS: Mapping[str, str] = MappingProxyType(
    {
        "waste": h.WASTE_REDUCTION_BAHT,
        "cost": h.COST_REDUCTION_BAHT,
        "sales": h.SALES_INCREASE_BAHT,
        "income": h.INCOME_INCREASE_BAHT,
        "product_value": h.PRODUCT_VALUE_BAHT,
    }
)
"""The yearly baht figures economic value may add up, by the name a profile lists them by."""

FORM_CHECKBOXES: tuple[str, ...] = (
    h.SERVICE_READY,
    h.BUSINESS_MATCHING,
    h.HAS_BUSINESS_PLAN,
    h.STANDARD_READY,
)
"""The Part 2 checkboxes counted per region (domain spec §7)."""


@dataclass(frozen=True, slots=True)
class RegionFigures:
    """
    The figures of one region's row of the summary tab, or of its total row.

    Counts cover every row read; the unique counts, averages, shares and the economic value
    cover counted rows only. Averages are percentages rounded half-up to 2 places, None when
    nothing is computable.

    Attributes:
        rows_read: Rows checked (non-blank rows of the tab).
        passed, warned, failed, duplicates: Rows with status ผ่าน, คำเตือน, ไม่ผ่าน, ซ้ำ.
        cancelled: Rows whose สถานะ is ยกเลิก, whatever their check status.
        counted: Rows that count (ผ่าน or คำเตือน, not cancelled).
        unique_participants: Distinct national IDs among counted rows.
        unique_enterprises: Distinct tax ids among counted rows, a row without one counting alone.
        satisfaction_average: Mean satisfaction % of the participants who answered.
        satisfied: Participants at the profile's `satisfied_at` or more, over all counted
            participants (known: those who answered).
        productivity: Enterprises with ใช่ on any counted row, over all counted enterprises
            (known: those with a computable flag).
        waste_reduction_average, cost_reduction_average, sales_increase_average: Mean of
            those KPI percentages where they are computable, an enterprise's figures once
            however many of its rows repeat them.
        economic_value: Sum of the rows' economic value (the profile's parts of it where the
            row has them, else the value typed), an enterprise's once as above; None if no
            row has one.
        economic_parts: Sum of each yearly baht figure (`ECONOMIC_PARTS`), None where no row has it.
        satisfaction_exact: `satisfaction_average` before rounding, what its target is judged
            by (§4: round only when writing).
        knowledge_gain_average, knowledge_applied_average: Mean of the form's typed knowledge
            percentages over counted rows.
        ticked: Counted rows with each Part 2 checkbox ticked (`FORM_CHECKBOXES`).
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
    satisfied: Share
    productivity: Share
    waste_reduction_average: Decimal | None
    cost_reduction_average: Decimal | None
    sales_increase_average: Decimal | None
    economic_value: Decimal | None
    economic_parts: Mapping[str, Decimal | None] = field(default_factory=dict)
    knowledge_gain_average: Decimal | None = None
    knowledge_applied_average: Decimal | None = None
    ticked: Mapping[str, int] = field(default_factory=dict)
    satisfaction_exact: Decimal | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """
    One group / network's row of the summary (domain spec §6: targets are per group).

    `name` is None for the counted rows that name no group.
    """

    name: str | None
    enterprises: int
    participants: int
    productivity: Share
    satisfied: Share
    economic_value: Decimal | None
