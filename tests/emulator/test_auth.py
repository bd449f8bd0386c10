"""
Auth mode: google-auth's real service-account flow against the emulator's token endpoint.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from google.auth import crypt, jwt
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL

from sheets_emulator.http.auth import (
    GOOGLE_TOKEN_URI,
    UNAUTHENTICATED_BODY,
    UNREGISTERED_BODY,
    AuthConfig,
    TokenAuthority,
    load_service_accounts,
    make_service_account_key,
)
from sheets_emulator.http.client import make_gspread_client, sheets_session
from sheets_emulator.http.server import EmulatorHandle, run_emulator
from sheets_emulator.model.errors import UnusableFile, permission_denied

WORKER = "worker@sheetsync-test.iam.gserviceaccount.com"
STRANGER = "stranger@sheetsync-test.iam.gserviceaccount.com"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


def _credentials(key: dict[str, str]) -> service_account.Credentials:
    return service_account.Credentials.from_service_account_info(key, scopes=SCOPES)


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[dict[str, str], str]]:
    """
    Fresh RSA keys for two accounts, generated per test run and never written to disk.
    """
    return {
        WORKER: make_service_account_key(WORKER, GOOGLE_TOKEN_URI),
        STRANGER: make_service_account_key(STRANGER, GOOGLE_TOKEN_URI),
    }


@pytest.fixture
def secured(keys: dict[str, tuple[dict[str, str], str]]) -> Iterator[EmulatorHandle]:
    """
    An emulator with auth on, trusting both accounts, holding one sheet shared with the worker only.
    """
    config = AuthConfig(enabled=True, service_accounts={e: k[1] for e, k in keys.items()})
    with run_emulator(auth=config) as handle:
        handle.store.create_spreadsheet("secured", spreadsheet_id="sec1", shared_with=[WORKER])
        yield handle


def _client(handle: EmulatorHandle, key: dict[str, str]) -> gspread.Client:
    return make_gspread_client(handle.base_url, _credentials(key))


def test_service_account_gets_a_token_and_reads(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    The key file's token_uri (Google's) is routed to the emulator, which issues a working token.
    """
    client = _client(secured, keys[WORKER][0])
    try:
        assert client.open_by_key("sec1").title == "secured"
        assert secured.counters.count("token") == 1
    finally:
        client.http_client.session.close()


