"""
Transport-free entry point of the Sheets v4 / Drive v3 emulator: parsed request in, JSON out.

The HTTP layer parses the socket request into an ``ApiRequest`` and serialises the ``ApiResponse``;
everything Google-specific (routing, permissions, error bodies) happens here, under the store lock.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qs, unquote

from sheets_emulator.api import datafilter, drive, values
from sheets_emulator.api import spreadsheets_get as sheets_get
from sheets_emulator.api.batch_update import batch_update
from sheets_emulator.api.batch_update.sheets import copy_sheet_to
from sheets_emulator.api.call import ApiRequest, ApiResponse, Call, Handler
from sheets_emulator.api.fields import apply_mask, parse_mask
from sheets_emulator.api.gcpause import gc_paused
from sheets_emulator.api.methods import classify, is_read
from sheets_emulator.api.schema import body_error, fields_error, method_id, query_error
from sheets_emulator.model.errors import ApiError, not_found, permission_denied
from sheets_emulator.model.store import Spreadsheet, Store

__all__ = ["ApiRequest", "ApiResponse", "Call", "SheetsApi", "schema_error"]

log = logging.getLogger(__name__)

# Method suffixes Google puts after a literal colon at the end of the path, see
# https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values
_VALUES_RANGE_SUFFIXES = ("append", "clear")
_PATH = re.compile(r"^/v4/spreadsheets/(?P<id>[^/:]+)(?P<rest>.*)$")


class SheetsApi:
    """
    Serves the Sheets v4 and Drive v3 subset gspread uses, over a shared ``Store``.
    """

    def __init__(self, store: Store, *, validate_schema: bool = True) -> None:
        self.store = store
        self.validate_schema = validate_schema

    def handle(self, request: ApiRequest) -> ApiResponse:
        """
        Route one request and convert any ``ApiError`` into Google's error envelope.

        The body and query are checked against Google's schema first, outside the store lock:
        Google refuses a malformed payload before it looks at the spreadsheet or the range.
        """
        if self.validate_schema and request.raw_path.startswith("/v4/"):
            error = schema_error(request)
            if error is not None:
                return ApiResponse(error.code, error.body())
        with self.store.lock, gc_paused():
            try:
                return self._route(request)
            except ApiError as exc:
                return ApiResponse(exc.code, exc.body())
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                # Malformed input that slipped past validation; Google answers 400, not 500.
                log.warning("invalid request %s %s: %r", request.method, request.raw_path, exc)
                error = ApiError(400, f"Invalid JSON payload received. {exc}", "INVALID_ARGUMENT")
                return ApiResponse(400, error.body())

    def call(
        self,
        method: str,
        url: str,
        body: Any = None,
        *,
        principal: str | None = None,
    ) -> ApiResponse:
        """
        Convenience for in-process callers: split ``url`` ("/v4/...?a=b") and ``handle`` it.
        """
        path, _, query = url.partition("?")
        return self.handle(
            ApiRequest(method, path, parse_qs(query, keep_blank_values=True), body, principal)
        )

    def _route(self, request: ApiRequest) -> ApiResponse:
        path = request.raw_path
        if path.startswith("/drive/v3/files"):
            return drive.handle(self.store, request)
        if path.startswith("/upload/drive/v2/files/") and request.method.upper() == "PUT":
            return drive.upload(self.store, request)
        if path in ("/v4/spreadsheets", "/v4/spreadsheets/") and request.method == "POST":
            return ApiResponse(200, _create(self.store, request))
        match = _PATH.match(path)
        if match is None:
            raise not_found(f"Requested path {path} was not found.")
        spreadsheet = self._open(unquote(match["id"]), request.principal)
        # A reader or commenter changes nothing; copyTo only reads this one (it writes the
        # destination, checked there). With auth off (no principal) anyone edits.
        if not spreadsheet.can_edit(request.principal):
            kind = classify(request.method, request.raw_path)
            if not (is_read(kind) or kind == "sheets.copyTo"):
                raise permission_denied()
        rest = match["rest"]
        handler, call = _dispatch(request, spreadsheet, rest)
        result = handler(self.store, call)
        if isinstance(result, ApiResponse):
            return result
        fields = call.param("fields")
        if fields and handler not in _self_masking():
            # ``fields`` is a system parameter valid on every method:
            # https://cloud.google.com/apis/docs/system-parameters
            result = apply_mask(result, parse_mask(fields))
        return ApiResponse(200, result)

    def _open(self, spreadsheet_id: str, principal: str | None) -> Spreadsheet:
        spreadsheet = self.store.find(spreadsheet_id)
        if spreadsheet is None:
            raise not_found()
        if not spreadsheet.can_access(principal):
            raise permission_denied()
        return spreadsheet


def schema_error(request: ApiRequest) -> ApiError | None:
    """
    Return Google's 400 when a Sheets request's query or body does not match the schema.
    """
    kind = classify(request.method, request.raw_path)
    if kind == "unknown":
        return None
    method = method_id(kind)
    return (
        query_error(method, request.query)
        or fields_error(method, request.query)
        or body_error(method, request.body)
    )


def _self_masking() -> tuple[Handler, ...]:
    """
    Return the handlers that apply ``fields`` themselves (for spreadsheets.get it drives grid data).
    """
    return (sheets_get.handle_get, sheets_get.handle_get_by_data_filter)


def _create(store: Store, request: ApiRequest) -> dict[str, Any]:
    """
    Implement spreadsheets.create with the properties and sheet titles of the body.
    """
    body = request.body if isinstance(request.body, dict) else {}
    props = body.get("properties") or {}
    titles = [
        (s.get("properties") or {}).get("title") or f"Sheet{i + 1}"
        for i, s in enumerate(body.get("sheets") or [])
    ] or ["Sheet1"]
    spreadsheet = store.create_spreadsheet(
        props.get("title") or "Untitled spreadsheet",
        sheets=tuple(titles),
        time_zone=props.get("timeZone") or store.api_time_zone,
        owner=request.principal,
    )
    if props.get("locale"):
        spreadsheet.locale = props["locale"]
    return sheets_get.render_spreadsheet(spreadsheet, include_grid_data=False)


def _dispatch(request: ApiRequest, spreadsheet: Spreadsheet, rest: str) -> tuple[Handler, Call]:
    """
    Pick the handler for the part of the path after the spreadsheet ID.
    """
    method = request.method.upper()
    call = Call(request, spreadsheet)
    routes: dict[tuple[str, str], Handler] = {
        ("GET", ""): sheets_get.handle_get,
        ("POST", ":batchUpdate"): batch_update,
        ("POST", ":getByDataFilter"): sheets_get.handle_get_by_data_filter,
        ("GET", "/values:batchGet"): values.batch_get,
        ("POST", "/values:batchUpdate"): values.batch_update,
        ("POST", "/values:batchClear"): values.batch_clear,
        ("POST", "/values:batchGetByDataFilter"): datafilter.batch_get,
        ("POST", "/values:batchUpdateByDataFilter"): datafilter.batch_update,
        ("POST", "/values:batchClearByDataFilter"): datafilter.batch_clear,
        ("POST", "/developerMetadata:search"): datafilter.search_metadata,
    }
    if (method, rest) in routes:
        return routes[(method, rest)], call
    if rest.startswith("/values/"):
        encoded = rest[len("/values/") :]
        suffix = None
        head, sep, tail = encoded.rpartition(":")
        if sep and tail in _VALUES_RANGE_SUFFIXES:
            encoded, suffix = head, tail
        call = Call(request, spreadsheet, unquote(encoded), suffix)
        value_routes: dict[tuple[str, str | None], Handler] = {
            ("GET", None): values.get,
            ("PUT", None): values.update,
            ("POST", "append"): values.append,
            ("POST", "clear"): values.clear,
        }
        if (method, suffix) in value_routes:
            return value_routes[(method, suffix)], call
    copy_to = re.fullmatch(r"/sheets/(\d+):copyTo", rest)
    if copy_to and method == "POST":
        return copy_sheet_to, Call(request, spreadsheet, copy_to[1])
    if rest.startswith("/developerMetadata/") and method == "GET":
        return datafilter.get_metadata, Call(request, spreadsheet, unquote(rest.split("/")[-1]))
    raise not_found(f"Requested path {request.raw_path} was not found.")
