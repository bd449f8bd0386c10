"""
Configuration: one TOML file, validated with pydantic, every field overridable by environment.

A new spreadsheet needs three lines (`[[spreadsheets]]`, `id`, `label`); everything else has
a default in `[defaults]`. Environment variables override the file:
`SHEETSYNC_SERVICE__ENDPOINT`, `SHEETSYNC_DEFAULTS__FISCAL_YEAR`, … (section, two
underscores, field), and `GOOGLE_APPLICATION_CREDENTIALS` for the key file.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

import kpi
from rules import headers as h
from rules.parse import BE_OFFSET
from sync.core.errors import ConfigError
from sync.core.layout import normalise_title

ENV_PREFIX = "SHEETSYNC_"

_SHEET_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_SHEET_ID = re.compile(r"[A-Za-z0-9_-]+")


def spreadsheet_id_from(text: str) -> str:
    """
    The spreadsheet id in an id or in a pasted sheet URL (`…/spreadsheets/d/ID/edit#gid=0`).

    Anything else is refused here, before it becomes a request, a lock file or a history row.
    """
    text = text.strip()
    found = _SHEET_URL.search(text)
    if found:
        return found[1]
    if _SHEET_ID.fullmatch(text):
        return text
    raise ValueError(
        f"{text!r} is neither a spreadsheet id nor a sheet's URL "
        "(https://docs.google.com/spreadsheets/d/ID/…)"
    )


FISCAL_YEAR_MIN = 2500
FISCAL_YEAR_MAX = 2700
"""Fiscal years taken, in the Buddhist Era (2567 BE = 2024 CE): a year outside is a mistake."""


def check_fiscal_year(year: int) -> int:
    """The year when it is a fiscal year of the Buddhist Era; ValueError naming what to fix."""
    if FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
        return year
    hint = ""
    if FISCAL_YEAR_MIN <= year + BE_OFFSET <= FISCAL_YEAR_MAX:
        hint = (
            f"; {year} looks like a year of the Christian Era: "
            f"{year} + {BE_OFFSET} = {year + BE_OFFSET}"
        )
    raise ValueError(
        f"{year} is not a fiscal year of the Buddhist Era "
        f"({FISCAL_YEAR_MIN}-{FISCAL_YEAR_MAX}, e.g. 2567){hint}"
    )


def check_endpoint(value: str) -> str:
    """The endpoint without its trailing slash; ValueError naming what to fix in the URL."""
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not value.startswith(parts.scheme + "://"):
        raise ValueError(
            f"{value!r} must start with http:// or https:// (e.g. http://127.0.0.1:8765)"
        )
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host name")
    try:
        parts.port  # noqa: B018 - urllib checks the port only when it is read
    except ValueError:
        raise ValueError(f"{value!r}: the port must be a number from 1 to 65535") from None
    if parts.query or parts.fragment:
        raise ValueError(f"{value!r}: an endpoint has no ?query or #fragment")
    return value.rstrip("/")


def check_regions(regions: list[str]) -> list[str]:
    """
    The regional tabs' titles when there is at least one, each given once and not blank: a
    list that names none would sync nothing, and a tab named twice would be counted twice.
    """
    if not regions:
        raise ValueError(
            "names no tab: list the regional tabs' titles (e.g. ['ศก.1', 'ศก.2']), or leave "
            "regions out for the seven of the form"
        )
    blank = [r for r in regions if not r.strip()]
    if blank:
        raise ValueError(f"a title is blank ({regions!r}): name each regional tab")
    # Titles are matched as people type them (`ศก. 1`, `ศก.๑` are `ศก.1`: `normalise_title`),
    # so two spellings of one title are that tab twice.
    keys = [normalise_title(r) for r in regions]
    twice = sorted({r for r, key in zip(regions, keys, strict=True) if keys.count(key) > 1})
    if twice:
        raise ValueError(
            f"{', '.join(repr(r) for r in twice)} name the same tab: list each tab once"
        )
    return regions


class ServiceConfig(BaseModel):
    """How to reach the spreadsheets and where to keep local state."""

    model_config = ConfigDict(extra="forbid")

    credentials: Path | None = None
    """Service-account key file; None with an emulator endpoint."""
    endpoint: str | None = None
    """None = Google; `http://127.0.0.1:PORT` = the emulator (rehearsal)."""
    history: Path = Path("var/history.sqlite3")
    lock_dir: Path = Path("var/locks")
    reads_per_minute: int = Field(default=60, ge=1)
    """Google's default per-user read quota (https://developers.google.com/sheets/api/limits)."""
    writes_per_minute: int = Field(default=60, ge=1)
    timeout_seconds: float = Field(default=60.0, gt=0, le=3600, allow_inf_nan=False)
    """How long one request may wait for its answer (an hour at most: past a few it overflows
    the clock's arithmetic, and no answer is that slow)."""
    retry_seconds: float = Field(default=120.0, gt=0, le=86_400, allow_inf_nan=False)
    """Total time one request may spend retrying 429/5xx before the run fails (a day at most)."""
    log_level: str = "INFO"
    """DEBUG, INFO, WARNING, ERROR or CRITICAL (any case)."""
    renew_above_mib: int = Field(default=150, ge=0)
    """`sheetsync serve` starts afresh (same process, anew) once a finished run leaves it
    holding more resident memory than this many MiB; 0: never (`sync.service.renew`)."""

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        return check_endpoint(value)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        # (logging's own names: an unknown one fell back to INFO without a word)
        if value.upper() not in logging.getLevelNamesMapping():
            raise ValueError(
                f"{value!r} is not a log level: use DEBUG, INFO, WARNING, ERROR or CRITICAL"
            )
        return value


