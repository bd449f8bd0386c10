"""
The emulator's own cost: its share of a demo sync's wall time, then values:batchGet of
7 tabs × 2,000 rows × 83 columns and a values:batchUpdate of every worker cell.

Goal (issue: emulator): the emulator adds under 10 % to a demo sync's wall time. The demo
sync is measured as `sheetsync demo` runs it: the demo data (7 × 40 rows), then `run_once`
twice (first run with set-up, then an unchanged re-run). Each measurement runs in a fresh
process (`--runs`, default 5) because the first request of a process pays one-time costs;
the median and the worst are printed. Then, at `--rows` (default 2,000) per tab: requests/s
and MB/s of the two big calls, and the share of a first sync at that size, for reference.

Run: .venv/bin/python benchmarks/bench_emulator.py [--runs 5] [--rows 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rules import headers as h
from sheets_emulator.api import router as api
from sheets_emulator.api.router import ApiRequest
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sheets_emulator.model.errors import ApiError
from sync.backends.endpoint import make_gspread_client  # the worker's own session (compact answers)
from sync.backends.gspread_backend import GspreadBackend
from sync.core.cells import column_letter
from sync.core.settings import Config, ServiceConfig, SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.run import DEMO_ROWS_PER_REGION
from sync.demo.seed import load_demo
from sync.run.history import RunHistory
from sync.run.logconfig import configure_logging
from sync.run.loop import run_sync
from sync.run.runner import RunRequest, run_once


class SchemaClock:
    """
    Adds up the time the emulator spends checking requests against Google's schema.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self._inner = api.schema_error

        def timed(request: ApiRequest) -> ApiError | None:
            started = time.perf_counter()
            try:
                return self._inner(request)
            finally:
                self.seconds += time.perf_counter() - started

        api.schema_error = timed

    def stop(self) -> None:
        """
        Put the unmeasured check back.
        """
        api.schema_error = self._inner


class ServerClock:
    """
    Adds up the time the server spends answering (parse, handle, encode).

    Wall time is the goal's measure; the CPU time of the answering thread is kept too, because
    on a busy machine both sides of the share stretch with the load and CPU time shows why.
    """

    def __init__(self, emulator: EmulatorHandle) -> None:
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        server = emulator.server
        inner = server.dispatch

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            cpu_started = time.thread_time()
            try:
                reply = inner(*args, **kwargs)
                _ = reply.payload  # encoding is part of the answer
                return reply
            finally:
                self.seconds += time.perf_counter() - started
                self.cpu_seconds += time.thread_time() - cpu_started

        server.dispatch = timed  # type: ignore[method-assign]


def demo_share() -> dict[str, float]:
    """
    Run the demo's two syncs (as `sheetsync demo` does) and time them and the emulator.
    """
    configure_logging(level="WARNING")  # as `sheetsync demo` does
    demo = generate_spreadsheet(rows_per_region=DEMO_ROWS_PER_REGION, seed=2567)
    with run_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        sid = load_demo(emulator.store, demo)
        config = Config(service=ServiceConfig(endpoint=emulator.base_url))
        history = RunHistory(Path(tmp) / "history.sqlite3")
        request = RunRequest(spreadsheet_id=sid, fiscal_year=2567, trigger="demo")
        clock = ServerClock(emulator)
        walls = []
        inside = []
        for _ in range(2):
            before = clock.seconds
            started = time.perf_counter()
            run_once(config, request, history=history)
            walls.append(time.perf_counter() - started)
            inside.append(clock.seconds - before)
    return {
        "first_wall": walls[0],
        "first_inside": inside[0],
        "both_wall": sum(walls),
        "both_inside": sum(inside),
    }


