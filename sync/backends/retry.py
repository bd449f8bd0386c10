"""
Retrying 429 and 5xx answers with exponential backoff and jitter, within a total time.

Google's limits page asks for truncated exponential backoff (wait 2^n s plus up to 1 s of
random jitter, capped at 32–64 s): https://developers.google.com/sheets/api/limits.
Google does not document `Retry-After` for the Sheets API, so it is honoured when present
but never required; when it asks for longer than what is left of the budget the call fails at
once (`RetryableError.beyond_budget`) instead of sleeping only to fail afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

T = TypeVar("T")


class RetryableError(Exception):
    """A failure worth another try; carries the server's Retry-After if it sent one."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        retry_after: float | None,
        token: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.token = token
        """The failure came from the OAuth token endpoint, not from the Sheets API."""
        self.beyond_budget = False
        """Set when the server's Retry-After outlasts the retry budget left: not waited out."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often to retry; tests shrink these, operators rarely need to."""

    max_attempts: int = 8
    max_total_seconds: float = 120.0
    initial_wait: float = 1.0
    max_wait: float = 32.0
    jitter: float = 1.0
    sleep: Callable[[float], None] | None = None

    def wait_for(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before attempt number `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            # The server said how long; the stop condition already refused waits past the budget.
            return max(retry_after, 0.0)
        base = min(self.initial_wait * (2 ** (attempt - 1)), self.max_wait)
        return min(base + rng.uniform(0, self.jitter), self.max_wait)


def call_with_retry(
    policy: RetryPolicy,
    fn: Callable[[], T],
    *,
    rng: random.Random | None = None,
    on_retry: Callable[[int, float, BaseException], None] | None = None,
    paused: Callable[[], float] | None = None,
) -> T:
    """
    Run `fn`, retrying RetryableError per the policy; the last error propagates.

    `paused` tells the seconds `fn` spent so far waiting for its turn (a quota slot) rather
    than retrying: they are not taken from the budget.
    """
    rng = rng or random.Random()

    planned: dict[int, float] = {}
    """The wait `stop` planned after each attempt (`wait` takes it: the jitter drawn once)."""

    def next_wait(state: tenacity.RetryCallState) -> float:
        if state.attempt_number not in planned:
            exc = state.outcome.exception() if state.outcome else None
            retry_after = exc.retry_after if isinstance(exc, RetryableError) else None
            planned[state.attempt_number] = policy.wait_for(state.attempt_number, retry_after, rng)
        return planned[state.attempt_number]

    def before_sleep(state: tenacity.RetryCallState) -> None:
        # Only once the stop condition let the call go on: a refused wait is not announced.
        exc = state.outcome.exception() if state.outcome else None
        if on_retry is not None and exc is not None and state.next_action is not None:
            on_retry(state.attempt_number, state.next_action.sleep, exc)

    kwargs = {}
    if policy.sleep is not None:
        kwargs["sleep"] = policy.sleep

    def stop(state: tenacity.RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        spent = (state.seconds_since_start or 0.0) - (paused() if paused is not None else 0.0)
        left = policy.max_total_seconds - spent
        if (
            isinstance(exc, RetryableError)
            and exc.retry_after is not None
            and exc.retry_after > left
        ):
            exc.beyond_budget = True
            return True
        if state.attempt_number >= policy.max_attempts or left <= 0:
            return True
        # A backoff that would end past the budget is not slept (service.retry_seconds is the
        # most one request may spend retrying): the last failure stands.
        return next_wait(state) > left

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(RetryableError),
        stop=stop,
        wait=next_wait,
        before_sleep=before_sleep,
        reraise=True,
        **kwargs,  # type: ignore[arg-type]
    )
    return retrying(fn)
