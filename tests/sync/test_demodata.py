"""
Specs of the demo-data generator: layout, realism of clean rows, and the answer key.

An independent checker (`_problems`) reads each generated row the way the domain spec §3.1
describes; clean rows must have no problem, and each injected mistake exactly its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import email_validator
import geothai
import phonenumbers
import pytest
from stdnum.th import pin as th_pin
from stdnum.th import tin as th_tin

import sync.demo.data as demodata
from rules import headers as h
from sync.demo.data import (
    EXPECTED_STATUS,
    INPUT_HEADERS,
    PEOPLE_TAB,
    DemoSpreadsheet,
    generate_spreadsheet,
    options_lists,
)

FY_2567 = (date(2023, 10, 1), date(2024, 9, 30))

EXPECTED_HEADERS = [
    "หน่วยงาน",
    "ชื่อกิจกรรม (ตามแผนงานโครงการ)",
    "วันที่เริ่มกิจกรรม",
    "วันที่สิ้นสุดกิจกรรม",
    "ประเภทกิจกรรม",
    "พื้นที่ดำเนินการ (จังหวัด)",
    "สถานะ",
    "สถานะเข้าร่วมโครงการ",
    "เลขบัตรประจำตัวประชาชน",
    "ชื่อ-นามสกุล",
    "โทรศัพท์มือถือ",
    "อีเมล",
    "ประเภทสมาชิก",
    "เลขที่",
    "หมู่",
    "ถนน",
    "แขวง/ตำบล",
    "เขต/อำเภอ",
    "จังหวัด",
    "รหัสไปรษณีย์",
    "วันเกิด",
    "อายุ",
    "เพศ",
    "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ",
    "ชื่อสถานประกอบการ",
    "ที่ตั้งสถานประกอบการ (จังหวัด)",
    "ที่ตั้งสถานประกอบการ (รหัสไปรษณีย์)",
    "เบอร์ติดต่อสถานประกอบการ",
    "ประเภทของผลิตภัณฑ์ (TSIC)",
    "ชื่อกลุ่ม / เครือข่าย",
    "ของเสียก่อน (หน่วย/เดือน)",
    "ผลิตทั้งหมดก่อน (หน่วย/เดือน)",
    "ของเสียหลัง (หน่วย/เดือน)",
    "ผลิตทั้งหมดหลัง (หน่วย/เดือน)",
    "มูลค่าของเสียก่อน (บาท/เดือน)",
    "มูลค่าของเสียหลัง (บาท/เดือน)",
    "ต้นทุนการผลิตก่อน (บาท/เดือน)",
    "ต้นทุนการผลิตหลัง (บาท/เดือน)",
    "ยอดขายก่อน (บาท/เดือน)",
    "ยอดขายหลัง (บาท/เดือน)",
    "รายได้ก่อน (บาท/เดือน)",
    "รายได้หลัง (บาท/เดือน)",
    "ราคาขายต่อหน่วยก่อน (บาท)",
    "ราคาขายต่อหน่วยหลัง (บาท)",
    "จำนวนที่ขายหลังพัฒนา (หน่วย/เดือน)",
    "ต้นทุนต่อหน่วยก่อน (บาท)",
    "ต้นทุนต่อหน่วยหลัง (บาท)",
    "จำนวนที่ผลิตได้ใน 12 เดือน (หน่วย)",
    "คาร์บอนฟุตพริ้นท์ก่อน (kgCO2e)",
    "คาร์บอนฟุตพริ้นท์หลัง (kgCO2e)",
    *(f"ความพึงพอใจ ข้อ {i}" for i in range(1, 10)),
    "ความรู้เพิ่มขึ้น (ร้อยละ)",
    "นำความรู้ไปใช้ได้ (ร้อยละ)",
    "เกิดการจับคู่ธุรกิจ",
    "มีแผนธุรกิจ",
    "มีความพร้อมขอมาตรฐาน",
    "หมายเหตุ",
]

REORDERED_HEADERS = [
    *EXPECTED_HEADERS[:16],
    "เขต/อำเภอ",
    "แขวง/ตำบล",
    *EXPECTED_HEADERS[18:23],
    "หมายเหตุ ศก.",
    *EXPECTED_HEADERS[23:],
]

PAIRS = [
    (h.WASTE_BEFORE, h.WASTE_AFTER),
    (h.PRODUCED_BEFORE, h.PRODUCED_AFTER),
    (h.WASTE_VALUE_BEFORE, h.WASTE_VALUE_AFTER),
    (h.COST_BEFORE, h.COST_AFTER),
    (h.SALES_BEFORE, h.SALES_AFTER),
    (h.INCOME_BEFORE, h.INCOME_AFTER),
    (h.PRICE_BEFORE, h.PRICE_AFTER),
    (h.UNIT_COST_BEFORE, h.UNIT_COST_AFTER),
    (h.CARBON_BEFORE, h.CARBON_AFTER),
]
FIGURES = [c for pair in PAIRS for c in pair] + [h.UNITS_SOLD_AFTER, h.UNITS_PRODUCED_12M]
DROPDOWNS = [h.ACTIVITY_TYPE, h.STATUS, h.PARTICIPATION_STATUS, h.MEMBER_TYPE, h.GENDER]
MONTHS = {
    name: i + 1
    for names in (
        "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.",
        "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม",
    )
    for i, name in enumerate(names.split())
}
PROVINCE_CODES = {p.name_th: p.code for p in geothai.provinces()}
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@pytest.fixture(scope="module")
def sheet() -> DemoSpreadsheet:
    """A mid-sized spreadsheet, big enough for every mistake kind to occur."""
    return generate_spreadsheet(rows_per_region=300, seed=7)


# --- an independent reading of the rows ----------------------------------------------------


def _records(sheet: DemoSpreadsheet, region: str) -> Iterator[tuple[int, dict[str, object]]]:
    grid = sheet.tabs[region]
    headers = [str(c) for c in grid[2]]
    for number, row in enumerate(grid[3:], start=4):
        if row:
            yield number, dict(zip(headers, [*row, *[""] * (len(headers) - len(row))], strict=True))


def _text(cell: object) -> str:
    return str(cell).translate(THAI_DIGITS).strip()


def _date(cell: object) -> date | None:
    text = _text(cell)
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text) or re.fullmatch(
        r"(\d{1,2}) (\S+) (\d{4})", text
    )
    if found is None:
        return None
    day, month, year = found.groups()
    year_ce = int(year) - 543 if int(year) > 2400 else int(year)
    return date(year_ce, int(month) if month.isdigit() else MONTHS[month], int(day))


def _number(cell: object) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    text = _text(cell).removesuffix("บาท").removesuffix("%").replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


def _phone(cell: object, mobile: bool) -> bool:
    try:
        number = phonenumbers.parse(_text(cell), "TH")
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(number)
    wanted = {phonenumbers.PhoneNumberType.MOBILE}
    if not mobile:
        wanted.add(phonenumbers.PhoneNumberType.FIXED_LINE)
    return phonenumbers.is_valid_number(number) and kind in wanted


def _email(cell: object) -> bool:
    try:
        email_validator.validate_email(str(cell), check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


def _problems(record: dict[str, object]) -> set[str]:
    """Every problem a careful reader of domain spec §3.1 would find, named by mistake kind."""
    found: set[str] = set()
    lists = options_lists()
    pin = record[h.NATIONAL_ID]
    if isinstance(pin, int) and len(str(pin)) < 13:
        found.add("pin_lost_leading_zero")
    elif not th_pin.is_valid(_text(pin)):
        found.add("pin_check_digit")
    name = _text(record[h.FULL_NAME])
    if not name or re.search(r"\d", name):
        found.add("blank_name")
    elif " " not in name:
        found.add("name_no_space")
    moo = record.get(h.MOO, "")
    if moo != "" and not (isinstance(moo, int) and 1 <= moo <= 99):
        found.add("moo_out_of_range")
    if not _phone(record[h.MOBILE], mobile=True):
        found.add("invalid_phone")
    if record[h.EMAIL] != "" and not _email(record[h.EMAIL]):
        found.add("invalid_email")
    if any(record[c] not in lists[c] for c in DROPDOWNS):
        found.add("dropdown_not_in_list")
    address = geothai.match(
        str(record[h.SUBDISTRICT]),
        district=str(record[h.DISTRICT]),
        province=str(record[h.PROVINCE]),
        postal_code=_text(record[h.POSTCODE]),
    )
    if len(address) != 1:
        found.add("postcode_neighbour_district")
    start, end, birth = (_date(record[c]) for c in (h.START_DATE, h.END_DATE, h.BIRTH_DATE))
    assert start is not None and end is not None and birth is not None
    if not FY_2567[0] <= start <= FY_2567[1]:
        found.add("start_outside_fiscal_year")
    if end < start:
        found.add("end_before_start")
    age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
    if record[h.AGE] != age or not 15 <= age <= 100:
        found.add("age")
    numbers = {c: _number(record[c]) for c in FIGURES if record[c] != ""}
    if any(n is None or n < 0 for n in numbers.values()):
        found.add("text_in_number")
    if any((a in numbers) != (b in numbers) for a, b in PAIRS):
        found.add("missing_pair_half")
    for waste, produced in ((h.WASTE_BEFORE, h.PRODUCED_BEFORE), (h.WASTE_AFTER, h.PRODUCED_AFTER)):
        w, p = numbers.get(waste), numbers.get(produced)
        if w is not None and p is not None and w > p:
            found.add("waste_over_production")
    scores = [record[c] for c in h.SATISFACTION_ITEMS if record[c] != ""]
    if len(scores) not in (0, 9) or any(s not in (1, 2, 3, 4, 5) for s in scores):
        found.add("satisfaction_out_of_range")
    for column in (h.KNOWLEDGE_GAIN, h.KNOWLEDGE_APPLIED):
        share = _number(record[column])
        if share is None or not 0 <= share <= 100:
            found.add("knowledge")
    tax_id = _text(record[h.TAX_ID])
    if tax_id and (not th_tin.is_valid(tax_id) or not record[h.ENTERPRISE_NAME]):
        found.add("tax_id")
    if record[h.ENTERPRISE_PHONE] != "" and not _phone(record[h.ENTERPRISE_PHONE], mobile=False):
        found.add("enterprise_phone")
    if tax_id and not any(
        s.province_code == PROVINCE_CODES.get(str(record[h.ENTERPRISE_PROVINCE]))
        for s in geothai.by_postal_code(_text(record[h.ENTERPRISE_POSTCODE]))
    ):
        found.add("enterprise_address")
    if tax_id and len(_text(record[h.TSIC])) != 5:
        found.add("tsic")
    return found


# --- determinism and layout ----------------------------------------------------------------


def test_public_names() -> None:
    """The package exports exactly its documented API."""
    assert sorted(demodata.__all__) == [
        "DemoSpreadsheet",
        "EXPECTED_STATUS",
        "FORMS",
        "INPUT_HEADERS",
        "PEOPLE_TAB",
        "generate_spreadsheet",
        "options_lists",
    ]


def test_same_seed_gives_identical_output() -> None:
    """Two runs with the same arguments produce the same spreadsheet and answer key."""
    assert generate_spreadsheet(rows_per_region=40) == generate_spreadsheet(rows_per_region=40)


def test_different_seed_gives_different_rows() -> None:
    """Another seed changes the rows but not the layout."""
    first = generate_spreadsheet(rows_per_region=40, seed=1)
    second = generate_spreadsheet(rows_per_region=40, seed=2)
    assert first.tabs["ศก.1"][:3] == second.tabs["ศก.1"][:3]
    assert first.tabs["ศก.1"][3:] != second.tabs["ศก.1"][3:]


def test_tabs_in_sheet_order(sheet: DemoSpreadsheet) -> None:
    """The people's summary comes first, then the seven regions, then the dropdown lists."""
    assert list(sheet.tabs) == [PEOPLE_TAB, *h.DEFAULT_REGION_TABS, h.OPTIONS_TAB]


