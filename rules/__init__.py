"""
Validation rules of the regional reporting sheet: parse cells, check rows, resolve duplicates.

Everything here is pure: plain data in, plain data out, no I/O and no clock reads.
"""

from rules.duplicates import DuplicateCandidate, DuplicateMark, RowRef, resolve_duplicates
from rules.findings import Finding, Severity
from rules.header_map import HeaderMap, map_headers
from rules.parse import is_blank, parse_number
from rules.privacy import mask_pii
from rules.row import RowResult, check_row
from rules.status import status_for
from rules.template import TEMPLATE, Column, Kind, Template

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
