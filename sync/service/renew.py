"""
A service that starts afresh once its memory crept above the configured limit.

What a service keeps between runs stays the same size, yet its resident memory creeps run
after run: CPython's small-object allocator gives an arena (1 MiB) back to the system only once
every object in it is gone, and each run leaves a few small objects among its garbage (see the
README, "The service's memory over many runs"). A process cannot compact its heap, but it can
be replaced: once its runs are over, `sheetsync serve` executes itself again (same process id,
same command line), as Celery's `worker_max_memory_per_child` replaces a worker. Nothing is
lost: the rows kept for the next run, the reads that needed no change and the title hints are
in the run history, which the new process reads on its first run of each spreadsheet.
"""

from __future__ import annotations

import os
import sys

RENEW_AFTER_RUNS = 3
"""Runs a process finishes before it may be renewed: a limit below what one run leaves
renews at most every third run, never after each."""

RENEWALS_ENV = "SHEETSYNC_RENEWALS"
"""How many times this service renewed itself since it was started (logged at start)."""


def renewal_due(resident_mib: float | None, limit_mib: int, runs: int) -> bool:
    """
    Whether a service that has finished `runs` runs and now holds `resident_mib` MiB should
    start afresh: above the limit, after enough runs. Unknown memory (not Linux) or no limit
    (0) never renews.
    """
    if resident_mib is None or limit_mib <= 0:
        return False
    return runs >= RENEW_AFTER_RUNS and resident_mib > limit_mib


def renewals() -> int:
    """Times this service renewed itself before this process (0 when started by hand)."""
    try:
        return max(0, int(os.environ.get(RENEWALS_ENV, "0")))
    except ValueError:
        return 0


def start_afresh() -> None:
    """
    Replace this process by the same command, started anew (never returns). Files the
    process opened are closed by the exec (Python opens them non-inheritable); standard
    output and error stay, so the new process logs where this one did.
    """
    os.environ[RENEWALS_ENV] = str(renewals() + 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