def test_title_names_activity_and_fiscal_year() -> None:
    """The spreadsheet title is the activity of the reporting form with the short BE year."""
    expected = "5.1-2 การพัฒนาองค์ความรู้และศักยภาพด้านการบริหารจัดการ (68)"
    assert generate_spreadsheet(rows_per_region=1, fiscal_year=2568).title == expected


@pytest.mark.parametrize("region", [r for r in h.DEFAULT_REGION_TABS if r != "ศก.5"])
def test_headers_row_lists_every_input_column(sheet: DemoSpreadsheet, region: str) -> None:
    """Row 3 holds every input header of domain spec §3.1 and no worker column."""
    assert sheet.tabs[region][2] == EXPECTED_HEADERS
    assert list(INPUT_HEADERS) == EXPECTED_HEADERS


def test_reordered_region_swaps_two_columns_and_adds_one(sheet: DemoSpreadsheet) -> None:
    """ศก.5 keeps its own order: district before subdistrict, plus a column of its own."""
    assert sheet.tabs["ศก.5"][2] == REORDERED_HEADERS


def test_title_and_section_rows(sheet: DemoSpreadsheet) -> None:
    """Row 1 is the tab's title and row 2 labels each section above its first column."""
    grid = sheet.tabs["ศก.1"]
    labels = {i: label for i, label in enumerate(grid[1]) if label}
    assert grid[0] == ["แบบรายงานผลการดำเนินงาน ศก.1"]
    assert {EXPECTED_HEADERS[i]: label for i, label in labels.items()} == {
        "หน่วยงาน": "ข้อมูลกิจกรรม",
        "เลขบัตรประจำตัวประชาชน": "ข้อมูลผู้เข้าร่วม",
        "เลขที่": "ที่อยู่",
        "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ": "ข้อมูลสถานประกอบการ",
        "ของเสียก่อน (หน่วย/เดือน)": "ผลการดำเนินงาน (ก่อน/หลัง)",
        "ความพึงพอใจ ข้อ 1": "ความพึงพอใจ",
        "ความรู้เพิ่มขึ้น (ร้อยละ)": "อื่น ๆ",
    }


