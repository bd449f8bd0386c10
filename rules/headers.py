"""
Header texts of the regional tab, exactly as the reporting form spells them.

Every package refers to columns through these constants, so a renamed header is a
one-line change. Source: the appendix of the department's operating manual (reporting
form screenshots) and the project's domain spec (§3.1 input columns, §3.2 worker block).
"""

from __future__ import annotations

# --- Input columns (people's; the worker only reads them) -------------------------------
AGENCY = "หน่วยงาน"
ACTIVITY_NAME = "ชื่อกิจกรรม (ตามแผนงานโครงการ)"
START_DATE = "วันที่เริ่มกิจกรรม"
END_DATE = "วันที่สิ้นสุดกิจกรรม"
ACTIVITY_TYPE = "ประเภทกิจกรรม"
ACTIVITY_PROVINCE = "พื้นที่ดำเนินการ (จังหวัด)"
STATUS = "สถานะ"
PARTICIPATION_STATUS = "สถานะเข้าร่วมโครงการ"
NATIONAL_ID = "เลขบัตรประจำตัวประชาชน"
FULL_NAME = "ชื่อ-นามสกุล"
MOBILE = "โทรศัพท์มือถือ"
EMAIL = "อีเมล"
MEMBER_TYPE = "ประเภทสมาชิก"
HOUSE_NO = "เลขที่"
MOO = "หมู่"
ROAD = "ถนน"
SUBDISTRICT = "แขวง/ตำบล"
DISTRICT = "เขต/อำเภอ"
PROVINCE = "จังหวัด"
POSTCODE = "รหัสไปรษณีย์"
BIRTH_DATE = "วันเกิด"
AGE = "อายุ"
GENDER = "เพศ"
TAX_ID = "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ"
ENTERPRISE_NAME = "ชื่อสถานประกอบการ"
ENTERPRISE_PROVINCE = "ที่ตั้งสถานประกอบการ (จังหวัด)"
ENTERPRISE_POSTCODE = "ที่ตั้งสถานประกอบการ (รหัสไปรษณีย์)"
ENTERPRISE_PHONE = "เบอร์ติดต่อสถานประกอบการ"
TSIC = "ประเภทของผลิตภัณฑ์ (TSIC)"
GROUP_NAME = "ชื่อกลุ่ม / เครือข่าย"

WASTE_BEFORE = "ของเสียก่อน (หน่วย/เดือน)"
PRODUCED_BEFORE = "ผลิตทั้งหมดก่อน (หน่วย/เดือน)"
WASTE_AFTER = "ของเสียหลัง (หน่วย/เดือน)"
PRODUCED_AFTER = "ผลิตทั้งหมดหลัง (หน่วย/เดือน)"
WASTE_VALUE_BEFORE = "มูลค่าของเสียก่อน (บาท/เดือน)"
WASTE_VALUE_AFTER = "มูลค่าของเสียหลัง (บาท/เดือน)"
COST_BEFORE = "ต้นทุนการผลิตก่อน (บาท/เดือน)"
COST_AFTER = "ต้นทุนการผลิตหลัง (บาท/เดือน)"
SALES_BEFORE = "ยอดขายก่อน (บาท/เดือน)"
SALES_AFTER = "ยอดขายหลัง (บาท/เดือน)"
INCOME_BEFORE = "รายได้ก่อน (บาท/เดือน)"
INCOME_AFTER = "รายได้หลัง (บาท/เดือน)"
PRICE_BEFORE = "ราคาขายต่อหน่วยก่อน (บาท)"
PRICE_AFTER = "ราคาขายต่อหน่วยหลัง (บาท)"
UNITS_SOLD_AFTER = "จำนวนที่ขายหลังพัฒนา (หน่วย/เดือน)"
UNIT_COST_BEFORE = "ต้นทุนต่อหน่วยก่อน (บาท)"
UNIT_COST_AFTER = "ต้นทุนต่อหน่วยหลัง (บาท)"
UNITS_PRODUCED_12M = "จำนวนที่ผลิตได้ใน 12 เดือน (หน่วย)"
CARBON_BEFORE = "คาร์บอนฟุตพริ้นท์ก่อน (kgCO2e)"
CARBON_AFTER = "คาร์บอนฟุตพริ้นท์หลัง (kgCO2e)"
SATISFACTION_ITEMS: tuple[str, ...] = tuple(f"ความพึงพอใจ ข้อ {i}" for i in range(1, 10))
KNOWLEDGE_GAIN = "ความรู้เพิ่มขึ้น (ร้อยละ)"
KNOWLEDGE_APPLIED = "นำความรู้ไปใช้ได้ (ร้อยละ)"
BUSINESS_MATCHING = "เกิดการจับคู่ธุรกิจ"
HAS_BUSINESS_PLAN = "มีแผนธุรกิจ"
STANDARD_READY = "มีความพร้อมขอมาตรฐาน"
REMARK = "หมายเหตุ"

