"""
E-mail rule (domain spec §3.1): syntax only, no network.

Common plain-ASCII addresses are accepted by a conservative pattern whose every match
email-validator also accepts (a property test proves it); everything else, including Thai
IDN domains and Thai local parts, goes through email-validator with
`check_deliverability=False`.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from rules.clean import pre_clean
from rules.findings import Finding, error

EMAIL_INVALID = "รูปแบบอีเมลไม่ถูกต้อง"

# Dot-atoms of letters, digits, `_`, `+`, `-` (no leading, trailing or doubled dot); domain
# labels of letters, digits and inner hyphens; a letters-only top-level domain.
FAST_EMAIL = re.compile(
    r"[A-Za-z0-9_+\-]{1,64}(?:\.[A-Za-z0-9_+\-]{1,64}){0,8}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}"
)
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_MAX_LOCAL = 64
_MAX_ADDRESS = 254


def _fast_accept(text: str) -> bool:
    """
    Tell whether an address is certainly valid without calling email-validator.
    """
    if len(text) > _MAX_ADDRESS or FAST_EMAIL.fullmatch(text) is None:
        return False
    local, _, domain = text.rpartition("@")
    if "--" in domain:  # `ab--c` is reserved for IDNA labels (`xn--`): the library decides
        return False
    return len(local) <= _MAX_LOCAL and domain.rsplit(".", 1)[-1].lower() not in _SPECIAL_USE


def is_valid_email(text: str) -> bool:
    """
    Tell whether a pre-cleaned address is syntactically valid (no network).
    """
    if _fast_accept(text):
        return True
    if len(text) > 2 * _MAX_ADDRESS:
        return False
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def check_email(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check an e-mail cell; a `mailto:` prefix pasted from a link is tolerated.
    """
    text = pre_clean(str(raw)) if not isinstance(raw, str) else pre_clean(raw)
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    if not is_valid_email(text):
        return None, (error("email_invalid", header, EMAIL_INVALID),)
    return text, ()