class SheetDefaults(BaseModel):
    """Settings every spreadsheet shares unless it says otherwise."""

    model_config = ConfigDict(extra="forbid")

    regions: list[str] = Field(default_factory=lambda: list(h.DEFAULT_REGION_TABS))
    profile: str = "manual-2567"
    fiscal_year: int = 2567
    header_row: int = Field(default=3, ge=2)
    """Row of the column headers (the row above holds section labels)."""
    first_data_row: int = Field(default=4, ge=3)
    schedule: str = "*/15 7-18 * * mon-fri"
    """Cron (minute hour day month weekday), Asia/Bangkok: every 15 min, 07:00–19:00, Mon–Fri."""
    nightly: str | None = "30 1 * * *"
    """One more run every night; None to disable."""

    _regions = field_validator("regions")(check_regions)
    _fiscal_year = field_validator("fiscal_year")(check_fiscal_year)


class SpreadsheetConfig(BaseModel):
    """One activity's spreadsheet; unset fields come from `[defaults]`."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    """The spreadsheet id; a pasted sheet URL is reduced to its id."""
    label: str = ""
    regions: list[str] | None = None
    profile: str | None = None
    fiscal_year: int | None = None
    header_row: int | None = Field(default=None, ge=2)
    first_data_row: int | None = Field(default=None, ge=3)
    schedule: str | None = None
    nightly: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return spreadsheet_id_from(value)

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else check_regions(value)

    @field_validator("fiscal_year")
    @classmethod
    def _fiscal_year(cls, value: int | None) -> int | None:
        return None if value is None else check_fiscal_year(value)


class Config(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid")

    service: ServiceConfig = Field(default_factory=ServiceConfig)
    defaults: SheetDefaults = Field(default_factory=SheetDefaults)
    profiles: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Custom target profiles by name (fields of `kpi.TargetProfile`)."""
    spreadsheets: list[SpreadsheetConfig] = Field(default_factory=list)
    _sources: dict[str, str] = PrivateAttr(default_factory=dict)
    """Where a setting came from (`endpoint` → `--endpoint`, the file, a variable): for errors."""

    def source_of(self, name: str, default: str = "the default") -> str:
        """Where the setting came from, in words, e.g. `from --endpoint`, or a variable of the
        environment (`$SHEETSYNC_SERVICE__…`, by `section.name`); `default` when not noted."""
        return self._sources.get(name, default)

    def set_source(self, name: str, source: str) -> None:
        """Remember where a setting came from (the CLI notes its flags here)."""
        self._sources[name] = source

    def profile(self, name: str) -> kpi.TargetProfile:
        """A built-in or custom profile by name."""
        if name in self.profiles:
            try:
                return kpi.TargetProfile.from_mapping(name, self.profiles[name])
            except (ValueError, TypeError) as exc:  # (a file not checked by `load_config`)
                raise ConfigError(f"profiles.{name}: {exc}") from None
        if name in kpi.PROFILES:
            return kpi.PROFILES[name]
        known = sorted({*kpi.PROFILES, *self.profiles})
        raise ConfigError(f"Unknown target profile {name!r}; use one of {', '.join(known)}.")

    def spreadsheet(self, spreadsheet_id: str) -> SpreadsheetConfig:
        """The configured spreadsheet with this id, or a bare one using the defaults."""
        for sheet in self.spreadsheets:
            if sheet.id == spreadsheet_id:
                return sheet
        return SpreadsheetConfig(id=spreadsheet_id)


