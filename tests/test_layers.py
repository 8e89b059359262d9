"""The import graph of our packages: every import at module level, and no cycle anywhere.

Every module of ``app/``, ``facilitation/``, ``sessions/`` and ``methods/`` is parsed with ``ast``;
each import of one of our packages counts, wherever it stands (module level, inside a function,
under ``if TYPE_CHECKING:``). A function-level import of our own modules hides a dependency and
usually a cycle, so it is refused outright; the remaining graph must have no cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "facilitation", "sessions", "methods")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module of ours
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that ``name`` (a module or an attribute of one) refers to."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imported(node: ast.Import | ast.ImportFrom, source: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:  # relative import: resolve against the importing package
        package = source if is_package else source.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    # ``from pkg import mod`` imports the module pkg.mod; ``from mod import name`` imports mod
    return [f"{base}.{a.name}" for a in node.names] or [base]


def imports_of(source: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in _imported(node, source, path.name == "__init__.py"):
                target = _resolve(name, modules)
                if target is not None and target != source:
                    found.append(Import(source, target, node.lineno, in_function))
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def import_graph() -> list[Import]:
    modules = our_modules()
    return [imp for name, path in modules.items() for imp in imports_of(name, path, modules)]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as [a, b, ..., a], or None (iterative depth-first search)."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(edges, WHITE)
    for start in sorted(edges):
        if colour[start] != WHITE:
            continue
        path = [start]
        stack = [iter(sorted(edges[start]))]
        colour[start] = GREY
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = BLACK
                stack.pop()
            elif colour.get(nxt, WHITE) == GREY:
                return path[path.index(nxt):] + [nxt]
            elif colour.get(nxt, WHITE) == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                stack.append(iter(sorted(edges.get(nxt, ()))))
    return None


def test_the_scan_sees_our_imports() -> None:
    """Guard against a scan that silently finds nothing."""
    graph = import_graph()
    assert len(our_modules()) > 40
    assert any(i.source == "facilitation.lifecycle" and i.target == "sessions.store" for i in graph)
    assert any(i.source == "methods.registry" and i.target == "methods.base" for i in graph)


def test_no_function_level_imports_of_our_modules() -> None:
    hidden = [f"{i.source}:{i.line} imports {i.target}" for i in import_graph() if i.in_function]
    assert not hidden, "imports inside functions:\n" + "\n".join(hidden)


def test_no_import_cycles() -> None:
    edges: dict[str, set[str]] = {name: set() for name in our_modules()}
    for imp in import_graph():
        edges[imp.source].add(imp.target)
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_find_cycle_reports_the_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_layers_point_down() -> None:
    """methods ← sessions ← facilitation ← app: no package imports one above it."""
    rank = {pkg: i for i, pkg in enumerate(("methods", "sessions", "facilitation", "app"))}
    upward = [f"{i.source}:{i.line} imports {i.target}" for i in import_graph()
              if rank[i.target.split(".")[0]] > rank[i.source.split(".")[0]]]
    assert not upward, "imports against the layers:\n" + "\n".join(upward)
