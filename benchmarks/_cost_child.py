"""
One service measurement of `bench_cost.py`, in a fresh process, of the code tree on PYTHONPATH.

Three `run_sync` calls in this one process, as the scheduler service makes them: a first run
of a spreadsheet nobody synced yet (CPU, requests and peak RSS, per phase too), an unchanged
run right after it, and a run after 10 people's cells were edited. The emulator runs in
another process (started by `bench_cost.py`), so CPU and memory here are the worker's own.
Before the first run, `sync.service.warm.warm_up()` where the worker has it, as the service
calls it at start; after each run, `sync.run.loop.pack_kept_rows()` where the worker has it, as
the service calls it once a run is over (the CPU of both is reported on its own, not in the
run's).

Only entry points that every version of the worker has are used: `run_sync(backend,
settings)`, `GspreadBackend(client)`, `make_gspread_client(base_url, timeout=...)` and
`SyncSettings(spreadsheet_id=...)`; the phases are timed by wrapping `read_snapshot`,
`plan_round` and `write_round` where `sync.run.loop` imports them (a phase a version
does not have is simply not reported).

Run (by `bench_cost.py`): python _cost_child.py TREE BASE_URL SPREADSHEET_ID ROWS OUT.json
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import re
import resource
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gspread.utils import rowcol_to_a1

PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20
EDITED_ROWS = 10
LATER_EDITED_RUNS = 12
"""Runs after edits that follow the three measured ones, for the service's RSS over time."""
EDITED_HEADER = "ยอดขายหลัง (บาท/เดือน)"
"""The column people edit between runs: sales after the project, a number that KPIs use."""
PHASES = {
    "read_snapshot": ("read", "verify-read"),
    "plan_round": ("plan", "verify-plan"),
    "write_round": ("write",),
}
"""Function in `sync.run.loop` → names of its first, second, … call in a first run."""

SPLIT_READ = {
    "read_tabs": ("read",),
    "snapshot_of": ("decode",),
    "read_snapshot": ("verify-read",),
}
"""Where the loop reads its first snapshot in two steps (the bytes, then their grids)."""

HOMES = {"plan_round": "sync.core.round", "write_round": "sync.run.write"}
"""Where a phase function lives when the loop imports it only once it plans."""


def rss_mib() -> float:
    """Current resident-set size (not the peak), from /proc/self/statm."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_MIB


def peak_mib() -> float:
    """Peak resident-set size since the last `reset_peak` (VmHWM), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Start a new peak (Linux ≥ 4.0: writing 5 to clear_refs resets VmHWM); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def small_objects() -> dict[str, float] | None:
    """
    CPython's small-object allocator, from `sys._debugmallocstats` (its report goes to the C
    stderr, so it is caught at file descriptor 2), in MiB: its live blocks, and the arenas it
    holds now and held at most. An arena goes back to the system only once every block in it
    is free, so arenas held against live MiB is what a run's leftovers pin.
    """
    report = getattr(sys, "_debugmallocstats", None)
    if report is None:  # not CPython
        return None
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            report()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        caught.seek(0)
        text = caught.read().decode("ascii", "replace")

    def figure(label: str) -> float | None:
        found = re.search(re.escape(label) + r"\s*=\s*([\d,]+)", text)
        return float(found.group(1).replace(",", "")) if found else None

    live = figure("# bytes in allocated blocks")
    held = figure("# arenas allocated current")
    most = figure("# arenas highwater mark")
    size = re.search(r"arenas \* ([\d,]+) bytes/arena", text)
    if live is None or held is None or most is None or size is None:
        return None
    arena_mib = int(size.group(1).replace(",", "")) / 2**20
    return {
        "live_mib": live / 2**20,
        "arenas_mib": held * arena_mib,
        "arenas_most_mib": most * arena_mib,
    }


def cpu_s() -> float:
    """User + system CPU of this process (all its threads) so far."""
    return time.process_time()


