"""
Which API method a request calls, from its HTTP method and raw path (``values.get``, say).

The router checks a body against that method's schema, and the rehearsal controls count and
fail requests by it.
"""

from __future__ import annotations

import re

__all__ = ["READ_KINDS", "classify", "is_read"]

_V4 = re.compile(r"^/v4/spreadsheets(?:/(?P<id>[^/:]+))?(?P<rest>.*)$")
_DRIVE = re.compile(r"^/(?:upload/)?drive/v[23]/files(?:/(?P<id>[^/:]+))?(?P<rest>.*)$")


def classify(method: str, raw_path: str) -> str:
    """
    Name the API method a request calls, in Google's ``resource.method`` style.
    """
    method = method.upper()
    if raw_path == "/token":
        return "token"
    if raw_path.startswith("/v1/projects/") and raw_path.endswith("/allowedLocations"):
        return "iam.allowedLocations"
    match = _V4.match(raw_path)
    if match:
        return _classify_v4(method, match.group("id"), match.group("rest"))
    match = _DRIVE.match(raw_path)
    if match:
        return _classify_drive(method, match.group("id"), match.group("rest"))
    return "unknown"


def _classify_v4(method: str, sid: str | None, rest: str) -> str:
    if sid is None:
        return "spreadsheets.create" if method == "POST" and rest == "" else "unknown"
    if rest == "":
        return "spreadsheets.get" if method == "GET" else "unknown"
    if rest.startswith(":"):
        return {
            ":batchUpdate": "spreadsheets.batchUpdate",
            ":getByDataFilter": "spreadsheets.getByDataFilter",
        }.get(rest, "unknown")
    if rest.startswith("/values:"):
        return "values." + rest[len("/values:") :]
    if rest.startswith("/values/"):
        if rest.endswith(":append"):
            return "values.append"
        if rest.endswith(":clear"):
            return "values.clear"
        return {"GET": "values.get", "PUT": "values.update"}.get(method, "unknown")
    if rest == "/developerMetadata:search":
        return "developerMetadata.search"
    if rest.startswith("/developerMetadata/"):
        return "developerMetadata.get"
    if rest.startswith("/sheets/") and rest.endswith(":copyTo"):
        return "sheets.copyTo"
    return "unknown"


def _classify_drive(method: str, fid: str | None, rest: str) -> str:
    if fid is None:
        return {"GET": "drive.files.list", "POST": "drive.files.create"}.get(method, "unknown")
    if rest == "":
        return {
            "GET": "drive.files.get",
            "DELETE": "drive.files.delete",
            "PATCH": "drive.files.update",
            "PUT": "drive.files.update",
        }.get(method, "unknown")
    if rest == "/copy":
        return "drive.files.copy"
    if rest == "/export":
        return "drive.files.export"
    if rest.startswith("/permissions"):
        return "drive.permissions.list" if method == "GET" else "drive.permissions.write"
    return "unknown"


# Kinds whose requests Google counts against the read quota; everything else API-side writes.
# https://developers.google.com/sheets/api/limits
READ_KINDS = frozenset(
    {
        "spreadsheets.get",
        "spreadsheets.getByDataFilter",
        "values.get",
        "values.batchGet",
        "values.batchGetByDataFilter",
        "developerMetadata.get",
        "developerMetadata.search",
        "drive.files.get",
        "drive.files.list",
        "drive.files.export",
        "drive.permissions.list",
    }
)


def is_read(kind: str) -> bool:
    """
    Whether a request of this kind counts against the read quota rather than the write one.
    """
    return kind in READ_KINDS
