"""
Address rules (domain spec §3.1): province, district, subdistrict and postcode agree.

Lookup dicts are built once, on first use, from geothai's own data, and names are compared
after geothai's own `normalize`, so each row costs a few dict look-ups instead of a
`geothai.match` call; a test proves the look-ups agree with `geothai.match` on every
subdistrict of the data set. Address data: GeoThai (CC BY 4.0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple, cast

import geothai

from rules.clean import cell_text, pre_clean
from rules.findings import Finding, error, warning

PROVINCE_UNKNOWN = "ไม่พบชื่อจังหวัดนี้"
DISTRICT_NOT_IN_PROVINCE = "ไม่พบเขต/อำเภอนี้ในจังหวัดที่ระบุ"
SUBDISTRICT_NOT_IN_DISTRICT = "ไม่พบแขวง/ตำบลนี้ในเขต/อำเภอที่ระบุ"
SUBDISTRICT_NOT_IN_PROVINCE = "ไม่พบแขวง/ตำบลนี้ในจังหวัดที่ระบุ"
SUBDISTRICT_AMBIGUOUS = "มีแขวง/ตำบลชื่อนี้หลายแห่งในจังหวัด กรุณาระบุเขต/อำเภอ"
POSTCODE_FORMAT = "ต้องเป็นตัวเลข 5 หลัก"
POSTCODE_NOT_IN_PROVINCE = "รหัสไปรษณีย์ไม่ตรงกับจังหวัด"
POSTCODE_NOT_IN_DISTRICT = "รหัสไปรษณีย์ไม่ตรงกับเขต/อำเภอ"
POSTCODE_NOT_IN_SUBDISTRICT = "รหัสไปรษณีย์ไม่ตรงกับแขวง/ตำบล (แต่อยู่ในเขต/อำเภอเดียวกัน) กรุณาตรวจสอบ"

BANGKOK = "10"
# Names geothai does not know but people type (its own aliases are added from its data).
_EXTRA_PROVINCE_ALIASES = {
    "กรุงเทพฯ": BANGKOK,
    "กรุงเทพมหานครฯ": BANGKOK,
    "กทม": BANGKOK,
    "กรุงเทพ": BANGKOK,
    "bangkok": BANGKOK,
    "อยุธยา": "14",
    "ayutthaya": "14",
}
_CAPITAL_DISTRICT_NAMES = ("เมือง", "mueang")


def name_key(text: str) -> str:
    """
    Return the comparison key of a place name: pre-cleaned, `ฯ` dropped, then geothai's form.
    """
    return geothai.normalize(pre_clean(text).replace("ฯ", ""))


@dataclass
class _Index:
    """
    Dict look-ups over geothai's data, built once.
    """

    province_by_key: dict[str, str] = field(default_factory=dict)
    district_by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    subdistricts_by_key: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """Per district or province code, name key → the codes of its subdistricts of that name."""
    postcodes_of_subdistrict: dict[str, frozenset[str]] = field(default_factory=dict)
    postcodes_of_district: dict[str, frozenset[str]] = field(default_factory=dict)
    postcodes_of_province: dict[str, frozenset[str]] = field(default_factory=dict)


def _codes_by_name(
    names: dict[str, list[str]], shared: dict[object, object]
) -> dict[str, tuple[str, ...]]:
    """
    Freeze one parent's name → codes lists into sorted tuples, an equal tuple kept once over
    the whole index (`shared`): a name's codes under its district and its province are one.
    """
    once = shared.setdefault
    return {
        name: cast("tuple[str, ...]", once(codes, codes))
        for name, listed in names.items()
        for codes in (tuple(sorted(listed)),)
    }


def _append_once(names: dict[str, list[str]], name: str, code: str) -> None:
    """Add a code under a name once, keeping codes in the data's order."""
    codes = names.get(name)
    if codes is None:
        names[name] = [code]
    elif code not in codes:
        codes.append(code)


