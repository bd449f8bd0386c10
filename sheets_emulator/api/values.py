"""
The ``spreadsheets.values`` endpoints: get, batchGet, update, batchUpdate, append, clear and
batchClear.

Shapes and semantics follow https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values
and responses recorded from the real service (echoed ranges normalised against the grid, trimming of
empty trailing cells, ``null`` skipping a cell, updatedRange shrunk to the written array).
Writes are planned and validated completely before any cell changes, so a failing request (or any
failing entry of a batch) leaves the spreadsheet untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sheets_emulator.model.a1 import Grid, RangeRef, cell_a1, clamp, format_range, parse_range
from sheets_emulator.model.errors import (
    ApiError,
    bad_enum,
    invalid_argument,
    invalid_value,
    required,
)
from sheets_emulator.model.render import (
    DATETIME_OPTIONS,
    RENDER_OPTIONS,
    as_double,
    parse_input,
    read_block,
)
from sheets_emulator.model.store import MAX_CELL_CHARS, MAX_CELLS, Sheet, Spreadsheet, Store

if TYPE_CHECKING:
    from sheets_emulator.api.call import Call

_BOOLS = {"true": True, "false": False, "1": True, "0": False}
_SKIP = object()  # a JSON null in values: "Null values will be skipped"
# The per-cell limit is 50,000 characters (https://support.google.com/drive/answer/37603); this
# wording is the message Sheets shows for longer input, reused for the API's 400.
CELL_TOO_LONG = (
    f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."
)


# -- option parsing --------------------------------------------------------------------------


def option_bool(value: Any, name: str) -> bool:
    """
    Accept JSON booleans and the ``True``/``false`` strings requests puts in query strings.
    """
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    parsed = _BOOLS.get(str(value).lower())
    if parsed is None:
        raise invalid_value(name, "TYPE_BOOL", value)
    return parsed


def major_dimension(value: Any) -> str:
    """
    Validate majorDimension (default ROWS).
    """
    if value in (None, "", "DIMENSION_UNSPECIFIED"):
        return "ROWS"
    if value not in ("ROWS", "COLUMNS"):
        raise bad_enum("major_dimension", "Dimension", value)
    return str(value)


def render_option(value: Any) -> str:
    """
    Validate valueRenderOption (default FORMATTED_VALUE).
    """
    if value in (None, ""):
        return "FORMATTED_VALUE"
    if value not in RENDER_OPTIONS:
        raise bad_enum("value_render_option", "ValueRenderOption", value)
    return str(value)


def datetime_option(value: Any) -> str:
    """
    Validate dateTimeRenderOption (default SERIAL_NUMBER).
    """
    if value in (None, ""):
        return "SERIAL_NUMBER"
    if value not in DATETIME_OPTIONS:
        raise bad_enum("date_time_render_option", "DateTimeRenderOption", value)
    return str(value)


def input_option(value: Any) -> bool:
    """
    Validate the required valueInputOption; returns whether input is USER_ENTERED.
    """
    if value in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
        raise required("valueInputOption")
    if value not in ("RAW", "USER_ENTERED"):
        raise bad_enum("value_input_option", "ValueInputOption", value)
    return value == "USER_ENTERED"


# -- reading ---------------------------------------------------------------------------------


def value_range(
    spreadsheet: Spreadsheet, grid: Grid, major: str, render: str, datetime_render: str
) -> dict[str, Any]:
    """
    Build a ValueRange: ``range`` and ``majorDimension`` always, ``values`` only when non-empty.
    """
    out: dict[str, Any] = {"range": grid.a1(), "majorDimension": major}
    values = read_block(spreadsheet, grid, render, datetime_render, major)
    if values:
        out["values"] = values
    return out


def _read_options(call: Call) -> tuple[str, str, str]:
    return (
        major_dimension(call.param("majorDimension")),
        render_option(call.param("valueRenderOption")),
        datetime_option(call.param("dateTimeRenderOption")),
    )


def get(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values.get.
    """
    major, render, dtr = _read_options(call)
    grid = clamp(parse_range(call.spreadsheet, call.range_text or ""))
    return value_range(call.spreadsheet, grid, major, render, dtr)


