"""`make mutation`: small realistic bugs put into the modules a change touched, one at a time,
each run against the tests that exercise that module; a bug the tests let through (a
surviving mutant) is a behaviour nothing checks.

    python tools/mutation.py                      # the modules changed since main
    python tools/mutation.py cvgen/settings/write.py cvgen/content/variants.py
    python tools/mutation.py --tests tests/settings cvgen/settings/write.py

Mutants (one per place): a comparison turned round (`==`/`!=`, `<`/`<=`, `in`/`not in` ...),
`and`/`or` swapped, a `not` dropped, `True`/`False` flipped, a number off by one, `+`/`-`
swapped, an `if` whose test is negated, a statement replaced by `pass` (the "line deleted"
bug). Docstrings, `if TYPE_CHECKING:` blocks and logging calls are left alone.

Tests: those that import the module (by its dotted name, or `from package import module`) and
its mirror (`tests/<area>/test_<name>.py`), `-m "not slow"`, stopping at the first failure.
A mutant that makes them fail or time out is killed; one that passes survived, unless
`tools/mutation-equivalent.txt` lists it as equivalent (no behaviour can tell it apart), with
why. Prints one line per survivor and killed / survived / equivalent per module; exits 0 (the
figures are the output, as bench scripts are).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "tools" / "mutation-equivalent.txt"
PACKAGES = ("cvgen", "counter_lambda")

_SWAPS: dict[type[ast.AST], type[ast.AST]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.And: ast.Or,
    ast.Or: ast.And,
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
}
_SYMBOLS: dict[type[ast.AST], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.And: "and",
    ast.Or: "or",
    ast.Add: "+",
    ast.Sub: "-",
}
_STATEMENTS: tuple[type[ast.stmt], ...] = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign)
_STATEMENTS += (ast.Return, ast.Raise, ast.Continue, ast.Break, ast.Delete)


@dataclass(frozen=True)
class Mutant:
    line: int
    description: str  # "== -> !=", "statement -> pass", ...
    source: str  # the whole mutated module

    def key(self, path: str) -> str:
        return f"{path}:{self.line}: {self.description}"


def _skipped_lines(tree: ast.Module) -> set[int]:
    """Lines no mutant touches: docstrings, `if TYPE_CHECKING:` blocks, logging calls."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        first = getattr(node, "lineno", 0)
        span = range(first, (getattr(node, "end_lineno", None) or first) + 1) if first else range(0)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(span)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            lines.update(span)  # docstrings
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            called = ast.unparse(node.value.func)
            if called.startswith(("log.", "logging.", "logger.")):
                lines.update(span)
    return lines


