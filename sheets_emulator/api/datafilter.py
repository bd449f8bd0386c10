"""
Developer metadata lookup and the DataFilter endpoints (values:*ByDataFilter, developerMetadata).

Semantics per https://developers.google.com/sheets/api/reference/rest/v4/DataFilter and
https://developers.google.com/sheets/api/guides/metadata: a lookup addresses whatever row or column
the metadata sits on *now*; ``a1Range``/``gridRange`` filters are positional.  A filter that matches
nothing contributes no range (the request still succeeds, with nothing read or written for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheets_emulator.api.public import public
from sheets_emulator.api.values import (
    WritePlan,
    batch_update_response,
    clear_grids,
    datetime_option,
    input_option,
    major_dimension,
    option_bool,
    plan_write,
    render_option,
    rows_of,
    value_range,
)
from sheets_emulator.model.a1 import Grid, clamp, grid_from_range, parse_range
from sheets_emulator.model.errors import ApiError, bad_enum, invalid_argument, not_found
from sheets_emulator.model.store import Sheet, Spreadsheet, Store

if TYPE_CHECKING:
    from sheets_emulator.api.call import Call

Location = tuple[str, Sheet | None, int | None]
# https://developers.google.com/sheets/api/reference/rest/v4/DataFilter#developermetadatalookup
_STRATEGIES = {
    "INTERSECTING_LOCATION": "INTERSECTING",
    "DEVELOPER_METADATA_LOCATION_MATCHING_STRATEGY_UNSPECIFIED": "INTERSECTING",
    "EXACT_LOCATION": "EXACT",
    "INTERSECTING": "INTERSECTING",
    "EXACT": "EXACT",
}


def locate(spreadsheet: Spreadsheet) -> dict[int, Location]:
    """
    Find where every metadata entry sits now: (locationType, sheet, row/column index).
    """
    found: dict[int, Location] = {}
    for sheet in spreadsheet.sheets:
        for i, row in sheet.used_rows():
            for mid in row.metadata or ():
                found[mid] = ("ROW", sheet, i)
        for i, col in enumerate(sheet.columns):
            if col is not None:
                for mid in col.metadata or ():
                    found[mid] = ("COLUMN", sheet, i)
    for mid, meta in spreadsheet.developer_metadata.items():
        if mid in found:
            continue
        loc = meta.get("location", {})
        if loc.get("locationType") == "SHEET":
            found[mid] = ("SHEET", spreadsheet.sheet_by_id(int(loc.get("sheetId", 0))), None)
        else:
            found[mid] = ("SPREADSHEET", None, None)
    return found


class MetadataIndex:
    """
    Where every metadata entry is now, plus key/value lookups; built once per request.
    """

    def __init__(self, spreadsheet: Spreadsheet) -> None:
        self.where = locate(spreadsheet)
        self.by_key: dict[Any, list[int]] = {}
        self.by_pair: dict[tuple[Any, Any], list[int]] = {}
        for mid, meta in spreadsheet.developer_metadata.items():
            key, value = meta.get("metadataKey"), meta.get("metadataValue")
            self.by_key.setdefault(key, []).append(mid)
            self.by_pair.setdefault((key, value), []).append(mid)

    def candidates(self, spreadsheet: Spreadsheet, lookup: dict[str, Any]) -> list[int]:
        """
        Narrow a lookup to the IDs that can match, before the full comparison.
        """
        if lookup.get("metadataId") is not None:
            mid = int(lookup["metadataId"])
            return [mid] if mid in spreadsheet.developer_metadata else []
        key = lookup.get("metadataKey")
        if key is not None and lookup.get("metadataValue") is not None:
            return self.by_pair.get((key, lookup["metadataValue"]), [])
        if key is not None:
            return self.by_key.get(key, [])
        return list(spreadsheet.developer_metadata)


def location_json(location: Location) -> dict[str, Any]:
    """
    Render a DeveloperMetadataLocation (proto3: a ROW on sheet 0 omits ``sheetId``).
    """
    kind, sheet, index = location
    if kind == "SPREADSHEET" or sheet is None:
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    if kind == "SHEET":
        return {"locationType": "SHEET", "sheetId": sheet.sheet_id}
    dim: dict[str, Any] = {
        "sheetId": sheet.sheet_id,
        "dimension": "ROWS" if kind == "ROW" else "COLUMNS",
        "startIndex": index,
        "endIndex": (index or 0) + 1,
    }
    if sheet.sheet_id == 0:
        del dim["sheetId"]
    return {"locationType": kind, "dimensionRange": dim}


def metadata_json(spreadsheet: Spreadsheet, mid: int, where: dict[int, Location]) -> dict[str, Any]:
    """
    Render one DeveloperMetadata with its current location.
    """
    meta = spreadsheet.developer_metadata[mid]
    out: dict[str, Any] = {"metadataId": mid, "metadataKey": meta.get("metadataKey")}
    if meta.get("metadataValue") is not None:
        out["metadataValue"] = meta["metadataValue"]
    out["location"] = location_json(where[mid])
    out["visibility"] = meta.get("visibility", "DOCUMENT")
    return {k: v for k, v in out.items() if v is not None}


def _location_grid(location: Location) -> Grid | None:
    kind, sheet, index = location
    if sheet is None or kind == "SPREADSHEET":
        return None
    if kind == "SHEET":
        return Grid(sheet, 0, 0, sheet.row_count, sheet.column_count)
    assert index is not None
    if kind == "ROW":
        return Grid(sheet, index, 0, index + 1, sheet.column_count)
    return Grid(sheet, 0, index, sheet.row_count, index + 1)


def _intersects(a: Grid, b: Grid) -> bool:
    return (
        a.sheet.sheet_id == b.sheet.sheet_id
        and a.r0 < b.r1
        and b.r0 < a.r1
        and a.c0 < b.c1
        and b.c0 < a.c1
    )


def _lookup_matches(
    spreadsheet: Spreadsheet, lookup: dict[str, Any], index: MetadataIndex
) -> list[int]:
    strategy = _STRATEGIES.get(lookup.get("locationMatchingStrategy") or "INTERSECTING_LOCATION")
    if strategy is None:
        raise bad_enum(
            "data_filters[0].developer_metadata_lookup.location_matching_strategy",
            "DeveloperMetadataLookup.DeveloperMetadataLocationMatchingStrategy",
            lookup.get("locationMatchingStrategy"),
        )
    wanted_location = lookup.get("metadataLocation")
    target: Grid | None = None
    if wanted_location:
        target = _location_request_grid(spreadsheet, wanted_location)
    out = []
    where = index.where
    for mid in index.candidates(spreadsheet, lookup):
        meta = spreadsheet.developer_metadata[mid]
        if lookup.get("metadataId") is not None and int(lookup["metadataId"]) != mid:
            continue
        if lookup.get("metadataKey") is not None and lookup["metadataKey"] != meta.get(
            "metadataKey"
        ):
            continue
        if lookup.get("metadataValue") is not None and lookup["metadataValue"] != meta.get(
            "metadataValue"
        ):
            continue
        if lookup.get("visibility") is not None and lookup["visibility"] != meta.get("visibility"):
            continue
        location = where[mid]
        if lookup.get("locationType") is not None and lookup["locationType"] != location[0]:
            continue
        if wanted_location:
            own = _location_grid(location)
            if strategy == "EXACT" and location_json(location) != _normalise_location(
                wanted_location
            ):
                continue
            if strategy != "EXACT" and not _loose_match(own, target):
                continue
        out.append(mid)
    return out


def _loose_match(own: Grid | None, target: Grid | None) -> bool:
    # INTERSECTING: ranges must overlap; spreadsheet-level locations only match each other.
    if own is None or target is None:
        return own is None and target is None
    return _intersects(own, target)


def _normalise_location(location: dict[str, Any]) -> dict[str, Any]:

    loc = {k: v for k, v in location.items() if v is not None}
    if "dimensionRange" in loc:
        dim = public(loc["dimensionRange"])
        loc["locationType"] = "ROW" if dim.get("dimension") == "ROWS" else "COLUMN"
        loc["dimensionRange"] = dim
    elif loc.get("sheetId") is not None:
        loc["locationType"] = "SHEET"
    elif loc.get("spreadsheet"):
        loc["locationType"] = "SPREADSHEET"
    return loc


def _location_request_grid(spreadsheet: Spreadsheet, location: dict[str, Any]) -> Grid | None:
    if location.get("dimensionRange"):
        dim = location["dimensionRange"]
        sheet = spreadsheet.sheet_by_id(int(dim.get("sheetId") or 0))
        if sheet is None:
            return None
        start, end = int(dim.get("startIndex") or 0), dim.get("endIndex")
        if dim.get("dimension") == "ROWS":
            return Grid(
                sheet,
                start,
                0,
                int(end) if end is not None else sheet.row_count,
                sheet.column_count,
            )
        return Grid(
            sheet, 0, start, sheet.row_count, int(end) if end is not None else sheet.column_count
        )
    if location.get("sheetId") is not None:
        sheet = spreadsheet.sheet_by_id(int(location["sheetId"]))
        return Grid(sheet, 0, 0, sheet.row_count, sheet.column_count) if sheet else None
    return None


def _filter_grid(spreadsheet: Spreadsheet, data_filter: dict[str, Any]) -> Grid:
    if data_filter.get("a1Range") is not None:
        return clamp(parse_range(spreadsheet, str(data_filter["a1Range"])))
    return grid_from_range(spreadsheet, data_filter["gridRange"])  # (a start past it: 400)


def _check_filter(data_filter: Any) -> dict[str, Any]:
    if not isinstance(data_filter, dict):
        raise invalid_argument("DataFilter must be an object")
    present = [
        k
        for k in ("developerMetadataLookup", "a1Range", "gridRange")
        if data_filter.get(k) is not None
    ]
    if len(present) != 1:
        raise invalid_argument(
            "A DataFilter must set exactly one of developerMetadataLookup, a1Range or gridRange"
        )
    return data_filter


def filter_grids(
    spreadsheet: Spreadsheet, data_filter: dict[str, Any], index: MetadataIndex | None = None
) -> list[Grid]:
    """
    Resolve one DataFilter to the grid ranges it selects now (sheet order, then position).
    """
    data_filter = _check_filter(data_filter)
    lookup = data_filter.get("developerMetadataLookup")
    if lookup is None:
        return [_filter_grid(spreadsheet, data_filter)]
    index = index or MetadataIndex(spreadsheet)
    found = [
        _location_grid(index.where[mid]) for mid in _lookup_matches(spreadsheet, lookup, index)
    ]
    grids = [g for g in found if g is not None]
    order = {id(s): i for i, s in enumerate(spreadsheet.sheets)}
    return sorted(grids, key=lambda g: (order.get(id(g.sheet), 0), g.r0, g.c0))


def matching_metadata(
    spreadsheet: Spreadsheet, data_filter: dict[str, Any], index: MetadataIndex | None = None
) -> list[int]:
    """
    Return the IDs of metadata selected by a DataFilter (range filters select what they intersect).
    """
    data_filter = _check_filter(data_filter)
    index = index or MetadataIndex(spreadsheet)
    where = index.where
    lookup = data_filter.get("developerMetadataLookup")
    if lookup is not None:
        return _lookup_matches(spreadsheet, lookup, index)
    grid = _filter_grid(spreadsheet, data_filter)
    return [
        mid
        for mid in spreadsheet.developer_metadata
        if (own := _location_grid(where[mid])) is not None and _intersects(own, grid)
    ]


# -- endpoints -------------------------------------------------------------------------------


def batch_get(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values:batchGetByDataFilter.
    """
    body = call.body
    major = major_dimension(body.get("majorDimension"))
    render = render_option(body.get("valueRenderOption"))
    dtr = datetime_option(body.get("dateTimeRenderOption"))
    out: list[dict[str, Any]] = []
    index = MetadataIndex(call.spreadsheet)
    for i, data_filter in enumerate(body.get("dataFilters") or []):
        try:
            grids = filter_grids(call.spreadsheet, data_filter, index)
        except ApiError as exc:
            raise invalid_argument(f"Invalid dataFilters[{i}]: {exc.message}") from exc
        for grid in grids:
            out.append(
                {
                    "valueRange": value_range(call.spreadsheet, grid, major, render, dtr),
                    "dataFilters": [data_filter],
                }
            )
    result: dict[str, Any] = {"spreadsheetId": call.spreadsheet.spreadsheet_id}
    if out:
        result["valueRanges"] = out
    return result


