"""
The service under load: 30 spreadsheets × 7 tabs × 300 rows, each run every 5 minutes, an hour.

Real requests go through gspread to the emulator, which enforces Google's per-user quota (60
reads + 60 writes a minute, 429 past it). Time is simulated so the hour takes minutes: the
clock is real elapsed time (gspread, the emulator and the whole run's CPU work count in full)
plus the idle stretches skipped between events; the quota limiter's waits and the 100 ms each
request takes to answer advance the clock instead of sleeping (`--real-latency` makes the
emulator really wait instead, which takes about four more minutes). The emulator's quota
window runs on the same clock. One worker runs everything in sequence (the real service has
four; the shared limiter caps them the same way, so the figures are the slower case). The
spreadsheets are synced once before the hour starts, as on a service that has been running.

During the hour people keep working: every spreadsheet gets an edited row about every 20
minutes (so some scheduled runs write, 4 requests, instead of finding nothing, 1 request), and
someone ticks the `ซิงก์ทันที` checkbox of a random spreadsheet every few minutes.

Printed: total requests, peak requests in any 60-second window against the quota, 429
answers, the longest run, and how long a ticked checkbox waited until a run had unticked it
(worst and median).

Goals: peak under the quota with zero 429s; every ticked checkbox answered within 60 s.

Run: .venv/bin/python benchmarks/bench_service.py [--quick] [--sheets N] [--rows N]
     [--minutes N] [--every N] [--latency S] [--real-latency] [--no-limiter]
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rules import headers as h
from sheets_emulator.http.faults import Faults
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import Store
from sync.backends.base import Grid, SheetsBackend, SpreadsheetInfo
from sync.backends.endpoint import make_gspread_client  # the worker's own session (compact answers)
from sync.backends.gspread_backend import GspreadBackend
from sync.backends.memory import MemoryBackend
from sync.backends.retry import RetryPolicy
from sync.core.settings import BANGKOK, Config, SyncSettings
from sync.demo.data import DemoSpreadsheet, generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run.logconfig import configure_logging
from sync.run.loop import run_sync
from sync.service import RateLimiter, SyncService, ThrottledBackend, parse_cron
from sync.service.scheduler import OffsetTrigger

START = datetime(2024, 10, 7, 9, 0, tzinfo=BANGKOK)
"""A Monday morning, inside the default schedule's working hours."""


class SimClock:
    """Real elapsed seconds plus every idle stretch skipped and every wait simulated."""

    def __init__(self) -> None:
        self._real_start = time.monotonic()
        self._skipped = 0.0

    def now(self) -> float:
        """Simulated seconds since the start."""
        return time.monotonic() - self._real_start + self._skipped

    def sleep(self, seconds: float) -> None:
        """Wait without waiting: the clock jumps."""
        self._skipped += max(seconds, 0.0)

    def advance_to(self, moment: float) -> None:
        """Skip the idle time until an event is due."""
        self.sleep(moment - self.now())

    def wall(self) -> datetime:
        """The simulated Bangkok time (what a run stamps into the sheet)."""
        return START + timedelta(seconds=self.now())


class Recorder:
    """A SheetsBackend that notes each request's side and simulated start time."""

    def __init__(self, backend: SheetsBackend, clock: SimClock, latency: float) -> None:
        self.backend = backend
        self.clock = clock
        self.latency = latency
        self.calls: list[tuple[str, float]] = []

    @contextmanager
    def _request(self, side: str) -> Iterator[None]:
        self.calls.append((side, self.clock.now()))
        yield
        self.clock.sleep(self.latency)

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[Grid]:
        with self._request("read"):
            return self.backend.read_ranges(spreadsheet_id, ranges)

    def read_info(self, spreadsheet_id: str) -> SpreadsheetInfo:
        with self._request("read"):
            return self.backend.read_info(spreadsheet_id)

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]
    ) -> list[Mapping[str, Any]]:
        with self._request("write"):
            return self.backend.batch_update(spreadsheet_id, requests)

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Mapping[str, Any]:
        with self._request("write"):
            return self.backend.write_values(spreadsheet_id, data, input_option=input_option)


