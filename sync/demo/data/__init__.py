"""
Seeded, realistic content of one activity's reporting spreadsheet, for the demo, the tests
and the benchmarks.

`generate_spreadsheet` lays out the regional tabs the way the operating manual's reporting
form does (title, section labels, headers on row 3, data from row 4; domain spec §3), fills
them with rows as people type them, injects a known share of realistic mistakes and repeats,
and returns which rows carry which mistake.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rules import headers as h
from sync.demo.data import _appendix as appendix
from sync.demo.data import _mistakes as m
from sync.demo.data import _vocab as v
from sync.demo.data._forms import pin_cell
from sync.demo.data._geo import REGION_GROUPS
from sync.demo.data._rows import LOCAL_NOTE_HEADER, PERSON_HEADERS, Record, RegionRows, age_on

__all__ = [
    "EXPECTED_STATUS",
    "FORMS",
    "INPUT_HEADERS",
    "PEOPLE_TAB",
    "DemoSpreadsheet",
    "generate_spreadsheet",
    "options_lists",
]

INPUT_HEADERS: tuple[str, ...] = (
    h.AGENCY,
    h.ACTIVITY_NAME,
    h.START_DATE,
    h.END_DATE,
    h.ACTIVITY_TYPE,
    h.ACTIVITY_PROVINCE,
    h.STATUS,
    h.PARTICIPATION_STATUS,
    h.NATIONAL_ID,
    h.FULL_NAME,
    h.MOBILE,
    h.EMAIL,
    h.MEMBER_TYPE,
    h.HOUSE_NO,
    h.MOO,
    h.ROAD,
    h.SUBDISTRICT,
    h.DISTRICT,
    h.PROVINCE,
    h.POSTCODE,
    h.BIRTH_DATE,
    h.AGE,
    h.GENDER,
    h.TAX_ID,
    h.ENTERPRISE_NAME,
    h.ENTERPRISE_PROVINCE,
    h.ENTERPRISE_POSTCODE,
    h.ENTERPRISE_PHONE,
    h.TSIC,
    h.GROUP_NAME,
    h.WASTE_BEFORE,
    h.PRODUCED_BEFORE,
    h.WASTE_AFTER,
    h.PRODUCED_AFTER,
    h.WASTE_VALUE_BEFORE,
    h.WASTE_VALUE_AFTER,
    h.COST_BEFORE,
    h.COST_AFTER,
    h.SALES_BEFORE,
    h.SALES_AFTER,
    h.INCOME_BEFORE,
    h.INCOME_AFTER,
    h.PRICE_BEFORE,
    h.PRICE_AFTER,
    h.UNITS_SOLD_AFTER,
    h.UNIT_COST_BEFORE,
    h.UNIT_COST_AFTER,
    h.UNITS_PRODUCED_12M,
    h.CARBON_BEFORE,
    h.CARBON_AFTER,
    *h.SATISFACTION_ITEMS,
    h.KNOWLEDGE_GAIN,
    h.KNOWLEDGE_APPLIED,
    h.BUSINESS_MATCHING,
    h.HAS_BUSINESS_PLAN,
    h.STANDARD_READY,
    h.REMARK,
)
"""Row 3 of a regional tab: every input column of domain spec §3.1, in the form's order."""

FORMS: tuple[str, ...] = ("spec", "appendix", "appendix-results")
"""Layouts the generator lays rows out in: the spec's column list with raw before/after
figures (domain spec §3.1), the appendix's Part 1 form (activity 5.1-2, about 90 columns in
labelled sections, results typed in the group section) and its Part 2 results form (activity
5.1-1, headers in row 2)."""

PEOPLE_TAB = "สรุปโครงการ"
"""A tab headquarters staff type into by hand; nothing may ever change it."""

# A Christian-Era year (`15/03/2024`) and Thai digits are how people type, not errors: the
# domain spec §3 reads a 4-digit year up to 2400 as CE and cleans Thai digits first.
EXPECTED_STATUS: dict[str, str] = {
    **{kind: h.STATUS_FAIL for kind in m.INJECTORS},
    **{kind: h.STATUS_WARN for kind in m.WARNING_KINDS},
    m.CE_YEAR_VALID: h.STATUS_PASS,
    m.THAI_DIGITS_VALID: h.STATUS_PASS,
    m.DUPLICATE: h.STATUS_DUPLICATE,
}
"""Every kind `truth` can name, with the check status its row should end up with."""

_SECTIONS: tuple[tuple[str, str], ...] = (
    (h.AGENCY, v.SECTION_ACTIVITY),
    (h.NATIONAL_ID, v.SECTION_PARTICIPANT),
    (h.HOUSE_NO, v.SECTION_ADDRESS),
    (h.TAX_ID, v.SECTION_ENTERPRISE),
    (h.WASTE_BEFORE, v.SECTION_RESULTS),
    (h.SATISFACTION_ITEMS[0], v.SECTION_SATISFACTION),
    (h.KNOWLEDGE_GAIN, v.SECTION_OTHER),
)