def test_options_tab_holds_the_lists(sheet: DemoSpreadsheet) -> None:
    """The `ตัวเลือก` tab has list names on row 1 and each list's values below its name."""
    grid = sheet.tabs[h.OPTIONS_TAB]
    columns = {
        str(name): [row[i] for row in grid[1:] if i < len(row) and row[i] != ""]
        for i, name in enumerate(grid[0])
    }
    assert columns == options_lists()
    assert list(columns) == ["ประเภทกิจกรรม", "สถานะ", "สถานะเข้าร่วมโครงการ", "ประเภทสมาชิก", "เพศ"]
    assert h.CANCELLED in columns[h.STATUS]


def test_people_tab_has_hand_typed_cells(sheet: DemoSpreadsheet) -> None:
    """The people's summary tab exists with a few typed cells naming the activity."""
    grid = sheet.tabs[PEOPLE_TAB]
    assert ["กิจกรรม", sheet.title] in grid
    assert len(grid) > 3


def test_blank_gaps_and_a_cancelled_row(sheet: DemoSpreadsheet) -> None:
    """Each tab has empty rows between data rows and at least one cancelled row."""
    for region in h.DEFAULT_REGION_TABS:
        data = sheet.tabs[region][3:]
        assert [] in data[1:-1]
        assert any(r[h.STATUS] == h.CANCELLED for _, r in _records(sheet, region))


