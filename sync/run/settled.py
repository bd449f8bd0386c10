"""
Runs that found nothing to change, remembered so that the next run of an unchanged sheet stops
after its one read.

A round's plan (`sync.core.round.plan_round`) is a pure function of the settings, of what was
read and of today's date: the time of day only stamps cells that change. So when a run's read is
byte for byte the answer an earlier run planned nothing from — same settings, same day, same
code — its plan would be empty again. The run ends there and reports that run's figures, without
decoding, checking, computing or diffing one row (issue: cost follows change).

The key is a digest of the read's bytes (`sync.core.sheet.ValuesRead`) with the settings, the
date, the planning code's files and the versions of the libraries its checks use; any edit
anywhere in the read tabs, a new day, another setting or another version of the rules or of
their data (geothai's places) changes it, and the run plans as always. Kept in memory
for the service's next run and in the run history for a new `sheetsync run` process.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sync.core.settings import SyncSettings
from sync.run.read import hint_key
from sync.run.report import RegionCounts, RunReport


@dataclass(frozen=True)
class Settled:
    """The key of a read that needed no change, and the figures the run reported from it."""

    key: str
    figures: dict[str, Any]


_SETTLED: dict[tuple[str, ...], Settled] = {}
_PLANNING_CODE = ("rules", "kpi", "sync.core")
"""Packages whose code decides a plan: a changed file there (an upgrade, an edit) re-plans."""


_CHECKING_LIBRARIES = ("python-stdnum", "phonenumberslite", "email-validator", "geothai")
"""Libraries whose releases can change a check's verdict (geothai ships data as patch releases)."""


@functools.cache
def code_fingerprint() -> str:
    """
    Size and modification time of every file of the planning code, and the versions of the
    libraries its checks use (once per process): what a kept result is only valid under.
    """
    digest = hashlib.blake2b(digest_size=16)
    for library in _CHECKING_LIBRARIES:
        try:
            digest.update(f"{library}=={version(library)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{library} absent\n".encode())
    for name in _PLANNING_CODE:
        module = importlib.import_module(name)
        for root in getattr(module, "__path__", ()):
            for path in sorted(Path(root).rglob("*")):
                if path.suffix in (".py", ".toml", ".json", ".csv") and path.is_file():
                    stat = path.stat()
                    digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def settled_key(settings: SyncSettings, digest: str, today: date) -> str:
    """The key a read is remembered under; empty (never settled) when its digest is unknown."""
    if not digest:
        return ""
    material = "\n".join(
        (code_fingerprint(), repr(replace(settings, dry_run=False)), today.isoformat(), digest)
    )
    return hashlib.blake2b(material.encode(), digest_size=16).hexdigest()


def settled_figures(settings: SyncSettings, key: str) -> dict[str, Any] | None:
    """The figures of the run that planned nothing from this very read, if one did."""
    known = _SETTLED.get(hint_key(settings))
    if not key or known is None or known.key != key:
        return None
    return known.figures


def remember_settled(settings: SyncSettings, key: str, report: RunReport) -> None:
    """Keep the key of a read the run planned nothing from, with the figures it reported."""
    if not key:
        return
    _SETTLED[hint_key(settings)] = Settled(
        key=key,
        figures={
            "title": report.title,
            "regions": {name: asdict(counts) for name, counts in report.regions.items()},
            "targets": [dict(t) for t in report.targets],
            "layout_problems": list(report.layout_problems),
            "layout_notes": list(report.layout_notes),
        },
    )


def report_settled(report: RunReport, figures: dict[str, Any]) -> None:
    """Fill a run's report with the figures of the run it found the sheet unchanged since."""
    report.title = str(figures.get("title", ""))
    report.regions = {
        name: RegionCounts(**counts) for name, counts in figures.get("regions", {}).items()
    }
    report.targets = [dict(t) for t in figures.get("targets", [])]
    report.layout_problems = list(figures.get("layout_problems", []))
    report.layout_notes = list(figures.get("layout_notes", []))


def copy_settled() -> None:
    """
    Copy every remembered read into fresh memory once a run's memory is free (the service's
    post-run step): made in the run's last round, among its garbage, the figures would keep
    the allocator's arenas of that garbage from going back to the system.
    """
    from sync.core.packed import fresh_copy

    _SETTLED.update(fresh_copy(dict(_SETTLED)))


def forget_settled() -> None:
    """Drop every remembered read (tests start as a new process would)."""
    _SETTLED.clear()


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(type(value).__name__)


def _decode(value: dict[str, Any]) -> object:
    return Decimal(value["$decimal"]) if set(value) == {"$decimal"} else value


def settled_text(settings: SyncSettings) -> str | None:
    """This spreadsheet's remembered read as text, for the run history (None: none)."""
    known = _SETTLED.get(hint_key(settings))
    if known is None:
        return None
    return json.dumps(
        {"key": known.key, "figures": known.figures}, ensure_ascii=False, default=_encode
    )


def restore_settled(settings: SyncSettings, text: str | None) -> None:
    """Take a read remembered by an earlier process, unless this process has its own."""
    if not text or hint_key(settings) in _SETTLED:
        return
    try:
        data = json.loads(text, object_hook=_decode)
        known = Settled(key=str(data["key"]), figures=dict(data["figures"]))
    except (ValueError, KeyError, TypeError):
        return  # an unreadable entry only costs a run that plans as always
    _SETTLED[hint_key(settings)] = known