def _env_overrides(
    data: dict[str, Any], environ: Mapping[str, str]
) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """The file's settings with the environment's over them, and which variable set each of
    those (`(section, name)` -> its name), so a problem names the variable, not the file."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    sources: dict[tuple[str, str], str] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        section, _, name = key[len(ENV_PREFIX) :].lower().partition("__")
        if section not in ("service", "defaults"):
            # As an unknown key of the file is refused: a mistyped variable would leave its
            # setting at the file's value without a word.
            raise ConfigError(
                f"${key}: no section {section!r} — the variables are "
                f"{ENV_PREFIX}SERVICE__<key> and {ENV_PREFIX}DEFAULTS__<key>"
            )
        target = merged.setdefault(section, {})
        parsed: Any = value
        if name == "regions":
            parsed = [part.strip() for part in value.split(",") if part.strip()]
        target[name] = parsed
        sources[(section, name)] = f"${key}"
    credentials = environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if credentials and "credentials" not in merged.get("service", {}):
        merged.setdefault("service", {})["credentials"] = credentials
        sources[("service", "credentials")] = "$GOOGLE_APPLICATION_CREDENTIALS"
    return merged, sources


def _explain(error: ValidationError, source: str, sources: Mapping[tuple[str, str], str]) -> str:
    lines = []
    for problem in error.errors():
        loc = problem["loc"]
        where = ".".join(str(p) for p in loc)
        said = problem["msg"]
        if problem["type"] == "value_error":  # our own words, without pydantic's "Value error, "
            said = str(problem.get("ctx", {}).get("error", said))
        origin = sources.get((str(loc[0]), str(loc[1])), source) if len(loc) >= 2 else source
        lines.append(f"{origin}: {where}: {said}")
    return "\n".join(lines)


def load_config(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
    """Read, merge the environment, validate; ConfigError explains each problem in one line."""
    env = os.environ if environ is None else environ
    data: dict[str, Any] = {}
    source = "environment"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(
                f"{path}: file not found — pass --config with an existing file."
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
    merged, env_sources = _env_overrides(data, env)
    try:
        config = Config.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, source, env_sources)) from exc
    for (section, name), variable in env_sources.items():
        config.set_source(f"{section}.{name}", variable)
    if env.get(f"{ENV_PREFIX}SERVICE__ENDPOINT"):
        config.set_source("endpoint", f"${ENV_PREFIX}SERVICE__ENDPOINT")
    elif "endpoint" in (data.get("service") or {}):
        config.set_source("endpoint", f"service.endpoint in {source}")
    for sheet in config.spreadsheets:
        config.set_source(f"id:{sheet.id}", f"[[spreadsheets]] in {source}")
    problems = []
    for name, table in config.profiles.items():  # a profile that cannot be built fails now,
        try:  # not in every run that uses it
            kpi.TargetProfile.from_mapping(name, table)
        except (ValueError, TypeError) as exc:
            problems.append(f"{source}: profiles.{name}: {exc}")
    for sheet in config.spreadsheets:
        name = sheet.profile or config.defaults.profile
        if name not in kpi.PROFILES and name not in config.profiles:
            problems.append(f"{source}: spreadsheets[{sheet.id}].profile: unknown profile {name!r}")
    rows = [("defaults", config.defaults.header_row, config.defaults.first_data_row)]
    rows += [  # (one that sets neither has the defaults' rows: said once, for the defaults)
        (
            f"spreadsheets[{sheet.id}]",
            sheet.header_row or config.defaults.header_row,
            sheet.first_data_row or config.defaults.first_data_row,
        )
        for sheet in config.spreadsheets
        if sheet.header_row is not None or sheet.first_data_row is not None
    ]
    for where, header_row, first_data_row in rows:
        if first_data_row <= header_row:
            problems.append(
                f"{source}: {where}: first_data_row {first_data_row} is not below header_row "
                f"{header_row}: the first participant's row comes after the headers' row"
            )
    ids = [s.id for s in config.spreadsheets]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{source}: spreadsheets: id {dup!r} is listed twice")
    if (
        config.defaults.profile not in kpi.PROFILES
        and config.defaults.profile not in config.profiles
    ):
        problems.append(f"{source}: defaults.profile: unknown profile {config.defaults.profile!r}")
    if problems:
        raise ConfigError("\n".join(problems))
    return config


BANGKOK = ZoneInfo("Asia/Bangkok")
"""The department's time zone: schedules, timestamps in cells, the default clock."""


@dataclass(frozen=True)
class SyncSettings:
    """What one run needs to know about one spreadsheet."""

    spreadsheet_id: str
    regions: tuple[str, ...] = h.DEFAULT_REGION_TABS
    fiscal_year: int = 2567
    profile: kpi.TargetProfile = field(default_factory=lambda: kpi.PROFILES["manual-2567"])
    options_tab: str = h.OPTIONS_TAB
    summary_tab: str = h.SUMMARY_TAB
    compiled_tab: str = h.COMPILED_TAB
    header_row: int = 3
    """Row of the column headers; the row above it holds the section labels (domain spec §3)."""
    first_data_row: int = 4
    dry_run: bool = False
    max_write_bytes: int = 2_000_000
    """Split writes into calls of about this much JSON (Google recommends at most 2 MB)."""
    max_rounds: int = 4
    """Write/verify rounds before giving up on rows people keep moving (next run finishes)."""
