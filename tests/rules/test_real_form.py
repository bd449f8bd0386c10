"""
The department's real form (the operating manual's appendix, domain spec §3.0): its headers as
people type them, its sections, its one-cell period and its typed results.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rules import TEMPLATE, check_row, map_headers
from rules import headers as h
from rules.checks.results import DISAGREES_CODE
from rules.header_map import header_key
from rules.parse import DATE_INVALID, parse_date_range

PEOPLE = [h.NATIONAL_ID, h.FULL_NAME]


# --- header matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("ประเภท กิจกรรม", h.ACTIVITY_TYPE),
        ("ประเภท\nกิจกรรม", h.ACTIVITY_TYPE),
        ("ประเภท\u00a0กิจกรรม", h.ACTIVITY_TYPE),
        ("ประเภท\u200bกิจกรรม", h.ACTIVITY_TYPE),
        ("ประเภท\u3000กิจกรรม\r\n", h.ACTIVITY_TYPE),
        (" ประเภทกิจกรรม *", h.ACTIVITY_TYPE),
        ("ของเสีย\nลดลง (ร้อยละ)", h.RESULT_WASTE_PCT),
        ("ของเสียลดลง(ร้อยละ)", h.RESULT_WASTE_PCT),
        ("วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด กิจกรรม", h.START_END_DATES),
        ("วันที่เริ่มกิจกรรม\nถึงวันที่สิ้นสุด กิจกรรม", h.START_END_DATES),
        ("มูลค่าทาง เศรษฐกิจ (บาท)", h.RESULT_ECONOMIC_VALUE),
        ("ความพึงพอใจ(รวม ร้อยละ)", h.RESULT_SATISFACTION_PCT),
        ("ความ\nพึงพอใจ (ร้อยละ)", h.RESULT_SATISFACTION_PCT),
        ("เลขทะเบียนกลุ่ม/เครือ ข่าย", h.GROUP_REGISTRATION),
        ("ตรวจสอบการ\nนับซ้ำ", h.FORM_DUPLICATE_CHECK),
        ("หน่วยงาน/\nผู้ใช้บริการ สามารถ ให้บริการได้", h.SERVICE_READY),
        ("ประเภทของผลิตภัณฑ์ (TSIC an.)", h.TSIC),  # OCR of `(TSIC อ.ก.)`
        ("ประเภทของผลิตภัณฑ์ (TSIC อ.ก.)", h.TSIC),
        ("เกิดการจัดตั้ง\nธุรกิจ/ขยาย การลงทุน (ร้อยละ)", h.RESULT_BUSINESS_SETUP_PCT),
    ],
)
def test_a_header_matches_whatever_whitespace_it_holds(typed: str, column: str) -> None:
    """Thai has no spaces between words and headers wrap: every kind of whitespace is ignored."""
    result = map_headers([*PEOPLE, typed])
    assert 2 == result.columns.get(column), result


def test_one_key_whatever_the_whitespace() -> None:
    """Spaces, line breaks, NBSP and zero-width characters give the same key."""
    keys = {
        header_key(x)
        for x in ("ประเภท กิจกรรม", "ประเภท\nกิจกรรม", "ประเภทกิจกรรม", "ประเภท\u00a0\u200bกิจกรรม")
    }
    assert {"ประเภทกิจกรรม"} == keys


@pytest.mark.parametrize(
    ("sections", "headers", "expected"),
    [
        pytest.param(
            ["A01: ข้อมูลสมาชิก", "", "E01: ข้อมูลสถานประกอบการ"],
            ["เลขบัตรประจำตัวประชาชน", "อีเมล", "อีเมล"],
            {h.EMAIL: 1, h.ENTERPRISE_EMAIL: 2},
            id="e-mail of the member and of the enterprise",
        ),
        pytest.param(
            ["B01: ข้อมูลส่วนบุคคลต่อประสานงาน", "", "E01: ข้อมูลสถานประกอบการ"],
            ["ชื่อ-นามสกุล", "ที่อยู่ปัจจุบัน", "ที่อยู่ปัจจุบัน (หมู่)"],
            {h.CURRENT_ADDRESS: 1, h.ENTERPRISE_MOO: 2},
            id="the B01 flag and the E01 address prefix",
        ),
        pytest.param(
            [
                "D01: ข้อมูลบุคคลที่มีองค์กร",
                "E02: ข้อมูลการประกอบการ SMEs (Single Form Lite)",
                "",
                "F01: ผลิตภัณฑ์ขององค์กรที่ขอรับบริการ",
                "",
            ],
            [
                "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ",
                "เลขประจำตัวผู้เสียภาษีอากร หรือ เลขทะเบียนสถานประกอบการ",
                "ชื่อองค์กร (ภาษาไทย)",
                "เลขประจำตัวผู้เสียภาษี องค์กร หรือ เลขทะเบียน สถานประกอบการ",
                "ชื่อองค์กร (ภาษาไทย)",
            ],
            {
                h.TAX_ID: 0,
                h.SME_TAX_ID: 1,
                h.SME_NAME: 2,
                h.PRODUCT_TAX_ID: 3,
                h.PRODUCT_ORG_NAME: 4,
            },
            id="tax id and organisation name in D01, E02 and F01",
        ),
        pytest.param(
            ["ข้อมูลส่วนรับกลุ่มและเครือข่าย", "", "", ""],
            ["ของเสียลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)", "ต้นทุนลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)"],
            {
                h.RESULT_WASTE_PCT: 0,
                h.RESULT_WASTE_BAHT: 1,
                h.RESULT_COST_PCT: 2,
                h.RESULT_COST_BAHT: 3,
            },
            id="two worths in the group section, by position",
        ),
        pytest.param(
            [],
            [
                "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ",
                "เลขประจำตัวผู้เสียภาษีอากร หรือ เลขทะเบียนสถานประกอบการ",
                "อีเมล",
                "อีเมล",
                "สถานะ",
                "สถานะ",
            ],
            {
                h.TAX_ID: 0,
                h.SME_TAX_ID: 1,
                h.EMAIL: 2,
                h.ENTERPRISE_EMAIL: 3,
                h.STATUS: 4,
                h.RESULT_STATUS: 5,
            },
            id="no section labels: same-named headers by position",
        ),
        pytest.param(
            ["D01: ข้อมูลบุคคลที่มีองค์กร", "", "E01: ข้อมูลสถานประกอบการ", ""],
            [
                "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ",
                "สถานประกอบการ",
                "ที่อยู่ปัจจุบัน (จังหวัด)",
                "ที่อยู่ปัจจุบัน (แขวง/ส่วนอ.)",
            ],
            {
                h.TAX_ID: 0,
                h.ENTERPRISE_NAME: 1,
                h.ENTERPRISE_PROVINCE: 2,
                h.ENTERPRISE_SUBDISTRICT: 3,
            },
            id="E01 address columns, with the OCR spelling of แขวง/ตำบล",
        ),
    ],
)
def test_same_named_headers_in_different_sections(
    sections: list[str], headers: list[str], expected: dict[str, int]
) -> None:
    """A header several sections share goes to its section's column, or by position."""
    result = map_headers([*headers, *PEOPLE], sections)
    assert expected == {x: result.columns[x] for x in expected}
    # (PEOPLE, appended under the last label, may double the person's own columns: never
    # these.)
    assert [] == [d for d in result.duplicates if d.header in expected]


