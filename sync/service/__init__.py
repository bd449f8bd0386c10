"""
The long-running service: schedules, the per-spreadsheet lock, the shared quota, the checkbox.
"""

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
