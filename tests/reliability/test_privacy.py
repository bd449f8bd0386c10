"""
4. Personal data and credentials: nothing identifying or secret reaches a log line.

The demo flow, failing and faulted runs and the authenticated key exchange run with every
log line captured (the worker's JSON lines and any standard-logging line a library prints);
no national ID, phone or e-mail of the generated rows appears in any line in its typed or
normalised form, and no key material or access token ever does. Key files readable by
others are warned about, malformed ones refused with a clear error, and the example key
file in the repository holds placeholders only.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog

from rules import headers as h
from sheets_emulator import people
from sheets_emulator.http.auth import AuthConfig, make_service_account_key
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sync.backends.gspread_backend import load_credentials
from sync.core.errors import AuthenticationFailed, SyncError
from sync.core.mask import mask_changes
from sync.core.settings import Config, ServiceConfig, SyncSettings
from sync.demo.data import generate_spreadsheet
from sync.demo.run import run_demo
from sync.demo.seed import load_demo
from sync.run.logconfig import configure_logging
from sync.run.loop import run_sync
from sync.run.runner import RunRequest, check_key_permissions, run_once
from tests.reliability._harness import fixed_clock
from tests.reliability.conftest import Tally, found_and_fixed

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "sheetsync-worker@reliability.iam.gserviceaccount.com"
PII_COLUMNS = (h.NATIONAL_ID, h.MOBILE, h.EMAIL, h.ENTERPRISE_PHONE)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class Captured:
    """Every line a run logs: the worker's JSON lines and library lines printed to stderr."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.records: list[str] = []

    def lines(self) -> list[str]:
        """All captured lines."""
        return [*self.stream.getvalue().splitlines(), *self.records]


