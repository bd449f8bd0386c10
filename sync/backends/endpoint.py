"""
The worker's endpoint switch: the real gspread client, bound to Google or to another endpoint.

gspread hard-codes Google's hosts; its supported hook is the ``session=`` argument. With an
endpoint configured (``service.endpoint``: an emulator at ``http://host:port``) a requests
adapter mounted on Google's hosts rewrites scheme and host to it, on the API session and on
the session google-auth refreshes tokens with; with none, the very same code talks to
Google. The emulator package ships the same adapter for its own users; the worker keeps its
copy so that production code depends on no emulator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import google.auth.credentials
import google.oauth2.credentials
import gspread
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from gspread.http_client import HTTPClient
from requests.adapters import HTTPAdapter

__all__ = [
    "GOOGLE_PREFIXES",
    "CompactAnswersAdapter",
    "GoogleHostRewriteAdapter",
    "compact_answers",
    "make_gspread_client",
    "mount_endpoint",
    "sheets_session",
]

GOOGLE_PREFIXES = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
    "https://oauth2.googleapis.com",
    # google-auth looks up a service account's regional access boundary here after a refresh.
    "https://iamcredentials.googleapis.com",
)


SHEETS_API = "https://sheets.googleapis.com/"
"""The Sheets API's address: its answers are asked for compact (`compact_answers`)."""


def compact_answers(url: str) -> str:
    """
    A Sheets API URL with `prettyPrint=false` (a system parameter of every Google API) unless
    it says otherwise: Google indents its answers by default, one value a line, which adds
    about two thirds to the bytes of a large read (15 -> 25 MB for 7 x 2,000 rows) that the
    worker receives, holds whole and splits into rows.
    """
    if not url.startswith(SHEETS_API) or "prettyPrint=" in url:
        return url
    return url + ("&" if "?" in url else "?") + "prettyPrint=false"


class CompactAnswersAdapter(HTTPAdapter):
    """Asks the Sheets API for compact answers (`compact_answers`); other URLs go as they are."""

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        """Add `prettyPrint=false` to a Sheets API request and send it."""
        request.url = compact_answers(request.url or "")
        return super().send(request, **kwargs)


class GoogleHostRewriteAdapter(CompactAnswersAdapter):
    """
    Sends requests addressed to Google's API hosts to ``base_url`` instead, path and query intact
    (a Sheets API request asking for compact answers, as to Google).
    """

    # requests pickles and deep-copies adapters through __attrs__ (google-auth deep-copies the
    # token session for its background lookup), so the target must be listed to survive that.
    __attrs__ = [*HTTPAdapter.__attrs__, "base_url"]  # noqa: RUF012 - requests' own convention

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        self.base_url = base_url.rstrip("/")
        super().__init__(**kwargs)

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        """
        Rewrite the URL's Google prefix to the endpoint and send it without any proxy.
        """
        url = request.url = compact_answers(request.url or "")  # (before the host changes)
        for prefix in GOOGLE_PREFIXES:
            if url == prefix or url.startswith(prefix + "/") or url.startswith(prefix + "?"):
                request.url = self.base_url + url[len(prefix) :]
                # Proxies were chosen for the Google host, not for the endpoint.
                kwargs["proxies"] = {}
                break
        return super().send(request, **kwargs)


def mount_endpoint(session: requests.Session, base_url: str) -> GoogleHostRewriteAdapter:
    """
    Route every Google API host on ``session`` to ``base_url``; returns the mounted adapter.
    """
    adapter = GoogleHostRewriteAdapter(base_url)
    for prefix in GOOGLE_PREFIXES:
        session.mount(prefix, adapter)
    return adapter


class _OwnTokenSession(AuthorizedSession):
    """
    An AuthorizedSession whose token refreshes use a session of ours, closed with it: one
    without google-auth's own three retries (a token endpoint that cannot be reached — an
    unknown host — fails at once, as the backend decides, instead of three warnings first;
    the backend retries what can heal within its budget).
    """

    def __init__(
        self, credentials: google.auth.credentials.Credentials, token_session: requests.Session
    ) -> None:
        super().__init__(credentials, auth_request=Request(token_session))
        self._token_session = token_session

    def close(self) -> None:
        """
        Close both the API session and the token-refresh session.
        """
        self._token_session.close()
        super().close()


def sheets_session(
    base_url: str | None,
    credentials: google.auth.credentials.Credentials | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> AuthorizedSession:
    """
    Build the authorised requests session gspread (or raw calls) use to reach Sheets.

    Args:
        base_url: the emulator's ``http://host:port``; None talks to Google itself.
        credentials: google-auth credentials; against the emulator, None means a fixed
            dummy bearer (accepted whenever the emulator's auth mode is off).
        headers: extra headers sent with every request.
    """
    if base_url is None:
        if credentials is None:
            raise ValueError(
                "credentials are required to reach Google; pass service-account credentials"
                " or a base_url for the emulator"
            )
        session: AuthorizedSession = _OwnTokenSession(credentials, requests.Session())
        session.mount(SHEETS_API.rstrip("/"), CompactAnswersAdapter())
    else:
        creds = credentials or google.oauth2.credentials.Credentials(token="emulator")
        token_session = requests.Session()
        mount_endpoint(token_session, base_url)
        session = _OwnTokenSession(creds, token_session)
        mount_endpoint(session, base_url)
    if headers:
        session.headers.update(headers)
    return session


def make_gspread_client(
    base_url: str | None,
    credentials: google.auth.credentials.Credentials | None = None,
    *,
    timeout: float | None = 30,
    http_client: type[HTTPClient] = HTTPClient,
) -> gspread.Client:
    """
    Create a real ``gspread.Client`` bound to the emulator (or to Google when ``base_url`` is None).

    Pass ``http_client=gspread.BackOffHTTPClient`` for gspread's own retrying client. Close the
    client with ``client.http_client.session.close()`` when done.
    """
    session = sheets_session(base_url, credentials)
    client = gspread.Client(session.credentials, session=session, http_client=http_client)
    # With a custom session gspread skips storing the credentials; keep expiry/login working.
    client.http_client.auth = session.credentials
    client.set_timeout(timeout)
    return client