def batch_update(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values:batchUpdateByDataFilter: values go to every matched range, all-or-nothing.
    """
    body = call.body
    user_entered = input_option(body.get("valueInputOption"))
    include = option_bool(body.get("includeValuesInResponse"), "include_values_in_response")
    render = render_option(body.get("responseValueRenderOption"))
    dtr = datetime_option(body.get("responseDateTimeRenderOption"))
    spreadsheet = call.spreadsheet
    plans: list[WritePlan] = []
    filters: list[dict[str, Any]] = []
    index = MetadataIndex(spreadsheet)
    for i, entry in enumerate(body.get("data") or []):
        try:
            if not isinstance(entry, dict) or entry.get("dataFilter") is None:
                raise invalid_argument("dataFilter is required")
            major = major_dimension(entry.get("majorDimension"))
            rows = rows_of(entry.get("values"), major, "data.values")
            for grid in filter_grids(spreadsheet, entry["dataFilter"], index):
                limit = parse_range(spreadsheet, grid.a1())
                plan = plan_write(
                    grid.sheet,
                    grid.r0,
                    grid.c0,
                    rows,
                    user_entered=user_entered,
                    limit=limit,
                    strict=True,
                )
                plan.answer_with(grid)  # "the values of the cells in the range matched" (DD)
                plans.append(plan)
                filters.append(entry["dataFilter"])
        except ApiError as exc:
            raise invalid_argument(f"Invalid data[{i}]: {exc.message}") from exc
    for plan in plans:
        plan.apply()
    if plans:
        spreadsheet.touch()
    result = batch_update_response(spreadsheet, plans, include, render, dtr)
    for response, data_filter in zip(result.get("responses", []), filters, strict=True):
        response.pop("spreadsheetId", None)
        response["dataFilter"] = data_filter
    return result


def batch_clear(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve values:batchClearByDataFilter.
    """
    grids: list[Grid] = []
    index = MetadataIndex(call.spreadsheet)
    for i, data_filter in enumerate(call.body.get("dataFilters") or []):
        try:
            grids.extend(filter_grids(call.spreadsheet, data_filter, index))
        except ApiError as exc:
            raise invalid_argument(f"Invalid dataFilters[{i}]: {exc.message}") from exc
    return clear_grids(call.spreadsheet, grids)


def search_metadata(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve developerMetadata:search.
    """
    spreadsheet = call.spreadsheet
    index = MetadataIndex(spreadsheet)
    where = index.where
    matched: dict[int, list[dict[str, Any]]] = {}
    for i, data_filter in enumerate(call.body.get("dataFilters") or []):
        try:
            for mid in matching_metadata(spreadsheet, data_filter, index):
                matched.setdefault(mid, []).append(data_filter)
        except ApiError as exc:
            raise invalid_argument(f"Invalid dataFilters[{i}]: {exc.message}") from exc
    if not matched:
        return {}
    return {
        "matchedDeveloperMetadata": [
            {"developerMetadata": metadata_json(spreadsheet, mid, where), "dataFilters": filters}
            for mid, filters in sorted(matched.items())
        ]
    }


def get_metadata(store: Store, call: Call) -> dict[str, Any]:
    """
    Serve developerMetadata.get.
    """
    try:
        mid = int(call.range_text or "")
    except ValueError as exc:
        raise invalid_argument(f"Invalid metadataId: {call.range_text}") from exc
    if mid not in call.spreadsheet.developer_metadata:
        raise not_found(f"No developer metadata with ID: {mid}")
    return metadata_json(call.spreadsheet, mid, locate(call.spreadsheet))
