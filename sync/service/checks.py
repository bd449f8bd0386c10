"""
`sheetsync check-config`: everything a service start would trip over, found before it starts.

`load_config` already explains each schema problem on one line; this adds what only a
service needs: cron lines that parse, a key file that exists and only its owner can read,
folders where the run history and the locks can be kept, and at least one spreadsheet.
`--online` then asks each spreadsheet itself.
"""

from __future__ import annotations

from pathlib import Path

import rules
from rules import headers as h
from sync.backends.base import SheetsBackend, quote_title
from sync.core.errors import (
    AuthenticationFailed,
    CannotReachGoogle,
    ConfigError,
    EmulatorUnavailable,
    PermissionDenied,
    SyncError,
)
from sync.core.layout import match_titles
from sync.core.settings import Config, SpreadsheetConfig, load_config
from sync.run.paths import folder_problem
from sync.run.runner import check_key_permissions
from sync.service.scheduler import parse_cron, schedules_of


def _cron_problems(config: Config, source: str) -> list[str]:
    problems = []
    defaults = config.defaults
    for field, line in (("schedule", defaults.schedule), ("nightly", defaults.nightly)):
        if line:
            try:
                parse_cron(line)
            except ValueError as exc:
                origin = config.source_of(f"defaults.{field}", source)
                problems.append(f"{origin}: defaults.{field}: {exc}")
    for sheet in config.spreadsheets:
        for field, line in (("schedule", sheet.schedule), ("nightly", sheet.nightly)):
            if line:
                try:
                    parse_cron(line)
                except ValueError as exc:
                    problems.append(f"{source}: spreadsheets[{sheet.id}].{field}: {exc}")
    return problems


def _history_file_problem(path: Path) -> str | None:
    """Why an existing file at the history's path cannot be the history (None: it can)."""
    if not path.exists():
        return None
    if not path.is_file():
        return "it is a folder, not a file"
    with path.open("rb") as handle:
        start = handle.read(16)
    if start and start != b"SQLite format 3\x00":
        return "the file there is not a run history (not an SQLite database)"
    return None


def problems_of(config: Config, source: str) -> list[str]:
    """
    What would stop the service, one line each; empty when it can start.
    """
    problems = _cron_problems(config, source)
    service = config.service
    for name, path, folder in (
        ("history", service.history, service.history.parent),
        ("lock_dir", service.lock_dir, service.lock_dir),
    ):
        why = folder_problem(folder)
        if why is None and name == "history":
            why = _history_file_problem(path)
        if why is not None:
            origin = config.source_of(f"service.{name}", source)
            problems.append(
                f"{origin}: service.{name}: {path} cannot be kept there ({why}) — fix the path"
            )
    if not config.spreadsheets:
        problems.append(
            f"{source}: spreadsheets: none listed — add a [[spreadsheets]] block with id and label"
        )
    if service.credentials is not None:
        origin = config.source_of("service.credentials", source)
        if not service.credentials.is_file():
            problems.append(
                f"{origin}: service.credentials: {service.credentials} does not exist — "
                "put the service-account key there or fix the path"
            )
        else:
            warning = check_key_permissions(service.credentials)
            if warning:
                problems.append(f"{origin}: service.credentials: {warning}")
            else:  # (a placeholder such as credentials.example.json is no key: `run` says so)
                from sync.backends.gspread_backend import load_credentials

                try:
                    load_credentials(service.credentials)
                except AuthenticationFailed as exc:
                    problems.append(f"{origin}: service.credentials: {exc}")
    elif service.endpoint is None:
        problems.append(
            f"{source}: service.credentials: not set — set it to the service-account key file "
            "(only an emulator endpoint works without one)"
        )
    return problems


