"""
`sheetsync check-config`: everything a service start would trip over, found before it starts.

`load_config` already explains each schema problem on one line; this adds what only a
service needs: cron lines that parse, a key file that exists and only its owner can read,
and at least one spreadsheet.
"""

from __future__ import annotations

from pathlib import Path

from sync.config import Config, load_config
from sync.errors import ConfigError
from sync.runner import check_key_permissions
from sync.service.scheduler import parse_cron, schedules_of


def _cron_problems(config: Config, source: str) -> list[str]:
    problems = []
    defaults = config.defaults
    for field, line in (("schedule", defaults.schedule), ("nightly", defaults.nightly)):
        if line:
            try:
                parse_cron(line)
            except ValueError as exc:
                problems.append(f"{source}: defaults.{field}: {exc}")
    for sheet in config.spreadsheets:
        for field, line in (("schedule", sheet.schedule), ("nightly", sheet.nightly)):
            if line:
                try:
                    parse_cron(line)
                except ValueError as exc:
                    problems.append(f"{source}: spreadsheets[{sheet.id}].{field}: {exc}")
    return problems


def problems_of(config: Config, source: str) -> list[str]:
    """
    What would stop the service, one line each; empty when it can start.
    """
    problems = _cron_problems(config, source)
    service = config.service
    if not config.spreadsheets:
        problems.append(
            f"{source}: spreadsheets: none listed — add a [[spreadsheets]] block with id and label"
        )
    if service.credentials is not None:
        if not service.credentials.is_file():
            problems.append(
                f"{source}: service.credentials: {service.credentials} does not exist — "
                "put the service-account key there or fix the path"
            )
        else:
            warning = check_key_permissions(service.credentials)
            if warning:
                problems.append(f"{source}: service.credentials: {warning}")
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
