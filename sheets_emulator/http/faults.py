"""
Rehearsal controls: latency, injected errors, dropped connections, counters and timed edits.

Everything here is reachable from Python (``handle.faults``, ``handle.counters``) and over
HTTP under ``/__emulator/`` so a rehearsal driven from another process can use it too.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sheets_emulator.api.methods import is_read

if TYPE_CHECKING:
    from sheets_emulator.model.store import Store

__all__ = [
    "Counters",
    "DropMode",
    "FaultPlan",
    "Faults",
    "RequestRecord",
    "google_error",
    "handle_admin",
]

DropMode = Literal["mid_body", "before_response"]
"""
How a dropped connection looks: cut after the headers and part of the body, or before any byte.
"""

EditFn = Callable[["Store"], object]
"""
A person's edit, run against the store between two API requests.
"""

_NOT_QUOTA = frozenset({"token", "iam.allowedLocations", "unknown"})


def _matches(selector: str | None, kind: str) -> bool:
    if kind in _NOT_QUOTA:
        return False
    if selector is None:
        return True
    if selector == "read":
        return is_read(kind)
    if selector == "write":
        return not is_read(kind)
    if selector.endswith(".*"):
        return kind.startswith(selector[:-1])
    return selector == kind


def google_error(status: int, *, kind: str = "") -> dict[str, Any]:
    """
    Build the body Google sends for an injected error status (429, 500, 503, …).
    """
    if status == 429:
        what, limit, metric = (
            ("Read", "ReadRequestsPerMinutePerUser", "read_requests")
            if is_read(kind)
            else ("Write", "WriteRequestsPerMinutePerUser", "write_requests")
        )
        return {
            "error": {
                "code": 429,
                "message": (
                    f"Quota exceeded for quota metric '{what} requests' and limit '{what}"
                    " requests per minute per user' of service 'sheets.googleapis.com' for"
                    " consumer 'project_number:000000000000'."
                ),
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "RATE_LIMIT_EXCEEDED",
                        "domain": "googleapis.com",
                        "metadata": {
                            "consumer": "projects/000000000000",
                            "quota_limit": limit,
                            "quota_metric": f"sheets.googleapis.com/{metric}",
                            "service": "sheets.googleapis.com",
                        },
                    }
                ],
            }
        }
    message, state = {
        500: ("Internal error encountered.", "INTERNAL"),
        502: ("Bad Gateway", "UNAVAILABLE"),
        503: ("The service is currently unavailable.", "UNAVAILABLE"),
        504: ("The service is currently unavailable.", "DEADLINE_EXCEEDED"),
        408: ("Request timed out.", "DEADLINE_EXCEEDED"),
        403: ("The caller does not have permission", "PERMISSION_DENIED"),
        400: ("Request contains an invalid argument.", "INVALID_ARGUMENT"),
        404: ("Requested entity was not found.", "NOT_FOUND"),
    }.get(status, ("Internal error encountered.", "INTERNAL"))
    return {"error": {"code": status, "message": message, "status": state}}


@dataclass
class _FailRule:
    remaining: int
    status: int
    selector: str | None
    retry_after_s: float | None


@dataclass
class _DropRule:
    remaining: int
    selector: str | None
    mode: DropMode


@dataclass
class _Edit:
    countdown: int
    fn: EditFn


@dataclass(frozen=True)
class FaultPlan:
    """
    What to do to one incoming API request, decided before it is served.

    Attributes:
        latency_s: seconds to wait before answering.
        status: an error status to answer with instead of serving the request, or None.
        body: the error body for ``status``.
        headers: extra headers for the error (e.g. ``Retry-After``).
        drop: how to cut the connection after serving, or None.
        edits: people's edits to apply before the request is served.
    """

    latency_s: float = 0.0
    status: int | None = None
    body: dict[str, Any] | None = None
    headers: Mapping[str, str] | None = None
    drop: DropMode | None = None
    edits: tuple[EditFn, ...] = ()


_LOG_SIZE = 1000


@dataclass(frozen=True)
class RequestRecord:
    """
    One answered request as received: method, raw percent-encoded path, kind, status, injected.
    """

    method: str
    raw_path: str
    kind: str
    status: int
    injected: bool = False


class Counters:
    """
    Thread-safe tallies of the requests the emulator received, by kind and by status.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_kind: Counter[str] = Counter()
        self._by_status: Counter[int] = Counter()
        self._injected = 0
        self._log: deque[RequestRecord] = deque(maxlen=_LOG_SIZE)

    def record_request(self, kind: str) -> None:
        """
        Count one received request of this kind.
        """
        with self._lock:
            self._by_kind[kind] += 1

    def record_status(
        self,
        status: int,
        *,
        injected: bool = False,
        method: str = "",
        raw_path: str = "",
        kind: str = "",
    ) -> None:
        """
        Count one answer with this status (``injected`` when a fault produced it) and log it.
        """
        with self._lock:
            self._by_status[status] += 1
            if injected:
                self._injected += 1
            self._log.append(RequestRecord(method, raw_path, kind, status, injected))

    @property
    def log(self) -> list[RequestRecord]:
        """
        The most recent requests (up to a thousand), oldest first, as received on the wire.
        """
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        """
        Start counting from zero.
        """
        with self._lock:
            self._by_kind.clear()
            self._by_status.clear()
            self._injected = 0
            self._log.clear()

    def count(self, kind: str) -> int:
        """
        Requests received of one kind (``"values.get"``), or ``"read"``/``"write"`` totals.
        """
        with self._lock:
            if kind in ("read", "write"):
                return sum(n for k, n in self._by_kind.items() if _matches(kind, k))
            if kind.endswith(".*"):
                return sum(n for k, n in self._by_kind.items() if k.startswith(kind[:-1]))
            return self._by_kind[kind]

    @property
    def by_kind(self) -> dict[str, int]:
        """
        Requests received per kind.
        """
        with self._lock:
            return dict(self._by_kind)

    @property
    def by_status(self) -> dict[int, int]:
        """
        Answers sent per HTTP status.
        """
        with self._lock:
            return dict(self._by_status)

    @property
    def reads(self) -> int:
        """
        Requests counted against the read quota.
        """
        return self.count("read")

    @property
    def writes(self) -> int:
        """
        Requests counted against the write quota.
        """
        return self.count("write")

    @property
    def injected(self) -> int:
        """
        Answers that were injected faults rather than served requests.
        """
        with self._lock:
            return self._injected

    def snapshot(self) -> dict[str, Any]:
        """
        All tallies as JSON, for ``GET /__emulator/counters``.
        """
        by_kind = self.by_kind
        return {
            "total": sum(n for k, n in by_kind.items() if k not in _NOT_QUOTA),
            "reads": self.reads,
            "writes": self.writes,
            "injected": self.injected,
            "byKind": dict(sorted(by_kind.items())),
            "byStatus": {str(k): v for k, v in sorted(self.by_status.items())},
        }


