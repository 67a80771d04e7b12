"""Outputs benchmark: what cv.pdf, cv.docx and cv.txt add to `cvgen build`, as whole
processes, beside `rendercv render` of the same content.

Builds the example CV (a copy of cvgen.yaml and content/) with `outputs: []` (the page
alone) and with every output (`outputs: [pdf, docx, txt]`, the PDF typeset every run: its
cache `.cvgen/pdf/` deleted first, as after an edit), several times each, and prints the
median wall and CPU (user + sys) time and the files made. Then runs `rendercv render` of
bench/rendercv/Ada_Lindqvist_CV.yaml (the same content in RenderCV's schema; it writes
PDF, Typst, Markdown, HTML and PNG) from a RenderCV installed in a scratch venv:

    python3 -m venv .tools/rendercv-venv && .tools/rendercv-venv/bin/pip install "rendercv[full]"
    .tools/rendercv-venv/bin/pip install "click<8.2"  # rendercv 2.3 imports click; typer 0.29 no longer brings it

RenderCV's themes import the Typst package `@preview/fontawesome:0.5.0`, which Typst
downloads from its package host (unreachable here): put that release of
github.com/duskmoon314/typst-fontawesome under
.tools/rendercv-data/typst/packages/preview/fontawesome/0.5.0/ (this script points
XDG_DATA_HOME there).

    .venv/bin/python bench/outputs_bench.py [--runs N] [--check]

`--check` exits 1 when the build with every output takes more than half RenderCV's time
(median wall).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RENDERCV = REPO / ".tools" / "rendercv-venv" / "bin" / "rendercv"
RENDERCV_DATA = REPO / ".tools" / "rendercv-data"
RENDERCV_INPUT = REPO / "bench" / "rendercv" / "Ada_Lindqvist_CV.yaml"
TARGET_RATIO = 0.5


def with_outputs(site: Path, outputs: str) -> None:
    config = site / "cvgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\noutputs: {outputs}\n")


def time_rendercv(folder: Path, runs: int) -> tuple[float, float, list[str]]:
    """Median wall and CPU seconds of `rendercv render` runs, and the files it wrote."""
    source = folder / RENDERCV_INPUT.name
    shutil.copyfile(RENDERCV_INPUT, source)
    command = [str(RENDERCV), "render", source.name]
    env = {**os.environ, "XDG_DATA_HOME": str(RENDERCV_DATA)}
    subprocess.run(command, check=True, capture_output=True, cwd=folder, env=env)  # warm up
    walls, cpus = [], []
    for _ in range(runs):
        shutil.rmtree(folder / "rendercv_output", ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=folder, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    made = sorted(p.name for p in (folder / "rendercv_output").rglob("*") if p.is_file())
    return statistics.median(walls), statistics.median(cpus), made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "bench"))
    import build_bench as bench  # the example's copy and the whole-process timer

    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="cvgen-outputs-bench-") as tmp:
        for name, outputs, forget in (
            ("page alone", "[]", None),
            ("every output", "[pdf, docx, txt]", ".cvgen/pdf"),
        ):
            site = Path(tmp) / name.replace(" ", "-")
            bench.copy_example_site(site)
            with_outputs(site, outputs)
            wall, cpu, files, size = bench.time_builds(site, args.runs, forget=forget)
            rows.append((f"cvgen build, {name}", wall, cpu, f"{files} files, {size / 1024:.1f} KB"))
        if RENDERCV.exists():
            folder = Path(tmp) / "rendercv"
            folder.mkdir()
            wall, cpu, made = time_rendercv(folder, args.runs)
            rows.append(("rendercv render", wall, cpu, ", ".join(made)))
        else:
            print(f"(no {RENDERCV.relative_to(REPO)}: RenderCV not timed; see the docstring)")
    print(f"whole processes, median of {args.runs} runs (wall / CPU seconds):")
    for label, wall, cpu, what in rows:
        print(f"  {label:<28} {wall:6.2f} s  {cpu:6.2f} s CPU   {what}")
    every = rows[1][1]
    print(f"every output adds {every - rows[0][1]:+.2f} s wall to the page alone")
    if len(rows) > 2:
        ratio = every / rows[2][1]
        print(
            f"cvgen (every output) / RenderCV: {ratio:.2f}x wall, {rows[1][2] / rows[2][2]:.2f}x CPU"
            f" (target <= {TARGET_RATIO}x)"
        )
        if args.check and ratio > TARGET_RATIO:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
