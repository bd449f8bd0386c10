"""
Address rules (domain spec §3.1) and the look-up dicts that replace `geothai.match` per row.
"""

from __future__ import annotations

import random

import geothai
import pytest

from rules.checks import geography
from rules.checks.geography import (
    AddressColumns,
    check_address,
    check_province_name,
    locate,
    province_code,
)
from rules.headers import ACTIVITY_PROVINCE, DISTRICT, POSTCODE, PROVINCE, SUBDISTRICT

COLUMNS = AddressColumns(PROVINCE, POSTCODE, DISTRICT, SUBDISTRICT)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("กรุงเทพมหานคร", "10"),
        ("กรุงเทพฯ", "10"),
        ("กรุงเทพ", "10"),
        ("กทม", "10"),
        ("กทม.", "10"),
        ("Bangkok", "10"),
        ("จ.ชลบุรี", "20"),
        ("จังหวัดชลบุรี", "20"),
        (" ชลบุรี\u200b", "20"),
        ("พระนครศรีอยุธยา", "14"),
        ("อยุธยา", "14"),
        ("กำแพงเพชร", "62"),
        ("กําแพงเพชร", "62"),
        ("แพร่", "54"),
        ("เเพร่", "54"),
        ("สุราษฎร์ธานี", "84"),
        ("สุราษฏร์ธานี", None),
        ("ชลบุรีย์", None),
    ],
)
def test_province_names(typed: str, expected: str | None) -> None:
    """Province names are found with prefixes, ฯ, SARA AM as two characters and doubled SARA E."""
    assert expected == province_code(typed)


def test_activity_province_value_and_finding() -> None:
    """The activity province is one of the 77, its value the official name."""
    assert ("กรุงเทพมหานคร", ()) == check_province_name(ACTIVITY_PROVINCE, "กทม.")
    assert ["province_unknown"] == [
        f.code for f in check_province_name(ACTIVITY_PROVINCE, "เมืองลับแล")[1]
    ]


@pytest.mark.parametrize(
    ("province", "district", "subdistrict", "postcode", "expected"),
    [
        ("กรุงเทพฯ", "เขตพระนคร", "แขวงพระบรมมหาราชวัง", "10200", []),
        ("กทม", "พระนคร", "พระบรมมหาราชวัง", 10200, []),
        ("สุราษฎร์ธานี", "อ.เมือง", "ต.ตลาด", "84000", []),
        ("สุราษฎร์ธานี", "อำเภอเมืองสุราษฎร์ธานี", "ตำบลตลาด", "๘๔๐๐๐", []),
        ("จ.สุราษฎร์ธานี", "อ.เกาะพะงัน", "ต.เกาะเต่า", "84360", []),
        ("สุราษฎร์ธานี", "", "", "", []),
        ("สุราษฎร์ธานี", "", "", 84000.0, []),
        ("พิษณุโลก", "", "วังทอง", "", []),
        ("ไม่มีจังหวัดนี้", "", "", "", [("province_unknown", PROVINCE)]),
        ("ชลบุรี", "อ.เกาะพะงัน", "", "", [("district_not_in_province", DISTRICT)]),
        (
            "สุราษฎร์ธานี",
            "อ.เกาะพะงัน",
            "ต.ตลาด",
            "",
            [("subdistrict_not_in_district", SUBDISTRICT)],
        ),
        (
            "สุราษฎร์ธานี",
            "",
            "ต.ไม่มีจริง",
            "",
            [("subdistrict_not_in_province", SUBDISTRICT)],
        ),
        ("สุราษฎร์ธานี", "อ.เมือง", "ต.ตลาด", "8400", [("postcode_format", POSTCODE)]),
        ("สุราษฎร์ธานี", "อ.เมือง", "ต.ตลาด", "84 00x", [("postcode_format", POSTCODE)]),
        ("สุราษฎร์ธานี", "อ.เมือง", "ต.ตลาด", "10200", [("postcode_not_in_province", POSTCODE)]),
        (
            "สุราษฎร์ธานี",
            "อ.เกาะพะงัน",
            "ต.เกาะเต่า",
            "84000",
            [("postcode_not_in_district", POSTCODE)],
        ),
        (
            "สุราษฎร์ธานี",
            "อ.เกาะพะงัน",
            "ต.เกาะเต่า",
            "84280",
            [("postcode_not_in_subdistrict", POSTCODE)],
        ),
        ("สุราษฎร์ธานี", "อ.เกาะพะงัน", "", "84000", [("postcode_not_in_district", POSTCODE)]),
        ("เชียงราย", "", "เวียง", "", [("subdistrict_ambiguous", SUBDISTRICT)]),
        # A number in a name column (a postcode typed a column too far left) is reported.
        (50200, "", "", "", [("province_unknown", PROVINCE)]),
        (True, "", "", "", [("province_unknown", PROVINCE)]),
        ("เชียงใหม่", 50200, "", "", [("district_not_in_province", DISTRICT)]),
        ("เชียงใหม่", "", 50200.0, "", [("subdistrict_not_in_province", SUBDISTRICT)]),
    ],
)
def test_address(
    province: object, district: object, subdistrict: object, postcode: object, expected: object
) -> None:
    """District, subdistrict and postcode must belong to the province and to each other."""
    findings = check_address(COLUMNS, province, district, subdistrict, postcode)
    assert expected == [(f.code, f.column) for f in findings]