# --- realism of clean rows ------------------------------------------------------------------


def _clean_rows(sheet: DemoSpreadsheet) -> Iterator[dict[str, object]]:
    for region in h.DEFAULT_REGION_TABS:
        for number, record in _records(sheet, region):
            if sheet.truth[(region, number)] == ():
                yield record


def test_clean_rows_have_valid_pins(sheet: DemoSpreadsheet) -> None:
    """Every clean row's PIN passes the mod-11 check and starts with 1-8."""
    pins = [_text(r[h.NATIONAL_ID]) for r in _clean_rows(sheet)]
    assert pins
    assert all(th_pin.is_valid(p) for p in pins)


def test_clean_rows_have_real_addresses(sheet: DemoSpreadsheet) -> None:
    """geothai confirms each clean address with exactly one subdistrict."""
    for record in _clean_rows(sheet):
        found = geothai.match(
            str(record[h.SUBDISTRICT]),
            district=str(record[h.DISTRICT]),
            province=str(record[h.PROVINCE]),
            postal_code=_text(record[h.POSTCODE]),
        )
        assert len(found) == 1, record


def test_clean_rows_start_inside_fiscal_year(sheet: DemoSpreadsheet) -> None:
    """Every clean row's start date is typed as BE text and falls in FY 2567."""
    for record in _clean_rows(sheet):
        start = str(record[h.START_DATE])
        assert re.fullmatch(r"\d\d/\d\d/25\d\d", start)
        parsed = _date(start)
        assert parsed is not None and FY_2567[0] <= parsed <= FY_2567[1]


