"""
`sheetsync status`: the last run of every spreadsheet, from the run history, at a glance.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rules import headers as h
from sync.config import Config
from sync.history import HistoryRow, RunHistory

NEVER = "never run"
STATUS_WORDS = (h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE)
"""The row statuses the table counts, as the report stores them."""


def _duration(row: HistoryRow) -> float | None:
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
            }
        )
    return entries


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
                "-" if duration is None else f"{duration:.0f}s",
                _cut(entry["error"] or "", 80),
            ]
        )
    numeric = {4, 5, 6, 7, 8}
    widths = [max(_width(line[c]) for line in table) for c in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[c], right=c in numeric) for c, cell in enumerate(line)).rstrip()
        for line in table
    ]
    return "\n".join(lines)
