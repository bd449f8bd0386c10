"""
What a rule reports: a stable code for machines and a Thai message for the people in the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """
    How bad a finding is: an error fails the row, a warning only asks a person to look.
    """

    ERROR = "error"
    WARNING = "warning"

    def __reduce_ex__(self, protocol: object) -> tuple[type[Severity], tuple[str]]:
        """
        Pickled as `Severity(value)` on every Python: some 3.11 releases (3.11.2, Debian 12's)
        pickle an enum member as `getattr(Severity, name)`, and the rows a worker keeps between
        runs load only plain classes, never a call of `getattr` (`sync.core.packed`).
        """
        return Severity, (self.value,)


@dataclass(frozen=True, slots=True)
class Finding:
    """
    One problem in one cell (or pair of cells) of a row, named by the column's Thai header.
    """

    code: str
    severity: Severity
    column: str
    message: str

    @property
    def text(self) -> str:
        """
        Return the finding as shown in the row's details cell, e.g. `อีเมล: รูปแบบไม่ถูกต้อง`.
        """
        return f"{self.column}: {self.message}"


def error(code: str, column: str, message: str) -> Finding:
    """
    Build an error finding; a shorthand that keeps rule bodies to one line each.
    """
    return Finding(code, Severity.ERROR, column, message)


def warning(code: str, column: str, message: str) -> Finding:
    """
    Build a warning finding; a shorthand that keeps rule bodies to one line each.
    """
    return Finding(code, Severity.WARNING, column, message)