def test_clean_rows_have_no_problem_at_all(sheet: DemoSpreadsheet) -> None:
    """A careful reader of domain spec §3.1 finds nothing wrong in any clean row."""
    problems = {i: p for i, r in enumerate(_clean_rows(sheet)) if (p := _problems(r))}
    assert problems == {}


def test_shared_enterprises(sheet: DemoSpreadsheet) -> None:
    """Some enterprises send more than one participant, never more than three in a row."""
    tax_ids = [r[h.TAX_ID] for r in _clean_rows(sheet) if r[h.TAX_ID] != ""]
    assert len(set(tax_ids)) < len(tax_ids)


# --- the answer key --------------------------------------------------------------------------


def test_truth_covers_every_participant_row(sheet: DemoSpreadsheet) -> None:
    """The answer key has one entry per non-blank data row and none for gaps."""
    for region in h.DEFAULT_REGION_TABS:
        rows = {n for n, _ in _records(sheet, region)}
        assert {n for (tab, n) in sheet.truth if tab == region} == rows
        assert len(rows) == 300


@pytest.mark.parametrize("error_rate", [0.0, 0.05, 0.15, 0.5])
def test_share_of_mistakes_follows_error_rate(error_rate: float) -> None:
    """The share of rows given a mistake is the requested rate, within rounding."""
    made = generate_spreadsheet(rows_per_region=200, error_rate=error_rate, duplicate_rate=0)
    wrong = sum(1 for kinds in made.truth.values() if kinds)
    assert wrong / len(made.truth) == pytest.approx(error_rate, abs=0.005)


def test_every_kind_occurs(sheet: DemoSpreadsheet) -> None:
    """A few hundred rows per region show every kind of mistake and repeats."""
    seen = {kind for kinds in sheet.truth.values() for kind in kinds}
    assert seen == set(EXPECTED_STATUS)


def test_truth_names_exactly_the_altered_rows() -> None:
    """Rows differ from the mistake-free spreadsheet exactly where the key names a kind."""
    altered = generate_spreadsheet(rows_per_region=120, seed=11)
    pristine = generate_spreadsheet(rows_per_region=120, seed=11, error_rate=0, duplicate_rate=0)
    assert all(kinds == () for kinds in pristine.truth.values())
    for region in h.DEFAULT_REGION_TABS:
        for number, row in enumerate(altered.tabs[region], start=1):
            changed = row != pristine.tabs[region][number - 1]
            assert changed == bool(altered.truth.get((region, number))), (region, number)


