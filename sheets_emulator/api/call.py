"""
One API call as the handlers see it: the parsed request, the answer, and the routed call.

The HTTP layer builds an ``ApiRequest`` and sends back the ``ApiResponse``; the router hands
each handler a ``Call``. These types sit below the router so that handlers need not import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheets_emulator.model.store import Spreadsheet, Store

__all__ = ["ApiRequest", "ApiResponse", "Call", "Handler"]


@dataclass(frozen=True)
class ApiRequest:
    """
    One API call as received; the raw percent-encoded path keeps method colons apart from ranges.
    """

    method: str
    raw_path: str
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)
    body: Any = None
    principal: str | None = None
    body_has_nulls: bool = True
    """False when the body is known to hold no JSON null, so handlers need not look for any."""


@dataclass
class ApiResponse:
    """
    One API answer; a ``None`` body means an empty response (Drive's 204 on delete).
    """

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    """A non-JSON payload (Drive's files.export), sent as is with the headers' Content-Type."""


@dataclass(frozen=True)
class Call:
    """
    A routed request: the spreadsheet it targets plus the decoded pieces its handler needs.
    """

    request: ApiRequest
    spreadsheet: Spreadsheet
    range_text: str | None = None
    suffix: str | None = None

    def param(self, name: str) -> str | None:
        """
        Return the last value of a query parameter, as requests repeats or drops them.
        """
        values = self.request.query.get(name)
        return values[-1] if values else None

    def params(self, name: str) -> list[str]:
        """
        Return every value of a repeated query parameter such as ``ranges``.
        """
        return list(self.request.query.get(name, ()))

    @property
    def body(self) -> dict[str, Any]:
        """
        Return the JSON body as a dict with explicit ``null`` fields removed (null means absent).
        """
        body = self.request.body
        if not isinstance(body, dict):
            return {}
        return {k: v for k, v in body.items() if v is not None}


Handler = Callable[[Store, Call], Any]
