"""The package's import graph: no cycles, and the runtime stands below everything else.

Imports are read from the source with `ast`, those inside functions included
(a lazy import is still a dependency: it runs while a gradient runs), relative
imports resolved. `from pkg import name` counts as an import of `pkg.name` when
that is a module, else of `pkg`. Importing `pkg.mod` also runs `pkg/__init__`
first, so that is an edge too (a cycle through a package's __init__ breaks an
import as surely as a direct one), except towards the importing module's own
enclosing packages (they are being imported already) and the root package
`s2sgrad`, which imports the public API and which every module is inside.
"""
from __future__ import annotations

import ast
import pathlib

PACKAGE = "s2sgrad"
# read from the tree, not imported: the test checks the source as written
ROOT = pathlib.Path(__file__).resolve().parents[1] / PACKAGE
# what the code generated for a gradient calls may lean on nothing above it
RUNTIME = "s2sgrad.runtime"
RUNTIME_MAY_IMPORT = ("s2sgrad.runtime", "s2sgrad.errors")


def _modules() -> dict[str, pathlib.Path]:
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _imports(module: str) -> list[tuple[str, int]]:
    """(imported s2sgrad module, line) for every import statement in `module`, wherever it stands."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if _is_package(module) else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                found.append((candidate if candidate in MODULES else origin, node.lineno))
    return [(_known(name), line) for name, line in found if name.split(".")[0] == PACKAGE]


def _known(name: str) -> str:
    """The nearest module of the package that `name` denotes (an attribute path ends at its module)."""
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


def _graph() -> dict[str, dict[str, int]]:
    """module -> {imported module: first line importing it}."""
    graph = {}
    for module in MODULES:
        edges = {}
        for target, line in _imports(module):
            for package in _enclosing_packages(target):     # their __init__ runs first
                if package not in _enclosing_packages(module) and package != PACKAGE and package != module:
                    edges.setdefault(package, line)
            if target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def _enclosing_packages(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _find_cycle(graph) -> list[str] | None:
    """One cycle as [m1, m2, ..., m1], or None (depth-first search, deterministic order)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_import_graph_is_read():
    graph = _graph()
    assert "s2sgrad.api.gradient_function" in graph["s2sgrad.api"]
    assert "s2sgrad.transform" in graph["s2sgrad.api.gradient_function"]
    assert "s2sgrad.graph" in graph["s2sgrad.cli.graph_command"]          # the package's __init__ runs first
    assert "s2sgrad.cli" not in graph["s2sgrad.cli.graph_command"]        # its own package: not an edge


def test_the_package_has_no_import_cycle():
    graph = _graph()
    cycle = _find_cycle(graph)
    if cycle:
        steps = [f"{a} imports {b} ({MODULES[a].relative_to(ROOT.parent)}:{graph[a][b]})"
                 for a, b in zip(cycle, cycle[1:])]
        raise AssertionError("import cycle through " + ", ".join(cycle[:-1]) + ":\n  " + "\n  ".join(steps))


def test_the_runtime_imports_only_itself_and_errors():
    offending = []
    for module in MODULES:
        if module == RUNTIME or module.startswith(RUNTIME + "."):
            for target, line in _imports(module):
                if not any(target == allowed or target.startswith(allowed + ".") for allowed in RUNTIME_MAY_IMPORT):
                    offending.append(f"{MODULES[module].relative_to(ROOT.parent)}:{line} imports {target}")
    assert not offending, ("the runtime that generated code calls must not import the API, the transformer "
                           "or the rules:\n  " + "\n  ".join(offending))


def test_the_cycle_finder_reports_a_cycle():
    assert _find_cycle({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b": 1}, "b": {}}) is None
