"""
Run gspread's own test suite against the emulator, cassettes off, and print what passes.

gspread's tests are recorded against Google; replayed with their cassettes they prove nothing
about the emulator. Here every request goes live to a fresh emulator instead, so a test that
passes means the emulator answered as Google did when the cassette was recorded.

The tests are not part of gspread's distribution; a copy of those of 6.2.1 lives in
``tests/emulator/gspread_v6_2_1`` (the default), or pass the ``tests`` folder of another
gspread checkout.

Run: .venv/bin/python benchmarks/gspread_suite.py [PATH/TO/gspread/tests] [-- PYTEST ARGS]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Appended to gspread's conftest: its `client` fixture now talks to a live emulator, as a
# service account with auth on (so sharing is checked), next to a spreadsheet someone else owns
# (the one gspread's test_access_private_spreadsheet opens); every answer is also held to
# Google's response schema.
_OVERRIDE = """

# --- added by sheetsync's benchmarks/gspread_suite.py: a live emulator instead of cassettes
from google.oauth2.service_account import Credentials as _Credentials

import sheets_emulator.http.server as _emulator_server
from sheets_emulator.http.auth import GOOGLE_TOKEN_URI as _TOKEN_URI
from sheets_emulator.http.auth import AuthConfig as _AuthConfig
from sheets_emulator.http.auth import make_service_account_key as _make_key
from sheets_emulator.http.client import make_gspread_client as _make_client
from sheets_emulator.api.methods import classify as _classify
from sheets_emulator.api.schema import SCHEMA as _SCHEMA
from sheets_emulator.api.schema import method_id as _method_id

_ACCOUNT = "gspread-tests@sheetsync-emulator.iam.gserviceaccount.com"
_KEY, _PUBLIC = _make_key(_ACCOUNT, _TOKEN_URI)


@pytest.fixture(scope="session")
def _emulator():
    auth = _AuthConfig(enabled=True, service_accounts={_ACCOUNT: _PUBLIC})
    with _emulator_server.run_emulator(auth=auth) as handle:
        handle.store.create_spreadsheet(
            "private",
            spreadsheet_id="1jIKzPs8LsiZZdLdeMEP-5ZIHw6RkjiOmj1LrJN706Yc",
            shared_with=["someone-else@example.com"],
        )
        yield handle


@pytest.fixture(autouse=True)
def _answers_match_the_schema(_emulator):
    # Every Sheets answer gspread's tests receive is walked through Google's response schema.
    seen = []
    api = _emulator.api
    handle = api.handle

    def checked(request):
        response = handle(request)
        if request.raw_path.startswith("/v4/") and 200 <= response.status < 300:
            method = _method_id(_classify(request.method, request.raw_path))
            for violation in _SCHEMA.check_response(method, response.body):
                seen.append(f"{request.raw_path}: {violation.description}")
        return response

    api.handle = checked
    yield
    api.handle = handle
    assert not seen, "answers outside Google's schema: " + "; ".join(seen[:10])


@pytest.fixture(scope="module")
def client(_emulator) -> Client:
    credentials = _Credentials.from_service_account_info(_KEY, scopes=SCOPE)
    return _make_client(_emulator.base_url, credentials, http_client=BackOffHTTPClient)
"""

_INI = """[pytest]
markers =
    vcr: gspread's cassette marker (unused here: every request is live)
addopts = -p no:cacheprovider
"""


def main(argv: list[str] | None = None) -> int:
    """
    Copy the tests to a scratch folder, point their client at the emulator, run pytest.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "tests",
        type=Path,
        nargs="?",
        default=Path(__file__).parents[1] / "tests" / "emulator" / "gspread_v6_2_1",
        help="the tests folder of a gspread checkout (default: the copy of 6.2.1's)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        target = root / "tests"
        shutil.copytree(args.tests, target, ignore=shutil.ignore_patterns("cassettes"))
        for test_file in target.glob("*_test.py"):
            # The cassette marks do nothing here, and pytest 9 refuses marks on fixtures.
            text = test_file.read_text(encoding="utf-8")
            test_file.write_text(text.replace("@pytest.mark.vcr()\n", "\n"), encoding="utf-8")
        with (target / "conftest.py").open("a", encoding="utf-8") as conftest:
            conftest.write(_OVERRIDE)
        (root / "pytest.ini").write_text(_INI, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-rf", "tests", *args.pytest_args]
        return subprocess.call(command, cwd=root)


if __name__ == "__main__":
    raise SystemExit(main())
