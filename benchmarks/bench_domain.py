"""
Domain-core throughput: check and compute generated rows (default 7 × 10,000), as a run does.

Goal (issue: domain core): ≥ 20,000 rows/s cold on a 2-core machine. Rows are checked as a sync
checks them (`sync.core.evaluate`): each tab's rows `CHECK_CHUNK` at a time through
`rules.check_rows` (column by column), then `evaluate_row` per row, taking its numbers from the
check's parse; the cyclic garbage collector is paused (`sync.run.gcpause`). Prints, per
measurement:

- cold: the first pass over the rows in a fresh process (every row seen for the first time),
  the figure the goal is judged by, in wall-clock time and per second of this process's CPU
  time (the latter barely moves when other work shares the machine's cores);
- warm: a second pass over the same, unchanged rows in the same process. The cells' caches
  go after each tab and after each pass, as a sync drops them (`sync.core.evaluate`), so it
  differs from the cold pass by what a process builds once (the address index, the templates'
  plans) only; a service does not check an unchanged row again (it keeps rows' results);
- the first-sight floor: each distinct value of a tab validated once by its column's rule and
  nothing else, the cost of a cold pass that no cache removes (a sync empties the caches after
  each tab, to bound its memory); and each distinct address of a tab checked once (the one
  cross-field rule with a cache of its own);
- the hot pass: each tab's rows checked and computed again as the cold pass runs them, with
  every cell's result and address of that tab cached: what each row pays whatever it holds,
  in the pass's own shape and working set. A cold pass pays this plus the first sights, so
  their sum is the floor of this per-row engine, printed beside the goal;
- the cached row, split: a sample of rows checked again with every cell's result in the
  cache, its parts (the cell walk and cross-field rules, the KPI formulas, the KPI cells) each
  timed in a loop of its own: where the hot pass's time goes (each loop keeps its own code
  and data hot, so their sum is below the hot pass);
- the one-time set-up inside the cold figure: the address index, built on first use (its share
  per row shrinks as the sheet grows);
- both cores: two cold passes run at once on half the rows each, the ceiling of splitting the
  same per-row work over this machine's two cores;
- peak memory as resident-set size (`ru_maxrss`) before and after the passes, and the peak
  allocated while checking a small sample under tracemalloc (measured separately, because
  tracemalloc itself slows allocation-heavy code several times over).

With `--runs N` (default 3) each measurement runs in its own fresh process and the best and
median are printed, so a passing load from other work on the machine shows as spread.

Run: .venv/bin/python benchmarks/bench_domain.py [--rows-per-region N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, TypeAlias

import kpi
import rules
import rules.row
from kpi.formulas import row_changes
from kpi.row import raw_figures
from rules.checks import geography
from rules.checks.cells import CELL_CHECKS
from rules.types import CellCheck
from sync.core.evaluate import CHECK_CHUNK, RowCells
from sync.demo.data import generate_spreadsheet, options_lists
from sync.run.gcpause import gc_paused

FISCAL_YEAR = 2567
AS_OF = date(2024, 10, 1)
GOAL_ROWS_PER_S = 20_000
TRACED_SAMPLE = 2_000
"""Rows checked under tracemalloc for the allocation peak (kept small: tracing is slow)."""
CACHED_SAMPLE = 3_000
"""Rows checked again for the cached-row cost (few enough that all their cells stay cached)."""
CACHED_REPEATS = 3
"""Times the cached-row loops run; the best is kept."""


Chunk: TypeAlias = tuple[str, tuple[str, ...], list[tuple[object, ...]]]
"""Rows of one tab checked together: (region, headers, each row's cells in header order)."""


def _rows(rows_per_region: int, seed: int, chunk: int = CHECK_CHUNK) -> list[Chunk]:
    """
    Return every generated data row, a tab's rows `chunk` at a time as a sync checks them.
    """
    demo = generate_spreadsheet(rows_per_region=rows_per_region, seed=seed)
    chunks: list[Chunk] = []
    for region in (t for t in demo.tabs if t.startswith("ศก.")):
        grid = demo.tabs[region]
        mapping = rules.map_headers(grid[2], grid[1])
        headers = tuple(mapping.columns)
        rows = [tuple(mapping.row_cells(values).values()) for values in grid[3:]]
        chunks += [(region, headers, rows[i : i + chunk]) for i in range(0, len(rows), chunk)]
    return chunks


def _count(chunks: Sequence[Chunk]) -> int:
    """Return the number of rows in the chunks."""
    return sum(len(rows) for _, _, rows in chunks)


def _cells(chunks: Sequence[Chunk]) -> Iterator[tuple[str, object]]:
    """Yield every cell of the chunks as (header, raw value)."""
    for _, headers, rows in chunks:
        for row in rows:
            yield from zip(headers, row, strict=True)


def _check(chunk: Chunk, options: dict[str, list[str]]) -> list[rules.RowResult]:
    """Check one chunk of rows as a sync does."""
    region, headers, rows = chunk
    return rules.check_rows(
        headers, rows, region=region, options=options, fiscal_year=FISCAL_YEAR, as_of=AS_OF
    )


def _pass(
    chunks: Sequence[Chunk],
    options: dict[str, list[str]],
    split: list[float] | None = None,
) -> tuple[float, dict[str, int]]:
    """
    Check and compute every row once; return the seconds taken and the count of each status.

    With `split`, also add the seconds spent in `check_rows` and in `evaluate_row` to its two
    slots (three clock reads per chunk).
    """
    statuses: dict[str, int] = {}
    clock = time.perf_counter
    checking = computing = 0.0
    with gc_paused():  # as a sync runs it (sync.run.loop)
        start = clock()
        for number, chunk in enumerate(chunks):
            if number and chunk[0] != chunks[number - 1][0]:  # a sync's caches serve a tab
                rules.row.forget_cells(learnt=True)  # (`sync.core.evaluate`)
            t0 = clock()
            results = _check(chunk, options)
            t1 = clock()
            _compute(chunk, results)
            for result in results:
                status = result.status
                statuses[status] = statuses.get(status, 0) + 1
            checking += t1 - t0
            computing += clock() - t1
        elapsed = clock() - start
    rules.row.forget_cells()  # (as a sync's round ends: `sync.run.loop`)
    if split is not None:
        split[0] += checking
        split[1] += computing
    return elapsed, statuses


def _compute(chunk: Chunk, results: Sequence[rules.RowResult]) -> None:
    """Compute the KPIs of a chunk's checked rows, as a sync does after each check."""
    places = {header: index for index, header in enumerate(chunk[1])}
    for cells, result in zip(chunk[2], results, strict=True):
        kpi.evaluate_row(RowCells(cells, places), parsed=result.values, changes=result.changes)


def _hot_row_cost(rows: Sequence[Chunk], options: dict[str, list[str]]) -> float:
    """
    Return the µs per row of checking and computing each tab's rows as the cold pass does
    (chunk by chunk, each chunk's KPIs after its check), with every cell's result and every
    address of the tab already cached from checking it once, untimed; the caches go between
    tabs, as in the cold pass. This is the cached row in the pass's own shape and working set
    (a tab's caches full), which `_cached_row_costs`'s separate loops over a small sample,
    each keeping its own code and data hot, undercount. Columns whose values do not repeat
    are cached too (a cold pass checks them instead: their first sights are counted apart).
    """
    clock = time.process_time
    total = 0.0
    learning, limit = rules.row.UNIQUE_SAMPLE, rules.row.MEMO_LIMIT
    rules.row.UNIQUE_SAMPLE = rules.row.MEMO_LIMIT = sys.maxsize
    try:
        with gc_paused():
            for tab in _tabs(rows):
                rules.row.forget_cells()
                for chunk in tab:  # (fills the caches, untimed)
                    _compute(chunk, _check(chunk, options))
                best = float("inf")
                for _ in range(CACHED_REPEATS):
                    start = clock()
                    for chunk in tab:
                        _compute(chunk, _check(chunk, options))
                    best = min(best, clock() - start)
                total += best
    finally:
        rules.row.UNIQUE_SAMPLE, rules.row.MEMO_LIMIT = learning, limit
        rules.row.forget_cells()
    return total / _count(rows) * 1e6


def _tabs(chunks: Sequence[Chunk]) -> list[list[Chunk]]:
    """Return the chunks grouped by tab, in the order the tabs come."""
    tabs: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        tabs.setdefault(chunk[0], []).append(chunk)
    return list(tabs.values())


def _distinct_cells(chunks: Sequence[Chunk]) -> dict[tuple[str, type, object], object]:
    """
    Return each distinct non-blank cell value per column, keyed by (header, type, value).

    Each is validated once, the first time it is seen: the part of the cost no cache removes.
    """
    return {
        (header, type(value), value): value
        for header, value in _cells(chunks)
        if value is not None and value != ""
    }


def _first_sight_floor(rows: Sequence[Chunk]) -> float:
    """
    Return the seconds spent validating each distinct cell value of each tab once with its
    column's rule.

    This is the part of a cold pass that no cache can remove, measured with nothing around it:
    no row walk, no cross-field rule, no KPI (only a bare loop over each rule's values). Run it
    on rows not checked before in this process (the libraries' data already loaded): a lower
    bound for an engine using these rules that empties its caches after each tab, as a sync
    does.
    """
    by_header = rules.TEMPLATE.by_header
    by_rule: dict[CellCheck, list[tuple[str, object]]] = {}
    for tab in _tabs(rows):
        for (header, _, _), value in _distinct_cells(tab).items():
            column = by_header.get(header)
            check = None if column is None else CELL_CHECKS.get(column.kind)
            if check is not None:
                by_rule.setdefault(check, []).append((header, value))
    clock = time.process_time  # CPU time, one loop per rule: steady on a shared machine
    total = 0.0
    with gc_paused():
        for check, cells in by_rule.items():
            start = clock()
            for header, value in cells:
                check(header, value)
            total += clock() - start
    return total


def _address_first_sight(rows: Sequence[Chunk]) -> float:
    """
    Return the seconds spent checking each distinct address of each tab once (both groups of
    a row: the person's and the enterprise's), the index already built and the look-ups
    emptied before each tab, as a sync empties them (`rules.row.forget_cells`).

    The address rule is cross-field, so the first-sight floor (cell rules only) leaves it out;
    an address seen again is answered by its cache, which the cached-row cost includes.
    """
    geography.index()
    clock = time.process_time
    total = 0.0
    groups = (rules.row.PERSON_ADDRESS, rules.row.ENTERPRISE_ADDRESS)
    by_tab: dict[str, dict[tuple[object, ...], None]] = {}
    for region, headers, chunk_rows in rows:
        seen = by_tab.setdefault(region, {})
        for row in chunk_rows:
            given = {k: v for k, v in zip(headers, row, strict=False) if v is not None and v != ""}
            for group in groups:
                parts = (group.province, group.district, group.subdistrict, group.postcode)
                seen[(group, *(given.get(part) for part in parts))] = None
    with gc_paused():
        for addresses in by_tab.values():
            geography.forget_lookups()
            start = clock()
            for group, province, district, subdistrict, postcode in addresses:
                geography.check_address(group, province, district, subdistrict, postcode)  # type: ignore[arg-type]
            total += clock() - start
    geography.forget_lookups()
    return total


def _cached_row_costs(rows: Sequence[Chunk], options: dict[str, list[str]]) -> dict[str, float]:
    """
    Return the µs per row of `check_rows`, of the formulas inside it and of `evaluate_row`, for
    rows whose every cell result is already cached (they were just checked once, untimed).

    This is what each row pays whatever it holds: no cache removes it, and a cold row pays the
    first sight of its new values on top. Each is timed as a whole loop in CPU time, the best
    of `CACHED_REPEATS`, so other work on the machine barely moves it.
    """
    sample = rows[: max(1, CACHED_SAMPLE // CHECK_CHUNK)]
    # Every column cached, those whose values hardly repeat too (a pass caches them no more):
    # what is timed is a row whose every cell the cache answers.
    rules.row.forget_cells()
    learning, rules.row.UNIQUE_SAMPLE = rules.row.UNIQUE_SAMPLE, sys.maxsize
    try:
        return _cached_sample_costs(sample, options)
    finally:
        rules.row.UNIQUE_SAMPLE = learning
        rules.row.forget_cells()


def _cached_sample_costs(
    sample: Sequence[Chunk], options: dict[str, list[str]]
) -> dict[str, float]:
    """`_cached_row_costs` of the sample's rows, their cells cached by every column."""
    results = [result for chunk in sample for result in _check(chunk, options)]
    # (that filled the cache with every cell of the sample)
    cells = [
        RowCells(row, {header: index for index, header in enumerate(headers)})
        for _, headers, chunk_rows in sample
        for row in chunk_rows
    ]
    clock = time.process_time
    best = {"check_us": float("inf"), "formulas_us": float("inf"), "compute_us": float("inf")}
    with gc_paused():
        for _ in range(CACHED_REPEATS):
            start = clock()
            for chunk in sample:
                _check(chunk, options)
            checked = clock()
            for result in results:
                row_changes(raw_figures(result.values))
            applied = clock()
            for row_cells, result in zip(cells, results, strict=True):
                kpi.evaluate_row(row_cells, parsed=result.values, changes=result.changes)
            computed = clock()
            for key, seconds in (
                ("check_us", checked - start),
                ("formulas_us", applied - checked),
                ("compute_us", computed - applied),
            ):
                best[key] = min(best[key], seconds / len(results) * 1e6)
    return best


def _rss_mib() -> float:
    """
    Return this process's peak resident-set size so far, in MiB (Linux reports KiB).
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(rows_per_region: int, seed: int, *, cold_only: bool = False) -> dict[str, Any]:
    """
    Run the cold pass, the warm pass and the traced sample in this process; return the figures.

    With `cold_only`, stop after the cold pass (for the two-process measurement).
    """
    rows = _rows(rows_per_region, seed)
    count = _count(rows)
    options = options_lists()
    rss_before = _rss_mib()
    split = [0.0, 0.0]
    cpu_start = time.process_time()
    cold, statuses = _pass(rows, options, split)
    cold_cpu = time.process_time() - cpu_start
    if cold_only:
        return {"rows": count, "cold_rows_per_s": count / cold}
    rss_cold = _rss_mib()
    warm, warm_statuses = _pass(rows, options)
    if warm_statuses != statuses:
        raise SystemExit(f"warm pass disagrees with cold pass: {warm_statuses} != {statuses}")
    rss_warm = _rss_mib()
    fresh = _rows(rows_per_region, seed + 2)
    floor = _first_sight_floor(fresh)
    addresses = _address_first_sight(fresh)
    cached = _cached_row_costs(rows, options)
    hot = _hot_row_cost(rows, options)
    geography.index.cache_clear()  # built once per process, on a cold pass's first address
    start = time.perf_counter()
    geography.index()
    index_s = time.perf_counter() - start
    # A fresh sample (another seed) so the traced peak includes first-sight work, not hits.
    sample = _rows(max(1, TRACED_SAMPLE // 7), seed + 1)
    tracemalloc.start()
    _pass(sample, options)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": count,
        "cold_rows_per_s": count / cold,
        "cold_cpu_rows_per_s": count / cold_cpu,
        "warm_rows_per_s": count / warm,
        "rss_before_mib": rss_before,
        "rss_after_cold_mib": rss_cold,
        "rss_after_warm_mib": rss_warm,
        "traced_rows": _count(sample),
        "traced_peak_mib": traced_peak / 2**20,
        "cold_check_us": split[0] / count * 1e6,
        "cold_compute_us": split[1] / count * 1e6,
        "distinct_per_row": sum(len(_distinct_cells(tab)) for tab in _tabs(rows)) / count,
        "first_sight_floor_us": floor / count * 1e6,
        "address_first_sight_us": addresses / _count(fresh) * 1e6,
        "index_us": index_s / count * 1e6,
        "cached_check_us": cached["check_us"],
        "cached_formulas_us": cached["formulas_us"],
        "cached_compute_us": cached["compute_us"],
        "hot_row_us": hot,
        "statuses": dict(sorted(statuses.items())),
    }


def _summary(label: str, figures: list[float]) -> str:
    """
    Format the best and median of one figure over the runs.
    """
    return (
        f"{label}: best {max(figures):>9,.0f} rows/s   median {statistics.median(figures):>9,.0f}"
        f" rows/s   ({', '.join(f'{f:,.0f}' for f in figures)})"
    )


def main() -> None:
    """
    Run the measurement in fresh processes and print the best and median figures.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-per-region", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rows_per_region, args.seed, cold_only=args.cold_only)))
        return

    results: list[dict[str, Any]] = []
    for run in range(1, args.runs + 1):
        command = [sys.executable, __file__, "--child"]
        command += ["--rows-per-region", str(args.rows_per_region), "--seed", str(args.seed)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output)
        results.append(result)
        print(
            f"run {run}: cold {result['cold_rows_per_s']:,.0f} rows/s, "
            f"warm {result['warm_rows_per_s']:,.0f} rows/s",
            flush=True,
        )
    first = results[0]
    print(f"rows per pass             : {first['rows']:,} (check_rows + evaluate_row)")
    print(_summary("cold (first sight)       ", [float(r["cold_rows_per_s"]) for r in results]))
    print(
        _summary("cold, per CPU second     ", [float(r["cold_cpu_rows_per_s"]) for r in results])
        + " (steadier while other work shares the cores)"
    )
    print(_summary("warm (unchanged rows)    ", [float(r["warm_rows_per_s"]) for r in results]))
    print(f"goal                      : cold ≥ {GOAL_ROWS_PER_S:,} rows/s")
    print(
        "cold time per row         : "
        f"check_rows {statistics.median(r['cold_check_us'] for r in results):.0f} µs, "
        f"evaluate_row {statistics.median(r['cold_compute_us'] for r in results):.0f} µs "
        f"(medians); {first['distinct_per_row']:.1f} values per row seen first in their tab"
    )
    floor_us = statistics.median(r["first_sight_floor_us"] for r in results)
    print(
        f"first-sight floor         : {floor_us:.0f} µs per row just to validate each distinct "
        f"value of a tab once (the goal allows {1e6 / GOAL_ROWS_PER_S:.0f} µs per row for "
        "everything)"
    )
    check_us = statistics.median(r["cached_check_us"] for r in results)
    formulas_us = statistics.median(r["cached_formulas_us"] for r in results)
    compute_us = statistics.median(r["cached_compute_us"] for r in results)
    print(
        f"cached row, split         : check_rows {check_us:.0f} µs (formulas {formulas_us:.0f}, "
        f"cell walk and cross-field rules {check_us - formulas_us:.0f}), evaluate_row "
        f"{compute_us:.0f} µs, every cell's result cached, each part in a loop of its own over "
        f"{CACHED_SAMPLE:,} rows"
    )
    hot_us = statistics.median(r["hot_row_us"] for r in results)
    print(
        f"hot pass                  : {hot_us:.0f} µs per row checked and computed as the cold "
        "pass runs it, every cell and address of its tab cached: paid by every row"
    )
    address_us = statistics.median(r["address_first_sight_us"] for r in results)
    print(
        f"addresses' first sight    : {address_us:.0f} µs per row to check each distinct "
        "address of a tab once (a cross-field rule, so not in the floor above)"
    )
    index_us = statistics.median(r["index_us"] for r in results)
    print(
        f"one-time set-up           : the address index, built on the first row that has an "
        f"address: {index_us:.0f} µs per row of this pass (inside the cold figure)"
    )
    engine_floor = hot_us + floor_us + address_us
    print(
        f"floor of this engine      : hot pass {hot_us:.0f} + first sight "
        f"{floor_us:.0f} + addresses {address_us:.0f} = {engine_floor:.0f} µs per cold row "
        "(the one-time set-up aside), at most "
        f"{1e6 / engine_floor:,.0f} rows/s (goal {GOAL_ROWS_PER_S:,}: "
        f"{1e6 / GOAL_ROWS_PER_S:.0f} µs)"
    )
    print(
        f"peak RSS (MiB)            : {first['rss_before_mib']:.0f} before, "
        f"{first['rss_after_cold_mib']:.0f} after cold, "
        f"{first['rss_after_warm_mib']:.0f} after warm"
    )
    print(
        f"peak allocated while checking {first['traced_rows']:,} fresh rows: "
        f"{first['traced_peak_mib']:.1f} MiB (tracemalloc, separate untimed pass)"
    )
    print(f"statuses                  : {first['statuses']}")
    _both_cores(args.rows_per_region, args.seed)


def _both_cores(rows_per_region: int, seed: int) -> None:
    """
    Run two cold passes at once, half the rows each, and print what the two cores give together.

    This is the most that splitting today's per-row work over two processes could reach,
    before any cost of moving rows and results between them.
    """
    half = max(1, rows_per_region // 2)
    commands = [
        [
            *(sys.executable, __file__, "--child", "--cold-only"),
            *("--rows-per-region", str(half), "--seed", str(seed + offset)),
        ]
        for offset in (10, 11)
    ]
    children = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in commands]
    results = [json.loads(child.communicate()[0]) for child in children]
    if any(child.returncode for child in children):
        raise SystemExit("a two-process child failed")
    figures = [float(r["cold_rows_per_s"]) for r in results]
    print(
        f"both cores                : two cold passes at once, {results[0]['rows']:,} rows each: "
        f"{figures[0]:,.0f} + {figures[1]:,.0f} = {sum(figures):,.0f} rows/s "
        "(upper bound of a two-process split, before moving results between processes)"
    )


if __name__ == "__main__":
    main()