class _Keep(logging.Handler):
    def __init__(self, out: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.out = out
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.out.extend(self.format(record).splitlines())


@pytest.fixture
def captured() -> Iterator[Captured]:
    """The worker's log configuration writing to a buffer, and every library record kept."""
    logs = Captured()
    configure_logging(json=True, stream=logs.stream, level="DEBUG")
    root = logging.getLogger()
    keep = _Keep(logs.records)
    level = root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    yield logs
    root.removeHandler(keep)
    root.setLevel(level)
    structlog.reset_defaults()


def _digits(value: object) -> str:
    return re.sub(r"\D", "", str(value).translate(THAI_DIGITS))


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def _well_formed(text: str, digits: str) -> bool:
    """An ID, mobile or e-mail in a shape the rules accept (not one of the demo's typos)."""
    if "@" in text:
        return bool(EMAIL.match(text))
    return len(digits) == 13 or (len(digits) in (9, 10) and digits.startswith("0"))


def personal_values(
    tabs: dict[str, list[list[object]]], *, well_formed: bool | None = None
) -> set[str]:
    """IDs, phones and e-mails of generated rows as typed and as normalised."""
    found: set[str] = set()
    for grid in tabs.values():
        if len(grid) < 4:
            continue
        header = grid[2]
        cols = [c for c, v in enumerate(header) if v in PII_COLUMNS]
        for row in grid[3:]:
            for c in cols:
                value = row[c] if c < len(row) else None
                if value in (None, ""):
                    continue
                text, digits = str(value).strip(), _digits(value)
                if not ("@" in text and len(text) > 5) and len(digits) < 9:
                    continue
                if well_formed is not None and _well_formed(text, digits) != well_formed:
                    continue
                if "@" in text:
                    found |= {text, text.lower()}
                    continue
                found |= {text, digits}
                if len(digits) in (9, 10) and digits.startswith("0"):
                    found.add("+66" + digits[1:])
                    found.add("66" + digits[1:])
    return found


def _leaks(lines: list[str], secrets: set[str]) -> list[str]:
    return [f"{s!r} in {line[:200]!r}" for line in lines for s in secrets if s and s in line]


def test_demo_flow_logs_no_personal_data(captured: Captured, tmp_path: Path, tally: Tally) -> None:
    """The demo (two runs, export) logs no ID, phone or e-mail of its rows, typed or normalised."""
    for seed in (2567, 11, 12):
        demo = generate_spreadsheet(rows_per_region=6, seed=seed)
        pii = personal_values(demo.tabs)
        assert len(pii) > 100
        run_demo(out_dir=tmp_path / str(seed), rows_per_region=6, seed=seed)
        leaks = _leaks(captured.lines(), pii)
        tally.record(not leaks, f"seed {seed}: {leaks[:5]}")
    tally.assert_clean()


def test_planned_changes_print_no_personal_data(tally: Tally) -> None:
    """The dry run's printed plan (the compiled list copies IDs, phones, e-mails) masks them all."""
    from sheets_emulator.model.store import Store
    from sync.backends.memory import MemoryBackend

    for seed in (2567, 31, 32):
        demo = generate_spreadsheet(rows_per_region=15, seed=seed)
        store = Store()
        sid = load_demo(store, demo)
        report = run_sync(
            MemoryBackend(store), SyncSettings(spreadsheet_id=sid, dry_run=True), clock=fixed_clock
        )
        lines = list(mask_changes(report.planned))
        leaks = _leaks(lines, personal_values(demo.tabs))
        tally.record(bool(lines) and not leaks, f"seed {seed}: {len(leaks)} leaks: {leaks[:5]}")
    tally.assert_clean()


def _raw_values(tabs: dict[str, list[list[object]]]) -> list[object]:
    """The personal cells exactly as the API returns them (text, or numbers for typed IDs)."""
    out = []
    for grid in tabs.values():
        header = grid[2] if len(grid) > 2 else []
        cols = [c for c, v in enumerate(header) if v in PII_COLUMNS]
        out += [
            row[c] for row in grid[3:] for c in cols if c < len(row) and row[c] not in (None, "")
        ]
    return out


def _log_every_value(tabs: dict[str, list[list[object]]]) -> None:
    from sync.run.logconfig import get_logger

    log = get_logger()
    for value in _raw_values(tabs):
        log.warning(
            "row_problem",
            detail=f"แถว 5: {value} ไม่ถูกต้อง",
            value=value,
            values=[value],
            cells={"cell": value},
        )


def _assert_every_value_masked(captured: Captured, tally: Tally, *, well_formed: bool) -> None:
    """Log every personal value of a demo sheet in every shape; none may come out as typed."""
    demo = generate_spreadsheet(rows_per_region=30, seed=61)
    _log_every_value(demo.tabs)
    lines = captured.lines()
    for value in sorted(personal_values(demo.tabs, well_formed=well_formed)):
        leaks = _leaks(lines, {value})
        tally.record(not leaks, f"{value!r}: {leaks[:1]}")
    tally.assert_clean()


@found_and_fixed(
    "sync/logconfig.py masked only strings: a national ID read as a number was logged unmasked"
)
def test_any_logged_value_is_masked(captured: Captured, tally: Tally) -> None:
    """Whoever logs a cell, as text, number, inside a message, list or dict: it comes out masked."""
    _assert_every_value_masked(captured, tally, well_formed=True)


@found_and_fixed(
    "rules/privacy.py masked only well-formed phones and e-mails: a mistyped one such as "
    "'086-884-61594' or 'name90@gmail' was logged as typed (fixed there by its owner)"
)
def test_mistyped_personal_data_is_masked_too(captured: Captured, tally: Tally) -> None:
    """A phone or e-mail with a typo in it is still masked when logged."""
    _assert_every_value_masked(captured, tally, well_formed=False)


Fault = Callable[[EmulatorHandle, str], None]


def _rename_options(handle: EmulatorHandle, sid: str) -> None:

    sheet = handle.store.get(sid).sheet_by_title(h.OPTIONS_TAB)
    assert sheet is not None
    people._batch(
        handle.store,
        sid,
        [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet.sheet_id, "title": "ตัวเลือก (เก่า)"},
                    "fields": "title",
                }
            }
        ],
    )


FAULTS: dict[str, Fault] = {
    "retried-429": lambda e, _s: e.faults.fail_next(2, 429, retry_after_s=0.01),
    "503-storm": lambda e, _s: e.faults.fail_next(60, 503),
    "dropped-write": lambda e, _s: e.faults.drop_next(1, kind="write", mode="mid_body"),
    "failed-write": lambda e, _s: e.faults.fail_next(1, 500, kind="write"),
    "options-tab-renamed": _rename_options,
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_faulted_runs_log_no_personal_data(
    fault: str, captured: Captured, tmp_path: Path, tally: Tally
) -> None:
    """Retries, failures and re-plans log no ID, phone or e-mail of the rows involved."""
    demo = generate_spreadsheet(rows_per_region=6, seed=41)
    with run_emulator() as emulator:
        sid = load_demo(emulator.store, demo)
        FAULTS[fault](emulator, sid)
        config = Config(
            service=ServiceConfig(
                endpoint=emulator.base_url, retry_seconds=1, history=tmp_path / "h.sqlite3"
            )
        )
        with contextlib.suppress(SyncError):
            run_once(config, RunRequest(spreadsheet_id=sid), clock=fixed_clock)
    lines = captured.lines()
    leaks = _leaks(lines, personal_values(demo.tabs))
    tally.record(bool(lines) and not leaks, f"{fault}: {leaks[:5]}")
    tally.assert_clean()


def _key_secrets(key: dict[str, str]) -> set[str]:
    pem = key["private_key"]
    body = [line for line in pem.splitlines() if line and not line.startswith("-----")]
    return {pem, "".join(body), *body, key["private_key_id"], "PRIVATE KEY"}


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[EmulatorHandle, str, dict[str, str], Path]]:
    """An emulator in auth mode trusting one fresh service account, and its key file (0600)."""
    key, public = make_service_account_key(ACCOUNT)
    auth = AuthConfig(enabled=True, service_accounts={ACCOUNT: public}, token_lifetime_s=2)
    with run_emulator(auth=auth) as emulator:
        key = {**key, "token_uri": emulator.token_uri}
        demo = generate_spreadsheet(rows_per_region=5, seed=51)
        spreadsheet = emulator.store.create_spreadsheet(
            demo.title, sheets=tuple(demo.tabs), shared_with=[ACCOUNT]
        )
        for title, grid in demo.tabs.items():
            emulator.store.set_values(
                spreadsheet.spreadsheet_id, title, "A1", grid, user_entered=False
            )
        path = tmp_path / "key.json"
        path.write_text(json.dumps(key), encoding="utf-8")
        path.chmod(0o600)
        yield emulator, spreadsheet.spreadsheet_id, key, path


