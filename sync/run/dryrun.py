"""
What a dry run prints: per tab, rows by status, cells to change by column, then a few changes.

A dry run after typing two cells used to print every planned cell (1,728 lines); an operator
wants to see what would change where, and to read a few examples. `--verbose` prints all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sync.core.cells import column_letter
from sync.core.diff import CellChange
from sync.core.mask import mask_value
from sync.run.report import RunReport

FIRST = 5
"""Changes shown per tab without --verbose."""

COLUMNS = 6
"""Columns named per tab in the summary line (the most changed first)."""

WIDTH = 100
"""A value longer than this is cut (messages and links can run to hundreds of characters)."""


def _column_names(plan: Any) -> dict[tuple[str, int], str]:
    """(tab, column) -> the worker column's key, from the anchors the plan writes through."""
    anchors = getattr(plan, "anchors", None) or {}
    names = {}
    for (tab, col), name in anchors.items():
        # `sheetsync_<sheetId>_<column key>`
        names[(tab, col)] = name.split("_", 2)[-1] if name.count("_") >= 2 else name
    return names


def _setup_steps(plan: Any) -> str:
    steps = Counter(
        next(iter(request), "?") for request in (getattr(plan, "setup_requests", None) or [])
    )
    return ", ".join(f"{kind} ×{count}" for kind, count in steps.most_common())


def _cut(text: str) -> str:
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def format_dry_run(report: RunReport, plan: Any | None, *, verbose: bool = False) -> list[str]:
    """The lines of a dry run's explanation (without the run's one-line outcome)."""
    names = _column_names(plan)
    changes: dict[str, list[CellChange]] = {}
    for change in report.planned:
        changes.setdefault(change.tab, []).append(change)
    lines: list[str] = []
    setup = _setup_steps(plan)
    lines.append(f"set-up: {setup}" if setup else "set-up: none needed")
    tabs: Sequence[str] = [*report.regions, *(t for t in changes if t not in report.regions)]
    for tab in tabs:
        counts = report.regions.get(tab)
        tab_changes = changes.get(tab, [])
        head = f"{tab}:"
        if counts is not None:
            head += (
                f" {counts.rows:,} rows (ผ่าน {counts.passed:,}, คำเตือน {counts.warned:,}, "
                f"ไม่ผ่าน {counts.failed:,}, ซ้ำ {counts.duplicates:,});"
            )
        if not tab_changes:
            lines.append(f"{head} nothing to change")
            continue
        by_column = Counter(
            names.get((tab, c.col), f"column {column_letter(c.col)}") for c in tab_changes
        )
        top = by_column.most_common(COLUMNS)
        columns = ", ".join(f"{name} {count:,}" for name, count in top)
        if len(by_column) > len(top):
            columns += f", {len(by_column) - len(top)} more columns"
        lines.append(f"{head} {len(tab_changes):,} cells to change ({columns})")
        shown = tab_changes if verbose else tab_changes[:FIRST]
        for change in shown:
            lines.append(f"  {change.tab}!{change.a1}: {_cut(mask_value(change.value))}")
        if len(shown) < len(tab_changes):
            lines.append(f"  … {len(tab_changes) - len(shown):,} more (--verbose shows all)")
    return lines