@cache
def index() -> _Index:
    """
    Build the look-up dicts from geothai's data (once per process), a province at a time.

    The index lives as long as the process and counts in every run's memory: names are keyed
    under their parent's code (no (code, name) tuple per entry), and equal values (a name's
    codes under its district and its province, the postcodes many subdistricts share) are
    one object each: 3 MB where one object per entry took 7.
    """
    built = _Index()
    keys: dict[str, str] = {}  # names recur (a subdistrict's Thai and English, across areas)

    def normalize(name: str) -> str:
        key = keys.get(name)
        if key is None:
            key = keys[name] = geothai.normalize(name)
        return key

    for province in geothai.provinces():
        for name in (province.name_th, province.name_en):
            built.province_by_key[normalize(name)] = province.code
    for alias, code in _EXTRA_PROVINCE_ALIASES.items():
        built.province_by_key[name_key(alias)] = code
    shared: dict[object, object] = {}
    once = shared.setdefault
    for province in geothai.provinces():
        in_province: dict[str, list[str]] = {}
        province_postcodes: set[str] = set()
        for district in geothai.districts(province.code):
            for name in (district.name_th, district.name_en):
                built.district_by_key[(province.code, normalize(name))] = district.code
            if district.code.endswith("01") and province.code != BANGKOK:
                for name in _CAPITAL_DISTRICT_NAMES:
                    built.district_by_key.setdefault((province.code, name), district.code)
            in_district: dict[str, list[str]] = {}
            district_postcodes: set[str] = set()
            for sub in geothai.subdistricts(district.code):
                for name in (sub.name_th, sub.name_en):
                    key = normalize(name)
                    _append_once(in_district, key, sub.code)
                    _append_once(in_province, key, sub.code)
                codes = frozenset(sub.postal_codes)
                built.postcodes_of_subdistrict[sub.code] = cast(
                    "frozenset[str]", once(codes, codes)
                )
                district_postcodes |= codes
            built.subdistricts_by_key[district.code] = _codes_by_name(in_district, shared)
            built.postcodes_of_district[district.code] = frozenset(district_postcodes)
            province_postcodes |= district_postcodes
        built.subdistricts_by_key[province.code] = _codes_by_name(in_province, shared)
        built.postcodes_of_province[province.code] = frozenset(province_postcodes)
    return built


@lru_cache(maxsize=4096)
def province_code(name: str) -> str | None:
    """
    Return the DOPA code of a province as people write it (`จ.`, `กทม`, `กรุงเทพฯ`), or None.
    """
    return index().province_by_key.get(name_key(name))


@lru_cache(maxsize=16384)
def district_code(province: str, name: str) -> str | None:
    """
    Return the code of a district of a province (`อ.`/`เขต`/`เมือง` understood), or None.
    """
    return index().district_by_key.get((province, name_key(name)))


@lru_cache(maxsize=65536)
def subdistrict_codes(parent: str, name: str) -> tuple[str, ...]:
    """
    Return the codes of the subdistricts with this name in a district or province code.
    """
    return index().subdistricts_by_key.get(parent, {}).get(name_key(name), ())


def locate(
    subdistrict: str, district: str = "", province: str = "", postcode: str = ""
) -> tuple[str, ...]:
    """
    Return the subdistrict codes that fit an address, like `geothai.match` (empty = no fit).
    """
    built = index()
    province_c = province_code(province) if province else None
    if province and province_c is None:
        return ()
    key = name_key(subdistrict)
    candidates = [
        code
        for codes in (
            built.subdistricts_by_key.get(p.code, {}).get(key, ()) for p in _provinces(province_c)
        )
        for code in codes
    ]
    if district:
        candidates = [c for c in candidates if district_code(c[:2], district) == c[:4]]
    if postcode:
        candidates = [c for c in candidates if postcode in built.postcodes_of_subdistrict[c]]
    return tuple(sorted(candidates))


def _provinces(code: str | None) -> Iterable[geothai.Province]:
    """
    Return the one province with this code, or every province when no code is given.
    """
    if code is not None:
        found = geothai.province(code)
        return (found,) if found else ()
    return geothai.provinces()


def postcode_text(raw: object) -> str:
    """
    Return a postcode cell as text: an API number becomes its digits, Thai digits become ASCII.
    """
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int):
        return str(raw)
    return pre_clean(str(raw)).replace(" ", "")


def check_province_name(header: str, raw: object) -> tuple[str | None, tuple[Finding, ...]]:
    """
    Check a province cell: it must name one of the 77 provinces (value: its official name).
    """
    code = province_code(pre_clean(raw)) if isinstance(raw, str) else None
    found = geothai.province(code) if code is not None else None
    if found is None:
        return None, (error("province_unknown", header, PROVINCE_UNKNOWN),)
    return found.name_th, ()


class AddressColumns(NamedTuple):
    """
    The headers of one address group; blank header means the group has no such column.
    """

    province: str
    postcode: str
    district: str = ""
    subdistrict: str = ""


