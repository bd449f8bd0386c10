"""
The emulator's data model: spreadsheets, sheets, and compact row-major cell storage.

Sizing: a sheet holds one list slot per grid row (``None`` until something is written there); a
written row is a ``Row`` with a plain list of user-entered values and sparse per-column dicts for
notes, formats and data validation, so 7 tabs x 10,000 rows x 83 columns stays a few hundred MB
at most, without one object per cell.  Developer metadata on a row or column is held by that
``Row``/``Column`` object, so it travels with the row on insert/delete/move exactly as
https://developers.google.com/sheets/api/guides/metadata describes.

Defaults match a new spreadsheet created through the API: locale ``en_US``, first sheet
``Sheet1`` with ``sheetId`` 0, a 1000 x 26 grid and Google's ``Etc/GMT`` zone.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

SCHEMA_VERSION = 1
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
# https://support.google.com/drive/answer/37603 (raised from 5M in 2022).
MAX_CELLS = 10_000_000
MAX_CELL_CHARS = 50_000
# What Google gives a spreadsheet a service account creates through the API without a zone
# (recorded in gspread's cassettes); the operators' own sheets and their copies say Bangkok.
API_TIME_ZONE = "Etc/GMT"


@dataclass(frozen=True, slots=True)
class Formula:
    """
    A user-entered formula (text starting with ``=``), distinct from text that looks like one.
    """

    text: str


@dataclass(frozen=True, slots=True)
class FormattedNumber:
    """
    A number typed with an implied format (date, time, percent, grouped), so it renders as typed.

    ``kind`` is a Sheets NumberFormat type (DATE, TIME, DATE_TIME, PERCENT, NUMBER).
    """

    number: float
    kind: str
    pattern: str


CellValue = None | str | int | float | bool | Formula | FormattedNumber

ANYONE_ROLE_KEY = "anyone"
"""Where `Spreadsheet.roles` keeps the role of `anyone` with the link (no e-mail has no @)."""
DOMAIN_ROLE_PREFIX = "domain:"
"""`Spreadsheet.roles` keys of a domain shared with: `domain:example.com`."""


class Row:
    """
    One written grid row: values, sparse per-column extras, and the row's dimension properties.
    """

    __slots__ = ("formats", "hidden", "metadata", "notes", "pixel_size", "validations", "values")

    def __init__(self) -> None:
        self.values: list[CellValue] = []
        self.notes: dict[int, str] | None = None
        self.formats: dict[int, dict[str, Any]] | None = None
        self.validations: dict[int, dict[str, Any]] | None = None
        self.metadata: list[int] | None = None
        self.pixel_size: int | None = None
        self.hidden: bool = False

    def clone(self) -> Row:
        """
        Copy containers but share the immutable cell values and format dicts (treated as values).
        """
        row = Row()
        row.values = list(self.values)
        row.notes = dict(self.notes) if self.notes else None
        row.formats = dict(self.formats) if self.formats else None
        row.validations = dict(self.validations) if self.validations else None
        row.metadata = list(self.metadata) if self.metadata else None
        row.pixel_size = self.pixel_size
        row.hidden = self.hidden
        return row

    def is_blank(self) -> bool:
        """
        Tell whether the row carries nothing and can go back to being an empty slot.
        """
        return not (
            any(v is not None for v in self.values)
            or self.notes
            or self.formats
            or self.validations
            or self.metadata
            or self.pixel_size is not None
            or self.hidden
        )


class Column:
    """
    Dimension properties of one column (metadata, width, hidden) that move with the column.
    """

    __slots__ = ("hidden", "metadata", "pixel_size")

    def __init__(self) -> None:
        self.metadata: list[int] | None = None
        self.pixel_size: int | None = None
        self.hidden: bool = False

    def clone(self) -> Column:
        """
        Copy the column's properties for a transactional spreadsheet clone.
        """
        col = Column()
        col.metadata = list(self.metadata) if self.metadata else None
        col.pixel_size = self.pixel_size
        col.hidden = self.hidden
        return col


@dataclass
class Sheet:
    """
    One tab; ``rows``/``columns`` always have exactly rowCount/columnCount slots.

    Objects positioned by GridRange (merges, protected ranges, conditional formats, charts, filter,
    groups) are stored as Google's JSON dicts with an explicit ``sheetId``.
    """

    sheet_id: int
    title: str
    rows: list[Row | None] = field(default_factory=lambda: [None] * DEFAULT_ROWS)
    columns: list[Column | None] = field(default_factory=lambda: [None] * DEFAULT_COLUMNS)
    frozen_row_count: int = 0
    frozen_column_count: int = 0
    hidden: bool = False
    hide_gridlines: bool = False
    # Set by the first addDimensionGroup and kept after the groups are gone, as on Google.
    row_group_control_after: bool = False
    column_group_control_after: bool = False
    right_to_left: bool = False
    tab_color: dict[str, Any] | None = None
    merges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    row_groups: list[dict[str, Any]] = field(default_factory=list)
    column_groups: list[dict[str, Any]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        """
        Return the grid's rowCount.
        """
        return len(self.rows)

    @property
    def column_count(self) -> int:
        """
        Return the grid's columnCount.
        """
        return len(self.columns)

    def cell(self, row: int, col: int) -> CellValue:
        """
        Return the user-entered value at zero-based (row, col), ``None`` when empty.
        """
        if row >= len(self.rows):
            return None
        r = self.rows[row]
        if r is None or col >= len(r.values):
            return None
        return r.values[col]

    def row(self, index: int) -> Row:
        """
        Return the ``Row`` at ``index``, creating it on first write.
        """
        r = self.rows[index]
        if r is None:
            r = Row()
            self.rows[index] = r
        return r

    def column(self, index: int) -> Column:
        """
        Return the ``Column`` at ``index``, creating it on first write.
        """
        c = self.columns[index]
        if c is None:
            c = Column()
            self.columns[index] = c
        return c

    def set_cell(self, row: int, col: int, value: CellValue) -> None:
        """
        Store one user-entered value (``None`` empties the cell).
        """
        existing = self.rows[row]
        if value is None:
            if existing is None or col >= len(existing.values):
                return
            existing.values[col] = None
            while existing.values and existing.values[-1] is None:
                existing.values.pop()
            return
        r = self.row(row)
        if col >= len(r.values):
            r.values.extend([None] * (col + 1 - len(r.values)))
        r.values[col] = value

    def extra(self, kind: str, row: int, col: int) -> Any:
        """
        Return a sparse per-cell attribute: ``notes``, ``formats`` or ``validations``.
        """
        r = self.rows[row] if row < len(self.rows) else None
        if r is None:
            return None
        d = getattr(r, kind)
        return d.get(col) if d else None

    def set_extra(self, kind: str, row: int, col: int, value: Any) -> None:
        """
        Set or (with ``None``/empty) clear a sparse per-cell attribute.
        """
        if value in (None, "", {}):
            r = self.rows[row]
            if r is not None:
                d = getattr(r, kind)
                if d and col in d:
                    del d[col]
            return
        r = self.row(row)
        d = getattr(r, kind)
        if d is None:
            d = {}
            setattr(r, kind, d)
        d[col] = value

    def used_rows(self) -> Iterator[tuple[int, Row]]:
        """
        Iterate over the rows that have been written, with their index.

        A grid is mostly empty slots (1,000 by default), so they are skipped at C speed: every
        ``Row`` is truthy (it defines no ``__len__`` or ``__bool__``) and ``None`` is not.
        """
        rows = self.rows
        return zip(compress(range(len(rows)), rows), filter(None, rows), strict=True)

    def clone(self) -> Sheet:
        """
        Copy the sheet for a transactional batchUpdate without deep-copying every cell.
        """
        twin = copy.copy(self)
        twin.rows = [r.clone() if r is not None else None for r in self.rows]
        twin.columns = [c.clone() if c is not None else None for c in self.columns]
        for name in (
            "merges",
            "conditional_formats",
            "protected_ranges",
            "charts",
            "row_groups",
            "column_groups",
        ):
            setattr(twin, name, copy.deepcopy(getattr(self, name)))
        twin.basic_filter = copy.deepcopy(self.basic_filter)
        twin.tab_color = copy.deepcopy(self.tab_color)
        return twin


@dataclass
class Spreadsheet:
    """
    One spreadsheet: properties, tabs in index order, named ranges and developer metadata.

    ``developer_metadata`` maps metadataId to Google's JSON (without the computed location);
    ``revision`` increments on every mutation so callers can detect changes cheaply.
    """

    spreadsheet_id: str
    title: str
    sheets: list[Sheet]
    locale: str = "en_US"
    time_zone: str = API_TIME_ZONE
    auto_recalc: str = "ON_CHANGE"
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    broken_names: list[str] = field(default_factory=list)
    """Names of named ranges whose cells were all deleted (rows, columns or their sheet).
    Google keeps such a name, pointing at #REF!, but no longer lists it (`namedRanges`), and
    refuses to add a named range of that name again (gspread issue 1530)."""
    developer_metadata: dict[int, dict[str, Any]] = field(default_factory=dict)
    shared_with: set[str] | None = None
    roles: dict[str, str] = field(default_factory=dict)
    """Each grantee's Drive role (`owner`, `writer`, `commenter`, `reader`) by e-mail, and
    `anyone`'s; a grantee with none given is a writer."""
    revision: int = 0
    created_time: str = field(default_factory=lambda: _now())
    modified_time: str = ""
    parents: list[str] = field(default_factory=list)
    imported_from: str = ""
    """SHA-256 of the .xlsx file it was imported from (empty if it was not): a restart with
    the same `--import-xlsx` and `--state` keeps it rather than import the file again."""

    def made_by(self, principal: str | None) -> None:
        """
        Share a new file as Google does with the account that made it (a Sheets create, a
        Drive create or copy): its owner and only grantee; with auth off, everyone's.
        """
        self.shared_with = None if principal is None else {principal}
        self.roles = {} if principal is None else {principal: "owner"}

    def can_access(self, principal: str | None) -> bool:
        """
        Apply the sharing rule: no principal (auth off) or no ACL means everyone may access;
        else the principal must be given a role (its own or its domain's).
        """
        return principal is None or bool(self._roles_of(principal))

    def can_edit(self, principal: str | None) -> bool:
        """
        Whether the principal may change it (auth on): Drive adds up the permissions that
        apply (its own, its domain's, anyone's), so one role that edits is enough; a reader
        or commenter by all of them may not, nor one with no access at all.
        """
        if principal is None:
            return True
        return any(role not in ("reader", "commenter") for role in self._roles_of(principal))

    def _roles_of(self, principal: str) -> list[str]:
        """Every role that applies to the principal (empty: no access)."""
        roles = []
        own = self.roles.get(principal)
        if own is None and self.shared_with is not None and principal in self.shared_with:
            own = "writer"  # (a grantee with none given is a writer)
        if own is not None:
            roles.append(own)
        domain = self._domain_role(principal)
        if domain is not None:
            roles.append(domain)
        if self.shared_with is None:
            roles.append(self.roles.get(ANYONE_ROLE_KEY, "writer"))
        return roles

    def _domain_role(self, principal: str) -> str | None:
        """The role the principal's e-mail domain was given (`domain:example.com`), if any."""
        domain = principal.rpartition("@")[2]
        return self.roles.get(f"{DOMAIN_ROLE_PREFIX}{domain}") if domain else None

    def sheet_by_title(self, title: str) -> Sheet | None:
        """
        Find a tab by exact title.
        """
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        """
        Find a tab by sheetId.
        """
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        return None

    def first_visible_sheet(self) -> Sheet:
        """
        Return the sheet a range without a sheet name refers to.
        """
        return next((s for s in self.sheets if not s.hidden), self.sheets[0])

    def cell_count(self) -> int:
        """
        Count grid cells across all tabs, the quantity Google's 10M-cell limit applies to.
        """
        return sum(s.row_count * s.column_count for s in self.sheets)

    def clone(self, *, sheets: bool = True) -> Spreadsheet:
        """
        Copy the spreadsheet so a batchUpdate can be applied and swapped in atomically.

        With ``sheets=False`` the tabs are shared and must be cloned before being modified.
        """
        twin = copy.copy(self)
        twin.sheets = [s.clone() for s in self.sheets] if sheets else list(self.sheets)
        twin.named_ranges = copy.deepcopy(self.named_ranges)
        twin.broken_names = list(self.broken_names)
        twin.developer_metadata = copy.deepcopy(self.developer_metadata)
        twin.shared_with = set(self.shared_with) if self.shared_with is not None else None
        twin.roles = dict(self.roles)
        return twin

    def touch(self) -> None:
        """
        Record one mutation (bumps ``revision`` and the Drive modifiedTime).
        """
        self.revision += 1
        self.modified_time = _now()

    def __post_init__(self) -> None:
        if not self.modified_time:
            self.modified_time = self.created_time


def _now() -> str:
    # RFC 3339 with milliseconds, the format Drive uses for createdTime/modifiedTime.
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{dt.datetime.now(dt.UTC).microsecond // 1000:03d}Z"
    )