# One centre keeps its own column order: proof that columns are found by header text.
_REORDERED_REGION = h.DEFAULT_REGION_TABS[4]


@dataclass(frozen=True)
class DemoSpreadsheet:
    """
    A generated spreadsheet plus the answer key, so a check run can be scored row by row.
    """

    title: str
    tabs: dict[str, list[list[object]]]
    """Tab title -> rows from row 1, cells as the Sheets API returns what people typed."""
    truth: dict[tuple[str, int], tuple[str, ...]]
    """(regional tab, 1-based sheet row) of each participant row -> kinds injected, () if none."""
    form: str = "spec"
    header_row: int = 3
    """Row of the column headers (the configuration a sync of this spreadsheet needs)."""
    first_data_row: int = 4


@dataclass(frozen=True, slots=True)
class _Person:
    pin: str
    birth: date
    cells: tuple[object, ...]


def options_lists() -> dict[str, list[str]]:
    """
    The dropdown lists of the `ตัวเลือก` tab, by list name, so checks and data agree on them.
    """
    return {
        h.ACTIVITY_TYPE: list(v.ACTIVITY_TYPES),
        h.STATUS: list(v.STATUSES),
        h.PARTICIPATION_STATUS: list(v.PARTICIPATIONS),
        h.MEMBER_TYPE: list(v.MEMBER_TYPES),
        h.GENDER: list(v.GENDERS),
    }


def generate_spreadsheet(
    *,
    rows_per_region: int = 50,
    seed: int = 2567,
    fiscal_year: int = 2567,
    error_rate: float = 0.15,
    regions: Sequence[str] = h.DEFAULT_REGION_TABS,
    duplicate_rate: float = 0.02,
    form: str = "spec",
) -> DemoSpreadsheet:
    """
    Builds the same spreadsheet for the same arguments, so demos and tests are reproducible.

    Args:
        rows_per_region: Participant rows in each regional tab (blank gap rows come on top).
        seed: Seed of every random draw; nothing else varies the output.
        fiscal_year: Thai fiscal year (BE) the activities run in.
        error_rate: Share of each tab's rows given exactly one mistake.
        regions: Regional tab titles, in tab order.
        duplicate_rate: Share of each tab's rows that repeat a person of an earlier tab.
        form: One of `FORMS`: which layout the regional tabs have.
    """
    _check_arguments(rows_per_region, error_rate, duplicate_rate, regions)
    if form not in FORMS:
        raise ValueError(f"form is {form!r}; pass one of {', '.join(FORMS)}.")
    layout = {
        "appendix": appendix.part1_layout,
        "appendix-results": appendix.part2_layout,
    }.get(form, lambda: None)()
    activity = v.RESULTS_ACTIVITY_TITLE if form == "appendix-results" else v.ACTIVITY_TITLE
    title = f"{activity} ({fiscal_year % 100:02d})"
    tabs: dict[str, list[list[object]]] = {
        PEOPLE_TAB: _people_tab(title, fiscal_year, regions, rows_per_region)
    }
    truth: dict[tuple[str, int], tuple[str, ...]] = {}
    people: list[_Person] = []
    taken_pins: set[str] = set()
    for position, region in enumerate(regions):
        if region in h.DEFAULT_REGION_TABS:
            group = h.DEFAULT_REGION_TABS.index(region)
        else:
            group = position % REGION_GROUPS
        rows = RegionRows(
            region=region,
            group=group,
            count=rows_per_region,
            fiscal_year=fiscal_year,
            activity=title,
            seed=seed,
            taken_pins=taken_pins,
        )
        tabs[region] = _region_tab(
            region, rows, seed, error_rate, duplicate_rate, people, truth, layout
        )
    tabs[h.OPTIONS_TAB] = _options_tab()
    if layout is None:
        return DemoSpreadsheet(title, tabs, truth)
    return DemoSpreadsheet(title, tabs, truth, form, layout.header_row, layout.first_data_row)


def _check_arguments(
    rows_per_region: int, error_rate: float, duplicate_rate: float, regions: Sequence[str]
) -> None:
    """
    Rejects arguments that would silently give a different spreadsheet than asked for.
    """
    if rows_per_region < 0:
        raise ValueError(f"rows_per_region is {rows_per_region}; pass 0 or more.")
    for name, rate in (("error_rate", error_rate), ("duplicate_rate", duplicate_rate)):
        if not 0 <= rate <= 1:
            raise ValueError(f"{name} is {rate}; pass a share between 0 and 1.")
    if len(set(regions)) != len(regions):
        raise ValueError(f"regions {list(regions)} repeat a tab title; pass each region once.")


