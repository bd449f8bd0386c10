"""
The Drive v3 subset gspread needs for spreadsheets: files.create, files.list, files.get,
files.copy, files.delete, files.export (CSV of the first sheet, or .xlsx) and permissions
(https://developers.google.com/drive/api/reference/rest/v3/files), plus the Drive v2 media
upload with ``convert=true`` that gspread's ``import_csv`` sends
(https://developers.google.com/drive/api/reference/rest/v2/files/update).

Permissions map onto the spreadsheet's ``shared_with`` ACL; comments are not modelled (listed as
empty).  ``q`` supports the clauses gspread builds (``mimeType = "…"``, ``name = "…"``,
``"<folder>" in parents`` / ``parents in "<folder>"``) plus ``name contains`` and
``trashed = false``, joined with ``and``.  Only spreadsheets exist on this Drive.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sheets_emulator.api.fields import apply_mask, parse_mask
from sheets_emulator.model.errors import ApiError, invalid_argument, permission_denied
from sheets_emulator.model.render import parse_input, render_value
from sheets_emulator.model.spreadsheet import ANYONE_ROLE_KEY, DOMAIN_ROLE_PREFIX
from sheets_emulator.model.store import DEFAULT_COLUMNS, DEFAULT_ROWS, Sheet, Spreadsheet, Store

if TYPE_CHECKING:
    from sheets_emulator.api.call import ApiRequest, ApiResponse

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_CLAUSE = re.compile(
    r"""^\s*(?:
      (?P<field>mimeType|name)\s*(?P<op>=|!=|contains)\s*(?P<q1>["'])(?P<value>(?:\\.|(?!(?P=q1)).)*)(?P=q1)
     |(?P<q2>["'])(?P<folder>(?:\\.|(?!(?P=q2)).)*)(?P=q2)\s+in\s+parents
     |parents\s+in\s+(?P<q3>["'])(?P<folder2>(?:\\.|(?!(?P=q3)).)*)(?P=q3)
     |trashed\s*=\s*(?P<trashed>true|false)
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def _file_not_found(file_id: str) -> ApiError:
    # Drive v3 bodies also carry an "errors" array; gspread only reads code/message/status.
    return ApiError(404, f"File not found: {file_id}.", "NOT_FOUND")


def file_json(spreadsheet: Spreadsheet) -> dict[str, Any]:
    """
    Render a Drive File resource for a spreadsheet.
    """
    return {
        "kind": "drive#file",
        "id": spreadsheet.spreadsheet_id,
        "name": spreadsheet.title,
        "mimeType": SPREADSHEET_MIME,
        "createdTime": spreadsheet.created_time,
        "modifiedTime": spreadsheet.modified_time,
        "parents": list(spreadsheet.parents),
    }


def _short(spreadsheet: Spreadsheet) -> dict[str, Any]:
    full = file_json(spreadsheet)
    return {k: full[k] for k in ("kind", "id", "name", "mimeType")}


def _matches(spreadsheet: Spreadsheet, query: str) -> bool:
    if not query.strip():
        return True
    for clause in re.split(r"\s+and\s+", query.strip(), flags=re.IGNORECASE):
        m = _CLAUSE.match(clause)
        if m is None:
            raise invalid_argument(f"Invalid Value: q ({clause})")
        if m["trashed"] is not None:
            if m["trashed"].lower() == "true":
                return False
            continue
        folder = m["folder"] if m["folder"] is not None else m["folder2"]
        if folder is not None:
            if folder.replace("\\", "") not in spreadsheet.parents:
                return False
            continue
        value = re.sub(r"\\(.)", r"\1", m["value"])
        actual = SPREADSHEET_MIME if m["field"] == "mimeType" else spreadsheet.title
        op = m["op"].lower()
        ok = (
            (actual == value) if op == "=" else (actual != value) if op == "!=" else value in actual
        )
        if not ok:
            return False
    return True


def handle(store: Store, request: ApiRequest) -> ApiResponse:
    """
    Route a ``/drive/v3/files`` request.
    """
    from sheets_emulator.api.call import ApiResponse

    parts = [unquote(p) for p in request.raw_path[len("/drive/v3/files") :].split("/") if p]
    method = request.method.upper()
    query = request.query
    fields = query["fields"][-1] if query.get("fields") else None
    if not parts and method == "POST":
        body = request.body if isinstance(request.body, dict) else {}
        mime = body.get("mimeType") or SPREADSHEET_MIME
        if mime != SPREADSHEET_MIME:
            raise invalid_argument(f"Only {SPREADSHEET_MIME} files can be created here")
        spreadsheet = store.create_spreadsheet(
            body.get("name") or "Untitled spreadsheet",
            time_zone=store.api_time_zone,
            owner=request.principal,
        )
        spreadsheet.parents = [str(p) for p in body.get("parents") or []]
        return ApiResponse(200, _masked(_short(spreadsheet), fields))
    if not parts and method == "GET":
        return _list(store, request, fields)
    if not parts:
        raise ApiError(404, "Not Found", "NOT_FOUND")
    return _one(store, request, parts, fields)


def _list(store: Store, request: ApiRequest, fields: str | None) -> ApiResponse:
    from sheets_emulator.api.call import ApiResponse

    query = request.query
    q = (query.get("q") or [""])[-1]
    files = [
        file_json(s) for s in store.list() if s.can_access(request.principal) and _matches(s, q)
    ]
    body = {"kind": "drive#fileList", "incompleteSearch": False, "files": files}
    if fields:
        return ApiResponse(200, apply_mask(body, parse_mask(fields)))
    body["files"] = [{k: f[k] for k in ("kind", "id", "name", "mimeType")} for f in files]
    return ApiResponse(200, body)


def _one(store: Store, request: ApiRequest, parts: list[str], fields: str | None) -> ApiResponse:
    from sheets_emulator.api.call import ApiResponse

    method = request.method.upper()
    spreadsheet = store.find(parts[0])
    if spreadsheet is None or not spreadsheet.can_access(request.principal):
        raise _file_not_found(parts[0])
    if len(parts) == 1 and method == "GET":
        return ApiResponse(
            200, _masked(file_json(spreadsheet), fields, default=_short(spreadsheet))
        )
    if len(parts) == 1 and method == "DELETE":
        if not spreadsheet.can_edit(request.principal):
            raise permission_denied()  # a reader or commenter cannot delete it
        store.delete(spreadsheet.spreadsheet_id)
        return ApiResponse(204, None)
    if len(parts) >= 2 and parts[1] == "permissions":
        return _permissions(spreadsheet, request, parts[2:])
    if len(parts) == 2 and parts[1] == "comments":
        # Comments are not modelled; gspread's Client.copy lists (and re-posts) them.
        body: dict[str, Any] = (
            {"comments": []} if method == "GET" else {"kind": "drive#comment", "id": "0"}
        )
        return ApiResponse(200, body)
    if len(parts) == 2 and parts[1] == "export" and method == "GET":
        return _export(store, spreadsheet, (request.query.get("mimeType") or [""])[-1])
    if len(parts) == 2 and parts[1] == "copy" and method == "POST":
        body = request.body if isinstance(request.body, dict) else {}
        twin = spreadsheet.clone()
        twin.spreadsheet_id = store.new_spreadsheet_id()
        twin.title = body.get("name") or f"Copy of {spreadsheet.title}"
        twin.revision = 0
        twin.made_by(request.principal)
        store.replace(twin)
        return ApiResponse(200, _masked(_short(twin), fields))
    raise ApiError(404, "Not Found", "NOT_FOUND")


def _masked(body: dict[str, Any], fields: str | None, default: dict[str, Any] | None = None) -> Any:
    if fields:
        return apply_mask(body, parse_mask(fields))
    return default if default is not None else body


_ANYONE = "anyoneWithLink"


def _permission_id(email: str) -> str:
    return str(zlib.crc32(email.lower().encode()))


_ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
"""Drive's permission roles (Drive v3, Permission.role)."""


def _permission_json(spreadsheet: Spreadsheet, email: str | None) -> dict[str, Any]:
    roles = spreadsheet.roles
    if email is None:
        role = roles.get(ANYONE_ROLE_KEY, "writer")
        return {"kind": "drive#permission", "id": _ANYONE, "type": "anyone", "role": role}
    return {
        "kind": "drive#permission",
        "id": _permission_id(email),
        "type": "user",
        "emailAddress": email,
        "role": roles.get(email, "writer"),
    }


def _grantees(spreadsheet: Spreadsheet) -> list[str]:
    """Every e-mail the file is shared with, by its ACL or a role it was given."""
    named = set(spreadsheet.shared_with or ()) | {
        k for k in spreadsheet.roles if "@" in k and not k.startswith(DOMAIN_ROLE_PREFIX)
    }
    return sorted(named)


def _domains(spreadsheet: Spreadsheet) -> list[str]:
    """Every domain the file is shared with."""
    prefix = DOMAIN_ROLE_PREFIX
    return sorted(k[len(prefix) :] for k in spreadsheet.roles if k.startswith(prefix))


def _domain_json(spreadsheet: Spreadsheet, domain: str) -> dict[str, Any]:
    return {
        "kind": "drive#permission",
        "id": _permission_id(DOMAIN_ROLE_PREFIX + domain),
        "type": "domain",
        "domain": domain,
        "role": spreadsheet.roles[DOMAIN_ROLE_PREFIX + domain],
    }


def _permissions(spreadsheet: Spreadsheet, request: ApiRequest, rest: list[str]) -> ApiResponse:
    """
    Map Drive permissions onto the spreadsheet's ``shared_with`` ACL and ``roles`` (a reader
    or commenter may read, not change it).
    """
    from sheets_emulator.api.call import ApiResponse

    method = request.method.upper()
    if method != "GET" and not spreadsheet.can_edit(request.principal):
        raise permission_denied()  # a reader or commenter cannot share it
    if not rest and method == "GET":
        items = [_permission_json(spreadsheet, e) for e in _grantees(spreadsheet)]
        items += [_domain_json(spreadsheet, d) for d in _domains(spreadsheet)]
        if spreadsheet.shared_with is None:
            items.insert(0, _permission_json(spreadsheet, None))
        return ApiResponse(200, {"kind": "drive#permissionList", "permissions": items})
    if not rest and method == "POST":
        body = request.body if isinstance(request.body, dict) else {}
        kind = body.get("type")
        role = body.get("role")
        if role not in _ROLES:
            raise invalid_argument(
                "The permission role field is required and must be one of " + ", ".join(_ROLES)
            )
        if kind == "anyone":
            for grantee in spreadsheet.shared_with or ():  # (their own access stays theirs)
                spreadsheet.roles.setdefault(grantee, "writer")
            spreadsheet.shared_with = None
            spreadsheet.roles[ANYONE_ROLE_KEY] = str(role)
            return ApiResponse(200, _permission_json(spreadsheet, None))
        if kind == "domain" and body.get("domain"):
            domain = str(body["domain"])
            spreadsheet.roles[DOMAIN_ROLE_PREFIX + domain] = str(role)
            return ApiResponse(200, _domain_json(spreadsheet, domain))
        email = body.get("emailAddress")
        if kind not in ("user", "group") or not email:
            raise invalid_argument(
                "A permission needs type user/group with an emailAddress, domain with a "
                "domain, or anyone."
            )
        if spreadsheet.shared_with is not None:
            spreadsheet.shared_with.add(str(email))
        spreadsheet.roles[str(email)] = str(role)
        return ApiResponse(200, _permission_json(spreadsheet, str(email)))
    if len(rest) == 1 and method == "DELETE":
        if rest[0] == _ANYONE and spreadsheet.shared_with is None:
            spreadsheet.shared_with = {request.principal} if request.principal else set()
            spreadsheet.roles.pop(ANYONE_ROLE_KEY, None)
            return ApiResponse(204, None)
        for domain in _domains(spreadsheet):
            if _permission_id(DOMAIN_ROLE_PREFIX + domain) == rest[0]:
                del spreadsheet.roles[DOMAIN_ROLE_PREFIX + domain]
                return ApiResponse(204, None)
        for email in _grantees(spreadsheet):
            if _permission_id(email) == rest[0]:
                if spreadsheet.shared_with is not None:
                    spreadsheet.shared_with.discard(email)
                spreadsheet.roles.pop(email, None)
                return ApiResponse(204, None)
        raise ApiError(404, f"Permission not found: {rest[0]}.", "NOT_FOUND")
    raise ApiError(404, "Not Found", "NOT_FOUND")


CSV_MIME = "text/csv"
CONVERTED_TIME_ZONE = "America/Los_Angeles"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def first_sheet_csv(spreadsheet: Spreadsheet) -> bytes:
    """
    Render the first tab as Google's CSV export does: displayed values of the used range.
    """
    sheet = spreadsheet.sheets[0]
    lines: list[list[str]] = []
    for row in sheet.rows:
        cells = [] if row is None else row.values
        lines.append(
            [
                str(render_value(spreadsheet, sheet, v, "FORMATTED_VALUE", "SERIAL_NUMBER"))
                for v in cells
            ]
        )
    while lines and not any(lines[-1]):
        lines.pop()
    width = max((len(line) for line in lines), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(line + [""] * (width - len(line)) for line in lines)
    return out.getvalue().removesuffix("\r\n").encode("utf-8")


def _export(store: Store, spreadsheet: Spreadsheet, mime: str) -> ApiResponse:
    from sheets_emulator.api.call import ApiResponse
    from sheets_emulator.files import xlsx

    if not mime:
        raise invalid_argument("Required parameter: mimeType")
    if mime == CSV_MIME:
        data = first_sheet_csv(spreadsheet)
    elif mime == XLSX_MIME:
        data = xlsx.export_bytes(store, spreadsheet.spreadsheet_id)
    else:
        # PDF, ODS, TSV, HTML… exist on Google; the emulator has no renderer for them.
        raise invalid_argument(f"Export to {mime} is not emulated; use {CSV_MIME} or {XLSX_MIME}.")
    headers = {"Content-Type": mime, "Content-Disposition": "attachment"}
    return ApiResponse(200, None, headers, raw=data)


def upload(store: Store, request: ApiRequest) -> ApiResponse:
    """
    Replace a spreadsheet by an uploaded CSV (Drive v2 ``files.update``, ``convert=true``).

    As on Google, the spreadsheet keeps one tab, named after the file, holding the CSV's
    cells as if typed (numbers and dates are parsed); the other tabs, named ranges and
    developer metadata go, and the converted file takes the zone of a service account's
    Drive, America/Los_Angeles (recorded in gspread's ClientTest.test_import_csv).
    """
    from sheets_emulator.api.call import ApiResponse

    file_id = unquote(request.raw_path[len("/upload/drive/v2/files/") :].strip("/"))
    spreadsheet = store.find(file_id)
    if spreadsheet is None or not spreadsheet.can_access(request.principal):
        raise _file_not_found(file_id)
    if not spreadsheet.can_edit(request.principal):
        raise permission_denied()  # a reader or commenter cannot replace it
    if (request.query.get("uploadType") or ["media"])[-1] != "media":
        raise invalid_argument("Only uploadType=media is emulated.")
    raw = request.body if isinstance(request.body, bytes) else b""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid_argument(f"The uploaded CSV is not UTF-8: {exc}") from exc
    rows = list(csv.reader(io.StringIO(text)))
    width = max((len(r) for r in rows), default=0)
    sheet = Sheet(
        sheet_id=spreadsheet.sheets[0].sheet_id,
        title=spreadsheet.title,
        rows=[None] * max(DEFAULT_ROWS, len(rows)),
        columns=[None] * max(DEFAULT_COLUMNS, width),
    )
    for r, cells in enumerate(rows):
        values = [parse_input(cell, user_entered=True) for cell in cells]
        while values and values[-1] is None:
            values.pop()
        if values:
            sheet.row(r).values = values
    spreadsheet.sheets = [sheet]
    spreadsheet.time_zone = CONVERTED_TIME_ZONE
    spreadsheet.named_ranges = []
    spreadsheet.developer_metadata = {}
    spreadsheet.touch()
    return ApiResponse(200, _v2_file(spreadsheet))


def _v2_file(spreadsheet: Spreadsheet) -> dict[str, Any]:
    sid = spreadsheet.spreadsheet_id
    export = f"https://docs.google.com/spreadsheets/export?id={sid}&exportFormat="
    return {
        "kind": "drive#file",
        "id": sid,
        "selfLink": f"https://www.googleapis.com/drive/v2/files/{sid}",
        "title": spreadsheet.title,
        "mimeType": SPREADSHEET_MIME,
        "editable": True,
        "exportLinks": {CSV_MIME: export + "csv", XLSX_MIME: export + "xlsx"},
        "createdDate": spreadsheet.created_time,
        "modifiedDate": spreadsheet.modified_time,
    }
