"""The package's modules import each other without loops, counting imports inside functions.

A function-level import hides a loop from Python (it works until someone moves the import up)
but not from a reader: two modules that need each other are one concept in two rooms. What both
need belongs in a lower module. Imports under `if TYPE_CHECKING:` are for annotations only
and do not count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cvgen", "counter_lambda")


def module_names(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """`cvgen.settings.config` -> its file, for every module of `packages` under `root`."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, except what sits under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *_runtime_nodes(child)))
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(name: str, source: str, modules: Mapping[str, Path]) -> set[str]:
    """The modules of `modules` that module `name` imports anywhere at run time."""
    is_package = modules[name].name == "__init__.py"
    out: set[str] = set()
    for node in _runtime_nodes(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                child = f"{base}.{alias.name}"
                targets.append(child if child in modules else base)
        out.update(t for t in targets if t in modules and t != name)
    return out


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    modules = module_names(root, packages)
    return {
        name: imports_of(name, path.read_text(encoding="utf-8"), modules)
        for name, path in modules.items()
    }


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One loop per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_round_a_loop() -> None:
    loops = cycles(import_graph(ROOT, PACKAGES))
    assert not loops, "import loops (function-level imports count):\n" + "\n".join(
        " <-> ".join(loop) for loop in loops
    )


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # a loop through a function-level import is found
        ({"a": "import p.b\n", "b": "def f():\n    from p.a import x\n"}, [["p.a", "p.b"]]),
        # relative imports, and a submodule named in `from package import module`
        ({"a": "from . import b\n", "b": "from .a import x\n"}, [["p.a", "p.b"]]),
        # annotations only: no loop
        (
            {
                "a": "import p.b\n",
                "b": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.a import x\n",
            },
            [],
        ),
        # a chain of three
        (
            {"a": "import p.b\n", "b": "import p.c\n", "c": "from p import a\n"},
            [["p.a", "p.b", "p.c"]],
        ),
        ({"a": "import p.b\n", "b": "import json\n"}, []),
    ],
)
def test_the_loop_finder_finds_loops(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "__init__.py").write_text("")
    for stem, source in files.items():
        (tmp_path / "p" / f"{stem}.py").write_text(source)
    assert cycles(import_graph(tmp_path, ("p",))) == expected
