"""
The emulator's errors: Google-shaped API errors, so every failure reaches gspread with the real
service's JSON body, and the files it is given but cannot use (``UnusableFile``).

Envelope per https://cloud.google.com/apis/design/errors:
``{"error": {"code", "message", "status"}}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
}


class UnusableFile(ValueError):
    """
    A file the emulator was given that it cannot use: a state file it did not save, a
    workbook that is no .xlsx, a folder of keys that is missing or holds a broken key. The
    message names the file and what is wrong with it, on one line; the file is left as it is.
    """


def reason_of(exc: BaseException) -> str:
    """What went wrong, on one line: an OS error's own words, else the exception's."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, KeyError) and exc.args:
        return f"no {exc.args[0]!r}"
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


class ApiError(Exception):
    """
    Raised anywhere below the HTTP layer; the API boundary turns it into an error response.
    """

    def __init__(
        self,
        code: int,
        message: str,
        status: str | None = None,
        *,
        field_violations: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS_NAMES.get(code, "UNKNOWN")
        self.field_violations = tuple(field_violations)
        """(snake_case field path, description) pairs of a malformed payload."""

    def body(self) -> dict[str, Any]:
        """
        Render the Sheets v4 error envelope that gspread's ``APIError`` parses.

        A payload Google could not parse also carries a ``google.rpc.BadRequest`` detail
        listing each field (https://cloud.google.com/apis/design/errors#error_details); a
        violation at the body's root has no ``field``.
        """
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.field_violations:
            violations = [
                {"field": f, "description": d} if f else {"description": d}
                for f, d in self.field_violations
            ]
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": violations,
                }
            ]
        return {"error": error}


class RequestInvalid(Exception):
    """
    Raised by a batchUpdate request handler; the dispatcher prefixes ``Invalid requests[N].name:``.
    """


def invalid_argument(message: str) -> ApiError:
    """
    Build the 400 used for every malformed request.
    """
    return ApiError(400, message, "INVALID_ARGUMENT")


def not_found(message: str = "Requested entity was not found.") -> ApiError:
    """
    Build the 404 Google answers for unknown spreadsheets and paths.
    """
    return ApiError(404, message, "NOT_FOUND")


def permission_denied() -> ApiError:
    """
    Build the 403 Google answers when the caller's account has no access.
    """
    return ApiError(403, "The caller does not have permission", "PERMISSION_DENIED")


def unable_to_parse_range(range_text: str) -> ApiError:
    """
    Build the 400 Google answers for a range naming no sheet or an invalid reference.
    """
    return invalid_argument(f"Unable to parse range: {range_text}")


def invalid_value(field: str, type_name: str, value: Any) -> ApiError:
    """
    Build the 400 Google answers for a payload value of the wrong type, naming the field.
    """
    message = f"Invalid value at '{field}' ({type_name}), \"{value}\""
    return ApiError(400, message, "INVALID_ARGUMENT", field_violations=[(field, message)])


def bad_enum(field: str, enum_type: str, value: Any) -> ApiError:
    """
    Build the 400 Google answers for an enum value it does not know, e.g. majorDimension=DIAGONAL.
    """
    return invalid_value(field, f"type.googleapis.com/google.apps.sheets.v4.{enum_type}", value)


def required(field: str) -> ApiError:
    """
    Build the 400 Google answers when a required parameter is missing.
    """
    return invalid_argument(f"'{field}' is required but not specified")
