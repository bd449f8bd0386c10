"""One error path: every backend maps an API status alike, and the tree names every exception."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import gspread
import pytest
import requests

from sheets_emulator.http.client import make_gspread_client
from sheets_emulator.http.server import EmulatorHandle
from sheets_emulator.model.store import Store
from sync.backends.base import SheetsBackend
from sync.backends.gspread_backend import GspreadBackend, translate_errors
from sync.backends.memory import MemoryBackend
from sync.core import errors
from sync.core.errors import (
    BackendError,
    BadRequest,
    PermissionDenied,
    QuotaExceeded,
    SpreadsheetNotFound,
    error_for_status,
)
from sync.run.report import RunReport

from .conftest import FAST_RETRY

SYNC = Path(__file__).resolve().parents[2] / "sync"


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequest),
        (403, PermissionDenied),
        (404, SpreadsheetNotFound),
        (429, QuotaExceeded),
        (500, BackendError),
    ],
)
def test_each_status_has_one_error(status: int, kind: type[BackendError]) -> None:
    """A status becomes exactly one error of the tree, which keeps the status."""
    error = error_for_status(status, "sheet-1", "why")
    assert type(error) is kind
    assert error.status == status
    assert "sheet-1" in str(error)


def test_every_backend_reports_a_missing_spreadsheet_alike(emulator: EmulatorHandle) -> None:
    """The emulator in-process and gspread over HTTP give the same error for the same answer."""
    client = make_gspread_client(emulator.base_url)
    try:
        backends: list[SheetsBackend] = [
            MemoryBackend(Store()),
            GspreadBackend(client, retry=FAST_RETRY),
        ]
        seen = []
        for backend in backends:
            with pytest.raises(SpreadsheetNotFound) as caught:
                backend.read_ranges("no-such-sheet", ["A1"])
            seen.append((type(caught.value), caught.value.status, str(caught.value)))
    finally:
        client.http_client.session.close()
    assert seen[0] == seen[1]


def test_gspread_answers_take_the_shared_mapping() -> None:
    """A 403 through gspread reads exactly as the shared mapping words it."""
    response = requests.Response()
    response.status_code = 403
    response._content = json.dumps(
        {"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}}
    ).encode()
    with pytest.raises(PermissionDenied) as caught, translate_errors("sheet-1", endpoint=""):
        raise gspread.exceptions.APIError(response)
    assert str(caught.value) == str(error_for_status(403, "sheet-1", "denied"))


def test_every_exception_of_the_worker_is_in_the_documented_tree() -> None:
    """Each exception class defined anywhere in sync/ is named in the error tree's docstring."""
    tree = errors.__doc__ or ""
    defined = set()
    for path in SYNC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name)
                and (base.id.endswith(("Error", "Exception", "Interrupt")) or base.id in tree)
                for base in node.bases
            ):
                defined.add(node.name)
    assert defined, "no exception classes found"
    assert sorted(name for name in defined if name not in tree) == []


def test_a_failed_run_report_is_built_in_one_place() -> None:
    """A report made for a failure, and one a run attached to its exception, read alike."""
    exc = SpreadsheetNotFound("gone")
    fresh = RunReport.failed("sheet-1", exc)
    attached = RunReport(run_id="r1", spreadsheet_id="sheet-1", started_at="t")
    exc.report = attached  # type: ignore[attr-defined]
    assert (fresh.outcome, fresh.error) == ("failed", "SpreadsheetNotFound: gone")
    assert RunReport.of_failure("sheet-1", exc) is attached
    assert (attached.outcome, attached.error) == (fresh.outcome, fresh.error)
