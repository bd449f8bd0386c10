"""
How gspread reaches the emulator: a host-rewriting adapter, no monkeypatching.
"""

from __future__ import annotations

import copy

import google.oauth2.credentials
import pytest
import requests

from sheets_emulator.http.client import (
    GOOGLE_PREFIXES,
    GoogleHostRewriteAdapter,
    make_gspread_client,
    mount_endpoint,
    sheets_session,
)
from sheets_emulator.http.server import EmulatorHandle


@pytest.mark.parametrize("prefix", GOOGLE_PREFIXES)
def test_every_google_host_reaches_the_emulator(
    emulator: EmulatorHandle, raw: requests.Session, prefix: str
) -> None:
    """
    Requests to each Google host arrive at the emulator with path and query intact.
    """
    raw.get(f"{prefix}/v4/spreadsheets/none", params={"a": "1 2"})
    assert emulator.counters.log[-1].raw_path == "/v4/spreadsheets/none"


def test_other_hosts_are_left_alone(emulator: EmulatorHandle) -> None:
    """
    Only Google's API hosts are rewritten; anything else is sent where it was addressed.
    """
    with requests.Session() as session:
        mount_endpoint(session, emulator.base_url)
        response = session.get(emulator.base_url + "/__emulator/health")
    assert response.json()["ok"] is True


def test_adapter_survives_deep_copy() -> None:
    """
    google-auth deep-copies the token session; the copy must still know where to send requests.
    """
    adapter = GoogleHostRewriteAdapter("http://127.0.0.1:1/")
    twin = copy.deepcopy(adapter)
    assert twin.base_url == "http://127.0.0.1:1"
    adapter.close()
    twin.close()


def test_proxies_from_the_environment_are_bypassed(
    emulator: EmulatorHandle, raw: requests.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    A proxy configured for Google's hosts is not used for the local emulator.
    """
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    response = raw.get("https://sheets.googleapis.com/v4/spreadsheets/none")
    assert response.status_code == 404


def test_default_credentials_send_a_fixed_bearer(emulator: EmulatorHandle) -> None:
    """
    Without credentials the client uses a valid token-only credential and never refreshes.
    """
    client = make_gspread_client(emulator.base_url, timeout=5)
    try:
        assert client.http_client.timeout == 5
        assert client.http_client.auth.token == "emulator"
        assert client.http_client.auth.valid
    finally:
        client.http_client.session.close()


def test_real_google_needs_credentials() -> None:
    """
    With no emulator URL the client talks to Google, which needs real credentials.
    """
    with pytest.raises(ValueError, match="credentials are required"):
        make_gspread_client(None)


def test_real_google_mode_mounts_nothing() -> None:
    """
    With no emulator URL no rewriting adapter is mounted on the session.
    """
    creds = google.oauth2.credentials.Credentials(token="t")
    session = sheets_session(None, creds)
    try:
        adapters = [type(a) for a in session.adapters.values()]
        assert GoogleHostRewriteAdapter not in adapters
    finally:
        session.close()
