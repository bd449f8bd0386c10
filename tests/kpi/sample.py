"""
Builders for hand-made row outcomes, and a small spreadsheet whose figures are worked by hand.
"""

from __future__ import annotations

from decimal import Decimal

from kpi import RowOutcome
from kpi.types import KpiValue
from rules import headers as h

REGIONS: tuple[str, ...] = ("ศก.1", "ศก.2", "ศก.3")


def kpis(
    *,
    waste: str | None = None,
    cost: str | None = None,
    sales: str | None = None,
    satisfaction: str | None = None,
    economic: str | None = None,
    flag: str | None = None,
) -> dict[str, KpiValue]:
    """Build a compute_row-shaped mapping with only the cells a test cares about."""
    values: dict[str, KpiValue] = dict.fromkeys(h.KPI_HEADERS)
    for header, text in (
        (h.WASTE_REDUCTION_PCT, waste),
        (h.COST_REDUCTION_PCT, cost),
        (h.SALES_INCREASE_PCT, sales),
        (h.SATISFACTION_PCT, satisfaction),
        (h.ECONOMIC_VALUE, economic),
    ):
        values[header] = None if text is None else Decimal(text)
    values[h.PRODUCTIVITY_FLAG] = flag
    return values


def outcome(
    region: str,
    row: int,
    status: str,
    national_id: str | None,
    tax_id: str | None,
    values: dict[str, KpiValue],
    codes: tuple[str, ...] = (),
    *,
    cancelled: bool = False,
) -> RowOutcome:
    """Build one RowOutcome positionally, so the table below reads as a sheet."""
    return RowOutcome(
        region=region,
        row=row,
        status=status,
        cancelled=cancelled,
        national_id=national_id,
        tax_id=tax_id,
        kpis=values,
        codes=codes,
    )


def sample_outcomes() -> list[RowOutcome]:
    """Nine rows in two regions (ศก.3 has none); see test_aggregate for the worked figures."""
    pass_, warn, fail, dup = h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE
    return [
        # ศก.1: two counted rows of enterprise T1; a failed, a duplicate and a cancelled row.
        outcome(
            "ศก.1",
            4,
            pass_,
            "A",
            "T1",
            kpis(waste="60", satisfaction="100", economic="1000", flag=h.YES),
        ),
        outcome(
            "ศก.1",
            5,
            warn,
            "B",
            "T1",
            kpis(cost="5", satisfaction="80", economic="500", flag=h.NO),
            ("name_no_space",),
        ),
        outcome(
            "ศก.1",
            6,
            fail,
            "C",
            "T2",
            kpis(satisfaction="100", flag=h.YES),
            ("pin_checksum", "mobile_invalid"),
        ),
        outcome("ศก.1", 7, dup, "A", "T1", kpis(flag=h.YES), ("name_no_space",)),
        outcome("ศก.1", 8, pass_, "D", "T3", kpis(satisfaction="100", flag=h.YES), cancelled=True),
        # ศก.2: T1 again (another region), a row without tax id, T4 and T5; listed out of order.
        outcome(
            "ศก.2",
            6,
            warn,
            "G",
            "T4",
            kpis(waste="-10", satisfaction="91.11", economic="-300", flag=h.NO),
            ("name_no_space", "name_no_space"),
        ),
        outcome(
            "ศก.2",
            4,
            pass_,
            "E",
            "T1",
            kpis(sales="20", satisfaction="60", economic="2000", flag=h.YES),
        ),
        outcome("ศก.2", 5, warn, "F", None, kpis(), ("name_no_space",)),
        outcome("ศก.2", 7, pass_, "H", "T5", kpis(flag=h.YES)),
    ]
