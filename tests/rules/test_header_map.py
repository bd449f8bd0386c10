"""
Finding the template's columns in a tab's header row (domain spec §3).
"""

from __future__ import annotations

from rules import headers as h
from rules import map_headers
from rules.header_map import DuplicateHeader, UnknownHeader, header_key

FORM = [h.AGENCY, h.ACTIVITY_NAME, h.START_DATE, h.NATIONAL_ID, h.FULL_NAME, h.PROVINCE]


def test_headers_by_text_not_position() -> None:
    """Columns are found by header text in any order, 0-based."""
    reordered = list(reversed(FORM))
    result = map_headers(reordered)
    assert {header: 5 - i for i, header in enumerate(FORM)} == dict(result.columns)
    assert ((), ()) == (result.duplicates, result.unknown)
    assert (h.MOBILE,) == result.missing_required  # required, yet not needed to process the tab


def test_inserted_unknown_columns_are_ignored() -> None:
    """Columns people insert shift indexes and are listed as unknown, not errors."""
    row = [h.AGENCY, "ลำดับ", "", h.ACTIVITY_NAME, "อื่นๆ", h.START_DATE, h.NATIONAL_ID]
    result = map_headers(row)
    assert (0, 3, 5) == (
        result.columns[h.AGENCY],
        result.columns[h.ACTIVITY_NAME],
        result.columns[h.START_DATE],
    )
    assert (UnknownHeader(1, "ลำดับ"), UnknownHeader(4, "อื่นๆ")) == result.unknown
    assert result.is_processable


def test_normalised_text_and_aliases() -> None:
    """Spacing, NFC, invisible characters, a `*` marker and aliases do not matter."""
    row = [
        "  ชื่อกิจกรรม  (ตามแผนงานโครงการ) ",
        "วันที่เริ่ม\u200bกิจกรรม",
        "เลขที่บัตรประชาชน *",
        "ชื่อ - นามสกุล",
        "E-mail",
        "เบอร์โทรศัพท์มือถือ",
        "ตำบล/แขวง",
        "อำเภอ/เขต",
        "รหัส TSIC",
    ]
    result = map_headers(row)
    expected = [
        h.ACTIVITY_NAME,
        h.START_DATE,
        h.NATIONAL_ID,
        h.FULL_NAME,
        h.EMAIL,
        h.MOBILE,
        h.SUBDISTRICT,
        h.DISTRICT,
        h.TSIC,
    ]
    assert {header: i for i, header in enumerate(expected)} == dict(result.columns)


def test_same_header_in_two_sections() -> None:
    """A bare `จังหวัด` under the enterprise section is the enterprise's province."""
    row = [
        *FORM[1:5],
        h.PROVINCE,
        h.POSTCODE,
        h.EMAIL,
        h.PROVINCE,
        h.POSTCODE,
        "อีเมล",
        "เบอร์ติดต่อ",
    ]
    sections = ["A01: ข้อมูลสมาชิก", "", "", "", "", "", "", "E01: ข้อมูลสถานประกอบการ"]
    result = map_headers(row, sections)
    assert (4, 5, 6, 7, 8, 9, 10) == (
        result.columns[h.PROVINCE],
        result.columns[h.POSTCODE],
        result.columns[h.EMAIL],
        result.columns[h.ENTERPRISE_PROVINCE],
        result.columns[h.ENTERPRISE_POSTCODE],
        result.columns[h.ENTERPRISE_EMAIL],
        result.columns[h.ENTERPRISE_PHONE],
    )
    assert ((), ()) == (result.unknown, result.duplicates)


def test_section_label_spreads_until_next_label() -> None:
    """A section label covers its column and the following ones until the next label."""
    row = ["สถานประกอบการ", h.PROVINCE, h.PROVINCE]
    sections = ["D01: ข้อมูลบุคคลที่มีองค์กร", "E01: ข้อมูลสถานประกอบการ", "B01: ข้อมูลส่วนบุคคล"]
    result = map_headers(row, sections)
    assert {h.ENTERPRISE_NAME: 0, h.ENTERPRISE_PROVINCE: 1, h.PROVINCE: 2} == dict(result.columns)


def test_missing_required() -> None:
    """Missing required columns are listed; the tab stays processable while a name is there."""
    result = map_headers([h.AGENCY, h.FULL_NAME, h.MOBILE])
    assert (h.ACTIVITY_NAME, h.START_DATE, h.NATIONAL_ID, h.PROVINCE) == result.missing_required
    assert True is result.is_processable


def test_nothing_identifies_the_rows() -> None:
    """Without a national ID and without a name column, the tab cannot be processed."""
    result = map_headers([h.AGENCY, h.ACTIVITY_NAME, h.START_DATE, h.MOBILE])
    assert False is result.is_processable


def test_duplicated_header_first_wins() -> None:
    """A header found twice maps to the first column and is reported."""
    result = map_headers([*FORM, h.NATIONAL_ID, "เลขบัตรประชาชน"])
    assert 3 == result.columns[h.NATIONAL_ID]
    assert (
        DuplicateHeader(h.NATIONAL_ID, 3, 6),
        DuplicateHeader(h.NATIONAL_ID, 3, 7),
    ) == result.duplicates


def test_worker_block() -> None:
    """The worker block's columns are found under their section label; missing ones listed."""
    row = [*FORM, h.CHECK_STATUS, h.DETAILS, h.ERROR_CODES]
    sections = [""] * len(FORM) + [h.WORKER_SECTION_LABEL]
    result = map_headers(row, sections)
    assert {h.CHECK_STATUS: 6, h.DETAILS: 7, h.ERROR_CODES: 8} == dict(result.worker)
    assert h.DUPLICATE_OF in result.missing_worker
    assert h.CHECK_STATUS not in result.columns


