"""Variants x languages benchmark: `python -m cvgen build` of the example site alone, with 3
variants, and with 3 variants in 2 languages (English and a German translation of every
text), as whole processes; the time should grow with the pages written (one page and one
PDF per variant and language), not faster.

    .venv/bin/python bench/variants_bench.py [--runs N] [--no-pdf] [--warm]

Each run starts cold (the site's .cvgen/ removed: every PDF typeset, every template
compiled) unless `--warm`, which reuses them as a second `cvgen build` does.

Prints, for each site: the median wall time, the files and bytes written, the pages (HTML +
PDF) and the time per page.
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
from typing import Any

import yaml

from cvgen.content.overlay import TRANSLATABLE

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


def make_site(folder: Path, variants: bool, pdf: bool, languages: bool = False) -> Path:
    root = folder / ("languages" if languages else "variants" if variants else "single")
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
    if languages:
        config += "\nlanguages: [en, de]\n"
        translate(root / "content")
    (root / "cvgen.yaml").write_text(config, encoding="utf-8")
    return root


def translate(content: Path) -> None:
    """A German translation of every translatable text: `content/cv.de.yaml` (entries by
    position) and `<name>.de.md` beside each Markdown section."""
    cv = yaml.safe_load((content / "cv.yaml").read_text(encoding="utf-8"))
    overlay: dict[str, Any] = {}
    for section, fields in TRANSLATABLE.items():
        value = cv.get(section)
        if section == "basics":
            overlay["basics"] = _german(value, fields)
        elif isinstance(value, list) and fields:
            overlay[section] = [_german(entry, fields) for entry in value]
    (content / "cv.de.yaml").write_text(
        yaml.safe_dump(overlay, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for page in content.glob("*.md"):
        _, front, body = page.read_text(encoding="utf-8").split("---\n", 2)
        title = yaml.safe_load(front)["title"]
        page.with_name(page.stem + ".de.md").write_text(
            f"---\ntitle: {title} (de)\n---\n(de) {body}", encoding="utf-8"
        )


def _german(entry: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in fields:
        value = entry.get(key)
        if isinstance(value, str):
            out[key] = f"(de) {value}"
        elif isinstance(value, list):
            out[key] = [f"(de) {item}" for item in value]
    return out


def time_build(root: Path, runs: int, warm: bool = False) -> tuple[float, int, int, int]:
    times = []
    for _ in range(runs):
        if not warm:  # every PDF typeset and every template compiled afresh
            shutil.rmtree(root / ".cvgen", ignore_errors=True)
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
    parser.add_argument(
        "--warm", action="store_true", help="keep .cvgen/ (typeset PDFs, compiled templates)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cvgen-variants-bench-") as tmp:
        rows = []
        for name, variants, languages in (
            ("single page", False, False),
            ("3 variants", True, False),
            ("3 var x 2 lang", True, True),
        ):
            root = make_site(Path(tmp), variants, pdf=not args.no_pdf, languages=languages)
            rows.append((name, *time_build(root, args.runs, args.warm)))
    print(f"{'site':<15} {'median s':>9} {'files':>6} {'bytes':>9} {'pages':>6} {'s/page':>7}")
    for name, seconds, files, size, pages in rows:
        print(f"{name:<15} {seconds:>9.3f} {files:>6} {size:>9} {pages:>6} {seconds / pages:>7.3f}")
    single = rows[0]
    for name, seconds, _, _, pages in rows[1:]:
        print(
            f"{name}: x{seconds / single[1]:.2f} time for x{pages / single[4]:.0f} pages"
            f" (x{(seconds / pages) / (single[1] / single[4]):.2f} time per page)"
        )


if __name__ == "__main__":
    main()
