"""The worker's house: no module imports a floor above its own, and no import cycle."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _graph() -> tuple[ModuleType, dict[str, set[str]]]:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    modules = tool.collect()
    graph = {
        name: tool.targets(name, path, ast.parse(path.read_text(encoding="utf-8")), modules)
        for name, path in modules.items()
    }
    return tool, graph


def test_no_import_runs_up_a_floor() -> None:
    """Pure core, I/O seam, run time, service, demo, CLI: each imports only what is below it."""
    tool, graph = _graph()
    assert all(tool.layer_of(module) >= 0 for module in graph)
    assert tool.upward(graph) == []


def test_the_worker_has_no_import_cycle() -> None:
    """No two modules of sync/ import each other, directly or round a loop."""
    tool, graph = _graph()
    worker = {
        m: {t for t in ts if t.startswith("sync")}
        for m, ts in graph.items()
        if m.startswith("sync")
    }
    assert tool.cycles(worker) == []


def test_the_pure_core_does_no_io() -> None:
    """sync/core imports nothing of the project but itself and the domain (rules, kpi)."""
    _, graph = _graph()
    core = {m: ts for m, ts in graph.items() if m.startswith("sync.core")}
    assert core
    assert (
        sorted(
            (m, t)
            for m, ts in core.items()
            for t in ts
            if not t.startswith(("sync.core", "rules", "kpi"))
        )
        == []
    )