# --- Worker-owned block (the worker writes only these) ------------------------------------
WORKER_SECTION_LABEL = "ผลการตรวจสอบและคำนวณ (ระบบ — ห้ามแก้ไข)"

WASTE_REDUCTION_PCT = "ของเสียลดลง (ร้อยละ)"
WASTE_REDUCTION_BAHT = "ของเสียลดลง (บาท/ปี)"
COST_REDUCTION_PCT = "ต้นทุนลดลง (ร้อยละ)"
COST_REDUCTION_BAHT = "ต้นทุนลดลง (บาท/ปี)"
SALES_INCREASE_PCT = "ยอดขายเพิ่มขึ้น (ร้อยละ)"
SALES_INCREASE_BAHT = "ยอดขายเพิ่มขึ้น (บาท/ปี)"
INCOME_INCREASE_PCT = "รายได้เพิ่มขึ้น (ร้อยละ)"
INCOME_INCREASE_BAHT = "รายได้เพิ่มขึ้น (บาท/ปี)"
PRODUCT_VALUE_PCT = "มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ)"
PRODUCT_VALUE_BAHT = "มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี)"
CARBON_REDUCTION_PCT = "คาร์บอนฟุตพริ้นท์ลดลง (ร้อยละ)"
SATISFACTION_PCT = "ความพึงพอใจ (ร้อยละ)"
ECONOMIC_VALUE = "มูลค่าทางเศรษฐกิจ (บาท/ปี)"
PRODUCTIVITY_FLAG = "ผลิตภาพเพิ่มขึ้น ≥10%"
CHECK_STATUS = "สถานะการตรวจสอบ"
DETAILS = "รายละเอียด"
ERROR_CODES = "รหัสข้อผิดพลาด"
DUPLICATE_OF = "ตรวจสอบการนับซ้ำ"
CHECKED_AT = "ตรวจสอบล่าสุด"

KPI_HEADERS: tuple[str, ...] = (
    WASTE_REDUCTION_PCT,
    WASTE_REDUCTION_BAHT,
    COST_REDUCTION_PCT,
    COST_REDUCTION_BAHT,
    SALES_INCREASE_PCT,
    SALES_INCREASE_BAHT,
    INCOME_INCREASE_PCT,
    INCOME_INCREASE_BAHT,
    PRODUCT_VALUE_PCT,
    PRODUCT_VALUE_BAHT,
    CARBON_REDUCTION_PCT,
    SATISFACTION_PCT,
    ECONOMIC_VALUE,
    PRODUCTIVITY_FLAG,
)
"""Worker columns filled by `kpi.compute_row`, in block order."""

STATUS_HEADERS: tuple[str, ...] = (CHECK_STATUS, DETAILS, ERROR_CODES, DUPLICATE_OF, CHECKED_AT)
"""Worker columns filled from the row's check result, in block order."""

WORKER_HEADERS: tuple[str, ...] = KPI_HEADERS + STATUS_HEADERS
"""The whole worker-owned block, left to right."""

# --- Values the sheet and the worker agree on ----------------------------------------------
STATUS_PASS = "ผ่าน"
STATUS_WARN = "คำเตือน"
STATUS_FAIL = "ไม่ผ่าน"
STATUS_DUPLICATE = "ซ้ำ"
CANCELLED = "ยกเลิก"
"""Value of the `สถานะ` column for a cancelled row: checked but not counted."""
YES = "ใช่"
NO = "ไม่ใช่"

OPTIONS_TAB = "ตัวเลือก"
SUMMARY_TAB = "สรุปอัตโนมัติ"
COMPILED_TAB = "รวบรวมรายชื่อ (ระบบ)"
DEFAULT_REGION_TABS: tuple[str, ...] = tuple(f"ศก.{i}" for i in range(1, 8))