def test_the_part1_form_maps_every_known_column() -> None:
    """The appendix's Part 1 form: every column the product knows is found, the rest ignored."""
    from sync.demo.data._appendix import part1_layout

    layout = part1_layout()
    result = map_headers(layout.headers, layout.sections)
    expected = {c: i for i, c in enumerate(layout.columns) if c is not None}
    assert expected == dict(result.columns)
    unknown = {i for i, c in enumerate(layout.columns) if c is None and layout.headers[i]}
    assert unknown == {u.index for u in result.unknown}
    assert ((), ()) == (result.duplicates, result.missing_required)
    assert 89 == len(layout.headers)  # A … CK, as the appendix's column letters run


def test_no_worker_header_equals_a_persons_header() -> None:
    """Whitespace removed, no worker column shares a header with any column people type into."""
    people = {
        header_key(name)
        for column in TEMPLATE.columns
        for name in (column.header, *column.aliases, *column.section_aliases)
    }
    worker = {header_key(x) for x in h.WORKER_HEADERS}
    assert set() == people & worker


def test_a_tab_without_raw_figures_gets_no_kpi_columns() -> None:
    """The computed KPI columns appear only where the tab has raw figures to compute them."""
    typed_only = map_headers([*PEOPLE, h.RESULT_WASTE_PCT])
    with_raw = map_headers([*PEOPLE, h.WASTE_BEFORE])
    assert h.STATUS_HEADERS == typed_only.missing_worker
    assert h.WORKER_HEADERS == with_raw.missing_worker