def _changes(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Each way to mutate `node` itself: (description, the node's replacement)."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _SWAPS:
        compare: type[ast.AST] = type(node.ops[0])
        new = copy.copy(node)
        new.ops = [_SWAPS[compare]()]  # type: ignore[list-item]
        yield f"{_SYMBOLS[compare]} -> {_SYMBOLS[_SWAPS[compare]]}", new
    elif isinstance(node, ast.BoolOp):
        logic: type[ast.AST] = type(node.op)
        swapped = ast.BoolOp(_SWAPS[logic](), node.values)  # type: ignore[arg-type]
        yield f"{_SYMBOLS[logic]} -> {_SYMBOLS[_SWAPS[logic]]}", swapped
    elif isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub):
        if not any(
            isinstance(side, ast.Constant) and isinstance(side.value, str)
            for side in (node.left, node.right)
        ) and not isinstance(node.left, ast.JoinedStr | ast.List | ast.Tuple):
            arithmetic: type[ast.AST] = type(node.op)
            turned = ast.BinOp(node.left, _SWAPS[arithmetic](), node.right)  # type: ignore[arg-type]
            yield f"{_SYMBOLS[arithmetic]} -> {_SYMBOLS[_SWAPS[arithmetic]]}", turned
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "`not` dropped", node.operand
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield f"{node.value} -> {not node.value}", ast.Constant(not node.value)
    elif (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        yield f"{node.value} -> {node.value + 1}", ast.Constant(node.value + 1)


def mutants(source: str) -> Iterator[Mutant]:
    tree = ast.parse(source)
    skipped = _skipped_lines(tree)
    # every place, addressed by its position in a walk of the tree
    places = [n for n in ast.walk(tree) if getattr(n, "lineno", 0) not in skipped]
    for index, node in enumerate(places):
        options: list[tuple[str, ast.AST | str]] = list(_changes(node))
        if isinstance(node, ast.If):
            options.append(("`if` test negated", "negate"))
        if isinstance(node, _STATEMENTS):
            options.append(("statement -> pass", "pass"))
        for description, replacement in options:
            mutated = ast.parse(source)
            target = [n for n in ast.walk(mutated) if getattr(n, "lineno", 0) not in skipped][index]
            if not _apply(mutated, target, replacement):
                continue
            try:
                text = ast.unparse(mutated)
            except (ValueError, TypeError, AttributeError):
                continue
            yield Mutant(node.lineno, description, text)  # type: ignore[attr-defined]


def _apply(tree: ast.AST, target: ast.AST, replacement: ast.AST | str) -> bool:
    if replacement == "negate":
        assert isinstance(target, ast.If)
        target.test = ast.UnaryOp(ast.Not(), target.test)
        return True
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, list) and any(item is target for item in value):
                position = next(i for i, item in enumerate(value) if item is target)
                new = ast.Pass() if isinstance(replacement, str) else replacement
                value[position] = ast.copy_location(new, target)
                return True
            if value is target:
                if isinstance(replacement, str):
                    return False  # a statement always sits in a list
                setattr(parent, field, ast.copy_location(replacement, target))
                return True
    return False


def tests_for(path: Path) -> list[Path]:
    """The test files that import the module at `path`, and its mirror."""
    relative = path.resolve().relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    dotted = ".".join(parts)
    parent, name = ".".join(parts[:-1]), parts[-1]
    found: set[Path] = set()
    for test in (ROOT / "tests").rglob("test_*.py"):
        text = test.read_text(encoding="utf-8")
        if dotted in text or (f"from {parent} import" in text and f" {name}" in text):
            found.add(test)
    mirror = ROOT / "tests" / Path(*parts[1:-1]) / f"test_{name}.py"
    if mirror.is_file():
        found.add(mirror)
    return sorted(found)


def changed_modules(base: str) -> list[Path]:
    names = subprocess.run(
        ["git", "diff", "--name-only", f"{base}...HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        ROOT / name
        for name in names
        if name.endswith(".py") and name.startswith(PACKAGES) and (ROOT / name).is_file()
    ]


def run_tests(tests: list[Path], timeout: float) -> str:
    """ "passed", "failed" or "timeout"."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p"]
    command += ["no:cacheprovider", "-m", "not slow", "--no-header", *map(str, tests)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, whichever venv runs it
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "passed" if done.returncode == 0 else "failed"


def equivalents() -> dict[str, str]:
    """`path:line: description` -> why no behaviour tells it apart."""
    found: dict[str, str] = {}
    if EQUIVALENT_FILE.is_file():
        for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, why = line.partition("  # ")
                found[key.strip()] = why.strip()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", type=Path, help="default: changed since --base")
    parser.add_argument("--base", default="main", help="what `changed since` means")
    parser.add_argument("--tests", nargs="*", type=Path, help="default: the modules' tests")
    parser.add_argument("--lines", help="only mutants on these lines, e.g. 30-80")
    args = parser.parse_args(argv)
    modules = [m.resolve() for m in args.modules] or changed_modules(args.base)
    known = equivalents()
    totals = {"killed": 0, "survived": 0, "equivalent": 0}
    for module in modules:
        display = module.relative_to(ROOT).as_posix()
        tests = args.tests or tests_for(module)
        if not tests:
            print(f"{display}: no tests import it; nothing to run")
            continue
        started = time.perf_counter()
        if run_tests(tests, timeout=1200) != "passed":
            print(f"{display}: its tests fail without a mutant; fix them first")
            continue
        timeout = 3 * (time.perf_counter() - started) + 20
        original = module.read_text(encoding="utf-8")
        counts = {"killed": 0, "survived": 0, "equivalent": 0}
        low, _, high = (args.lines or "").partition("-")
        try:
            for mutant in mutants(original):
                if args.lines and not int(low) <= mutant.line <= int(high or low):
                    continue
                module.write_text(mutant.source, encoding="utf-8")
                outcome = run_tests(tests, timeout)
                key = mutant.key(display)
                if outcome != "passed":
                    counts["killed"] += 1
                elif key in known:
                    counts["equivalent"] += 1
                else:
                    counts["survived"] += 1
                    print(f"survived  {key}", flush=True)
        finally:
            module.write_text(original, encoding="utf-8")
        real = counts["killed"] + counts["survived"]
        rate = f"{100 * counts['killed'] / real:.0f}%" if real else "-"
        print(
            f"{display}: killed {counts['killed']}, survived {counts['survived']},"
            f" equivalent {counts['equivalent']} (kill rate {rate} of non-equivalent;"
            f" {len(tests)} test files)",
            flush=True,
        )
        for name in totals:
            totals[name] += counts[name]
    real = totals["killed"] + totals["survived"]
    if len(modules) > 1 and real:
        print(
            f"total: killed {totals['killed']}, survived {totals['survived']},"
            f" equivalent {totals['equivalent']} (kill rate"
            f" {100 * totals['killed'] / real:.0f}% of non-equivalent)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
