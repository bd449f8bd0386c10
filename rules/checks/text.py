"""
Text rules (domain spec §3.1): names, the agency against the tab's region, the enterprise
name when a tax ID is given, and the TSIC code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rules import headers as h
from rules.clean import normalise_text, pre_clean
from rules.findings import Finding, error, warning

NAME_HAS_DIGITS = "ชื่อมีตัวเลขปนอยู่"
NAME_NO_SPACE = "ไม่มีช่องว่างระหว่างชื่อและนามสกุล"
ENTERPRISE_NAME_BLANK = "ยังไม่ได้กรอก แต่กรอกเลขประจำตัวผู้เสียภาษีแล้ว"
TSIC_FORMAT = "รหัส TSIC ควรเป็นตัวเลข 5 หลัก"

_DIGIT = re.compile(r"\d")
_TSIC = re.compile(r"\d{5}")
_REGION_KEY = re.compile(r"[\s.]")
_REGION_PREFIX = "ศก"
_REGION_MISREADINGS = ("ศค", "สก", "สค")
"""How the appendix's screenshots spell the region prefix `ศก.` (`ศค.2`, `สก.1`; FORM.md)."""


def check_text(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Accept any text; the value is the cleaned text with inner spaces collapsed.
    """
    return normalise_text(raw if isinstance(raw, str) else str(raw)), ()


def check_full_name(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check `ชื่อ-นามสกุล`: no digits; a space between given and family name (else a warning).
    """
    text = normalise_text(raw if isinstance(raw, str) else str(raw))
    if _DIGIT.search(text):
        return text, (error("name_has_digits", header, NAME_HAS_DIGITS),)
    if " " not in text:
        return text, (warning("name_no_space", header, NAME_NO_SPACE),)
    return text, ()


def check_tsic(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a TSIC product code: five digits, else a warning.
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    else:
        text = pre_clean(str(raw)).replace(" ", "").replace("-", "")
    if _TSIC.fullmatch(text) is None or not text.isascii():
        return None, (warning("tsic_format", header, TSIC_FORMAT),)
    return text, ()


@lru_cache(maxsize=1024)
def region_key(text: str) -> str:
    """
    Return the key a region name is compared by (cleaned, no spaces or dots, case-folded, Thai
    digits as ASCII), with the misspellings of `ศก.` the appendix shows read as `ศก.`.
    """
    key = _REGION_KEY.sub("", normalise_text(text)).casefold()
    for misread in _REGION_MISREADINGS:
        if key.startswith(misread):
            return _REGION_PREFIX + key[len(misread) :]
    return key


def check_agency(agency: object, region: str) -> list[Finding]:
    """
    Warn when `หน่วยงาน` is not the region (tab) the row is in.
    """
    if not isinstance(agency, str) or region_key(agency) == region_key(region):
        return []
    return [warning("agency_not_region", h.AGENCY, f"ไม่ตรงกับชื่อแท็บ ({region})")]


def check_enterprise_name(
    has_tax_id: bool, has_name: bool, *, column: str = h.ENTERPRISE_NAME
) -> list[Finding]:
    """
    Report a blank enterprise (organisation) name when its section's tax ID is given.
    """
    if has_tax_id and not has_name:
        return [error("enterprise_name_blank", column, ENTERPRISE_NAME_BLANK)]
    return []
