"""A real resume.json with a key written twice in one object builds, as every JSON reader
(and the official schema's validator) reads it: the last value, with a located warning
naming what was dropped; `--strict` makes it an error, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cvgen.cli import cli

RESUME = """{
  "basics": {
    "name": "Ada Lindqvist",
    "label": "Engineer",
    "name": "Ada L."
  },
  "work": [{"name": "Northwind", "position": "Dev", "startDate": "2021-09",
            "highlights": ["one"], "highlights": ["two", "three"]}]
}
"""


def site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "cvgen.yaml").write_text("pdf: {enabled: false}\n")
    (tmp_path / "content" / "resume.json").write_text(RESUME)
    return tmp_path


def test_the_last_value_is_used_with_a_warning_naming_the_dropped_one(tmp_path: Path) -> None:
    root = site(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert (
        "content/resume.json:5:5: warning: basics.name: duplicate key `name` (first on line 3):"
        ' this later value is used, as every JSON reader does, and "Ada Lindqvist" from line 3'
        " is dropped; remove one of them"
    ) in result.output
    assert (
        "content/resume.json:8:36: warning: work[0].highlights: duplicate key `highlights`"
        " (first on line 8): this later value is used, as every JSON reader does, and a list"
        " of 1 item from line 8 is dropped; remove one of them"
    ) in result.output
    exported = json.loads((root / "output" / "resume.json").read_text())
    assert exported["basics"]["name"] == "Ada L." == json.loads(RESUME)["basics"]["name"]
    assert exported["work"][0]["highlights"] == ["two", "three"]


def test_strict_makes_it_an_error_and_writes_nothing(tmp_path: Path) -> None:
    root = site(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--strict", "--root", str(root)])
    assert result.exit_code == 1
    assert "duplicate key `name`" in result.output and "Traceback" not in result.output
    assert not (root / "output").exists()
