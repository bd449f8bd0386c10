"""
Thai phone-number rules (domain spec §3.1): mobile for the person, any Thai number for the
enterprise.

Validity comes from phonenumbers' own metadata for Thailand. Plain national forms
(`0812345678`, `081-234-5678`, `+66 81 234 5678`) are classified with the metadata's
patterns directly, which is what `phonenumbers.is_valid_number` does but about twenty times
faster; anything else goes through `phonenumbers.parse`. A test proves both paths agree.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import cast

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

from rules.clean import pre_clean
from rules.findings import Finding, error

MOBILE_INVALID = "ไม่ใช่หมายเลขโทรศัพท์มือถือที่ถูกต้อง"
MOBILE_NOT_MOBILE = "เป็นหมายเลขโทรศัพท์พื้นฐานหรือประเภทอื่น ไม่ใช่โทรศัพท์มือถือ"
PHONE_INVALID = "ไม่ใช่หมายเลขโทรศัพท์ไทยที่ถูกต้อง"

THAI_COUNTRY_CODE = 66


class PhoneKind(Enum):
    """
    What a valid Thai number is, as far as these rules care.
    """

    MOBILE = "mobile"
    FIXED_LINE = "fixed_line"
    OTHER = "other"


# An extension ("ต่อ 12", "ext. 12", "#12") makes phonenumbers fail: it is dropped first.
_EXTENSION = re.compile(r"\s*(?:ต่อ|ext\.?|x|#)\s*[\d\s,\-/]*$", re.IGNORECASE)
# Several numbers in one cell: "081-234-5678, 02-111-2222" or "... หรือ ...".
_SEPARATOR = re.compile(r"\s*(?:[,;\n]|/(?=\s*\+?\d[\d\s\-]{7,})|หรือ)\s*")
_FORMATTING = re.compile(r"[\s\-().]")

_LOADED = PhoneMetadata.metadata_for_region("TH")
if _LOADED is None:  # pragma: no cover - phonenumbers always ships Thailand
    raise ImportError("phonenumbers has no metadata for region TH")
_METADATA = _LOADED


def _pattern(desc: object) -> tuple[re.Pattern[str], tuple[int, ...]] | None:
    """
    Compile one number-type description of the Thai metadata, or None when it has none.
    """
    pattern = getattr(desc, "national_number_pattern", None)
    if not pattern:
        return None
    lengths = tuple(getattr(desc, "possible_length", ()) or ())
    return re.compile(pattern), lengths


_GENERAL = _pattern(_METADATA.general_desc)
_OTHER_TYPES = tuple(
    p
    for p in (
        _pattern(_METADATA.premium_rate),
        _pattern(_METADATA.toll_free),
        _pattern(_METADATA.shared_cost),
        _pattern(_METADATA.voip),
        _pattern(_METADATA.personal_number),
        _pattern(_METADATA.pager),
        _pattern(_METADATA.uan),
        _pattern(_METADATA.voicemail),
    )
    if p is not None
)
_FIXED = _pattern(_METADATA.fixed_line)
_MOBILE = _pattern(_METADATA.mobile)


def _matches(national: str, desc: tuple[re.Pattern[str], tuple[int, ...]] | None) -> bool:
    """
    Tell whether a national number fits a number-type description (length, then pattern).
    """
    if desc is None:
        return False
    pattern, lengths = desc
    general_lengths = _GENERAL[1] if _GENERAL else ()
    if len(national) not in (lengths or general_lengths):
        return False
    return pattern.fullmatch(national) is not None


def _combined(length: int) -> re.Pattern[str] | None:
    """
    Compile one pattern trying every number type of a given length in `classify_national`'s order.
    """
    general_lengths = _GENERAL[1] if _GENERAL else ()
    kinds: list[tuple[PhoneKind, tuple[re.Pattern[str], tuple[int, ...]] | None]] = [
        (PhoneKind.OTHER, desc) for desc in _OTHER_TYPES
    ]
    kinds += [(PhoneKind.FIXED_LINE, _FIXED), (PhoneKind.MOBILE, _MOBILE)]
    alternatives = [
        f"(?P<{kind.name}{index}>(?:{desc[0].pattern}))"
        for index, (kind, desc) in enumerate(kinds)
        if desc is not None and length in (desc[1] or general_lengths)
    ]
    return re.compile("|".join(alternatives)) if alternatives else None


_BY_LENGTH: dict[int, re.Pattern[str] | None] = {
    length: _combined(length) for length in (_GENERAL[1] if _GENERAL else ())
}
"""Per valid length, the types' patterns as one alternation: one regex call per number."""

_KIND_OF_GROUP: dict[str, PhoneKind] = {
    name: PhoneKind[name.rstrip("0123456789")]
    for pattern in _BY_LENGTH.values()
    if pattern is not None
    for name in pattern.groupindex
}
"""Each alternative's group name -> the number type it stands for."""


def classify_national(national: str) -> PhoneKind | None:
    """
    Classify a Thai national significant number with the metadata's patterns (None = invalid).
    """
    if not _matches(national, _GENERAL):
        return None
    pattern = _BY_LENGTH.get(len(national))
    match = pattern.fullmatch(national) if pattern is not None else None
    if match is None:
        return None
    # The first alternative that matches the whole number is the type the checks would pick;
    # its named group is the last one closed (an inner group closes before it).
    name = match.lastgroup or next(n for n, t in match.groupdict().items() if t is not None)
    return _KIND_OF_GROUP[name]


