"""
The emulator's OAuth2 side: a JWT-bearer token endpoint and bearer-token checks.

Google's service-account flow (RFC 7523, https://developers.google.com/identity/protocols/oauth2/service-account#httprest)
posts a self-signed RS256 JWT to the key file's ``token_uri`` and gets a short-lived
access token back; every API call then carries ``Authorization: Bearer <token>``.
With ``AuthConfig(enabled=True)`` the emulator runs that exact exchange against the
public keys it was given, so google-auth's real refresh code is exercised. With auth
disabled (the default) any bearer, or none, is accepted and 401 is never sent, because
a 401 makes google-auth try to refresh and gspread then fails with ``RefreshError``.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sheets_emulator.model.errors import UnusableFile, reason_of

__all__ = [
    "GOOGLE_TOKEN_URI",
    "AuthConfig",
    "AuthResult",
    "TokenAuthority",
    "load_service_accounts",
    "make_service_account_key",
]

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"

# Scopes that let a token reach each API; the read-only ones only allow GETs.
_SHEETS_SCOPES = frozenset(
    {
        "https://www.googleapis.com/auth/spreadsheets",
        "https://www.googleapis.com/auth/drive",
        "https://www.googleapis.com/auth/drive.file",
    }
)
_SHEETS_READONLY_SCOPES = frozenset(
    {
        "https://www.googleapis.com/auth/spreadsheets.readonly",
        "https://www.googleapis.com/auth/drive.readonly",
    }
)
_DRIVE_SCOPES = frozenset(
    {"https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.file"}
)
_DRIVE_READONLY_SCOPES = frozenset({"https://www.googleapis.com/auth/drive.readonly"})

# Google rejects assertions whose exp-iat exceeds one hour; allow a little clock skew.
_MAX_ASSERTION_LIFETIME_S = 3600
_CLOCK_SKEW_S = 300

UNAUTHENTICATED_BODY: dict[str, Any] = {
    "error": {
        "code": 401,
        "message": (
            "Request had invalid authentication credentials. Expected OAuth 2 access token,"
            " login cookie or other valid authentication credential. See"
            " https://developers.google.com/identity/sign-in/web/devconsole-project."
        ),
        "status": "UNAUTHENTICATED",
    }
}


UNREGISTERED_BODY: dict[str, Any] = {
    "error": {
        "code": 403,
        "message": (
            "Method doesn't allow unregistered callers (callers without established identity)."
            " Please use API Key or other form of API consumer identity to call this API."
        ),
        "status": "PERMISSION_DENIED",
    }
}
"""What Google answers a request that carries no credential at all (no Authorization
header, no API key): a 403, not the 401 of a credential it cannot accept, so a client does
not try to refresh a token it never sent."""


@dataclass(frozen=True)
class AuthConfig:
    """
    Switches the real OAuth2 path on and names the service accounts it trusts.

    Args:
        enabled: when False, every request is served without looking at credentials.
        service_accounts: client e-mail → PEM-encoded RSA public key of that account.
        token_lifetime_s: ``expires_in`` of issued access tokens (shorten it to rehearse expiry).
    """

    enabled: bool = False
    service_accounts: Mapping[str, str] = field(default_factory=dict)
    token_lifetime_s: int = 3600


@dataclass(frozen=True)
class AuthResult:
    """
    Outcome of checking one API request's credentials: a principal, or an error response.
    """

    principal: str | None = None
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """
        Whether the request may be served.
        """
        return self.status == 200


@dataclass(frozen=True)
class _Token:
    principal: str
    scopes: frozenset[str]
    expires_at: float


class _GrantError(Exception):
    """
    An OAuth error the token endpoint reports with status 400 (or 401 for unknown clients).
    """

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class TokenAuthority:
    """
    Issues access tokens for signed JWT assertions and checks bearers on API requests.
    """

    def __init__(
        self,
        config: AuthConfig | None = None,
        *,
        token_uris: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config or AuthConfig()
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._keys: dict[str, rsa.RSAPublicKey] = {}
        self._audiences = {GOOGLE_TOKEN_URI, *token_uris}
        for email, pem in self.config.service_accounts.items():
            self.register(email, pem)

    @property
    def enabled(self) -> bool:
        """
        Whether API requests need a valid bearer token.
        """
        return self.config.enabled

    def add_audience(self, token_uri: str) -> None:
        """
        Accept assertions addressed to this token URI as well as to Google's.
        """
        with self._lock:
            self._audiences.add(token_uri)

    def register(self, email: str, public_key_pem: str | bytes) -> None:
        """
        Trust assertions from ``email`` signed by the private half of this key.
        """
        data = public_key_pem.encode() if isinstance(public_key_pem, str) else public_key_pem
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError(f"the key for {email} is not an RSA public key")
        with self._lock:
            self._keys[email] = key

    def expire_all(self) -> None:
        """
        Make every issued token invalid now, as if its lifetime had run out server-side.
        """
        with self._lock:
            self._tokens.clear()

    # -- token endpoint -------------------------------------------------------------------

    def token_endpoint(self, body: bytes) -> tuple[int, dict[str, Any]]:
        """
        Serve ``POST /token``: exchange a JWT-bearer assertion for an access token.
        """
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        grant_type = form.get("grant_type", [""])[0]
        assertion = form.get("assertion", [""])[0]
        try:
            if grant_type != JWT_BEARER_GRANT:
                raise _GrantError(
                    "unsupported_grant_type", f"Invalid grant_type: {grant_type}".rstrip(": ")
                )
            principal, scopes = self._verify_assertion(assertion)
        except _GrantError as exc:
            return exc.status, {"error": exc.error, "error_description": exc.description}
        token = "ya29.emulator-" + secrets.token_urlsafe(32)
        lifetime = self.config.token_lifetime_s
        with self._lock:
            now = self._clock()
            if len(self._tokens) >= 1000:  # a long rehearsal refreshes often; forget dead tokens
                self._tokens = {k: t for k, t in self._tokens.items() if t.expires_at > now}
            self._tokens[token] = _Token(principal, scopes, now + lifetime)
        return 200, {"access_token": token, "expires_in": lifetime, "token_type": "Bearer"}

    def _verify_assertion(self, assertion: str) -> tuple[str, frozenset[str]]:
        parts = assertion.split(".")
        if len(parts) != 3:
            raise _GrantError("invalid_grant", "Invalid JWT: Token must be a short-lived token.")
        try:
            header = json.loads(_b64url_decode(parts[0]))
            claims = json.loads(_b64url_decode(parts[1]))
            signature = _b64url_decode(parts[2])
        except (ValueError, binascii.Error) as exc:
            raise _GrantError("invalid_grant", "Invalid JWT Signature.") from exc
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise _GrantError("invalid_grant", "Invalid JWT Signature.")
        if header.get("alg") != "RS256":
            raise _GrantError("invalid_grant", "Invalid JWT Signature.")
        email = claims.get("iss")
        with self._lock:
            key = self._keys.get(email) if isinstance(email, str) else None
            audiences = set(self._audiences)
        if key is None or not isinstance(email, str):
            raise _GrantError("invalid_grant", "Invalid grant: account not found")
        signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
        try:
            key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise _GrantError("invalid_grant", "Invalid JWT Signature.") from exc
        audience = claims.get("aud")
        # (An audience list, which JWT allows, is refused too: the token URI is one string.)
        if not isinstance(audience, str) or audience not in audiences:
            raise _GrantError(
                "invalid_grant",
                # Google's words (it names the token endpoint, without a final full stop).
                f"Invalid JWT: Failed audience check. The right audience is {GOOGLE_TOKEN_URI}",
            )
        self._check_times(claims)
        scope = claims.get("scope")
        scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset()
        if not scopes:
            raise _GrantError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        # Domain-wide delegation: the token then acts as the user named in "sub".
        subject = claims.get("sub")
        return (subject if isinstance(subject, str) and subject else email), scopes

    def _check_times(self, claims: Mapping[str, Any]) -> None:
        iat, exp = claims.get("iat"), claims.get("exp")
        now = self._clock()
        timely = (
            isinstance(iat, int | float)
            and isinstance(exp, int | float)
            and iat <= now + _CLOCK_SKEW_S
            and exp > now - _CLOCK_SKEW_S
            and 0 < exp - iat <= _MAX_ASSERTION_LIFETIME_S
        )
        if not timely:
            raise _GrantError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a"
                " reasonable timeframe. Check your iat and exp values in the JWT claim.",
            )

    # -- API requests -----------------------------------------------------------------------

    def authenticate(
        self, authorization: str | None, *, api: str = "sheets", read_only: bool = False
    ) -> AuthResult:
        """
        Check an API request's ``Authorization`` header and name its principal.

        Args:
            authorization: the header value, or None when absent.
            api: ``"sheets"`` or ``"drive"``, which decides the scopes that suffice.
            read_only: whether the request only reads (read-only scopes then suffice).
        """
        if not self.enabled:
            return AuthResult()
        if authorization is None or not authorization.strip():
            return AuthResult(status=403, body=UNREGISTERED_BODY)
        token = _bearer(authorization)
        with self._lock:
            record = self._tokens.get(token) if token else None
            if token and record is not None and record.expires_at <= self._clock():
                del self._tokens[token]
                record = None
        if record is None:
            return AuthResult(
                status=401,
                body=UNAUTHENTICATED_BODY,
                headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
            )
        full, readonly = (
            (_SHEETS_SCOPES, _SHEETS_READONLY_SCOPES)
            if api == "sheets"
            else (_DRIVE_SCOPES, _DRIVE_READONLY_SCOPES)
        )
        allowed = full | readonly if read_only else full
        if not record.scopes & allowed:
            return AuthResult(status=403, body=_insufficient_scopes(api))
        return AuthResult(principal=record.principal)


def _insufficient_scopes(api: str) -> dict[str, Any]:
    service = "sheets.googleapis.com" if api == "sheets" else "drive.googleapis.com"
    return {
        "error": {
            "code": 403,
            "message": "Request had insufficient authentication scopes.",
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                    "domain": "googleapis.com",
                    "metadata": {"service": service},
                }
            ],
        }
    }


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def make_service_account_key(
    email: str, token_uri: str = GOOGLE_TOKEN_URI, *, project_id: str = "sheets-emulator"
) -> tuple[dict[str, str], str]:
    """
    Generate a fresh service-account key file (as a dict) and its public PEM, never stored.

    The dict has the fields of a key file downloaded from the Cloud console, so
    ``google.oauth2.service_account.Credentials.from_service_account_info`` accepts it.
    """
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    key_file = {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": uuid.uuid4().hex,
        "private_key": private_pem,
        "client_email": email,
        "client_id": str(secrets.randbelow(10**20)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
        + email.replace("@", "%40"),
        "universe_domain": "googleapis.com",
    }
    return key_file, public_pem


def load_service_accounts(directory: Path) -> dict[str, str]:
    """
    Read trusted accounts from a folder: ``<e-mail>.pem`` public keys or service-account JSON files.

    A JSON key file contributes its ``client_email`` and the public half of its private key,
    so an operator can point the emulator at the same key file the worker uses.
    """
    try:
        paths = sorted(directory.iterdir())
    except OSError as exc:
        raise UnusableFile(f"key folder {directory}: cannot be read ({reason_of(exc)})") from None
    accounts: dict[str, str] = {}
    for path in paths:
        try:
            if path.suffix == ".pem":
                pem = path.read_text(encoding="ascii")
                # (read now: a broken key would stop the server as it started, in a traceback)
                public_key = serialization.load_pem_public_key(pem.encode())
                if not isinstance(public_key, rsa.RSAPublicKey):
                    raise ValueError("not an RSA public key")
                accounts[path.stem] = pem
            elif path.suffix == ".json":
                info = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(info, dict) or info.get("type") != "service_account":
                    continue
                private_key = serialization.load_pem_private_key(
                    str(info["private_key"]).encode("ascii"), password=None
                )
                accounts[str(info["client_email"])] = (
                    private_key.public_key()
                    .public_bytes(
                        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                    )
                    .decode("ascii")
                )
        except (OSError, ValueError, KeyError, TypeError) as exc:  # (JSON and PEM errors too)
            raise UnusableFile(
                f"key file {path}: not a service-account key ({reason_of(exc)})"
            ) from None
    return accounts
