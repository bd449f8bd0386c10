"""
The resident memory of a real `sheetsync serve` over many runs, with and without starting afresh.

`bench_cost.py` measures the service's runs inside one process (`run_sync`, as the service calls
it); this script runs the real command, as an operator does: `sheetsync serve` against the
emulator (in another process) holding 7 × ROWS generated rows, after a `sheetsync run` has set
the worker's tabs up (the box is one of them). Before each run people's cells change (10 rows,
new numbers) and the `ซิงก์ทันที` box is ticked; the service answers the box on its next look
(about a minute apart: the checkbox poll's own pace), and the RSS of its process is read from
/proc once the run is over and its memory given back. Each mode is its own process and
emulator, one after the other: `service.renew_above_mib = 0` (the process lives on) and the
limit (the process starts afresh, same process id, once a run leaves it above the limit).

Run: .venv/bin/python benchmarks/bench_serve_memory.py [--rows 2000] [--runs 15] [--limit 150]
(about one minute a run and mode: 30 minutes by default.)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _cost_child import EDITED_ROWS, edit_people_cells  # noqa: E402
from _emulator_process import emulator_process  # noqa: E402

from rules import headers as h  # noqa: E402
from sync.backends.endpoint import make_gspread_client  # noqa: E402


class Events:
    """The JSON log lines of the service's stderr, collected by a thread as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.seen: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("{"):
                with self._changed:
                    self.seen.append(json.loads(line))
                    self._changed.notify_all()

    def count(self, event: str) -> int:
        with self._changed:
            return sum(1 for e in self.seen if e.get("event") == event)

    def wait_for(self, event: str, times: int, limit_s: float) -> None:
        deadline = time.monotonic() + limit_s
        with self._changed:
            while self.count(event) < times:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SystemExit(f"the service logged no {event} #{times} in {limit_s:.0f} s")
                self._changed.wait(left)


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def serve_runs(rows: int, runs: int, limit: int) -> list[tuple[float, int]]:
    """RSS after each run (and the renewals so far) of one `sheetsync serve`."""
    with emulator_process(rows) as (served, _), tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "sheetsync.toml"
        config.write_text(
            "[service]\n"
            f'endpoint = "{served.base_url}"\n'
            f'history = "{folder}/history.sqlite3"\n'
            f'lock_dir = "{folder}/locks"\n'
            + f"renew_above_mib = {limit}\n"
            + '[defaults]\nschedule = "0 0 1 1 *"\nnightly = ""\n'
            f'[[spreadsheets]]\nid = "{served.spreadsheet_id}"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHEETSYNC_")}
        command = [str(Path(sys.executable).with_name("sheetsync"))]
        # The worker's tabs and the box exist once a first run has set them up.
        subprocess.run(
            [*command, "run", "--config", str(config), "--spreadsheet", served.spreadsheet_id],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
        )
        client = make_gspread_client(served.base_url, timeout=600)
        sheet = client.open_by_key(served.spreadsheet_id).worksheet(h.SUMMARY_TAB)
        edit_people_cells(client, served.spreadsheet_id, EDITED_ROWS, rows, 1000)
        sheet.update([["TRUE"]], "E1", raw=False)  # the first look at start answers it
        process = subprocess.Popen(
            [*command, "serve", "--config", str(config)],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        events = Events(process)
        figures: list[tuple[float, int]] = []
        try:
            for run in range(1, runs + 1):
                if run > 1:
                    edit_people_cells(client, served.spreadsheet_id, EDITED_ROWS, rows, 1000 * run)
                    sheet.update([["TRUE"]], "E1", raw=False)
                events.wait_for("run_finished", run, 600)
                time.sleep(3)  # the service packs its kept rows and gives memory back
                figures.append((rss_mib(process.pid), events.count("service_renewing")))
                print(f"  limit {limit}: run {run}: {figures[-1][0]:.0f} MiB", file=sys.stderr)
        finally:
            process.terminate()
            process.wait(120)
            client.http_client.session.close()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--limit", type=int, default=150)
    args = parser.parse_args()
    modes = {"lives on": serve_runs(args.rows, args.runs, 0)}
    modes[f"afresh > {args.limit} MiB"] = serve_runs(args.rows, args.runs, args.limit)
    print(
        f"`sheetsync serve`, 7 × {args.rows:,} rows, RSS after each run (MiB), 10 edits before each"
    )
    print(f"{'run':>4} | " + " | ".join(f"{name:>16}" for name in modes))
    for run in range(args.runs):
        cells = []
        for figures in modes.values():
            rss, renewed = figures[run]
            cells.append(f"{rss:>12.0f}" + (f" ({renewed})" if renewed else "    "))
        print(f"{run + 1:>4} | " + " | ".join(cells))
    print("(n) = times the process had started afresh by then")


if __name__ == "__main__":
    main()