class Faults:
    """
    The schedule of latency, failures, dropped connections and people's edits.

    Selectors name which requests a rule applies to: None (every API request),
    ``"read"``, ``"write"``, a kind such as ``"values.update"``, or a prefix like ``"drive.*"``.
    Token and other auth requests are never delayed or failed.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._latency: dict[str | None, float] = {}
        self._quota: dict[str, int | None] = {"read": None, "write": None}
        self._quota_window_s = 60.0
        self._quota_hits: dict[str, deque[float]] = {"read": deque(), "write": deque()}
        self._fails: list[_FailRule] = []
        self._drops: list[_DropRule] = []
        self._edits: list[_Edit] = []
        self.edit_errors: list[Exception] = []
        """
        Exceptions raised by scheduled edits; they are logged and kept here, never sent to clients.
        """

    def set_latency(self, seconds: float, *, kind: str | None = None) -> None:
        """
        Delay answers by ``seconds`` (for one selector; the most specific selector wins).
        """
        if seconds < 0:
            raise ValueError("latency must not be negative")
        with self._lock:
            if seconds == 0:
                self._latency.pop(kind, None)
            else:
                self._latency[kind] = seconds

    def fail_next(
        self,
        count: int = 1,
        status: int = 429,
        *,
        kind: str | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        """
        Answer the next ``count`` matching requests with ``status`` and Google's body for it.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._fails.append(_FailRule(count, status, kind, retry_after_s))

    def drop_next(
        self, count: int = 1, *, kind: str | None = None, mode: DropMode = "mid_body"
    ) -> None:
        """
        Cut the connection on the next ``count`` matching requests.

        With ``mid_body`` the request is served (a write is applied) and the answer is
        cut after the headers and half the body; with ``before_response`` the request is
        served and the socket is closed before any byte of the answer.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._drops.append(_DropRule(count, kind, mode))

    def set_quota(
        self,
        *,
        reads_per_minute: int | None = None,
        writes_per_minute: int | None = None,
        window_s: float = 60.0,
    ) -> None:
        """
        Enforce per-user quotas like Google's (60 reads and 60 writes a minute by default there).

        Once a side has served its budget within the sliding window, its requests get
        Google's 429 until the window moves on; None lifts that side's limit.
        See https://developers.google.com/sheets/api/limits.
        """
        with self._lock:
            self._quota = {"read": reads_per_minute, "write": writes_per_minute}
            self._quota_window_s = window_s
            self._quota_hits = {"read": deque(), "write": deque()}

    def before_request(self, n: int, fn: EditFn) -> None:
        """
        Run ``fn(store)`` just before the ``n``-th next API request is served (n=1: the next one).
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._edits.append(_Edit(n, fn))

    @property
    def pending_edits(self) -> int:
        """
        People's edits still waiting for their request.
        """
        with self._lock:
            return len(self._edits)

    def reset(self) -> None:
        """
        Remove every latency, failure, drop and pending edit.
        """
        with self._lock:
            self._latency.clear()
            self._fails.clear()
            self._drops.clear()
            self._edits.clear()
            self.edit_errors.clear()
            self._quota = {"read": None, "write": None}
            self._quota_hits = {"read": deque(), "write": deque()}

    def plan(self, kind: str) -> FaultPlan:
        """
        Decide, and consume, what happens to one incoming request of this kind.
        """
        if kind in _NOT_QUOTA:
            return FaultPlan()
        with self._lock:
            due: list[EditFn] = []
            for edit in list(self._edits):
                edit.countdown -= 1
                if edit.countdown == 0:
                    due.append(edit.fn)
                    self._edits.remove(edit)
            latency = self._latency_for(kind)
            fail = next((r for r in self._fails if _matches(r.selector, kind)), None)
            if fail is not None:
                fail.remaining -= 1
                if fail.remaining == 0:
                    self._fails.remove(fail)
                headers = {}
                if fail.retry_after_s is not None:
                    headers["Retry-After"] = f"{fail.retry_after_s:g}"
                return FaultPlan(
                    latency_s=latency,
                    status=fail.status,
                    body=google_error(fail.status, kind=kind),
                    headers=headers,
                    edits=tuple(due),
                )
            if self._over_quota(kind):
                return FaultPlan(
                    latency_s=latency,
                    status=429,
                    body=google_error(429, kind=kind),
                    edits=tuple(due),
                )
            drop = next((r for r in self._drops if _matches(r.selector, kind)), None)
            mode: DropMode | None = None
            if drop is not None:
                drop.remaining -= 1
                if drop.remaining == 0:
                    self._drops.remove(drop)
                mode = drop.mode
            return FaultPlan(latency_s=latency, drop=mode, edits=tuple(due))

    def _over_quota(self, kind: str) -> bool:
        side = "read" if is_read(kind) else "write"
        limit = self._quota[side]
        if limit is None:
            return False
        now = self._clock()
        hits = self._quota_hits[side]
        while hits and hits[0] <= now - self._quota_window_s:
            hits.popleft()
        if len(hits) >= limit:
            return True
        hits.append(now)
        return False

    def _latency_for(self, kind: str) -> float:
        if kind in self._latency:
            return self._latency[kind]
        prefix = kind.split(".")[0] + ".*"
        if prefix in self._latency:
            return self._latency[prefix]
        side = "read" if is_read(kind) else "write"
        if side in self._latency:
            return self._latency[side]
        return self._latency.get(None, 0.0)

    def snapshot(self) -> dict[str, Any]:
        """
        The current schedule as JSON, for ``GET /__emulator/faults``.
        """
        with self._lock:
            return {
                "latency": {(k or "*"): v for k, v in self._latency.items()},
                "fail": [
                    {
                        "count": r.remaining,
                        "status": r.status,
                        "kind": r.selector,
                        "retryAfterS": r.retry_after_s,
                    }
                    for r in self._fails
                ],
                "drop": [
                    {"count": r.remaining, "kind": r.selector, "mode": r.mode} for r in self._drops
                ],
                "pendingEdits": len(self._edits),
                "quota": {
                    "readsPerMinute": self._quota["read"],
                    "writesPerMinute": self._quota["write"],
                    "windowS": self._quota_window_s,
                },
            }


