"""
Declarative description of a regional tab (domain spec §3): which columns exist, what kind of
value each holds, the names people give them, and where the worker-owned block goes.

Adding a column is one line in `INPUT_COLUMNS`; its kind decides which rule checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rules import headers as h
from rules.headers import WORKER_HEADERS, WORKER_SECTION_LABEL


class Kind(StrEnum):
    """
    What a column holds; each kind has one cell rule (see `rules.row.CELL_CHECKS`).
    """

    TEXT = "text"
    NAME = "name"
    DATE = "date"
    DROPDOWN = "dropdown"
    PROVINCE = "province"
    NATIONAL_ID = "national_id"
    MOBILE = "mobile"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    MOO = "moo"
    AGE = "age"
    TAX_ID = "tax_id"
    TSIC = "tsic"
    AMOUNT = "amount"
    SCORE = "score"
    PERCENT = "percent"
    CHECKBOX = "checkbox"


class Scope(StrEnum):
    """
    Which section a column belongs to, so same-named headers in two sections are told apart.
    """

    ANY = "any"
    PERSON = "person"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True, slots=True)
class Column:
    """
    One input column of the regional tab.

    Args:
        header: Canonical Thai header (a `rules.headers` constant).
        kind: What the cells hold, which decides the cell rule.
        aliases: Other header texts people use for it, matched in any section.
        required: A blank cell is an error.
        essential: Without this column the tab cannot be processed at all.
        options: Name of the dropdown list in the `ตัวเลือก` tab.
        scope: `PERSON` columns are not matched under an enterprise section label.
        section_aliases: Bare header texts matched only under a section of this scope.
    """

    header: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    essential: bool = False
    options: str | None = None
    scope: Scope = Scope.ANY
    section_aliases: tuple[str, ...] = ()


P = Scope.PERSON
E = Scope.ENTERPRISE
_ADDRESS_PREFIX = "ที่อยู่ปัจจุบัน"

# fmt: off
INPUT_COLUMNS: tuple[Column, ...] = (
    Column(h.AGENCY, Kind.TEXT),
    Column(h.ACTIVITY_NAME, Kind.TEXT, ("ชื่อกิจกรรม",), required=True, essential=True),
    Column(h.START_DATE, Kind.DATE, ("วันเริ่มกิจกรรม",), required=True, essential=True),
    Column(h.END_DATE, Kind.DATE, ("วันสิ้นสุดกิจกรรม",)),
    Column(h.ACTIVITY_TYPE, Kind.DROPDOWN, options=h.ACTIVITY_TYPE),
    Column(h.ACTIVITY_PROVINCE, Kind.PROVINCE, ("พื้นที่ดำเนินการ",)),
    Column(h.STATUS, Kind.DROPDOWN, options=h.STATUS),
    Column(h.PARTICIPATION_STATUS, Kind.DROPDOWN, options=h.PARTICIPATION_STATUS),
    Column(h.NATIONAL_ID, Kind.NATIONAL_ID, ("เลขที่บัตรประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน", "เลขบัตรประจำตัวประชาชน 13 หลัก"), required=True, essential=True, scope=P),  # noqa: E501
    Column(h.FULL_NAME, Kind.NAME, ("ชื่อ-สกุล", "ชื่อและนามสกุล", "ชื่อ นามสกุล"), required=True, essential=True, scope=P),  # noqa: E501
    Column(h.MOBILE, Kind.MOBILE, ("เบอร์โทรศัพท์มือถือ", "หมายเลขโทรศัพท์มือถือ", "เบอร์มือถือ", "มือถือ"), required=True, scope=P),  # noqa: E501
    Column(h.EMAIL, Kind.EMAIL, ("อีเมล์", "e-mail", "email"), scope=P),
    Column(h.MEMBER_TYPE, Kind.DROPDOWN, options=h.MEMBER_TYPE),
    Column(h.HOUSE_NO, Kind.TEXT, (f"{_ADDRESS_PREFIX} (เลขที่)",), scope=P),
    Column(h.MOO, Kind.MOO, (f"{_ADDRESS_PREFIX} (หมู่)", "หมู่ที่"), scope=P),
    Column(h.ROAD, Kind.TEXT, (f"{_ADDRESS_PREFIX} (ถนน)",), scope=P),
    Column(h.SUBDISTRICT, Kind.ADDRESS, ("ตำบล/แขวง", "ตำบล", "แขวง", f"{_ADDRESS_PREFIX} (แขวง/ตำบล)"), scope=P),  # noqa: E501
    Column(h.DISTRICT, Kind.ADDRESS, ("อำเภอ/เขต", "อำเภอ", "เขต", f"{_ADDRESS_PREFIX} (เขต/อำเภอ)"), scope=P),  # noqa: E501
    Column(h.PROVINCE, Kind.ADDRESS, (f"{_ADDRESS_PREFIX} (จังหวัด)",), required=True, scope=P),
    Column(h.POSTCODE, Kind.ADDRESS, (f"{_ADDRESS_PREFIX} (รหัสไปรษณีย์)",), scope=P),
    Column(h.BIRTH_DATE, Kind.DATE, ("วันเดือนปีเกิด", "วัน/เดือน/ปีเกิด", "วัน เดือน ปีเกิด"), scope=P),
    Column(h.AGE, Kind.AGE, ("อายุ (ปี)",), scope=P),
    Column(h.GENDER, Kind.DROPDOWN, options=h.GENDER, scope=P),
    Column(h.TAX_ID, Kind.TAX_ID, ("เลขประจำตัวผู้เสียภาษีอากร", "เลขประจำตัวผู้เสียภาษี", "เลขทะเบียนนิติบุคคล")),  # noqa: E501
    Column(h.ENTERPRISE_NAME, Kind.TEXT, ("สถานประกอบการ", "ชื่อกิจการ"), scope=E, section_aliases=("ชื่อ",)),  # noqa: E501
    Column(h.ENTERPRISE_PROVINCE, Kind.ADDRESS, scope=E, section_aliases=(h.PROVINCE, f"{_ADDRESS_PREFIX} (จังหวัด)", "ที่ตั้ง (จังหวัด)")),  # noqa: E501
    Column(h.ENTERPRISE_POSTCODE, Kind.ADDRESS, scope=E, section_aliases=(h.POSTCODE, f"{_ADDRESS_PREFIX} (รหัสไปรษณีย์)", "ที่ตั้ง (รหัสไปรษณีย์)")),  # noqa: E501
    Column(h.ENTERPRISE_PHONE, Kind.PHONE, ("เบอร์โทรศัพท์สถานประกอบการ", "หมายเลขโทรศัพท์กิจการ"), scope=E, section_aliases=("เบอร์ติดต่อ", "โทรศัพท์", "เบอร์โทรศัพท์")),  # noqa: E501
    Column(h.TSIC, Kind.TSIC, ("TSIC", "รหัส TSIC")),
    Column(h.GROUP_NAME, Kind.TEXT, ("ชื่อกลุ่ม/เครือข่าย", "ชื่อกลุ่ม")),
    Column(h.WASTE_BEFORE, Kind.AMOUNT),
    Column(h.PRODUCED_BEFORE, Kind.AMOUNT),
    Column(h.WASTE_AFTER, Kind.AMOUNT),
    Column(h.PRODUCED_AFTER, Kind.AMOUNT),
    Column(h.WASTE_VALUE_BEFORE, Kind.AMOUNT),
    Column(h.WASTE_VALUE_AFTER, Kind.AMOUNT),
    Column(h.COST_BEFORE, Kind.AMOUNT),
    Column(h.COST_AFTER, Kind.AMOUNT),
    Column(h.SALES_BEFORE, Kind.AMOUNT),
    Column(h.SALES_AFTER, Kind.AMOUNT),
    Column(h.INCOME_BEFORE, Kind.AMOUNT),
    Column(h.INCOME_AFTER, Kind.AMOUNT),
    Column(h.PRICE_BEFORE, Kind.AMOUNT),
    Column(h.PRICE_AFTER, Kind.AMOUNT),
    Column(h.UNITS_SOLD_AFTER, Kind.AMOUNT),
    Column(h.UNIT_COST_BEFORE, Kind.AMOUNT),
    Column(h.UNIT_COST_AFTER, Kind.AMOUNT),
    Column(h.UNITS_PRODUCED_12M, Kind.AMOUNT),
    Column(h.CARBON_BEFORE, Kind.AMOUNT),
    Column(h.CARBON_AFTER, Kind.AMOUNT),
    *(Column(item, Kind.SCORE) for item in h.SATISFACTION_ITEMS),
    Column(h.KNOWLEDGE_GAIN, Kind.PERCENT),
    Column(h.KNOWLEDGE_APPLIED, Kind.PERCENT),
    Column(h.BUSINESS_MATCHING, Kind.CHECKBOX),
    Column(h.HAS_BUSINESS_PLAN, Kind.CHECKBOX),
    Column(h.STANDARD_READY, Kind.CHECKBOX),
    Column(h.REMARK, Kind.TEXT),
)
# fmt: on
"""Every input column of domain spec §3.1, left to right as the reporting form shows them."""


@dataclass(frozen=True)
class Template:
    """
    The layout of a regional tab: rows, input columns and the worker-owned block.
    """

    columns: tuple[Column, ...] = INPUT_COLUMNS
    worker_headers: tuple[str, ...] = WORKER_HEADERS
    worker_section_label: str = WORKER_SECTION_LABEL
    header_row: int = 3
    """1-based sheet row of the column headers."""
    section_row: int = 2
    """1-based sheet row of the section labels that tell same-named headers apart."""
    first_data_row: int = 4
    """1-based sheet row of the first participant."""
    enterprise_section_marker: str = "สถานประกอบการ"
    """A section label containing this text is the enterprise section."""
    by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """
        Index the columns by canonical header once, so look-ups per row are dict hits.
        """
        object.__setattr__(self, "by_header", {c.header: c for c in self.columns})

    def column(self, header: str) -> Column:
        """
        Return the column with this canonical header (KeyError names the header when unknown).
        """
        return self.by_header[header]

    @property
    def essential_headers(self) -> tuple[str, ...]:
        """
        Return the headers without which the tab cannot be processed.
        """
        return tuple(c.header for c in self.columns if c.essential)


TEMPLATE = Template()
"""The regional tab of the reporting form (operating manual, appendix: reporting form)."""
