"""The first write of a run planned from the record checks every id it uses, atomically."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.model.store import Store
from sync.backends.memory import MemoryBackend
from sync.core.settings import BANGKOK, SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run.loop import run_sync

NOW = datetime(2024, 10, 2, 9, 30, tzinfo=BANGKOK)
REGIONS = ("ศก.1", "ศก.2")


class Recording(MemoryBackend):
    """The in-process backend, keeping every batchUpdate's requests."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.batches: list[list[Mapping[str, Any]]] = []

    def batch_update(
        self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]
    ) -> list[Mapping[str, Any]]:
        self.batches.append(msgspec.json.decode(msgspec.json.encode(list(requests))))  # as sent
        return super().batch_update(spreadsheet_id, requests)


def _synced() -> tuple[Store, str]:
    store = Store()
    sid = load_demo(store, generate_spreadsheet(rows_per_region=4, seed=3, regions=REGIONS))
    run_sync(
        MemoryBackend(store), SyncSettings(spreadsheet_id=sid, regions=REGIONS), clock=lambda: NOW
    )
    people.type_value(store, sid, "ศก.1", "C5", "")  # a start date cleared: a row to recheck
    return store, sid


def _ids(store: Store, sid: str) -> dict[str, int]:
    with store.lock:
        return {s.title: s.sheet_id for s in store.get(sid).sheets}


def test_steady_write_starts_with_one_guard_per_id_and_costs_the_same() -> None:
    """Each regional and worker tab's id is named with its title, in the first call only."""
    store, sid = _synced()
    backend = Recording(store)
    report = run_sync(backend, SyncSettings(spreadsheet_id=sid, regions=REGIONS), clock=lambda: NOW)
    ids = _ids(store, sid)
    guards = [
        r["updateSheetProperties"]["properties"]
        for r in backend.batches[0]
        if r.get("updateSheetProperties", {}).get("fields") == "title"
    ]
    titles = [*REGIONS, h.SUMMARY_TAB, h.COMPILED_TAB]
    assert [{"sheetId": ids[t], "title": t} for t in titles] == guards
    assert guards == [r["updateSheetProperties"]["properties"] for r in backend.batches[0][:4]]
    assert (2, 2) == (report.reads, report.writes)
    assert list(ids) == [s for s in _ids(store, sid)]  # no title changed


def test_a_refused_guard_leaves_everything_unwritten_and_the_run_replans() -> None:
    """Titles swapped: the guarded batch is refused whole; the metadata read puts it right."""
    store, sid = _synced()
    ids = _ids(store, sid)
    people_rename = [
        (ids["ศก.1"], "ศก.1 x"),
        (ids["ศก.2"], "ศก.1"),
        (ids["ศก.1"], "ศก.2"),
    ]
    backend = MemoryBackend(store)
    for sheet_id, title in people_rename:
        backend.batch_update(
            sid,
            [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": title},
                        "fields": "title",
                    }
                }
            ],
        )
    recording = Recording(store)
    report = run_sync(
        recording, SyncSettings(spreadsheet_id=sid, regions=REGIONS), clock=lambda: NOW
    )
    assert "ok" == report.outcome
    # The refused call began with the guards; the re-planned one (from the metadata) has none.
    first, second = recording.batches[0], recording.batches[1]
    assert {"sheetId": ids["ศก.1"], "title": "ศก.1"} == first[0]["updateSheetProperties"][
        "properties"
    ]
    assert not any(r.get("updateSheetProperties", {}).get("fields") == "title" for r in second)
    assert (4, 3) == (
        report.reads,
        report.writes,
    )  # read, refused, metadata, read, 2 writes, verify
