"""
The emulator's own cost: values:batchGet of 7 tabs × 2,000 rows × 83 columns, a
values:batchUpdate of every worker cell, and its share of a demo sync's wall time.

Prints requests/s and MB/s of each, and the share of a full first sync (set-up and every
worker cell written) spent inside the emulator. Goal: the emulator adds under 10 % to a
demo sync's wall time. Run: .venv/bin/python benchmarks/bench_emulator.py [--rows 2000]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from rules import headers as h
from sync.backends.gspread_backend import GspreadBackend
from sync.cells import column_letter
from sync.demodata import generate_spreadsheet
from sync.emulator.client import make_gspread_client
from sync.emulator.server import EmulatorHandle, run_emulator
from sync.pipeline import SyncSettings, run_sync
from sync.testing import load_demo


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    demo = generate_spreadsheet(rows_per_region=args.rows, seed=2567)

    with run_emulator() as emulator:
        sid = load_demo(emulator.store, demo)
        clock = ServerClock(emulator)
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
            print(
                f"  time inside the emulator: {inside:.2f} s = {inside / wall:.1%} of the run "
                "(goal < 10 %)"
            )
            print(
                f"  CPU time: {clock.cpu_seconds:.2f} s inside the emulator of {cpu:.2f} s "
                f"for the whole process = {clock.cpu_seconds / cpu:.1%}"
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
