"""
`check_row`: the result a row gets (status, findings, parsed values, keys for duplicates).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rules import TEMPLATE, Finding, RowResult, Severity, check_row
from rules import headers as h

from ._rows import AS_OF, OPTIONS, VALID_PIN, VALID_TAX_ID, valid_row


def check(row: Mapping[str, object], **kwargs: object) -> RowResult:
    """
    Check a row for region ศก.3 in FY 2567 with the shared options.
    """
    arguments: dict[str, object] = {
        "region": "ศก.3",
        "options": OPTIONS,
        "fiscal_year": 2567,
        "as_of": AS_OF,
    }
    arguments.update(kwargs)
    return check_row(row, **arguments)  # type: ignore[arg-type]


def test_valid_row_result() -> None:
    """A valid row passes and carries its normalised keys and parsed values."""
    result = check(valid_row(**{h.NATIONAL_ID: "1-1037-02071-81-1"}))
    assert (h.STATUS_PASS, (), VALID_PIN, VALID_TAX_ID, False, False) == (
        result.status,
        result.findings,
        result.national_id,
        result.tax_id,
        result.cancelled,
        result.is_blank,
    )
    assert date(2024, 3, 15) == result.values[h.START_DATE]
    assert Decimal("50000") == result.values[h.COST_BEFORE]
    assert False is result.values[h.HAS_BUSINESS_PLAN]


def test_error_finding_text() -> None:
    """An error names its column in Thai, as the details cell shows it."""
    result = check(valid_row(**{h.NATIONAL_ID: "1103702071812"}))
    expected = Finding("pin_checksum", Severity.ERROR, h.NATIONAL_ID, "เลขตรวจสอบไม่ถูกต้อง")
    assert (h.STATUS_FAIL, (expected,)) == (result.status, result.findings)
    assert "เลขบัตรประจำตัวประชาชน: เลขตรวจสอบไม่ถูกต้อง" == result.findings[0].text
    assert ("pin_checksum",) == result.codes


def test_warnings_only_status() -> None:
    """A row with warnings only gets `คำเตือน`."""
    assert h.STATUS_WARN == check(valid_row(**{h.FULL_NAME: "สมชาย"})).status


def test_findings_read_left_to_right() -> None:
    """Findings are in column order, so the details cell reads like the row."""
    result = check(valid_row(**{h.KNOWLEDGE_GAIN: 200, h.AGENCY: "ศก.1", h.EMAIL: "x"}))
    assert (h.AGENCY, h.EMAIL, h.KNOWLEDGE_GAIN) == tuple(f.column for f in result.findings)
    assert result.details.splitlines()[0].startswith(h.AGENCY + ": ")


def test_blank_row() -> None:
    """A row whose cells are all blank (unticked boxes included) is skipped with no finding."""
    row = {header: "" for header in valid_row()} | {
        h.BUSINESS_MATCHING: False,
        h.REMARK: " \u200b",
        h.NATIONAL_ID: None,
    }
    result = check(row)
    assert (True, (), "") == (result.is_blank, result.findings, result.status)


def test_cancelled_row_is_checked() -> None:
    """A cancelled row is still checked and reported as cancelled."""
    result = check(valid_row(**{h.STATUS: " ยกเลิก ", h.EMAIL: "x"}))
    assert (True, h.STATUS_FAIL) == (result.cancelled, result.status)


def test_missing_column_is_not_blank() -> None:
    """A required column the tab does not have is not reported on every row."""
    row = valid_row()
    del row[h.MOBILE]
    assert () == check(row).findings


def test_no_options_no_dropdown_errors() -> None:
    """Without lists from the options tab, dropdown values are not judged."""
    row = valid_row(**{h.GENDER: "??", h.STATUS: "xyz", h.ACTIVITY_TYPE: "ไม่มีในรายการ"})
    assert ((), ()) == (
        check(row, options={}).findings,
        check(row, options={h.GENDER: [], h.STATUS: [], h.ACTIVITY_TYPE: []}).findings,
    )


def test_unknown_headers_are_ignored() -> None:
    """Cells under headers the template does not know are ignored."""
    assert () == check(valid_row(**{"สถานภาพสมรส": "โสด", "อื่นๆ": 12})).findings


def test_age_uses_today_without_start_date() -> None:
    """Without a start date, age is checked as of the given today."""
    row = valid_row(**{h.START_DATE: "", h.AGE: 47})
    assert ["required_blank"] == [f.code for f in check(row, as_of=date(2024, 6, 1)).findings]
    assert ["required_blank", "age_mismatch"] == [
        f.code for f in check(row, as_of=date(2030, 6, 1)).findings
    ]


def test_template_has_every_header() -> None:
    """The template lists every input header of domain spec §3.1 once, in form order, among the
    real form's columns."""
    expected = [
        h.AGENCY, h.ACTIVITY_NAME, h.START_DATE, h.END_DATE, h.ACTIVITY_TYPE,
        h.ACTIVITY_PROVINCE, h.STATUS, h.PARTICIPATION_STATUS, h.NATIONAL_ID, h.FULL_NAME,
        h.MOBILE, h.EMAIL, h.MEMBER_TYPE, h.HOUSE_NO, h.MOO, h.ROAD, h.SUBDISTRICT, h.DISTRICT,
        h.PROVINCE, h.POSTCODE, h.BIRTH_DATE, h.AGE, h.GENDER, h.TAX_ID, h.ENTERPRISE_NAME,
        h.ENTERPRISE_PROVINCE, h.ENTERPRISE_POSTCODE, h.ENTERPRISE_PHONE, h.TSIC, h.GROUP_NAME,
        h.WASTE_BEFORE, h.PRODUCED_BEFORE, h.WASTE_AFTER, h.PRODUCED_AFTER,
        h.WASTE_VALUE_BEFORE, h.WASTE_VALUE_AFTER, h.COST_BEFORE, h.COST_AFTER,
        h.SALES_BEFORE, h.SALES_AFTER, h.INCOME_BEFORE, h.INCOME_AFTER, h.PRICE_BEFORE,
        h.PRICE_AFTER, h.UNITS_SOLD_AFTER, h.UNIT_COST_BEFORE, h.UNIT_COST_AFTER,
        h.UNITS_PRODUCED_12M, h.CARBON_BEFORE, h.CARBON_AFTER, *h.SATISFACTION_ITEMS,
        h.KNOWLEDGE_GAIN, h.KNOWLEDGE_APPLIED, h.BUSINESS_MATCHING, h.HAS_BUSINESS_PLAN,
        h.STANDARD_READY, h.REMARK,
    ]  # fmt: skip
    headers = [c.header for c in TEMPLATE.columns]
    assert len(headers) == len(set(headers))
    assert expected == [x for x in headers if x in set(expected)]


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["๑๒", "1,000 บาท", "15/3/2567", "กทม", "0812345678", "ยกเลิก", "✓"]),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([c.header for c in TEMPLATE.columns]), CELL))
def test_check_row_never_raises(cells: dict[str, object]) -> None:
    """Any mix of cell values gives a result with a known status, never an exception."""
    result = check(cells)
    assert result.status in ("", h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL)
    assert all(f.severity in (Severity.ERROR, Severity.WARNING) for f in result.findings)


def test_birth_after_start_is_future_without_today() -> None:
    """Without today's date, a birth date after the activity start is in the future."""
    row = valid_row(**{h.BIRTH_DATE: "1/4/2567", h.AGE: None})
    assert ["birth_date_future"] == [f.code for f in check(row, as_of=None).findings]
