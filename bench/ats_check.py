"""The ATS self-check on real files: each JSON Resume / YAML file of FOLDER built as a new
user's site (in each built-in theme) and its PDF read back (`cvgen check`'s findings).

    .venv/bin/python bench/ats_check.py FOLDER [--themes default,classic,sidebar] [--show]

Prints, per file and theme, the number of findings (`--show`: each one), then the totals.
The files are never copied into this repository.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def check_one(path: Path, theme: str) -> tuple[str, list[str]]:
    """("checked" / "not built", the findings' lines)."""
    from cvgen.build import render_pages
    from cvgen.check.run import ats_findings
    from cvgen.errors import ContentError, CvgenError

    with tempfile.TemporaryDirectory(prefix="cvgen-ats-") as tmp:
        root = Path(tmp)
        (root / "cvgen.yaml").write_text(
            f'site:\n  url: "https://cv.example.com/"\ntheme: {theme}\n'
        )
        (root / "content").mkdir()
        name = "resume.json" if path.suffix == ".json" else "cv.yaml"
        shutil.copyfile(path, root / "content" / name)
        try:
            site = render_pages(root)
        except (ContentError, CvgenError) as exc:
            return "not built", [str(exc).splitlines()[0]]
        return "checked", [issue.describe() for issue in ats_findings(site.warnings)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--themes", default="default,classic,sidebar")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
    totals: Counter[str] = Counter()
    for path in files:
        for theme in args.themes.split(","):
            state, lines = check_one(path, theme)
            totals[state] += 1
            totals["findings"] += len(lines) if state == "checked" else 0
            count = f"{len(lines)} findings" if state == "checked" else lines[0][:70]
            print(f"{path.name[:48]:<48} {theme:<8} {state:<9} {count}", flush=True)
            if args.show and state == "checked":
                for line in lines:
                    print(f"    {line}")
    print(
        f"{totals['checked']} checked, {totals['not built']} not built, {totals['findings']} findings"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
