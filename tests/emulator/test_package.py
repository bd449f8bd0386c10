"""
The emulator is a library of its own: a locked front door, no tie to the worker, no import cycle.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import gspread
import pytest

import sheets_emulator
from sheets_emulator.__main__ import main as emulator_main
from sheets_emulator.http.server import EmulatorHandle

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sheets_emulator"


def _graph_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_front_door_names_are_locked() -> None:
    """What `from sheets_emulator import *` offers changes only on purpose."""
    assert sorted(sheets_emulator.__all__) == [
        "ApiError",
        "ApiRequest",
        "ApiResponse",
        "AuthConfig",
        "CannotListen",
        "Counters",
        "EmulatorHandle",
        "EmulatorServer",
        "FaultPlan",
        "Faults",
        "Sheet",
        "SheetsApi",
        "Spreadsheet",
        "Store",
        "UnusableFile",
        "export_xlsx",
        "import_xlsx",
        "load_store",
        "make_gspread_client",
        "make_service_account_key",
        "people",
        "run_emulator",
        "save_store",
        "serve_forever",
        "sheets_session",
    ]
    for name in sheets_emulator.__all__:
        assert getattr(sheets_emulator, name) is not None


def test_imports_nothing_of_the_worker() -> None:
    """No module of the emulator imports sync, rules or kpi, even inside a function."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in {"sync", "rules", "kpi"}:
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_has_no_import_cycle() -> None:
    """No two modules of the emulator import each other, directly or round a loop."""
    tool = _graph_tool()
    modules = {m: p for m, p in tool.collect().items() if m.split(".")[0] == "sheets_emulator"}
    graph = {
        name: tool.targets(name, path, ast.parse(path.read_text(encoding="utf-8")), modules)
        for name, path in modules.items()
    }
    assert len(graph) > 30
    assert tool.cycles(graph) == []


def test_pytest_plugin_is_registered_by_the_package() -> None:
    """Installing the package is enough for pytest to offer its fixtures."""
    points = importlib.metadata.entry_points(group="pytest11")
    assert {p.name: p.value for p in points}.get("sheets_emulator") == (
        "sheets_emulator.pytest_plugin"
    )


def test_plugin_fixtures_give_a_working_client(
    sheets_emulator: EmulatorHandle, gspread_client: gspread.Client
) -> None:
    """A spreadsheet seeded in the store reads back through the real gspread client."""
    sheets_emulator.store.create_spreadsheet("seeded", spreadsheet_id="seed1")
    sheets_emulator.store.set_values("seed1", "Sheet1", "A1", [["a", "1"]])
    assert gspread_client.open_by_key("seed1").sheet1.get_all_values() == [["a", "1"]]


@pytest.mark.parametrize("argv", [["--help"]])
def test_runs_as_a_module(argv: list[str]) -> None:
    """`python -m sheets_emulator --help` describes the server's options."""
    result = subprocess.run(
        [sys.executable, "-m", "sheets_emulator", *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "--port" in result.stdout and "--time-zone" in result.stdout


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--port", "70000"], "argument --port: 70000 is not a port (0-65535; 0 picks a free one)"),
        (["--port", "http"], "argument --port: 'http' is not a port number"),
        (["--time-zone", "Bangkok"], "argument --time-zone: 'Bangkok' is not a time zone"),
        (["--api-time-zone", "GMT+7"], "argument --api-time-zone: 'GMT+7' is not a time zone"),
    ],
)
def test_a_mistaken_option_is_a_usage_error(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An option that cannot be meant (a port past 65535, a zone no one has) stops at once."""
    with pytest.raises(SystemExit) as stopped:
        emulator_main(argv)
    assert 2 == stopped.value.code
    assert said in capsys.readouterr().err


def test_what_it_cannot_use_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """
    A damaged state file, a workbook that is none, a folder of keys that is not there, an
    address that is not this machine's: one line each, exit 1, no traceback, and the state
    file as it was. No warning says the emulator is bound to an address it could not bind.
    """
    state = tmp_path / "state.json"
    state.write_text("{damaged", encoding="utf-8")
    (tmp_path / "book.xlsx").write_text("not a workbook", encoding="utf-8")
    cases = [
        (["--state", str(state)], f"sheets_emulator: state file {state}: not a state this"),
        (
            ["--import-xlsx", str(tmp_path / "book.xlsx")],
            f"sheets_emulator: workbook {tmp_path / 'book.xlsx'}: not an .xlsx workbook",
        ),
        (["--auth-keys", str(tmp_path / "keys")], "sheets_emulator: key folder "),
        # TEST-NET-1 (RFC 5737): never an address of this machine.
        (["--host", "192.0.2.1"], "sheets_emulator: cannot listen on 192.0.2.1:0: Cannot assign"),
    ]
    for argv, said in cases:
        assert 1 == emulator_main([*argv, "--port", "0"])
        err = capsys.readouterr().err
        assert [said] == [line[: len(said)] for line in err.splitlines()]
    assert "{damaged" == state.read_text(encoding="utf-8")
    assert not [r for r in caplog.records if "bound to" in r.getMessage()]
