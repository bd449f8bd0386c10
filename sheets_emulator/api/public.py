"""
Stored JSON as Google outputs it: every answer that echoes a stored object passes through here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["public"]

_RANGE_KEYS = frozenset(
    {
        "startRowIndex",
        "endRowIndex",
        "startColumnIndex",
        "endColumnIndex",
        "dimension",
        "rowIndex",
        "columnIndex",
    }
)
_COLOR_KEYS = frozenset({"red", "green", "blue", "alpha"})


def _quantise(component: float) -> float | int:
    # Colours come back quantised to 8 bits (0.5 -> 0.49803922), as recorded from the real API.
    if component in (0, 1):
        return int(component)
    return float(f"{int(component * 255 + 1e-9) / 255:.8g}")


_SCALARS = frozenset({str, int, float, bool})


def public(value: Any) -> Any:
    """
    Render stored JSON as Google outputs it: no sheetId 0 in ranges, zero colour components dropped.

    Every reply of a batch passes through here, so scalars are kept without a call, key sets
    are compared through the dict's key view instead of building sets, and dicts are copied
    by a plain loop (a comprehension is a function call of its own).
    """
    if isinstance(value, list):
        return [v if type(v) in _SCALARS else public(v) for v in value]
    if not isinstance(value, dict):
        return value
    keys = value.keys()
    if value and keys <= _COLOR_KEYS and all(isinstance(v, (int, float)) for v in value.values()):
        return {k: _quantise(v) for k, v in value.items() if v}
    out = {}
    for k, v in value.items():
        if v is not None:
            out[k] = v if type(v) in _SCALARS else public(v)
    if out.get("sheetId") == 0 and (not _RANGE_KEYS.isdisjoint(keys) or keys == {"sheetId"}):
        del out["sheetId"]
    return out