def test_severities_follow_the_spec() -> None:
    """A postcode of the district but not of the subdistrict is only a warning."""
    findings = check_address(COLUMNS, "สุราษฎร์ธานี", "อ.เกาะพะงัน", "ต.เกาะเต่า", "84280")
    assert ["warning"] == [f.severity.value for f in findings]


def all_addresses() -> list[geothai.Address]:
    """
    Return every current subdistrict of the data set with its district and province.
    """
    return [
        address
        for province in geothai.provinces()
        for district in geothai.districts(province.code)
        for sub in geothai.subdistricts(district.code)
        if (address := geothai.address(sub.code)) is not None
    ]


def codes(addresses: list[geothai.Address]) -> tuple[str, ...]:
    """
    Return the sorted subdistrict codes of `geothai.match` results.
    """
    return tuple(sorted(a.subdistrict.code for a in addresses))


@pytest.mark.slow
def test_lookup_agrees_with_geothai_on_every_subdistrict() -> None:
    """For every subdistrict, its own names and postcodes locate like `geothai.match`."""
    mismatches = []
    for address in all_addresses():
        sub, dist, prov = address.subdistrict, address.district, address.province
        for postcode in (*sub.postal_codes, ""):
            for names in ((sub.name_th, dist.name_th, prov.name_th), (sub.name_en, "", "")):
                expected = codes(
                    geothai.match(
                        names[0], district=names[1], province=names[2], postal_code=postcode
                    )
                )
                if expected != locate(names[0], names[1], names[2], postcode):
                    mismatches.append((names, postcode))
    assert [] == mismatches


@pytest.mark.slow
def test_lookup_agrees_with_geothai_on_mixed_addresses() -> None:
    """On 20,000 random mixes of subdistrict, district, province and postcode, both agree."""
    rng = random.Random(7436)
    addresses = all_addresses()
    mismatches = []
    for _ in range(20000):
        a, b, c, d = (rng.choice(addresses) for _ in range(4))
        district = rng.choice([b.district.name_th, a.district.name_th, "เมือง", ""])
        province = rng.choice([c.province.name_th, a.province.name_th, ""])
        postcode = rng.choice([d.subdistrict.postal_codes[0], a.subdistrict.postal_codes[0], ""])
        expected = codes(
            geothai.match(
                a.subdistrict.name_th, district=district, province=province, postal_code=postcode
            )
        )
        if expected != locate(a.subdistrict.name_th, district, province, postcode):
            mismatches.append((a.subdistrict.code, district, province, postcode))
    assert [] == mismatches


def test_every_full_address_passes() -> None:
    """Every subdistrict of the data set, with its own district, province and postcode, passes."""
    failures = [
        a.subdistrict.code
        for a in all_addresses()
        if check_address(
            COLUMNS,
            a.province.name_th,
            a.district.name_th,
            a.subdistrict.name_th,
            a.subdistrict.postal_codes[0],
        )
    ]
    assert [] == failures


def test_one_subdistrict_checks_its_postcode_as_the_postcode_rule_says() -> None:
    """
    Every subdistrict with every postcode of its province (its own, its district's, others):
    the whole address check of a name that fits one subdistrict gives what the postcode rule
    gives for that code.
    """
    built = geography.index()
    columns = geography.AddressColumns("p", "pc", "d", "s")
    compared = 0
    for code, own in built.postcodes_of_subdistrict.items():
        for postcode in sorted(built.postcodes_of_province[code[:2]])[:12] + sorted(own):
            expected = geography._postcode_of_subdistricts(columns, postcode, (code,))
            province = geothai.province(code[:2])
            district = geothai.district(code[:4])
            subdistrict = geothai.subdistrict(code)
            assert province is not None and district is not None and subdistrict is not None
            if geography.subdistrict_codes(district.code, subdistrict.name_th) != (code,):
                continue  # a name shared within its district: not one code
            actual = geography._check_address_text(
                columns, province.name_th, district.name_th, subdistrict.name_th, postcode
            )
            assert actual == expected, (code, postcode)
            compared += 1
    assert compared > 50_000


def test_a_name_shared_by_subdistricts_checks_the_postcode_against_each() -> None:
    """
    A subdistrict name typed without its district fits every subdistrict of that name in the
    province: the postcode is outside all their districts (error), in a district but none of
    those subdistricts (warning), or fits several in different districts (ambiguous warning).
    """
    built = geography.index()
    columns = geography.AddressColumns("p", "pc", "d", "s")
    seen: set[str] = set()
    compared = 0
    for province in geothai.provinces():
        for subs in built.subdistricts_by_key[province.code].values():
            if len(subs) < 2:
                continue
            for postcode in sorted(built.postcodes_of_province[province.code]):
                districts = [c[:4] for c in subs if postcode in built.postcodes_of_district[c[:4]]]
                fitting = [c for c in subs if postcode in built.postcodes_of_subdistrict[c]]
                expected = (
                    "postcode_not_in_district"
                    if not districts
                    else "postcode_not_in_subdistrict"
                    if not fitting
                    else "subdistrict_ambiguous"
                    if len({c[:4] for c in fitting}) > 1
                    else None
                )
                found = geography._postcode_of_subdistricts(columns, postcode, subs)
                assert [f.code for f in found] == ([expected] if expected else []), (subs, postcode)
                seen.add(expected or "ok")
                compared += 1
    # (No postcode of the data set fits two same-named subdistricts in different districts.)
    assert seen == {"ok", "postcode_not_in_district", "postcode_not_in_subdistrict"}
    assert compared > 5_000
