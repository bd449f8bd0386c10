"""
A tab title typed with a no-break space (`ศก.2 `) costs one read per unchanged run, in the
service and in a fresh `sheetsync run` process alike: the run history keeps the titles read.
"""

from __future__ import annotations

from pathlib import Path

from sheets_emulator import people
from sheets_emulator.http.server import EmulatorHandle
from sync.core.settings import Config, ServiceConfig
from sync.demo.data import generate_spreadsheet
from sync.demo.seed import load_demo
from sync.run.history import RunHistory
from sync.run.read import forget_title_hints, hint_key_text
from sync.run.runner import RunRequest, run_once, settings_for


def _rename(emulator: EmulatorHandle, sid: str, old: str, new: str) -> None:
    sheet = emulator.store.get(sid).sheet_by_title(old)
    assert sheet is not None
    request = {"sheetId": sheet.sheet_id, "title": new}
    people._batch(
        emulator.store,
        sid,
        [{"updateSheetProperties": {"properties": request, "fields": "title"}}],
    )


def test_a_fresh_process_reads_once_with_the_titles_kept(
    emulator: EmulatorHandle, tmp_path: Path
) -> None:
    """After one run found `ศก.2` under an odd title, a new process's unchanged run is one
    read; once the title is plain again, the kept titles are dropped."""
    sid = load_demo(emulator.store, generate_spreadsheet(rows_per_region=5, seed=9))
    history = RunHistory(tmp_path / "history.sqlite3")
    config = Config(service=ServiceConfig(endpoint=emulator.base_url, history=history.path))
    request = RunRequest(spreadsheet_id=sid)
    run_once(config, request, history=history)
    _rename(emulator, sid, "ศก.2", "ศก.2\u00a0")
    found = run_once(config, request, history=history)
    assert "ok" == found.outcome and found.reads >= 3  # a failed read, metadata, the read…
    key = hint_key_text(settings_for(config, request))
    assert "ศก.2\u00a0" == (history.title_hint(key) or {})["regions"]["ศก.2"]
    forget_title_hints()  # a new process: nothing remembered in memory
    again = run_once(config, request, history=history)
    assert (1, 0) == (again.reads, again.writes)

    _rename(emulator, sid, "ศก.2\u00a0", "ศก.2")
    forget_title_hints()
    back = run_once(config, request, history=history)
    assert "ok" == back.outcome and back.reads > 1  # the kept title was wrong: looked again
    forget_title_hints()
    assert history.title_hint(key) is None  # the plain titles need no hint
    plain = run_once(config, request, history=history)
    assert (1, 0) == (plain.reads, plain.writes)
