"""
What a run did, as data: the CLI's `--json` contract and the run history's row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sync.core.diff import CellChange


@dataclass
class RegionCounts:
    """Rows of one regional tab by status."""

    rows: int = 0
    passed: int = 0
    warned: int = 0
    failed: int = 0
    duplicates: int = 0
    cancelled: int = 0
    counted: int = 0
    skipped: str = ""
    """Why the tab was not read this run (Thai), empty when it was."""

    def to_json(self) -> dict[str, int | str]:
        """Keys as the JSON contract names them (Thai status words)."""
        return {
            "rows": self.rows,
            "ผ่าน": self.passed,
            "คำเตือน": self.warned,
            "ไม่ผ่าน": self.failed,
            "ซ้ำ": self.duplicates,
            "ยกเลิก": self.cancelled,
            "counted": self.counted,
            **({"skipped": self.skipped} if self.skipped else {}),
        }


@dataclass
class RunReport:
    """The outcome of one run over one spreadsheet."""

    run_id: str
    spreadsheet_id: str
    started_at: str
    finished_at: str = ""
    outcome: str = "ok"
    error: str | None = None
    title: str = ""
    reads: int = 0
    writes: int = 0
    cells_written: int = 0
    rounds: int = 0
    setup_performed: bool = False
    dry_run: bool = False
    regions: dict[str, RegionCounts] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    layout_problems: list[str] = field(default_factory=list)
    layout_notes: list[str] = field(default_factory=list)
    planned: Sequence[CellChange] = field(default_factory=list)
    unconverged_cells: int = 0
    duration_s: float | None = None
    """Wall time of the run, measured (the ISO times are to the second)."""

    def fail(self, exc: BaseException) -> RunReport:
        """Mark the run failed by `exc`: the one place a failed run's outcome and reason are set."""
        self.outcome = "failed"
        self.error = f"{type(exc).__name__}: {exc}"
        return self

    @classmethod
    def failed(
        cls, spreadsheet_id: str, exc: BaseException, *, run_id: str = "-", at: str = ""
    ) -> RunReport:
        """The report of a run that failed before it had one of its own (`at`: when)."""
        return cls(
            run_id=run_id, spreadsheet_id=spreadsheet_id, started_at=at, finished_at=at
        ).fail(exc)

    @classmethod
    def of_failure(cls, spreadsheet_id: str, exc: BaseException) -> RunReport:
        """The report a failed run attached to its exception, or a new one; marked failed."""
        report = getattr(exc, "report", None)
        if isinstance(report, RunReport):
            return report.fail(exc)
        return cls.failed(spreadsheet_id, exc)

    def to_json(self) -> dict[str, Any]:
        """The documented `sheetsync run --json` object."""
        return {
            "run_id": self.run_id,
            "spreadsheet_id": self.spreadsheet_id,
            "title": self.title,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "outcome": self.outcome,
            "error": self.error,
            "requests": {"read": self.reads, "write": self.writes},
            "cells_written": self.cells_written,
            "cells_planned": len(self.planned),
            "dry_run": self.dry_run,
            "setup_performed": self.setup_performed,
            "rounds": self.rounds,
            "unconverged_cells": self.unconverged_cells,
            "duration_s": None if self.duration_s is None else round(self.duration_s, 3),
            "layout_problems": list(self.layout_problems),
            "layout_notes": list(self.layout_notes),
            "regions": {name: counts.to_json() for name, counts in self.regions.items()},
            "targets": [
                {k: (float(v) if isinstance(v, Decimal) else v) for k, v in t.items()}
                for t in self.targets
            ],
        }
