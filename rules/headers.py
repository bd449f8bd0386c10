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

KPI_INPUT_HEADERS: tuple[str, ...] = (
    WASTE_BEFORE,
    PRODUCED_BEFORE,
    WASTE_AFTER,
    PRODUCED_AFTER,
    WASTE_VALUE_BEFORE,
    WASTE_VALUE_AFTER,
    PRICE_BEFORE,
    PRICE_AFTER,
    COST_BEFORE,
    COST_AFTER,
    UNIT_COST_BEFORE,
    UNIT_COST_AFTER,
    UNITS_PRODUCED_12M,
    SALES_BEFORE,
    SALES_AFTER,
    INCOME_BEFORE,
    INCOME_AFTER,
    UNITS_SOLD_AFTER,
    CARBON_BEFORE,
    CARBON_AFTER,
    *SATISFACTION_ITEMS,
)
"""The raw figures of the manual's formulas (domain spec §3.1): not on the appendix's form, a
sheet may add them; the worker computes KPIs only from these."""

# --- The real form's further columns (FORM.md: the manual's appendix, Part 1 and Part 2) ----
BRANCH = "สาขาส่ง"
START_END_DATES = "วันที่เริ่มกิจกรรม ถึงวันที่สิ้นสุดกิจกรรม"
"""One cell holding the activity's start and end (`15/3/2567 - 20/3/2567`), as in the appendix."""
REGISTERED_ADDRESS = "ที่อยู่ตามทะเบียนบ้าน"
CURRENT_ADDRESS = "ที่อยู่ปัจจุบัน"
LANE = "ตรอก"
SOI = "ซอย"
MARITAL_STATUS = "สถานภาพสมรส"
OCCUPATION_TYPE = "ประเภทอาชีพ"
OCCUPATION = "อาชีพ"
OCCUPATION_OTHER = "อาชีพอื่นๆ"
UNEMPLOYED = "สถานภาพ (ว่างงาน)"
MONTHLY_INCOME = "รายได้ต่อเดือน"
OWNERSHIP = "ความเป็นเจ้าของกิจการ"
EXECUTIVE = "ความเป็นผู้บริหาร"
JOB_TITLE = "ตำแหน่งงาน"
SALARY = "เงินเดือนหรือค่าจ้าง"
ENTERPRISE_MOO = "ที่ตั้งสถานประกอบการ (หมู่)"
ENTERPRISE_VILLAGE = "ที่ตั้งสถานประกอบการ (หมู่บ้าน)"
ENTERPRISE_BUILDING = "ที่ตั้งสถานประกอบการ (อาคาร/ตึก)"
ENTERPRISE_FLOOR = "ที่ตั้งสถานประกอบการ (ชั้น)"
ENTERPRISE_LANE = "ที่ตั้งสถานประกอบการ (ตรอก)"
ENTERPRISE_SOI = "ที่ตั้งสถานประกอบการ (ซอย)"
ENTERPRISE_ROAD = "ที่ตั้งสถานประกอบการ (ถนน)"
ENTERPRISE_SUBDISTRICT = "ที่ตั้งสถานประกอบการ (แขวง/ตำบล)"
ENTERPRISE_DISTRICT = "ที่ตั้งสถานประกอบการ (เขต/อำเภอ)"
ENTERPRISE_EMAIL = "อีเมลสถานประกอบการ"
SME_TAX_ID = "เลขประจำตัวผู้เสียภาษีอากร หรือ เลขทะเบียนสถานประกอบการ (SMEs)"
SME_NAME = "ชื่อองค์กร (ภาษาไทย) (SMEs)"
SME_HAS_DATA = "Y:มีข้อมูล N:ไม่มีข้อมูล"
PRODUCT_TAX_ID = "เลขประจำตัวผู้เสียภาษีองค์กร หรือ เลขทะเบียนสถานประกอบการ (ผลิตภัณฑ์)"
PRODUCT_ORG_NAME = "ชื่อองค์กร (ภาษาไทย) (ผลิตภัณฑ์)"
PRODUCT_NAME = "ชื่อผลิตภัณฑ์"
PRODUCT_DETAILS = "รายละเอียดของผลิตภัณฑ์"
PRODUCT_STANDARD = "ข้อมูลมาตรฐานของผลิตภัณฑ์"
GROUP_REGISTRATION = "เลขทะเบียนกลุ่ม/เครือข่าย"
GROUP_OFFICE = "ที่ทำการกลุ่ม/เครือข่าย"
GROUP_DETAILS = "รายละเอียดการดำเนินงานของกลุ่ม/เครือข่าย"