class Phases:
    """Wrap the run loop's phase functions; record CPU, wall and peak RSS of each call."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.records: list[dict[str, Any]] = []
        self.peak_between = 0.0
        """Highest peak seen outside the wrapped calls (the peak is reset around each)."""
        self.can_reset = reset_peak()
        self.names: dict[str, tuple[str, ...]] = dict(PHASES)

    def install(self, module: Any) -> list[str]:
        """Wrap what `module` (or the phase's home module) has of PHASES; the names wrapped."""
        import importlib

        self.names = dict(PHASES)
        if callable(getattr(module, "read_tabs", None)):
            self.names.update(SPLIT_READ)
        wrapped = []
        for attr in self.names:
            home = module
            if getattr(module, attr, None) is None and attr in HOMES:
                home = importlib.import_module(HOMES[attr])
            original = getattr(home, attr, None)
            if callable(original):
                setattr(home, attr, self._wrap(attr, original))
                wrapped.append(attr)
        return wrapped

    def start_run(self) -> None:
        """Forget the previous run's calls (their records stay)."""
        self.calls = {}
        self.peak_between = peak_mib()
        if self.can_reset:
            reset_peak()

    def _wrap(self, attr: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            number = self.calls.get(attr, 0)
            self.calls[attr] = number + 1
            names = self.names[attr]
            name = names[number] if number < len(names) else f"{names[-1]}#{number + 1}"
            self.peak_between = max(self.peak_between, peak_mib())
            if self.can_reset:
                reset_peak()
            cpu0, wall0 = cpu_s(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.records.append(
                    {
                        "phase": name,
                        "cpu_s": cpu_s() - cpu0,
                        "wall_s": time.perf_counter() - wall0,
                        "peak_rss_mib": peak_mib(),
                        "rss_after_mib": rss_mib(),
                    }
                )
                self.peak_between = max(self.peak_between, peak_mib())
                if self.can_reset:
                    reset_peak()

        return timed

    def run_peak(self, first: int) -> float:
        """The peak RSS of the run whose records start at index `first`."""
        peaks: list[float] = [r["peak_rss_mib"] for r in self.records[first:]]
        return max([self.peak_between, peak_mib(), *peaks])


def emulator_counters(base_url: str, *, reset: bool = False) -> dict[str, Any]:
    """
    The emulator's tallies (`total`: API requests, `byKind`); with `reset`, zero them instead.
    """
    url = f"{base_url}/__emulator/counters"
    if reset:
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=30).close()
        return {}
    with urllib.request.urlopen(url, timeout=30) as answer:
        counters: dict[str, Any] = json.load(answer)
    return counters


def edit_people_cells(client: Any, sid: str, count: int, rows: int, shift: int = 0) -> list[str]:
    """
    Change one person-entered number in `count` rows spread over the regional tabs, as people
    typing would (through the API, before the run); return the cells edited. Another `shift`
    types other numbers into the same cells (a later edit of the same rows).
    """
    spreadsheet = client.open_by_key(sid)
    regions = [w.title for w in spreadsheet.worksheets() if w.title.startswith("ศก.")]
    headers = spreadsheet.values_batch_get([f"'{t}'!3:3" for t in regions])["valueRanges"]
    cells: list[str] = []
    data: list[dict[str, Any]] = []
    for i in range(count):
        region = regions[i % len(regions)]
        header = headers[i % len(regions)].get("values", [[]])[0]
        column = header.index(EDITED_HEADER) + 1
        row = 4 + (i * 97) % rows  # spread over the tab
        cells.append(f"'{region}'!{rowcol_to_a1(row, column)}")
        data.append({"range": cells[-1], "values": [[150_000 + 37 * i + shift]]})
    spreadsheet.values_batch_update({"valueInputOption": "RAW", "data": data})
    return cells


def check_tree(tree: Path) -> dict[str, str]:
    """
    Fail unless the worker's packages come from `tree` (not an editable install); found
    without importing them, so the emulator's package never counts in the worker's memory.
    """
    import importlib.util

    files = {}
    for name in ("sync", "rules", "kpi", "sheets_emulator"):
        spec = importlib.util.find_spec(name)
        files[name] = str(spec.origin if spec is not None else None)
    for name, file in files.items():
        if not Path(file).resolve().is_relative_to(tree.resolve()):
            raise SystemExit(f"{name} imported from {file}, not from {tree}")
    return files


def measure(tree: Path, base_url: str, sid: str, rows: int) -> dict[str, Any]:
    """The three runs; see the module docstring."""
    started_rss = rss_mib()
    files = check_tree(tree)
    import sync.run.loop as loop
    from sync.backends.endpoint import make_gspread_client  # the worker's own, not the emulator's
    from sync.backends.gspread_backend import GspreadBackend
    from sync.core.settings import SyncSettings

    phases = Phases()
    wrapped = phases.install(loop)
    client = make_gspread_client(base_url, timeout=600)
    backend = GspreadBackend(client)
    settings = SyncSettings(spreadsheet_id=sid)
    imported_rss = rss_mib()
    result: dict[str, Any] = {"files": files, "wrapped": wrapped, "peak_reset": phases.can_reset}

    def one_run(label: str) -> None:
        first = len(phases.records)
        emulator_counters(base_url, reset=True)
        phases.start_run()
        cpu0, wall0 = cpu_s(), time.perf_counter()
        loop.run_sync(backend, settings)
        cpu, wall = cpu_s() - cpu0, time.perf_counter() - wall0
        counters = emulator_counters(base_url)
        # What the service does once a run is over, where the worker has it.
        pack = getattr(loop, "pack_kept_rows", None)
        pack_cpu0 = cpu_s()
        if pack is not None:
            pack()
        result[label] = {
            "cpu_s": cpu,
            "wall_s": wall,
            "requests": int(counters["total"]),
            "by_kind": counters["byKind"],
            "peak_rss_mib": phases.run_peak(first),
            "rss_after_mib": rss_mib(),
            "phases": phases.records[first:],
            "pack_cpu_s": cpu_s() - pack_cpu0 if pack is not None else None,
        }

    try:  # what the service does at start, where the worker has it
        from sync.service.warm import warm_up
    except ImportError:
        result["warm_cpu_s"] = None
    else:
        warm_cpu0 = cpu_s()
        warm_up()
        result["warm_cpu_s"] = cpu_s() - warm_cpu0
    result["rss_warm_mib"] = rss_mib()
    one_run("first")
    result["rss_before_mib"] = started_rss
    result["rss_imported_mib"] = imported_rss
    one_run("unchanged")
    result["edited"] = edit_people_cells(client, sid, EDITED_ROWS, rows)
    one_run("changed")
    result["rss_after_three_mib"] = rss_mib()
    # A service runs all day: more runs after edits (other numbers each time), the live
    # memory between them constant, show whether its RSS settles or keeps creeping.
    later = []
    # Their CPU too: the median of twelve edit runs is steadier than the one run above (which
    # is also the first whose edit takes a participant off the compiled list).
    later_cpu = []
    for turn in range(LATER_EDITED_RUNS):
        edit_people_cells(client, sid, EDITED_ROWS, rows, shift=1_000 * (turn + 1))
        kept = len(phases.records)
        phases.start_run()
        cpu0 = cpu_s()
        loop.run_sync(backend, settings)
        later_cpu.append(cpu_s() - cpu0)
        # The benchmark's own records of this run, made during it, would pin its memory.
        del phases.records[kept:]
        pack = getattr(loop, "pack_kept_rows", None)
        if pack is not None:
            pack()
        later.append(rss_mib())
    result["rss_later_mib"] = later
    result["later_cpu_s"] = later_cpu
    gc.collect()
    result["small_objects_later"] = small_objects()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        result["rss_trimmed_mib"] = rss_mib()
    except OSError:  # not glibc
        result["rss_trimmed_mib"] = None
    forget = getattr(loop, "forget_row_caches", None)
    if forget is not None:  # what the rows kept for the next run cost the service
        forget()
        gc.collect()
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        result["rss_without_rows_mib"] = rss_mib()
    client.http_client.session.close()
    return result


def main() -> None:
    """Measure and write the figures as JSON to the file named last on the command line."""
    tree, base_url, sid, rows, out = sys.argv[1:6]
    figures = measure(Path(tree), base_url, sid, int(rows))
    Path(out).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
