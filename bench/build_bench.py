"""Build benchmark: `python -m cvgen build` as whole processes, the way a user runs it.

Builds the example CV and synthetic CVs of growing size (up to 1,000 entries across the
JSON Resume sections plus 100 Markdown sections), each several times, and prints the
median wall time, the output size, and the time per entry so linear growth is visible.
Also prints the size of the counter scripts (raw, minified, gzipped).

    .venv/bin/python bench/build_bench.py [--runs N] [--check] [--resumed PREFIX] [--example-only]

The example CV is built cold (its `.cvgen/` state folder deleted before every run: no
compiled templates, no typeset PDF to reuse) and warm (a rebuild, the usual case; other
sites are timed warm). Also prints how much of the warm example build is Python imports
(`-X importtime`, the least of the runs). `--resumed PREFIX` times `resumed render` (the
JSON Resume CLI, with jsonresume-theme-even) on the example CV's resume.json as a
yardstick, installed with
`npm install --prefix PREFIX resumed@6.1.0 jsonresume-theme-even@0.26.1`.

Builds run with Python's bytecode cache allowed (`PYTHONDONTWRITEBYTECODE` unset for them),
as for a user: pip compiles a wheel's modules when it installs them. With it set, every run
would compile cvgen's sources again (about 0.03 s here).

`--check` exits 1 when the example CV takes longer than the 0.25 s target.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "theme" / "default" / "static"
TARGET_SECONDS = 0.25
TERSER = Path.home() / ".cache" / "page-quality-tools" / "node_modules" / ".bin" / "terser"

# How 1,000 entries spread over the sections (scaled down for the smaller sizes).
SHARE = {
    "work": 400,
    "projects": 200,
    "education": 50,
    "volunteer": 50,
    "awards": 50,
    "certificates": 50,
    "publications": 50,
    "skills": 50,
    "languages": 25,
    "interests": 25,
    "references": 50,
}


def _month(i: int, years_later: int = 0) -> str:
    return f"{1990 + i % 30 + years_later}-{i % 12 + 1:02d}"


def _entry(section: str, i: int) -> dict[str, Any]:
    text = f"Entry {i} with **bold**, *emphasis*, `code` and a [link](https://e{i}.example.com/)."
    highlights = [f"Highlight {j} of entry {i}: cut *costs* by {j + 10} %." for j in range(3)]
    if section == "work":
        return {
            "name": f"Company {i}",
            "position": f"Engineer {i}",
            "url": f"https://c{i}.example.com/",
            "startDate": _month(i),
            "endDate": _month(i, years_later=2),
            "summary": text,
            "highlights": highlights,
        }
    if section == "projects":
        return {
            "name": f"Project {i}",
            "description": text,
            "highlights": highlights,
            "keywords": ["Go", "Rust", "AWS"],
            "startDate": _month(i),
        }
    if section == "education":
        return {
            "institution": f"University {i}",
            "area": "Computer Science",
            "studyType": "MSc",
            "startDate": str(1990 + i % 30),
            "endDate": str(1992 + i % 30),
        }
    if section == "volunteer":
        return {"organization": f"Club {i}", "position": "Mentor", "summary": text}
    if section == "awards":
        return {"title": f"Award {i}", "date": _month(i), "awarder": "Acme", "summary": text}
    if section == "certificates":
        return {"name": f"Certificate {i}", "date": _month(i), "issuer": "Issuer"}
    if section == "publications":
        return {"name": f"Paper {i}", "publisher": "ACM", "releaseDate": _month(i) + "-01"}
    if section == "skills":
        return {"name": f"Skill {i}", "level": "Expert", "keywords": ["a", "b", "c", "d"]}
    if section == "languages":
        return {"language": f"Language {i}", "fluency": "Fluent"}
    if section == "interests":
        return {"name": f"Interest {i}", "keywords": ["x", "y"]}
    return {"name": f"Referee {i}", "reference": text}


def write_synthetic_site(root: Path, entries: int, sections: int) -> None:
    """A site with `entries` JSON Resume entries and `sections` Markdown sections."""
    resume: dict[str, Any] = {
        "basics": {
            "name": "Synthetic Person",
            "label": "Benchmark",
            "summary": "A CV generated for the build benchmark.",
            "profiles": [],
        }
    }
    for section, share in SHARE.items():
        count = round(share * entries / 1000)
        resume[section] = [_entry(section, i) for i in range(count)]
    (root / "content").mkdir(parents=True)
    (root / "cvgen.yaml").write_text('site:\n  url: "https://cv.example.com/"\n', encoding="utf-8")
    (root / "content" / "cv.yaml").write_text(
        yaml.safe_dump(resume, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    body = "\n\n".join(
        f"Paragraph {p} with *emphasis* and a [link](https://example.com/{p})." for p in range(4)
    )
    for n in range(sections):
        (root / "content" / f"section-{n:03d}.md").write_text(
            f"---\ntitle: Section {n}\norder: {200 + n}\n---\n## Part\n\n{body}\n\n- one\n- two\n",
            encoding="utf-8",
        )


def copy_example_site(root: Path) -> None:
    root.mkdir(parents=True)
    shutil.copyfile(REPO / "cvgen.yaml", root / "cvgen.yaml")
    shutil.copytree(REPO / "content", root / "content")


# The environment of every timed process: bytecode written once, then read (see above).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_builds(
    root: Path, runs: int, *, forget: str | None = None
) -> tuple[float, float, int, int]:
    """Median wall and CPU (user + sys) seconds of `runs` whole-process builds; output size.

    CPU time is what the build itself costs; wall time also counts waiting for a busy machine.
    `forget`: a folder of the site deleted before each run (`.cvgen`: no compiled templates,
    no typeset PDF to reuse; `.cvgen/pdf`: the PDF is typeset every time).
    """
    command = [sys.executable, "-m", "cvgen", "build", "--root", str(root)]
    subprocess.run(command, check=True, capture_output=True, env=ENV)  # warm the page cache
    walls, cpus = [], []
    for _ in range(runs):
        if forget:
            shutil.rmtree(root / forget, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=ENV)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    files = [p for p in (root / "output").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return statistics.median(walls), statistics.median(cpus), len(files), size


def import_seconds(root: Path, runs: int) -> float:
    """The least, over `runs`, of the summed self times `-X importtime` reports for a build."""
    command = [sys.executable, "-X", "importtime", "-m", "cvgen", "build", "--root", str(root)]
    totals = []
    for _ in range(runs):
        err = subprocess.run(command, check=True, capture_output=True, text=True, env=ENV).stderr
        rows = [line.split("|") for line in err.splitlines() if line.startswith("import time:")]
        totals.append(
            sum(int(row[0].split(":")[1]) for row in rows if row[0][12:].strip().isdigit())
        )
    return min(totals) / 1e6


def time_resumed(prefix: Path, resume: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `resumed render` (theme even) on `resume`."""
    command = [
        str(prefix / "node_modules" / ".bin" / "resumed"),
        "render",
        str(resume),
        "--theme",
        "jsonresume-theme-even",
        "--output",
        str(resume.with_name("resumed.html")),
    ]
    subprocess.run(command, check=True, capture_output=True, cwd=prefix)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=prefix)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def minify_js(path: Path) -> tuple[bytes, str]:
    """The script after terser when it is installed, else without comments and indentation."""
    if TERSER.exists():
        result = subprocess.run(
            [str(TERSER), str(path), "--compress", "--mangle"],
            check=True,
            capture_output=True,
        )
        return result.stdout, "terser"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    kept = "\n".join(line for line in lines if line and not line.startswith("//"))
    return kept.encode(), "comments and indentation stripped"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--resumed", type=Path, metavar="PREFIX", help="npm prefix with resumed")
    parser.add_argument("--example-only", action="store_true", help="skip the synthetic CVs")
    args = parser.parse_args()

    rows = []
    resumed = None
    with tempfile.TemporaryDirectory(prefix="cvgen-bench-") as tmp:
        example = Path(tmp) / "example"
        copy_example_site(example)
        rows.append(("example CV, cold", None, *time_builds(example, args.runs, forget=".cvgen")))
        rows.append(("example CV", None, *time_builds(example, args.runs)))
        imports = import_seconds(example, args.runs)
        if args.resumed:
            resumed = time_resumed(args.resumed, example / "output" / "resume.json", args.runs)
        sizes = () if args.example_only else ((250, 25), (500, 50), (1000, 100))
        for entries, sections in sizes:
            site = Path(tmp) / f"synthetic-{entries}"
            write_synthetic_site(site, entries, sections)
            rows.append(
                (f"{entries} entries + {sections} md", entries, *time_builds(site, args.runs))
            )

    print(
        f"cvgen build, whole process, median of {args.runs} runs (python {sys.version.split()[0]})"
    )
    print(f"{'site':<26}{'wall s':>8}{'cpu s':>8}{'files':>7}{'KB':>9}{'cpu ms/entry':>14}")
    base = rows[1][3]
    for name, entries, wall, cpu, files, size in rows:
        per_entry = f"{(cpu - base) * 1000 / entries:.2f}" if entries else "-"
        print(f"{name:<26}{wall:>8.3f}{cpu:>8.3f}{files:>7}{size / 1000:>9.1f}{per_entry:>14}")

    print("counter scripts (bytes): raw / minified / gzip -9 of minified")
    for script in ("counter.js", "counter-cognito.js"):
        path = STATIC / script
        if not path.exists():
            print(f"  {script}: not present")
            continue
        small, how = minify_js(path)
        raw = path.read_bytes()
        print(f"  {script}: {len(raw)} / {len(small)} / {len(gzip.compress(small, 9))}  ({how})")

    example_wall, example_cpu = rows[1][2], rows[1][3]
    print(f"example CV: {imports:.3f} s of Python imports (least of {args.runs} runs)")
    if resumed is not None:
        print(
            f"resumed render (theme even), same resume.json: {resumed[0]:.3f} s wall, "
            f"{resumed[1]:.3f} s cpu"
        )
        for name, _, wall, cpu, _, _ in rows[:2]:
            print(
                f"  {name} / resumed: {wall / resumed[0]:.2f} wall, "
                f"{cpu / resumed[1]:.2f} cpu (goal: 0.5)"
            )
    verdict = "ok" if example_wall <= TARGET_SECONDS else "MISSED"
    print(
        f"target: example CV <= {TARGET_SECONDS} s wall: {example_wall:.3f} s {verdict} "
        f"(cpu {example_cpu:.3f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus)"
    )
    return 1 if args.check and verdict != "ok" else 0


if __name__ == "__main__":
    sys.exit(main())
