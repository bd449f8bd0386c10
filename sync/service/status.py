"""
`sheetsync status`: the last run of every spreadsheet, from the run history, at a glance.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rules import headers as h
from sync.core.settings import Config
from sync.run.history import HistoryRow, RunHistory

NEVER = "never run"
STATUS_WORDS = (h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE)
"""The row statuses the table counts, as the report stores them."""


def _duration(row: HistoryRow) -> float | None:
    measured = row.report.get("duration_s")
    if isinstance(measured, int | float):
        return float(measured)
    try:
        started = datetime.fromisoformat(row.started_at)
        finished = datetime.fromisoformat(row.finished_at)
    except ValueError:
        return None
    return (finished - started).total_seconds()


def _rows_by_status(report: dict[str, Any]) -> dict[str, int]:
    totals = {"rows": 0, **dict.fromkeys(STATUS_WORDS, 0)}
    for counts in (report.get("regions") or {}).values():
        for key in totals:
            totals[key] += int(counts.get(key, 0) or 0)
    return totals


def status_entries(
    history: RunHistory | None, config: Config | None = None
) -> list[dict[str, Any]]:
    """
    One entry per spreadsheet: configured ones first (in config order), then others in history.
    """
    rows = history.last_runs(per_spreadsheet=1) if history is not None else []
    last = {row.spreadsheet_id: row for row in rows}
    order = [sheet.id for sheet in config.spreadsheets] if config is not None else []
    order += [sid for sid in sorted(last) if sid not in order]
    labels = {sheet.id: sheet.label for sheet in config.spreadsheets} if config else {}
    entries: list[dict[str, Any]] = []
    for sid in order:
        row = last.get(sid)
        if row is None:
            entries.append({"spreadsheet_id": sid, "label": labels.get(sid, ""), "outcome": NEVER})
            continue
        earlier = history.last_error(sid) if history is not None and not row.error else None
        entries.append(
            {
                "spreadsheet_id": sid,
                "label": row.label or labels.get(sid, ""),
                "outcome": row.outcome,
                "trigger": row.trigger,
                "run_id": row.run_id,
                "started_at": row.started_at,
                "finished_at": row.finished_at,
                "duration_s": _duration(row),
                "rows": _rows_by_status(row.report),
                "requests": {"read": row.reads, "write": row.writes},
                "cells_written": row.cells_written,
                "error": row.error,
                "last_error": (
                    {"at": earlier.finished_at, "error": earlier.error}
                    if earlier is not None
                    else None
                ),
            }
        )
    return entries


def format_duration(seconds: float | None) -> str:
    """`0.42s`, `3.1s`, `74s`, `12m05s`: short runs keep their fraction of a second."""
    if seconds is None:
        return "-"
    if seconds < 10:
        return f"{seconds:.2f}s" if seconds < 1 else f"{seconds:.1f}s"
    if seconds < 600:
        return f"{seconds:.0f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def history_entry(row: HistoryRow) -> dict[str, Any]:
    """One run of `sheetsync history` as data (the `--json` shape)."""
    return {
        "run_id": row.run_id,
        "spreadsheet_id": row.spreadsheet_id,
        "label": row.label,
        "trigger": row.trigger,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "outcome": row.outcome,
        "requests": {"read": row.reads, "write": row.writes},
        "cells_written": row.cells_written,
        "duration_s": _duration(row),
        "rounds": row.report.get("rounds"),
        "dry_run": bool(row.report.get("dry_run")),
        "error": row.error,
    }


def format_history(entries: Sequence[dict[str, Any]]) -> str:
    """A plain-text table of runs, newest first, the error in the last column."""
    header = ["started", "spreadsheet", "trigger", "outcome", "requests", "cells", "duration"]
    header += ["rounds", "error"]
    table = [header]
    for entry in entries:
        requests = entry["requests"]
        table.append(
            [
                str(entry["started_at"]).replace("T", " ")[:19],
                _cut(entry["label"] or entry["spreadsheet_id"], 30),
                entry["trigger"],
                entry["outcome"],
                f"{requests['read']}r+{requests['write']}w",
                f"{entry['cells_written']:,}",
                format_duration(entry["duration_s"]),
                "-" if entry["rounds"] is None else str(entry["rounds"]),
                _cut(entry["error"] or "", 80),
            ]
        )
    numeric = {5, 6, 7}
    widths = [max(_width(line[c]) for line in table) for c in range(len(header))]
    return "\n".join(
        "  ".join(_pad(cell, widths[c], right=c in numeric) for c, cell in enumerate(line)).rstrip()
        for line in table
    )


def _width(text: str) -> int:
    """
    Columns a string takes on a terminal: Thai vowel and tone marks take none.
    """
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _cut(text: str, limit: int) -> str:
    return text if _width(text) <= limit else text[: limit - 1] + "…"


def _earlier(last_error: dict[str, Any] | None) -> str:
    if not last_error:
        return ""
    return f"(last error {str(last_error['at']).replace('T', ' ')[:16]}: {last_error['error']})"


def format_status(entries: Sequence[dict[str, Any]]) -> str:
    """
    A plain-text table, one line per spreadsheet, errors in the last column.
    """
    header = ["spreadsheet", "last run", "trigger", "outcome", "rows", *STATUS_WORDS]
    header += ["requests", "duration", "error"]
    table = [header]
    for entry in entries:
        name = _cut(entry.get("label") or entry["spreadsheet_id"], 40)
        if entry["outcome"] == NEVER:
            table.append([name, "-", "-", NEVER, *[""] * (len(header) - 4)])
            continue
        rows = entry["rows"]
        duration = entry["duration_s"]
        requests = entry["requests"]
        table.append(
            [
                name,
                str(entry["finished_at"]).replace("T", " ")[:19],
                entry["trigger"],
                entry["outcome"],
                f"{rows['rows']:,}",
                *(f"{rows[word]:,}" for word in STATUS_WORDS),
                f"{requests['read']}r+{requests['write']}w",
                format_duration(duration),
                _cut(entry["error"] or _earlier(entry.get("last_error")), 80),
            ]
        )
    numeric = {4, 5, 6, 7, 8}
    widths = [max(_width(line[c]) for line in table) for c in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[c], right=c in numeric) for c, cell in enumerate(line)).rstrip()
        for line in table
    ]
    return "\n".join(lines)