def test_legacy_worker_headers_stay_the_workers() -> None:
    """A block written by an earlier version (KPI headers without the mark) is still the
    worker's: never read back as the results people typed."""
    row = [*PEOPLE, "ของเสียลดลง (ร้อยละ)", h.CHECK_STATUS, "ตรวจสอบการนับซ้ำ"]
    sections = ["", "", h.WORKER_SECTION_LABEL]
    result = map_headers(row, sections)
    assert {h.WASTE_REDUCTION_PCT: 2, h.CHECK_STATUS: 3, h.DUPLICATE_OF: 4} == dict(result.worker)
    assert h.RESULT_WASTE_PCT not in result.columns


# --- the one-cell period ---------------------------------------------------------------------

MARCH_15, MARCH_20 = date(2024, 3, 15), date(2024, 3, 20)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/3/2567 - 20/3/2567", (MARCH_15, MARCH_20)),
        ("15/3/2567-20/3/2567", (MARCH_15, MARCH_20)),
        ("15/03/67 – 20/03/67", (MARCH_15, MARCH_20)),
        ("15-20 มี.ค. 67", (MARCH_15, MARCH_20)),
        ("๑๕ มี.ค. ๖๗ ถึง ๒๐ มี.ค. ๖๗", (MARCH_15, MARCH_20)),
        ("วันที่ 15 - 20 มีนาคม 2567", (MARCH_15, MARCH_20)),
        ("15/3 - 20/3/2567", (MARCH_15, MARCH_20)),
        ("2024-03-15 to 2024-03-20", (MARCH_15, MARCH_20)),
        ("28 ก.พ. - 2 มี.ค. 2567", (date(2024, 2, 28), date(2024, 3, 2))),
        ("28 ธ.ค. - 3 ม.ค. 67", (date(2023, 12, 28), date(2024, 1, 3))),
        # A start later in the end's own month is after the end (reported), not a year back.
        ("20-15 มี.ค. 67", (MARCH_20, MARCH_15)),
        ("20/3 - 15/3/2567", (MARCH_20, MARCH_15)),
        ("15/3/2567", (MARCH_15, MARCH_15)),
        ("15 - 3 - 2567", (MARCH_15, MARCH_15)),
        (45366, (MARCH_15, MARCH_15)),
        ("", None),
        (None, None),
        ("อบรมสองวัน", DATE_INVALID),
        ("32-35 มี.ค. 67", DATE_INVALID),
        ("15/3/2567 - ", DATE_INVALID),
        (True, DATE_INVALID),
    ],
)
def test_period_cell(typed: object, expected: object) -> None:
    """A range, a month written once, Thai digits and words, or one date for a one-day event."""
    assert expected == parse_date_range(typed)


def _row() -> dict[str, object]:
    return {
        h.AGENCY: "ศก.1",
        h.ACTIVITY_NAME: "อบรมการจัดการ",
        h.START_END_DATES: "15/3/2567 - 20/3/2567",
        h.NATIONAL_ID: "1103702071838",
        h.FULL_NAME: "สมชาย ใจดี",
        h.MOBILE: "0812345678",
        h.PROVINCE: "ลำปาง",
    }


def _check(cells: dict[str, object]) -> list[tuple[str, str, str]]:
    result = check_row(cells, region="ศก.1", options={}, fiscal_year=2567, as_of=date(2024, 6, 1))
    return [(f.code, f.column, f.severity) for f in result.findings]


def test_period_follows_the_rules_of_two_columns() -> None:
    """The period gives start and end, checked like two columns, findings naming the period."""
    assert [] == _check(_row())
    ended_before = _row()
    ended_before[h.START_END_DATES] = "20/3/2567 - 15/3/2567"
    assert [("end_before_start", h.START_END_DATES, "error")] == _check(ended_before)
    outside = _row()
    outside[h.START_END_DATES] = "1-3 ต.ค. 67"
    assert [("start_outside_fiscal_year", h.START_END_DATES, "warning")] == _check(outside)
    unreadable = _row()
    unreadable[h.START_END_DATES] = "ต้นเดือน"
    assert [("date_invalid", h.START_END_DATES, "error")] == _check(unreadable)
    blank = _row()
    blank[h.START_END_DATES] = ""
    assert [("required_blank", h.START_END_DATES, "error")] == _check(blank)


