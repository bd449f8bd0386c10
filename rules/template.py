"""
Declarative description of a regional tab (domain spec §3): which columns exist, what kind of
value each holds, the names people give them, and where the worker-owned block goes.

Adding a column is one line in `INPUT_COLUMNS`; its kind decides which rule checks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from rules import headers as h
from rules.headers import WORKER_HEADERS, WORKER_SECTION_LABEL


class Kind(StrEnum):
    """
    What a column holds; each kind has one cell rule (see `rules.checks.cells.CELL_CHECKS`).
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
    DATE_RANGE = "date_range"
    REDUCTION = "reduction"
    """A typed reduction in percent: at most 100 (negative when things got worse)."""
    INCREASE = "increase"
    """A typed increase in percent: at least −100."""
    BAHT_CHANGE = "baht_change"
    """A typed change in baht (a reduction's worth): any number, negative when it got worse."""
    SCORE = "score"
    PERCENT = "percent"
    CHECKBOX = "checkbox"


class Scope(StrEnum):
    """
    Which section a column belongs to, so same-named headers in two sections are told apart.

    The appendix's form labels its sections in row 2 (`A01: ข้อมูลสมาชิก`, `E01: ข้อมูลสถานประกอบการ`
    …); `Template.section_markers` says which label text names which section.
    """

    ANY = "any"
    PERSON = "person"
    """The participant's own columns (A01, B01): never matched under an enterprise section."""
    ORGANISATION = "organisation"
    """D01: the organisation the participant works for."""
    ENTERPRISE = "enterprise"
    """E01: the enterprise's address and contacts."""
    SME = "sme"
    """E02: the SME record (Single Form Lite)."""
    PRODUCT = "product"
    """F01: the product the enterprise brought to the service."""
    GROUP = "group"
    """The group / network section and its typed results."""


ENTERPRISE_SCOPES = frozenset({Scope.ORGANISATION, Scope.ENTERPRISE, Scope.SME, Scope.PRODUCT})
"""Sections about an organisation, where a participant's own column never sits."""


@dataclass(frozen=True, slots=True)
class Column:
    """
    One input column of the regional tab.

    Args:
        header: Canonical Thai header (a `rules.headers` constant).
        kind: What the cells hold, which decides the cell rule.
        aliases: Other header texts people use for it, matched in any section.
        required: A blank cell is an error.
        identifying: A tab with none of the identifying columns cannot be processed at all.
        options: Name of the dropdown list in the `ตัวเลือก` tab.
        scope: The section the column belongs to; a header that several columns share goes
            to the one of the cell's section, else to the first of them not yet found.
        section_aliases: Bare header texts matched only under a section of this scope (or, in
            a tab without section labels, after the same text was already taken).
        stands_for: Columns this one holds the content of (the date range: start and end), so
            a tab with either has what a required check needs.
        follows: The column this one comes right after on the form, which tells it apart from
            the same-named column of the same section (the two `คิดเป็นมูลค่า (บาท)`), wherever
            people moved the pair.
    """

    header: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    identifying: bool = False
    options: str | None = None
    scope: Scope = Scope.ANY
    section_aliases: tuple[str, ...] = ()
    stands_for: tuple[str, ...] = ()
    follows: str = ""


P = Scope.PERSON
D = Scope.ORGANISATION
E = Scope.ENTERPRISE
S = Scope.SME
F = Scope.PRODUCT
G = Scope.GROUP
_ADDRESS_PREFIX = "ที่อยู่ปัจจุบัน"
_TAX_ID_NAMES = (
    "เลขประจำตัวผู้เสียภาษีอากร หรือ เลขทะเบียนสถานประกอบการ",
    "เลขประจำตัวผู้เสียภาษี หรือ เลขทะเบียนสถานประกอบการ",
    "เลขประจำตัวผู้เสียภาษีองค์กร หรือ เลขทะเบียนสถานประกอบการ",
    "เลขประจำตัวผู้เสียภาษีอากร",
    "เลขประจำตัวผู้เสียภาษี",
    "เลขทะเบียนนิติบุคคล",
)
_ORG_NAME = "ชื่อองค์กร (ภาษาไทย)"


def _at(part: str) -> tuple[str, ...]:
    """The names an E01 address column has: `ที่อยู่ปัจจุบัน (ถนน)` and a bare `ถนน`."""
    return (f"{_ADDRESS_PREFIX} ({part})", part)


