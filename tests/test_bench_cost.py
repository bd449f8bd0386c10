"""
The run-cost benchmark runs end to end on a tiny sheet and reports every figure of its table.

No time is asserted (figures on a shared machine wander); what is checked is what a reader of
the table relies on: each figure is there, and the request counts it prints are right.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench(script: str, *args: str) -> str:
    """What a benchmark script prints, run as a reader runs it; it must succeed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_bench_cost_reports_every_figure_on_a_tiny_sheet() -> None:
    """
    `bench_cost.py --rows 50 --no-baseline --json` measures every row of the table for this
    tree: the five phases of a first run, an unchanged run of one request, a run after 10
    edits that writes, the CLI and the domain core.
    """
    report = json.loads(
        _bench("bench_cost.py", "--rows", "50", "--repeat", "1", "--no-baseline", "--json")
    )
    assert report["baseline"] is None
    assert report["interpreter"].startswith(f"CPython {sys.version.split()[0]} ")  # (the build)
    now = report["medians"]["now"]
    assert set(report["goals"]) <= set(now), "a figure with a goal was not measured"
    for phase in ("read", "plan", "write", "verify-read", "verify-plan"):
        assert now[f"phase.{phase}.peak_rss_mib"] > 0
        assert f"phase.{phase}.cpu_s" in now
    assert now["first.peak_rss_mib"] >= now["phase.plan.peak_rss_mib"]
    assert now["unchanged.requests"] == 1
    assert now["changed.requests"] > 1  # the 10 edits were seen and answered with a write
    assert now["changed.peak_rss_mib"] > 0  # what such a run costs the service at its peak
    assert now["changed.later_cpu_s"] > 0  # (a median of the later edit runs' CPU)
    # and in which phase (none above the run's peak), from what RSS the run started
    changed = [now[f"changed.phase.{p}.peak_rss_mib"] for p in ("plan", "verify-plan")]
    assert 0 < min(changed) and max(changed) <= now["changed.peak_rss_mib"]
    assert now["changed.rss_before_mib"] > 0
    # (Imports are timed in one more run, under PYTHONPROFILEIMPORTTIME, which slows them: on
    # a tiny sheet they can exceed the wall time of the unprofiled run, so the two are not
    # compared.)
    assert now["cli.wall_s"] > 0 and now["cli.imports_s"] > 0
    assert now["cli.changed_wall_s"] > 0  # (the benchmark stops if that run wrote nothing)
    assert now["domain.cold_rows_per_s"] > 0
    assert now["domain.floor_rows_per_s"] > 0  # the engine floor beside the cold rate
    assert now["service.rss_after_fifteen_mib"] > 0  # the service's RSS over many runs
    # and the allocator's count behind it: arenas hold the live small objects, and never
    # more than at their high-water mark
    small = [now[f"service.small_{k}_mib"] for k in ("live", "arenas", "arenas_most")]
    assert 0 < small[0] <= small[1] <= small[2]
    assert "first.pack_cpu_s" in now  # the service packs its kept rows: measured on its own


@pytest.mark.slow
def test_bench_serve_memory_measures_the_real_command_in_each_mode() -> None:
    """
    `bench_serve_memory.py --rows 50 --runs 1` starts `sheetsync serve` twice (living on, and
    with a limit), has each answer the ticked box once and prints the RSS after that run.
    """
    lines = _bench("bench_serve_memory.py", "--rows", "50", "--runs", "1").splitlines()
    assert "lives on" in lines[1] and "afresh > 150 MiB" in lines[1]
    run, *figures = (cell.strip() for cell in lines[2].split("|"))
    assert "1" == run and len(figures) == 2
    assert all(40 < float(cell) < 1000 for cell in figures)  # a whole worker, in MiB
