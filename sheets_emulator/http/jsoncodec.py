"""
JSON in and out of the emulator, through msgspec's encoder and decoder.

A demo sync spends a good part of the emulator's time turning JSON bodies into Python and
back; msgspec does both several times faster than the standard library. Anything msgspec
cannot take (a number out of range, a non-JSON Python value) goes through `json`, so what
is accepted and what is produced never changes, only how fast.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def loads(body: bytes) -> Any:
    """
    Parse a request body, with the standard library's result and errors when msgspec refuses.
    """
    try:
        return _decoder.decode(body)
    except msgspec.DecodeError:
        return json.loads(body)


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
