"""PDF benchmark: what typesetting cv.pdf adds to `cvgen build`, as whole processes.

Builds the example CV and synthetic CVs of growing size (bench/build_bench.py's generator,
up to 1,000 entries and 100 Markdown sections) with `pdf.enabled: true` and `false`, each
several times, and prints the median wall and CPU time of each, what the PDF adds (target:
at most 0.3 s for the example), the added CPU time per entry (linear growth shows as a
steady figure), and the PDF's pages and size. "on" typesets the PDF every run (its cache,
`.cvgen/pdf/`, deleted first, as after an edit of the CV); "reused" is a rebuild whose PDF
comes from that cache. Also prints the warm in-process typesetting time (what `cvgen serve`
pays when the PDF is asked for after a change).

    .venv/bin/python bench/pdf_bench.py [--runs N] [--check]

`--check` exits 1 when the PDF adds more than 0.3 s (median wall) to the example's build.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.3


def _build_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_bench", REPO / "bench" / "build_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def without_pdf(site: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\npdf:\n  enabled: false\n")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def warm_typesetting_seconds(site: Path, runs: int) -> float:
    """Median in-process time of typesetting the PDF again after an edit (fonts loaded;
    each run changes the label, as a save in `cvgen serve` would, so no result is reused)."""
    from dataclasses import replace

    from cvgen.content.load import load_content
    from cvgen.render.pdf import render_pdf
    from cvgen.render.theme import load_theme
    from cvgen.settings.config import load_config

    config = load_config(site)
    cv, theme = load_content(config), load_theme(config)
    render_pdf(cv, theme, config, warnings=[])
    times = []
    for run in range(runs):
        basics = {**cv.resume["basics"], "label": f"Edit {run}"}
        edited = replace(cv, resume={**cv.resume, "basics": basics})
        started = time.perf_counter()
        render_pdf(edited, theme, config, warnings=[])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    bench = _build_bench()

    rows = []
    with tempfile.TemporaryDirectory(prefix="cvgen-pdf-bench-") as tmp:
        sizes: list[tuple[str, int | None, Path]] = [("example CV", None, Path(tmp) / "example")]
        bench.copy_example_site(sizes[0][2])
        for entries, sections in ((250, 25), (500, 50), (1000, 100)):
            site = Path(tmp) / f"synthetic-{entries}"
            bench.write_synthetic_site(site, entries, sections)
            sizes.append((f"{entries} entries + {sections} md", entries, site))
        warm = warm_typesetting_seconds(sizes[0][2], args.runs)
        for name, entries, site in sizes:
            wall_on, cpu_on, _, _ = bench.time_builds(site, args.runs, forget=".cvgen/pdf")
            pdf = (site / "output" / "cv.pdf").read_bytes()
            _, cpu_reused, _, _ = bench.time_builds(site, args.runs)
            without_pdf(site)
            wall_off, cpu_off, _, _ = bench.time_builds(site, args.runs)
            rows.append((name, entries, wall_on, wall_off, cpu_on, cpu_off, cpu_reused, pdf))

    print(
        f"cvgen build with and without the PDF, whole process, median of {args.runs} runs "
        f"(python {sys.version.split()[0]})"
    )
    print(
        f"{'site':<24}{'wall on':>9}{'wall off':>9}{'+wall':>8}{'cpu on':>8}{'cpu off':>8}"
        f"{'+cpu':>8}{'+cpu ms/entry':>15}{'+cpu reused':>13}{'pages':>7}{'PDF KB':>8}"
    )
    for name, entries, wall_on, wall_off, cpu_on, cpu_off, cpu_reused, pdf in rows:
        added = cpu_on - cpu_off
        per_entry = f"{added * 1000 / entries:.2f}" if entries else "-"
        print(
            f"{name:<24}{wall_on:>9.3f}{wall_off:>9.3f}{wall_on - wall_off:>+8.3f}"
            f"{cpu_on:>8.3f}{cpu_off:>8.3f}{added:>+8.3f}{per_entry:>15}"
            f"{cpu_reused - cpu_off:>+13.3f}{pdf_pages(pdf):>7}{len(pdf) / 1000:>8.1f}"
        )
    print(f"warm typesetting of the example in one process (cvgen serve): {warm * 1000:.0f} ms")
    added = rows[0][2] - rows[0][3]
    verdict = "ok" if added <= TARGET_SECONDS else "MISSED"
    print(f"target: the PDF adds <= {TARGET_SECONDS:.1f} s to the example's build: {verdict}")
    return 1 if args.check and added > TARGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
