"""The shared limiter: never more requests in a minute than the quota, whoever asks."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sync.backends.base import Grid, SpreadsheetInfo
from sync.service import RateLimiter, ThrottledBackend


class FakeClock:
    """Monotonic seconds that only move when someone sleeps or the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class StubBackend:
    """Answers instantly, noting the time each request starts and how long it takes."""

    def __init__(self, clock: FakeClock, duration: float = 0.0) -> None:
        self.clock = clock
        self.duration = duration
        self.calls: list[tuple[str, float]] = []

    def _call(self, kind: str) -> None:
        self.calls.append((kind, self.clock()))
        self.clock.now += self.duration

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        self._call("read")
        return [[] for _ in ranges]

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        self._call("read")
        return SpreadsheetInfo(spreadsheet_id, "t", "Asia/Bangkok", ())

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]
    ) -> list[Mapping[str, Any]]:
        self._call("write")
        return []

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        self._call("write")
        return {}


def most_in_any_window(times: Sequence[float], window: float = 60.0) -> int:
    """The largest number of times falling in one window of the given length."""
    ordered = sorted(times)
    return max(
        (sum(1 for t in ordered if start <= t < start + window) for start in ordered), default=0
    )


def test_calls_never_exceed_the_per_minute_limit() -> None:
    """300 reads against a limit of 60 a minute: no window of 60 s holds more than 60."""
    clock = FakeClock()
    limiter = RateLimiter(60, 60, clock=clock, sleep=clock.sleep)
    backend = StubBackend(clock, duration=0.1)
    throttled = ThrottledBackend(backend, limiter)
    for n in range(300):
        throttled.read_ranges(f"sheet-{n % 30}", ["A1"])
    assert 60 == most_in_any_window([t for _, t in backend.calls])
    assert 300 == len(backend.calls)


def test_a_slot_is_held_until_a_window_after_the_call_finished() -> None:
    """A request that takes 10 s frees its slot 60 s after it ended, not after it started."""
    clock = FakeClock()
    limiter = RateLimiter(1, 1, clock=clock, sleep=clock.sleep)
    backend = StubBackend(clock, duration=10.0)
    throttled = ThrottledBackend(backend, limiter)
    throttled.read_ranges("s", ["A1"])
    throttled.read_ranges("s", ["A1"])
    assert [("read", 0.0), ("read", 70.0)] == backend.calls


def test_reads_and_writes_have_separate_budgets() -> None:
    """A full read budget does not hold back a write."""
    clock = FakeClock()
    limiter = RateLimiter(2, 2, clock=clock, sleep=clock.sleep)
    backend = StubBackend(clock)
    throttled = ThrottledBackend(backend, limiter)
    throttled.read_ranges("s", ["A1"])
    throttled.read_info("s")
    throttled.batch_update("s", [])
    throttled.read_ranges("s", ["A1"])
    assert [("read", 0.0), ("read", 0.0), ("write", 0.0), ("read", 60.0)] == backend.calls


def test_has_room_says_whether_a_call_would_wait() -> None:
    """The poll asks before it looks, so looks never queue behind runs."""
    clock = FakeClock()
    limiter = RateLimiter(1, 1, clock=clock, sleep=clock.sleep)
    before = limiter.has_room("read")
    with limiter.slot("read"):
        during = limiter.has_room("read")
    clock.now += 61
    assert (True, False, True) == (before, during, limiter.has_room("read"))


def test_threads_sharing_one_limiter_stay_under_the_limit() -> None:
    """Eight threads making 40 calls against 5 per 0.2 s: no 0.2 s window holds more than 5."""
    limiter = RateLimiter(5, 5, window_s=0.2)
    starts: list[float] = []
    guard = threading.Lock()

    def work() -> None:
        for _ in range(5):
            with limiter.slot("write"), guard:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 40 == len(starts)
    assert 5 >= most_in_any_window(starts, window=0.2)
