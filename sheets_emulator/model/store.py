"""
All spreadsheets of one emulator: ID generation, the lock, a person's typing, persistence.

Spreadsheets created here without a zone (seeded, rehearsal copies) take the store's
``seed_time_zone``; those created through the API take its ``api_time_zone`` (``Etc/GMT``, as on
Google). Both default to Google's zone; an application sets its own (the worker's rehearsal
copies say ``Asia/Bangkok``).
"""

from __future__ import annotations

import builtins
import random
import string
import threading
from collections.abc import Container, Iterable, KeysView, Sequence
from typing import Any

from sheets_emulator.model.a1 import parse_cell, quote_title, resolve_range
from sheets_emulator.model.render import parse_input, read_block
from sheets_emulator.model.spreadsheet import (
    API_TIME_ZONE,
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    MAX_CELL_CHARS,
    MAX_CELLS,
    SCHEMA_VERSION,
    CellValue,
    Column,
    FormattedNumber,
    Formula,
    Row,
    Sheet,
    Spreadsheet,
    _now,
)

__all__ = [
    "API_TIME_ZONE",
    "DEFAULT_COLUMNS",
    "DEFAULT_ROWS",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "SCHEMA_VERSION",
    "CellValue",
    "Column",
    "FormattedNumber",
    "Formula",
    "Row",
    "Sheet",
    "Spreadsheet",
    "Store",
]


class Store:
    """
    All spreadsheets of one emulator, with deterministic ID generation and one re-entrant lock.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        api_time_zone: str = API_TIME_ZONE,
        seed_time_zone: str = API_TIME_ZONE,
    ) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        # The zone of spreadsheets created here rather than through the API (seeded, imported,
        # rehearsal copies) when the caller names none.
        self.seed_time_zone = seed_time_zone
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
        time_zone: str | None = None,
        shared_with: Iterable[str] | None = None,
        owner: str | None = None,
    ) -> Spreadsheet:
        """
        Create a spreadsheet with default-sized tabs; the first tab gets sheetId 0 as on Google.
        `owner`: the account that made it through the API (`Spreadsheet.made_by`).
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
                time_zone=time_zone or self.seed_time_zone,
                shared_with=set(shared_with) if shared_with is not None else None,
            )
            if owner is not None:
                spreadsheet.made_by(owner)
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
        **({"brokenNamedRanges": spreadsheet.broken_names} if spreadsheet.broken_names else {}),
        "developerMetadata": [
            {"id": k, "value": v} for k, v in spreadsheet.developer_metadata.items()
        ],
        "sharedWith": sorted(spreadsheet.shared_with)
        if spreadsheet.shared_with is not None
        else None,
        **({"roles": dict(sorted(spreadsheet.roles.items()))} if spreadsheet.roles else {}),
        "revision": spreadsheet.revision,
        "createdTime": spreadsheet.created_time,
        "modifiedTime": spreadsheet.modified_time,
        "parents": spreadsheet.parents,
        **({"importedFrom": spreadsheet.imported_from} if spreadsheet.imported_from else {}),
        "sheets": [_dump_sheet(s) for s in spreadsheet.sheets],
    }


def _load_spreadsheet(data: dict[str, Any]) -> Spreadsheet:
    shared = data.get("sharedWith")
    return Spreadsheet(
        spreadsheet_id=data["spreadsheetId"],
        title=data["title"],
        sheets=[_load_sheet(s) for s in data["sheets"]],
        locale=data.get("locale", "en_US"),
        time_zone=data.get("timeZone", API_TIME_ZONE),
        auto_recalc=data.get("autoRecalc", "ON_CHANGE"),
        named_ranges=list(data.get("namedRanges") or []),
        broken_names=[str(n) for n in data.get("brokenNamedRanges") or []],
        developer_metadata={int(m["id"]): m["value"] for m in data.get("developerMetadata") or []},
        shared_with=set(shared) if shared is not None else None,
        roles={str(k): str(v) for k, v in (data.get("roles") or {}).items()},
        revision=int(data.get("revision", 0)),
        created_time=data.get("createdTime") or _now(),
        modified_time=data.get("modifiedTime") or "",
        parents=list(data.get("parents") or []),
        imported_from=str(data.get("importedFrom") or ""),
    )
