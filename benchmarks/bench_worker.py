"""
The worker against a naive gspread script, on the emulator with 100 ms latency per request.

Naive script: per tab `get_all_records`, check and compute each row with the same library,
then one `update` per row. Prints requests and wall time of each and the ratios (goal:
≥ 20× fewer requests and ≥ 10× faster), then the worker's wall time and peak memory on
7 × 2,000 rows. The emulator runs in a child process, so peak memory is the worker's own.

Run: .venv/bin/python benchmarks/bench_worker.py [--rows 500] [--big-rows 2000] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _emulator_process import emulator_process

import kpi
import rules
from rules import headers as h
from sync.backends.endpoint import make_gspread_client  # the worker's own session (compact answers)
from sync.backends.gspread_backend import GspreadBackend
from sync.core.cells import column_letter
from sync.core.settings import SyncSettings
from sync.demo.data import options_lists
from sync.run.loop import run_sync


def worker(base_url: str, sid: str) -> tuple[int, float]:
    client = make_gspread_client(base_url, timeout=600)
    try:
        started = time.perf_counter()
        report = run_sync(GspreadBackend(client), SyncSettings(spreadsheet_id=sid))
        return report.reads + report.writes, time.perf_counter() - started
    finally:
        client.http_client.session.close()


def naive(base_url: str, sid: str) -> tuple[int, float]:
    """What a straightforward gspread script does: a request per tab read and per row write."""
    client = make_gspread_client(base_url, timeout=600)
    requests = 0
    started = time.perf_counter()
    try:
        spreadsheet = client.open_by_key(sid)
        requests += 1
        options = options_lists()
        for tab in h.DEFAULT_REGION_TABS:
            worksheet = spreadsheet.worksheet(tab)  # gspread refetches metadata here
            requests += 1
            values: list[list[Any]] = worksheet.get(value_render_option="UNFORMATTED_VALUE")
            requests += 1
            mapping = rules.map_headers(values[2], values[1])
            start = len(values[2])
            worksheet.add_cols(16)  # room for the 16 result columns written below
            requests += 1
            for number, row in enumerate(values[3:], start=4):
                cells = mapping.row_cells(row)
                result = rules.check_row(
                    cells, region=tab, options=options, fiscal_year=2567, as_of=date.today()
                )
                if result.is_blank:
                    continue
                computed = kpi.compute_row(cells)
                out = [float(v) if hasattr(v, "quantize") else v for v in computed.values()] + [
                    result.status,
                    "; ".join(f.text for f in result.findings),
                ]
                end = column_letter(start + len(out) - 1)
                worksheet.update([out], f"{column_letter(start)}{number}:{end}{number}")
                requests += 1
    finally:
        client.http_client.session.close()
    return requests, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--big-rows", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()

    print(f"7 tabs × {args.rows} rows, {args.latency * 1000:.0f} ms latency per request")
    with emulator_process(args.rows, latency=args.latency) as (served, _):
        w_requests, w_time = worker(served.base_url, served.spreadsheet_id)
    with emulator_process(args.rows, latency=args.latency) as (served, _):
        n_requests, n_time = naive(served.base_url, served.spreadsheet_id)
    print(f"  worker : {w_requests:6d} requests  {w_time:8.1f} s")
    print(f"  naive  : {n_requests:6d} requests  {n_time:8.1f} s")
    print(
        f"  ratios : {n_requests / w_requests:.0f}× fewer requests (goal ≥ 20×), "
        f"{n_time / w_time:.1f}× faster (goal ≥ 10×)"
    )

    print(f"\n7 tabs × {args.big_rows} rows, {args.latency * 1000:.0f} ms latency, worker only")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with emulator_process(args.big_rows, latency=args.latency) as (served, _):
        b_requests, b_time = worker(served.base_url, served.spreadsheet_id)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  first run: {b_requests} requests, {b_time:.1f} s wall")
    print(f"  peak RSS of the worker process: {peak / 1024:.0f} MiB (was {before / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