# fmt: off
INPUT_COLUMNS: tuple[Column, ...] = (
    Column(h.AGENCY, Kind.TEXT),
    Column(h.BRANCH, Kind.TEXT),
    Column(h.ACTIVITY_NAME, Kind.TEXT, ("ชื่อกิจกรรม",), required=True),
    Column(h.START_END_DATES, Kind.DATE_RANGE, ("วันที่เริ่มกิจกรรมถึงวันที่สิ้นสุดกิจกรรม", "วันที่เริ่ม-สิ้นสุดกิจกรรม", "ระยะเวลาดำเนินกิจกรรม"), required=True, stands_for=(h.START_DATE, h.END_DATE)),  # noqa: E501
    Column(h.START_DATE, Kind.DATE, ("วันเริ่มกิจกรรม",), required=True),
    Column(h.END_DATE, Kind.DATE, ("วันสิ้นสุดกิจกรรม",)),
    Column(h.ACTIVITY_TYPE, Kind.DROPDOWN, options=h.ACTIVITY_TYPE),
    Column(h.ACTIVITY_PROVINCE, Kind.PROVINCE, ("พื้นที่ดำเนินการ",)),
    Column(h.STATUS, Kind.DROPDOWN, options=h.STATUS),
    Column(h.PARTICIPATION_STATUS, Kind.DROPDOWN, options=h.PARTICIPATION_STATUS),
    Column(h.NATIONAL_ID, Kind.NATIONAL_ID, ("เลขที่บัตรประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน", "เลขบัตรประจำตัวประชาชน 13 หลัก"), required=True, identifying=True, scope=P),  # noqa: E501
    Column(h.FULL_NAME, Kind.NAME, ("ชื่อ-สกุล", "ชื่อและนามสกุล", "ชื่อ นามสกุล"), required=True, identifying=True, scope=P),  # noqa: E501
    Column(h.MOBILE, Kind.MOBILE, ("เบอร์โทรศัพท์มือถือ", "หมายเลขโทรศัพท์มือถือ", "เบอร์มือถือ", "มือถือ"), required=True, scope=P),  # noqa: E501
    Column(h.EMAIL, Kind.EMAIL, ("อีเมล์", "e-mail", "email"), scope=P),
    Column(h.MEMBER_TYPE, Kind.DROPDOWN, options=h.MEMBER_TYPE),
    Column(h.REGISTERED_ADDRESS, Kind.TEXT, scope=P),
    Column(h.CURRENT_ADDRESS, Kind.TEXT, scope=P),
    Column(h.HOUSE_NO, Kind.TEXT, (f"{_ADDRESS_PREFIX} (เลขที่)",), scope=P),
    Column(h.MOO, Kind.MOO, (f"{_ADDRESS_PREFIX} (หมู่)", "หมู่ที่"), scope=P),
    Column(h.LANE, Kind.TEXT, scope=P),
    Column(h.SOI, Kind.TEXT, scope=P),
    Column(h.ROAD, Kind.TEXT, (f"{_ADDRESS_PREFIX} (ถนน)",), scope=P),
    Column(h.SUBDISTRICT, Kind.ADDRESS, ("ตำบล/แขวง", "ตำบล", "แขวง", f"{_ADDRESS_PREFIX} (แขวง/ตำบล)"), scope=P),  # noqa: E501
    Column(h.DISTRICT, Kind.ADDRESS, ("อำเภอ/เขต", "อำเภอ", "เขต", f"{_ADDRESS_PREFIX} (เขต/อำเภอ)"), scope=P),  # noqa: E501
    Column(h.PROVINCE, Kind.ADDRESS, (f"{_ADDRESS_PREFIX} (จังหวัด)",), required=True, scope=P),
    Column(h.POSTCODE, Kind.ADDRESS, (f"{_ADDRESS_PREFIX} (รหัสไปรษณีย์)",), scope=P),
    Column(h.BIRTH_DATE, Kind.DATE, ("วันเดือนปีเกิด", "วัน/เดือน/ปีเกิด", "วัน เดือน ปีเกิด"), scope=P),
    Column(h.AGE, Kind.AGE, ("อายุ (ปี)",), scope=P),
    Column(h.GENDER, Kind.DROPDOWN, options=h.GENDER, scope=P),
    Column(h.MARITAL_STATUS, Kind.DROPDOWN, options=h.MARITAL_STATUS, scope=P),
    Column(h.OCCUPATION_TYPE, Kind.DROPDOWN, options=h.OCCUPATION_TYPE, scope=P),
    Column(h.OCCUPATION, Kind.TEXT, scope=P),
    Column(h.OCCUPATION_OTHER, Kind.TEXT, ("อาชีพอื่น",), scope=P),
    Column(h.UNEMPLOYED, Kind.TEXT, scope=P),
    Column(h.MONTHLY_INCOME, Kind.AMOUNT, scope=P),
    Column(h.TAX_ID, Kind.TAX_ID, _TAX_ID_NAMES, scope=D),
    Column(h.ENTERPRISE_NAME, Kind.TEXT, ("สถานประกอบการ", "ชื่อกิจการ"), scope=D, section_aliases=("ชื่อ",)),  # noqa: E501
    Column(h.OWNERSHIP, Kind.TEXT, scope=D),
    Column(h.EXECUTIVE, Kind.TEXT, scope=D),
    Column(h.JOB_TITLE, Kind.TEXT, scope=D),
    Column(h.SALARY, Kind.AMOUNT, scope=D),
    Column(h.ENTERPRISE_MOO, Kind.MOO, scope=E, section_aliases=_at("หมู่")),
    Column(h.ENTERPRISE_VILLAGE, Kind.TEXT, scope=E, section_aliases=_at("หมู่บ้าน")),
    Column(h.ENTERPRISE_BUILDING, Kind.TEXT, scope=E, section_aliases=_at("อาคาร/ตึก")),
    Column(h.ENTERPRISE_FLOOR, Kind.TEXT, scope=E, section_aliases=_at("ชั้น")),
    Column(h.ENTERPRISE_LANE, Kind.TEXT, scope=E, section_aliases=_at("ตรอก")),
    Column(h.ENTERPRISE_SOI, Kind.TEXT, scope=E, section_aliases=_at("ซอย")),
    Column(h.ENTERPRISE_ROAD, Kind.TEXT, scope=E, section_aliases=_at("ถนน")),
    Column(h.ENTERPRISE_PROVINCE, Kind.ADDRESS, scope=E, section_aliases=(*_at("จังหวัด"), "ที่ตั้ง (จังหวัด)")),  # noqa: E501
    # `แขวง/ส่วนอ.` is how the appendix's screenshot reads `แขวง/ตำบล` (FORM.md).
    Column(h.ENTERPRISE_SUBDISTRICT, Kind.ADDRESS, scope=E, section_aliases=(*_at("แขวง/ตำบล"), *_at("ตำบล/แขวง"), *_at("แขวง/ส่วนอ."), "ตำบล", "แขวง")),  # noqa: E501
    Column(h.ENTERPRISE_DISTRICT, Kind.ADDRESS, scope=E, section_aliases=(*_at("เขต/อำเภอ"), *_at("อำเภอ/เขต"), "อำเภอ", "เขต")),  # noqa: E501
    Column(h.ENTERPRISE_POSTCODE, Kind.ADDRESS, scope=E, section_aliases=(*_at("รหัสไปรษณีย์"), "ที่ตั้ง (รหัสไปรษณีย์)")),  # noqa: E501
    Column(h.ENTERPRISE_PHONE, Kind.PHONE, ("เบอร์โทรศัพท์สถานประกอบการ", "หมายเลขโทรศัพท์กิจการ"), scope=E, section_aliases=("เบอร์ติดต่อ", "โทรศัพท์", "เบอร์โทรศัพท์")),  # noqa: E501
    Column(h.ENTERPRISE_EMAIL, Kind.EMAIL, ("อีเมลสถานประกอบการ",), scope=E, section_aliases=("อีเมล", "อีเมล์", "e-mail", "email")),  # noqa: E501
    Column(h.SME_TAX_ID, Kind.TAX_ID, scope=S, section_aliases=_TAX_ID_NAMES),
    Column(h.SME_NAME, Kind.TEXT, scope=S, section_aliases=(_ORG_NAME,)),
    Column(h.SME_HAS_DATA, Kind.TEXT, scope=S),
    Column(h.PRODUCT_TAX_ID, Kind.TAX_ID, scope=F, section_aliases=_TAX_ID_NAMES),
    Column(h.PRODUCT_ORG_NAME, Kind.TEXT, scope=F, section_aliases=(_ORG_NAME,)),
    Column(h.PRODUCT_NAME, Kind.TEXT, scope=F),
    # `(TSIC an.)` is how the appendix's screenshot reads `(TSIC อ.ก.)` (FORM.md).
    Column(h.TSIC, Kind.TSIC, ("TSIC", "รหัส TSIC", "ประเภทของผลิตภัณฑ์ (TSIC อ.ก.)", "ประเภทของผลิตภัณฑ์ (TSIC an.)")),  # noqa: E501
    Column(h.PRODUCT_DETAILS, Kind.TEXT, scope=F),
    Column(h.PRODUCT_STANDARD, Kind.TEXT, scope=F),
    Column(h.GROUP_NAME, Kind.TEXT, ("ชื่อกลุ่ม/เครือข่าย", "ชื่อกลุ่ม")),
    Column(h.GROUP_REGISTRATION, Kind.TEXT, ("เลขทะเบียนกลุ่ม",)),
    Column(h.GROUP_OFFICE, Kind.TEXT),
    Column(h.GROUP_DETAILS, Kind.TEXT),
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
    # Results typed by the regional staff (Part 2, and the group section of Part 1).
    Column(h.RESULT_WASTE_PCT, Kind.REDUCTION),
    Column(h.RESULT_WASTE_BAHT, Kind.BAHT_CHANGE, scope=G, section_aliases=("คิดเป็นมูลค่า (บาท)",), follows=h.RESULT_WASTE_PCT),  # noqa: E501
    Column(h.RESULT_COST_PCT, Kind.REDUCTION),
    Column(h.RESULT_COST_BAHT, Kind.BAHT_CHANGE, scope=G, section_aliases=("คิดเป็นมูลค่า (บาท)",), follows=h.RESULT_COST_PCT),  # noqa: E501
    Column(h.RESULT_SALES_PCT, Kind.INCREASE),
    Column(h.RESULT_INCOME_PCT, Kind.INCREASE),
    Column(h.RESULT_PRODUCT_VALUE_PCT, Kind.INCREASE),
    Column(h.RESULT_BUSINESS_SETUP_PCT, Kind.PERCENT, ("เกิดการจัดตั้งธุรกิจ/ขยายการลงทุน",)),
    Column(h.RESULT_ECONOMIC_VALUE, Kind.AMOUNT, ("มูลค่าทางเศรษฐกิจ",)),
    Column(h.KNOWLEDGE_GAIN, Kind.PERCENT),
    Column(h.KNOWLEDGE_APPLIED, Kind.PERCENT),
    Column(h.RESULT_SATISFACTION_PCT, Kind.PERCENT, ("ความพึงพอใจ(รวม ร้อยละ)", "ความพึงพอใจรวม (ร้อยละ)")),  # noqa: E501
    Column(h.SERVICE_READY, Kind.CHECKBOX),
    Column(h.BUSINESS_MATCHING, Kind.CHECKBOX),
    Column(h.HAS_BUSINESS_PLAN, Kind.CHECKBOX),
    Column(h.STANDARD_READY, Kind.CHECKBOX),
    Column(h.RESULT_STATUS, Kind.DROPDOWN, options=h.STATUS, section_aliases=(h.STATUS,)),
    Column(h.REMARK, Kind.TEXT),
    Column(h.FORM_DUPLICATE_CHECK, Kind.TEXT),
)
# fmt: on
"""
Every input column of the reporting form, left to right: the appendix's real form (FORM.md,
Part 1 sections A01–F01 and the group section, Part 2 results) and the raw before/after figures
a sheet may add so the worker can compute the manual's formulas itself (domain spec §3.1).
"""

