"""
Import-graph figures of the project's packages: modules, import cycles, longest function.

Every ``import`` counts, also those inside functions or under ``TYPE_CHECKING``, because a
cycle hidden in a function is still a cycle a reader has to untangle. A package's implicit
import of its parent ``__init__`` is not counted. Run: ``python scripts/import_graph.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sheets_emulator", "sync", "rules", "kpi")
LAYERS = (
    # Ground first: a module may import from its own layer and the layers listed before it.
    ("rules", "kpi"),
    ("sheets_emulator.model",),
    ("sheets_emulator.files",),
    ("sheets_emulator.api",),
    ("sheets_emulator.http",),
    ("sheets_emulator.people", "sheets_emulator.pytest_plugin", "sheets_emulator.__main__"),
    ("sheets_emulator",),
    # The demo's generated sheet is plain data over the domain's headers: the service checks
    # a tiny one at start (`sync.service.warm`), below the demo that loads and runs it.
    ("sync.core", "sync.demo.data"),
    ("sync.backends",),
    ("sync.run",),
    ("sync.service",),
    ("sync.demo",),
    ("sync.cli", "sync"),
)
"""The floors of the house; `rules` and `kpi` are the domain's ground, shared by both floors."""


def module_name(path: Path) -> str:
    """Dotted module name of a file under ROOT."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def collect() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def targets(name: str, path: Path, tree: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The project modules one module imports."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bases = [alias.name for alias in node.names]
            found.update(b for b in bases if b in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = name.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in modules:
                    found.add(sub)
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def layer_of(module: str) -> int:
    """The floor of a module: the longest prefix named in LAYERS."""
    best, floor = -1, -1
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), number
    return floor


def upward(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from a lower floor to a higher one (the emulator and the worker never mix)."""
    found = []
    for source, targets_ in graph.items():
        for target in targets_:
            if layer_of(target) > layer_of(source):
                found.append((source, target))
    return sorted(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def main() -> None:
    """Print the figures, per package and for the whole project."""
    modules = collect()
    graph: dict[str, set[str]] = {}
    longest = (0, "")
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = targets(name, path, tree, modules)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > longest[0]:
                    longest = (length, f"{name}.{node.name}")
    found = cycles(graph)
    for package in PACKAGES:
        count = sum(1 for m in modules if m.split(".")[0] == package)
        print(f"{package}: {count} modules")
    print(f"modules: {len(modules)}  import edges: {sum(map(len, graph.values()))}")
    print(f"cycles: {len(found)}")
    for component in found:
        print(f"  {len(component)} modules: {', '.join(component)}")
    up = upward(graph)
    print(f"imports that run up a floor: {len(up)}")
    for source, target in up:
        print(f"  {source} -> {target}")
    print(f"longest function: {longest[1]} ({longest[0]} lines)")


if __name__ == "__main__":
    main()
