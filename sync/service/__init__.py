"""
The long-running service: schedules, the per-spreadsheet lock, the shared quota, the checkbox.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.service.checks import check_config
    from sync.service.locks import SpreadsheetBusy, lock_path, spreadsheet_lock
    from sync.service.progress import ProgressBackend, ProgressPrinter, progress_for
    from sync.service.quota import RateLimiter, ThrottledBackend
    from sync.service.runs import run_locked, run_unlocked
    from sync.service.scheduler import (
        OffsetTrigger,
        SyncService,
        parse_cron,
        spread_offsets,
        trigger_for,
    )
    from sync.service.status import format_status, status_entries
    from sync.service.sync_now import CheckboxWatcher, is_ticked, sync_now_range

_HOME = {
    "check_config": "sync.service.checks",
    "SpreadsheetBusy": "sync.service.locks",
    "lock_path": "sync.service.locks",
    "spreadsheet_lock": "sync.service.locks",
    "ProgressBackend": "sync.service.progress",
    "ProgressPrinter": "sync.service.progress",
    "progress_for": "sync.service.progress",
    "RateLimiter": "sync.service.quota",
    "ThrottledBackend": "sync.service.quota",
    "run_locked": "sync.service.runs",
    "run_unlocked": "sync.service.runs",
    "OffsetTrigger": "sync.service.scheduler",
    "SyncService": "sync.service.scheduler",
    "parse_cron": "sync.service.scheduler",
    "spread_offsets": "sync.service.scheduler",
    "trigger_for": "sync.service.scheduler",
    "format_status": "sync.service.status",
    "status_entries": "sync.service.status",
    "CheckboxWatcher": "sync.service.sync_now",
    "is_ticked": "sync.service.sync_now",
    "sync_now_range": "sync.service.sync_now",
}
"""
Where each name lives: imported on first use, so that a one-shot `sheetsync run` (which needs
the lock and the runner) loads neither the scheduler nor the planner before it plans.
"""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "CheckboxWatcher",
    "OffsetTrigger",
    "ProgressBackend",
    "ProgressPrinter",
    "RateLimiter",
    "SpreadsheetBusy",
    "SyncService",
    "ThrottledBackend",
    "check_config",
    "format_status",
    "is_ticked",
    "lock_path",
    "parse_cron",
    "progress_for",
    "run_locked",
    "run_unlocked",
    "spread_offsets",
    "spreadsheet_lock",
    "status_entries",
    "sync_now_range",
    "trigger_for",
]
