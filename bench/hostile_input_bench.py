"""Hostile-input benchmark: how long cvgen takes to refuse (or build) inputs built to hang it.

Before: Python-Markdown itself on growing runs of the issue-18 patterns, to show the
superlinear growth that made 1 MB of `[` take hours (the sizes stay small so this ends).
After: the whole `render_pages` (load, validate, render) on a site whose `cv.yaml` holds
each pattern at 900 KB in one field, a YAML alias bomb of 9**40 values, 500-deep nesting, and
the slowest file cvgen still accepts (1 MB of values packed with as much Markdown as the
budget of `cvgen.markup_budget` allows), plus the render guard on 1 MB of `[`.

    .venv/bin/python bench/hostile_input_bench.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cvgen.build import render_pages
from cvgen.errors import ContentError
from cvgen.markup import _converter, inline_markdown
from cvgen.markup_budget import MAX_MARKS
from cvgen.yamldoc import MAX_FILE_BYTES, MAX_TEXT_CHARS

REPO = Path(__file__).resolve().parent.parent
PATTERNS = {
    "[": "[",
    "\\": "\\",
    "[a](b": "[a](b",
    "<": "<",
    "realistic": "**b** *i* [l](https://example.com/) ",
}
FIELD = 900_000  # one value, under the 1 MB file limit so the value's own limits are what act


def timed(action: Callable[[], object]) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        action()
        outcome = "built"
    except ContentError as exc:
        first = exc.issues[0]
        outcome = f"refused: {first}"[:110]
    return time.perf_counter() - started, outcome


def before() -> None:
    print("Before: Python-Markdown alone (what cvgen ran on any text), seconds")
    sizes = (1_000, 2_000, 4_000)
    print(f"  {'pattern':12}" + "".join(f"{n:>10,}" for n in sizes))
    for name, unit in PATTERNS.items():
        row = []
        for size in sizes:
            text = unit * (size // len(unit))
            started = time.perf_counter()
            _converter(inline=True).reset().convert(text)
            row.append(time.perf_counter() - started)
        print(f"  {name:12}" + "".join(f"{t:10.3f}" for t in row))


def site_with(root: Path, cv_yaml: str) -> Path:
    shutil.copy(REPO / "cvgen.yaml", root / "cvgen.yaml")
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "cv.yaml").write_text(cv_yaml, encoding="utf-8")
    return root


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def packed_cv() -> str:
    """The slowest CV cvgen accepts: values at the length limit, each at the Markdown budget."""
    unit = "**b** *i* [l](https://example.com/) "  # 8 marks
    value = (unit * (MAX_MARKS // 8)).ljust(MAX_TEXT_CHARS, "x")
    lines = ["basics:", "  name: Ada", "work:"]
    size = 0
    while size + MAX_TEXT_CHARS + 40 < MAX_FILE_BYTES:
        entry = f"  - name: Company\n    summary: {quoted(value)}"
        lines.append(entry)
        size += len(entry) + 1
    return "\n".join(lines) + "\n"


def after() -> None:
    print("\nAfter: render_pages on a site with the input in content/cv.yaml")
    cases: dict[str, str] = {}
    for name, unit in PATTERNS.items():
        cases[f"900 KB of {name} in one field"] = (
            f"basics:\n  name: Ada\n  summary: |-\n    {unit * (FIELD // len(unit))}\n"
        )
    lines = ["basics:\n  name: Ada\nl0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 40)]
    cases["alias bomb, 9**40 values"] = "\n".join(lines) + "\n"
    cases["nesting 500 deep"] = "basics:\n  name: Ada\n  label: " + "[" * 500 + "]" * 500 + "\n"
    cases["slowest accepted: 1 MB at the budget"] = packed_cv()
    cases["example CV"] = (REPO / "content" / "cv.yaml").read_text(encoding="utf-8")
    for name, text in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = site_with(Path(tmp), text)
            seconds, outcome = timed(lambda root=root: render_pages(root))
        print(f"  {name:40} {seconds:7.3f} s  {len(text) / 1000:8.1f} KB  {outcome}")
    seconds, _ = timed(lambda: inline_markdown("[" * 1_000_000))
    print(f"  {'render guard: inline_markdown(1 MB of [)':40} {seconds:7.3f} s")


if __name__ == "__main__":
    before()
    after()
