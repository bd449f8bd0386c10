"""
The `ซิงก์ทันที` checkbox: a person asks for a run from the sheet itself, with no inbound network.

The service cannot be called from the sheet, so it looks: one tiny values:batchGet of
`'สรุปอัตโนมัติ'!E1` per spreadsheet. A run reads E1 anyway (and unticks a ticked box), so a
run counts as a look and the next poll of that spreadsheet waits. Each spreadsheet is looked
at again once its last look is `gap_s - tick_s` old, on a poll every `tick_s`, so no two looks
are more than `gap_s` apart while the read quota has room: a ticked box is seen within
`gap_s`, and a run answers it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable

from rules import headers as h
from sync.backends.base import SheetsBackend, quote_title
from sync.core.cells import column_letter
from sync.core.summary import SYNC_NOW_CELL

TICK_SECONDS = 5.0
"""How often the poll wakes up to see which spreadsheets are due for a look."""
GAP_SECONDS = 50.0
"""Longest time between two looks at one spreadsheet: a ticked box waits at most this long."""
POLL_SHARE = 0.6
"""Share of the read quota the looks may use when there are many spreadsheets."""


def sync_now_range(summary_tab: str = h.SUMMARY_TAB) -> str:
    """
    The A1 range of the checkbox, e.g. `'สรุปอัตโนมัติ'!E1`.
    """
    row, col = SYNC_NOW_CELL
    return f"{quote_title(summary_tab)}!{column_letter(col)}{row}"


def is_ticked(backend: SheetsBackend, spreadsheet_id: str, summary_tab: str) -> bool:
    """
    Read the checkbox (one request) and say whether someone ticked it.
    """
    grid = backend.read_ranges(spreadsheet_id, [sync_now_range(summary_tab)])[0]
    value = grid[0][0] if grid and grid[0] else None
    return value is True or (isinstance(value, str) and value.strip().upper() == "TRUE")


def gap_for(spreadsheets: int, reads_per_minute: int) -> float:
    """
    The gap between looks: a minute, or longer when looks would eat the read quota.
    """
    paced = 60.0 * spreadsheets / (POLL_SHARE * reads_per_minute)
    return max(GAP_SECONDS, paced)


class CheckboxWatcher:
    """
    Remembers when each spreadsheet's E1 was last looked at, and which are due for a look.

    Args:
        ids: the spreadsheets to watch; none has been looked at yet, so all are due at once.
        gap_s: longest time between two looks.
        tick_s: how often `due` is asked.
        clock: monotonic seconds (injectable for tests and simulations).
    """

    def __init__(
        self,
        ids: Iterable[str],
        *,
        gap_s: float = GAP_SECONDS,
        tick_s: float = TICK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if tick_s >= gap_s:
            raise ValueError("the poll must wake up more often than the gap between looks")
        self.gap_s = gap_s
        self.tick_s = tick_s
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, float] = {sid: -math.inf for sid in ids}

    def note_look(self, spreadsheet_id: str, at: float | None = None) -> None:
        """
        E1 of this spreadsheet was read (by a poll, or by a run that is about to read it).
        """
        moment = self._clock() if at is None else at
        with self._lock:
            self._last[spreadsheet_id] = max(self._last.get(spreadsheet_id, -math.inf), moment)

    def last_look(self, spreadsheet_id: str) -> float:
        """
        When E1 was last read (-inf: never).
        """
        with self._lock:
            return self._last.get(spreadsheet_id, -math.inf)

    def due(self) -> list[str]:
        """
        Spreadsheets whose last look is old enough that the next tick would be too late.
        """
        limit = self._clock() - (self.gap_s - self.tick_s)
        with self._lock:
            waiting = [(last, sid) for sid, last in self._last.items() if last <= limit]
        return [sid for _, sid in sorted(waiting)]