def test_row_cells_pads_short_rows() -> None:
    """API rows drop trailing blanks; missing cells read as None."""
    result = map_headers(FORM)
    expected = {h.AGENCY: "ศก.1", h.ACTIVITY_NAME: "อบรม"} | {header: None for header in FORM[2:]}
    assert expected == result.row_cells(["ศก.1", "อบรม"])


def test_header_key() -> None:
    """Header keys ignore every space, case and a trailing required marker."""
    assert header_key("ชื่อ-นามสกุล") == header_key(" ชื่อ - นามสกุล * ")
    assert header_key("ประเภทของผลิตภัณฑ์ (TSIC)") == header_key("ประเภทของผลิตภัณฑ์(tsic)")
    assert "" == header_key(None)


def test_worker_column_under_its_label_wins() -> None:
    """A person's column named like a worker column does not take the worker block's place."""
    row = [*FORM, h.CHECK_STATUS, "หมายเหตุ", h.CHECK_STATUS]
    sections = [""] * 8 + [h.WORKER_SECTION_LABEL]
    result = map_headers(row, sections)
    assert (8, ()) == (result.worker[h.CHECK_STATUS], result.duplicates)
    assert 6 in {u.index for u in result.unknown}  # the person's own column, left alone


def test_worker_header_without_its_label_is_a_persons_column() -> None:
    """Before the block exists, a column titled like a worker column is a person's column."""
    row = [*FORM, h.DETAILS, h.CHECK_STATUS]
    result = map_headers(row, [""] * len(row))
    assert {} == dict(result.worker)
    assert set(h.STATUS_HEADERS) == set(result.missing_worker)  # no raw figures: no KPI columns
    assert {len(FORM), len(FORM) + 1} <= {u.index for u in result.unknown}


def test_header_rows_mapped_before_give_that_map_again() -> None:
    """Every round maps each tab's header rows: rows seen before give the same (frozen) map,
    told apart by each cell's type too (a header `1` is not a header `True`)."""
    row = [*FORM, 1]
    first = map_headers(row, ["ส่วนที่ 1"])
    assert first is map_headers(list(row), ["ส่วนที่ 1"])
    assert first == map_headers(tuple(row), ("ส่วนที่ 1",))
    flagged = map_headers([*FORM, True], ["ส่วนที่ 1"])
    assert flagged is not first
    assert UnknownHeader(len(FORM), "True") in flagged.unknown
    assert UnknownHeader(len(FORM), "1") in first.unknown
    assert map_headers(row) is not first  # other section labels: mapped on their own


def test_a_title_above_the_headers_never_hides_the_persons_columns() -> None:
    """
    A Part 2 sheet has its headers in row 2 and a title in row 1, read as the label row: a
    title naming `สถานประกอบการ` must not make the person's own columns (the national ID, the
    name) the enterprise's and get the whole tab skipped; `อีเมล` under a real enterprise
    label is still the enterprise's.
    """
    row = ["เลขบัตรประจำตัวประชาชน", "ชื่อ-นามสกุล", "ของเสียลดลง (ร้อยละ)"]
    mapping = map_headers(row, ["ส่วนที่ 2 ข้อมูลผลลัพธ์ของสถานประกอบการ"])
    assert mapping.is_processable
    assert (mapping.columns[h.NATIONAL_ID], mapping.columns[h.FULL_NAME]) == (0, 1)
    labelled = map_headers(["อีเมล", "อีเมล"], ["A01: ข้อมูลสมาชิก", "E01: ข้อมูลสถานประกอบการ"])
    assert (labelled.columns[h.EMAIL], labelled.columns[h.ENTERPRISE_EMAIL]) == (0, 1)


def test_headers_only_a_section_names_are_found_without_labels() -> None:
    """A tab without section labels: `เบอร์ติดต่อ` (E01's only) is still the enterprise phone."""
    mapping = map_headers(["เลขบัตรประจำตัวประชาชน", "เบอร์ติดต่อ"])
    assert mapping.columns.get(h.ENTERPRISE_PHONE) == 1
    assert not mapping.unknown


def test_each_baht_value_goes_with_the_result_before_it_wherever_the_pair_moved() -> None:
    """
    The form's two `คิดเป็นมูลค่า (บาท)` follow `ของเสียลดลง (ร้อยละ)` and `ต้นทุนลดลง (ร้อยละ)`:
    a tab with the cost pair first, or with only the cost pair, keeps each value with its
    result (by position, the cost's baht was read as the waste's).
    """
    label = ["ข้อมูลส่วนรับกลุ่มและเครือข่าย"]
    swapped = ["ต้นทุนลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)", "ของเสียลดลง (ร้อยละ)", "คิดเป็นมูลค่า (บาท)"]
    mapping = map_headers(["ชื่อ-นามสกุล", *swapped], ["", *label])
    assert (mapping.columns[h.RESULT_COST_BAHT], mapping.columns[h.RESULT_WASTE_BAHT]) == (2, 4)
    only_cost = map_headers(["ชื่อ-นามสกุล", *swapped[:2]], ["", *label])
    assert only_cost.columns.get(h.RESULT_COST_BAHT) == 2
    assert h.RESULT_WASTE_BAHT not in only_cost.columns


def test_direction_marks_pasted_into_a_header_do_not_count() -> None:
    """A header copied from a right-to-left or mixed text carries U+200E/U+200F: still found."""
    mapping = map_headers(["ชื่อ-นามสกุล", "\u200fอีเมล", "ประเภทกิจกรรม\u200e"])
    assert (mapping.columns[h.EMAIL], mapping.columns[h.ACTIVITY_TYPE]) == (1, 2)
