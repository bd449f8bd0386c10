"""
The target profiles a spreadsheet's summary is judged against, as configuration data.

Two profiles are built in (domain spec §6): `manual-2567`, the operating manual's §7 work
standard and Milestone level 3, and `tor-2569`, the stricter targets of the 2026 terms of
reference for the Cluster 4.0 digital activity (its §7). Numbers are data: build another
profile with `TargetProfile(...)`, `dataclasses.replace` or `TargetProfile.from_mapping`.

"Per group": one spreadsheet holds one activity, run for one cluster group (manual §7, "จำนวน
๑ กลุ่ม ๆ ละ ๒๐ ราย"; terms of reference §7, "จำนวน ๑ กลุ่มอุตสาหกรรม กลุ่มละ ๒๐ กิจการ"), so
the enterprises-per-group target is met by the spreadsheet's total of unique enterprises; a
region's own count is shown in its row of the summary but is not held to the target.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kpi.aggregate import RegionFigures

SatisfactionMeasure = Literal["share", "average"]
"""How satisfaction is judged: share of respondents at a level, or the average of all."""


@dataclass(frozen=True, slots=True)
class TargetProfile:
    """
    One set of targets; every threshold is a number so a profile can come from configuration.

    Attributes:
        name: Identifier chosen per spreadsheet, e.g. `manual-2567`.
        enterprises_per_group: Unique enterprises the group must develop.
        unique_participants: Unique participants required, or None when not a target.
        satisfaction_measure: `share` (share of respondents at `satisfied_at` or more) or
            `average` (mean individual satisfaction).
        satisfaction_target: The percentage the measure must reach.
        satisfied_at: Individual satisfaction % at which a respondent counts as satisfied.
        outcome_share: Share (%) of enterprises that must improve productivity by ≥ 10 %.
        milestone_share: Share (%) for Milestone level 3, or None when not a target.
    """

    name: str
    enterprises_per_group: int = 20
    unique_participants: int | None = None
    satisfaction_measure: SatisfactionMeasure = "share"
    satisfaction_target: Decimal = Decimal(80)
    satisfied_at: Decimal = Decimal(80)
    outcome_share: Decimal = Decimal(80)
    milestone_share: Decimal | None = Decimal(70)

    def __post_init__(self) -> None:
        """
        Reject a profile that could not be evaluated, naming the offending field.
        """
        if self.satisfaction_measure not in ("share", "average"):
            raise ValueError(
                f"Target profile {self.name!r}: satisfaction_measure must be 'share' or "
                f"'average', not {self.satisfaction_measure!r}."
            )

    @classmethod
    def from_mapping(cls, name: str, data: Mapping[str, object]) -> TargetProfile:
        """
        Build a profile from configuration (e.g. a TOML table); missing keys keep the defaults.

        Numbers may be given as int, float or text; `unique_participants` and
        `milestone_share` may be omitted or null to drop that target.
        """
        known = {field.name for field in dataclasses.fields(cls)} - {"name"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"Target profile {name!r} has unknown keys {unknown}; use only {sorted(known)}."
            )
        values: dict[str, object] = {}
        for key, raw in data.items():
            if raw is None and key not in _OPTIONAL_TARGETS:
                raise ValueError(f"Target profile {name!r}: {key} needs a value, not null.")
            if key in ("enterprises_per_group", "unique_participants"):
                values[key] = _whole(name, key, raw)
            elif key == "satisfaction_measure":
                values[key] = raw
            else:
                values[key] = _decimal(name, key, raw)
        return cls(name, **values)  # type: ignore[arg-type]


_OPTIONAL_TARGETS = frozenset({"unique_participants", "milestone_share"})
"""Targets a profile may leave out (null in configuration)."""


def _decimal(profile: str, key: str, raw: object) -> Decimal | None:
    """
    Read a configured percentage, or None when it is null.
    """
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError(f"Target profile {profile!r}: {key} must be a number, not {raw!r}.")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(
            f"Target profile {profile!r}: {key} must be a number, not {raw!r}."
        ) from None
    if not value.is_finite():
        raise ValueError(f"Target profile {profile!r}: {key} must be finite, not {raw!r}.")
    return value


def _whole(profile: str, key: str, raw: object) -> int | None:
    """
    Read a configured count, or None when it is null.
    """
    value = _decimal(profile, key, raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueError(f"Target profile {profile!r}: {key} must be a whole number, not {raw!r}.")
    return int(value)


MANUAL_2567 = TargetProfile(
    name="manual-2567",
    enterprises_per_group=20,
    unique_participants=None,
    satisfaction_measure="share",
    satisfaction_target=Decimal(80),
    satisfied_at=Decimal(80),
    outcome_share=Decimal(80),
    milestone_share=Decimal(70),
)
"""Operating manual §7: 20 per group; 80 % satisfied at ≥ 80 %; 80 % improved; Milestone 70 %."""

TOR_2569 = TargetProfile(
    name="tor-2569",
    enterprises_per_group=20,
    unique_participants=40,
    satisfaction_measure="average",
    satisfaction_target=Decimal(90),
    satisfied_at=Decimal(80),
    outcome_share=Decimal(90),
    milestone_share=Decimal(70),
)
"""Terms of reference 2569 §7: 20 per group; 40 participants; average satisfaction ≥ 90 %; 90 %."""

PROFILES: Mapping[str, TargetProfile] = MappingProxyType(
    {MANUAL_2567.name: MANUAL_2567, TOR_2569.name: TOR_2569}
)
"""The built-in profiles by name (domain spec §6)."""


@dataclass(frozen=True, slots=True)
class TargetResult:
    """
    One target of the profile: the actual figure, the target, and whether it is met.

    `name` is a stable English id (for code and formatting), `label` the Thai text shown in the
    summary; `met` is None when the actual figure cannot be computed (no data yet).
    """

    name: str
    label: str
    actual: Decimal | int | None
    target: Decimal | int
    met: bool | None


def _percent_text(value: Decimal) -> str:
    """
    Write a configured percentage without trailing zeros (80, not 80.00) for a label.
    """
    return f"{value.normalize():f}"


def _result(
    name: str, label: str, actual: Decimal | int | None, target: Decimal | int
) -> TargetResult:
    """
    Compare an actual figure with its target: met when it is at least the target.
    """
    met = None if actual is None else actual >= target
    return TargetResult(name=name, label=label, actual=actual, target=target, met=met)


def evaluate_targets(total: RegionFigures, profile: TargetProfile) -> tuple[TargetResult, ...]:
    """
    Judge the spreadsheet's total figures against every target of the profile, in table order.
    """
    results = [
        _result(
            "enterprises_per_group",
            "จำนวนวิสาหกิจที่ได้รับการพัฒนา (ราย/กลุ่ม)",
            total.unique_enterprises,
            profile.enterprises_per_group,
        )
    ]
    if profile.unique_participants is not None:
        results.append(
            _result(
                "unique_participants",
                "จำนวนผู้เข้าร่วมกิจกรรม (ราย)",
                total.unique_participants,
                profile.unique_participants,
            )
        )
    if profile.satisfaction_measure == "share":
        results.append(
            _result(
                "satisfied_share",
                "ร้อยละของผู้รับบริการที่มีความพึงพอใจไม่น้อยกว่าร้อยละ " + _percent_text(profile.satisfied_at),
                total.satisfied_share,
                profile.satisfaction_target,
            )
        )
    else:
        results.append(
            _result(
                "satisfaction_average",
                "ความพึงพอใจเฉลี่ยของผู้รับบริการ (ร้อยละ)",
                total.satisfaction_average,
                profile.satisfaction_target,
            )
        )
    results.append(
        _result(
            "outcome_productivity_share",
            "ร้อยละของวิสาหกิจที่มีผลิตภาพเพิ่มขึ้นไม่น้อยกว่าร้อยละ 10",
            total.productivity_share,
            profile.outcome_share,
        )
    )
    if profile.milestone_share is not None:
        results.append(
            _result(
                "milestone_level_3",
                "ขั้นความสำเร็จระดับ 3: ร้อยละของวิสาหกิจที่มีผลิตภาพเพิ่มขึ้นไม่น้อยกว่าร้อยละ 10",
                total.productivity_share,
                profile.milestone_share,
            )
        )
    return tuple(results)
