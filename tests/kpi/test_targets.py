"""
Target profiles (domain spec §6) and the judgement of the total figures against them.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import msgspec
import pytest

from kpi import PROFILES, RowOutcome, TargetProfile, TargetResult, summarise
from kpi.targets import PROFILE_DIR, load_profiles
from rules import headers as h

from .sample import REGIONS, kpis, outcome

SATISFIED_80 = "ร้อยละของผู้รับบริการที่มีความพึงพอใจไม่น้อยกว่าร้อยละ 80"
OUTCOME = "ร้อยละของวิสาหกิจที่มีผลิตภาพเพิ่มขึ้นไม่น้อยกว่าร้อยละ 10"
MILESTONE = "ขั้นความสำเร็จระดับ 3: ร้อยละของวิสาหกิจที่มีผลิตภาพเพิ่มขึ้นไม่น้อยกว่าร้อยละ 10"
ENTERPRISES = "จำนวนวิสาหกิจที่ได้รับการพัฒนา (ราย/กลุ่ม)"
PARTICIPANTS = "จำนวนผู้เข้าร่วมกิจกรรม (ราย)"
AVERAGE = "ความพึงพอใจเฉลี่ยของผู้รับบริการ (ร้อยละ)"


def test_built_in_profiles() -> None:
    """The manual's §7 targets and the 2569 terms of reference's stricter ones are built in."""
    assert {
        "manual-2567": TargetProfile(
            name="manual-2567",
            enterprises_per_group=20,
            unique_participants=None,
            satisfaction_measure="share",
            satisfaction_target=D(80),
            satisfied_at=D(80),
            outcome_share=D(80),
            milestone_share=D(70),
        ),
        "tor-2569": TargetProfile(
            name="tor-2569",
            enterprises_per_group=20,
            unique_participants=40,
            satisfaction_measure="average",
            satisfaction_target=D(90),
            satisfied_at=D(80),
            outcome_share=D(90),
            milestone_share=None,  # the TOR has no milestone indicator
        ),
    } == dict(PROFILES)


def test_manual_targets(outcomes: list[RowOutcome]) -> None:
    """The sample spreadsheet (4 enterprises, 3 of 6 participants satisfied, 2 of 4 enterprises
    improved, over their whole bases) misses them all."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["manual-2567"])
    one_group = "ไม่ได้ระบุกลุ่ม: นับทั้งแฟ้มเป็น 1 กลุ่ม"
    assert (
        TargetResult("enterprises_per_group", ENTERPRISES, 4, 20, False, one_group),
        TargetResult("satisfied_share", SATISFIED_80, D("50.00"), D(80), False, "มีข้อมูล 4/6"),
        TargetResult("outcome_productivity_share", OUTCOME, D("50.00"), D(80), False, "มีข้อมูล 3/4"),
        TargetResult("milestone_level_3", MILESTONE, D("50.00"), D(70), False, "มีข้อมูล 3/4"),
    ) == summary.targets


