"""
Run history in an embedded SQLite file: what every run did, for `status` and `history`, and
what a new process starts from (tab titles, the last unchanged read); the rows last checked
are kept beside it in a file of their own, readable by its owner only.

Run times live here, not in the spreadsheet: a run that changes nothing must write nothing
to the sheet (domain spec §7), yet operators still need to see that it ran.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.run.paths import make_folder
from sync.run.report import RunReport

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    spreadsheet_id TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    trigger TEXT NOT NULL DEFAULT 'manual',
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    error TEXT,
    reads INTEGER NOT NULL,
    writes INTEGER NOT NULL,
    cells_written INTEGER NOT NULL,
    report_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_sheet ON runs (spreadsheet_id, started_at);
CREATE TABLE IF NOT EXISTS title_hints (
    hint_key TEXT PRIMARY KEY,
    spreadsheet_id TEXT NOT NULL,
    titles_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settled_reads (
    hint_key TEXT PRIMARY KEY,
    spreadsheet_id TEXT NOT NULL,
    settled_json TEXT NOT NULL
);
"""

ROWS_SCHEMA = """
CREATE TABLE IF NOT EXISTS kept_rows (
    hint_key TEXT PRIMARY KEY,
    spreadsheet_id TEXT NOT NULL,
    code TEXT NOT NULL,
    rows BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class HistoryRow:
    """One recorded run."""

    run_id: str
    spreadsheet_id: str
    label: str
    trigger: str
    started_at: str
    finished_at: str
    outcome: str
    error: str | None
    reads: int
    writes: int
    cells_written: int
    report: dict[str, Any]


class RunHistory:
    """Append-only log of runs; safe to share between processes (SQLite locking)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows_path = path.with_name(f"{path.stem}.rows{path.suffix}")
        """The rows last checked, kept apart: they hold participants' national IDs."""
        make_folder(path.parent, "service.history", path)
        with self._connect() as db:
            db.executescript(SCHEMA)
            earlier = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kept_rows'"
            ).fetchone()
            if earlier:
                # An earlier version kept the rows here, beside the runs, in a file others may
                # read: they go (the next run checks its rows again, once), and the file is
                # rewritten without them, so no national ID stays in its free pages.
                db.execute("DROP TABLE kept_rows")
        if earlier:
            with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as db:
                db.execute("VACUUM")

    @contextmanager
    def _connect(self, path: Path | None = None) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(path or self.path, timeout=30)) as db, db:
            yield db

    @contextmanager
    def _rows(self) -> Iterator[sqlite3.Connection]:
        """
        The file of kept rows, readable by its owner only (created so, tightened if it was
        not): unlike the runs, it holds personal data (national IDs, tax IDs) of every row.
        """
        _owner_only(self.rows_path)
        with self._connect(self.rows_path) as db:
            db.executescript(ROWS_SCHEMA)
            yield db

    def record(self, report: RunReport, *, label: str = "", trigger: str = "manual") -> None:
        """Store one finished run."""
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    report.run_id,
                    report.spreadsheet_id,
                    label,
                    trigger,
                    report.started_at,
                    report.finished_at,
                    report.outcome,
                    report.error,
                    report.reads,
                    report.writes,
                    report.cells_written,
                    json.dumps(report.to_json(), ensure_ascii=False),
                ),
            )

    def runs(
        self, *, spreadsheet_id: str | None = None, since: str | None = None, limit: int = 1000
    ) -> list[HistoryRow]:
        """Recorded runs, newest first; `since` is an ISO time compared with `started_at`."""
        where, params = [], []
        if spreadsheet_id is not None:
            where.append("spreadsheet_id = ?")
            params.append(spreadsheet_id)
        if since is not None:
            where.append("started_at >= ?")
            params.append(since)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._connect() as db:
            # Only the fixed clauses above are formatted in; every value is a bound parameter.
            rows = db.execute(
                f"SELECT * FROM runs {clause} ORDER BY started_at DESC, rowid DESC LIMIT ?",
                (*params, limit),
            ).fetchall()
        return [_row(row) for row in rows]

    def last_error(self, spreadsheet_id: str) -> HistoryRow | None:
        """The newest run of the spreadsheet that ended with an error, if any."""
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM runs WHERE spreadsheet_id = ? AND error IS NOT NULL "
                "ORDER BY started_at DESC, rowid DESC LIMIT 1",
                (spreadsheet_id,),
            ).fetchone()
        return None if row is None else _row(row)

    def title_hint(self, key: str) -> dict[str, Any] | None:
        """
        The tab titles the last run that found them unusual read (`sync.run.read`), so a new
        process's first read asks for those instead of paying a failed read and a metadata read.
        """
        with self._connect() as db:
            row = db.execute(
                "SELECT titles_json FROM title_hints WHERE hint_key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        value = json.loads(row[0])
        return value if isinstance(value, dict) else None

    def remember_title_hint(
        self, key: str, spreadsheet_id: str, titles: dict[str, Any] | None
    ) -> None:
        """Keep (or, with None, drop) a spreadsheet's title hint for the next process."""
        with self._connect() as db:
            if titles is None:
                db.execute("DELETE FROM title_hints WHERE hint_key = ?", (key,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO title_hints VALUES (?, ?, ?)",
                    (key, spreadsheet_id, json.dumps(titles, ensure_ascii=False)),
                )

    def settled_read(self, key: str) -> str | None:
        """
        The read the last run that found nothing to change planned from (`sync.run.settled`),
        so a new process stops after its one read when the sheet is still the same.
        """
        with self._connect() as db:
            row = db.execute(
                "SELECT settled_json FROM settled_reads WHERE hint_key = ?", (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def remember_settled_read(self, key: str, spreadsheet_id: str, text: str | None) -> None:
        """Keep (or, with None, drop) a spreadsheet's settled read for the next process."""
        with self._connect() as db:
            if text is None:
                db.execute("DELETE FROM settled_reads WHERE hint_key = ?", (key,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO settled_reads VALUES (?, ?, ?)",
                    (key, spreadsheet_id, text),
                )

    def kept_rows(self, key: str, code: str) -> bytes | None:
        """
        The rows the last process that ran this spreadsheet checked (`sync.run.loop`), if that
        process ran the same planning code: a new process then checks only the rows edited
        since, not all of them again.
        """
        if not self.rows_path.exists():
            return None
        with self._rows() as db:
            row = db.execute(
                "SELECT rows FROM kept_rows WHERE hint_key = ? AND code = ?", (key, code)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def remember_kept_rows(self, key: str, spreadsheet_id: str, code: str, rows: bytes) -> None:
        """Keep a spreadsheet's checked rows for the next process (replacing the last ones)."""
        with self._rows() as db:
            db.execute(
                "INSERT OR REPLACE INTO kept_rows VALUES (?, ?, ?, ?)",
                (key, spreadsheet_id, code, rows),
            )

    def forget(self, spreadsheet_id: str) -> int:
        """Delete every run of one spreadsheet (`status --prune`); returns how many."""
        if self.rows_path.exists():
            with self._rows() as db:
                db.execute("DELETE FROM kept_rows WHERE spreadsheet_id = ?", (spreadsheet_id,))
        with self._connect() as db:
            db.execute("DELETE FROM title_hints WHERE spreadsheet_id = ?", (spreadsheet_id,))
            db.execute("DELETE FROM settled_reads WHERE spreadsheet_id = ?", (spreadsheet_id,))
            return db.execute(
                "DELETE FROM runs WHERE spreadsheet_id = ?", (spreadsheet_id,)
            ).rowcount

    def last_runs(self, *, per_spreadsheet: int = 1) -> list[HistoryRow]:
        """The newest runs of every spreadsheet, newest first within each."""
        with self._connect() as db:
            rows = db.execute(
                """
                SELECT * FROM (
                    SELECT *, ROW_NUMBER() OVER (
                        PARTITION BY spreadsheet_id ORDER BY started_at DESC, rowid DESC
                    ) AS n FROM runs
                ) WHERE n <= ? ORDER BY spreadsheet_id, started_at DESC
                """,
                (per_spreadsheet,),
            ).fetchall()
        return [_row(row) for row in rows]


def _owner_only(path: Path) -> None:
    """Create `path` readable and writable by its owner only, or take others' access away."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            path.chmod(0o600)


def _row(row: Sequence[Any]) -> HistoryRow:
    return HistoryRow(
        run_id=row[0],
        spreadsheet_id=row[1],
        label=row[2],
        trigger=row[3],
        started_at=row[4],
        finished_at=row[5],
        outcome=row[6],
        error=row[7],
        reads=row[8],
        writes=row[9],
        cells_written=row[10],
        report=_report(row[11]),
    )


def _report(text: object) -> dict[str, Any]:
    """A run's stored report; one damaged (a disk error, a hand edit) is an empty one, so
    the other runs are still listed (its row's own columns say what happened)."""
    try:
        report = json.loads(text) if isinstance(text, str | bytes) else None
    except ValueError:
        return {}
    return report if isinstance(report, dict) else {}
