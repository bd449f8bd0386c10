"""
Real Thai addresses for the demo rows, built once from geothai's data.

Every place is a subdistrict with its own district, province and postcodes, so a generated
address passes `geothai.match` with exactly one result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geothai

BANGKOK_CODE = "10"
REGION_GROUPS = 7
"""Province groups handed out to the regional tabs, north-to-south by province code."""

# First digit of the DOPA province code -> group: 1 central, 2 east, 3 lower north-east,
# 4 upper north-east, 5 upper north, 6-7 lower north and west, 8-9 south.
_GROUP_OF_DIGIT = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 5, "8": 6, "9": 6}

# Fixed-line area codes (without the trunk 0 and the subscriber part) by the same first digit.
_AREA_CODES = {
    "1": ("035", "036"),
    "2": ("038", "037", "039"),
    "3": ("044", "045"),
    "4": ("042", "043"),
    "5": ("053", "054"),
    "6": ("055", "056"),
    "7": ("032", "034"),
    "8": ("075", "076", "077"),
    "9": ("074", "073"),
}
_METRO_PROVINCES = frozenset({"10", "11", "12", "13"})


@dataclass(frozen=True, slots=True)
class Place:
    """
    One real subdistrict with everything an address row needs, looked up once.
    """

    subdistrict: str
    district: str
    district_code: str
    province: str
    province_code: str
    postcodes: tuple[str, ...]


@cache
def all_places() -> tuple[Place, ...]:
    """
    Every subdistrict of the country, in code order, so draws are reproducible.
    """
    places: list[Place] = []
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            for sub in geothai.subdistricts(district.code):
                places.append(
                    Place(
                        sub.name_th,
                        district.name_th,
                        district.code,
                        province.name_th,
                        province.code,
                        sub.postal_codes,
                    )
                )
    return tuple(places)


@cache
def places_by_group() -> tuple[tuple[Place, ...], ...]:
    """
    The places of each province group, so each region draws addresses near its centre.
    """
    grouped: list[list[Place]] = [[] for _ in range(REGION_GROUPS)]
    for place in all_places():
        grouped[_GROUP_OF_DIGIT[place.province_code[0]]].append(place)
    return tuple(tuple(g) for g in grouped)


@cache
def provinces_by_group() -> tuple[tuple[str, ...], ...]:
    """
    Province names of each group, for the province an activity takes place in.
    """
    grouped: list[list[str]] = [[] for _ in range(REGION_GROUPS)]
    for province in geothai.provinces():
        grouped[_GROUP_OF_DIGIT[province.code[0]]].append(province.name_th)
    return tuple(tuple(g) for g in grouped)


@cache
def neighbour_postcode(district_code: str) -> str | None:
    """
    A postcode of the nearest other district of the province that no subdistrict of this
    district uses, so a row with it is wrong rather than merely unusual.
    """
    own = {code for place in _places_of_district()[district_code] for code in place.postcodes}
    siblings = geothai.districts(district_code[:2])
    index = next(i for i, d in enumerate(siblings) if d.code == district_code)
    by_distance = sorted(range(len(siblings)), key=lambda i: (abs(i - index), i))
    for i in by_distance:
        codes = sorted(
            {c for place in _places_of_district()[siblings[i].code] for c in place.postcodes}
        )
        for code in codes:
            if code not in own:
                return code
    return None


@cache
def _places_of_district() -> dict[str, tuple[Place, ...]]:
    grouped: dict[str, list[Place]] = {}
    for place in all_places():
        grouped.setdefault(place.district_code, []).append(place)
    return {k: tuple(v) for k, v in grouped.items()}


def area_codes(province_code: str) -> tuple[str, ...]:
    """
    Plausible fixed-line area codes for an enterprise in this province.
    """
    if province_code in _METRO_PROVINCES:
        return ("02",)
    return _AREA_CODES[province_code[0]]