def test_token_uri_may_point_at_the_emulator(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    A key file whose token_uri is the emulator's own /token works too.
    """
    key = dict(keys[WORKER][0], token_uri=secured.token_uri)
    client = _client(secured, key)
    try:
        assert client.open_by_key("sec1").title == "secured"
    finally:
        client.http_client.session.close()


def test_key_signed_by_another_private_key_is_refused(secured: EmulatorHandle) -> None:
    """
    An assertion for a known account signed with the wrong key fails google-auth's refresh.
    """
    forged, _ = make_service_account_key(WORKER, GOOGLE_TOKEN_URI)
    client = _client(secured, forged)
    try:
        with pytest.raises(RefreshError, match="Invalid JWT Signature"):
            client.open_by_key("sec1")
    finally:
        client.http_client.session.close()


def test_short_lived_tokens_are_refreshed_transparently(
    keys: dict[str, tuple[dict[str, str], str]],
) -> None:
    """
    With tokens that expire quickly, google-auth fetches new ones and every read still succeeds.
    """
    config = AuthConfig(
        enabled=True, service_accounts={WORKER: keys[WORKER][1]}, token_lifetime_s=1
    )
    with run_emulator(auth=config) as handle:
        handle.store.create_spreadsheet("s", spreadsheet_id="s1", shared_with=[WORKER])
        client = _client(handle, keys[WORKER][0])
        try:
            spreadsheet = client.open_by_key("s1")
            time.sleep(1.1)
            spreadsheet.fetch_sheet_metadata()
            assert handle.counters.count("token") >= 2
            assert 401 not in handle.counters.by_status
        finally:
            client.http_client.session.close()


def test_token_expired_server_side_is_refreshed_after_401(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    A token the client still trusts but the server expired gets a 401, a refresh and a retry.
    """
    client = _client(secured, keys[WORKER][0])
    try:
        spreadsheet = client.open_by_key("sec1")
        secured.auth.expire_all()
        spreadsheet.fetch_sheet_metadata()
        assert secured.counters.by_status[401] == 1
        assert secured.counters.count("token") == 2
    finally:
        client.http_client.session.close()


def test_spreadsheet_not_shared_raises_permission_error(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    An account the sheet is not shared with gets 403, which gspread raises as PermissionError.
    """
    client = _client(secured, keys[STRANGER][0])
    try:
        with pytest.raises(PermissionError):
            client.open_by_key("sec1")
    finally:
        client.http_client.session.close()


def test_a_credential_that_is_not_a_token_is_a_401_and_none_at_all_a_403(
    secured: EmulatorHandle,
) -> None:
    """
    In auth mode a bearer that is no token (or another scheme) answers Google's
    UNAUTHENTICATED 401; a request with no Authorization header at all is, as Google
    answers it, a 403 for an unregistered caller (nothing a client could refresh).
    """
    url = f"{secured.base_url}/v4/spreadsheets/sec1"
    with requests.Session() as session:
        forged = session.get(url, headers={"Authorization": "Bearer not-a-token"})
        basic = session.get(url, headers={"Authorization": "Basic Zm9vOmJhcg=="})
        missing = session.get(url)
        drive = session.get(f"{secured.base_url}/drive/v3/files/sec1")
    assert (forged.status_code, forged.json()) == (401, UNAUTHENTICATED_BODY)
    assert (basic.status_code, basic.json()) == (401, UNAUTHENTICATED_BODY)
    assert forged.headers["WWW-Authenticate"].startswith("Bearer")
    assert (missing.status_code, missing.json()) == (403, UNREGISTERED_BODY)
    assert (drive.status_code, drive.json()) == (403, UNREGISTERED_BODY)


@pytest.mark.parametrize("authorization", [None, "Bearer anything", "Basic Zm9vOmJhcg=="])
def test_plain_mode_never_answers_401(emulator: EmulatorHandle, authorization: str | None) -> None:
    """
    With auth off, any or no credentials reach the API (unknown IDs answer 404, not 401).
    """
    headers = {"Authorization": authorization} if authorization else {}
    with requests.Session() as session:
        response = session.get(f"{emulator.base_url}/v4/spreadsheets/none", headers=headers)
    assert response.status_code == 404


def test_read_only_scope_cannot_write(
    keys: dict[str, tuple[dict[str, str], str]],
) -> None:
    """
    A token with only the read-only scope may read but a write answers 403 insufficient scopes.
    """
    config = AuthConfig(enabled=True, service_accounts={WORKER: keys[WORKER][1]})
    with run_emulator(auth=config) as handle:
        handle.store.create_spreadsheet("s", spreadsheet_id="s1", shared_with=[WORKER])
        creds = service_account.Credentials.from_service_account_info(
            keys[WORKER][0], scopes=["https://www.googleapis.com/auth/spreadsheets.readonly"]
        )
        session = sheets_session(handle.base_url, creds)
        try:
            read = session.get(f"{SHEETS}/s1")
            write = session.post(f"{SHEETS}/s1/values:batchClear", json={"ranges": ["A1"]})
        finally:
            session.close()
    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["error"]["message"] == "Request had insufficient authentication scopes."


# -- the token endpoint on its own -----------------------------------------------------------


def _assertion(key: dict[str, str], **overrides: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": key["client_email"],
        "aud": GOOGLE_TOKEN_URI,
        "scope": " ".join(SCOPES),
        "iat": now,
        "exp": now + 3600,
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    signer = crypt.RSASigner.from_service_account_info(key)
    return jwt.encode(signer, claims).decode("ascii")


def _exchange(authority: TokenAuthority, assertion: str, grant: str | None = None) -> Any:
    grant = grant or "urn:ietf:params:oauth:grant-type:jwt-bearer"
    body = f"grant_type={grant}&assertion={assertion}".encode()
    return authority.token_endpoint(body)


@pytest.fixture
def authority(keys: dict[str, tuple[dict[str, str], str]]) -> TokenAuthority:
    """
    A token authority trusting the worker account.
    """
    return TokenAuthority(AuthConfig(enabled=True, service_accounts={WORKER: keys[WORKER][1]}))


def test_token_endpoint_issues_bearer_tokens(
    authority: TokenAuthority, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    A valid assertion yields Google's token response shape.
    """
    status, body = _exchange(authority, _assertion(keys[WORKER][0]))
    assert status == 200
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert authority.authenticate("Bearer " + body["access_token"]).principal == WORKER


@pytest.mark.parametrize(
    ("overrides", "error", "description"),
    [
        ({"aud": "https://example.com/token"}, "invalid_grant", "Failed audience check"),
        ({"aud": ["https://example.com/token"]}, "invalid_grant", "Failed audience check"),
        ({"aud": {"url": "https://example.com/token"}}, "invalid_grant", "Failed audience check"),
        ({"iat": "now", "exp": "later"}, "invalid_grant", "short-lived"),
        ({"scope": ["spreadsheets"]}, "invalid_scope", "Invalid OAuth scope"),
        (
            {"exp": int(time.time()) - 4000, "iat": int(time.time()) - 7000},
            "invalid_grant",
            "short-lived",
        ),
        ({"exp": int(time.time()) + 7200}, "invalid_grant", "short-lived"),
        ({"scope": None}, "invalid_scope", "Invalid OAuth scope"),
    ],
)
def test_token_endpoint_checks_claims(
    authority: TokenAuthority,
    keys: dict[str, tuple[dict[str, str], str]],
    overrides: dict[str, Any],
    error: str,
    description: str,
) -> None:
    """
    Audience, lifetime and scope are checked and refused with Google's OAuth error codes.
    """
    status, body = _exchange(authority, _assertion(keys[WORKER][0], **overrides))
    assert (status, body["error"]) == (400, error)
    assert description in body["error_description"]


def test_token_endpoint_refuses_unknown_accounts_and_grants(
    authority: TokenAuthority, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    An account that is not registered, or another grant type, is refused.
    """
    _, unknown = _exchange(authority, _assertion(keys[STRANGER][0]))
    status, grant = _exchange(authority, _assertion(keys[WORKER][0]), grant="password")
    assert unknown["error"] == "invalid_grant"
    assert (status, grant["error"]) == (400, "unsupported_grant_type")


def test_service_accounts_load_from_a_folder(
    tmp_path: Path, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    A folder of ``<e-mail>.pem`` public keys and JSON key files yields the trusted accounts.
    """
    (tmp_path / f"{STRANGER}.pem").write_text(keys[STRANGER][1], encoding="ascii")
    (tmp_path / "worker.json").write_text(json.dumps(keys[WORKER][0]), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    accounts = load_service_accounts(tmp_path)
    assert accounts == {STRANGER: keys[STRANGER][1], WORKER: keys[WORKER][1]}


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda folder: folder / "absent", r"^key folder .*absent: cannot be read \(No such file"),
        (
            lambda folder: _written(folder, "broken.json", "{not json"),
            r"^key file .*broken\.json: not a service-account key \(Expecting property name",
        ),
        (
            lambda folder: _written(
                folder, "bad.json", '{"type": "service_account", "private_key": "x"}'
            ),
            r"^key file .*bad\.json: not a service-account key \(Unable to load PEM",
        ),
        (
            lambda folder: _written(folder, "worker@example.iam.gserviceaccount.com.pem", "x"),
            r"^key file .*\.com\.pem: not a service-account key \(Unable to load PEM",
        ),
    ],
)
def test_a_key_folder_it_cannot_use_is_one_line(
    tmp_path: Path, make: Callable[[Path], Path], said: str
) -> None:
    """A missing folder, or a JSON key that is damaged: ``UnusableFile`` naming the file."""
    with pytest.raises(UnusableFile, match=said):
        load_service_accounts(make(tmp_path))


def _written(folder: Path, name: str, text: str) -> Path:
    """The folder, with one file of `text` written in it."""
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_delegated_tokens_act_as_the_subject(
    authority: TokenAuthority, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    An assertion with "sub" (domain-wide delegation) yields a token acting as that user.
    """
    _, body = _exchange(authority, _assertion(keys[WORKER][0], sub="officer@example.go.th"))
    assert authority.authenticate("Bearer " + body["access_token"]).principal == (
        "officer@example.go.th"
    )


def _drive_client(handle: EmulatorHandle, key: dict[str, str]) -> gspread.Client:
    """A client that may create and share files too (Drive's scope)."""
    scopes = [*SCOPES, "https://www.googleapis.com/auth/drive"]
    credentials = service_account.Credentials.from_service_account_info(key, scopes=scopes)
    return make_gspread_client(handle.base_url, credentials)


def _reads_but_cannot_write(client: gspread.Client, spreadsheet_id: str) -> None:
    """The client opens and reads the spreadsheet; its write is Google's 403."""
    seen = client.open_by_key(spreadsheet_id)
    assert seen.sheet1.get("A1") == [[]]
    with pytest.raises(gspread.exceptions.APIError) as refused:
        seen.sheet1.update([["x"]], "A1")
    assert refused.value.response.status_code == 403
    assert refused.value.response.json() == permission_denied().body()


def test_sharing_keeps_its_role_and_a_reader_cannot_write(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    `share(email, role="reader")` keeps the role (Drive: owner, writer, commenter, reader);
    the account that made the file is its owner; the reader reads but its write is Google's
    403; `remove_permissions(email, role="reader")` finds the permission and takes it away.
    """
    worker = _drive_client(secured, keys[WORKER][0])
    stranger = _drive_client(secured, keys[STRANGER][0])
    book = worker.create("shared")
    book.share(STRANGER, perm_type="user", role="reader", notify=False)
    roles = {p.get("emailAddress"): p["role"] for p in book.list_permissions()}
    assert roles == {WORKER: "owner", STRANGER: "reader"}
    _reads_but_cannot_write(stranger, book.id)
    (granted,) = [p["id"] for p in book.list_permissions() if p.get("emailAddress") == STRANGER]
    assert book.remove_permissions(STRANGER, role="reader") == [granted]
    assert {p.get("emailAddress") for p in book.list_permissions()} == {WORKER}
    with pytest.raises(PermissionError):  # (gspread's word for a 403 on opening)
        stranger.open_by_key(book.id)


def test_sharing_with_a_domain_lets_its_accounts_in_with_its_role(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    `share(domain, perm_type="domain", role="reader")` (Drive: type user, group, domain,
    anyone): every account of that domain reads, none writes; the permission is listed and
    can be taken away, and then the domain's accounts are out again.
    """
    worker = _drive_client(secured, keys[WORKER][0])
    stranger = _drive_client(secured, keys[STRANGER][0])
    book = worker.create("for the domain")
    domain = STRANGER.rpartition("@")[2]
    book.share(domain, perm_type="domain", role="reader", notify=False)
    listed = [p for p in book.list_permissions() if p["type"] == "domain"]
    assert [(p["domain"], p["role"]) for p in listed] == [(domain, "reader")]
    _reads_but_cannot_write(stranger, book.id)
    book.remove_permissions(domain, role="reader")
    with pytest.raises(PermissionError):  # (gspread's word for a 403 on opening)
        stranger.open_by_key(book.id)


def test_sharing_with_anyone_as_reader_leaves_the_named_editors_theirs(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """The worker, sharing `sec1` (made without roles) with anyone as reader, still writes it."""
    worker = _drive_client(secured, keys[WORKER][0])
    book = worker.open_by_key("sec1")
    book.share(None, perm_type="anyone", role="reader")
    book.sheet1.update([["still mine"]], "A1")
    assert book.sheet1.get("A1") == [["still mine"]]


def test_a_reader_can_neither_delete_the_file_nor_import_a_csv_over_it(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    Drive's own ways of changing a file are an edit too: a reader's `del_spreadsheet` and
    `import_csv` are Google's 403, and the file stays whole.
    """
    worker = _drive_client(secured, keys[WORKER][0])
    stranger = _drive_client(secured, keys[STRANGER][0])
    book = worker.create("kept")
    book.sheet1.update([["mine"]], "A1")
    book.share(STRANGER, perm_type="user", role="reader", notify=False)
    for attempt in (
        lambda: stranger.del_spreadsheet(book.id),
        lambda: stranger.import_csv(book.id, "a,b\n"),
    ):
        with pytest.raises(gspread.exceptions.APIError) as refused:
            attempt()
        assert refused.value.response.status_code == 403
        assert refused.value.response.json() == permission_denied().body()
    assert worker.open_by_key(book.id).sheet1.get_all_values() == [["mine"]]


def test_a_spreadsheet_made_through_sheets_is_owned_by_its_maker(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """spreadsheets.create, as Drive's create and copy: the account that made it owns it."""
    worker = _drive_client(secured, keys[WORKER][0])
    made = worker.http_client.request(
        "post", SPREADSHEETS_API_V4_BASE_URL, json={"properties": {"title": "via Sheets"}}
    ).json()
    permissions = worker.list_permissions(made["spreadsheetId"])
    assert [(p.get("emailAddress"), p["role"]) for p in permissions] == [(WORKER, "owner")]


def test_roles_that_apply_add_up_and_taking_anyone_away_leaves_the_named_theirs(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    Drive gives an account the most its permissions allow: a named reader writes once anyone
    may write; with anyone's permission taken away again, a named writer still writes and
    the named reader still only reads.
    """
    worker = _drive_client(secured, keys[WORKER][0])
    stranger = _drive_client(secured, keys[STRANGER][0])
    book = worker.create("shared widely")
    book.share(STRANGER, perm_type="user", role="reader", notify=False)
    book.share(None, perm_type="anyone", role="writer")
    stranger.open_by_key(book.id).sheet1.update([["anyone may"]], "B2")
    assert book.sheet1.get("B2") == [["anyone may"]]
    worker.remove_permission(book.id, "anyoneWithLink")
    _reads_but_cannot_write(stranger, book.id)
    other = worker.create("named writer")
    other.share(STRANGER, perm_type="user", role="writer", notify=False)
    other.share(None, perm_type="anyone", role="reader")
    worker.remove_permission(other.id, "anyoneWithLink")
    roles = {p.get("emailAddress"): p["role"] for p in other.list_permissions()}
    assert roles == {WORKER: "owner", STRANGER: "writer"}
    stranger.open_by_key(other.id).sheet1.update([["still theirs"]], "A1")
    assert other.sheet1.get("A1") == [["still theirs"]]


def test_copy_to_needs_reading_the_source_and_editing_the_destination(
    secured: EmulatorHandle, keys: dict[str, tuple[dict[str, str], str]]
) -> None:
    """
    sheets.copyTo: a reader of the source copies a tab into a spreadsheet it edits; into one
    it only reads, the copy is Google's 403 and nothing is added.
    """
    store = secured.store
    source = store.create_spreadsheet("source", spreadsheet_id="src1", shared_with=[STRANGER])
    source.roles[STRANGER] = "reader"
    store.create_spreadsheet("mine", spreadsheet_id="dst1", shared_with=[STRANGER])
    theirs = store.create_spreadsheet("theirs", spreadsheet_id="dst2", shared_with=[STRANGER])
    theirs.roles[STRANGER] = "reader"
    stranger = _drive_client(secured, keys[STRANGER][0])
    copied = stranger.open_by_key("src1").sheet1.copy_to("dst1")
    assert copied["title"] == "Copy of Sheet1"
    with pytest.raises(gspread.exceptions.APIError) as refused:
        stranger.open_by_key("src1").sheet1.copy_to("dst2")
    assert refused.value.response.status_code == 403
    assert refused.value.response.json() == permission_denied().body()
    assert [s.title for s in store.get("dst2").sheets] == ["Sheet1"]
