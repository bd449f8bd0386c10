"""
The worker's memory of a spreadsheet, kept in the spreadsheet itself (last row of the summary).

Holding tab ids and the setup fingerprint there lets a steady-state run write without a
metadata read, on any machine, with no local cache to go stale. When the record is
missing or does not match, the run falls back to one metadata read and re-checks the setup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

META_VERSION = 1


@dataclass(frozen=True)
class SheetMeta:
    """Tab titles and ids (by the configured region name) and the setup fingerprint."""

    sheet_ids: Mapping[str, int] = field(default_factory=dict)
    """Actual tab title -> sheetId, for every tab the worker writes or links to."""
    regions: Mapping[str, str] = field(default_factory=dict)
    """Configured region name -> actual tab title (titles are matched after normalisation)."""
    grid: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Worker tab title -> (rowCount, columnCount) the last time the worker sized it."""
    setup: str = ""
    """Fingerprint of the installed worker blocks, rules and chart."""
    stray: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Regional tab title -> worker header -> column, for worker columns people dragged out
    from under the block's label (found by their anchors; a hint the next read checks)."""

    def to_json(self) -> str:
        """Compact JSON for one cell."""
        return json.dumps(
            {
                "v": META_VERSION,
                "sheet_ids": dict(self.sheet_ids),
                "regions": dict(self.regions),
                "grid": {k: list(v) for k, v in self.grid.items()},
                "setup": self.setup,
                **({"stray": {k: dict(v) for k, v in self.stray.items()}} if self.stray else {}),
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: object) -> SheetMeta | None:
        """The record, or None when it is absent, from another version, or damaged."""
        if not isinstance(text, str) or not text:
            return None
        try:
            data: Any = json.loads(text)
            if data.get("v") != META_VERSION:
                return None
            return cls(
                sheet_ids={str(k): int(v) for k, v in data["sheet_ids"].items()},
                regions={str(k): str(v) for k, v in data["regions"].items()},
                grid={str(k): (int(v[0]), int(v[1])) for k, v in data["grid"].items()},
                setup=str(data["setup"]),
                stray={
                    str(k): {str(x): int(c) for x, c in v.items()}
                    for k, v in data.get("stray", {}).items()
                },
            )
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None