def summary_of(config: Config) -> list[str]:
    """
    A short description of what the service would do with this configuration.
    """
    service = config.service
    lines = [
        f"{len(config.spreadsheets)} spreadsheet(s); endpoint: {service.endpoint or 'Google'}",
        f"quotas: {service.reads_per_minute} reads + {service.writes_per_minute} writes "
        "per minute (shared by all spreadsheets)",
        f"history: {service.history}; locks: {service.lock_dir}",
    ]
    for sheet in config.spreadsheets:
        schedule = " + ".join(schedules_of(config, sheet)) or "no schedule (checkbox only)"
        profile = sheet.profile or config.defaults.profile
        year = sheet.fiscal_year or config.defaults.fiscal_year
        name = sheet.label or sheet.id
        lines.append(f"  {name} ({sheet.id}): {schedule}; {profile}; fiscal year {year}")
    return lines


def check_config(path: Path | None) -> list[str]:
    """
    The summary lines of a valid configuration; ConfigError with one problem per line if not.
    """
    config = load_config(path)
    problems = problems_of(config, str(path) if path is not None else "environment")
    if problems:
        raise ConfigError("\n".join(problems))
    return summary_of(config)


def _account_of(config: Config) -> str:
    """The service account's e-mail, to say whom a sheet must be shared with."""
    import json

    path = config.service.credentials
    if path is None:
        return "the service account"
    try:
        email = json.loads(path.read_text(encoding="utf-8")).get("client_email")
    except (OSError, ValueError, AttributeError):
        return "the service account"
    return str(email) if email else "the service account"


def _sheet_problems(backend: SheetsBackend, config: Config, sheet: SpreadsheetConfig) -> list[str]:
    """What stops this spreadsheet's first run, read in two requests; empty when it can run."""
    from sync.run.runner import RunRequest, settings_for

    settings = settings_for(config, RunRequest(spreadsheet_id=sheet.id))
    info = backend.read_info(sheet.id)
    titles = [tab.title for tab in info.sheets]
    found = match_titles([*settings.regions, h.OPTIONS_TAB], titles)
    problems = [f"no tab {name!r}" for name, title in found.items() if title is None]
    present = [title for name, title in found.items() if title and name != h.OPTIONS_TAB]
    if present:
        section_row = settings.header_row - 1
        ranges = [f"{quote_title(t)}!{section_row}:{settings.header_row}" for t in present]
        for title, grid in zip(present, backend.read_ranges(sheet.id, ranges), strict=True):
            sections = grid[0] if grid else []
            header = grid[1] if len(grid) > 1 else []
            missing = rules.map_headers(header, sections).missing_required
            if missing:
                names = ", ".join(repr(m) for m in missing)
                problems.append(
                    f"tab {title!r} has no column {names} in header row {settings.header_row}"
                )
    return problems


def check_online(config: Config) -> tuple[list[str], list[str]]:
    """
    Each spreadsheet asked what an operator asks before the first scheduled run: is it
    reachable, shared with the service account, and does it have its tabs and headers?

    Returns (one line per good spreadsheet, one line per problem). Two read requests each.
    """
    from sync.run.runner import open_backend

    good: list[str] = []
    problems: list[str] = []
    account = _account_of(config)
    try:
        with open_backend(config) as backend:
            for sheet in config.spreadsheets:
                name = f"{sheet.label or sheet.id} ({sheet.id})"
                try:
                    found = _sheet_problems(backend, config, sheet)
                except PermissionDenied:
                    problems.append(f"{name}: not shared with {account} — share it as Editor")
                    continue
                except SyncError as exc:
                    problems.append(f"{name}: {type(exc).__name__}: {' '.join(str(exc).split())}")
                    if isinstance(exc, EmulatorUnavailable | CannotReachGoogle):
                        break  # the same answer for every other spreadsheet
                    continue
                if found:
                    problems.extend(f"{name}: {problem}" for problem in found)
                else:
                    good.append(f"  {name}: reachable, shared, tabs and headers in place")
    except SyncError as exc:
        problems.append(f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    return good, problems
