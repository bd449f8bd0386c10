"""
In-memory data model of the emulator: spreadsheets, sheets, and compact row-major cell storage.

Sizing: a sheet holds one list slot per grid row (``None`` until something is written there); a
written row is a ``Row`` with a plain list of user-entered values and sparse per-column dicts for
notes, formats and data validation, so 7 tabs x 10,000 rows x 83 columns stays a few hundred MB
at most, without one object per cell.  Developer metadata on a row or column is held by that
``Row``/``Column`` object, so it travels with the row on insert/delete/move exactly as
https://developers.google.com/sheets/api/guides/metadata describes.

Defaults chosen to match a new spreadsheet created through the API: locale ``en_US``, first sheet
``Sheet1`` with ``sheetId`` 0 and a 1000 x 26 grid.  The time zone is ``Asia/Bangkok`` (the
operators' zone) for rehearsal spreadsheets (a ``create_spreadsheet`` parameter) and the store's
``api_time_zone`` (``Etc/GMT``, as on Google, unless the server is told otherwise) for those
created through the API.
"""

from __future__ import annotations

import builtins
import copy
import datetime as dt
import random
import string
import threading
from collections.abc import Container, Iterable, Iterator, KeysView, Sequence
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
    time_zone: str = "Asia/Bangkok"
    auto_recalc: str = "ON_CHANGE"
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: dict[int, dict[str, Any]] = field(default_factory=dict)
    shared_with: set[str] | None = None
    revision: int = 0
    created_time: str = field(default_factory=lambda: _now())
    modified_time: str = ""
    parents: list[str] = field(default_factory=list)

    def can_access(self, principal: str | None) -> bool:
        """
        Apply the sharing rule: no principal (auth off) or no ACL means everyone may access.
        """
        return principal is None or self.shared_with is None or principal in self.shared_with

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
        twin.developer_metadata = copy.deepcopy(self.developer_metadata)
        twin.shared_with = set(self.shared_with) if self.shared_with is not None else None
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


