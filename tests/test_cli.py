"""`cvgen build` on the command line: the summary line, exit codes, messages without tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.bundle.write import MARKER
from cvgen.cli import cli
from cvgen.sizes import human_size


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_build_prints_one_summary_line(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example_site / "cvgen.yaml").write_text("site:\n  url: https://ada.dev/\n", "utf-8")
    monkeypatch.chdir(example_site / "content")  # the root is found above the current folder
    code, output = run("build")
    assert code == 0, output
    assert re.fullmatch(
        r"built \d+ files \(\d+\.\d KB\) into /\S+/output/ in \d+\.\d\d s\n", output
    )
    monkeypatch.chdir(example_site)
    code, output = run("build")
    assert re.fullmatch(r"built \d+ files \(\d+\.\d KB\) into output/ in \d+\.\d\d s\n", output)


def test_build_with_root_and_output(example_site: Path, tmp_path: Path) -> None:
    code, output = run("build", "--root", str(example_site), "--output", str(tmp_path / "out"))
    assert code == 0, output
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (example_site / "output").exists()
    # the size counts the files written, in the KB every command uses (1000 bytes)
    # (not cvgen's marker, which is not part of the site)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != MARKER]
    size = sum(p.stat().st_size for p in files)
    assert f"({human_size(size)})" in output
    assert f"({size / 1000:.1f} KB)" in output


BAD_CV = """\
basics:
  nmae: Ada Lindqvist
work:
  - name: Northwind
    startDate: "Sep 2021"
"""


def test_content_errors_are_listed_and_nothing_is_written(example_site: Path) -> None:
    (example_site / "content" / "cv.yaml").write_text(BAD_CV, encoding="utf-8")
    code, output = run("build", "--root", str(example_site))
    assert code == 1
    assert output.splitlines() == [
        "content/cv.yaml:1:1: warning: basics.name: missing; the page and PDF are headed with "
        '`site.title` from cvgen.yaml, else "Curriculum vitae"; add `name:` with your full name',
        "content/cv.yaml:2:3: warning: basics.nmae: unknown field `nmae`; did you mean `name`?",
        'content/cv.yaml:5:5: work[0].startDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got "Sep 2021"; write `2021-09`',
        "Error: 1 problem found; nothing was written.",
    ]
    assert not (example_site / "output").exists()


ODD_CV = """\
basics:
  name: Ada Lindqvist
  website: ada.example.com
work:
  - name: Northwind
    endDate: Present
talks:
  - title: Serverless CVs
"""
ODD_WARNINGS = [
    'content/cv.yaml:3:3: warning: basics.website: no https:// in "ada.example.com"; '
    "linked as https://ada.example.com",
    "content/cv.yaml:3:3: warning: basics.website: old JSON Resume (v0) name; read as `url`: "
    "rename it to `url`",
    'content/cv.yaml:6:5: warning: work[0].endDate: "Present" read as ongoing; '
    "leave out `endDate` for something still going on",
]


def test_warnings_are_printed_with_positions_and_the_site_is_built(example_site: Path) -> None:
    (example_site / "content" / "cv.yaml").write_text(ODD_CV, encoding="utf-8")
    code, output = run("build", "--root", str(example_site))
    assert code == 0, output
    lines = output.splitlines()
    assert lines[:4] == [
        *ODD_WARNINGS,
        "3 warnings; the site was built anyway (`cvgen build --strict` makes them errors).",
    ]
    assert lines[4].startswith("built ")
    page = (example_site / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://ada.example.com"' in page
    assert "Serverless CVs" in page and 'id="talks"' in page


@pytest.mark.parametrize("how", ["flag", "config"])
def test_strict_turns_warnings_into_errors(example_site: Path, how: str) -> None:
    (example_site / "content" / "cv.yaml").write_text(ODD_CV, encoding="utf-8")
    args = ["build", "--root", str(example_site)]
    if how == "flag":
        args.append("--strict")
    else:
        config = example_site / "cvgen.yaml"
        config.write_text(config.read_text("utf-8") + "build:\n  strict: true\n", "utf-8")
    code, output = run(*args)
    assert code == 1
    assert output.splitlines() == [
        *(line.replace(": warning: ", ": ") for line in ODD_WARNINGS),
        "Error: 3 problems found (warnings are errors with --strict or `build.strict: true`); "
        "nothing was written.",
    ]
    assert not (example_site / "output").exists()


def test_no_site_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("build")
    assert code == 1
    assert output.startswith(f"Error: no cvgen.yaml in {tmp_path.resolve()} or any folder above it")


def test_template_error_on_the_command_line(example_site: Path) -> None:
    index = example_site / "theme" / "default" / "templates" / "index.html"
    index.write_text("<p>\n{{ basics.nmae }}\n", encoding="utf-8")
    code, output = run("build", "--root", str(example_site))
    assert code == 1
    assert output == (
        "Error: theme/default/templates/index.html:2: 'dict object' has no attribute 'nmae'\n"
    )


def test_build_path_imports_nothing_heavy(example_site: Path) -> None:
    """The whole-process build stays fast: no boto3/botocore/watchdog on its import path."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cvgen", "build", "--root", str(example_site)],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert "jinja2" in imported
    assert not imported & {"boto3", "botocore", "watchdog", "moto", "playwright"}
