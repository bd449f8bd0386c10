"""
Validation rules of the regional reporting sheet: parse cells, check rows, resolve duplicates.

Everything here is pure: plain data in, plain data out, no I/O and no clock reads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rules.duplicates import DuplicateCandidate, DuplicateMark, RowRef, resolve_duplicates
    from rules.findings import Finding, Severity
    from rules.header_map import HeaderMap, map_headers
    from rules.parse import is_blank, parse_number
    from rules.privacy import mask_pii
    from rules.row import RowResult, check_row
    from rules.row import check_rows as check_rows  # the batch form, for sync
    from rules.status import status_for
    from rules.template import TEMPLATE, Column, Kind, Template

_HOME = {
    "DuplicateCandidate": "rules.duplicates",
    "DuplicateMark": "rules.duplicates",
    "RowRef": "rules.duplicates",
    "resolve_duplicates": "rules.duplicates",
    "Finding": "rules.findings",
    "Severity": "rules.findings",
    "HeaderMap": "rules.header_map",
    "map_headers": "rules.header_map",
    "is_blank": "rules.parse",
    "parse_number": "rules.parse",
    "mask_pii": "rules.privacy",
    "RowResult": "rules.row",
    "check_row": "rules.row",
    "check_rows": "rules.row",
    "status_for": "rules.status",
    "TEMPLATE": "rules.template",
    "Column": "rules.template",
    "Kind": "rules.template",
    "Template": "rules.template",
}
"""
Where each name lives: imported on first use, so that importing `rules.headers` (the form's
vocabulary) does not load every check and its libraries (a run that finds the sheet unchanged
needs none of them).
"""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "TEMPLATE",
    "Column",
    "DuplicateCandidate",
    "DuplicateMark",
    "Finding",
    "HeaderMap",
    "Kind",
    "RowRef",
    "RowResult",
    "Severity",
    "Template",
    "check_row",
    "is_blank",
    "map_headers",
    "mask_pii",
    "parse_number",
    "resolve_duplicates",
    "status_for",
]