def _classify_with_library(text: str) -> PhoneKind | None:
    """
    Classify any other form through phonenumbers itself (slow path).
    """
    try:
        number = phonenumbers.parse(text, "TH")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != THAI_COUNTRY_CODE or not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return PhoneKind.MOBILE
    if kind == PhoneNumberType.FIXED_LINE:
        return PhoneKind.FIXED_LINE
    return PhoneKind.OTHER


def classify_phone(text: str) -> PhoneKind | None:
    """
    Classify one typed Thai phone number (extension already removed); None when invalid.
    """
    compact = _FORMATTING.sub("", text)
    if compact.isascii() and compact.isdigit():
        if compact.startswith("0") and not compact.startswith("00"):
            return classify_national(compact[1:])
        if len(compact) in (8, 9) and compact[0] != "0":
            # A number typed into a cell that Sheets stored as a number lost its leading 0.
            return classify_national(compact)
    elif compact.startswith("+66") and compact[3:].isascii() and compact[3:].isdigit():
        national = compact[3:]
        return classify_national(national[1:] if national.startswith("0") else national)
    return _classify_with_library(text)


def phone_parts(raw: object) -> list[str]:
    """
    Split a phone cell into its numbers, dropping extensions; API numbers become their digits.
    """
    if isinstance(raw, bool):
        return ["TRUE" if raw else "FALSE"]
    if isinstance(raw, int):
        return [str(raw)]
    if isinstance(raw, float):
        return [str(int(raw)) if raw.is_integer() else repr(raw)]
    return _parts_of_text(pre_clean(str(raw)))


_DIGITS_SPACES_DASHES = str.maketrans("", "", "0123456789 -")


def _parts_of_text(text: str) -> list[str]:
    """
    Split cleaned phone text into its numbers, dropping extensions.
    """
    if text.isdigit() or (text and text.isascii() and not text.translate(_DIGITS_SPACES_DASHES)):
        # Digits, spaces and dashes only: nothing to split on and no extension marker.
        return [text]
    return split_parts(text)


def split_parts(text: str) -> list[str]:
    """
    Split cleaned phone text at separators and drop extensions (the general path).
    """
    parts = [_EXTENSION.sub("", part) for part in _SEPARATOR.split(text)]
    return [part for part in parts if part] or [text]


def _plain_national(raw: object) -> str | None:
    """
    Return the national significant number of a cell typed as `0` + digits, with or without
    dashes or inner spaces (`081-234-5678`, `081 234 5678`), else None.

    Such a cell is its own cleaned text (nothing to strip at its ends) and its only part, and
    `classify_phone` would take exactly this number to `classify_national`: the checks below
    skip the cleaning and the split for it, with the same outcome (a test proves it over
    generated numbers, and that phonenumbers itself classifies them alike).
    """
    if raw.__class__ is not str:
        return None
    text = cast(str, raw)
    compact = text.replace("-", "").replace(" ", "")
    if (
        compact.isdigit()
        and compact.isascii()
        and compact[0] == "0"
        and compact[1:2] != "0"
        and text[0] != " "
        and text[-1] != " "
    ):
        return compact[1:]
    return None


def check_mobile(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a mobile-phone cell: every number in it must be a valid Thai mobile number.
    """
    national = _plain_national(raw)
    if national is not None:
        kind = classify_national(national)
        if kind is None:
            return None, (error("mobile_invalid", header, MOBILE_INVALID),)
        if kind is not PhoneKind.MOBILE:
            return None, (error("mobile_not_mobile", header, MOBILE_NOT_MOBILE),)
        return cast(str, raw), ()
    return _check_mobile_general(header, raw)


def _check_mobile_general(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a mobile-phone cell of any form: clean it, split it, classify each number.
    """
    text, parts = _cleaned_parts(raw)
    for part in parts:
        kind = classify_phone(part)
        if kind is None:
            return None, (error("mobile_invalid", header, MOBILE_INVALID),)
        if kind is not PhoneKind.MOBILE:
            return None, (error("mobile_not_mobile", header, MOBILE_NOT_MOBILE),)
    return text, ()


def check_phone(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check an enterprise phone cell: every number in it must be a valid Thai number.
    """
    national = _plain_national(raw)
    if national is not None:
        if classify_national(national) is None:
            return None, (error("phone_invalid", header, PHONE_INVALID),)
        return cast(str, raw), ()
    return _check_phone_general(header, raw)


def _check_phone_general(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check an enterprise phone cell of any form: clean it, split it, classify each number.
    """
    text, parts = _cleaned_parts(raw)
    for part in parts:
        if classify_phone(part) is None:
            return None, (error("phone_invalid", header, PHONE_INVALID),)
    return text, ()


def _cleaned_parts(raw: object) -> tuple[str, list[str]]:
    """
    Return a phone cell's cleaned text (the value kept) and its numbers, cleaning text once.
    """
    if isinstance(raw, str):
        text = pre_clean(raw)
        return text, _parts_of_text(text)
    return pre_clean(str(raw)), phone_parts(raw)
