"""
Named types shared by the KPI modules, so signatures say what a value means.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeAlias

from rules import headers as h

KpiValue: TypeAlias = Decimal | str | None
"""One computed KPI cell: a Decimal rounded to 2 places, `ใช่`/`ไม่ใช่`, or None for blank."""

KpiValues: TypeAlias = Mapping[str, KpiValue]
"""The KPI cells of one row, keyed by the worker-block headers of `rules.headers.KPI_HEADERS`."""

Cells: TypeAlias = Mapping[str, object]
"""One row as the Sheets API returns it: raw cell values keyed by Thai input header."""


KPI_PLACES: dict[str, int] = {header: place for place, header in enumerate(h.KPI_HEADERS)}
"""Where each KPI header's value sits in a `KpiCells` tuple."""


class KpiCells(Mapping[str, KpiValue]):
    """
    The KPI cells of one row, keyed by exactly `rules.headers.KPI_HEADERS`: a tuple in that
    order behind a mapping. A run keeps every row's cells until its verify round (and the
    service until its next run): ~190 bytes a row, where a dict of the 14 took ~480.
    """

    __slots__ = ("cells",)

    def __init__(self, cells: tuple[KpiValue, ...]) -> None:
        self.cells = cells
        """The values in `KPI_HEADERS` order."""

    def __getitem__(self, header: str) -> KpiValue:
        return self.cells[KPI_PLACES[header]]

    def get(self, header: str, default: Any = None) -> Any:
        place = KPI_PLACES.get(header)
        return default if place is None else self.cells[place]

    def __iter__(self) -> Iterator[str]:
        return iter(h.KPI_HEADERS)

    def __len__(self) -> int:
        return len(self.cells)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KpiCells):
            return self.cells == other.cells
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # equal to a dict, like a dict

    def __repr__(self) -> str:
        return f"KpiCells({dict(self)!r})"
