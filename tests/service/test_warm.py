"""
The service builds what every run uses once, at start, from a tiny sheet of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.core.settings import Config
from sync.service import scheduler

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from rules.checks import geography
from sync.service.warm import PLANNER, warm_up
before = [name for name in PLANNER if name in sys.modules]
warm_up()
print(json.dumps({
    "planner_before": before,
    "planner_after": [name for name in PLANNER if name in sys.modules],
    "index_built": geography.index.cache_info().currsize,
    "loaded": [m for m in ("pandas", "openpyxl", "sheets_emulator") if m in sys.modules],
}))
"""


def test_warming_up_builds_what_runs_use_and_loads_nothing_else() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert 0 == done.returncode, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert [] == found["planner_before"]  # a fresh process has not loaded the planner
    assert ["sync.core.round", "sync.run.write"] == found["planner_after"]
    assert 1 == found["index_built"]  # the address index, built once for the process
    assert [] == found["loaded"]  # no data-frame library, no emulator


def test_a_warm_up_that_fails_does_not_stop_the_service(
    monkeypatch: pytest.MonkeyPatch, make_config: Callable[..., Config], sheet_ids: list[str]
) -> None:
    def broken() -> None:
        raise RuntimeError("the demo sheet could not be built")

    monkeypatch.setattr(scheduler, "warm_up", broken)
    service = scheduler.SyncService(make_config(sheet_ids[:1]))
    service.warm_up()  # logged, not raised: serve() goes on to start the service
