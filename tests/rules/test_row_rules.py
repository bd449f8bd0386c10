"""
Each rule of domain spec §3.1 as a user meets it: one cell changed in an otherwise valid row.
"""

from __future__ import annotations

import pytest

from rules import headers as h

from ._rows import findings_of


def test_valid_row_has_no_finding() -> None:
    """The shared valid row passes, so every other case shows exactly its own finding."""
    assert set() == findings_of()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Required cells.
        ({h.ACTIVITY_NAME: ""}, {"required_blank"}),
        ({h.START_DATE: None}, {"required_blank"}),
        ({h.NATIONAL_ID: " "}, {"required_blank"}),
        ({h.FULL_NAME: "\u200b"}, {"required_blank"}),
        ({h.MOBILE: ""}, {"required_blank"}),
        ({h.PROVINCE: "", h.DISTRICT: "", h.SUBDISTRICT: "", h.POSTCODE: ""}, {"required_blank"}),
        # Optional cells may be blank.
        ({h.EMAIL: "", h.ENTERPRISE_PHONE: None, h.TSIC: "", h.AGE: None}, set()),
        ({h.END_DATE: "", h.BIRTH_DATE: "", h.ACTIVITY_TYPE: None}, set()),
        # Dates.
        ({h.START_DATE: "31/02/2567"}, {"date_invalid"}),
        ({h.START_DATE: "พรุ่งนี้"}, {"date_invalid"}),
        ({h.START_DATE: 45366}, set()),
        ({h.START_DATE: "15 มี.ค. 67", h.END_DATE: "2024-03-20"}, set()),
        ({h.START_DATE: "15/3/2024", h.END_DATE: "16/3/2024"}, set()),
        ({h.START_DATE: "1/10/2566", h.END_DATE: "1/10/2566"}, set()),
        ({h.START_DATE: "30/9/2567", h.END_DATE: "30/9/2567"}, set()),
        ({h.START_DATE: "30/9/2566", h.END_DATE: "30/9/2566"}, {"start_outside_fiscal_year"}),
        ({h.START_DATE: "1/10/2567", h.END_DATE: "2/10/2567"}, {"start_outside_fiscal_year"}),
        ({h.END_DATE: "14/3/2567"}, {"end_before_start"}),
        ({h.START_DATE: "1/10/2566", h.END_DATE: "26/6/2567"}, set()),
        ({h.START_DATE: "1/10/2566", h.END_DATE: "27/6/2567"}, {"activity_too_long"}),
        ({h.BIRTH_DATE: "1/1/2570"}, {"birth_date_future"}),
        ({h.BIRTH_DATE: 2520}, {"date_invalid"}),
        ({h.BIRTH_DATE: "1/1/2560", h.AGE: 7}, {"age_out_of_range"}),
        ({h.BIRTH_DATE: "1/1/2420", h.AGE: None}, {"age_out_of_range"}),
        ({h.AGE: 50}, {"age_mismatch"}),
        ({h.AGE: 46}, set()),
        ({h.AGE: "47 ปี"}, {"age_invalid"}),
        ({h.BIRTH_DATE: "", h.AGE: 12}, {"age_out_of_range"}),
        # Dropdowns come from the options tab.
        ({h.ACTIVITY_TYPE: "ประชุม"}, {"choice_not_in_list"}),
        ({h.ACTIVITY_TYPE: " อบรม\u200b"}, set()),
        ({h.STATUS: "ยกเลิก"}, set()),
        ({h.STATUS: "ยกเลิกแล้ว"}, {"choice_not_in_list"}),
        ({h.PARTICIPATION_STATUS: "?"}, {"choice_not_in_list"}),
        ({h.MEMBER_TYPE: "สมาชิกทั่วไป"}, {"choice_not_in_list"}),
        ({h.GENDER: "M"}, {"choice_not_in_list"}),
        ({h.GENDER: "อื่นๆ"}, {"choice_not_in_list"}),
        ({h.ACTIVITY_PROVINCE: "กทม."}, set()),
        ({h.ACTIVITY_PROVINCE: "ชลบุรีย์"}, {"province_unknown"}),
        # People.
        ({h.NATIONAL_ID: "1103702071812"}, {"pin_checksum"}),
        ({h.NATIONAL_ID: 1103702071811}, set()),
        ({h.FULL_NAME: "นายสมชาย2 ใจดี"}, {"name_has_digits"}),
        ({h.FULL_NAME: "นายสมชายใจดี"}, {"name_no_space"}),
        ({h.FULL_NAME: "  นายสมชาย   ใจดี "}, set()),
        ({h.MOBILE: 812345678}, set()),
        ({h.MOBILE: "02 430 6869"}, {"mobile_not_mobile"}),
        ({h.EMAIL: "somchai@"}, {"email_invalid"}),
        ({h.AGENCY: "ศก.4"}, {"agency_not_region"}),
        ({h.AGENCY: "ศก. 3"}, set()),
        ({h.AGENCY: ""}, set()),
        ({h.MOO: "๗"}, set()),
        ({h.MOO: 0}, {"moo_invalid"}),
        ({h.MOO: "100"}, {"moo_invalid"}),
        ({h.MOO: "4ก"}, {"moo_invalid"}),
        # Addresses.
        ({h.DISTRICT: "เขตดุสิต"}, {"subdistrict_not_in_district"}),
        ({h.POSTCODE: "10300"}, {"postcode_not_in_district"}),
        ({h.PROVINCE: "นนทบุรี"}, {"district_not_in_province"}),
        ({h.ENTERPRISE_POSTCODE: "10200"}, {"postcode_not_in_province"}),
        ({h.ENTERPRISE_PROVINCE: "", h.ENTERPRISE_POSTCODE: 20000}, {"required_blank"}),
        ({h.ENTERPRISE_PROVINCE: "", h.ENTERPRISE_POSTCODE: ""}, set()),
        # A district or subdistrict of the enterprise cannot be checked without its province.
        (
            {h.ENTERPRISE_PROVINCE: "", h.ENTERPRISE_POSTCODE: "", h.ENTERPRISE_DISTRICT: "เมือง"},
            {"required_blank"},
        ),
        (
            {
                h.ENTERPRISE_PROVINCE: "",
                h.ENTERPRISE_POSTCODE: "",
                h.ENTERPRISE_SUBDISTRICT: "บางปลา",
            },
            {"required_blank"},
        ),
        ({h.ENTERPRISE_PROVINCE: "ชลบุรีย์"}, {"province_unknown"}),
        # Enterprise.
        ({h.TAX_ID: "0105536012341"}, {"tax_id_checksum"}),
        ({h.TAX_ID: "123"}, {"tax_id_format"}),
        ({h.ENTERPRISE_NAME: ""}, {"enterprise_name_blank"}),
        ({h.ENTERPRISE_NAME: "", h.TAX_ID: ""}, set()),
        ({h.ENTERPRISE_PHONE: "02 430 6869 ต่อ 12"}, set()),
        ({h.ENTERPRISE_PHONE: "1234"}, {"phone_invalid"}),
        ({h.TSIC: 10712}, set()),
        ({h.TSIC: "1071"}, {"tsic_format"}),
        # Numbers.
        ({h.COST_BEFORE: "ห้าหมื่น"}, {"not_a_number"}),
        ({h.COST_BEFORE: -1}, {"number_negative"}),
        ({h.COST_BEFORE: "", h.COST_AFTER: ""}, set()),
        ({h.COST_AFTER: ""}, {"pair_incomplete"}),
        ({h.SALES_BEFORE: "1,000", h.SALES_AFTER: ""}, {"pair_incomplete"}),
        ({h.CARBON_AFTER: 0, h.CARBON_BEFORE: None}, {"pair_incomplete"}),
        ({h.SALES_BEFORE: "1,000"}, set()),  # the tab has no ยอดขายหลัง column: not checked
        ({h.CARBON_AFTER: 0}, set()),
        ({h.WASTE_BEFORE: 1001}, {"waste_exceeds_production"}),
        ({h.WASTE_AFTER: "1,000"}, set()),
        ({h.SATISFACTION_ITEMS[4]: ""}, {"satisfaction_incomplete"}),
        ({item: None for item in h.SATISFACTION_ITEMS}, set()),
        ({h.SATISFACTION_ITEMS[0]: 6}, {"score_out_of_range"}),
        ({h.SATISFACTION_ITEMS[0]: 0}, {"score_out_of_range"}),
        ({h.SATISFACTION_ITEMS[0]: "4.5"}, {"score_out_of_range"}),
        ({h.SATISFACTION_ITEMS[0]: "๔"}, set()),
        ({h.SATISFACTION_ITEMS[0]: "ดี"}, {"not_a_number"}),
        ({h.KNOWLEDGE_GAIN: "101%"}, {"percent_out_of_range"}),
        ({h.KNOWLEDGE_APPLIED: -1}, {"percent_out_of_range"}),
        ({h.KNOWLEDGE_APPLIED: "100"}, set()),
        # Checkboxes.
        ({h.BUSINESS_MATCHING: "ใช่", h.HAS_BUSINESS_PLAN: "ไม่มี", h.STANDARD_READY: "✓"}, set()),
        ({h.STANDARD_READY: "อาจจะ"}, {"checkbox_invalid"}),
    ],
)
def test_rule(changes: dict[str, object], expected: set[str]) -> None:
    """A row with one thing wrong shows exactly that finding's code."""
    assert expected == findings_of(changes)