def test_period_values() -> None:
    """check_row hands the start and end on, as if the form had two columns."""
    result = check_row(_row(), region="ศก.1", options={}, fiscal_year=2567)
    assert (MARCH_15, MARCH_20) == (result.values[h.START_DATE], result.values[h.END_DATE])


# --- typed results ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "typed", "code"),
    [
        (h.RESULT_WASTE_PCT, "25%", None),
        (h.RESULT_WASTE_PCT, "๒๕.๕", None),
        (h.RESULT_WASTE_PCT, -12, None),  # worse than before: allowed
        (h.RESULT_WASTE_PCT, 120, "reduction_over_100"),
        (h.RESULT_COST_PCT, "ลดลงมาก", "not_a_number"),
        (h.RESULT_SALES_PCT, 250, None),
        (h.RESULT_SALES_PCT, -150, "increase_below_minus_100"),
        (h.RESULT_SATISFACTION_PCT, "95 %", None),
        (h.RESULT_SATISFACTION_PCT, 112, "percent_out_of_range"),
        (h.KNOWLEDGE_GAIN, 101, "percent_out_of_range"),
        (h.RESULT_BUSINESS_SETUP_PCT, -1, "percent_out_of_range"),
        (h.RESULT_ECONOMIC_VALUE, "1,250,000 บาท", None),
        (h.RESULT_ECONOMIC_VALUE, -5, "number_negative"),
        (h.RESULT_WASTE_BAHT, "-3,000 บาท", None),  # the waste's worth grew
        (h.SERVICE_READY, True, None),
        (h.SERVICE_READY, "✓", None),
        (h.SERVICE_READY, "บางส่วน", "checkbox_invalid"),
    ],
)
def test_typed_results_are_checked(column: str, typed: object, code: str | None) -> None:
    """Every typed result has its rule, with Thai messages naming the column."""
    row = _row()
    row[column] = typed
    result = check_row(row, region="ศก.1", options={}, fiscal_year=2567, as_of=date(2024, 6, 1))
    assert ([] if code is None else [code]) == [f.code for f in result.findings]
    assert all(f.text.startswith(f"{column}: ") for f in result.findings)


def test_typed_result_disagreeing_with_raw_figures() -> None:
    """Where raw figures exist as well, a typed result more than 0.5 points off is a warning
    naming both values; within 0.5 it is not."""
    row = _row()
    row.update({h.COST_BEFORE: 1000, h.COST_AFTER: 800, h.RESULT_COST_PCT: "21%"})
    result = check_row(row, region="ศก.1", options={}, fiscal_year=2567, as_of=date(2024, 6, 1))
    (finding,) = result.findings
    assert (DISAGREES_CODE, h.RESULT_COST_PCT, h.STATUS_WARN) == (
        finding.code,
        finding.column,
        result.status,
    )
    assert "21.00" in finding.message and "20.00" in finding.message
    row[h.RESULT_COST_PCT] = "20.4"
    assert [] == _check(row)


def test_typed_satisfaction_against_the_nine_items() -> None:
    """The nine items give 80 %; a typed 90 % disagrees, and the message says the 80 comes
    from the nine scores (there are no before/after figures to look for)."""
    row = _row()
    row.update({item: 4 for item in h.SATISFACTION_ITEMS})
    row[h.RESULT_SATISFACTION_PCT] = 90
    assert [(DISAGREES_CODE, h.RESULT_SATISFACTION_PCT, "warning")] == _check(row)
    result = check_row(row, region="ศก.1", options={}, fiscal_year=2567, as_of=date(2024, 6, 1))
    (finding,) = result.findings
    assert "คะแนนความพึงพอใจ 9 ข้อ" in finding.message
    assert "ก่อน/หลัง" not in finding.message


def test_a_typed_result_is_compared_with_the_exact_result() -> None:
    """
    Cost 1000 → 894.96 gives 10.504 %, written as 10.50: a typed 10 is 0.504 points off (a
    warning, §3.0 "more than 0.5 points"), a typed 10.01 is 0.494 off (none).
    """
    row = _row()
    row.update({h.COST_BEFORE: 1000, h.COST_AFTER: "894.96", h.RESULT_COST_PCT: 10})
    assert [(DISAGREES_CODE, h.RESULT_COST_PCT, "warning")] == _check(row)
    row[h.RESULT_COST_PCT] = "10.01"
    assert [] == _check(row)


