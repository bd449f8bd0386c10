"""
Clean participant rows of one regional tab, as the regional staff type them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.th import moa as th_moa

from rules import headers as h
from rules.checks.numbers import BEFORE_AFTER_PAIRS
from sync.demo.data import _forms as f
from sync.demo.data import _geo as geo
from sync.demo.data import _vocab as v

Record = dict[str, object]
"""One row before it is laid out: input header -> cell value ("" for a blank cell)."""

LOCAL_NOTE_HEADER = "หมายเหตุ ศก."
"""An extra people's column one region keeps in the middle of its tab."""

PERSON_HEADERS: tuple[str, ...] = (
    h.NATIONAL_ID,
    h.FULL_NAME,
    h.MOBILE,
    h.EMAIL,
    h.MEMBER_TYPE,
    h.HOUSE_NO,
    h.MOO,
    h.ROAD,
    h.SUBDISTRICT,
    h.DISTRICT,
    h.PROVINCE,
    h.POSTCODE,
    h.BIRTH_DATE,
    h.GENDER,
    h.TAX_ID,
    h.ENTERPRISE_NAME,
    h.ENTERPRISE_PROVINCE,
    h.ENTERPRISE_POSTCODE,
    h.ENTERPRISE_PHONE,
    h.TSIC,
    h.GROUP_NAME,
)
"""Cells that describe the person and their enterprise, copied when a person reappears."""

PAIRS = BEFORE_AFTER_PAIRS
"""Before/after columns that must be given together: the rules' own list."""

FIGURE_HEADERS: tuple[str, ...] = (
    *(c for pair in PAIRS for c in pair),
    h.UNITS_SOLD_AFTER,
    h.UNITS_PRODUCED_12M,
)

_ENTERPRISE_SIZES: tuple[int, ...] = (1, 1, 1, 2, 2, 3)
_DAYS_IN_MONTH: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """
    First and last day of a Thai fiscal year given in BE: FY 2567 is 2023-10-01…2024-09-30.
    """
    ce = fiscal_year - f.BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def hundreds(amount: float) -> int:
    """
    Rounds baht to whole hundreds, as owners estimate monthly costs and sales.
    """
    return round(amount / 100) * 100


