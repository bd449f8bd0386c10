"""
The retry budget (`service.retry_seconds`) bounds the time one request spends retrying: a
backoff that would end past it is not slept.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest
import tenacity

from sync.backends.retry import RetryableError, RetryPolicy, call_with_retry


@dataclass
class Clock:
    """A clock that moves only by what is slept (or by what a test says passed)."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Tenacity's clock, moved by hand; a 20 s budget sleeping on it is `budget(clock)`."""
    fake = Clock()
    monkeypatch.setattr(tenacity.time, "monotonic", lambda: fake.now)
    return fake


def budget(clock: Clock) -> RetryPolicy:
    """A 20 s retry budget without jitter, sleeping on the fake clock."""
    return RetryPolicy(max_total_seconds=20, jitter=0.0, sleep=clock.sleep)


def test_no_backoff_is_slept_past_the_retry_budget(clock: Clock) -> None:
    """
    A service failing every time, a 20 s budget: the backoffs 1, 2, 4 and 8 s fit in it one
    by one, the next (16 s) would end past it, so the failure stands after the fifth attempt
    (it slept those 16 s too, then tried once more, past the budget). The clock moves only
    by what is slept.
    """
    attempts = 0

    def failing() -> None:
        nonlocal attempts
        attempts += 1
        raise RetryableError("HTTP 503", status=503, retry_after=None)

    with pytest.raises(RetryableError):
        call_with_retry(budget(clock), failing, rng=random.Random(1))
    assert (clock.slept, attempts) == ([1.0, 2.0, 4.0, 8.0], 5)


def test_waiting_for_a_quota_slot_is_not_taken_from_the_retry_budget(clock: Clock) -> None:
    """
    The first attempt waited 50 s for a slot of the shared quota, then met a 503: a 20 s
    budget still has its backoffs left, and the second attempt goes through.
    """
    paused = [0.0]
    attempts = 0

    def waits_then_fails_once() -> str:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            clock.now += 50
            paused[0] += 50
            raise RetryableError("HTTP 503", status=503, retry_after=None)
        return "answered"

    answer = call_with_retry(
        budget(clock), waits_then_fails_once, rng=random.Random(1), paused=lambda: paused[0]
    )
    assert (answer, attempts, clock.slept) == ("answered", 2, [1.0])
