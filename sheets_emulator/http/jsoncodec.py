"""
JSON in and out of the emulator, through msgspec's encoder and decoder.

A demo sync spends a good part of the emulator's time turning JSON bodies into Python and
back; msgspec does both several times faster than the standard library. Anything msgspec
cannot take (a number out of range, a non-JSON Python value) goes through `json`, so what
is accepted and what is produced never changes, only how fast.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

import msgspec

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


class PayloadError(ValueError):
    """A body Google's JSON parser refuses, with the whole message Google gives for it."""


_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(?<=[\[,:\s])(-?(?:NaN|Infinity))')
"""A text (passed over), or a bare `NaN` or `Infinity` where a value starts (group 1)."""
_CONTEXT = 20
"""Characters of the body Google shows on each side of where its parser stopped."""


def loads(body: bytes) -> Any:
    """
    Parse a request body, with the standard library's result and errors when msgspec refuses;
    but `NaN` and `Infinity`, which the standard library takes and JSON has not (a client
    that sends a float NaN as Python writes it), are refused as Google refuses them.
    """
    try:
        return _decoder.decode(body)
    except msgspec.DecodeError:
        return json.loads(body, parse_constant=lambda _: _refuse_constant(body))


def _refuse_constant(body: bytes) -> NoReturn:
    """
    Raise Google's error for a `NaN` or `Infinity` token (gspread issue #680 quotes it):
    "Unexpected token.", then the body around it, `_CONTEXT` characters each side, and a
    caret under the token, on the lines after.
    """
    text = body.decode("utf-8", errors="replace")
    found = next((m for m in _CONSTANT.finditer(text) if m.group(1)), None)
    at = found.start(1) if found is not None else 0
    before = text[max(0, at - _CONTEXT) : at].rsplit("\n", 1)[-1]
    after = text[at : at + _CONTEXT].split("\n", 1)[0]
    raise PayloadError(
        f"Invalid JSON payload received. Unexpected token.\n{before}{after}\n{' ' * len(before)}^"
    )


def dumps(value: Any) -> bytes:
    """
    Encode an answer as compact UTF-8 JSON (Thai text as itself, not as \\u escapes).
    """
    try:
        return _encoder.encode(value)
    except (TypeError, OverflowError, msgspec.EncodeError):
        return json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), check_circular=False
        ).encode()


def pretty(compact: bytes) -> bytes:
    """
    Google's default layout of an answer (`prettyPrint` true): two-space indents, one value a
    line, `": "` after keys, a newline at the end; equal to `json.dumps(value, indent=2,
    ensure_ascii=False) + "\\n"` for every JSON body of gspread's recorded Google
    conversations. Reformats the compact bytes (`dumps`) in C: numbers and texts stay as they
    were encoded.
    """
    return msgspec.json.format(compact, indent=2) + b"\n"
