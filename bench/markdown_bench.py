"""Markdown build time by input size: what a long Markdown section costs, before and after the
block budget of `cvgen.markup_budget`.

Before: Python-Markdown alone (cvgen's converter without the budget) on growing runs of the
shapes that were slow inside every older limit: blank-separated headings, short paragraphs,
headings with no blank line between them. After: the whole `cvgen build` (load, validate,
page, PDF, Word, text) of the example site plus `content/big.md` holding each shape at the
sizes of the issue (80 KB and 320 KB of headings, 1 MB of short paragraphs): refused with
file:line, and how long that takes; then the largest text of each shape the budget still
accepts, built.

    .venv/bin/python bench/markdown_bench.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cvgen.build import build
from cvgen.errors import ContentError
from cvgen.markup import _converter
from cvgen.markup_budget import MAX_CHARS, MAX_LINES, MAX_RUN_LINES, markdown_problem

REPO = Path(__file__).resolve().parent.parent
SHAPES: dict[str, tuple[str, str]] = {
    # name: (unit, separator between runs)
    "headings": ("# Heading\n", "\n"),
    "short paragraphs": ("word word\n", "\n"),
    "heading lines": ("# h\n", ""),
    "list items": ("- an item\n", ""),
    "long paragraphs": ("word " * 200 + "\n", "\n"),
}


def text_of(shape: str, size: int) -> str:
    unit, sep = SHAPES[shape]
    return ((unit + sep) * (size // len(unit + sep) + 1))[:size]


def at_the_limit(shape: str) -> str:
    """The longest text of `shape` the budget accepts (runs of MAX_RUN_LINES lines)."""
    unit, sep = SHAPES[shape]
    run = unit * (1 if sep else MAX_RUN_LINES) + (sep or "\n")
    text = ""
    while markdown_problem(text + run) is None and len(text) < MAX_CHARS:
        text += run
    return text


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def before() -> None:
    print("Before: Python-Markdown alone (what cvgen ran on any accepted text), seconds")
    sizes = (10_000, 20_000, 40_000, 80_000)
    print(f"  {'shape':18}" + "".join(f"{n:>10,}" for n in sizes) + "  (characters)")
    for shape in SHAPES:
        row = []
        for size in sizes:
            text = text_of(shape, size)
            row.append(timed(lambda t=text: _converter(inline=False).reset().convert(t)))
        print(f"  {shape:18}" + "".join(f"{t:10.2f}" for t in row))


def site_with(body: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cvgen-md-bench-"))
    shutil.copy2(REPO / "cvgen.yaml", folder / "cvgen.yaml")
    shutil.copytree(REPO / "content", folder / "content")
    (folder / "content" / "big.md").write_text("---\ntitle: Big\n---\n" + body, "utf-8")
    return folder


def build_once(body: str) -> tuple[float, str]:
    folder = site_with(body)
    started = time.perf_counter()
    try:
        build(folder)
        outcome = "built"
    except ContentError as exc:
        outcome = f"refused: {exc.issues[0]}"[:100]
    seconds = time.perf_counter() - started
    shutil.rmtree(folder)
    return seconds, outcome


def after() -> None:
    print(
        f"After: the whole `cvgen build` (budget: {MAX_CHARS:,} characters, {MAX_LINES:,}"
        f" lines, {MAX_RUN_LINES} lines without a blank one), seconds"
    )
    for label, shape, size in (
        ("80 KB of headings", "headings", 80_000),
        ("320 KB of headings", "headings", 320_000),
        ("1 MB of short paragraphs", "short paragraphs", 999_000),
    ):
        seconds, outcome = build_once(text_of(shape, size))
        print(f"  {label:34} {seconds:6.2f}  {outcome}")
    for shape in SHAPES:
        text = at_the_limit(shape)
        seconds, outcome = build_once(text)
        label = f"{shape} at the limit ({len(text) // 1000} KB)"
        print(f"  {label:34} {seconds:6.2f}  {outcome}")


if __name__ == "__main__":
    before()
    after()