def check_address(
    columns: AddressColumns,
    province: object,
    district: object,
    subdistrict: object,
    postcode: object,
) -> tuple[Finding, ...]:
    """
    Check that district, subdistrict and postcode belong to the province (and to each other).

    Blank parts are not checked (a blank province is reported by the required-cell rule). A
    part the API sent as a number or a checkbox (a postcode typed a column too far left) is
    checked as its text, so it is reported, never taken for a blank.
    """
    if not isinstance(province, str):
        if province is None:
            return ()
        province = cell_text(province)
    if district is not None and not isinstance(district, str):
        district = cell_text(district)
    if subdistrict is not None and not isinstance(subdistrict, str):
        subdistrict = cell_text(subdistrict)
    try:
        return _check_address_cells(columns, province, district, subdistrict, postcode)
    except TypeError:  # an unhashable odd value: check it uncached
        return _check_address_cells.__wrapped__(columns, province, district, subdistrict, postcode)


@lru_cache(maxsize=65536, typed=True)
def _check_address_cells(
    columns: AddressColumns,
    province: str,
    district: object,
    subdistrict: object,
    postcode: object,
) -> tuple[Finding, ...]:
    """
    Clean one address's cells and check them; cached because the same addresses recur.
    """
    province_text = _clean_part(province)
    if not province_text:
        return ()
    return _check_address_text(
        columns,
        province_text,
        _clean_part(district) if isinstance(district, str) else "",
        _clean_part(subdistrict) if isinstance(subdistrict, str) else "",
        "" if postcode is None else postcode_text(postcode),
    )


_clean_part = lru_cache(maxsize=16384)(pre_clean)
"""`pre_clean` of one part of an address: a new address is mostly parts seen before."""


def _check_address_text(
    columns: AddressColumns, province: str, district: str, subdistrict: str, postcode: str
) -> tuple[Finding, ...]:
    """
    Check one cleaned address against the look-up dicts.
    """
    built = index()
    prov = province_code(province)
    if prov is None:
        return (error("province_unknown", columns.province, PROVINCE_UNKNOWN),)
    dist: str | None = None
    if district and columns.district:
        dist = district_code(prov, district)
        if dist is None:
            return (error("district_not_in_province", columns.district, DISTRICT_NOT_IN_PROVINCE),)
    subs: tuple[str, ...] = ()
    if subdistrict and columns.subdistrict:
        subs = subdistrict_codes(dist or prov, subdistrict)
        if not subs:
            code, message = (
                ("subdistrict_not_in_district", SUBDISTRICT_NOT_IN_DISTRICT)
                if dist
                else ("subdistrict_not_in_province", SUBDISTRICT_NOT_IN_PROVINCE)
            )
            return (error(code, columns.subdistrict, message),)
    if not postcode:
        if len(subs) > 1:
            return (warning("subdistrict_ambiguous", columns.subdistrict, SUBDISTRICT_AMBIGUOUS),)
        return ()
    if len(postcode) != 5 or not (postcode.isascii() and postcode.isdigit()):  # 5 ASCII digits
        return (error("postcode_format", columns.postcode, POSTCODE_FORMAT),)
    if postcode not in built.postcodes_of_province.get(prov, frozenset()):
        return (error("postcode_not_in_province", columns.postcode, POSTCODE_NOT_IN_PROVINCE),)
    if subs:
        return _postcode_of_subdistricts(columns, postcode, subs)
    if dist and postcode not in built.postcodes_of_district.get(dist, ()):
        return (error("postcode_not_in_district", columns.postcode, POSTCODE_NOT_IN_DISTRICT),)
    return ()


def _postcode_of_subdistricts(
    columns: AddressColumns, postcode: str, subs: tuple[str, ...]
) -> tuple[Finding, ...]:
    """
    Check a well-formed postcode of the province against the subdistricts the names fit.

    A district's postcodes are its subdistricts' (`index`), so a postcode that one of them has
    is in its district too: the district is only looked at when none has it.
    """
    built = index()
    of_subdistrict = built.postcodes_of_subdistrict
    if len(subs) == 1:  # the common case: one subdistrict of that name
        if postcode in of_subdistrict[subs[0]]:
            return ()
        fitting: list[str] = []
    else:
        fitting = [c for c in subs if postcode in of_subdistrict[c]]
    if not fitting:
        of_district = built.postcodes_of_district
        if not any(postcode in of_district.get(code[:4], ()) for code in subs):
            return (error("postcode_not_in_district", columns.postcode, POSTCODE_NOT_IN_DISTRICT),)
        return (
            warning("postcode_not_in_subdistrict", columns.postcode, POSTCODE_NOT_IN_SUBDISTRICT),
        )
    if len({c[:4] for c in fitting}) > 1:
        return (warning("subdistrict_ambiguous", columns.subdistrict, SUBDISTRICT_AMBIGUOUS),)
    return ()


def forget_lookups() -> None:
    """Drop the cached name lookups and address checks (the index of places stays)."""
    for cached in (
        province_code,
        district_code,
        subdistrict_codes,
        _check_address_cells,
        _clean_part,
    ):
        cached.cache_clear()
