"""
The target profiles a spreadsheet's summary is judged against, as configuration data.

Two profiles are built in (domain spec §6), each a TOML file in `kpi/profiles/`:
`manual-2567`, the operating manual's §7 work standard and Milestone level 3, and `tor-2569`,
the stricter targets of the 2026 terms of reference for the Cluster 4.0 digital activity (its
§7; it has no milestone indicator). Numbers are data: a third profile is another TOML file (or
a `[profiles.NAME]` table of the configuration), read by `TargetProfile.from_mapping`.

"Per group" means per group / network (domain spec §6, correction; manual §7, "จำนวน ๑ กลุ่ม ๆ
ละ ๒๐ ราย"): each group the rows name is held to the target; a spreadsheet whose rows name no
group is one group. Shares are taken over every counted enterprise or participant, and a
target whose data covers under half its base is "ข้อมูลไม่พอ", never met.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kpi.figures import GroupFigures, RegionFigures, Share

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
        milestone_share: Share (%) for Milestone level 3, or None (the default) when not a
            target.
        economic_value_parts: Which yearly baht figures economic value adds up (`waste`,
            `cost`, `sales`, `income`, `product_value`); the seeds give no total formula.
    """

    name: str
    enterprises_per_group: int = 20
    unique_participants: int | None = None
    satisfaction_measure: SatisfactionMeasure = "share"
    satisfaction_target: Decimal = Decimal(80)
    satisfied_at: Decimal = Decimal(80)
    outcome_share: Decimal = Decimal(80)
    milestone_share: Decimal | None = None
    economic_value_parts: tuple[str, ...] = ("waste", "cost", "sales", "product_value")

    def __post_init__(self) -> None:
        """
        Reject a profile that could not be evaluated, naming the offending field.
        """
        unknown = sorted(set(self.economic_value_parts) - set(ECONOMIC_PART_NAMES))
        if unknown:
            raise ValueError(
                f"Target profile {self.name!r}: economic_value_parts has {unknown}; use only "
                f"{', '.join(ECONOMIC_PART_NAMES)}."
            )
        if self.satisfaction_measure not in ("share", "average"):
            raise ValueError(
                f"Target profile {self.name!r}: satisfaction_measure must be 'share' or "
                f"'average', not {self.satisfaction_measure!r}."
            )
        for field_name in ("enterprises_per_group", "unique_participants"):
            count = getattr(self, field_name)
            if count is not None and count < 0:
                raise ValueError(
                    f"Target profile {self.name!r}: {field_name} is {count}; a count of at least 0."
                )
        for field_name in (
            "satisfaction_target",
            "satisfied_at",
            "outcome_share",
            "milestone_share",
        ):
            percent = getattr(self, field_name)
            if percent is not None and not 0 <= percent <= 100:
                raise ValueError(
                    f"Target profile {self.name!r}: {field_name} is {percent}; a percentage "
                    "from 0 to 100 (no target could be met, or every one would be)."
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
            elif key == "economic_value_parts":
                if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
                    raise ValueError(
                        f"Target profile {name!r}: economic_value_parts must be a list of names."
                    )
                values[key] = tuple(raw)
            else:
                values[key] = _decimal(name, key, raw)
        return cls(name, **values)  # type: ignore[arg-type]


ECONOMIC_PART_NAMES: tuple[str, ...] = ("waste", "cost", "sales", "income", "product_value")
"""The yearly baht figures a profile's economic value may add up."""

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


PROFILE_DIR = Path(__file__).with_name("profiles")
"""Where the built-in profiles live, one TOML file each (`<name>.toml`)."""


def load_profiles(folder: Path = PROFILE_DIR) -> dict[str, TargetProfile]:
    """
    Read every `<name>.toml` of a folder as a profile of that name.
    """
    profiles = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            profiles[path.stem] = TargetProfile.from_mapping(path.stem, tomllib.load(handle))
    return profiles


PROFILES: Mapping[str, TargetProfile] = MappingProxyType(load_profiles())
"""The built-in profiles by name (domain spec §6): `manual-2567` and `tor-2569`."""


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
    note: str = ""
    """Coverage (`มีข้อมูล 3/20`), which groups, or why the target cannot be judged."""
    sufficient: bool = True
    """False while the data covers under half its base: the target is `ข้อมูลไม่พอ`."""

    @property
    def verdict(self) -> str:
        """The judgement as the summary writes it (Thai)."""
        if not self.sufficient:
            return "ข้อมูลไม่พอ"
        if self.met is None:
            return "คำนวณไม่ได้"
        return "ผ่านเกณฑ์" if self.met else "ยังไม่ผ่านเกณฑ์"


def _percent_text(value: Decimal) -> str:
    """
    Write a configured percentage without trailing zeros (80, not 80.00) for a label.
    """
    return f"{value.normalize():f}"


def _result(
    name: str,
    label: str,
    actual: Decimal | int | None,
    target: Decimal | int,
    note: str = "",
    exact: Decimal | None = None,
) -> TargetResult:
    """
    Compare an actual figure with its target: met when it is at least the target. `exact` is
    the figure before rounding, when `actual` is rounded: the one judged (§4: round only when
    writing; an average of 89.995 shows as 90.00 but does not reach 90).
    """
    judged = exact if exact is not None else actual
    met = None if judged is None else judged >= target
    return TargetResult(name, label, actual, target, met, note or _why_not(actual))


def _why_not(actual: object) -> str:
    """Why a target has no figure."""
    return "ยังไม่มีแถวที่นับได้" if actual is None else ""


def _shared(name: str, label: str, share: Share, target: Decimal) -> TargetResult:
    """
    Judge a share over its whole base; under half the base with data, it is not judged.
    """
    if share.base == 0:
        return TargetResult(name, label, None, target, None, "ยังไม่มีแถวที่นับได้")
    if not share.sufficient:
        return TargetResult(name, label, share.percent, target, None, share.coverage, False)
    # Judged on the exact share, not the rounded one it shows (§4: round only when writing).
    return TargetResult(name, label, share.percent, target, share.reaches(target), share.coverage)


def _per_group(total: RegionFigures, groups: Sequence[GroupFigures], target: int) -> TargetResult:
    """
    Enterprises per group: every group named in the rows must reach the target; a sheet whose
    rows name no group is one group.
    """
    label = "จำนวนวิสาหกิจที่ได้รับการพัฒนา (ราย/กลุ่ม)"
    named = [g for g in groups if g.name is not None]
    if not named:
        note = "ไม่ได้ระบุกลุ่ม: นับทั้งแฟ้มเป็น 1 กลุ่ม" if total.counted else ""
        return _result("enterprises_per_group", label, total.unique_enterprises, target, note)
    reached = sum(1 for g in named if g.enterprises >= target)
    smallest = min(g.enterprises for g in named)
    note = f"กลุ่มที่ถึงเป้า {reached}/{len(named)} (น้อยที่สุด {smallest} ราย)"
    return TargetResult(
        "enterprises_per_group", label, smallest, target, reached == len(named), note
    )


def evaluate_targets(
    total: RegionFigures, profile: TargetProfile, groups: Sequence[GroupFigures] = ()
) -> tuple[TargetResult, ...]:
    """
    Judge the spreadsheet's figures against every target of the profile, in table order.
    """
    results = [_per_group(total, groups, profile.enterprises_per_group)]
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
            _shared(
                "satisfied_share",
                "ร้อยละของผู้รับบริการที่มีความพึงพอใจไม่น้อยกว่าร้อยละ " + _percent_text(profile.satisfied_at),
                total.satisfied,
                profile.satisfaction_target,
            )
        )
    else:
        average = _result(
            "satisfaction_average",
            "ความพึงพอใจเฉลี่ยของผู้รับบริการ (ร้อยละ)",
            total.satisfaction_average,
            profile.satisfaction_target,
            total.satisfied.coverage if total.satisfied.base else "",
            exact=total.satisfaction_exact,
        )
        if total.satisfied.base and not total.satisfied.sufficient:
            average = dataclasses.replace(average, met=None, sufficient=False)
        results.append(average)
    results.append(
        _shared(
            "outcome_productivity_share",
            "ร้อยละของวิสาหกิจที่มีผลิตภาพเพิ่มขึ้นไม่น้อยกว่าร้อยละ 10",
            total.productivity,
            profile.outcome_share,
        )
    )
    if profile.milestone_share is not None:
        results.append(
            _shared(
                "milestone_level_3",
                "ขั้นความสำเร็จระดับ 3: ร้อยละของวิสาหกิจที่มีผลิตภาพเพิ่มขึ้นไม่น้อยกว่าร้อยละ 10",
                total.productivity,
                profile.milestone_share,
            )
        )
    return tuple(results)
