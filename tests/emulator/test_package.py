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
        "Counters",
        "EmulatorHandle",
        "EmulatorServer",
        "FaultPlan",
        "Faults",
        "Sheet",
        "SheetsApi",
        "Spreadsheet",
        "Store",
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
