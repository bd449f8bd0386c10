"""
Run an emulator with generated data in a child process, so the parent measures only itself.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection


@dataclass(frozen=True)
class Served:
    """Where the child emulator listens and which spreadsheet it holds."""

    base_url: str
    spreadsheet_id: str


def _serve(conn: Connection, rows: int, seed: int, latency: float) -> None:
    from sheets_emulator.http.server import run_emulator
    from sync.demo.data import generate_spreadsheet
    from sync.demo.seed import load_demo

    with run_emulator() as emulator:
        sid = load_demo(emulator.store, generate_spreadsheet(rows_per_region=rows, seed=seed))
        emulator.faults.set_latency(latency)
        conn.send((emulator.base_url, sid))
        while True:
            message = conn.recv()
            if message == "stop":
                break
            if message == "counters":
                conn.send(emulator.counters.snapshot())
            if message == "reset":
                emulator.counters.reset()
                conn.send("ok")


@contextmanager
def emulator_process(
    rows: int, *, seed: int = 2567, latency: float = 0.0
) -> Iterator[tuple[Served, Connection]]:
    """Start the child, yield its address and a control pipe, stop it afterwards."""
    parent, child = mp.Pipe()
    process = mp.get_context("fork").Process(target=_serve, args=(child, rows, seed, latency))
    process.start()
    base_url, sid = parent.recv()
    try:
        yield Served(base_url, sid), parent
    finally:
        parent.send("stop")
        process.join(30)
