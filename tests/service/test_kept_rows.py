"""
Between runs the service keeps each spreadsheet's checked rows packed, and its next run after
an edit still checks only the row that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.server import EmulatorHandle
from sync.core.cells import column_letter
from sync.core.settings import Config
from sync.run import loop
from sync.run.settled import forget_settled
from sync.service.scheduler import SyncService
from tests.conftest import count_rows_checked


def _mistype_an_email(
    emulator: EmulatorHandle, sid: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, int]:
    """A person types a bad e-mail into one row; the rows the rules check from now on."""
    header = emulator.store.get_values(sid, "ศก.2", "3:3")[0]
    email = column_letter(header.index(h.EMAIL))
    people.type_value(emulator.store, sid, "ศก.2", f"{email}5", "ไม่ใช่อีเมล")  # a finding
    checked = {"rows": 0}
    count_rows_checked(monkeypatch, checked)
    return checked


def test_the_service_packs_the_kept_rows_once_a_run_is_over(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid = sheet_ids[0]
    service = SyncService(make_config([sid]))
    assert "ok" == service.run_job(sid, "manual").outcome  # type: ignore[union-attr]
    (cache,) = loop._ROW_CACHES.values()
    assert cache.packed is not None and cache.packed.rows > 0
    assert not cache.current and not cache.tabs

    checked = _mistype_an_email(emulator, sid, monkeypatch)
    report = service.run_job(sid, "manual")

    assert report is not None and "ok" == report.outcome and report.cells_written > 0
    assert 1 == checked["rows"]  # the rows came back from their packed form
    assert cache.packed is not None  # and are packed again


def test_a_restarted_service_takes_the_rows_its_last_process_kept(
    emulator: EmulatorHandle,
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid = sheet_ids[0]
    config = make_config([sid])
    assert "ok" == SyncService(config).run_job(sid, "manual").outcome  # type: ignore[union-attr]
    assert (
        1 == len(loop._ROW_CACHES) and not loop._ROW_CACHES[next(iter(loop._ROW_CACHES))].unsettled
    )
    loop.forget_row_caches()  # the process ends; the run history stays
    forget_settled()

    checked = _mistype_an_email(emulator, sid, monkeypatch)
    report = SyncService(config).run_job(sid, "manual")

    assert report is not None and "ok" == report.outcome and report.cells_written > 0
    assert 1 == checked["rows"]


def test_what_a_run_leaves_for_the_next_is_copied_once_its_memory_is_free(
    sheet_ids: list[str],
    make_config: Callable[..., Config],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    The settled read's figures and the title hints are made in a run's last round, among its
    garbage; the service's post-run step copies them (as it copies the kept rows' lists), so
    they do not keep that garbage's memory from going back to the system.
    """
    from sync.run import read, settled

    made: list[object] = []
    remember = loop.remember_settled

    def remembered(*args: Any) -> None:
        remember(*args)
        made.extend(settled._SETTLED.values())

    monkeypatch.setattr(loop, "remember_settled", remembered)
    sid = sheet_ids[0]
    hint = read.Titles(regions={"ศก.1": "ศก.1 "}, options="ตัวเลือก", summary=None, compiled=None)
    read._TITLE_HINTS[("elsewhere",)] = hint

    assert "ok" == SyncService(make_config([sid])).run_job(sid, "manual").outcome  # type: ignore[union-attr]

    (kept,) = settled._SETTLED.values()
    assert made == [kept] and made[0] is not kept  # equal, in fresh memory
    assert hint == read._TITLE_HINTS[("elsewhere",)] is not hint
