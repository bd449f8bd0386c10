"""
State files: atomic saves, debouncing, and restarting with the same data.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import gspread
import pytest
import requests

from sheets_emulator.files.state import StatePersister, load_store, save_store
from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.errors import UnusableFile
from sheets_emulator.model.store import Store


def _client_round(base_url: str, action: str) -> list[list[str]]:
    client: gspread.Client = make_gspread_client(base_url)
    try:
        sheet = client.open_by_key("persist1").worksheet("ศก.1")
        if action == "write":
            sheet.update([["ชื่อ", "ยอด"], ["ก", 10]], "A1")
        return sheet.get_all_values()
    finally:
        client.http_client.session.close()


def test_restart_with_the_same_state_file_keeps_the_data(tmp_path: Path) -> None:
    """
    Data written through gspread is there again after the emulator stops and starts again.
    """
    state = tmp_path / "state.json"
    with run_emulator(state_file=state) as handle:
        handle.store.create_spreadsheet("p", spreadsheet_id="persist1", sheets=("ศก.1",))
        written = _client_round(handle.base_url, "write")
    with run_emulator(state_file=state) as handle:
        assert _client_round(handle.base_url, "read") == written == [["ชื่อ", "ยอด"], ["ก", "10"]]


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    """
    A save replaces the file in one step and cleans up its temporary file.
    """
    store = Store()
    store.create_spreadsheet("a", spreadsheet_id="a1")
    path = tmp_path / "nested" / "state.json"
    save_store(store, path)
    save_store(store, path)
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]
    assert json.loads(path.read_text(encoding="utf-8"))["spreadsheets"][0]["title"] == "a"


def test_a_lone_surrogate_a_request_sent_is_saved_and_read_back(tmp_path: Path) -> None:
    """
    `"\\ud800"` in a request's JSON is a string no UTF-8 can hold: the state file keeps it as
    that escape and reads it back the same, where every later save failed (and was lost).
    """
    store = Store()
    store.create_spreadsheet("a", spreadsheet_id="a1")
    store.set_values("a1", "Sheet1", "A1", [["\ud800 bad", "ok"]], user_entered=False)
    path = tmp_path / "state.json"
    save_store(store, path)
    assert load_store(path).get_values("a1", "Sheet1") == [["\ud800 bad", "ok"]]


def test_missing_state_file_means_a_fresh_store(tmp_path: Path) -> None:
    """
    Starting with a state file that does not exist yet starts empty.
    """
    assert load_store(tmp_path / "absent.json") is None
    with run_emulator(state_file=tmp_path / "absent.json") as handle:
        assert handle.store.list() == []


def test_saves_are_debounced_and_flushed_on_close(tmp_path: Path) -> None:
    """
    A burst of changes saves once at once, once more within the interval, and the rest on close.
    """
    store = Store()
    store.create_spreadsheet("d", spreadsheet_id="d1")
    persister = StatePersister(store, tmp_path / "s.json", min_interval_s=0.3)
    for _ in range(20):
        persister.mark_dirty()
        time.sleep(0.01)
    assert persister.saves == 1
    time.sleep(0.5)
    assert persister.saves == 2
    store.create_spreadsheet("e", spreadsheet_id="e1")
    persister.mark_dirty()
    persister.close()
    reloaded = load_store(tmp_path / "s.json")
    assert reloaded is not None
    assert [s.spreadsheet_id for s in reloaded.list()] == ["d1", "e1"]


def test_people_edits_and_admin_changes_are_saved(tmp_path: Path) -> None:
    """
    Spreadsheets created through the test controls survive a restart too.
    """
    state = tmp_path / "state.json"
    with run_emulator(state_file=state) as handle, requests.Session() as session:
        session.post(
            handle.base_url + "/__emulator/spreadsheets",
            json={"title": "seeded", "spreadsheetId": "seed1"},
        )
    reloaded = load_store(state)
    assert reloaded is not None
    assert reloaded.get("seed1").title == "seeded"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{damaged", "Expecting property name enclosed in double quotes"),
        (b"[]", "holds a JSON list, not an object"),
        (b'{"version": 99}', "unsupported store schema version 99"),
        (b'{"version": 1, "spreadsheets": [{"title": "x"}]}', "no 'spreadsheetId'"),
        (b"\xff\xfe", "cannot be read ('utf-8' codec can't decode byte 0xff"),
    ],
)
def test_a_state_file_it_did_not_save_is_refused_and_left_as_it_is(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    """
    A damaged or foreign state file stops the emulator with one line naming the file and what
    is wrong with it: it neither starts empty over it (its next save would overwrite the
    file) nor changes a byte of it.
    """
    state = tmp_path / "state.json"
    state.write_bytes(content)
    with pytest.raises(UnusableFile) as refused:
        load_store(state)
    assert str(refused.value).startswith(f"state file {state}: ")
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)
    with pytest.raises(UnusableFile), run_emulator(state_file=state):
        pass
    assert content == state.read_bytes()


def test_a_state_file_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    """A folder given as the state file: one line, not an OS error's traceback."""
    with pytest.raises(UnusableFile, match=r"^state file .*: cannot be read \(Is a directory\)$"):
        load_store(tmp_path)


def test_a_state_file_that_cannot_be_written_is_refused_before_serving(tmp_path: Path) -> None:
    """
    A state path under a file (or anywhere nothing can be written): the emulator does not
    start, rather than serve changes that it could never save.
    """
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    state = tmp_path / "taken" / "state.json"
    with pytest.raises(
        UnusableFile, match=r"^state file .*: cannot be written \(.*taken is a file\)$"
    ):
        StatePersister(Store(), state)
    with pytest.raises(UnusableFile), run_emulator(state_file=state):
        pass


def test_a_save_that_fails_is_one_log_line_and_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """
    A disk that fills up between saves: the failure is one error line (no traceback from the
    timer's thread), the change stays unsaved, and the next save writes it.
    """
    import errno

    import sheets_emulator.files.state as state_module

    state = tmp_path / "state.json"
    store = Store()
    persister = StatePersister(store, state, min_interval_s=0)
    real_save = state_module.save_store
    failures = [OSError(errno.ENOSPC, "No space left on device")]

    def save_once_full(store: Store, path: Path) -> float:
        if failures:
            raise failures.pop()
        return real_save(store, path)

    monkeypatch.setattr(state_module, "save_store", save_once_full)
    store.create_spreadsheet("a", spreadsheet_id="a1")
    persister._dirty = True
    persister.flush()
    assert not state.exists() and 0 == persister.saves
    assert [f"state not saved to {state}: No space left on device"] == [
        r.getMessage() for r in caplog.records if r.levelname == "ERROR"
    ]
    persister.close()  # (nothing changed since: what failed is still to be saved)
    assert 1 == persister.saves
    assert "a1" == load_store(state).list()[0].spreadsheet_id  # type: ignore[union-attr]


def test_sharing_roles_survive_the_state_file() -> None:
    """Who owns, writes or only reads a spreadsheet is kept across a restart."""
    store = Store()
    book = store.create_spreadsheet("t", spreadsheet_id="r1", shared_with=["a@x.test", "b@x.test"])
    book.roles.update({"a@x.test": "owner", "b@x.test": "reader"})
    again = Store.from_json(store.to_json()).get("r1")
    assert again.roles == {"a@x.test": "owner", "b@x.test": "reader"}
    assert (again.can_edit("a@x.test"), again.can_edit("b@x.test")) == (True, False)
