"""
A run, `status` and `--help` load neither pandas, openpyxl nor the emulator: they are the
analysts', the `.xlsx` copy's and the rehearsals' (issue: cost follows change, lazy imports).
"""

from __future__ import annotations

import subprocess
import sys


def test_the_worker_loads_no_heavy_library() -> None:
    """Importing the CLI and everything a run uses leaves the heavy libraries unloaded."""
    code = (
        "import sys\n"
        "import sync.cli, sync.run.runner, sync.run.loop, sync.service.status\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'sheets_emulator') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_run_that_finds_the_sheet_unchanged_loads_no_check() -> None:
    """
    The modules a `sheetsync run` needs before it knows whether anything changed load neither
    the checks, the formulas nor their libraries: those are for runs that plan.
    """
    code = (
        "import sys\n"
        "import sync.cli, sync.run.runner, sync.run.loop, sync.run.settled, sync.service.runs\n"
        "heavy = [m for m in ('rules.row', 'kpi.row', 'sync.core.round', 'sync.core.evaluate',\n"
        "    'phonenumbers', 'geothai', 'email_validator', 'stdnum', 'apscheduler')\n"
        "    if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import rules, kpi\n"
        "assert callable(rules.check_row) and callable(kpi.evaluate_row)  # still there on use\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
