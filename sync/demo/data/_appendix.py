"""
The department's real reporting form, as the operating manual's appendix shows it ("แบบฟอร์ม
การรายงานผล (Google Sheet)"): Part 1 (ส่วนที่ 1 ข้อมูลผลผลิต, activity 5.1-2) in labelled sections
with about 90 columns, and Part 2 (ส่วนที่ 2 ข้อมูลผลลัพธ์, activity 5.1-1) with the results the
regional staff work out themselves. Headers are spelled as the appendix's screenshots show them,
wrapped onto two lines and with the spaces the screenshots have, because that is what people's
sheets hold.

A generated row of the raw-figure form is laid out here: its figures become the typed results
they give (as the staff work them out, the manual's formulas), the two dates one period cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import kpi
from rules import headers as h
from sync.demo.data import _forms as f
from sync.demo.data import _mistakes as m
from sync.demo.data import _vocab as v
from sync.demo.data._rows import Record

PART1_SECTIONS: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = (
    (
        "",
        (
            ("หน่วยงาน", h.AGENCY),
            ("สาขาส่ง", h.BRANCH),
            ("ชื่อกิจกรรม (ตามแผนงานโครงการ)", h.ACTIVITY_NAME),
            ("วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุด กิจกรรม", h.START_END_DATES),
            ("ประเภท กิจกรรม", h.ACTIVITY_TYPE),
            ("จำนวน", None),
            ("พื้นที่ดำเนินการ (จังหวัด)", h.ACTIVITY_PROVINCE),
            ("สถานะ", h.STATUS),
            ("เข้าร่วมโครงการ (ค่า)", None),
        ),
    ),
    (
        "A01: ข้อมูลสมาชิก",
        (
            ("สถานะเข้าร่วมโครงการ", h.PARTICIPATION_STATUS),
            ("เลขบัตรประจำตัวประชาชน", h.NATIONAL_ID),
            ("ชื่อ-นามสกุล", h.FULL_NAME),
            ("โทรศัพท์มือถือ", h.MOBILE),
            ("อีเมล", h.EMAIL),
            ("ประเภทสมาชิก", h.MEMBER_TYPE),
        ),
    ),
    (
        "B01: ข้อมูลส่วนบุคคลต่อประสานงาน",
        (
            ("ที่อยู่ตามทะเบียนบ้าน", h.REGISTERED_ADDRESS),
            ("ที่อยู่ปัจจุบัน", h.CURRENT_ADDRESS),
            ("เลขที่", h.HOUSE_NO),
            ("หมู่", h.MOO),
            ("ตรอก", h.LANE),
            ("ซอย", h.SOI),
            ("ถนน", h.ROAD),
            ("จังหวัด", h.PROVINCE),
            ("แขวง/ตำบล", h.SUBDISTRICT),
            ("เขต/อำเภอ", h.DISTRICT),
            ("รหัสไปรษณีย์", h.POSTCODE),
            ("วันเกิด", h.BIRTH_DATE),
            ("อายุ", h.AGE),
            ("เพศ", h.GENDER),
            ("สถานภาพสมรส", h.MARITAL_STATUS),
        ),
    ),
    (
        "B01: ข้อมูลส่วนบุคคลเบื้องต้น",
        (
            ("ประเภทอาชีพ", h.OCCUPATION_TYPE),
            ("อาชีพ", h.OCCUPATION),
            ("อาชีพอื่นๆ", h.OCCUPATION_OTHER),
            ("สถานภาพ (ว่างงาน)", h.UNEMPLOYED),
            ("รายได้ต่อเดือน", h.MONTHLY_INCOME),
        ),
    ),
    (
        "D01: ข้อมูลบุคคลที่มีองค์กร",
        (
            ("เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ", h.TAX_ID),
            ("สถานประกอบการ", h.ENTERPRISE_NAME),
            ("ความเป็นเจ้าของกิจการ", h.OWNERSHIP),
            ("ความเป็นผู้บริหาร", h.EXECUTIVE),
            ("ตำแหน่งงาน", h.JOB_TITLE),
            ("หน่วยงานภายในระดับกอง/สำนัก/คณะ/ฝ่าย", None),
            ("หน่วยงานภายในระดับกลุ่ม/สาขา/แผนก", None),
            ("เงินเดือนหรือค่าจ้าง", h.SALARY),
            # AR–BB: in no screenshot of the appendix; kept blank so the letters match it.
            *(("", None),) * 11,
        ),
    ),
    (
        "E01: ข้อมูลสถานประกอบการ",
        (
            ("ที่อยู่ปัจจุบัน (หมู่)", h.ENTERPRISE_MOO),
            ("ที่อยู่ปัจจุบัน (หมู่บ้าน)", h.ENTERPRISE_VILLAGE),
            ("ที่อยู่ปัจจุบัน (อาคาร/ตึก)", h.ENTERPRISE_BUILDING),
            ("ที่อยู่ปัจจุบัน (ชั้น)", h.ENTERPRISE_FLOOR),
            ("ที่อยู่ปัจจุบัน (ตรอก)", h.ENTERPRISE_LANE),
            ("ที่อยู่ปัจจุบัน (ซอย)", h.ENTERPRISE_SOI),
            ("ที่อยู่ปัจจุบัน (ถนน)", h.ENTERPRISE_ROAD),
            ("ที่อยู่ปัจจุบัน (จังหวัด)", h.ENTERPRISE_PROVINCE),
            ("ที่อยู่ปัจจุบัน (แขวง/ส่วนอ.)", h.ENTERPRISE_SUBDISTRICT),
            ("ที่อยู่ปัจจุบัน (เขต/อำเภอ)", h.ENTERPRISE_DISTRICT),
            ("ที่อยู่ปัจจุบัน (รหัสไปรษณีย์)", h.ENTERPRISE_POSTCODE),
            ("เบอร์ติดต่อ", h.ENTERPRISE_PHONE),
            ("อีเมล", h.ENTERPRISE_EMAIL),
            ("", None),  # BP: not in the screenshot
        ),
    ),
    (
        "E02: ข้อมูลการประกอบการ SMEs (Single Form Lite)",
        (
            ("เลขประจำตัวผู้เสียภาษีอากร หรือ เลขทะเบียนสถานประกอบการ", h.SME_TAX_ID),
            ("ชื่อองค์กร (ภาษาไทย)", h.SME_NAME),
            ("Y:มีข้อมูล N:ไม่มีข้อมูล", h.SME_HAS_DATA),
        ),
    ),
    (
        "F01: ผลิตภัณฑ์ขององค์กรที่ขอรับบริการ",
        (
            ("เลขประจำตัวผู้เสียภาษี องค์กร หรือ เลขทะเบียน สถานประกอบการ", h.PRODUCT_TAX_ID),
            ("ชื่อองค์กร (ภาษาไทย)", h.PRODUCT_ORG_NAME),
            ("ชื่อผลิตภัณฑ์", h.PRODUCT_NAME),
            ("ประเภทของผลิตภัณฑ์ (TSIC an.)", h.TSIC),
            ("รายละเอียดของผลิตภัณฑ์", h.PRODUCT_DETAILS),
            ("ข้อมูลมาตรฐานของ ผลิตภัณฑ์", h.PRODUCT_STANDARD),
            ("รูปภาพของผลิตภัณฑ์", None),
            ("สถานะแสดงผล", None),
        ),
    ),
    (
        "ข้อมูลส่วนรับกลุ่มและเครือข่าย",
        (
            ("ชื่อกลุ่ม / เครือข่าย", h.GROUP_NAME),
            ("เลขทะเบียนกลุ่ม/เครือ ข่าย", h.GROUP_REGISTRATION),
            ("ที่ทำการกลุ่ม/เครือข่าย", h.GROUP_OFFICE),
            ("รายละเอียดการดำเนินงาน ของกลุ่ม/เครือข่าย", h.GROUP_DETAILS),
            ("ความพึงพอใจ(รวม ร้อยละ)", h.RESULT_SATISFACTION_PCT),
            ("มูลค่าทาง เศรษฐกิจ (บาท)", h.RESULT_ECONOMIC_VALUE),
            ("ของเสียลดลง (ร้อยละ)", h.RESULT_WASTE_PCT),
            ("คิดเป็นมูลค่า (บาท)", h.RESULT_WASTE_BAHT),
            ("ต้นทุนลดลง (ร้อยละ)", h.RESULT_COST_PCT),
            ("คิดเป็นมูลค่า (บาท)", h.RESULT_COST_BAHT),
        ),
    ),
)
"""Part 1: (section label in row 2, ((header as typed in row 3, the column it is),…)), A→CK.
`None` marks a column the product does not know (it stays ignored)."""

PART2_COLUMNS: tuple[tuple[str, str | None], ...] = (
    *PART1_SECTIONS[0][1],
    *PART1_SECTIONS[1][1],
    ("เลขที่", h.HOUSE_NO),
    ("หมู่", h.MOO),
    ("แขวง/ตำบล", h.SUBDISTRICT),
    ("เขต/อำเภอ", h.DISTRICT),
    ("จังหวัด", h.PROVINCE),
    ("รหัสไปรษณีย์", h.POSTCODE),
    ("วันเกิด", h.BIRTH_DATE),
    ("อายุ", h.AGE),
    ("เพศ", h.GENDER),
    ("เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ", h.TAX_ID),
    ("ชื่อสถานประกอบการ", h.ENTERPRISE_NAME),
    ("ที่ตั้งสถานประกอบการ (จังหวัด)", h.ENTERPRISE_PROVINCE),
    ("เบอร์ติดต่อสถานประกอบการ", h.ENTERPRISE_PHONE),
    ("ชื่อกลุ่ม / เครือข่าย", h.GROUP_NAME),
    ("ของเสีย\nลดลง (ร้อยละ)", h.RESULT_WASTE_PCT),
    ("ต้นทุน\nลดลง (ร้อยละ)", h.RESULT_COST_PCT),
    ("ยอดขาย\nเพิ่มขึ้น (ร้อยละ)", h.RESULT_SALES_PCT),
    ("รายได้\nเพิ่มขึ้น (ร้อยละ)", h.RESULT_INCOME_PCT),
    ("มูลค่า\nผลิตภัณฑ์ เพิ่มขึ้น (ร้อยละ)", h.RESULT_PRODUCT_VALUE_PCT),
    ("เกิดการจัดตั้ง\nธุรกิจ/ขยาย การลงทุน (ร้อยละ)", h.RESULT_BUSINESS_SETUP_PCT),
    ("มูลค่า\nทางเศรษฐกิจ (บาท)", h.RESULT_ECONOMIC_VALUE),
    ("ความรู้\nเพิ่มขึ้น (ร้อยละ)", h.KNOWLEDGE_GAIN),
    ("นำความรู้\nไปใช้ได้ (ร้อยละ)", h.KNOWLEDGE_APPLIED),
    ("ความ\nพึงพอใจ (ร้อยละ)", h.RESULT_SATISFACTION_PCT),
    ("หน่วยงาน/\nผู้ใช้บริการ สามารถ ให้บริการได้", h.SERVICE_READY),
    ("เกิดการจับคู่\nธุรกิจ", h.BUSINESS_MATCHING),
    ("มีแผน\nธุรกิจ", h.HAS_BUSINESS_PLAN),
    ("มีความพร้อม\nขอมาตรฐาน", h.STANDARD_READY),
    ("สถานะ", h.RESULT_STATUS),
    ("หมายเหตุ", h.REMARK),
    ("ตรวจสอบการ\nนับซ้ำ", h.FORM_DUPLICATE_CHECK),
)
"""Part 2: row 2's headers, as typed (wrapped onto two lines in the sheet). The screenshot shows
the results in columns AD–AT; the 29 columns A–AC before them are not in the screenshot, so they
hold Part 1's columns a results sheet needs to tell its people and enterprises apart."""

