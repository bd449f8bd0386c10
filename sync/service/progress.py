"""
Phase lines for a long on-demand run at a terminal: someone is watching, so say what happens.

A run is one read, a plan, its writes and one verify read; each phase gets one line, and the
plan gets one line per tab. A write's line is printed when it starts and rewritten in place
(`\r`) when it ends, so the screen shows what is in flight without a second line for it.
Nothing is printed unless the output is a terminal, so pipes, `--json`, cron mails and the
service's logs stay as they were.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from sync.backends.base import (
    Grid,
    SheetsBackend,
    SpreadsheetInfo,
    ValuesRead,
    read_formatted,
    read_values,
)
from sync.core.setup import ANCHOR_PREFIX

if TYPE_CHECKING:
    from sync.core.diff import Request
    from sync.core.round import Plan


class ProgressPrinter:
    """
    Prints one line per phase of a run, with the time since the run started.
    """

    def __init__(self, stream: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self._clock = clock
        self._started = clock()
        self._reads = 0
        self._plans = 0
        self._cells = 0
        self._pending: tuple[str, float] | None = None
        """A phase line left open (no newline yet) and when its phase started."""

    def _stamp(self) -> str:
        return f"[{self._clock() - self._started:5.1f}s]"

    def line(self, text: str) -> None:
        """
        Print one progress line and show it now (below an open phase line, if any).
        """
        if self._pending is not None:
            self.stream.write("\n")
            self._pending = None
        self.stream.write(f"{self._stamp()} {text}\n")
        self.stream.flush()

    def begin(self, text: str) -> None:
        """
        Open a phase line; `end` rewrites it in place with how it ended.
        """
        if self._pending is not None:
            self.stream.write("\n")
        self._pending = (text, self._clock())
        self.stream.write(f"{self._stamp()} {text}")
        self.stream.flush()

    def end(self, outcome: str) -> None:
        """
        Rewrite the open phase line with its outcome and its time (a new line if none is open).
        """
        if self._pending is None:
            self.line(outcome)
            return
        text, began = self._pending
        self._pending = None
        took = self._clock() - began
        self.stream.write(f"\r{self._stamp()} {text} {outcome} ({took:.1f} s)\n")
        self.stream.flush()

    def on_read(self, tabs: int, anchors: int = 0) -> None:
        """
        A values read finished: the first is the run's read, later ones verify a write.

        Column anchors (named ranges) are counted apart: a read of 133 anchors is not 133 tabs.
        """
        parts = [f"{tabs} tabs"] if tabs else []
        if anchors:
            parts.append(f"{anchors:,} column anchors")
        what = " and ".join(parts) or "nothing"
        if not tabs:
            self.line(f"read {what}")
            return
        self._reads += 1
        if self._reads == 1:
            self.line(f"read {what}")
        else:
            self.line(f"verified (read {what} again)")

    def on_plan(self, plan: Plan) -> None:
        """
        The rows were checked: the first time, rows and cells per tab; later, what is left.
        """
        self._plans += 1
        self._cells = len(plan.changes)
        if self._plans > 1:
            left = f"{self._cells:,} cells still to write" if self._cells else "nothing left"
            self.line(f"re-checked after the write: {left}")
            return
        rows = Counter(row.region for row in plan.evaluation.rows)
        cells = Counter(change.tab for change in plan.changes)
        for region, count in rows.items():
            written = cells.pop(region, 0)
            self.line(f"  {region}: checked {count:,} rows, {written:,} cells to write")
        for tab, count in cells.items():
            self.line(f"  {tab}: {count:,} cells to write")
        self.line(
            f"checked {sum(rows.values()):,} rows; "
            + (f"{self._cells:,} cells to write" if self._cells else "nothing to write")
        )

    def on_retry(self, attempt: int, wait: float, error: BaseException) -> None:
        """
        A request failed in a way that can heal: say what and how long the wait is.
        """
        reason = " ".join(str(error).split())[:80]
        self.line(f"waiting {wait:.0f} s before trying again ({reason}; attempt {attempt})")

    def on_write(self, what: str) -> None:
        """
        A write is about to go out: its line stays open until it is answered.
        """
        self.begin(f"writing {what}…")


class ProgressBackend:
    """
    A SheetsBackend that tells a ProgressPrinter about each request it passes on.
    """

    def __init__(self, backend: SheetsBackend, printer: ProgressPrinter) -> None:
        self.backend = backend
        self.printer = printer

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """
        One values:batchGet, then a progress line.
        """
        grids = self.backend.read_ranges(spreadsheet_id, ranges)
        self._read(ranges)
        return grids

    def read_values(self, spreadsheet_id: str, ranges: Sequence[str]) -> ValuesRead:
        """
        The same read with its answer's bytes kept, then a progress line.
        """
        read = read_values(self.backend, spreadsheet_id, ranges)
        self._read(ranges)
        return read

    def read_formatted(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid] | None:
        """
        The cells as people see them (no line of their own: part of the round's read).
        """
        return read_formatted(self.backend, spreadsheet_id, ranges)

    def _read(self, ranges: Sequence[str]) -> None:
        """The line of a read: tabs and column anchors read."""
        anchors = sum(1 for name in ranges if name.startswith(ANCHOR_PREFIX))
        self.printer.on_read(len(ranges) - anchors, anchors)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        """
        One spreadsheets.get, then a progress line.
        """
        info = self.backend.read_info(spreadsheet_id)
        self.printer.line(f"read the layout of {len(info.sheets)} tabs")
        return info

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        """
        A progress line, then one atomic spreadsheets:batchUpdate.
        """
        # One API request carrying many changes: say so, or "154 requests" here and
        # "4 write requests" in the run's summary look like a contradiction.
        self.printer.on_write(
            f"the worker's tabs and set-up (1 request, {len(requests):,} changes)"
        )
        try:
            replies = self.backend.batch_update(spreadsheet_id, requests)
        except BaseException:
            self.printer.end("not confirmed")
            raise
        self.printer.end("written")
        return replies

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        """
        A progress line, then one values:batchUpdate.
        """
        self.printer.on_write(f"regional cells through {len(data):,} column anchors (1 request)")
        try:
            reply = self.backend.write_values(spreadsheet_id, data, input_option=input_option)
        except BaseException:
            self.printer.end("not confirmed")
            raise
        self.printer.end("written")
        return reply


def progress_for(stream: TextIO) -> ProgressPrinter | None:
    """
    A printer when the stream is a terminal, otherwise None (no progress output at all).
    """
    isatty = getattr(stream, "isatty", None)
    return ProgressPrinter(stream) if isatty is not None and isatty() else None
