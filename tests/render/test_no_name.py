"""A CV without `basics.name` (the official schema does not require one) builds with a
warning: page and PDF are headed with `site.title`, else "Curriculum vitae", in every
built-in theme; nothing is invented in resume.json; --strict makes it an error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from tests.render.test_pdf import pdftotext

CV = "basics:\n  label: Platform Engineer\n  email: ada@example.com\nwork:\n  - name: Northwind\n"


def site(root: Path, theme: str, title: str | None = None) -> Path:
    root.mkdir()
    settings = f'site:\n  url: "https://ada.dev/"\n{f"  title: {title}" if title else ""}\n'
    (root / "cvgen.yaml").write_text(settings + f"theme: {theme}\n", encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "cv.yaml").write_text(CV, encoding="utf-8")
    return root


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no <h1>"
    return match.group(1).strip()


@pytest.mark.parametrize("theme", ["default", "sidebar", "classic"])
def test_a_cv_without_a_name_builds_headed_curriculum_vitae(tmp_path: Path, theme: str) -> None:
    root = site(tmp_path / "site", theme)
    code, output = build(root)
    assert code == 0, output
    assert (
        "content/cv.yaml:1:1: warning: basics.name: missing; the page and PDF are headed with "
        '`site.title` from cvgen.yaml, else "Curriculum vitae"; add `name:` with your full name'
    ) in output
    out = root / "output"
    html = (out / "index.html").read_text("utf-8")
    assert heading(html) == "Curriculum vitae"
    assert "<title>Curriculum vitae – Platform Engineer</title>" in html
    pdf = " ".join(pdftotext((out / "cv.pdf").read_bytes(), tmp_path).split())
    assert pdf.startswith("Curriculum vitae ")  # the PDF's heading, in every layout
    exported = json.loads((out / "resume.json").read_text("utf-8"))
    assert "name" not in exported["basics"]  # nothing invented
    [jsonld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "name" not in json.loads(jsonld)["mainEntity"]

    code, output = build(root, "--strict", "--output", str(tmp_path / "strict"))
    assert code == 1 and "basics.name: missing" in output
    assert not (tmp_path / "strict").exists()


def test_the_site_title_heads_a_cv_without_a_name(tmp_path: Path) -> None:
    root = site(tmp_path / "site", "default", title="Ada's CV")
    assert build(root)[0] == 0
    out = root / "output"
    assert heading((out / "index.html").read_text("utf-8")) == "Ada's CV"
    pdf = " ".join(pdftotext((out / "cv.pdf").read_bytes(), tmp_path).split())
    assert re.match(r"Ada.s CV ", pdf)  # Typst may curl the apostrophe