def age_on(birth: date, day: date) -> int:
    """
    Completed years of life on `day`, the age a participant writes on the form.
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(slots=True)
class RowMeta:
    """
    Facts behind a row's cells that a later mistake or repeat needs to stay realistic.
    """

    pin: str
    mobile: str
    email_local: str
    birth: date
    start: date
    end: date
    district_code: str


@dataclass(frozen=True, slots=True)
class _Session:
    start: date
    end: date
    activity_type: str
    province: str


@dataclass(slots=True)
class _Enterprise:
    cells: dict[str, object]
    seats: int


class RegionRows:
    """
    Draws one region's participant rows from its own random stream, so injected mistakes
    and repeats (drawn from other streams) never shift the clean content.
    """

    def __init__(
        self,
        *,
        region: str,
        group: int,
        count: int,
        fiscal_year: int,
        activity: str,
        seed: int,
        taken_pins: set[str],
    ) -> None:
        self._taken_pins = taken_pins
        self._rng = random.Random(f"demodata:{seed}:{region}:rows")
        self._draw = self._rng.random
        self._region = region
        self._activity = activity
        self._places = geo.places_by_group()[group]
        self._all_places = geo.all_places()
        # One cluster group per regional centre, as the manual runs the activity ("จำนวน ๑
        # กลุ่ม ๆ ละ ๒๐ ราย"), named after the centre's first province.
        self._cluster = (
            f"คลัสเตอร์{v.CLUSTER_TRADES[group % len(v.CLUSTER_TRADES)]}{self._places[0].province}"
        )
        self.count = count
        self.fy_start, self.fy_end = fiscal_year_bounds(fiscal_year)
        blanks = 0 if count < 10 else max(1, count // 100)
        self.blank_before = frozenset(self._rng.sample(range(1, count), blanks))
        """Participant indices that have an empty sheet row just above them."""
        cancelled = 0 if count < 2 else 1 + count // 150
        self.cancelled = frozenset(self._rng.sample(range(count), cancelled))
        """Participant indices whose status is `ยกเลิก`."""
        provinces = geo.provinces_by_group()[group]
        self._sessions = tuple(self._session(provinces) for _ in range(3 + int(self._draw() * 4)))
        self._enterprise: _Enterprise | None = None

    def records(self) -> Iterator[tuple[Record, RowMeta]]:
        """
        Yields the participants in sheet order, each as a fresh record the caller may alter.
        """
        for index in range(self.count):
            yield self._record(index in self.cancelled)

    # --- one row ---------------------------------------------------------------------------

    def _record(self, cancelled: bool) -> tuple[Record, RowMeta]:
        draw = self._draw
        session = f.pick(draw, self._sessions)
        male = draw() < 0.49
        given = f.pick(draw, v.GIVEN_MALE if male else v.GIVEN_FEMALE)
        family = f.pick(draw, v.FAMILY_NAMES)
        name = f"{given[0]} {family[0]}"
        if draw() < 0.08:
            name = f.pick(draw, v.TITLES_MALE if male else v.TITLES_FEMALE) + name
        x = draw()
        gender = v.GENDERS[2] if x < 0.02 else (v.GENDER_MALE if male else v.GENDER_FEMALE)
        month = 1 + int(draw() * 12)
        birth = date(
            self.fy_end.year - 22 - int(draw() * 46),
            month,
            1 + int(draw() * _DAYS_IN_MONTH[month - 1]),
        )
        pin = f.new_pin(draw)
        while pin in self._taken_pins:  # only a repeat marked as one may share a PIN
            pin = f.new_pin(draw)
        self._taken_pins.add(pin)
        mobile = f.new_mobile(draw)
        email_local = self._email_local(given[1], family[1], birth)
        email = f"{email_local}@{f.pick(draw, v.EMAIL_DOMAINS)}" if draw() < 0.75 else ""
        place = f.pick(draw, self._places if draw() < 0.9 else self._all_places)
        record: Record = {
            h.AGENCY: self._region,
            h.ACTIVITY_NAME: self._activity,
            h.START_DATE: f.be_date(session.start),
            h.END_DATE: f.be_date(session.end),
            h.ACTIVITY_TYPE: session.activity_type,
            h.ACTIVITY_PROVINCE: session.province,
            h.STATUS: h.CANCELLED
            if cancelled
            else (v.STATUS_DONE if draw() < 0.88 else v.STATUS_ONGOING),
            h.PARTICIPATION_STATUS: v.PARTICIPATIONS[0 if draw() < 0.7 else 1],
            h.NATIONAL_ID: f.pin_cell(draw, pin),
            h.FULL_NAME: name,
            h.MOBILE: f.mobile_cell(draw, mobile),
            h.EMAIL: email,
            h.MEMBER_TYPE: v.MEMBER_TYPES[int(draw() ** 1.8 * len(v.MEMBER_TYPES))],
            h.BIRTH_DATE: f.birth_text(draw, birth),
            h.AGE: age_on(birth, session.start),
            h.GENDER: gender,
            LOCAL_NOTE_HEADER: f.pick(draw, v.LOCAL_NOTES) if draw() < 0.2 else "",
            h.REMARK: v.CANCEL_REMARK
            if cancelled
            else (f.pick(draw, v.REMARKS) if draw() < 0.1 else ""),
        }
        self._address(record, place)
        if draw() < 0.95:
            record.update(self._next_enterprise(pin, place).cells)
        self._opinions(record)
        meta = RowMeta(
            pin, mobile, email_local, birth, session.start, session.end, place.district_code
        )
        return record, meta

    def _email_local(self, given: str, family: str, birth: date) -> str:
        x = self._draw()
        if x < 0.4:
            return f"{given}.{family[:2]}"
        if x < 0.7:
            return f"{given}{birth.year % 100:02d}"
        return f"{given}_{family}"

    def _address(self, record: Record, place: geo.Place) -> None:
        draw = self._draw
        bangkok = place.province_code == geo.BANGKOK_CODE
        record[h.HOUSE_NO] = (
            1 + int(draw() * 999)
            if draw() < 0.5
            else f"{1 + int(draw() * 300)}/{1 + int(draw() * 40)}"
        )
        record[h.MOO] = "" if bangkok or draw() < 0.25 else 1 + int(draw() * 15)
        record[h.ROAD] = f.pick(draw, v.ROADS) if draw() < 0.35 else ""
        x = draw()
        if bangkok:
            record[h.SUBDISTRICT] = ("แขวง" if x < 0.5 else "") + place.subdistrict
            record[h.DISTRICT] = (
                place.district if draw() < 0.5 else place.district.removeprefix("เขต")
            )
            x = draw()
            record[h.PROVINCE] = "กรุงเทพมหานคร" if x < 0.8 else ("กรุงเทพ" if x < 0.9 else "กทม.")
        else:
            record[h.SUBDISTRICT] = (
                "" if x < 0.75 else "ต." if x < 0.85 else "ตำบล"
            ) + place.subdistrict
            x = draw()
            district = place.district
            # "อ.เมือง" alone means the province's capital district, always coded XX01.
            if x < 0.03 and place.district_code.endswith("01"):
                record[h.DISTRICT] = "เมือง"
            else:
                record[h.DISTRICT] = ("" if x < 0.7 else "อ." if x < 0.8 else "อำเภอ") + district
            x = draw()
            record[h.PROVINCE] = (
                "" if x < 0.88 else "จ." if x < 0.94 else "จังหวัด"
            ) + place.province
        postcode = f.pick(draw, place.postcodes)
        record[h.POSTCODE] = int(postcode) if draw() < 0.85 else postcode

    def _opinions(self, record: Record) -> None:
        draw = self._draw
        if draw() < 0.85:
            base = 3 + int(draw() * 2.2)
            for item in h.SATISFACTION_ITEMS:
                record[item] = min(5, max(3, base + int(draw() * 3) - 1))
        gain = 10 + int(draw() * 81)
        applied = 50 + int(draw() * 51)
        record[h.KNOWLEDGE_GAIN] = gain if draw() < 0.95 else f"{gain}%"
        record[h.KNOWLEDGE_APPLIED] = applied if draw() < 0.95 else f"{applied}%"
        record[h.BUSINESS_MATCHING] = draw() < 0.3
        record[h.HAS_BUSINESS_PLAN] = draw() < 0.5
        record[h.STANDARD_READY] = draw() < 0.25

    # --- activity sessions and enterprises ------------------------------------------------

    def _session(self, provinces: tuple[str, ...]) -> _Session:
        draw = self._draw
        kind = f.pick(draw, v.ACTIVITY_TYPES)
        days = 14 + int(draw() * 107) if kind == v.LONG_ACTIVITY_TYPE else int(draw() * 4)
        span = (self.fy_end - self.fy_start).days - days
        start = self.fy_start + timedelta(days=int(draw() * (span + 1)))
        return _Session(start, start + timedelta(days=days), kind, f.pick(draw, provinces))

    def _next_enterprise(self, owner_pin: str, home: geo.Place) -> _Enterprise:
        current = self._enterprise
        if current is not None and current.seats > 0:
            current.seats -= 1
            return current
        current = _Enterprise(
            self._enterprise_cells(owner_pin, home), f.pick(self._draw, _ENTERPRISE_SIZES) - 1
        )
        self._enterprise = current
        return current

    def _enterprise_cells(self, owner_pin: str, home: geo.Place) -> Record:
        draw = self._draw
        place = home if draw() < 0.7 else f.pick(draw, self._places)
        product, tsic = f.pick(draw, v.PRODUCTS)
        stem = f.pick(draw, v.ENTERPRISE_STEMS) + product
        x = draw()
        tax_id: object
        if x < 0.8:
            company = x < 0.55
            number = f.juristic_number(draw, place.province_code, company)
            name = f"บริษัท {stem} จำกัด" if company else f"ห้างหุ้นส่วนจำกัด {stem}"
            tax_id = number if draw() < 0.6 else th_moa.format(number)
        else:
            name = f"ร้าน{stem}"
            tax_id = f.pin_cell(draw, owner_pin)
        x = draw()
        if x < 0.6:
            phone: object = f.fixed_line(draw, f.pick(draw, geo.area_codes(place.province_code)))
        elif x < 0.9:
            mobile = f.new_mobile(draw)
            phone = f"{mobile[:3]}-{mobile[3:6]}-{mobile[6:]}"
        else:
            phone = ""
        postcode = place.postcodes[0]
        cells: Record = {
            h.TAX_ID: tax_id,
            h.ENTERPRISE_NAME: name,
            h.ENTERPRISE_PROVINCE: place.province,
            h.ENTERPRISE_POSTCODE: int(postcode) if draw() < 0.8 else postcode,
            h.ENTERPRISE_PHONE: phone,
            h.TSIC: tsic if draw() < 0.85 else str(tsic),
            h.GROUP_NAME: self._cluster if draw() < 0.8 else "",
        }
        cells.update(self._figures())
        return cells

    def _figures(self) -> Record:
        """
        Monthly before/after figures with plausible KPIs: waste down 5-40 %, cost down 0-20 %,
        sales up 0-30 %, income up; the price is sometimes unchanged so formula 5.2 applies.
        """
        draw = self._draw
        money = f.money
        cells: Record = {}
        if draw() < 0.75:
            produced = 1000 + int(draw() * 49000)
            rate = 0.02 + draw() * 0.13
            produced_after = int(produced * (0.95 + draw() * 0.25))
            rate_after = rate * (0.95 - draw() * 0.35)
            waste = max(1, round(produced * rate))
            waste_after = max(1, round(produced_after * rate_after))
            cells[h.PRODUCED_BEFORE] = money(draw, produced, "")
            cells[h.WASTE_BEFORE] = money(draw, waste, "")
            cells[h.PRODUCED_AFTER] = money(draw, produced_after, "")
            cells[h.WASTE_AFTER] = money(draw, waste_after, "")
            if draw() < 0.85:
                unit_value = 5 + int(draw() * 200)
                cells[h.WASTE_VALUE_BEFORE] = money(draw, waste * unit_value)
                cells[h.WASTE_VALUE_AFTER] = money(draw, waste_after * unit_value)
        cost = (500 + int(draw() * 19500)) * 100
        price_kept = False
        if draw() < 0.7:
            whole = draw() < 0.7
            price: float = 20 + int(draw() * 980) if whole else round(20 + draw() * 980, 1)
            if draw() < 0.65:
                raised = price * (1.05 + draw() * 0.25)
                cells[h.PRICE_BEFORE] = money(draw, price)
                cells[h.PRICE_AFTER] = money(draw, round(raised) if whole else round(raised, 1))
                cells[h.UNITS_SOLD_AFTER] = money(draw, 100 + int(draw() * 4900), "")
            else:
                price_kept = True
                unit_cost = round(price * (0.4 + draw() * 0.4), 2)
                cells[h.PRICE_BEFORE] = money(draw, price)
                cells[h.PRICE_AFTER] = cells[h.PRICE_BEFORE]
                cells[h.UNIT_COST_BEFORE] = money(draw, unit_cost)
                cells[h.UNIT_COST_AFTER] = money(draw, round(unit_cost * (0.98 - draw() * 0.18), 2))
                cells[h.UNITS_PRODUCED_12M] = money(draw, 1000 + int(draw() * 59000), "")
        if draw() < (0.5 if price_kept else 0.85):
            cells[h.COST_BEFORE] = money(draw, cost)
            cells[h.COST_AFTER] = money(draw, hundreds(cost * (1 - draw() * 0.2)))
        sales = hundreds(cost * (1.1 + draw() * 0.5))
        if draw() < 0.9:
            cells[h.SALES_BEFORE] = money(draw, sales)
            cells[h.SALES_AFTER] = money(draw, hundreds(sales * (1 + draw() * 0.3)))
        if draw() < 0.6:
            income = hundreds(sales * (1 + draw() * 0.2))
            cells[h.INCOME_BEFORE] = money(draw, income)
            cells[h.INCOME_AFTER] = money(draw, hundreds(income * (1.01 + draw() * 0.29)))
        if draw() < 0.35:
            carbon = round(500 + draw() * 49500, 2)
            cells[h.CARBON_BEFORE] = money(draw, carbon, "")
            cells[h.CARBON_AFTER] = money(draw, round(carbon * (1 - draw() * 0.25), 2), "")
        return cells
