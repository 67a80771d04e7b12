"""Real-file figures for `cvgen import`: each file of a folder imported into a new site.

For every RenderCV or JSON Resume file (`*.yaml`, `*.yml`, `*.json`) in FOLDER: `cvgen new
SITE --from FILE` in a temporary folder, then `cvgen build` there, both in-process. Prints
per file: imported yes/no, the import's warnings, the strings of the source lost (found
neither on the page nor in resume.json; the target is 0), and the build's result.

    .venv/bin/python bench/import_real_files.py FOLDER [--show]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    from click.testing import CliRunner

    from cvgen.cli import cli
    from cvgen.importer.jsonresume import import_json_resume
    from cvgen.importer.source import read_source_document
    from tests.importer.lost import json_resume_texts, lost_texts, rendercv_texts

    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    runner = CliRunner()
    totals = {"imported": 0, "built": 0, "lost": 0}
    print(f"{'file':48} imported warnings lost build")
    for path in files:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            made = runner.invoke(cli, ["new", str(site), "--from", str(path), "--no-ci"])
            warnings = made.stderr.count(": warning: ")
            if made.exit_code != 0:
                print(f"{path.name:48} no       -        -    -  {made.output.strip()[:80]}")
                continue
            totals["imported"] += 1
            built = runner.invoke(cli, ["build", "--root", str(site)])
            build = "ok" if built.exit_code == 0 else "FAILED"
            build_warnings = built.stderr.count(": warning: ")
            lost: list[str] = []
            if built.exit_code == 0:
                totals["built"] += 1
                doc = read_source_document(path)
                texts = (
                    rendercv_texts(doc.data)
                    if "cv" in doc.data
                    else json_resume_texts(import_json_resume(doc).resume)
                )
                lost = lost_texts(texts, site / "output")
                totals["lost"] += len(lost)
            print(
                f"{path.name:48} yes      {warnings:<8} {len(lost):<4} {build}"
                f" ({build_warnings} warnings)"
            )
            if args.show:
                for line in [*made.stderr.splitlines(), *built.stderr.splitlines()]:
                    print(f"    {line}")
                for text in lost:
                    print(f"    lost: {text[:100]!r}")
    print(
        f"{len(files)} files: {totals['imported']} imported, {totals['built']} built, "
        f"{totals['lost']} strings lost"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
