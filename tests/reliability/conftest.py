"""
The scenario ledger of the reliability suite: every test says how many trials it ran and
which failed, and the end of the test run writes the tally as JSON for
`scripts/reliability_report.py`.

The file is written only when `SHEETSYNC_RELIABILITY_RECORD` names it, so an ordinary
`pytest` run leaves nothing behind.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

RECORD_ENV = "SHEETSYNC_RELIABILITY_RECORD"
"""Environment variable naming the JSON file the run's records go to."""

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
_RECORDS: list[dict[str, Any]] = []

Test = Callable[..., None]


def found_and_fixed(description: str) -> Callable[[Test], Test]:
    """Note on a test the bug it found and that was fixed, for the report's table."""

    def mark(test: Test) -> Test:
        test.found_and_fixed = description  # type: ignore[attr-defined]
        return test

    return mark


@dataclass
class Tally:
    """Trials one test ran and the ones that broke a promise (with a reason each)."""

    trials: int = 0
    failures: list[str] = field(default_factory=list)

    def record(self, ok: bool, reason: str = "") -> None:
        """Count one trial; a failed one keeps its reason for the assertion message."""
        self.trials += 1
        if not ok:
            self.failures.append(reason or f"trial {self.trials}")

    def assert_clean(self) -> None:
        """Fail the test with every failed trial's reason."""
        shown = "\n".join(self.failures[:20])
        assert not self.failures, f"{len(self.failures)} of {self.trials} trials failed:\n{shown}"


@dataclass
class Record:
    """One test's line in the run's JSON file."""

    module: str
    scenario: str
    function: str
    doc: str
    nodeid: str
    trials: int
    failures: int
    outcome: str
    reason: str
    fixed: str


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so the ledger knows how the test ended."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _first_line(text: str | None) -> str:
    return (inspect.cleandoc(text or "").splitlines() or [""])[0]


@pytest.fixture(autouse=True)
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    """Counts this test's trials (one if it never says) and records how it ended."""
    counted = Tally()
    yield counted
    item = request.node
    reports = item.stash.get(_REPORTS, {})
    call = reports.get("call")
    setup = reports.get("setup")
    reason = ""
    if call is None:
        outcome = setup.outcome if setup is not None else "error"
    elif hasattr(call, "wasxfail"):
        outcome, reason = "xfailed", str(call.wasxfail)
    else:
        outcome = call.outcome
    trials = counted.trials or 1
    failures = len(counted.failures)
    if outcome == "failed" and failures == 0:
        failures = 1
    if outcome == "xfailed":
        failures = max(failures, 1)
    module = item.module
    function = getattr(item, "originalname", item.name)
    _RECORDS.append(
        asdict(
            Record(
                module=Path(str(module.__file__)).name,
                scenario=_first_line(module.__doc__),
                function=function,
                doc=_first_line(getattr(item.function, "__doc__", "")),
                nodeid=item.nodeid,
                trials=trials,
                failures=failures,
                outcome=outcome,
                reason=reason,
                fixed=getattr(item.function, "found_and_fixed", ""),
            )
        )
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the run's records where `SHEETSYNC_RELIABILITY_RECORD` points."""
    target = os.environ.get(RECORD_ENV)
    if target and _RECORDS:
        Path(target).write_text(
            json.dumps(_RECORDS, ensure_ascii=False, indent=1), encoding="utf-8"
        )
