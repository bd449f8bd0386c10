"""
Row status from findings (domain spec §3.2, `สถานะการตรวจสอบ`).
"""

from __future__ import annotations

import pytest

from rules import Finding, Severity, status_for
from rules.headers import EMAIL, STATUS_FAIL, STATUS_PASS, STATUS_WARN

WARN = Finding("name_no_space", Severity.WARNING, EMAIL, "x")
ERR = Finding("email_invalid", Severity.ERROR, EMAIL, "x")


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([], STATUS_PASS),
        ([WARN], STATUS_WARN),
        ([WARN, WARN], STATUS_WARN),
        ([ERR], STATUS_FAIL),
        ([WARN, ERR], STATUS_FAIL),
        ([ERR, WARN], STATUS_FAIL),
    ],
)
def test_status_for(findings: list[Finding], expected: str) -> None:
    """No finding passes, warnings only warn, any error fails."""
    assert expected == status_for(findings)


def test_finding_text() -> None:
    """A finding's text names its column, as in the details cell."""
    assert "อีเมล: x" == ERR.text
