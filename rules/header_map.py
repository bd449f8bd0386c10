"""
Find the template's columns in a tab's header row by their text, never by position.

Regional staff insert, reorder and rename columns; the same bare header (`จังหวัด`) appears in
the person's and the enterprise's sections, told apart by the section label in the row above.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rules import headers as h
from rules.clean import normalise_text
from rules.headers import LEGACY_WORKER_HEADERS
from rules.template import ENTERPRISE_SCOPES, TEMPLATE, Column, Scope, Template

_WHITESPACE = re.compile(r"[\s\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
"""Whitespace and the invisible marks a pasted header carries (soft hyphen, direction marks)."""
_TRAILING_MARKS = re.compile(r"[*:]+$")
_DASHES = str.maketrans({"–": "-", "—": "-", "\u2212": "-"})


def header_key(text: object) -> str:
    """
    Return the key a header is matched by: NFC, case-folded, with no whitespace at all.

    Thai puts no spaces between words and header cells wrap onto two lines, so `ประเภท กิจกรรม`,
    `ประเภท\nกิจกรรม` and `ประเภทกิจกรรม` are one header; NBSP and zero-width characters count as
    whitespace too. A trailing `*` (required marker) or `:` does not count either. Cached: a
    run maps every regional tab's header row four times, the same few hundred cells.
    """
    try:
        return _header_key(text)
    except TypeError:  # an unhashable value (no API cell is one)
        return _header_key.__wrapped__(text)


@lru_cache(maxsize=4096, typed=True)  # typed: 1, 1.0 and True are other cells
def _header_key(text: object) -> str:
    if text is None:
        return ""
    normal = normalise_text(text if isinstance(text, str) else str(text)).casefold()
    normal = _WHITESPACE.sub("", normal).translate(_DASHES)
    return _TRAILING_MARKS.sub("", normal)


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
    """Required input columns not found: their checks are skipped (one finding per tab)."""
    missing_worker: tuple[str, ...]
    """Worker columns the tab needs and lacks (the worker appends them after the last used one)."""
    duplicates: tuple[DuplicateHeader, ...]
    unknown: tuple[UnknownHeader, ...]

    identifying: tuple[str, ...] = ()
    """Identifying columns found (national ID, name): without one the tab cannot be processed."""

    @property
    def is_processable(self) -> bool:
        """
        Tell whether a row can be told apart from another (a national ID or a name column).
        """
        return bool(self.identifying)

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
    The template's header keys: which columns each key may name, and the worker's own keys.
    """

    primary: dict[str, tuple[Column, ...]]
    """Key -> columns whose header or alias it is, in template order."""
    sectional: dict[str, tuple[Column, ...]]
    """Key -> columns whose section alias it is (bare names valid in their own section)."""
    worker: dict[str, str]
    """Key -> worker header, today's names and the names earlier versions wrote."""


_NAMES_CACHE: dict[int, tuple[Template, _Names]] = {}


def _names(template: Template) -> _Names:
    """
    Build (once per template) the header-key dicts used to match a header row.
    """
    cached = _NAMES_CACHE.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    primary: dict[str, list[Column]] = {}
    sectional: dict[str, list[Column]] = {}
    for column in template.columns:
        for name in dict.fromkeys(header_key(n) for n in (column.header, *column.aliases)):
            primary.setdefault(name, []).append(column)
        for name in dict.fromkeys(header_key(n) for n in column.section_aliases):
            sectional.setdefault(name, []).append(column)
    worker = {header_key(old): new for old, new in LEGACY_WORKER_HEADERS.items()}
    worker.update({header_key(name): name for name in template.worker_headers})
    names = _Names(
        {k: tuple(v) for k, v in primary.items()},
        {k: tuple(v) for k, v in sectional.items()},
        worker,
    )
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
        text = header_key(cell) if isinstance(cell, str) else ""
        if text:
            current = text
        labels.append(current)
    return labels


def section_scope(label_key: str, template: Template = TEMPLATE) -> Scope | None:
    """
    Return the section a label names (its key, see `header_key`), or None when it names none.
    """
    if not label_key:
        return None
    for marker, scope in template.section_markers:
        if marker in label_key:
            return scope
    return None


_MAPPED: dict[tuple[int, tuple[object, ...], tuple[object, ...]], tuple[Template, HeaderMap]] = {}
"""Header maps by what they were made of (each tab's header rows, each round: ~1 ms a tab)."""
MAPPED_LIMIT = 64