def batch_get(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values:batchGet, answering in request order.
    """
    major, render, dtr = _read_options(call)
    grids = [clamp(parse_range(call.spreadsheet, text)) for text in call.params("ranges")]
    out: dict[str, Any] = {"spreadsheetId": call.spreadsheet.spreadsheet_id}
    if grids:
        out["valueRanges"] = [value_range(call.spreadsheet, g, major, render, dtr) for g in grids]
    return out


# -- writing ---------------------------------------------------------------------------------


@dataclass
class WritePlan:
    """
    A validated write: the cells to set and the counts Google reports, applied after all checks.
    """

    sheet: Sheet
    r0: int
    c0: int
    height: int
    width: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    cell_count: int = 0
    columns_touched: set[int] = field(default_factory=set)
    requested: Grid | None = None
    """The requested range (bounded by the grid), when it holds the data written: what
    `includeValuesInResponse` answers with ("all values in the requested range", DD)."""

    def answer_with(self, requested: Grid) -> None:
        """
        Keep the range asked for as the one `includeValuesInResponse` answers with, when it
        holds what is written (an anchor cell the data runs past does not).
        """
        written = self.grid()
        if requested.r1 >= written.r1 and requested.c1 >= written.c1:
            self.requested = requested

    def apply(self) -> None:
        """
        Grow the grid if the plan allows it, then set every planned cell.
        """
        sheet = self.sheet
        if self.r0 + self.height > sheet.row_count:
            sheet.rows.extend([None] * (self.r0 + self.height - sheet.row_count))
        if self.c0 + self.width > sheet.column_count:
            sheet.columns.extend([None] * (self.c0 + self.width - sheet.column_count))
        c0 = self.c0
        for r, values in self.rows:
            row = sheet.row(r)
            end = c0 + len(values)
            if len(row.values) < end:
                row.values.extend([None] * (end - len(row.values)))
            target = row.values
            if _SKIP in values:
                for j, value in enumerate(values):
                    if value is not _SKIP:
                        target[c0 + j] = value
            else:
                target[c0 : c0 + len(values)] = values
            while target and target[-1] is None:
                target.pop()
            if row.is_blank():
                sheet.rows[r] = None

    def grid(self) -> Grid:
        """
        Return the range the data array spans (Google's updatedRange).
        """
        return Grid(
            self.sheet,
            self.r0,
            self.c0,
            self.r0 + max(self.height, 1),
            self.c0 + max(self.width, 1),
        )

    def response(self, spreadsheet_id: str) -> dict[str, Any]:
        """
        Build an UpdateValuesResponse.
        """
        response: dict[str, Any] = {
            "spreadsheetId": spreadsheet_id,
            "updatedRange": self.grid().a1(),
        }
        if self.cell_count:  # (proto3 JSON leaves zero counts out)
            response["updatedRows"] = len(self.rows)
            response["updatedColumns"] = len(self.columns_touched)
            response["updatedCells"] = self.cell_count
        return response


def rows_of(values: Any, major: str, field_name: str) -> list[list[Any]]:
    """
    Validate a ValueRange's ``values`` as a list of lists and return it row-major.
    """
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
        shown = (
            values
            if not isinstance(values, list)
            else next(r for r in values if not isinstance(r, list))
        )
        raise invalid_value(field_name, "type.googleapis.com/google.protobuf.ListValue", shown)
    if major == "COLUMNS":
        height = max((len(c) for c in values), default=0)
        return [[col[i] if i < len(col) else None for col in values] for i in range(height)]
    return values


def plan_write(
    sheet: Sheet,
    r0: int,
    c0: int,
    rows: list[list[Any]],
    *,
    user_entered: bool,
    limit: RangeRef | None = None,
    grow: bool = False,
    strict: bool = False,
) -> WritePlan:
    """
    Validate a block write at (r0, c0); ``limit`` is the requested range it must fit in.

    A 1x1 ``limit`` is an anchor the data may extend from, unless ``strict`` (data filters).
    """
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    anchor_only = limit is not None and limit.r1 == limit.r0 + 1 and limit.c1 == limit.c0 + 1
    if limit is not None and (strict or not anchor_only):
        shown = _limit_text(limit)
        if limit.r1 is not None and r0 + height > limit.r1:
            raise invalid_argument(
                f"Requested writing within range [{shown}], "
                f"but tried writing to row [{r0 + height}]"
            )
        if limit.c1 is not None and c0 + width > limit.c1:
            raise invalid_argument(
                f"Requested writing within range [{shown}], but tried writing to column "
                f"[{cell_a1(0, c0 + width - 1)[:-1]}]"
            )
    if not grow and (r0 + height > sheet.row_count or c0 + width > sheet.column_count):
        raise invalid_argument(
            f"Range ({format_range(sheet.title, r0, c0, r0 + max(height, 1), c0 + max(width, 1))})"
            f" exceeds grid limits. Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
        )
    plan = WritePlan(sheet, r0, c0, height, width)
    columns = plan.columns_touched
    for i, row in enumerate(rows):
        parsed: list[Any] = []
        for j, raw in enumerate(row):
            kind = type(raw)
            if raw is None:
                parsed.append(_SKIP)
                continue
            if kind is str:
                if len(raw) > MAX_CELL_CHARS:
                    raise invalid_argument(CELL_TOO_LONG)
                # RAW text is stored as sent ("" empties the cell), as parse_input would.
                parsed.append(parse_input(raw, user_entered=True) if user_entered else raw or None)
            elif kind is int:
                parsed.append(as_double(raw))  # a number is a double at Google
            elif kind is float or kind is bool:
                parsed.append(raw)  # numbers and booleans are always taken as they are
            elif kind is dict or kind is list:
                raise invalid_argument(
                    "Invalid values[{}][{}]: {}".format(
                        i, j, "struct_value" if kind is dict else "list_value"
                    )
                )
            else:
                parsed.append(parse_input(raw, user_entered=user_entered))
            columns.add(j)
        count = len(parsed) - parsed.count(_SKIP)
        if count:
            plan.rows.append((r0 + i, parsed))
            plan.cell_count += count
    return plan


def _limit_text(ref: RangeRef) -> str:
    end_row = ref.r1 if ref.r1 is not None else ref.sheet.row_count
    end_col = ref.c1 if ref.c1 is not None else ref.sheet.column_count
    return format_range(ref.sheet.title, ref.r0, ref.c0, end_row, end_col)


def plan_range_write(
    spreadsheet: Spreadsheet,
    range_text: str,
    values: Any,
    major: str,
    user_entered: bool,
    field_name: str,
) -> WritePlan:
    """
    Plan a values.update style write: anchor-only and open-ended ranges expand to the data.
    """
    ref = parse_range(spreadsheet, range_text)
    whole = clamp(ref)  # the start must be inside the grid
    rows = rows_of(values, major, field_name)
    plan = plan_write(ref.sheet, ref.r0, ref.c0, rows, user_entered=user_entered, limit=ref)
    plan.answer_with(whole)
    return plan


def _with_data(
    spreadsheet: Spreadsheet,
    plan: WritePlan,
    response: dict[str, Any],
    include: bool,
    render: str,
    dtr: str,
) -> dict[str, Any]:
    if include:
        grid = plan.requested or plan.grid()
        data: dict[str, Any] = {"range": grid.a1(), "majorDimension": "ROWS"}
        values = read_block(spreadsheet, grid, render, dtr, "ROWS")
        if values:
            data["values"] = values
        response["updatedData"] = data
    return response


def update(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values.update (PUT).
    """
    user_entered = input_option(call.param("valueInputOption"))
    include = option_bool(call.param("includeValuesInResponse"), "include_values_in_response")
    render = render_option(call.param("responseValueRenderOption"))
    dtr = datetime_option(call.param("responseDateTimeRenderOption"))
    body = call.body
    major = major_dimension(body.get("majorDimension"))
    spreadsheet = call.spreadsheet
    range_text = call.range_text or ""
    if body.get("range") is not None:
        url_grid = clamp(parse_range(spreadsheet, range_text))
        body_grid = clamp(parse_range(spreadsheet, body["range"]))
        if url_grid != body_grid:
            raise invalid_argument(
                f"Requested range [{range_text}] does not match "
                f"the range in the body [{body['range']}]"
            )
    plan = plan_range_write(
        spreadsheet, range_text, body.get("values"), major, user_entered, "data.values"
    )
    plan.apply()
    spreadsheet.touch()
    return _with_data(
        spreadsheet, plan, plan.response(spreadsheet.spreadsheet_id), include, render, dtr
    )


def batch_update(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values:batchUpdate; every entry is validated before any is applied (all-or-nothing).
    """
    body = call.body
    user_entered = input_option(body.get("valueInputOption"))
    include = option_bool(body.get("includeValuesInResponse"), "include_values_in_response")
    render = render_option(body.get("responseValueRenderOption"))
    dtr = datetime_option(body.get("responseDateTimeRenderOption"))
    spreadsheet = call.spreadsheet
    plans: list[WritePlan] = []
    for i, entry in enumerate(body.get("data") or []):
        try:
            if not isinstance(entry, dict):
                raise invalid_argument("ValueRange expected")
            major = major_dimension(entry.get("majorDimension"))
            plans.append(
                plan_range_write(
                    spreadsheet,
                    str(entry.get("range") or ""),
                    entry.get("values"),
                    major,
                    user_entered,
                    "data.values",
                )
            )
        except ApiError as exc:
            raise invalid_argument(f"Invalid data[{i}]: {exc.message}") from exc
    for plan in plans:
        plan.apply()
    if plans:
        spreadsheet.touch()
    return batch_update_response(spreadsheet, plans, include, render, dtr)


def batch_update_response(
    spreadsheet: Spreadsheet, plans: list[WritePlan], include: bool, render: str, dtr: str
) -> dict[str, Any]:
    """
    Build a BatchUpdateValuesResponse with totals over all planned writes.

    Rows and columns are counted once however many ranges touch them: Google's totals are "the
    number of rows/columns where at least one cell was updated" (BatchUpdateValuesResponse),
    e.g. 4 columns, not 8, for A1:D1 and A4:D4 (recorded in gspread's test_batch_update).
    """
    sid = spreadsheet.spreadsheet_id
    responses = [_with_data(spreadsheet, p, p.response(sid), include, render, dtr) for p in plans]
    out: dict[str, Any] = {"spreadsheetId": sid}
    if plans:
        totals = {
            "totalUpdatedRows": len({(p.sheet.sheet_id, r) for p in plans for r, _ in p.rows}),
            "totalUpdatedColumns": len(
                {(p.sheet.sheet_id, p.c0 + c) for p in plans for c in p.columns_touched}
            ),
            "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
            "totalUpdatedSheets": len({p.sheet.sheet_id for p in plans if p.cell_count}),
        }
        out.update({name: count for name, count in totals.items() if count})  # (no zeros)
        out["responses"] = responses
    return out


# -- append ----------------------------------------------------------------------------------


def _runs(sheet: Sheet, r: int) -> list[tuple[int, int]]:
    row = sheet.rows[r]
    runs: list[tuple[int, int]] = []
    if row is None:
        return runs
    start = None
    for c, v in enumerate([*row.values, None]):
        if v is not None and start is None:
            start = c
        elif v is None and start is not None:
            runs.append((start, c))
            start = None
    return runs


def find_table(grid: Grid) -> Grid | None:
    """
    Locate the "table" values.append extends, reproducing Google's choice of the last data block.

    The first row of the input range with data picks the table's columns: the last contiguous run
    of values intersecting the range (so ``["x","","z"]`` picks column C, gspread issue #537).  The
    table then extends down while rows keep data in those columns.
    """
    sheet = grid.sheet
    for r in range(grid.r0, grid.r1):
        runs = [(a, b) for a, b in _runs(sheet, r) if a < grid.c1 and b > grid.c0]
        if not runs:
            continue
        a, b = runs[-1]
        last = r
        for nxt in range(r + 1, sheet.row_count):
            overlapping = [(x, y) for x, y in _runs(sheet, nxt) if x < b and y > a]
            if not overlapping:
                break
            b = max(b, max(y for _, y in overlapping))
            last = nxt
        return Grid(sheet, r, a, last + 1, b)
    return None


def append(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values.append: find the table, then write after its last row (OVERWRITE or INSERT_ROWS).
    """
    from sheets_emulator.model.shift import insert_dimension

    user_entered = input_option(call.param("valueInputOption"))
    include = option_bool(call.param("includeValuesInResponse"), "include_values_in_response")
    render = render_option(call.param("responseValueRenderOption"))
    dtr = datetime_option(call.param("responseDateTimeRenderOption"))
    insert_option = call.param("insertDataOption") or "OVERWRITE"
    if insert_option not in ("OVERWRITE", "INSERT_ROWS"):
        raise bad_enum("insert_data_option", "InsertDataOption", insert_option)
    body = call.body
    major = major_dimension(body.get("majorDimension"))
    spreadsheet = call.spreadsheet
    grid = clamp(parse_range(spreadsheet, call.range_text or ""))
    rows = rows_of(body.get("values"), major, "data.values")
    table = find_table(grid)
    if table is None:
        r0, c0 = grid.r0, grid.c0
    else:
        r0, c0 = table.r1, table.c0
    plan = plan_write(grid.sheet, r0, c0, rows, user_entered=user_entered, grow=True)
    inserting = insert_option == "INSERT_ROWS" and rows and r0 < grid.sheet.row_count
    new_rows = len(rows) if inserting else max(0, r0 + len(rows) - grid.sheet.row_count)
    new_cols = max(0, plan.c0 + plan.width - grid.sheet.column_count)
    extra = new_rows * grid.sheet.column_count + new_cols * (grid.sheet.row_count + new_rows)
    if spreadsheet.cell_count() + extra > MAX_CELLS:
        raise invalid_argument(
            "This action would increase the number of cells in the workbook above the limit of "
            f"{MAX_CELLS} cells."
        )
    if inserting:
        insert_dimension(spreadsheet, grid.sheet, "ROWS", r0, r0 + len(rows), inherit_before=False)
    plan.apply()
    spreadsheet.touch()
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if table is not None:
        out["tableRange"] = table.a1()
    out["updates"] = _with_data(
        spreadsheet, plan, plan.response(spreadsheet.spreadsheet_id), include, render, dtr
    )
    return out


# -- clearing --------------------------------------------------------------------------------


def clear_grid(grid: Grid) -> None:
    """
    Empty the values (not formats or notes) of a block, as values.clear does.
    """
    sheet = grid.sheet
    for r in range(grid.r0, grid.r1):
        row = sheet.rows[r]
        if row is None or not row.values:
            continue
        for c in range(grid.c0, min(grid.c1, len(row.values))):
            row.values[c] = None
        while row.values and row.values[-1] is None:
            row.values.pop()


def clear(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values.clear.
    """
    grid = clamp(parse_range(call.spreadsheet, call.range_text or ""))
    clear_grid(grid)
    call.spreadsheet.touch()
    return {"spreadsheetId": call.spreadsheet.spreadsheet_id, "clearedRange": grid.a1()}


def batch_clear(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values:batchClear; all ranges are resolved before any is cleared.
    """
    grids = [clamp(parse_range(call.spreadsheet, str(t))) for t in call.body.get("ranges") or []]
    return clear_grids(call.spreadsheet, grids)


def clear_grids(spreadsheet: Spreadsheet, grids: Sequence[Grid]) -> dict[str, Any]:
    """
    Clear `grids` (resolved already) and answer as a batch clear does: the ranges cleared,
    left out when none was (proto3 JSON leaves an empty list out).
    """
    for grid in grids:
        clear_grid(grid)
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if grids:
        spreadsheet.touch()
        out["clearedRanges"] = [g.a1() for g in grids]
    return out