def handle_admin(
    faults: Faults, counters: Counters, method: str, path: str, body: Any
) -> tuple[int, Any] | None:
    """
    Serve the fault and counter controls under ``/__emulator/``; None when the path is not one.

    Routes:
        ``GET /__emulator/counters`` · ``DELETE /__emulator/counters`` (reset) ·
        ``GET /__emulator/faults`` · ``DELETE /__emulator/faults`` (reset) ·
        ``PUT /__emulator/faults/latency`` ``{"seconds": 0.5, "kind": "read"}`` ·
        ``PUT /__emulator/faults/quota`` ``{"readsPerMinute": 60, "writesPerMinute": 60}`` ·
        ``POST /__emulator/faults/fail``
        ``{"count": 2, "status": 429, "kind": null, "retryAfterS": 5}`` ·
        ``POST /__emulator/faults/drop`` ``{"count": 1, "kind": null, "mode": "mid_body"}``.
    """
    args = body if isinstance(body, dict) else {}
    try:
        if path == "/__emulator/counters":
            if method == "GET":
                return 200, counters.snapshot()
            if method == "DELETE":
                counters.reset()
                return 200, counters.snapshot()
        elif path == "/__emulator/faults":
            if method == "GET":
                return 200, faults.snapshot()
            if method == "DELETE":
                faults.reset()
                return 200, faults.snapshot()
        elif path == "/__emulator/faults/latency" and method in ("PUT", "POST"):
            faults.set_latency(float(args.get("seconds", 0)), kind=args.get("kind"))
            return 200, faults.snapshot()
        elif path == "/__emulator/faults/quota" and method in ("PUT", "POST"):
            reads, writes = args.get("readsPerMinute"), args.get("writesPerMinute")
            faults.set_quota(
                reads_per_minute=None if reads is None else int(reads),
                writes_per_minute=None if writes is None else int(writes),
                window_s=float(args.get("windowS", 60)),
            )
            return 200, faults.snapshot()
        elif path == "/__emulator/faults/fail" and method == "POST":
            retry = args.get("retryAfterS")
            faults.fail_next(
                int(args.get("count", 1)),
                int(args.get("status", 429)),
                kind=args.get("kind"),
                retry_after_s=None if retry is None else float(retry),
            )
            return 200, faults.snapshot()
        elif path == "/__emulator/faults/drop" and method == "POST":
            mode = args.get("mode", "mid_body")
            if mode not in ("mid_body", "before_response"):
                raise ValueError(f"unknown drop mode {mode!r}")
            faults.drop_next(int(args.get("count", 1)), kind=args.get("kind"), mode=mode)
            return 200, faults.snapshot()
        else:
            return None
    except (TypeError, ValueError) as exc:
        return 400, google_error(400) | {"detail": str(exc)}
    return 405, {"error": {"code": 405, "message": "Method not allowed.", "status": "UNKNOWN"}}