def test_tor_targets(outcomes: list[RowOutcome]) -> None:
    """The 2569 profile adds unique participants and judges the average satisfaction."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["tor-2569"])
    one_group = "ไม่ได้ระบุกลุ่ม: นับทั้งแฟ้มเป็น 1 กลุ่ม"
    assert (
        TargetResult("enterprises_per_group", ENTERPRISES, 4, 20, False, one_group),
        TargetResult("unique_participants", PARTICIPANTS, 6, 40, False),
        TargetResult("satisfaction_average", AVERAGE, D("82.78"), D(90), False, "มีข้อมูล 4/6"),
        TargetResult("outcome_productivity_share", OUTCOME, D("50.00"), D(90), False, "มีข้อมูล 3/4"),
    ) == summary.targets


def test_targets_met_at_the_edge(outcomes: list[RowOutcome]) -> None:
    """A figure equal to its target meets it (the average's exact 82.7775, shown 82.78); a
    dropped target is not listed."""
    profile = TargetProfile(
        name="edge",
        enterprises_per_group=4,
        unique_participants=6,
        satisfaction_measure="average",
        satisfaction_target=D("82.7775"),
        outcome_share=D("50.00"),
        milestone_share=None,
    )
    summary = summarise(outcomes, regions=REGIONS, profile=profile)
    assert [(target.name, target.met) for target in summary.targets] == [
        ("enterprises_per_group", True),
        ("unique_participants", True),
        ("satisfaction_average", True),
        ("outcome_productivity_share", True),
    ]


def test_targets_without_data() -> None:
    """With no counted rows the shares are unknown (met None) and counts are 0 (not met)."""
    summary = summarise([], regions=REGIONS, profile=PROFILES["manual-2567"])
    assert [(target.actual, target.met, target.verdict) for target in summary.targets] == [
        (0, False, "ยังไม่ผ่านเกณฑ์"),
        (None, None, "คำนวณไม่ได้"),
        (None, None, "คำนวณไม่ได้"),
        (None, None, "คำนวณไม่ได้"),
    ]
    assert {"ยังไม่มีแถวที่นับได้"} == {t.note for t in summary.targets[1:]}


def test_custom_profile_by_replace() -> None:
    """A profile is plain data: replace a number to make another."""
    stricter = dataclasses.replace(PROFILES["manual-2567"], name="strict", outcome_share=D(95))
    assert (D(95), D(70)) == (stricter.outcome_share, stricter.milestone_share)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, TargetProfile("cfg")),
        (
            {
                "enterprises_per_group": "25",
                "unique_participants": 50,
                "satisfaction_measure": "average",
                "satisfaction_target": 85.5,
                "outcome_share": "90",
                "milestone_share": None,
            },
            TargetProfile(
                "cfg",
                enterprises_per_group=25,
                unique_participants=50,
                satisfaction_measure="average",
                satisfaction_target=D("85.5"),
                outcome_share=D(90),
                milestone_share=None,
            ),
        ),
    ],
)
def test_profile_from_mapping(data: dict[str, object], expected: TargetProfile) -> None:
    """A profile can be read from configuration; missing keys keep the manual's defaults."""
    assert expected == TargetProfile.from_mapping("cfg", data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": 80}, "unknown keys \\['outcome'\\]"),
        ({"outcome_share": "lots"}, "outcome_share must be a number"),
        ({"outcome_share": True}, "outcome_share must be a number"),
        ({"outcome_share": [80]}, "outcome_share must be a number"),
        ({"outcome_share": "Infinity"}, "outcome_share must be finite"),
        ({"outcome_share": None}, "outcome_share needs a value"),
        ({"enterprises_per_group": 20.5}, "enterprises_per_group must be a whole number"),
        ({"satisfaction_measure": "median"}, "satisfaction_measure must be 'share' or 'average'"),
        ({"enterprises_per_group": -5}, "enterprises_per_group is -5; a count of at least 0"),
        ({"satisfaction_target": 900}, "satisfaction_target is 900; a percentage from 0 to 100"),
        ({"milestone_share": -1}, "milestone_share is -1; a percentage from 0 to 100"),
    ],
)
def test_profile_from_mapping_refuses_bad_values(data: dict[str, object], message: str) -> None:
    """A mistyped profile fails loudly, naming the key to fix."""
    with pytest.raises(ValueError, match=message):
        TargetProfile.from_mapping("cfg", data)


def test_label_follows_configured_level(outcomes: list[RowOutcome]) -> None:
    """The satisfied-share label states the configured individual level."""
    profile = TargetProfile("p", satisfied_at=D("85.0"))
    summary = summarise(outcomes, regions=REGIONS, profile=profile)
    # 100 and 91.11 are ≥ 85, over all 6 counted participants: 2 ÷ 6 = 33.33 %.
    assert (
        "ร้อยละของผู้รับบริการที่มีความพึงพอใจไม่น้อยกว่าร้อยละ 85",
        D("33.33"),
    ) == (summary.targets[1].label, summary.targets[1].actual)


