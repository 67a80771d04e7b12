"""Real-file benchmark: build each JSON Resume file of a folder as a new user would.

For every `*.json` / `*.yaml` / `*.yml` file in FOLDER, a temporary site is made with the
file as `content/resume.json` (or `content/cv.yaml`) and built in-process, like `cvgen
build`. Prints, per file, whether the official JSON Resume schema (vendored under tests/)
accepts it, whether cvgen built it, and how many warnings (or errors) it printed; then the
totals. The files themselves are never copied into this repository.

    .venv/bin/python bench/real_resumes.py FOLDER [--show]

`--show` also prints every message. Without FOLDER (as in `make bench`) it says so and exits.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "tests" / "data" / "jsonresume" / "schema.json"


def schema_accepts(path: Path) -> bool | None:
    """True/False per the official schema (no format checks, as its own tools do); None if unreadable."""
    import jsonschema
    import yaml

    try:
        text = path.read_bytes().decode("utf-8-sig")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return validator.is_valid(json.loads(json.dumps(data, default=str)))


def build_one(path: Path) -> tuple[bool, list[str]]:
    """(built, messages): the warnings of a build, or the errors of a failed one."""
    from cvgen.build import build
    from cvgen.errors import ContentError, CvgenError

    with tempfile.TemporaryDirectory(prefix="cvgen-real-") as tmp:
        root = Path(tmp)
        (root / "cvgen.yaml").write_text('site:\n  url: "https://cv.example.com/"\n')
        (root / "content").mkdir()
        name = "resume.json" if path.suffix == ".json" else "cv.yaml"
        shutil.copyfile(path, root / "content" / name)
        try:
            report = build(root)
        except ContentError as exc:
            return False, [str(issue) for issue in exc.issues]
        except CvgenError as exc:
            return False, [exc.format_message()]
        return True, [str(issue) for issue in report.warnings]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--show", action="store_true", help="print every message")
    args = parser.parse_args()
    if args.folder is None:
        print("real_resumes: no folder of resume files given; nothing to measure")
        return 0
    sys.path.insert(0, str(REPO))
    files = sorted(
        p for p in args.folder.iterdir() if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
    )
    built = schema_ok = schema_ok_built = 0
    print(f"{'file':<48} {'schema':<7} {'result':<7} messages")
    for path in files:
        accepted = schema_accepts(path)
        ok, messages = build_one(path)
        built += ok
        schema_ok += bool(accepted)
        schema_ok_built += bool(accepted) and ok
        schema = {True: "valid", False: "invalid", None: "broken"}[accepted]
        result = "built" if ok else "FAILED"
        kind = "warnings" if ok else "errors"
        print(f"{path.name[:48]:<48} {schema:<7} {result:<7} {len(messages)} {kind}")
        if args.show:
            for message in messages:
                print(f"    {message}")
    print(
        f"\n{built} of {len(files)} files built; "
        f"{schema_ok_built} of the {schema_ok} the official schema accepts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
