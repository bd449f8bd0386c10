"""
A row's check status from its findings (domain spec §3.2, `สถานะการตรวจสอบ`).
"""

from __future__ import annotations

from collections.abc import Iterable

from rules.findings import Finding, Severity
from rules.headers import STATUS_FAIL, STATUS_PASS, STATUS_WARN


def status_for(findings: Iterable[Finding]) -> str:
    """
    Return `ผ่าน` with no finding, `คำเตือน` with warnings only, `ไม่ผ่าน` with any error.
    """
    status = STATUS_PASS
    for finding in findings:
        if finding.severity is Severity.ERROR:
            return STATUS_FAIL
        status = STATUS_WARN
    return status