def test_cancelled_by_either_status() -> None:
    """A row is cancelled when Part 1's or Part 2's สถานะ says ยกเลิก."""
    part1 = _row()
    part1[h.STATUS] = h.CANCELLED
    part2 = _row()
    part2[h.RESULT_STATUS] = h.CANCELLED
    for row in (part1, part2):
        assert check_row(row, region="ศก.1", options={}, fiscal_year=2567).cancelled


@pytest.mark.parametrize("agency", ["ศก.1", "ศค.1", "สก.1", "ศก. 1", "ศก.๑"])
def test_region_as_the_appendix_spells_it(agency: str) -> None:
    """`ศค.1` and `สก.1` (the appendix's screenshots) name the tab's region."""
    row = _row()
    row[h.AGENCY] = agency
    assert [] == _check(row)


def test_an_other_region_is_still_a_warning() -> None:
    """The OCR spellings do not make every region match."""
    row = _row()
    row[h.AGENCY] = "ศค.2"
    assert [("agency_not_region", h.AGENCY, "warning")] == _check(row)


def test_organisation_names_per_section() -> None:
    """A tax ID without its organisation name is an error in the section that has both."""
    row = _row()
    row.update({h.SME_TAX_ID: "0105536112014", h.SME_NAME: ""})
    assert [("enterprise_name_blank", h.SME_NAME, "error")] == _check(row)
    result = check_row(row, region="ศก.1", options={}, fiscal_year=2567)
    assert "0105536112014" == result.tax_id


def test_status_is_the_sheets_status() -> None:
    """A zero base makes check_row say คำเตือน, as the worker writes it (one status everywhere)."""
    row = _row()
    row.update({h.SALES_BEFORE: 0, h.SALES_AFTER: 500})
    result = check_row(row, region="ศก.1", options={}, fiscal_year=2567, as_of=date(2024, 6, 1))
    assert h.STATUS_WARN == result.status
    assert ["kpi_zero_base"] == [f.code for f in result.findings]


def test_typed_results_are_the_figures_without_raw_ones() -> None:
    """Where only the typed result exists, it is the row's figure for the summary."""
    import kpi

    row = _row()
    row.update({h.RESULT_WASTE_PCT: "12.5%", h.RESULT_SATISFACTION_PCT: 88})
    parsed = check_row(row, region="ศก.1", options={}, fiscal_year=2567).values
    for result in (kpi.evaluate_row(row), kpi.evaluate_row(row, parsed=parsed)):
        assert result.values[h.WASTE_REDUCTION_PCT] is None  # nothing computed, nothing written
        assert Decimal("12.50") == result.figures[h.WASTE_REDUCTION_PCT]
        assert Decimal("88.00") == result.figures[h.SATISFACTION_PCT]
        assert h.YES == result.figures[h.PRODUCTIVITY_FLAG]


@pytest.mark.parametrize(
    "first",
    ["rules", "kpi", "kpi.row", "kpi.formulas", "rules.checks.results", "sync.core.evaluate"],
)
def test_any_import_order_works(first: str) -> None:
    """The result rules take the manual's formulas from kpi, which reads rules' leaf modules:
    whichever package a notebook imports first, both load."""
    import subprocess
    import sys

    code = f"import {first}\nimport rules, kpi\nassert rules.check_row and kpi.evaluate_row"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize(
    ("column", "typed", "code"),
    [
        (h.TAX_ID, "0105536112015", "tax_id_checksum"),
        (h.SME_TAX_ID, "0105536112015", "tax_id_checksum"),
        (h.PRODUCT_TAX_ID, "0105536112015", "tax_id_checksum"),
        (h.SME_TAX_ID, "ไม่มี", "tax_id_format"),
        (h.PRODUCT_TAX_ID, 105536112014.5, "tax_id_format"),
    ],
)
def test_a_tax_id_finding_names_the_section_it_was_typed_in(
    column: str, typed: object, code: str
) -> None:
    """Each section's tax ID is its own column: the staff are sent to the cell they typed."""
    row = _row()
    name = {h.TAX_ID: h.ENTERPRISE_NAME, h.SME_TAX_ID: h.SME_NAME}.get(column, h.PRODUCT_ORG_NAME)
    row.update({column: typed, name: "บริษัท ตัวอย่าง จำกัด"})
    findings = check_row(row, region="ศก.1", options={}, fiscal_year=2567).findings
    assert [(f.code, f.column) for f in findings] == [(code, column)]
    assert findings[0].text.startswith(f"{column}: ")
