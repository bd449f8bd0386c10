"""
The emulator's JSON codec: same answers as the standard library, faster; nulls still absent.
"""

from __future__ import annotations

import json
import math

import pytest
import requests

from sheets_emulator.http import jsoncodec
from sheets_emulator.http.server import EmulatorHandle

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.mark.parametrize(
    "value",
    [
        {"values": [["ศก.1", 1, 2.5, True, None, ""]], "range": "'ศก.1'!A1:F1"},
        [1.0, 1e16, 0.1, -0.0, 2**70, "\u200b", 'a"b\\c\n'],
        {},
        [],
    ],
)
def test_round_trips_like_the_standard_library(value: object) -> None:
    """
    What the codec writes, the standard library reads back as the same value, and vice versa.
    """
    assert value == json.loads(jsoncodec.dumps(value))
    assert value == jsoncodec.loads(json.dumps(value, ensure_ascii=False).encode())


def test_thai_text_is_written_as_utf8_not_escapes() -> None:
    """
    Google answers Thai as UTF-8 text; so does the emulator.
    """
    assert "ศก.1".encode() in jsoncodec.dumps({"title": "ศก.1"})


def test_what_msgspec_refuses_goes_through_the_standard_library() -> None:
    """
    A number beyond float range parses as infinity, as `json.loads` parses it.
    """
    assert math.isinf(jsoncodec.loads(b'{"a": 1E400}')["a"])


def test_invalid_json_raises_the_standard_library_error() -> None:
    """
    The server turns a ValueError into Google's 400 "Invalid JSON payload received".
    """
    with pytest.raises(ValueError, match="Expecting"):
        jsoncodec.loads(b'{"a": ')


GSPREAD_680 = (
    "Invalid JSON payload received. Unexpected token.\n"
    'ae", 43344, "None", NaN], ["180901_millb\n'
    "                    ^"
)
"""What Google answered a values update holding a float NaN (gspread issue #680)."""


def test_nan_and_infinity_are_refused_with_google_s_message() -> None:
    """
    Python writes a float NaN as `NaN`, which the standard library reads back but JSON and
    Google do not: refused with Google's message, the body around the token and a caret.
    """
    body = json.dumps({"values": [["180901_millbrae", 43344, "None", math.nan], ["180901_millb"]]})
    with pytest.raises(jsoncodec.PayloadError) as caught:
        jsoncodec.loads(body.encode())
    assert str(caught.value) == GSPREAD_680
    for token in ("Infinity", "-Infinity"):
        with pytest.raises(jsoncodec.PayloadError, match="Unexpected token") as caught:
            jsoncodec.loads(f'{{"a": "NaN", "b": [1,{token}]}}'.encode())
        shown = f'"a": "NaN", "b": [1,{token}]}}'  # (20 characters before the token)
        assert str(caught.value) == f"{GSPREAD_680.split(chr(10))[0]}\n{shown}\n{' ' * 20}^"
    assert {"a": "NaN"} == jsoncodec.loads(b'{"a": "NaN"}')  # (a text is a text)
    with pytest.raises(jsoncodec.PayloadError) as caught:  # the caret under the token, not the text
        jsoncodec.loads(b'{"a": "x, NaN \\" NaN", "b": [1, NaN]}')
    assert str(caught.value).endswith('" NaN", "b": [1, NaN]}\n' + " " * 20 + "^")


def test_a_nan_over_http_is_google_s_400(raw: requests.Session, spreadsheet_id: str) -> None:
    """The answer to a body holding NaN is Google's INVALID_ARGUMENT, nothing written."""
    url = f"{SHEETS}/{spreadsheet_id}/values/A1?valueInputOption=RAW"
    body = '{"values": [["180901_millbrae", 43344, "None", NaN], ["180901_millb"]]}'
    reply = raw.put(url, data=body, headers={"Content-Type": "application/json"})
    assert (reply.status_code, reply.json()) == (
        400,
        {"error": {"code": 400, "message": GSPREAD_680, "status": "INVALID_ARGUMENT"}},
    )
    assert raw.get(url.split("?")[0]).json().get("values") != [["180901_millbrae"]]


def test_answer_that_msgspec_cannot_encode_still_encodes() -> None:
    """
    Tuples and non-string keys are JSON to the standard library; the codec agrees.
    """
    assert {"1": [1, 2]} == json.loads(jsoncodec.dumps({1: (1, 2)}))


def test_nulls_in_a_batch_update_over_http_are_absent_fields(
    raw: requests.Session, spreadsheet_id: str, emulator: EmulatorHandle
) -> None:
    """
    A request body holding JSON nulls is stored (and saved to the state file) without them.
    """
    rng = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 5, "startColumnIndex": 0}
    for condition in ({"type": "NOT_BLANK", "values": None}, {"type": "BLANK"}):
        rule = {"ranges": [rng], "booleanRule": {"condition": condition, "format": {}}}
        reply = raw.post(
            f"{SHEETS}/{spreadsheet_id}:batchUpdate",
            json={"requests": [{"addConditionalFormatRule": {"rule": rule, "index": 0}}]},
        )
        assert 200 == reply.status_code, reply.text
    stored = emulator.store.get(spreadsheet_id).sheets[0].conditional_formats
    assert [{"type": "BLANK"}, {"type": "NOT_BLANK"}] == [
        r["booleanRule"]["condition"] for r in stored
    ]
