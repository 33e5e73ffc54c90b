"""The package graph points one way (ARCHITECTURE.md): no two packages of the hub import each other,
directly or round a longer loop, and no package imports another package's views.

A "package" is a direct child of ``hub/``: a sub-package (``hub/practices/``) or a module
(``hub/events.py``). Every import counts — at module level, inside a function, under
``TYPE_CHECKING`` — so moving an import into a function does not hide a loop. ``hub/__init__.py``
(the app factory) and ``hub/web.py`` (which registers the blueprints) are the app setup: they may
import every package's views, and only the console script and the WSGI entry import the factory.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

HUB = Path(__file__).resolve().parent.parent / "hub"
ROOT = "hub"  # the package itself: create_app
APP_SETUP = {"hub", "hub.web"}
FACTORY_USERS = {"hub.__main__", "hub.wsgi"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(HUB.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(module: str) -> bool:
    path = HUB.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of a hub module in ``path``; ``from hub import events``
    names the module ``hub.events``, ``from hub.models import User`` the module ``hub.models``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if _exists(sub) else base))
    hub_imports = [(line, name) for line, name in found if name == ROOT or name.startswith(ROOT + ".")]
    return list(dict.fromkeys(hub_imports))


def _top(module: str) -> str:
    """The package a module belongs to: ``hub.practices.views`` → ``hub.practices``."""
    return ".".join(module.split(".")[:2])


def _sources() -> list[Path]:
    return sorted(p for p in HUB.rglob("*.py") if "migrations" not in p.relative_to(HUB).parts)


def _package_graph() -> dict[str, dict[str, list[str]]]:
    """package → package it imports → where (``file:line module``)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in _sources():
        source = _top(_module_name(path))
        for line, name in _imported(path):
            target = _top(name)
            if target != source:
                graph[source][target].append(f"{path.relative_to(HUB.parent)}:{line} {name}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return components


def test_no_two_packages_import_each_other():
    graph = _package_graph()
    report = []
    for component in _cycles(graph):
        report.append(" ↔ ".join(component))
        for source in component:
            for target in component:
                report += [f"    {source} → {target}: {where}" for where in graph[source].get(target, [])]
    assert not report, "package cycles:\n" + "\n".join(report)


def test_no_package_imports_another_packages_views():
    offending = []
    for path in _sources():
        module = _module_name(path)
        if module in APP_SETUP:
            continue
        for line, name in _imported(path):
            last = name.rpartition(".")[2]
            if (last == "views" or last.endswith("_views")) and _top(name) != _top(module):
                offending.append(f"{path.relative_to(HUB.parent)}:{line} imports {name}")
    assert not offending, "\n".join(offending)


def test_only_the_entry_points_import_the_app_factory():
    offending = [
        f"{path.relative_to(HUB.parent)}:{line}"
        for path in _sources()
        if _module_name(path) not in FACTORY_USERS | {ROOT}
        for line, name in _imported(path)
        if name == ROOT
    ]
    assert not offending, "import create_app only in " + ", ".join(sorted(FACTORY_USERS)) + f": {offending}"


def test_the_checker_finds_loops_and_imports_inside_functions():
    """The checker itself: a loop round three packages is found, and an import inside a function
    (``hub/health.py`` asks the search service inside its check) is an edge like any other."""
    graph = {"hub.a": {"hub.b": ["x"]}, "hub.b": {"hub.c": ["y"]}, "hub.c": {"hub.a": ["z"]}, "hub.d": {}}
    assert _cycles(graph) == [["hub.a", "hub.b", "hub.c"]]
    assert _cycles({"hub.a": {"hub.b": ["x"]}, "hub.b": {}}) == []
    editor = HUB / "editor" / "views.py"
    names = {name for _, name in _imported(editor)}
    assert "hub.practices.pages" in names and "hub.uploads.forms" in names
    health = {name for _, name in _imported(HUB / "health.py")}
    assert "hub.search" in health
