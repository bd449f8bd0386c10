"""
gspread 6.2.1's own test suite passes against the emulator, every request live.

gspread's tests were recorded against Google; run with their cassettes off, each request they
make reaches a fresh emulator instead, so each passing test is one more place where the
emulator answers as Google did.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SUITE = Path(__file__).parent / "gspread_v6_2_1"


@pytest.mark.slow
def test_gspread_own_suite_passes_in_full() -> None:
    """
    All 149 tests of gspread's suite pass, every answer within Google's response schema.
    """
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gspread_suite.py"), str(SUITE)],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.fullmatch(r"149 passed in [\d.]+s", summary), summary
