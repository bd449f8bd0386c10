"""
Replay Google's answers recorded in gspread's test cassettes against the emulator, field by field.

Each cassette is one gspread test's conversation with Google. Its requests are sent, in order,
to a fresh emulator; ids Google drew (spreadsheets, sheets, protected ranges, …) are mapped to
the emulator's as they appear, and each answer is compared with Google's after masking what
must differ (ids, timestamps, URLs, etags). Prints the share of equal status codes and equal
answers, and the most frequent differences by field path.

The cassettes are not part of gspread's distribution: pass the ``tests/cassettes`` folder of
a gspread 6.2.1 checkout (``git clone --branch v6.2.1 https://github.com/burnash/gspread``).

Run: .venv/bin/python benchmarks/gspread_cassettes.py PATH/TO/gspread/tests/cassettes [--show N]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import requests
from google.oauth2 import service_account

from sheets_emulator.http.auth import GOOGLE_TOKEN_URI, AuthConfig, make_service_account_key
from sheets_emulator.http.client import sheets_session
from sheets_emulator.http.server import run_emulator

_MASKED_KEYS = {
    "createdTime",
    "modifiedTime",
    "createdDate",
    "modifiedDate",
    "etag",
    "spreadsheetUrl",
    "selfLink",
    "exportLinks",
    "iconLink",
    "thumbnailLink",
    "X-GUploader-UploadID",
}
_ID = re.compile(r"^[A-Za-z0-9_-]{25,}$")
# The service account the cassettes were recorded with, and the spreadsheet it could not open.
ACCOUNT = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
PRIVATE = "1jIKzPs8LsiZZdLdeMEP-5ZIHw6RkjiOmj1LrJN706Yc"
SCOPES = [
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
]
# These list every file of the recording account's Drive, which no fresh emulator holds.
ACCOUNT_DEPENDENT = {"ClientTest.test_openall.json", "ClientTest.test_open_all_has_metadata.json"}


def _pairs(recorded: Any, served: Any) -> list[tuple[str, str]]:
    """
    Return (Google's id, the emulator's id) for every *Id / id field the two answers share.
    """
    found: list[tuple[str, str]] = []
    if isinstance(recorded, dict) and isinstance(served, dict):
        for key, value in recorded.items():
            other = served.get(key)
            if (key == "id" or key.endswith("Id")) and isinstance(value, (str, int)):
                if other is not None and str(other) != str(value):
                    found.append((str(value), str(other)))
            else:
                found.extend(_pairs(value, other))
    elif isinstance(recorded, list) and isinstance(served, list):
        for a, b in zip(recorded, served, strict=False):
            found.extend(_pairs(a, b))
    return found


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "<masked>" if k in _MASKED_KEYS or k == "id" or k.endswith("Id") else _masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, str) and _ID.match(value):
        return "<id>"
    return value


def _differences(recorded: Any, served: Any, path: str = "") -> list[str]:
    if isinstance(recorded, dict) and isinstance(served, dict):
        out: list[str] = []
        for key in sorted(set(recorded) | set(served)):
            where = f"{path}.{key}" if path else key
            if key not in served:
                out.append(f"missing {where}")
            elif key not in recorded:
                out.append(f"extra {where}")
            else:
                out.extend(_differences(recorded[key], served[key], where))
        return out
    if isinstance(recorded, list) and isinstance(served, list):
        if len(recorded) != len(served):
            return [f"length of {path}"]
        out = []
        for a, b in zip(recorded, served, strict=True):
            out.extend(_differences(a, b, path + "[]"))
        return out
    return [] if recorded == served else [f"value of {path}"]


def replay(
    cassette: Path, session: requests.Session, base_url: str
) -> list[tuple[bool, bool, list[str]]]:
    """
    Replay one cassette; per interaction: (same status, same answer, differences).
    """
    ids: dict[str, str] = {}
    results: list[tuple[bool, bool, list[str]]] = []
    for interaction in json.loads(cassette.read_text("utf-8"))["interactions"]:
        request = interaction["request"]
        uri, body = request["uri"], request["body"] or ""
        for google_id, own_id in sorted(ids.items(), key=lambda kv: -len(kv[0])):
            uri, body = uri.replace(google_id, own_id), body.replace(google_id, own_id)
        headers = {k: v[0] for k, v in request["headers"].items() if k.lower() in ("content-type",)}
        answer = session.request(
            request["method"], uri, data=body.encode("utf-8") or None, headers=headers
        )
        status = interaction["response"]["status"]["code"]
        text = interaction["response"]["body"]["string"]
        try:
            recorded = json.loads(text) if text.strip() else None
            served = answer.json() if answer.content.strip() else None
        except ValueError:
            recorded, served = text, answer.text
        if isinstance(recorded, dict) and isinstance(served, dict):
            for google_id, own_id in _pairs(recorded, served):
                ids.setdefault(google_id, own_id)
        differences = _differences(_masked(recorded), _masked(served))
        results.append((status == answer.status_code, not differences, differences))
    return results


def main(argv: list[str] | None = None) -> int:
    """
    Replay every cassette of the folder and print the agreement figures.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("cassettes", type=Path, help="gspread's tests/cassettes folder")
    parser.add_argument("--show", type=int, default=15, help="how many differences to list")
    args = parser.parse_args(argv)
    key, public = make_service_account_key(ACCOUNT, GOOGLE_TOKEN_URI)
    credentials = service_account.Credentials.from_service_account_info(key, scopes=SCOPES)
    auth = AuthConfig(enabled=True, service_accounts={ACCOUNT: public})
    counts: Counter[str] = Counter()
    differences: Counter[str] = Counter()
    for cassette in sorted(args.cassettes.glob("*.json")):
        with run_emulator(auth=auth) as emulator:
            emulator.store.create_spreadsheet(
                "private", spreadsheet_id=PRIVATE, shared_with=["someone-else@example.com"]
            )
            session = sheets_session(emulator.base_url, credentials)
            try:
                for same_status, same_answer, found in replay(cassette, session, emulator.base_url):
                    for scope in (
                        ("all", "own") if cassette.name not in ACCOUNT_DEPENDENT else ("all",)
                    ):
                        counts[scope] += 1
                        counts[scope + " status"] += same_status
                        counts[scope + " answer"] += same_answer
                    if cassette.name not in ACCOUNT_DEPENDENT:
                        differences.update(set(found))
            finally:
                session.close()
    for scope, label in (
        ("all", "all cassettes"),
        ("own", f"without {len(ACCOUNT_DEPENDENT)} that list the recording account's Drive"),
    ):
        total = counts[scope]
        print(f"{label}: {total} recorded answers replayed")
        print(f"  same status code: {counts[scope + ' status'] / total:.1%}")
        print(
            f"  same answer (ids, times and URLs masked): {counts[scope + ' answer'] / total:.1%}"
        )
    print("most frequent differences (without those):")
    for difference, count in differences.most_common(args.show):
        print(f"  {count:5d}  {difference}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