def report_demo_share(runs: int) -> None:
    """
    Measure the demo sync in `runs` fresh processes and print each run, the median and worst.
    """
    shares = []
    for run in range(1, runs + 1):
        out = subprocess.run(
            [sys.executable, __file__, "--one-demo"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        first = figures["first_inside"] / figures["first_wall"]
        both = figures["both_inside"] / figures["both_wall"]
        shares.append((first, both))
        print(
            f"demo sync run {run}: first run {figures['first_inside'] * 1000:.0f} ms inside the "
            f"emulator of {figures['first_wall'] * 1000:.0f} ms = {first:.1%}; "
            f"both runs {figures['both_inside'] * 1000:.0f} of "
            f"{figures['both_wall'] * 1000:.0f} ms = {both:.1%}"
        )
    firsts = [f for f, _ in shares]
    boths = [b for _, b in shares]
    print(
        f"emulator share of a demo sync (7 tabs × {DEMO_ROWS_PER_REGION} rows, {runs} runs): "
        f"first run median {statistics.median(firsts):.1%}, worst {max(firsts):.1%}; "
        f"both runs median {statistics.median(boths):.1%}, worst {max(boths):.1%} "
        "(goal < 10 %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one-demo", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_demo:
        print(json.dumps(demo_share()))
        return
    report_demo_share(args.runs)
    demo = generate_spreadsheet(rows_per_region=args.rows, seed=2567)

    with run_emulator() as emulator:
        sid = load_demo(emulator.store, demo)
        clock = ServerClock(emulator)
        schema_clock = SchemaClock()
        client = make_gspread_client(emulator.base_url, timeout=600)
        http = client.http_client
        try:
            started = time.perf_counter()
            cpu_started = time.process_time()
            report = run_sync(GspreadBackend(client), SyncSettings(spreadsheet_id=sid))
            wall = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            inside = clock.seconds
            print(
                f"demo sync, 7 tabs × {args.rows} rows: first run {wall:.2f} s wall, "
                f"{report.reads + report.writes} requests, {report.cells_written:,} cells written"
            )
            print(f"  time inside the emulator: {inside:.2f} s = {inside / wall:.1%} of the run")
            print(
                f"  CPU time: {clock.cpu_seconds:.2f} s inside the emulator of {cpu:.2f} s "
                f"for the whole process = {clock.cpu_seconds / cpu:.1%}"
            )
            schema_clock.stop()
            print(
                f"  schema check of the requests: {schema_clock.seconds * 1000:.0f} ms"
                f" = {schema_clock.seconds / inside:.1%} of the time inside the emulator"
            )

            ranges = [f"'{t}'" for t in h.DEFAULT_REGION_TABS]
            widths = []
            url = f"https://sheets.googleapis.com/v4/spreadsheets/{sid}/values:batchGet"
            params: dict[str, Any] = {"ranges": ranges, "valueRenderOption": "UNFORMATTED_VALUE"}
            total_bytes = 0
            started = time.perf_counter()
            for _ in range(args.repeat):
                response = http.request("get", url, params=params)
                total_bytes += len(response.content)
            elapsed = time.perf_counter() - started
            body = json.loads(response.content)
            widths = [max(len(r) for r in vr["values"]) for vr in body["valueRanges"]]
            cells = sum(
                len(vr["values"]) * w for vr, w in zip(body["valueRanges"], widths, strict=True)
            )
            print(
                f"values:batchGet of 7 tabs ({cells:,} cells, up to {max(widths)} columns): "
                f"{args.repeat / elapsed:.2f} requests/s, "
                f"{total_bytes / elapsed / 2**20:.1f} MB/s "
                f"({total_bytes / args.repeat / 2**20:.1f} MB each)"
            )

            data = []
            for vr in body["valueRanges"]:
                rows = vr["values"]
                header = rows[2]
                first = header.index(h.WORKER_HEADERS[0])
                last = header.index(h.WORKER_HEADERS[-1])
                block = [r[first : last + 1] + [""] * (last + 1 - len(r)) for r in rows[3:]]
                title = vr["range"].split("!")[0]
                data.append(
                    {
                        "range": f"{title}!{column_letter(first)}4:"
                        f"{column_letter(last)}{3 + len(block)}",
                        "values": [
                            [v if v is not None else "" for v in r[: last - first + 1]]
                            for r in block
                        ],
                    }
                )
            payload = json.dumps({"valueInputOption": "RAW", "data": data}).encode()
            url = f"https://sheets.googleapis.com/v4/spreadsheets/{sid}/values:batchUpdate"
            started = time.perf_counter()
            for _ in range(args.repeat):
                reply = http.request("post", url, json={"valueInputOption": "RAW", "data": data})
            elapsed = time.perf_counter() - started
            updated = reply.json()["totalUpdatedCells"]
            print(
                f"values:batchUpdate of every worker cell ({updated:,} cells): "
                f"{args.repeat / elapsed:.2f} requests/s, "
                f"{len(payload) * args.repeat / elapsed / 2**20:.1f} MB/s "
                f"({len(payload) / 2**20:.1f} MB each)"
            )
        finally:
            http.session.close()


if __name__ == "__main__":
    main()
