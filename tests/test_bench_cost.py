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
    # the engine floor beside the cold rate: a cached row, and what is new to each tab
    floor_us = sum(
        now[f"domain.{part}_us"] for part in ("cached_row", "first_sight", "address_first_sight")
    )
    assert now["domain.floor_rows_per_s"] == pytest.approx(1e6 / floor_us)
    # and what that pass's cold row cost beyond it: the address index built once, the rest
    assert now["domain.setup_us"] > 0 and isinstance(now["domain.rest_us"], float)
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


def test_cold_rows_are_judged_at_the_issues_ratio_to_the_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    Beside a baseline, cold rows/s must be 20,000 and at least 20,000 / 9,300 of the
    baseline's in the same run (the issue's own figures for that code): on a fast machine
    21,000 against a baseline of 10,700 is under that ratio, and what stops it is printed.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_cost
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    table = {row.key: row for row in bench_cost.rows_of_table(2000, None)}
    multiple = table["domain.cold_multiple"]
    assert multiple.met is not None
    assert not multiple.met(21_000 / 10_700) and multiple.met(23_100 / 10_700)
    now = {
        "domain.cold_rows_per_s": 21_000.0,
        "domain.cached_row_us": 29.0,
        "domain.first_sight_us": 11.0,
        "domain.address_first_sight_us": 3.0,
        "domain.floor_rows_per_s": 1e6 / 43,
    }
    bench_cost.print_floors(now, 2000, base={"domain.cold_rows_per_s": 10_700.0})
    printed = capsys.readouterr().out
    assert "cold rows/s 21,000" in printed and "the goal here is 23,011 rows/s" in printed
    bench_cost.print_floors(now, 2000, base={"domain.cold_rows_per_s": 8_000.0})
    assert "cold rows/s" not in capsys.readouterr().out  # 2.6× and above 20,000: met
