"""Figures for each built-in theme, measured on the example CV in Debian's Chromium.

For every theme: the page's weight (every file the page loads, as built), where the first
work entry and the skills section begin (CSS px from the top of the page) on a 1280x800
desktop and a 390x844 phone, and how many pages the browser's print makes on A4 and on
US Letter (Chromium's page.pdf, the print stylesheet). With `--screenshots DIR` it also
writes DIR/<theme>.png, a 640x400 picture of the 1280x800 desktop view (the README's);
with `--quality` it appends bench/page_quality.sh's line (slow: Lighthouse, axe, vnu).

    .venv/bin/python bench/themes_bench.py [--screenshots docs/themes] [--quality] [THEME ...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cvgen.build import build  # noqa: E402
from cvgen.render.theme import available_themes  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
PAPER = {"A4": "A4", "Letter": "Letter"}


def site_with_theme(theme: str, where: Path) -> Path:
    """A copy of the example site (cvgen.yaml + content/) set to `theme`, built."""
    site = where / theme
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "cvgen.yaml").read_text(encoding="utf-8")
    lines = [
        f"theme: {theme}" if line.startswith("theme:") else line for line in config.splitlines()
    ]
    (site / "cvgen.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(site)
    return site / "output"


def weight(output: Path) -> int:
    """Bytes of index.html and every asset it links (the counter script included)."""
    page = (output / "index.html").read_text(encoding="utf-8")
    total = len(page.encode())
    for asset in sorted((output / "assets").iterdir()):
        if f"assets/{asset.name}" in page:
            total += asset.stat().st_size
    return total


def top_of(page: Any, selector: str) -> int | None:
    box = page.evaluate(
        "(s) => { const e = document.querySelector(s); if (!e) return null;"
        " const r = e.getBoundingClientRect(); return r.top + window.scrollY; }",
        selector,
    )
    return None if box is None else round(box)


def measure(browser: Any, output: Path, shots: Path | None, theme: str) -> dict[str, Any]:
    url = (output / "index.html").as_uri()
    figures: dict[str, Any] = {"bytes": weight(output)}
    for name, (width, height) in VIEWPORTS.items():
        scale = 0.5 if (shots and name == "desktop") else 1
        context = browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            color_scheme="light",
        )
        page = context.new_page()
        page.goto(url)
        figures[f"work_y_{name}"] = top_of(page, "#work .entry")
        figures[f"skills_y_{name}"] = top_of(page, "#skills")
        figures[f"height_{name}"] = page.evaluate("document.documentElement.scrollHeight")
        if shots and name == "desktop":
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"{theme}.png"))
        context.close()
    page = browser.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    for label, paper in PAPER.items():
        pdf = page.pdf(format=paper, print_background=True)
        figures[f"print_pages_{label}"] = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type/Page")
    page.close()
    return figures


def quality_line(output: Path) -> str:
    run = subprocess.run(
        ["bash", str(REPO / "bench" / "page_quality.sh"), str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    return run.stdout.strip() or run.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("themes", nargs="*", help="default: every built-in theme")
    parser.add_argument("--screenshots", type=Path, help="write <theme>.png here")
    parser.add_argument("--quality", action="store_true", help="add page_quality.sh's line")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    themes = args.themes or available_themes()
    with tempfile.TemporaryDirectory(prefix="cvgen-themes-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for theme in themes:
                output = site_with_theme(theme, Path(tmp))
                figures = measure(browser, output, args.screenshots, theme)
                line = " ".join(f"{k}={v}" for k, v in figures.items())
                print(f"{theme}: {line}", flush=True)
                if args.quality:
                    print(f"{theme}: {quality_line(output)}", flush=True)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
