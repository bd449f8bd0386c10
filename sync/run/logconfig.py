"""
Structured logs: JSON when not on a terminal, readable when on one; personal data masked.

Thailand's Personal Data Protection Act B.E. 2562 covers national IDs, phones and e-mails,
so every string in every event (keys' values and the message) passes through
`sync.core.mask.mask_personal` before it is rendered — whoever logs what (amounts and sheet ids
stay readable).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Collection, MutableMapping
from typing import Any, TextIO

import structlog

from sync.core.mask import mask_personal

SECRET_KEYS = frozenset({"private_key", "access_token", "token", "assertion", "authorization"})

IDENTIFIER_KEYS = frozenset({"run_id", "spreadsheet", "spreadsheet_id"})
"""Fields that hold the system's own identifiers, never personal data: shown as they are.

A random run id such as `7c616098030e` holds nine digits in a row, which the masker would
take for a phone number typed without its 0, and the log line would no longer name its run.
"""


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal(value)
    if isinstance(value, float) and not value.is_integer():
        return value  # an amount: IDs and phones have no decimals
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A national ID typed as a number reaches the log as one; JSON would print its digits.
        shown = mask_personal(str(value))
        return value if shown == str(value) else shown
    if isinstance(value, dict):
        return {k: ("[redacted]" if k in SECRET_KEYS else _mask(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_mask(v) for v in value)
    if isinstance(value, BaseException):
        return mask_personal(f"{type(value).__name__}: {value}")
    return value


def mask_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: redact secrets and mask personal data in every value."""
    for key in list(event_dict):
        if key in SECRET_KEYS:
            event_dict[key] = "[redacted]"
        elif key not in IDENTIFIER_KEYS or not isinstance(event_dict[key], str):
            event_dict[key] = _mask(event_dict[key])
    return event_dict


def configure_logging(
    *,
    level: str = "INFO",
    json: bool | None = None,
    stream: TextIO | None = None,
    quiet: Collection[str] = (),
) -> None:
    """
    Set up structlog once per process; `json=None` picks JSON unless on a terminal. Events
    in `quiet` are not logged (a command that says them itself: `run`'s failure line).
    """
    out = stream or sys.stderr
    use_json = (not out.isatty()) if json is None else json
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=False),
    ]
    # Libraries log through the standard logging module (apscheduler, urllib3, the emulator's
    # server): their lines get the same format, run id and masking as the worker's own.
    handler = logging.StreamHandler(out)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                mask_event,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_sheetsync", False)]:
        root.removeHandler(old)
    handler._sheetsync = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.getLevelNamesMapping().get(level.upper(), logging.INFO))
    silenced = frozenset(quiet)

    def drop_quiet(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        if event.get("event") in silenced:
            raise structlog.DropEvent
        return event

    structlog.configure(
        processors=[
            drop_quiet,
            *shared,
            structlog.processors.format_exc_info,
            mask_event,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )


def get_logger(**initial: Any) -> Any:
    """A bound logger; bind `run_id` so every line of a run carries it."""
    # A lazy proxy: module-level loggers pick up the configuration in force when they log.
    return structlog.get_logger("sheetsync", **initial)
