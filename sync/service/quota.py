"""
One request budget per service account, shared by every spreadsheet the service syncs.

Google counts read and write requests per minute per user (60 + 60 by default,
https://developers.google.com/sheets/api/limits) and answers 429 past them. Retrying after a
429 works, but 30 spreadsheets starting together would retry together: a 429 storm. So every
request, a retry too, goes through a `RateLimiter` first and waits for a free slot instead.

The limiter is a sliding-window log: a slot is taken when a call starts and is held until 60
seconds after the call *finished*. Google counts a request when it arrives, which is between
the two, so the window seen by Google never holds more requests than the limit, however long
the network or the service takes to answer.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Literal

from sync.backends.base import (
    Grid,
    SheetsBackend,
    SpreadsheetInfo,
    ValuesRead,
    innermost,
    read_formatted,
    read_values,
)

if TYPE_CHECKING:
    from sync.core.diff import Request

Side = Literal["read", "write"]
"""Which quota a request counts against."""

WINDOW_SECONDS = 60.0


class RateLimiter:
    """
    Sliding-window limits on read and write requests, safe to share between threads.

    Args:
        reads_per_minute: read requests allowed in any window.
        writes_per_minute: write requests allowed in any window.
        window_s: the window's length (Google's quotas are per minute).
        clock: monotonic seconds; injectable so tests and benchmarks can simulate time.
        sleep: waits that many seconds; a simulated clock's sleep advances that clock.
    """

    def __init__(
        self,
        reads_per_minute: int,
        writes_per_minute: int,
        *,
        window_s: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if reads_per_minute < 1 or writes_per_minute < 1:
            raise ValueError("limits must be at least 1 request per window")
        self.limits: dict[Side, int] = {"read": reads_per_minute, "write": writes_per_minute}
        self.window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._done: dict[Side, deque[float]] = {"read": deque(), "write": deque()}
        self._in_flight: dict[Side, int] = {"read": 0, "write": 0}
        self.waited_s = 0.0
        """
        Total time calls spent waiting for a slot (a figure for logs and benchmarks).
        """

    def _wait_for(self, side: Side, now: float) -> float:
        done = self._done[side]
        while done and done[0] <= now - self.window_s:
            done.popleft()
        if len(done) + self._in_flight[side] < self.limits[side]:
            return 0.0
        if not done:
            # Every slot is held by a call still running: look again shortly.
            return 0.05
        return max(done[0] + self.window_s - now, 0.001)

    def acquire(self, side: Side) -> None:
        """
        Block until a request of this side may start, and take its slot.
        """
        while True:
            with self._lock:
                wait = self._wait_for(side, self._clock())
                if wait == 0.0:
                    self._in_flight[side] += 1
                    return
            self.waited_s += wait
            self._sleep(wait)

    def release(self, side: Side) -> None:
        """
        The call that took a slot has finished: its slot frees one window from now.
        """
        with self._lock:
            self._in_flight[side] -= 1
            self._done[side].append(self._clock())

    @contextmanager
    def slot(self, side: Side) -> Iterator[None]:
        """
        Hold one slot of this side around a call.
        """
        self.acquire(side)
        try:
            yield
        finally:
            self.release(side)

    def has_room(self, side: Side, *, spare: int = 0) -> bool:
        """
        Whether a request could start now without waiting, leaving `spare` slots for others.
        """
        with self._lock:
            self._wait_for(side, self._clock())
            used = len(self._done[side]) + self._in_flight[side]
            return used + spare < self.limits[side]

    def in_window(self, side: Side) -> int:
        """
        Requests of this side counted in the current window, running ones included.
        """
        with self._lock:
            self._wait_for(side, self._clock())
            return len(self._done[side]) + self._in_flight[side]


class ThrottledBackend:
    """
    A SheetsBackend that waits for the shared limiter before every request it passes on.

    A backend that retries by itself (`GspreadBackend`) is given the limiter as its
    `attempt_gate`, so each request it sends takes a slot, retries included: Google counts
    every one, and a retry that took none would meet the 429s the limiter is there to avoid.
    Any other backend sends one request per call, and the call takes the slot here.
    """

    def __init__(self, backend: SheetsBackend, limiter: RateLimiter) -> None:
        self.backend = backend
        self.limiter = limiter
        sender = innermost(backend)
        self._gated = hasattr(sender, "attempt_gate")
        """The backend takes a slot per request itself: calls are passed straight on."""
        if self._gated:
            sender.attempt_gate = limiter.slot  # type: ignore[attr-defined]

    def _slot(self, side: Side) -> AbstractContextManager[None]:
        """The slot a call takes here: none when the backend takes one per request."""
        return nullcontext() if self._gated else self.limiter.slot(side)

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        """
        One values:batchGet, once a read slot is free.
        """
        with self._slot("read"):
            return self.backend.read_ranges(spreadsheet_id, ranges)

    def read_values(self, spreadsheet_id: str, ranges: Sequence[str]) -> ValuesRead:
        """
        The same read with its answer's bytes kept, once a read slot is free.
        """
        with self._slot("read"):
            return read_values(self.backend, spreadsheet_id, ranges)

    def read_formatted(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid] | None:
        """
        The cells as people see them (a values:batchGet), once a read slot is free.
        """
        with self._slot("read"):
            return read_formatted(self.backend, spreadsheet_id, ranges)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        """
        One spreadsheets.get, once a read slot is free.
        """
        with self._slot("read"):
            return self.backend.read_info(spreadsheet_id)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Request]
    ) -> list[Mapping[str, Any]]:
        """
        One atomic spreadsheets:batchUpdate, once a write slot is free.
        """
        with self._slot("write"):
            return self.backend.batch_update(spreadsheet_id, requests)

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        """
        One values:batchUpdate, once a write slot is free.
        """
        with self._slot("write"):
            return self.backend.write_values(spreadsheet_id, data, input_option=input_option)