SECTION_MARKERS: tuple[tuple[str, Scope], ...] = (
    ("a01", Scope.PERSON),
    ("ข้อมูลสมาชิก", Scope.PERSON),
    ("b01", Scope.PERSON),
    ("ข้อมูลส่วนบุคคล", Scope.PERSON),
    ("d01", Scope.ORGANISATION),
    ("บุคคลที่มีองค์กร", Scope.ORGANISATION),
    ("e01", Scope.ENTERPRISE),
    ("e02", Scope.SME),
    ("singleformlite", Scope.SME),
    ("การประกอบการsmes", Scope.SME),
    ("f01", Scope.PRODUCT),
    ("ผลิตภัณฑ์ขององค์กร", Scope.PRODUCT),
    ("กลุ่มและเครือข่าย", Scope.GROUP),
    ("กลุ่ม/เครือข่าย", Scope.GROUP),
    ("สถานประกอบการ", Scope.ENTERPRISE),
)
"""
Text in a section label (whitespace removed, case-folded) -> the section it names, first match
wins: the appendix's codes first, then the words of its labels.
"""


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
    section_markers: tuple[tuple[str, Scope], ...] = SECTION_MARKERS
    """Which section a label names (see `SECTION_MARKERS`)."""
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
    def identifying_headers(self) -> tuple[str, ...]:
        """
        Return the headers of which a tab needs at least one to tell its rows apart.
        """
        return tuple(c.header for c in self.columns if c.identifying)

    def missing_required(self, found: Iterable[str]) -> tuple[str, ...]:
        """
        Return the required columns a tab lacks, counting a column as present when another
        one stands for it (the date range for the start date).
        """
        present = set(found)
        for header in tuple(present):
            column = self.by_header.get(header)
            if column is not None:
                present.update(column.stands_for)
        return tuple(
            c.header
            for c in self.columns
            if c.required
            and c.header not in present
            and not c.stands_for  # reported through the columns it stands for
        )


TEMPLATE = Template()
"""The regional tab of the reporting form (operating manual, appendix: reporting form)."""