class Store:
    """
    All spreadsheets of one emulator, with deterministic ID generation and one re-entrant lock.
    """

    def __init__(self, seed: int = 0, *, api_time_zone: str = API_TIME_ZONE) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        # The zone of spreadsheets created through the API (Drive files.create or
        # spreadsheets.create without one); rehearsal copies keep their own zone.
        self.api_time_zone = api_time_zone
        self._rng = random.Random(seed)
        self._spreadsheets: dict[str, Spreadsheet] = {}

    # -- IDs -------------------------------------------------------------------------------

    def new_int_id(self, taken: Iterable[Any] = ()) -> int:
        """
        Draw a large pseudo-random positive ID (sheetId, protectedRangeId, chartId...).
        """
        used: Container[Any] = (
            taken if isinstance(taken, (set, frozenset, dict, KeysView)) else set(taken)
        )
        while True:
            value = self._rng.randint(1, 2_147_483_646)
            if value not in used:
                return value

    def new_spreadsheet_id(self) -> str:
        """
        Draw a 44-character ID shaped like Google's.
        """
        alphabet = string.ascii_letters + string.digits + "-_"
        while True:
            value = "1" + "".join(self._rng.choice(alphabet) for _ in range(43))
            if value not in self._spreadsheets:
                return value

    # -- spreadsheets ------------------------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str,
        *,
        spreadsheet_id: str | None = None,
        sheets: Sequence[str] = ("Sheet1",),
        time_zone: str = "Asia/Bangkok",
        shared_with: Iterable[str] | None = None,
    ) -> Spreadsheet:
        """
        Create a spreadsheet with default-sized tabs; the first tab gets sheetId 0 as on Google.
        """
        with self.lock:
            sid = spreadsheet_id or self.new_spreadsheet_id()
            if sid in self._spreadsheets:
                raise ValueError(f"spreadsheet {sid!r} already exists")
            tabs: list[Sheet] = []
            for i, name in enumerate(sheets or ("Sheet1",)):
                sheet_id = 0 if i == 0 else self.new_int_id(t.sheet_id for t in tabs)
                tabs.append(Sheet(sheet_id=sheet_id, title=name))
            spreadsheet = Spreadsheet(
                spreadsheet_id=sid,
                title=title,
                sheets=tabs,
                time_zone=time_zone,
                shared_with=set(shared_with) if shared_with is not None else None,
            )
            self._spreadsheets[sid] = spreadsheet
            return spreadsheet

    def find(self, spreadsheet_id: str) -> Spreadsheet | None:
        """
        Return the spreadsheet or ``None``.
        """
        return self._spreadsheets.get(spreadsheet_id)

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        """
        Return the spreadsheet, raising ``KeyError`` when it does not exist.
        """
        return self._spreadsheets[spreadsheet_id]

    def delete(self, spreadsheet_id: str) -> None:
        """
        Remove a spreadsheet, raising ``KeyError`` when it does not exist.
        """
        with self.lock:
            del self._spreadsheets[spreadsheet_id]

    def list(self) -> builtins.list[Spreadsheet]:
        """
        Return every spreadsheet in creation order.
        """
        return list(self._spreadsheets.values())

    def replace(self, spreadsheet: Spreadsheet) -> None:
        """
        Store a spreadsheet object as the current state under its ID (new copies, imports).
        """
        with self.lock:
            self._spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet

    def commit(self, working: Spreadsheet) -> Spreadsheet:
        """
        Make a transactional clone current while keeping object identity stable.

        The stored ``Spreadsheet`` (and each surviving ``Sheet``) is updated in place from the
        clone, so references callers hold keep seeing the current state.
        """
        with self.lock:
            current = self._spreadsheets.get(working.spreadsheet_id)
            if current is None or current is working:
                self._spreadsheets[working.spreadsheet_id] = working
                return working
            originals = {id(s): s for s in current.sheets}
            by_id = {s.sheet_id: s for s in current.sheets}
            sheets = []
            for sheet in working.sheets:
                original = by_id.get(sheet.sheet_id)
                if original is not None and id(sheet) not in originals:
                    original.__dict__.update(sheet.__dict__)
                    sheet = original
                sheets.append(sheet)
            current.__dict__.update(working.__dict__)
            current.sheets = sheets
            return current

    # -- "a person editing" -------------------------------------------------------------------

    def set_values(
        self,
        spreadsheet_id: str,
        sheet_title: str,
        start_a1: str,
        rows: Sequence[Sequence[Any]],
        *,
        user_entered: bool = True,
    ) -> None:
        """
        Type ``rows`` into a tab starting at ``start_a1``, growing the grid if needed.

        With ``user_entered``, strings are parsed as the Sheets UI does (numbers, dates, formulas).
        """
        from sheets_emulator.model.a1 import parse_cell
        from sheets_emulator.model.render import parse_input

        with self.lock:
            spreadsheet = self.get(spreadsheet_id)
            sheet = spreadsheet.sheet_by_title(sheet_title)
            if sheet is None:
                raise KeyError(sheet_title)
            r0, c0 = parse_cell(start_a1)
            need_rows = r0 + len(rows)
            need_cols = c0 + max((len(r) for r in rows), default=0)
            if need_rows > sheet.row_count:
                sheet.rows.extend([None] * (need_rows - sheet.row_count))
            if need_cols > sheet.column_count:
                sheet.columns.extend([None] * (need_cols - sheet.column_count))
            for i, values in enumerate(rows):
                for j, value in enumerate(values):
                    sheet.set_cell(r0 + i, c0 + j, parse_input(value, user_entered=user_entered))
            spreadsheet.touch()

    def get_values(
        self,
        spreadsheet_id: str,
        sheet_title: str,
        a1: str | None = None,
        *,
        render: str = "FORMATTED_VALUE",
    ) -> builtins.list[builtins.list[Any]]:
        """
        Read a tab (or an A1 range of it) as values.get would, trimmed the same way.
        """
        from sheets_emulator.model.a1 import quote_title, resolve_range
        from sheets_emulator.model.render import read_block

        with self.lock:
            spreadsheet = self.get(spreadsheet_id)
            text = quote_title(sheet_title) + (f"!{a1}" if a1 else "")
            grid = resolve_range(spreadsheet, text)
            return read_block(spreadsheet, grid, render, "SERIAL_NUMBER", "ROWS")

    # -- persistence --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """
        Serialise every spreadsheet losslessly (versioned) for the persistence file.
        """
        with self.lock:
            return {
                "version": SCHEMA_VERSION,
                "seed": self.seed,
                "rng": _encode_rng(self._rng),
                "spreadsheets": [_dump_spreadsheet(s) for s in self._spreadsheets.values()],
            }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Store:
        """
        Rebuild a store from ``to_json`` output, refusing unknown schema versions.
        """
        version = data.get("version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"unsupported store schema version {version!r}")
        store = cls(seed=int(data.get("seed", 0)))
        if data.get("rng") is not None:
            store._rng.setstate(_decode_rng(data["rng"]))
        for item in data.get("spreadsheets", []):
            spreadsheet = _load_spreadsheet(item)
            store._spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet
        return store


def _now() -> str:
    # RFC 3339 with milliseconds, the format Drive uses for createdTime/modifiedTime.
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{dt.datetime.now(dt.UTC).microsecond // 1000:03d}Z"
    )


def _encode_rng(rng: random.Random) -> list[Any]:
    version, state, gauss = rng.getstate()
    return [version, list(state), gauss]


def _decode_rng(data: list[Any]) -> tuple[Any, ...]:
    return (data[0], tuple(data[1]), data[2])


_SHEET_LISTS = (
    "merges",
    "conditional_formats",
    "protected_ranges",
    "charts",
    "row_groups",
    "column_groups",
)


def _dump_value(value: CellValue) -> Any:
    if isinstance(value, Formula):
        return {"f": value.text}
    if isinstance(value, FormattedNumber):
        return {"n": value.number, "k": value.kind, "p": value.pattern}
    return value


def _load_value(data: Any) -> CellValue:
    if isinstance(data, dict):
        if "f" in data:
            return Formula(data["f"])
        return FormattedNumber(data["n"], data["k"], data["p"])
    value: CellValue = data
    return value


def _int_keys(data: dict[str, Any] | None) -> dict[int, Any] | None:
    return {int(k): v for k, v in data.items()} if data else None


def _dump_sheet(sheet: Sheet) -> dict[str, Any]:
    rows = []
    for i, r in sheet.used_rows():
        rows.append(
            {
                "i": i,
                "v": [_dump_value(v) for v in r.values],
                "notes": r.notes,
                "formats": r.formats,
                "validations": r.validations,
                "metadata": r.metadata,
                "pixelSize": r.pixel_size,
                "hidden": r.hidden,
            }
        )
    columns = [
        {"i": i, "metadata": c.metadata, "pixelSize": c.pixel_size, "hidden": c.hidden}
        for i, c in enumerate(sheet.columns)
        if c is not None
    ]
    data: dict[str, Any] = {
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "rowCount": sheet.row_count,
        "columnCount": sheet.column_count,
        "frozenRowCount": sheet.frozen_row_count,
        "frozenColumnCount": sheet.frozen_column_count,
        "hidden": sheet.hidden,
        "hideGridlines": sheet.hide_gridlines,
        "rowGroupControlAfter": sheet.row_group_control_after,
        "columnGroupControlAfter": sheet.column_group_control_after,
        "rightToLeft": sheet.right_to_left,
        "tabColor": sheet.tab_color,
        "basicFilter": sheet.basic_filter,
        "rows": rows,
        "columns": columns,
    }
    for name in _SHEET_LISTS:
        data[name] = getattr(sheet, name)
    return data


def _load_sheet(data: dict[str, Any]) -> Sheet:
    sheet = Sheet(
        sheet_id=data["sheetId"],
        title=data["title"],
        rows=[None] * data["rowCount"],
        columns=[None] * data["columnCount"],
        frozen_row_count=data.get("frozenRowCount", 0),
        frozen_column_count=data.get("frozenColumnCount", 0),
        hidden=data.get("hidden", False),
        hide_gridlines=data.get("hideGridlines", False),
        row_group_control_after=data.get("rowGroupControlAfter", False),
        column_group_control_after=data.get("columnGroupControlAfter", False),
        right_to_left=data.get("rightToLeft", False),
        tab_color=data.get("tabColor"),
        basic_filter=data.get("basicFilter"),
    )
    for name in _SHEET_LISTS:
        setattr(sheet, name, list(data.get(name) or []))
    for item in data.get("rows", []):
        r = Row()
        r.values = [_load_value(v) for v in item.get("v", [])]
        r.notes = _int_keys(item.get("notes"))
        r.formats = _int_keys(item.get("formats"))
        r.validations = _int_keys(item.get("validations"))
        r.metadata = item.get("metadata")
        r.pixel_size = item.get("pixelSize")
        r.hidden = bool(item.get("hidden", False))
        sheet.rows[item["i"]] = r
    for item in data.get("columns", []):
        c = Column()
        c.metadata = item.get("metadata")
        c.pixel_size = item.get("pixelSize")
        c.hidden = bool(item.get("hidden", False))
        sheet.columns[item["i"]] = c
    return sheet


def _dump_spreadsheet(spreadsheet: Spreadsheet) -> dict[str, Any]:
    return {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "title": spreadsheet.title,
        "locale": spreadsheet.locale,
        "timeZone": spreadsheet.time_zone,
        "autoRecalc": spreadsheet.auto_recalc,
        "namedRanges": spreadsheet.named_ranges,
        "developerMetadata": [
            {"id": k, "value": v} for k, v in spreadsheet.developer_metadata.items()
        ],
        "sharedWith": sorted(spreadsheet.shared_with)
        if spreadsheet.shared_with is not None
        else None,
        "revision": spreadsheet.revision,
        "createdTime": spreadsheet.created_time,
        "modifiedTime": spreadsheet.modified_time,
        "parents": spreadsheet.parents,
        "sheets": [_dump_sheet(s) for s in spreadsheet.sheets],
    }


def _load_spreadsheet(data: dict[str, Any]) -> Spreadsheet:
    shared = data.get("sharedWith")
    return Spreadsheet(
        spreadsheet_id=data["spreadsheetId"],
        title=data["title"],
        sheets=[_load_sheet(s) for s in data["sheets"]],
        locale=data.get("locale", "en_US"),
        time_zone=data.get("timeZone", "Asia/Bangkok"),
        auto_recalc=data.get("autoRecalc", "ON_CHANGE"),
        named_ranges=list(data.get("namedRanges") or []),
        developer_metadata={int(m["id"]): m["value"] for m in data.get("developerMetadata") or []},
        shared_with=set(shared) if shared is not None else None,
        revision=int(data.get("revision", 0)),
        created_time=data.get("createdTime") or _now(),
        modified_time=data.get("modifiedTime") or "",
        parents=list(data.get("parents") or []),
    )