def test_fiscal_year_is_a_parameter() -> None:
    """The same start date is inside FY 2568 and outside FY 2567."""
    changes = {h.START_DATE: "1/10/2567", h.END_DATE: "2/10/2567"}
    assert (set(), {"start_outside_fiscal_year"}) == (
        findings_of(changes, fiscal_year=2568),
        findings_of(changes, fiscal_year=2567),
    )


def test_each_half_missing_from_a_pair_is_reported() -> None:
    """
    A row with three before/after pairs half typed is told of all three, each naming the
    column to fill and the one typed beside it (not only the first, then the next one run
    after run as each is fixed).
    """
    from rules import check_row

    from ._rows import AS_OF, OPTIONS, valid_row

    changes = {h.COST_AFTER: "", h.SALES_BEFORE: "1,000", h.SALES_AFTER: None}
    row = valid_row(**changes, **{h.CARBON_AFTER: 0, h.CARBON_BEFORE: ""})
    result = check_row(row, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)
    incomplete = [f for f in result.findings if f.code == "pair_incomplete"]
    expected = [
        (h.COST_AFTER, h.COST_BEFORE),
        (h.SALES_AFTER, h.SALES_BEFORE),
        (h.CARBON_BEFORE, h.CARBON_AFTER),
    ]
    assert [f.column for f in incomplete] == [missing for missing, _ in expected]
    for finding, (_, typed) in zip(incomplete, expected, strict=True):
        assert finding.text.endswith(f"ต้องกรอกคู่กับ {typed}")