def _region_tab(
    region: str,
    rows: RegionRows,
    seed: int,
    error_rate: float,
    duplicate_rate: float,
    people: list[_Person],
    truth: dict[tuple[str, int], tuple[str, ...]],
    layout: appendix.AppendixLayout | None = None,
) -> list[list[object]]:
    headers = _region_headers(region)
    grid: list[list[object]] = [[f"{v.TAB_TITLE} {region}"]]
    if layout is None:
        grid += [_section_row(headers), list(headers)]
    elif layout.header_row == 3:
        grid += [_trimmed(list(layout.sections)), list(layout.headers)]
    else:
        grid.append(list(layout.headers))
    # Its own stream: the appendix's variants never change what the spec's layout holds.
    appendix_rng = random.Random(f"demodata:{seed}:{region}:appendix")
    # Separate streams: which rows go wrong never changes what the clean rows contain.
    mistakes_rng = random.Random(f"demodata:{seed}:{region}:mistakes")
    repeats_rng = random.Random(f"demodata:{seed}:{region}:repeats")
    open_rows = [i for i in range(rows.count) if i not in rows.cancelled]
    wrong = set(mistakes_rng.sample(open_rows, min(len(open_rows), round(error_rate * rows.count))))
    left = [i for i in open_rows if i not in wrong]
    repeats = (
        set(repeats_rng.sample(left, min(len(left), round(duplicate_rate * rows.count))))
        if people
        else set()
    )
    found: list[_Person] = []
    for index, (record, meta) in enumerate(rows.records()):
        if index in rows.blank_before:
            grid.append([])
        kinds: tuple[str, ...] = ()
        if index in wrong:
            kinds = (m.inject_one(record, meta, mistakes_rng.random),)
        elif index in repeats:
            _repeat(
                record, people[int(repeats_rng.random() * len(people))], meta.start, repeats_rng
            )
            kinds = (m.DUPLICATE,)
        elif index not in rows.cancelled:
            found.append(
                _Person(meta.pin, meta.birth, tuple(record.get(c, "") for c in PERSON_HEADERS))
            )
        if layout is None:
            grid.append(_layout(record, headers))
        else:
            laid = appendix.appendix_record(
                record,
                region=region,
                start=meta.start,
                end=meta.end,
                kinds=kinds,
                draw=appendix_rng.random,
                result_status=h.RESULT_STATUS in layout.columns,
            )
            grid.append(_trimmed(appendix.lay_out(laid, layout.columns)))
        truth[(region, len(grid))] = kinds
    people.extend(found)
    return grid


def _repeat(record: Record, person: _Person, start: date, rng: random.Random) -> None:
    """
    Turns a row into a later registration of an earlier person: same PIN, name, address and
    enterprise, the PIN perhaps typed another way, the age as of this activity.
    """
    record.update(zip(PERSON_HEADERS, person.cells, strict=True))
    record[h.NATIONAL_ID] = pin_cell(rng.random, person.pin)
    record[h.AGE] = age_on(person.birth, start)


def _region_headers(region: str) -> tuple[str, ...]:
    if region != _REORDERED_REGION:
        return INPUT_HEADERS
    headers = list(INPUT_HEADERS)
    a, b = headers.index(h.SUBDISTRICT), headers.index(h.DISTRICT)
    headers[a], headers[b] = headers[b], headers[a]
    headers.insert(headers.index(h.GENDER) + 1, LOCAL_NOTE_HEADER)
    return tuple(headers)


def _section_row(headers: tuple[str, ...]) -> list[object]:
    row: list[object] = [""] * len(headers)
    for first, label in _SECTIONS:
        row[headers.index(first)] = label
    return _trimmed(row)


def _layout(record: Record, headers: tuple[str, ...]) -> list[object]:
    return _trimmed([record.get(c, "") for c in headers])


def _trimmed(row: list[object]) -> list[object]:
    # The Sheets API leaves out trailing empty cells, and a wholly empty row comes back as [].
    while row and row[-1] == "":
        row.pop()
    return row


def _options_tab() -> list[list[object]]:
    lists = options_lists()
    depth = max(len(values) for values in lists.values())
    grid: list[list[object]] = [list(lists)]
    for i in range(depth):
        grid.append(_trimmed([values[i] if i < len(values) else "" for values in lists.values()]))
    return grid


def _people_tab(
    title: str, fiscal_year: int, regions: Sequence[str], rows_per_region: int
) -> list[list[object]]:
    grid: list[list[object]] = [
        ["สรุปผลการดำเนินงานโครงการ"],
        ["กิจกรรม", title],
        ["ปีงบประมาณ", fiscal_year],
        ["เป้าหมาย", "1 กลุ่ม ๆ ละ 20 ราย"],
        [],
        ["หน่วยงาน", "จำนวนที่รายงาน (ราย)", "หมายเหตุ"],
    ]
    grid.extend([region, rows_per_region] for region in regions)
    grid.extend([[], ["ผู้รับผิดชอบ", "กข."], ["กรอกโดยเจ้าหน้าที่ กรุณาอย่าแก้ไข"]])
    return grid
