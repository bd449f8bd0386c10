"""
A valid row and dropdown lists shared by the rule tests, so each test states only what differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rules import headers as h

OPTIONS: dict[str, list[str]] = {
    h.ACTIVITY_TYPE: ["อบรม", "สัมมนา", "ศึกษาดูงาน"],
    h.STATUS: ["ดำเนินการ", "เสร็จสิ้น", "ยกเลิก"],
    h.PARTICIPATION_STATUS: ["เข้าร่วม", "ไม่เข้าร่วม"],
    h.MEMBER_TYPE: ["ผู้ประกอบการ", "เครือข่าย"],
    h.GENDER: ["ชาย", "หญิง", "อื่น ๆ"],
}
AS_OF = date(2024, 6, 1)
VALID_PIN = "1103702071811"
VALID_TAX_ID = "0105536012346"


def valid_row(**changes: object) -> dict[str, object]:
    """
    Return a row that passes every rule, with the given headers replaced.
    """
    row: dict[str, object] = {
        h.AGENCY: "ศก.3",
        h.ACTIVITY_NAME: "อบรมเชิงปฏิบัติการการลดของเสีย",
        h.START_DATE: "15/3/2567",
        h.END_DATE: "16/3/2567",
        h.ACTIVITY_TYPE: "อบรม",
        h.ACTIVITY_PROVINCE: "ชลบุรี",
        h.STATUS: "ดำเนินการ",
        h.PARTICIPATION_STATUS: "เข้าร่วม",
        h.NATIONAL_ID: VALID_PIN,
        h.FULL_NAME: "นายสมชาย ใจดี",
        h.MOBILE: "081-234-5678",
        h.EMAIL: "somchai@example.com",
        h.MEMBER_TYPE: "ผู้ประกอบการ",
        h.HOUSE_NO: "12/3",
        h.MOO: 4,
        h.ROAD: "",
        h.SUBDISTRICT: "แขวงพระบรมมหาราชวัง",
        h.DISTRICT: "เขตพระนคร",
        h.PROVINCE: "กรุงเทพฯ",
        h.POSTCODE: "10200",
        h.BIRTH_DATE: "1 ม.ค. 2520",
        h.AGE: 47,
        h.GENDER: "ชาย",
        h.TAX_ID: VALID_TAX_ID,
        h.ENTERPRISE_NAME: "บริษัท ตัวอย่าง จำกัด",
        h.ENTERPRISE_PROVINCE: "ชลบุรี",
        h.ENTERPRISE_POSTCODE: 20000,
        h.ENTERPRISE_PHONE: "038 123 456",
        h.TSIC: "10712",
        h.WASTE_BEFORE: 100,
        h.PRODUCED_BEFORE: "1,000",
        h.WASTE_AFTER: 50,
        h.PRODUCED_AFTER: 1000,
        h.COST_BEFORE: "50,000 บาท",
        h.COST_AFTER: 45000.5,
        **{item: 5 for item in h.SATISFACTION_ITEMS},
        h.KNOWLEDGE_GAIN: "80%",
        h.BUSINESS_MATCHING: True,
        h.HAS_BUSINESS_PLAN: False,
    }
    row.update(changes)
    return row


def findings_of(
    changes: Mapping[str, object] | None = None, *, fiscal_year: int = 2567, region: str = "ศก.3"
) -> set[str]:
    """
    Return the codes of the findings of a valid row with the given headers replaced.
    """
    from rules import check_row

    result = check_row(
        valid_row(**(changes or {})),
        region=region,
        options=OPTIONS,
        fiscal_year=fiscal_year,
        as_of=AS_OF,
    )
    return {f.code for f in result.findings}
