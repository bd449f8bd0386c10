"""
Every request that reaches the API counts: a retried request takes a quota slot of its own,
and a run's report counts the requests sent, retries included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sheets_emulator.http.server import EmulatorHandle
from sync.backends.gspread_backend import GspreadBackend
from sync.core.settings import SyncSettings
from sync.run.loop import run_sync
from sync.service import RateLimiter, ThrottledBackend


def test_a_retried_request_takes_a_slot_of_its_own(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend
) -> None:
    """
    Two 503s, then the read goes through: three requests reached the API, so three read slots
    of the shared budget are used, not one.
    """
    limiter = RateLimiter(reads_per_minute=50, writes_per_minute=50)
    throttled = ThrottledBackend(backend, limiter)
    emulator.counters.reset()
    emulator.faults.fail_next(2, 503, kind="read")
    throttled.read_info(loaded)
    assert (emulator.counters.reads, limiter.in_window("read")) == (3, 3)


def test_retries_never_push_the_requests_past_googles_quota(
    emulator: EmulatorHandle, loaded: str, backend: GspreadBackend
) -> None:
    """
    The API allows two reads a window and the service's limiter knows it. The first read's
    answer is cut off and it is sent again, which uses the window's second read: the next
    read waits for the window to move on instead of meeting a 429.
    """
    window = 1.0
    emulator.faults.set_quota(reads_per_minute=2, window_s=window)
    limiter = RateLimiter(reads_per_minute=2, writes_per_minute=2, window_s=window)
    throttled = ThrottledBackend(backend, limiter)
    emulator.counters.reset()
    emulator.faults.drop_next(1, kind="read")
    throttled.read_info(loaded)
    throttled.read_info(loaded)
    assert emulator.counters.reads == 3
    assert 429 not in emulator.counters.by_status


def test_the_run_report_counts_the_requests_sent_retries_included(
    emulator: EmulatorHandle,
    loaded: str,
    backend: GspreadBackend,
    clock: Callable[[], datetime],
) -> None:
    """Three reads answered 503 and sent again: the report's reads are the API's."""
    emulator.counters.reset()
    emulator.faults.fail_next(3, 503, kind="read")
    report = run_sync(backend, SyncSettings(spreadsheet_id=loaded), clock=clock)
    assert report.outcome == "ok"
    assert (report.reads, report.writes) == (emulator.counters.reads, emulator.counters.writes)
    assert report.reads >= 4
