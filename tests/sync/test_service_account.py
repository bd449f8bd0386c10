"""
The real authentication path: a service-account key, google-auth's JWT flow, share lists.

The emulator runs in auth mode with a key generated for the test (never stored in the
repository); the worker reads the key file exactly as it would read Google's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheets_emulator.http.auth import AuthConfig, make_service_account_key
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sync.core.errors import AuthenticationFailed, PermissionDenied
from sync.core.settings import Config, ServiceConfig
from sync.demo.data import DemoSpreadsheet
from sync.demo.seed import load_demo
from sync.run.history import RunHistory
from sync.run.runner import RunRequest, run_once

ACCOUNT = "sheetsync@department-test.iam.gserviceaccount.com"


@pytest.fixture
def secured(small_demo: DemoSpreadsheet, tmp_path: Path) -> Iterator[tuple[EmulatorHandle, Path]]:
    """An emulator that checks JWT signatures, and a key file for the one trusted account."""
    key, public_pem = make_service_account_key(ACCOUNT)
    auth = AuthConfig(enabled=True, service_accounts={ACCOUNT: public_pem})
    with run_emulator(auth=auth) as emulator:
        key["token_uri"] = emulator.token_uri
        path = tmp_path / "key.json"
        path.write_text(json.dumps(key), encoding="utf-8")
        path.chmod(0o600)
        yield emulator, path


def _config(emulator: EmulatorHandle, key: Path, tmp_path: Path) -> Config:
    return Config(
        service=ServiceConfig(
            endpoint=emulator.base_url, credentials=key, history=tmp_path / "h.sqlite3"
        )
    )


def test_shared_sheet_syncs_with_a_service_account(
    secured: tuple[EmulatorHandle, Path], small_demo: DemoSpreadsheet, tmp_path: Path
) -> None:
    """With the sheet shared to the account, the run authenticates and completes."""
    emulator, key = secured
    sid = load_demo(emulator.store, small_demo)
    emulator.store.get(sid).shared_with = {ACCOUNT}
    report = run_once(_config(emulator, key, tmp_path), RunRequest(spreadsheet_id=sid))
    assert "ok" == report.outcome and report.cells_written > 0
    assert emulator.counters.count("token") >= 1


def test_sheet_not_shared_is_a_clear_403(
    secured: tuple[EmulatorHandle, Path], small_demo: DemoSpreadsheet, tmp_path: Path
) -> None:
    """A sheet not shared with the account fails with advice to share it, writing nothing."""
    emulator, key = secured
    sid = load_demo(emulator.store, small_demo)
    emulator.store.get(sid).shared_with = {"someone.else@example.com"}
    with pytest.raises(PermissionDenied, match="not shared with the service account"):
        run_once(_config(emulator, key, tmp_path), RunRequest(spreadsheet_id=sid))
    assert 0 == emulator.counters.writes
    runs = RunHistory(tmp_path / "h.sqlite3").last_runs()
    assert ["failed"] == [r.outcome for r in runs]


def test_key_of_another_account_is_refused(
    secured: tuple[EmulatorHandle, Path], small_demo: DemoSpreadsheet, tmp_path: Path
) -> None:
    """A key the service does not trust (wrong signature) ends the run as bad credentials."""
    emulator, key = secured
    sid = load_demo(emulator.store, small_demo)
    forged, _ = make_service_account_key(ACCOUNT, emulator.token_uri)
    key.write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(AuthenticationFailed, match="credentials were refused"):
        run_once(_config(emulator, key, tmp_path), RunRequest(spreadsheet_id=sid))
