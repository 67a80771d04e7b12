"""Applications benchmark: what 30 job applications add to a build.

    .venv/bin/python bench/applications_bench.py [--runs N] [--count N] [--pdf]

Builds the applications fixture site (two languages, two variants) in memory
(`render_pages`, PDFs off unless `--pdf`) without applications, then with `--count` of them
(each with a cover letter, spread over the variants and languages), and prints the median
time of each, the difference, the difference per application and the files each adds.
With `--pdf`, the site's .cvgen/ stays between runs (a second build's cache, as in CI
after the first): an application's CV PDF is then its variant's, its letter typeset once.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from cvgen.build import render_pages

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "applications" / "site"
VARIANTS = (None, "backend", "frontend")
LANGUAGES = (None, "de")


def application(i: int) -> str:
    variant, language = VARIANTS[i % 3], LANGUAGES[i % 2]
    lines = ["---", f"company: Company {i}", f"role: Role {i}", "date: 2026-12-07"]
    lines += [f"variant: {variant}"] if variant else []
    lines += [f"language: {language}"] if language else []
    lines += [f"token: {i:032x}", "---", f"Dear Company {i},", "", "A short letter. " * 20]
    return "\n".join(lines) + "\n"


def site(root: Path, count: int, pdf: bool) -> Path:
    shutil.copytree(FIXTURE, root)
    if pdf:
        config = root / "cvgen.yaml"
        config.write_text(config.read_text().replace("pdf:\n  enabled: false\n", ""))
    folder = root / "content" / "applications"
    shutil.rmtree(folder)
    folder.mkdir()
    for i in range(count):
        (folder / f"company-{i}.md").write_text(application(i), encoding="utf-8")
    return root


def timed(root: Path, runs: int) -> tuple[float, int]:
    render_pages(root)  # warm: templates compiled, PDFs cached
    times, files = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        files = len(render_pages(root).pages)
        times.append(time.perf_counter() - started)
    return statistics.median(times), files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        without, files_without = timed(site(Path(tmp) / "none", 0, args.pdf), args.runs)
        with_apps, files_with = timed(site(Path(tmp) / "apps", args.count, args.pdf), args.runs)
    added = with_apps - without
    print(f"pdf: {'on' if args.pdf else 'off'}; median of {args.runs} runs")
    print(f"without applications: {without:.3f} s, {files_without} files")
    print(f"with {args.count} applications: {with_apps:.3f} s, {files_with} files")
    print(
        f"added: {added:.3f} s ({added / args.count * 1000:.1f} ms an application), "
        f"{(files_with - files_without) / args.count:.0f} files an application"
    )


if __name__ == "__main__":
    main()