def test_key_material_and_tokens_never_logged(
    secured: tuple[EmulatorHandle, str, dict[str, str], Path],
    captured: Captured,
    tmp_path: Path,
    tally: Tally,
) -> None:
    """Token exchange, refresh after expiry, retries and failures log no key, body or token."""
    emulator, sid, key, path = secured
    issued: list[str] = []
    original = emulator.auth.token_endpoint

    def recording(body: bytes) -> tuple[int, dict[str, Any]]:
        status, answer = original(body)
        issued.append(str(answer.get("access_token", "")))
        return status, answer

    emulator.auth.token_endpoint = recording  # type: ignore[method-assign]
    config = Config(
        service=ServiceConfig(
            endpoint=emulator.base_url,
            credentials=path,
            history=tmp_path / "h.sqlite3",
            retry_seconds=2,
        )
    )
    request = RunRequest(spreadsheet_id=sid)
    first = run_once(config, request, clock=fixed_clock)
    emulator.auth.expire_all()
    emulator.faults.fail_next(1, 503)
    # Tokens also die in the middle of a run, between its read and its write.
    emulator.faults.before_request(3, lambda _store: emulator.auth.expire_all())
    people.type_value(emulator.store, sid, "ศก.1", "C5", "")
    second = run_once(config, request, clock=fixed_clock)
    emulator.faults.fail_next(60, 503)
    with pytest.raises(SyncError):
        run_once(config, request, clock=fixed_clock)
    forged, _ = make_service_account_key(ACCOUNT, emulator.token_uri)
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(json.dumps(forged), encoding="utf-8")
    forged_path.chmod(0o600)
    emulator.faults.reset()
    with pytest.raises(AuthenticationFailed):
        run_once(
            Config(service=config.service.model_copy(update={"credentials": forged_path})),
            request,
            clock=fixed_clock,
        )
    secrets = _key_secrets(key) | _key_secrets(forged) | {t for t in issued if t}
    lines = captured.lines()
    leaks = _leaks(lines, secrets) + [line for line in lines if "ya29." in line]
    tally.record("ok" == first.outcome and "ok" == second.outcome, "authenticated runs failed")
    tally.record(second.writes >= 1, "the run after the tokens died wrote nothing")
    tally.record(len([t for t in issued if t]) >= 3, f"expected refreshes, issued {len(issued)}")
    tally.record(not leaks, f"{len(leaks)} leaks: {leaks[:3]}")
    tally.assert_clean()


def test_key_readable_by_others_is_warned_about(
    secured: tuple[EmulatorHandle, str, dict[str, str], Path],
    captured: Captured,
    tmp_path: Path,
    tally: Tally,
) -> None:
    """A key file others may read gets a warning with the fix, in the log and from the check."""
    emulator, sid, key, path = secured
    tally.record(check_key_permissions(path) is None, "a 0600 key was warned about")
    for mode in (0o644, 0o640, 0o604):
        path.chmod(mode)
        warning = check_key_permissions(path) or ""
        tally.record(f"chmod 600 {path}" in warning, f"mode {mode:o}: {warning!r}")
    config = Config(
        service=ServiceConfig(
            endpoint=emulator.base_url, credentials=path, history=tmp_path / "h.sqlite3"
        )
    )
    run_once(config, RunRequest(spreadsheet_id=sid), clock=fixed_clock)
    warned = [line for line in captured.lines() if "credentials_permissions" in line]
    tally.record(len(warned) == 1 and "chmod 600" in warned[0], f"logged: {warned}")
    tally.record(not _leaks(captured.lines(), _key_secrets(key)), "key material logged")
    tally.assert_clean()


