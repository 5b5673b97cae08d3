"""The package's imports keep the architecture: a pure core and no import cycle (static)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "rashomon"
# The pure core: the stages that turn articles into a comparison, and the corpus's indexes.
PURE = ("analyze", "who", "corpus/dedupe.py", "corpus/cluster.py")
# What the pure core must not reach, directly or through another rashomon module.
EDGES = ("sqlite3", "httpx", "rashomon.backends", "rashomon.corpus.store", "rashomon.web")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, module_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    nodes: list[ast.AST] = list(tree.body) if module_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue  # types only: never imported at run time
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): p for p in SRC.rglob("*.py")}


@functools.cache
def _graph(*, module_level_only: bool) -> dict[str, set[str]]:
    return {
        name: {m for m in _imports(path, module_level_only=module_level_only) if m in MODULES}
        | {
            m
            for m in _imports(path, module_level_only=module_level_only)
            if not m.startswith("rashomon")
        }
        for name, path in MODULES.items()
    }


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _pure_modules() -> list[str]:
    out: list[str] = []
    for entry in PURE:
        where = SRC / entry
        paths = [where] if where.suffix == ".py" else sorted(where.rglob("*.py"))
        out.extend(_module_name(p) for p in paths)
    return out


@pytest.mark.parametrize("module", _pure_modules())
def test_the_core_reaches_no_edge(module: str) -> None:
    reached = _reach(_graph(module_level_only=False), module)
    bad = sorted(r for r in reached if r.split(".")[0] in EDGES or r.startswith(EDGES))
    assert bad == [], f"{module} reaches {bad}"


def test_no_import_cycle() -> None:
    graph = _graph(module_level_only=True)
    for module in MODULES:
        assert module not in _reach(graph, module), f"{module} imports itself through others"


def test_the_checks_see_the_package() -> None:
    # a broken path would make the two tests above pass on nothing
    assert {"rashomon.analyze.align", "rashomon.who.quotes", "rashomon.corpus.cluster"} <= set(
        _pure_modules()
    )
    assert "rashomon.corpus.store" in _reach(_graph(module_level_only=False), "rashomon.pipeline")