# --- hand-worked cases of domain spec §6 (correction) ----------------------------------------


def _enterprise(
    n: int,
    group: str | None,
    flag: str | None = None,
    satisfaction: str | None = None,
    number: str | None = None,
) -> RowOutcome:
    """One counted participant of its own enterprise T<n>, in ศก.1 row n."""
    return msgspec.structs.replace(
        outcome(
            "ศก.1", n, h.STATUS_PASS, f"P{n}", f"T{n}", kpis(flag=flag, satisfaction=satisfaction)
        ),
        group=group,
        group_number=number,
    )


def test_a_group_under_target_while_the_total_is_over() -> None:
    """20 enterprises in group ก and 5 in group ข: 25 ≥ 20 in total, yet ข misses the
    per-group target, so it is not met; the group table shows both."""
    rows = [_enterprise(n, "ก" if n < 20 else "ข") for n in range(25)]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["manual-2567"])
    target = summary.targets[0]
    assert (5, 20, False, "กลุ่มที่ถึงเป้า 1/2 (น้อยที่สุด 5 ราย)") == (
        target.actual,
        target.target,
        target.met,
        target.note,
    )
    assert [("ก", 20), ("ข", 5)] == [(g.name, g.enterprises) for g in summary.groups]


def test_rows_without_a_group_get_their_own_line() -> None:
    """Rows naming no group are listed last and are not held to the per-group target."""
    rows = [_enterprise(n, "ก") for n in range(20)] + [_enterprise(20 + n, None) for n in range(3)]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["manual-2567"])
    assert [("ก", 20), (None, 3)] == [(g.name, g.enterprises) for g in summary.groups]
    assert (True, "กลุ่มที่ถึงเป้า 1/1 (น้อยที่สุด 20 ราย)") == (
        summary.targets[0].met,
        summary.targets[0].note,
    )


def test_coverage_under_half_is_not_enough_data() -> None:
    """20 enterprises, only 3 with results (all improved): the share is 15 % of all 20, and
    with 3/20 known the target is `ข้อมูลไม่พอ`, neither met nor failed."""
    rows = [_enterprise(n, None, h.YES if n < 3 else None) for n in range(20)]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["manual-2567"])
    outcome_target = summary.targets[2]
    assert (D("15.00"), None, False, "ข้อมูลไม่พอ", "มีข้อมูล 3/20") == (
        outcome_target.actual,
        outcome_target.met,
        outcome_target.sufficient,
        outcome_target.verdict,
        outcome_target.note,
    )


def test_coverage_of_half_is_enough() -> None:
    """10 of 20 enterprises with results is enough data to judge (9 improved: 45 % < 80 %)."""
    rows = [_enterprise(n, None, h.YES if n < 9 else (h.NO if n < 10 else None)) for n in range(20)]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["manual-2567"])
    assert ("ยังไม่ผ่านเกณฑ์", "มีข้อมูล 10/20") == (
        summary.targets[2].verdict,
        summary.targets[2].note,
    )


def test_average_satisfaction_needs_half_the_participants() -> None:
    """tor-2569 judges the average: 1 answer of 4 participants is not enough data."""
    rows = [_enterprise(n, None, satisfaction="95" if n == 0 else None) for n in range(4)]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["tor-2569"])
    average = summary.targets[2]
    assert ("satisfaction_average", D("95.00"), "ข้อมูลไม่พอ", "มีข้อมูล 1/4") == (
        average.name,
        average.actual,
        average.verdict,
        average.note,
    )


