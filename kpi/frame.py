"""
A pandas view of row outcomes, for analysts exploring a spreadsheet's results in a notebook.

Pandas is imported only when a frame is asked for, so the worker does not pay for it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from kpi.aggregate import RowOutcome
from rules import headers as h

if TYPE_CHECKING:
    import pandas as pd

_NUMERIC_KPIS: tuple[str, ...] = tuple(
    header for header in h.KPI_HEADERS if header != h.PRODUCTIVITY_FLAG
)


def _pseudonyms(keys: Sequence[Hashable | None], prefix: str) -> list[str | None]:
    """
    Replace each distinct key by `prefix` and its order of first appearance, keeping None.
    """
    numbers: dict[Hashable, int] = {}
    named: list[str | None] = []
    for key in keys:
        if key is None:
            named.append(None)
            continue
        number = numbers.setdefault(key, len(numbers) + 1)
        named.append(f"{prefix}{number}")
    return named


def to_frame(outcomes: Sequence[RowOutcome], *, personal_data: bool = False) -> pd.DataFrame:
    """
    Return one DataFrame row per outcome: its place, status, counted flag, codes and KPIs.

    KPI percentages and baht are float columns (NaN for blank) so they aggregate directly; the
    productivity flag stays text. National IDs and tax ids (a sole trader's tax id is their
    national ID) are personal data under the Personal Data Protection Act B.E. 2562, so by
    default they are replaced by pseudonyms `P1`, `P2`… and `E1`, `E2`… that still group and
    count correctly; pass `personal_data=True` to add the raw `national_id` and `tax_id` columns.
    """
    import pandas as pd

    data: dict[str, list[object]] = {
        "region": [o.region for o in outcomes],
        "row": [o.row for o in outcomes],
        "status": [o.status for o in outcomes],
        "cancelled": [o.cancelled for o in outcomes],
        "counted": [o.counted for o in outcomes],
        "participant": list(_pseudonyms([o.national_id or None for o in outcomes], "P")),
        "enterprise": list(_pseudonyms([o.tax_id or None for o in outcomes], "E")),
        "codes": [list(o.codes) for o in outcomes],
    }
    if personal_data:
        data["national_id"] = [o.national_id for o in outcomes]
        data["tax_id"] = [o.tax_id for o in outcomes]
    frame = pd.DataFrame(data)
    for header in _NUMERIC_KPIS:
        values = [o.kpis.get(header) for o in outcomes]
        frame[header] = pd.Series(
            [float(v) if isinstance(v, Decimal) else float("nan") for v in values],
            dtype="float64",
        )
    frame[h.PRODUCTIVITY_FLAG] = pd.Series(
        [o.kpis.get(h.PRODUCTIVITY_FLAG) for o in outcomes], dtype="object"
    )
    return frame
