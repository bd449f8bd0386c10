"""
Target profiles (domain spec §6) and the judgement of the total figures against them.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from kpi import PROFILES, RowOutcome, TargetProfile, TargetResult, summarise

from .sample import REGIONS

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
            milestone_share=D(70),
        ),
    } == dict(PROFILES)


def test_manual_targets(outcomes: list[RowOutcome]) -> None:
    """The sample spreadsheet (4 enterprises, 75 % satisfied, 66.67 % improved) misses them all."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["manual-2567"])
    assert (
        TargetResult("enterprises_per_group", ENTERPRISES, 4, 20, False),
        TargetResult("satisfied_share", SATISFIED_80, D("75.00"), D(80), False),
        TargetResult("outcome_productivity_share", OUTCOME, D("66.67"), D(80), False),
        TargetResult("milestone_level_3", MILESTONE, D("66.67"), D(70), False),
    ) == summary.targets


def test_tor_targets(outcomes: list[RowOutcome]) -> None:
    """The 2569 profile adds unique participants and judges the average satisfaction."""
    summary = summarise(outcomes, regions=REGIONS, profile=PROFILES["tor-2569"])
    assert (
        TargetResult("enterprises_per_group", ENTERPRISES, 4, 20, False),
        TargetResult("unique_participants", PARTICIPANTS, 6, 40, False),
        TargetResult("satisfaction_average", AVERAGE, D("82.78"), D(90), False),
        TargetResult("outcome_productivity_share", OUTCOME, D("66.67"), D(90), False),
        TargetResult("milestone_level_3", MILESTONE, D("66.67"), D(70), False),
    ) == summary.targets


def test_targets_met_at_the_edge(outcomes: list[RowOutcome]) -> None:
    """A figure equal to its target meets it; a dropped target is not listed."""
    profile = TargetProfile(
        name="edge",
        enterprises_per_group=4,
        unique_participants=6,
        satisfaction_measure="average",
        satisfaction_target=D("82.78"),
        outcome_share=D("66.67"),
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
    assert [(target.actual, target.met) for target in summary.targets] == [
        (0, False),
        (None, None),
        (None, None),
        (None, None),
    ]


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
    # 100 and 91.11 of (100, 80, 60, 91.11) are ≥ 85: 2 ÷ 4 = 50 %.
    assert (
        "ร้อยละของผู้รับบริการที่มีความพึงพอใจไม่น้อยกว่าร้อยละ 85",
        D("50.00"),
    ) == (summary.targets[1].label, summary.targets[1].actual)