class SimulatedService(SyncService):
    """The real service's runs, looks and limiter, with runs queued here instead of threads."""

    queued: list[tuple[str, str]]

    def run_now(self, spreadsheet_id: str, trigger: str = "manual") -> None:
        self.queued.append((spreadsheet_id, trigger))


def peak_per_window(times: Sequence[float], window: float = 60.0) -> int:
    """The most requests that started within any one window."""
    ordered = sorted(times)
    best, first = 0, 0
    for last, moment in enumerate(ordered):
        while ordered[first] <= moment - window:
            first += 1
        best = max(best, last - first + 1)
    return best


def fire_times(expr: str, offset: int, minutes: float) -> list[float]:
    """Seconds after START at which a cron line shifted by an offset fires within the hour."""
    trigger = OffsetTrigger(parse_cron(expr), offset)
    times: list[float] = []
    previous: datetime | None = None
    now = START
    end = START + timedelta(minutes=minutes)
    while True:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None or fire >= end:
            return times
        times.append((fire - START).total_seconds())
        previous, now = fire, fire + timedelta(microseconds=1)


def simulate(args: argparse.Namespace) -> None:
    """Load the spreadsheets, run the simulated hour, print the figures."""
    rng = random.Random(2567)
    demo = generate_spreadsheet(rows_per_region=args.rows, seed=7)
    phone_col = demo.tabs["ศก.1"][2].index("โทรศัพท์มือถือ")
    clock = SimClock()
    tmp = Path(tempfile.mkdtemp(prefix="bench-service-"))
    with run_emulator() as emulator:
        ids = _synced_copies(emulator.store, demo, args.sheets)
        emulator.server.faults = Faults(clock=clock.now)
        if args.real_latency:
            emulator.faults.set_latency(args.latency)
        config = Config.model_validate(
            {
                "service": {
                    "endpoint": emulator.base_url,
                    "history": str(tmp / "history.sqlite3"),
                    "lock_dir": str(tmp / "locks"),
                },
                "defaults": {"schedule": f"*/{args.every} * * * *", "nightly": ""},
                "spreadsheets": [{"id": sid, "label": f"sheet {n}"} for n, sid in enumerate(ids)],
            }
        )
        client = make_gspread_client(emulator.base_url)
        # Retries would hide 429s; with the limiter there should be none to retry.
        recorder = Recorder(
            GspreadBackend(client, retry=RetryPolicy(max_attempts=1)),
            clock,
            0.0 if args.real_latency else args.latency,
        )

        @contextmanager
        def factory(_: Config) -> Iterator[SheetsBackend]:
            yield recorder

        quota = 10**9 if args.no_limiter else 60
        limiter = RateLimiter(quota, quota, clock=clock.now, sleep=clock.sleep)
        service = SimulatedService(
            config,
            backend_factory=factory,
            limiter=limiter,
            clock=clock.wall,
            monotonic=clock.now,
        )
        service.queued = []
        looker = ThrottledBackend(recorder, limiter)
        emulator.faults.set_quota(reads_per_minute=60, writes_per_minute=60)

        end = args.minutes * 60.0
        events: list[tuple[float, int, str, str]] = []
        seq = 0

        def push(moment: float, kind: str, sid: str = "") -> None:
            nonlocal seq
            seq += 1
            heapq.heappush(events, (moment, seq, kind, sid))

        for sid in ids:
            for moment in fire_times(config.defaults.schedule, service.offsets[sid], args.minutes):
                push(moment, "schedule", sid)
            for _ in range(int(args.minutes / 20) + 1):
                push(rng.uniform(0, end), "edit", sid)
        for _ in range(int(args.minutes / 3)):
            push(rng.uniform(60, end - 120), "tick", rng.choice(ids))
        for n in range(int(end / service.watcher.tick_s)):
            push(n * service.watcher.tick_s, "poll")

        ticked_at: dict[str, float] = {}
        waits: list[float] = []
        runs: dict[str, int] = {}
        longest = (0.0, "")

        def run(sid: str, trigger: str) -> None:
            nonlocal longest
            began = clock.now()
            service.run_job(sid, trigger)
            took = clock.now() - began
            runs[trigger] = runs.get(trigger, 0) + 1
            if took > longest[0]:
                longest = (took, f"{trigger} run of sheet {ids.index(sid)}")
            if sid in ticked_at:
                box = emulator.store.get_values(
                    sid, h.SUMMARY_TAB, "E1", render="UNFORMATTED_VALUE"
                )
                if box and box[0] and box[0][0] is False:
                    waits.append(clock.now() - ticked_at.pop(sid))

        looks = 0
        real_start = time.monotonic()
        while events and events[0][0] < end:
            moment, _, kind, sid = heapq.heappop(events)
            clock.advance_to(moment)
            if kind == "schedule":
                run(sid, "schedule")
            elif kind == "edit":
                with emulator.store.lock:
                    row = rng.randrange(4, 4 + args.rows)
                    phone = f"08{rng.randrange(10**8):08d}"
                    emulator.store.set_values(
                        sid,
                        rng.choice(h.DEFAULT_REGION_TABS),
                        f"{_col(phone_col)}{row}",
                        [[phone]],
                        user_entered=False,
                    )
            elif kind == "tick":
                if sid not in ticked_at:
                    with emulator.store.lock:
                        emulator.store.set_values(
                            sid, h.SUMMARY_TAB, "E1", [[True]], user_entered=False
                        )
                    ticked_at[sid] = clock.now()
            else:
                looks += service.poll_due(looker)
            while service.queued:
                run(*service.queued.pop(0))
        client.http_client.session.close()
        real = time.monotonic() - real_start
        statuses = emulator.counters.snapshot()["byStatus"]

    reads = [t for side, t in recorder.calls if side == "read"]
    writes = [t for side, t in recorder.calls if side == "write"]
    print(
        f"spreadsheets        : {args.sheets} × 7 tabs × {args.rows} rows; runs every "
        f"{args.every} min; {args.latency * 1000:.0f} ms per request; {args.minutes} simulated min "
        f"in {real:.0f} s real"
    )
    print(
        f"runs                : {sum(runs.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(runs.items()))}); checkbox looks {looks}"
    )
    print(f"total requests      : {len(recorder.calls)} ({len(reads)} reads, {len(writes)} writes)")
    print(
        f"peak per minute     : {peak_per_window(reads)} reads, {peak_per_window(writes)} writes "
        "(quota 60 + 60)"
    )
    failed = sum(1 for run in service.runs if run.outcome == "failed")
    print(f"429 answers         : {statuses.get('429', 0)} ({failed} runs failed)")
    print(f"limiter waits       : {limiter.waited_s:.1f} s in total")
    print(f"longest run         : {longest[0]:.1f} s ({longest[1]})")
    if waits:
        print(
            f"checkbox wait       : worst {max(waits):.1f} s, "
            f"median {statistics.median(waits):.1f} s over {len(waits)} ticks "
            f"({len(ticked_at)} still waiting at the end)"
        )
    print("goal                : peak ≤ 60 + 60 with zero 429s; checkbox answered within 60 s")