# Results the regional staff type, already worked out (Part 2 and the group section). They are
# people's columns; the worker's own computed columns carry `COMPUTED_MARK` instead.
RESULT_WASTE_PCT = "ของเสียลดลง (ร้อยละ)"
RESULT_WASTE_BAHT = "ของเสียลดลง คิดเป็นมูลค่า (บาท)"
RESULT_COST_PCT = "ต้นทุนลดลง (ร้อยละ)"
RESULT_COST_BAHT = "ต้นทุนลดลง คิดเป็นมูลค่า (บาท)"
RESULT_SALES_PCT = "ยอดขายเพิ่มขึ้น (ร้อยละ)"
RESULT_INCOME_PCT = "รายได้เพิ่มขึ้น (ร้อยละ)"
RESULT_PRODUCT_VALUE_PCT = "มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ)"
RESULT_BUSINESS_SETUP_PCT = "เกิดการจัดตั้งธุรกิจ/ขยายการลงทุน (ร้อยละ)"
RESULT_ECONOMIC_VALUE = "มูลค่าทางเศรษฐกิจ (บาท)"
RESULT_SATISFACTION_PCT = "ความพึงพอใจ (ร้อยละ)"
SERVICE_READY = "หน่วยงาน/ผู้ใช้บริการสามารถให้บริการได้"
RESULT_STATUS = "สถานะ (ผลลัพธ์)"
"""Part 2's own `สถานะ` dropdown: the second `สถานะ` of a row (a cancelled row may say so here)."""
FORM_DUPLICATE_CHECK = "ตรวจสอบการนับซ้ำ"
"""The form's own duplicate column: the regional staff's, never written by the worker."""

# --- Worker-owned block (the worker writes only these) ------------------------------------
WORKER_SECTION_LABEL = "ผลการตรวจสอบและคำนวณ (ระบบ — ห้ามแก้ไข)"

COMPUTED_MARK = " (คำนวณโดยระบบ)"
"""Ends every header of a worker-computed KPI, so none shares a name with a people's column."""

WASTE_REDUCTION_PCT = "ของเสียลดลง (ร้อยละ)" + COMPUTED_MARK
WASTE_REDUCTION_BAHT = "ของเสียลดลง (บาท/ปี)" + COMPUTED_MARK
COST_REDUCTION_PCT = "ต้นทุนลดลง (ร้อยละ)" + COMPUTED_MARK
COST_REDUCTION_BAHT = "ต้นทุนลดลง (บาท/ปี)" + COMPUTED_MARK
SALES_INCREASE_PCT = "ยอดขายเพิ่มขึ้น (ร้อยละ)" + COMPUTED_MARK
SALES_INCREASE_BAHT = "ยอดขายเพิ่มขึ้น (บาท/ปี)" + COMPUTED_MARK
INCOME_INCREASE_PCT = "รายได้เพิ่มขึ้น (ร้อยละ)" + COMPUTED_MARK
INCOME_INCREASE_BAHT = "รายได้เพิ่มขึ้น (บาท/ปี)" + COMPUTED_MARK
PRODUCT_VALUE_PCT = "มูลค่าผลิตภัณฑ์เพิ่มขึ้น (ร้อยละ)" + COMPUTED_MARK
PRODUCT_VALUE_BAHT = "มูลค่าผลิตภัณฑ์เพิ่มขึ้น (บาท/ปี)" + COMPUTED_MARK
CARBON_REDUCTION_PCT = "คาร์บอนฟุตพริ้นท์ลดลง (ร้อยละ)" + COMPUTED_MARK
SATISFACTION_PCT = "ความพึงพอใจ (ร้อยละ)" + COMPUTED_MARK
ECONOMIC_VALUE = "มูลค่าทางเศรษฐกิจ (บาท/ปี)" + COMPUTED_MARK
PRODUCTIVITY_FLAG = "ผลิตภาพเพิ่มขึ้น ≥10%" + COMPUTED_MARK
CHECK_STATUS = "สถานะการตรวจสอบ"
DETAILS = "รายละเอียด"
ERROR_CODES = "รหัสข้อผิดพลาด"
DUPLICATE_OF = "ซ้ำกับแถว (ระบบ)"
"""The worker's pointer to a repeat's first occurrence (not the form's `ตรวจสอบการนับซ้ำ`)."""
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

LEGACY_WORKER_HEADERS: dict[str, str] = {
    header.removesuffix(COMPUTED_MARK): header for header in KPI_HEADERS
} | {"ตรวจสอบการนับซ้ำ": DUPLICATE_OF}
"""Worker headers as earlier versions wrote them -> today's, recognised under the worker label."""

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
