"""Page budget benchmark: pages before and after fitting, and what fitting costs.

For the example CV (and, with FOLDER, each JSON Resume / YAML file in it, as a new user's
`content/`), in each built-in theme: the pages as the theme is designed (no tightening),
without a budget (a stray last page pulled back) and with a budget of one page less than
designed; the level chosen, the Typst runs taken, and the warm in-process CPU and wall time
of fitting beyond the one run every PDF costs (median of --runs; CPU is the steadier figure
on a busy machine). `--png DIR` writes page 1 and the last page of each PDF (pdftoppm).

    .venv/bin/python bench/pdffit_bench.py [FOLDER] [--runs N] [--limit N] [--png DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _site(source: Path | None, tmp: Path) -> Path:
    """A site folder: the example, or `source` as content/resume.json or content/cv.yaml."""
    if source is None:
        return REPO
    root = tmp / source.stem
    (root / "content").mkdir(parents=True)
    (root / "cvgen.yaml").write_text('site:\n  url: "https://cv.example.com/"\n')
    name = "resume.json" if source.suffix == ".json" else "cv.yaml"
    shutil.copyfile(source, root / "content" / name)
    return root


def _png(pdf: bytes, pages: int, stem: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.pdf"
    path.write_bytes(pdf)
    for page in sorted({1, pages}):
        args = ["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*args, str(path), str(folder / f"{stem}-p{page}")], check=True)


def measure(root: Path, theme: str, runs: int, png: Path | None, label: str) -> list[str]:
    from cvgen.content.load import load_content
    from cvgen.render.pdf import PdfSettings, fit_pdf, template_files
    from cvgen.render.pdfdata import pdf_data
    from cvgen.render.shown import show
    from cvgen.render.theme import load_theme
    from cvgen.settings.config import load_config

    config = replace(load_config(root), theme=theme)
    cv = load_content(config)
    theme_files = load_theme(config)
    files, names = template_files(theme_files)
    data = json.dumps(pdf_data(show(cv, config, theme_files), config), ensure_ascii=False)
    rows = []
    fit_pdf(files, names, data, theme_files.font_dirs, PdfSettings(pages=99))  # warm: fonts
    base_wall = base_cpu = 0.0
    budgets: list[tuple[str, int | None]] = [("designed", 99), ("no budget", None)]
    for name, budget in budgets:
        settings = PdfSettings(pages=budget)
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            fitted, typeset = fit_pdf(files, names, data, theme_files.font_dirs, settings)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        if name == "designed":
            base_wall, base_cpu = statistics.median(walls), statistics.median(cpus)
            # the budget: one page less than designed (1 for a one-page CV)
            budgets.append((f"pages: {max(fitted.pages - 1, 1)}", max(fitted.pages - 1, 1)))
        extra_wall = statistics.median(walls) - base_wall
        extra_cpu = statistics.median(cpus) - base_cpu
        over = " OVER" if fitted.overflow else ""
        rows.append(
            f"{label:<40} {theme:<8} {name:<10} pages {fitted.pages}  level {fitted.level:.1f}"
            f"  runs {len(typeset)}  fitting +{extra_cpu * 1000:4.0f} ms CPU"
            f" (+{extra_wall * 1000:4.0f} ms wall){over}"
        )
        if png is not None:
            _png(fitted.result.pdf, fitted.pages, f"{label}-{theme}-{name.replace(' ', '')}", png)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--themes", default="default,classic,sidebar")
    parser.add_argument("--png", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    sources: list[Path | None] = [None]
    if args.folder is not None:
        found = sorted(p for p in args.folder.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
        sources += found[: args.limit or None]
    with tempfile.TemporaryDirectory(prefix="cvgen-fit-") as tmp:
        for source in sources:
            root = _site(source, Path(tmp))
            label = "example" if source is None else source.stem[:40]
            for theme in args.themes.split(","):
                try:
                    rows = measure(root, theme, args.runs, args.png, label)
                except Exception as exc:  # a file cvgen rejects: say so, go on
                    rows = [f"{label:<44} {theme:<8} not built: {str(exc).splitlines()[0][:80]}"]
                print("\n".join(rows), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