TYPED_MISTAKES: dict[str, tuple[str, object]] = {
    m.TEXT_IN_NUMBER: (h.RESULT_COST_PCT, "ลดลงมาก"),
    m.MISSING_PAIR_HALF: (h.RESULT_WASTE_PCT, 120),
    m.WASTE_OVER_PRODUCTION: (h.RESULT_WASTE_PCT, "135%"),
    m.SATISFACTION_OUT_OF_RANGE: (h.RESULT_SATISFACTION_PCT, 112),
}
"""The raw-figure mistakes, as they show on a form without raw figures: an impossible typed
result (still an error, so the row's expected status is the same)."""


@dataclass(frozen=True)
class AppendixLayout:
    """Where a form keeps its headers and which columns it has, left to right."""

    sections: tuple[str, ...]
    """Row above the headers: each column's section label ("" where none starts)."""
    headers: tuple[str, ...]
    """The header row as typed."""
    columns: tuple[str | None, ...]
    """The column each header is (None: a column the product does not know)."""
    header_row: int
    first_data_row: int


def part1_layout() -> AppendixLayout:
    """The Part 1 form: section labels in row 2, headers in row 3, data from row 4."""
    sections: list[str] = []
    headers: list[str] = []
    columns: list[str | None] = []
    for label, entries in PART1_SECTIONS:
        for index, (header, column) in enumerate(entries):
            sections.append(label if index == 0 else "")
            headers.append(header)
            columns.append(column)
    return AppendixLayout(tuple(sections), tuple(headers), tuple(columns), 3, 4)


