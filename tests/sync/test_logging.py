"""Logs: one JSON object per line off a terminal, the run id on every line, personal data masked."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
import structlog

from sheets_emulator.http.server import EmulatorHandle
from sync.backends.memory import MemoryBackend
from sync.core.settings import Config, ServiceConfig, SyncSettings
from sync.demo.data import DemoSpreadsheet
from sync.run.history import RunHistory
from sync.run.logconfig import configure_logging, get_logger
from sync.run.loop import run_sync
from sync.run.runner import RunRequest, run_once


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """Logs captured as the service writes them when not on a terminal (JSON lines)."""
    stream = io.StringIO()
    configure_logging(json=True, stream=stream)
    yield stream
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def test_personal_data_is_masked_in_any_field(log_stream: io.StringIO) -> None:
    """IDs, phones and e-mails are masked wherever they appear, even in free text."""
    fake_key = "-----BEGIN " + "PRIVATE KEY-----abc"  # built at run time: no key-shaped literal
    get_logger().warning(
        "row_problem",
        detail="เลขบัตร 1103702071838 โทร 081-234-5678 อีเมล somchai@example.com",
        nested={"phone": "0812345678", "private_key": fake_key},
    )
    line = log_stream.getvalue()
    for secret in ("1103702071838", "081-234-5678", "0812345678", "somchai@", "BEGIN PRIVATE"):
        assert secret not in line
    record = json.loads(line)
    assert "[redacted]" == record["nested"]["private_key"]


def test_every_line_of_a_run_carries_its_run_id(
    log_stream: io.StringIO,
    emulator: EmulatorHandle,
    loaded: str,
    small_demo: DemoSpreadsheet,
    tmp_path: object,
) -> None:
    """A run's lines (pipeline, backend, runner) all name the same run id; no PII leaks."""
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    config = Config(service=ServiceConfig(endpoint=emulator.base_url))
    emulator.faults.fail_next(1, 503)  # a retry line too
    report = run_once(
        config,
        RunRequest(spreadsheet_id=loaded),
        history=RunHistory(tmp_path / "h.sqlite3"),
    )
    lines = [json.loads(x) for x in log_stream.getvalue().splitlines()]
    assert len(lines) >= 3
    assert {report.run_id} == {x.get("run_id") for x in lines}
    events = {x["event"] for x in lines}
    assert {"planned", "retrying", "run_finished"} <= events
    text = log_stream.getvalue()
    pins = {
        str(v).replace("-", "").replace(" ", "")
        for grid in small_demo.tabs.values()
        for row in grid[3:]
        for v in row
        if isinstance(v, str | int) and len(str(v).replace("-", "").replace(" ", "")) == 13
    }
    assert pins and not any(pin in text for pin in pins)


def test_library_log_lines_are_masked_too(log_stream: io.StringIO) -> None:
    """A standard-logging line from a library gets the same JSON format and masking."""
    import logging

    structlog.contextvars.bind_contextvars(run_id="r1")
    logging.getLogger("urllib3").warning("retrying for somchai@example.com 0812345678")
    record = json.loads(log_stream.getvalue().splitlines()[-1])
    assert "r1" == record["run_id"]
    assert "somchai@" not in record["event"] and "0812345678" not in record["event"]


def test_cells_left_unverified_after_the_last_round_are_logged(
    log_stream: io.StringIO, emulator: EmulatorHandle, loaded: str
) -> None:
    """A run cut short of its verify read says how many written cells it did not read back."""
    report = run_sync(
        MemoryBackend(emulator.store), SyncSettings(spreadsheet_id=loaded, max_rounds=1)
    )
    assert report.unconverged_cells > 0
    records = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    warned = [r for r in records if r.get("event") == "unverified_cells"]
    assert [report.unconverged_cells] == [r["cells"] for r in warned]


def test_run_and_spreadsheet_ids_are_never_taken_for_phone_numbers(
    log_stream: io.StringIO,
) -> None:
    """IDs with long digit runs stay whole; the same digits in free text are masked."""
    get_logger(run_id="7c616098030e").info(
        "started", spreadsheet="1x0812345678abc", detail="โทร 0812345678"
    )
    record = json.loads(log_stream.getvalue())
    assert ("7c616098030e", "1x0812345678abc") == (record["run_id"], record["spreadsheet"])
    assert "0812345678" not in record["detail"]
