"""Variants benchmark: `python -m cvgen build` of the example site alone, and with 3 variants,
as whole processes; the time should grow with the pages written (one page and one PDF per
variant), not faster.

    .venv/bin/python bench/variants_bench.py [--runs N] [--no-pdf]

Prints, for each site: the median wall time, the files and bytes written, the pages (HTML +
PDF) and the time per page. Languages are not built yet, so the 3 x 2 grid of the issue is
measured as 3 variants only.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VARIANTS = """
variants:
  - name: backend
    include: [backend]
    label: Backend Engineer
  - name: platform
    include: [platform]
  - name: lead
    exclude: [hands-on]
    summary: Leads platform teams.
"""


def make_site(folder: Path, variants: bool, pdf: bool) -> Path:
    root = folder / ("variants" if variants else "single")
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "cvgen.yaml").read_text(encoding="utf-8")
    if not pdf:
        config += "\npdf:\n  enabled: false\n"
    if variants:
        config += VARIANTS
        cv = root / "content" / "cv.yaml"
        text = cv.read_text(encoding="utf-8")
        # tag the example's jobs so each variant shows a different CV
        text = text.replace("\n    position:", "\n    tags: [backend, platform]\n    position:", 1)
        cv.write_text(text, encoding="utf-8")
    (root / "cvgen.yaml").write_text(config, encoding="utf-8")
    return root


def time_build(root: Path, runs: int) -> tuple[float, int, int, int]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cvgen", "build", "--root", str(root)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    files = [p for p in (root / "output").rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix in (".html", ".pdf") and p.name != "404.html")
    return statistics.median(times), len(files), sum(p.stat().st_size for p in files), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cvgen-variants-bench-") as tmp:
        rows = []
        for variants in (False, True):
            root = make_site(Path(tmp), variants, pdf=not args.no_pdf)
            rows.append(("3 variants" if variants else "single page", *time_build(root, args.runs)))
    print(f"{'site':<12} {'median s':>9} {'files':>6} {'bytes':>9} {'pages':>6} {'s/page':>7}")
    for name, seconds, files, size, pages in rows:
        print(f"{name:<12} {seconds:>9.3f} {files:>6} {size:>9} {pages:>6} {seconds / pages:>7.3f}")
    (_, single, *_), (_, multi, *_) = rows
    print(f"growth: x{multi / single:.2f} time for x{rows[1][4] / rows[0][4]:.0f} pages")


if __name__ == "__main__":
    main()