def part2_layout() -> AppendixLayout:
    """The Part 2 form: headers in row 2 (row 1 is the title), data from row 3."""
    return AppendixLayout(
        ("",) * len(PART2_COLUMNS),
        tuple(x for x, _ in PART2_COLUMNS),
        tuple(c for _, c in PART2_COLUMNS),
        2,
        3,
    )


def _short(day: date) -> str:
    """`15 มี.ค. 67`: a date as the staff abbreviate it (month name, two-digit BE year)."""
    return f"{day.day} {v.MONTHS_SHORT[day.month - 1]} {(day.year + f.BE_OFFSET) % 100}"


def _period(record: Record, start: date, end: date, draw: f.Draw) -> object:
    """
    The one-cell period as the staff type it: two dates, a shared month written once, or one
    date for a one-day activity. The record's own date cells are kept (they carry mistakes).
    """
    first, last = record.get(h.START_DATE, ""), record.get(h.END_DATE, "")
    untouched = first == f.be_date(start) and last == f.be_date(end)
    if untouched and start == end and draw() < 0.7:
        return first
    x = draw()
    if untouched and start.month == end.month and start.year == end.year and x < 0.3:
        return f"{start.day}-{_short(end)}"
    if untouched and x < 0.4:
        return f.thai_digits(f"{_short(start)} ถึง {_short(end)}")
    return f"{first} - {last}"