def map_headers(
    header_row: Sequence[object],
    section_row: Sequence[object] = (),
    template: Template = TEMPLATE,
) -> HeaderMap:
    """
    Find each template column in a header row, using the section row to tell sections apart
    (`_map_headers`); the map of header rows seen before is that map again (a frozen value).
    """
    # Each cell with its type: 1, 1.0 and True are equal keys, but not equal headers.
    key = (
        id(template),
        tuple([(type(cell), cell) for cell in header_row]),
        tuple([(type(cell), cell) for cell in section_row]),
    )
    try:
        known = _MAPPED.get(key)
    except TypeError:  # a cell no API sends (unhashable): mapped afresh
        return _map_headers(header_row, section_row, template)
    if known is not None and known[0] is template:
        return known[1]
    mapping = _map_headers(header_row, section_row, template)
    if len(_MAPPED) >= MAPPED_LIMIT:
        _MAPPED.clear()
    _MAPPED[key] = (template, mapping)
    return mapping


def _map_headers(
    header_row: Sequence[object],
    section_row: Sequence[object],
    template: Template,
) -> HeaderMap:
    """
    Find each template column in a header row, using the section row to tell sections apart.

    A header several columns share (`อีเมล`, the tax ID, `คิดเป็นมูลค่า (บาท)`, a second `สถานะ`)
    goes to the column of the cell's section; failing that, to the first of them not found
    yet, left to right, which is the appendix's order when a label is missing. Everything under
    the worker's own section label is the worker's and is never read as a person's column.

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
        if section == worker_label:
            # Only under the worker's own section label: a person's column that happens to be
            # titled like one (`รายละเอียด`, `หมายเหตุ`…) must never be taken and written over,
            # and nothing in the worker's block is ever read as a person's input.
            header = names.worker.get(key)
            if header is None:
                unknown.append(UnknownHeader(index, str(cell)))
            elif header in worker:
                duplicates.append(DuplicateHeader(header, worker[header], index))
            else:
                worker[header] = index
            continue
        candidates = _candidates(names, key, section_scope(section, template), columns)
        if not candidates:
            unknown.append(UnknownHeader(index, str(cell)))
            continue
        free = _pick(candidates, columns, index)
        if free is None:
            duplicates.append(
                DuplicateHeader(candidates[0].header, columns[candidates[0].header], index)
            )
            continue
        columns[free.header] = index
    identifying = tuple(x for x in template.identifying_headers if x in columns)
    wanted = wanted_worker_headers(columns, worker, template)
    return HeaderMap(
        columns=columns,
        worker=worker,
        missing_required=template.missing_required(columns),
        missing_worker=tuple(x for x in wanted if x not in worker),
        duplicates=tuple(duplicates),
        unknown=tuple(unknown),
        identifying=identifying,
    )


def _pick(candidates: Sequence[Column], found: Mapping[str, int], index: int) -> Column | None:
    """
    The first candidate not found yet; of same-named columns told apart by the column they
    follow on the form (`Column.follows`), the one whose column is nearest on the left.
    """
    free = [c for c in candidates if c.header not in found]
    after = [(found[c.follows], c) for c in free if c.follows in found and found[c.follows] < index]
    if after and len(free) > 1:
        return max(after, key=lambda pair: pair[0])[1]
    return free[0] if free else None


def _candidates(
    names: _Names, key: str, scope: Scope | None, found: Mapping[str, int]
) -> list[Column]:
    """
    Return the columns a header key may name in a section, the most fitting first.

    The cell's own section comes first, then the columns named so anywhere. A header whose
    columns are all found already (the second `อีเมล` or tax ID of a tab whose section labels
    are missing) may then be the same-named column of another section, by position.
    """
    primary = names.primary.get(key, ())
    sectional = names.sectional.get(key, ())
    if scope in ENTERPRISE_SCOPES:
        # Under an enterprise's label a header the person's section shares (`อีเมล`) is the
        # enterprise's; one only a person's column has (the national ID) stays the person's
        # (a title in the row above the headers may read like a label: `…สถานประกอบการ`).
        primary = tuple(c for c in primary if c.scope is not Scope.PERSON) or primary
    own = [c for c in (*primary, *sectional) if scope is not None and c.scope is scope]
    rest = [c for c in primary if c not in own]
    if all(c.header in found for c in primary):
        # No other column of that name is left (or there is none but under a section, such
        # as `เบอร์ติดต่อ`): a tab without labels names it by position.
        rest += [c for c in sectional if c not in own and c not in rest]
    return own + rest


def wanted_worker_headers(
    columns: Mapping[str, int], worker: Mapping[str, int], template: Template = TEMPLATE
) -> tuple[str, ...]:
    """
    Return the worker columns a tab needs, in block order.

    The status columns always; the computed KPI columns only when the tab has a raw figure to
    compute them from (domain spec §3.2, correction), or already has them.
    """
    raw = any(x in columns for x in h.KPI_INPUT_HEADERS)
    return tuple(x for x in template.worker_headers if x not in h.KPI_HEADERS or raw or x in worker)