def _malformed(key: dict[str, str]) -> dict[str, bytes | None]:
    pem = key["private_key"]
    cut = {**key, "private_key": pem[: len(pem) // 2]}
    body_only = {**key, "private_key": "".join(pem.splitlines()[1:-1])}
    return {
        "missing-file": None,
        "empty": b"",
        "not-json": b"{not json",
        "binary": bytes(range(256)),
        "json-list": b"[1, 2]",
        "no-type": json.dumps({k: v for k, v in key.items() if k != "type"}).encode(),
        "user-credentials": json.dumps({"type": "authorized_user", "client_id": "x"}).encode(),
        "truncated-private-key": json.dumps(cut).encode(),
        "pem-body-without-armour": json.dumps(body_only).encode(),
        "private-key-not-a-string": json.dumps({**key, "private_key": 12345}).encode(),
        "private-key-null": json.dumps({**key, "private_key": None}).encode(),
        "no-private-key": json.dumps({k: v for k, v in key.items() if k != "private_key"}).encode(),
        "no-client-email": json.dumps(
            {k: v for k, v in key.items() if k != "client_email"}
        ).encode(),
        "latin-1-bytes": '{"type": "service_account", "x": "\xe9"}'.encode("latin-1"),
    }


def test_malformed_keys_are_refused_clearly(tmp_path: Path, tally: Tally) -> None:
    """Every kind of broken key file raises AuthenticationFailed in one line, quoting no key."""
    key, _ = make_service_account_key(ACCOUNT)
    secrets = _key_secrets(key) - {"PRIVATE KEY"}
    for name, content in _malformed(key).items():
        path = tmp_path / f"{name}.json"
        if content is not None:
            path.write_bytes(content)
        try:
            load_credentials(path)
        except AuthenticationFailed as exc:
            message = str(exc)
            ok = bool(message) and "\n" not in message and not _leaks([message], secrets)
            tally.record(ok, f"{name}: unclear or leaking message {message[:200]!r}")
        except Exception as exc:  # anything else is the failure this test looks for
            tally.record(False, f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
        else:
            tally.record(False, f"{name}: accepted")
    tally.assert_clean()


PLACEHOLDER = re.compile(r"YOUR-|REPLACE-|^service_account$|^https://[a-z0-9.]+\.(com|google)")
PRIVATE_KEY_BLOCK = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=\s]{64,}")


def test_example_credentials_hold_placeholders_only(tally: Tally) -> None:
    """`credentials.example.json` is a template: every value a placeholder, no usable key."""
    example = ROOT / "credentials.example.json"
    info = json.loads(example.read_text(encoding="utf-8"))
    for field, value in info.items():
        tally.record(bool(PLACEHOLDER.search(str(value))), f"{field} = {value!r} looks real")
    tally.record("BEGIN" not in info.get("private_key", ""), "a private key block is present")
    with pytest.raises(AuthenticationFailed):
        load_credentials(example)
    tally.assert_clean()


def test_no_key_material_is_committed(tally: Tally) -> None:
    """No tracked file holds a private-key block or a service-account key with a real key."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout.decode()
    except (OSError, subprocess.SubprocessError):
        pytest.skip("not a git checkout")
    files = [ROOT / name for name in listed.split("\0") if name]
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = PRIVATE_KEY_BLOCK.search(text)
        tally.record(found is None, f"{path.relative_to(ROOT)} holds a private key block")
    tally.assert_clean()


def test_the_run_history_holds_no_personal_data_and_the_kept_rows_are_private(
    tmp_path: Path,
) -> None:
    """
    `status` reads the run history; the rows a run keeps for the next process (with their
    national IDs) sit in their own file, which only its owner may read.
    """
    demo = generate_spreadsheet(rows_per_region=6, seed=43)
    history = tmp_path / "h.sqlite3"
    with run_emulator() as emulator:
        sid = load_demo(emulator.store, demo)
        config = Config(service=ServiceConfig(endpoint=emulator.base_url, history=history))
        assert "ok" == run_once(config, RunRequest(spreadsheet_id=sid), clock=fixed_clock).outcome
    ids = {v for v in personal_values(demo.tabs) if v.isdigit() and len(v) == 13}
    rows = history.with_name("h.rows.sqlite3")
    assert ids and rows.exists()
    text = history.read_bytes().decode("utf-8", "replace")
    assert [] == [i for i in ids if i in text]
    assert 0 == rows.stat().st_mode & 0o077