def _typed(value: object, draw: f.Draw, unit: str) -> object:
    """A worked-out result as the staff type it: a number, or text with a unit now and then."""
    if not isinstance(value, Decimal):
        return ""
    number = float(value)
    x = draw()
    if x < 0.8:
        return number
    text = f"{number:,.2f}"
    return f"{text}{unit}" if x < 0.95 else f.thai_digits(text)


def _not_negative(value: object) -> object:
    """The value, or None when it is a negative amount."""
    return None if isinstance(value, Decimal) and value < 0 else value


def typed_results(record: Record, draw: f.Draw) -> Record:
    """
    The results of a row's raw figures, typed as the regional staff work them out (the
    manual's formulas), for the form that has no raw figures.
    """
    values = kpi.compute_row(record)
    return {
        h.RESULT_WASTE_PCT: _typed(values[h.WASTE_REDUCTION_PCT], draw, "%"),
        h.RESULT_WASTE_BAHT: _typed(values[h.WASTE_REDUCTION_BAHT], draw, " บาท"),
        h.RESULT_COST_PCT: _typed(values[h.COST_REDUCTION_PCT], draw, "%"),
        h.RESULT_COST_BAHT: _typed(values[h.COST_REDUCTION_BAHT], draw, " บาท"),
        h.RESULT_SALES_PCT: _typed(values[h.SALES_INCREASE_PCT], draw, "%"),
        h.RESULT_INCOME_PCT: _typed(values[h.INCOME_INCREASE_PCT], draw, "%"),
        h.RESULT_PRODUCT_VALUE_PCT: _typed(values[h.PRODUCT_VALUE_PCT], draw, "%"),
        # Nobody types a negative economic value: a row whose figures give one leaves it blank.
        h.RESULT_ECONOMIC_VALUE: _typed(_not_negative(values[h.ECONOMIC_VALUE]), draw, " บาท"),
        h.RESULT_SATISFACTION_PCT: _typed(values[h.SATISFACTION_PCT], draw, "%"),
    }


def appendix_record(
    record: Record,
    *,
    region: str,
    start: date,
    end: date,
    kinds: tuple[str, ...],
    draw: f.Draw,
    result_status: bool,
) -> Record:
    """
    Lay a generated row out as the appendix's form holds it: the period in one cell, results
    typed instead of raw figures, each section's copy of the enterprise's tax ID and name.
    `result_status`: the form has Part 2's own `สถานะ` too.
    """
    out: Record = dict(record)
    out[h.START_END_DATES] = _period(record, start, end, draw)
    if record.get(h.AGENCY) == region and draw() < 0.15:
        # The screenshots' spelling of the region (FORM.md): the same region, not a mistake.
        out[h.AGENCY] = region.replace("ศก", "ศค")
    out.update(typed_results(record, draw))
    for kind in kinds:
        if kind in TYPED_MISTAKES:
            column, value = TYPED_MISTAKES[kind]
            out[column] = value
    if record.get(h.TAX_ID, "") != "":
        out[h.SME_TAX_ID] = out[h.PRODUCT_TAX_ID] = record[h.TAX_ID]
        out[h.SME_NAME] = out[h.PRODUCT_ORG_NAME] = record.get(h.ENTERPRISE_NAME, "")
        out[h.SME_HAS_DATA] = "Y"
    out[h.RESULT_BUSINESS_SETUP_PCT] = 0 if draw() < 0.8 else 100
    out[h.SERVICE_READY] = draw() < 0.6
    if result_status and record.get(h.STATUS) == h.CANCELLED and draw() < 0.5:
        # Part 2's own status may be the only one that says the row was cancelled.
        out[h.STATUS] = ""
        out[h.RESULT_STATUS] = h.CANCELLED
    return out


def lay_out(record: Mapping[str, object], columns: tuple[str | None, ...]) -> list[object]:
    """One sheet row of a form: the record's cell under each known column, blank elsewhere."""
    return [record.get(c, "") if c is not None else "" for c in columns]
