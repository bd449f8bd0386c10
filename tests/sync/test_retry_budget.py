"""
The retry budget (`service.retry_seconds`) bounds the time one request spends retrying: a
backoff that would end past it is not slept.
"""

from __future__ import annotations

import random

import pytest

from sync.backends.retry import RetryableError, RetryPolicy, call_with_retry


def test_no_backoff_is_slept_past_the_retry_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """
    A service failing every time, a 20 s budget: the backoffs 1, 2, 4 and 8 s fit in it one
    by one, the next (16 s) would end past it, so the failure stands after the fifth attempt
    (it slept those 16 s too, then tried once more, past the budget). The clock moves only
    by what is slept.
    """
    import tenacity

    clock = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(tenacity.time, "monotonic", lambda: clock[0])
    policy = RetryPolicy(max_total_seconds=20, jitter=0.0, sleep=sleep)
    attempts = 0

    def failing() -> None:
        nonlocal attempts
        attempts += 1
        raise RetryableError("HTTP 503", status=503, retry_after=None)

    with pytest.raises(RetryableError):
        call_with_retry(policy, failing, rng=random.Random(1))
    assert (slept, attempts) == ([1.0, 2.0, 4.0, 8.0], 5)


def test_waiting_for_a_quota_slot_is_not_taken_from_the_retry_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The first attempt waited 50 s for a slot of the shared quota, then met a 503: a 20 s
    budget still has its backoffs left, and the second attempt goes through.
    """
    import tenacity

    clock = [1000.0]
    paused = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(tenacity.time, "monotonic", lambda: clock[0])
    policy = RetryPolicy(max_total_seconds=20, jitter=0.0, sleep=sleep)
    attempts = 0

    def waits_then_fails_once() -> str:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            clock[0] += 50
            paused[0] += 50
            raise RetryableError("HTTP 503", status=503, retry_after=None)
        return "answered"

    answer = call_with_retry(
        policy, waits_then_fails_once, rng=random.Random(1), paused=lambda: paused[0]
    )
    assert (answer, attempts) == ("answered", 2)
