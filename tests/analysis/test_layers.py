"""The architecture, checked on the source (DESIGN.md §1): engines are plain Python, products do
not reach into each other, the AI layer knows no product, and no module-level import cycles.

Only module-level imports count: an import inside a function (the lazy task<->service kind) or
under `if TYPE_CHECKING:` does not run at import time and cannot form a cycle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = (
    "config",
    "accounts",
    "analysis",
    "review",
    "interviews",
    "reports",
    "conversations",
    "coaching",
)
PRODUCTS = ("review", "interviews", "reports", "conversations", "coaching")
# One product in two apps (DESIGN.md §1): the coach platform reads field conversations.
ALLOWED_BETWEEN_PRODUCTS = {("coaching", "conversations")}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _module_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        elif isinstance(node, ast.Try | ast.If):
            for child in ast.walk(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    yield child


def _targets(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        # `from package import submodule` depends on the submodule, not on the package's __init__
        yield candidate if candidate in MODULES else base


def _all_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _all_imports(child)


def imports_of(module: str, *, module_level_only: bool = True) -> set[str]:
    tree = ast.parse(MODULES[module].read_text())
    nodes = _module_level_imports(tree) if module_level_only else _all_imports(tree)
    return {target for node in nodes for target in _targets(node)}


FORBIDDEN_IN_ENGINES = {"django", "rest_framework", "channels", "celery", *PROJECT_PACKAGES}


def _forbidden_in_engines(target: str) -> bool:
    return target.split(".")[0] in FORBIDDEN_IN_ENGINES and not target.startswith("analysis.engines")


def test_the_engines_are_plain_python_without_django_or_any_app() -> None:
    offenders = {
        module: sorted(t for t in imports_of(module, module_level_only=False) if _forbidden_in_engines(t))
        for module in MODULES
        if module.startswith("analysis.engines")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_no_product_app_imports_another_product_app() -> None:
    crossings = set()
    for module in MODULES:
        app = module.split(".")[0]
        if app not in PRODUCTS:
            continue
        for target in imports_of(module, module_level_only=False):
            other = target.split(".")[0]
            if other in PRODUCTS and other != app and (app, other) not in ALLOWED_BETWEEN_PRODUCTS:
                crossings.add(f"{module} -> {target}")
    assert sorted(crossings) == []


def test_the_ai_layer_and_the_platform_know_no_product() -> None:
    crossings = sorted(
        f"{module} -> {target}"
        for module in MODULES
        if module.split(".")[0] in ("analysis", "accounts")
        for target in imports_of(module, module_level_only=False)
        if target.split(".")[0] in PRODUCTS
    )
    assert crossings == []


def test_no_module_level_import_cycles() -> None:
    graph = {module: {t for t in imports_of(module) if t in MODULES and t != module} for module in MODULES}
    assert [sorted(c) for c in _strongly_connected(graph)] == []


def test_the_only_lazy_cycles_go_through_a_services_lazy_import_of_its_tasks() -> None:
    # every import, lazy ones included, except a lazy import of a `tasks` module (the service that
    # enqueues its own job): what remains must have no cycle
    graph = {}
    for module in MODULES:
        eager = imports_of(module)
        graph[module] = {
            t
            for t in imports_of(module, module_level_only=False)
            if t in MODULES and t != module and (t in eager or not t.endswith(".tasks"))
        }
    assert [sorted(c) for c in _strongly_connected(graph)] == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm; components of more than one module are cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