def _synced_copies(store: Store, demo: DemoSpreadsheet, count: int) -> list[str]:
    """One spreadsheet synced once (set-up done), then copied, as after a day of service."""
    first = load_demo(store, demo)
    run_sync(MemoryBackend(store), SyncSettings(spreadsheet_id=first))
    ids = [first]
    for _ in range(count - 1):
        twin = store.get(first).clone()
        twin.spreadsheet_id = store.new_spreadsheet_id()
        store.replace(twin)
        ids.append(twin.spreadsheet_id)
    return ids


def _col(index: int) -> str:
    from sync.core.cells import column_letter

    return column_letter(index)


def main() -> None:
    """Parse the options and run the simulation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="10 sheets × 100 rows, 20 minutes")
    parser.add_argument("--sheets", type=int, default=30)
    parser.add_argument("--rows", type=int, default=300, help="rows per regional tab")
    parser.add_argument("--minutes", type=float, default=60.0, help="simulated minutes")
    parser.add_argument("--every", type=int, default=5, help="minutes between scheduled runs")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument(
        "--real-latency", action="store_true", help="the emulator really waits (slower)"
    )
    parser.add_argument(
        "--no-limiter", action="store_true", help="no shared limiter: shows what it prevents"
    )
    args = parser.parse_args()
    if args.quick:
        args.sheets, args.rows, args.minutes = 10, 100, 20.0
    configure_logging(level="ERROR")
    simulate(args)


if __name__ == "__main__":
    main()