def test_a_tab_with_some_of_the_satisfaction_items_checks_those_it_has() -> None:
    """
    A tab with only items 1–5 (its own form): all five given passes, four of them is told
    which one is missing, and no finding names a column the tab does not have (§3.0).
    """
    from rules import check_row

    from ._rows import AS_OF, OPTIONS, valid_row

    row = valid_row()
    for item in h.SATISFACTION_ITEMS[5:]:
        del row[item]
    result = check_row(row, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)
    assert (result.status, result.codes) == ("ผ่าน", ())
    row[h.SATISFACTION_ITEMS[3]] = ""
    result = check_row(row, region="ศก.3", options=OPTIONS, fiscal_year=2567, as_of=AS_OF)
    assert [(f.code, f.column) for f in result.findings] == [
        ("satisfaction_incomplete", h.SATISFACTION_ITEMS[3])
    ]


@pytest.mark.parametrize(
    ("period", "start", "expected"),
    [
        ("15/3/2567 - 20/3/2567", "", set()),
        ("", "15/3/2567", set()),
        ("", "", {"required_blank"}),
    ],
)
def test_a_tab_with_both_date_columns_needs_the_start_in_one_of_them(
    period: str, start: str, expected: set[str]
) -> None:
    """
    The one-cell period stands for the start and end date columns: a tab that has both is
    satisfied by either (a row giving its dates once is not told the other is blank).
    """
    changes = {h.START_END_DATES: period, h.START_DATE: start, h.END_DATE: ""}
    assert expected == findings_of(changes)
