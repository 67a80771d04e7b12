"""Odd but buildable content next to the exact warnings it must give and what it exports.

Each `tests/content/odd/<case>/` is a site root whose `content/` holds what real JSON
Resume files contain (v0 names, extra fields and sections, country names, "Present" end
dates ...). The official schema accepts every one of them, so each must load without an
error; `warnings.txt` lists the warnings, in file order, and `resume.json` the exact
export (which the official schema must accept too). After a deliberate change, regenerate
them with `.venv/bin/pytest tests/content/test_odd_content.py --update-golden` and review
the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from cvgen.content.export import resume_json
from cvgen.content.load import load_content
from cvgen.settings.config import Config

ODD = Path(__file__).parent / "odd"
CASES = sorted(path.name for path in ODD.iterdir() if (path / "content").is_dir())
# Real files have these too, though the schema's date pattern refuses them.
OUTSIDE_SCHEMA = {"dates": '"Present", "" and timestamps as end dates'}
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "cvgen" / "schemas" / "jsonresume.schema.json").read_text("utf-8")
)


def _source(root: Path) -> object:
    for name in ("cv.yaml", "resume.json"):
        path = root / "content" / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    raise AssertionError(f"{root} has no CV file")


def _compare(path: Path, actual: str, update: bool) -> None:
    if update:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_there_are_cases() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES)
def test_odd_content_builds_with_exact_warnings(case: str, update_golden: bool) -> None:
    root = ODD / case
    if case not in OUTSIDE_SCHEMA:
        # What the official schema accepts must build: the input itself is schema-valid.
        jsonschema.Draft7Validator(SCHEMA).validate(_source(root))
    cv = load_content(Config(root=root))
    _compare(root / "warnings.txt", "".join(f"{issue}\n" for issue in cv.warnings), update_golden)
    exported = resume_json(cv).decode("utf-8")
    _compare(root / "resume.json", exported, update_golden)
    jsonschema.Draft7Validator(SCHEMA).validate(json.loads(exported))