def test_a_third_profile_is_a_toml_file(tmp_path: Path) -> None:
    """A profile is configuration: a TOML file beside the built-in ones is one more profile."""
    for built_in in PROFILE_DIR.glob("*.toml"):
        (tmp_path / built_in.name).write_bytes(built_in.read_bytes())
    (tmp_path / "region-2570.toml").write_text(
        'enterprises_per_group = 15\noutcome_share = 75\neconomic_value_parts = ["sales"]\n',
        encoding="utf-8",
    )
    profiles = load_profiles(tmp_path)
    assert {"manual-2567", "tor-2569", "region-2570"} == set(profiles)
    assert (15, D(75), ("sales",)) == (
        profiles["region-2570"].enterprises_per_group,
        profiles["region-2570"].outcome_share,
        profiles["region-2570"].economic_value_parts,
    )


def test_economic_value_parts_are_a_profile_setting() -> None:
    """The total's definition is the profile's: sales only, or every part but income."""
    values = kpis()
    values[h.SALES_INCREASE_BAHT] = D("1200")
    values[h.INCOME_INCREASE_BAHT] = D("900")
    values[h.WASTE_REDUCTION_BAHT] = D("300")
    row = outcome("ศก.1", 4, h.STATUS_PASS, "A", "T1", values)
    default = summarise([row], regions=["ศก.1"], profile=PROFILES["manual-2567"]).total
    sales_only = TargetProfile("s", economic_value_parts=("sales",))
    only = summarise([row], regions=["ศก.1"], profile=sales_only).total
    assert (D("1500.00"), D("1200.00")) == (default.economic_value, only.economic_value)
    assert (D("300.00"), D("900.00")) == (
        default.economic_parts["waste"],
        default.economic_parts["income"],
    )
    with pytest.raises(ValueError, match="economic_value_parts"):
        TargetProfile("bad", economic_value_parts=("profit",))


def test_a_group_is_one_whether_its_rows_give_its_number_its_name_or_both() -> None:
    """
    One group of 20 enterprises: 12 rows give its name and registration number, 4 only the
    name (spaced otherwise), 4 only the number. It is
    one group named by its name, and the per-group target is met; another group stays apart.
    """
    rows = [
        *(_enterprise(n, "กลุ่มสมุนไพร", number="กท-001") for n in range(12)),
        *(_enterprise(n, "กลุ่ม สมุนไพร") for n in range(12, 16)),
        *(_enterprise(n, None, number="กท-001") for n in range(16, 20)),
        *(_enterprise(n, "กลุ่มผ้าทอ", number="กท-002") for n in range(20, 40)),
    ]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["manual-2567"])
    assert [("กลุ่มผ้าทอ", 20), ("กลุ่มสมุนไพร", 20)] == [(g.name, g.enterprises) for g in summary.groups]
    assert (True, "กลุ่มที่ถึงเป้า 2/2 (น้อยที่สุด 20 ราย)") == (
        summary.targets[0].met,
        summary.targets[0].note,
    )


def test_targets_are_judged_on_exact_figures_not_the_rounded_ones_shown() -> None:
    """
    §4, round only when writing: an average satisfaction of 89.995… shows as 90.00 but does
    not reach tor-2569's 90; 17,999 of 20,000 enterprises improved (89.995 %) shows as
    90.00 % and does not reach 90 either.
    """
    answers = ["89.99", "90.00"]  # exact mean 89.995
    rows = [_enterprise(n, None, h.YES, satisfaction=answers[n]) for n in range(2)]
    summary = summarise(rows, regions=["ศก.1"], profile=PROFILES["tor-2569"])
    average = summary.targets[2]
    assert (average.name, average.actual, average.verdict) == (
        "satisfaction_average",
        D("90.00"),
        "ยังไม่ผ่านเกณฑ์",
    )
    improved = [_enterprise(n, None, h.YES if n < 17_999 else h.NO) for n in range(20_000)]
    summary = summarise(improved, regions=["ศก.1"], profile=PROFILES["tor-2569"])
    share = summary.targets[-1]
    assert (share.name, share.actual, share.verdict) == (
        "outcome_productivity_share",
        D("90.00"),
        "ยังไม่ผ่านเกณฑ์",
    )