def test_each_mistake_is_the_only_problem_of_its_row(sheet: DemoSpreadsheet) -> None:
    """Error kinds show exactly their own problem; CE years and Thai digits show none."""
    for region in h.DEFAULT_REGION_TABS:
        for number, record in _records(sheet, region):
            kinds = sheet.truth[(region, number)]
            if not kinds or kinds == ("duplicate",):
                continue
            (kind,) = kinds
            expected = set() if EXPECTED_STATUS[kind] == h.STATUS_PASS else {kind}
            assert _problems(record) == expected, (region, number, kind)


def test_valid_variants_really_vary(sheet: DemoSpreadsheet) -> None:
    """Rows marked with a CE year or Thai digits carry them in a cell."""
    for region in h.DEFAULT_REGION_TABS:
        for number, row in _records(sheet, region):
            kinds = sheet.truth[(region, number)]
            cells = " ".join(str(c) for c in row.values())
            if kinds == ("thai_digits_valid",):
                assert re.search("[๐-๙]", cells)
            if kinds == ("ce_year_valid",):
                assert re.search(r"/(19|20)\d\d\b", cells)


def test_duplicates_repeat_an_earlier_person_in_another_region(sheet: DemoSpreadsheet) -> None:
    """Each repeat shares its PIN with a clean row of an earlier regional tab."""
    first_seen: dict[str, int] = {}
    repeats = 0
    for position, region in enumerate(h.DEFAULT_REGION_TABS):
        for number, record in _records(sheet, region):
            pin = th_pin.compact(_text(record[h.NATIONAL_ID]))
            if sheet.truth[(region, number)] == ("duplicate",):
                repeats += 1
                assert first_seen[pin] < position
                assert _problems(record) == set()
            first_seen.setdefault(pin, position)
    assert repeats == 6 * round(0.02 * 300)


def test_only_repeats_share_a_pin(sheet: DemoSpreadsheet) -> None:
    """Apart from rows marked as repeats, no two rows of the spreadsheet share a PIN."""
    pins = [
        th_pin.compact(_text(record[h.NATIONAL_ID]))
        for region in h.DEFAULT_REGION_TABS
        for number, record in _records(sheet, region)
        if sheet.truth[(region, number)] != ("duplicate",)
    ]
    assert len(set(pins)) == len(pins)


def test_rejects_bad_arguments() -> None:
    """Impossible rates, negative counts and repeated regions raise ValueError with advice."""
    with pytest.raises(ValueError, match="between 0 and 1"):
        generate_spreadsheet(error_rate=1.5)
    with pytest.raises(ValueError, match="0 or more"):
        generate_spreadsheet(rows_per_region=-1)
    with pytest.raises(ValueError, match="each region once"):
        generate_spreadsheet(regions=["ศก.1", "ศก.1"])


def test_custom_regions() -> None:
    """Any region titles work, and the agency column names the row's own tab."""
    made = generate_spreadsheet(rows_per_region=5, regions=["สก.1", "ศก.9"])
    assert list(made.tabs) == [PEOPLE_TAB, "สก.1", "ศก.9", h.OPTIONS_TAB]
    assert all(r[h.AGENCY] == "ศก.9" for _, r in _records(made, "ศก.9"))


@pytest.mark.slow
def test_full_scale_generation() -> None:
    """Seven tabs of 10,000 rows each generate in one call."""
    made = generate_spreadsheet(rows_per_region=10_000)
    assert sum(1 for (tab, _) in made.truth if tab == "ศก.7") == 10_000


def test_the_cli_offers_every_form() -> None:
    """`sheetsync demo --form` offers exactly the layouts the generator makes."""
    from sync.cli import DEMO_FORMS

    assert demodata.FORMS == DEMO_FORMS


@pytest.mark.parametrize("form", ["appendix", "appendix-results"])
def test_appendix_forms_keep_the_answer_key(form: str) -> None:
    """The real form holds the same rows and mistakes: same people, same truth."""
    spec = generate_spreadsheet(rows_per_region=30, seed=5)
    real = generate_spreadsheet(rows_per_region=30, seed=5, form=form)
    assert sorted(spec.truth.values()) == sorted(real.truth.values())
    expected = (3, 4) if form == "appendix" else (2, 3)
    assert expected == (real.header_row, real.first_data_row)
