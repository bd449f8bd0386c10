"""
Find the template's columns in a tab's header row by their text, never by position.

Regional staff insert, reorder and rename columns; the same bare header (`จังหวัด`) appears in
the person's and the enterprise's sections, told apart by the section label in the row above.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rules.clean import normalise_text
from rules.template import TEMPLATE, Column, Scope, Template

_AROUND_MARKS = re.compile(r"\s*([()/\-–:])\s*")
_TRAILING_MARKS = re.compile(r"[\s*:]+$")


def header_key(text: object) -> str:
    """
    Return the key a header is matched by: NFC, trimmed, spaces collapsed, case-folded.

    Spaces around brackets, slashes and dashes and a trailing `*` (required marker) or `:` do
    not count, so `ชื่อ - นามสกุล *` matches `ชื่อ-นามสกุล`.
    """
    if text is None:
        return ""
    normal = normalise_text(text if isinstance(text, str) else str(text)).casefold()
    normal = _TRAILING_MARKS.sub("", normal)
    return _AROUND_MARKS.sub(r"\1", normal).replace("–", "-")


@dataclass(frozen=True, slots=True)
class DuplicateHeader:
    """
    A canonical header found twice: the first column is used, the other is ignored.
    """

    header: str
    kept: int
    ignored: int


@dataclass(frozen=True, slots=True)
class UnknownHeader:
    """
    A non-blank header that names no template column (ignored, not an error).
    """

    index: int
    text: str


@dataclass(frozen=True)
class HeaderMap:
    """
    Where each column is in one tab (0-based indexes) and what is missing or doubled.
    """

    columns: Mapping[str, int]
    """Input columns found: canonical header → index."""
    worker: Mapping[str, int]
    """Worker-owned columns found: header → index."""
    missing_required: tuple[str, ...]
    """Essential input columns not found: the tab cannot be processed."""
    missing_worker: tuple[str, ...]
    """Worker columns not found (the worker appends them after the last used column)."""
    duplicates: tuple[DuplicateHeader, ...]
    unknown: tuple[UnknownHeader, ...]

    @property
    def is_processable(self) -> bool:
        """
        Tell whether every essential column was found.
        """
        return not self.missing_required

    def row_cells(self, row: Sequence[object]) -> dict[str, object]:
        """
        Return one data row's input cells keyed by canonical header (short rows are padded).
        """
        size = len(row)
        return {
            header: (row[index] if index < size else None) for header, index in self.columns.items()
        }


@dataclass(frozen=True)
class _Names:
    """
    The template's header keys, split by where they may match.
    """

    anywhere: dict[str, Column]
    enterprise_section: dict[str, Column]
    worker: dict[str, str]


_NAMES_CACHE: dict[int, tuple[Template, _Names]] = {}


def _names(template: Template) -> _Names:
    """
    Build (once per template) the header-key dicts used to match a header row.
    """
    cached = _NAMES_CACHE.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    anywhere: dict[str, Column] = {}
    enterprise: dict[str, Column] = {}
    for column in template.columns:
        for name in (column.header, *column.aliases):
            anywhere.setdefault(header_key(name), column)
        if column.scope is Scope.ENTERPRISE:
            for name in (column.header, *column.aliases, *column.section_aliases):
                enterprise.setdefault(header_key(name), column)
    worker = {header_key(name): name for name in template.worker_headers}
    names = _Names(anywhere, enterprise, worker)
    _NAMES_CACHE[id(template)] = (template, names)
    return names


def _sections(section_row: Sequence[object], width: int) -> list[str]:
    """
    Spread each section label over its column and the following ones up to the next label.
    """
    labels: list[str] = []
    current = ""
    for index in range(width):
        cell = section_row[index] if index < len(section_row) else None
        text = normalise_text(cell) if isinstance(cell, str) else ""
        if text:
            current = text
        labels.append(current)
    return labels


def map_headers(
    header_row: Sequence[object],
    section_row: Sequence[object] = (),
    template: Template = TEMPLATE,
) -> HeaderMap:
    """
    Find each template column in a header row, using the section row to tell sections apart.

    Args:
        header_row: The tab's header row (row 3), as read from the sheet.
        section_row: The row of section labels above it (row 2); may be empty.
        template: The layout to look for.
    """
    names = _names(template)
    sections = _sections(section_row, len(header_row))
    worker_label = header_key(template.worker_section_label)
    columns: dict[str, int] = {}
    worker: dict[str, int] = {}
    duplicates: list[DuplicateHeader] = []
    unknown: list[UnknownHeader] = []
    for index, cell in enumerate(header_row):
        key = header_key(cell)
        if not key:
            continue
        section = sections[index]
        in_worker_section = header_key(section) == worker_label
        if key in names.worker and in_worker_section:
            # Only under the worker's own section label: a person's column that happens to be
            # titled like one (`รายละเอียด`, `หมายเหตุ`…) must never be taken and written over.
            target, header = worker, names.worker[key]
        else:
            column = _match(names, key, template.enterprise_section_marker in section)
            if column is None:
                unknown.append(UnknownHeader(index, str(cell)))
                continue
            target, header = columns, column.header
        if header in target:
            duplicates.append(DuplicateHeader(header, target[header], index))
            continue
        target[header] = index
    return HeaderMap(
        columns=columns,
        worker=worker,
        missing_required=tuple(h for h in template.essential_headers if h not in columns),
        missing_worker=tuple(h for h in template.worker_headers if h not in worker),
        duplicates=tuple(duplicates),
        unknown=tuple(unknown),
    )


def _match(names: _Names, key: str, in_enterprise_section: bool) -> Column | None:
    """
    Return the column a header key names, given whether it sits in the enterprise section.
    """
    if in_enterprise_section:
        column = names.enterprise_section.get(key) or names.anywhere.get(key)
        if column is not None and column.scope is Scope.PERSON:
            return None
        return column
    return names.anywhere.get(key)
