"""Every built-in theme's cv.pdf: two pages of the example on A4 and Letter, its own fonts,
the photo where the theme has a place for it, and the owner's section order and titles."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from cvgen.content.load import load_content
from cvgen.content.photo import load_photo
from cvgen.render.pdf import render_pdf
from cvgen.render.theme import load_theme
from cvgen.settings.config import Config, PdfConfig, PhotoConfig
from cvgen.settings.sections import SectionsConfig
from tests.conftest import REPO
from tests.content.test_photo import png
from tests.render.test_pdf import flat, info_fields, pdftotext

THEMES = ["default", "sidebar", "classic"]
FONTS = {"default": "SourceSans3", "sidebar": "SourceSans3", "classic": "LibertinusSerif"}


def fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


def images(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    return out.stdout.splitlines()[2:]


@pytest.mark.parametrize("theme", THEMES)
def test_the_example_fits_two_pages_on_a4_and_letter(theme: str, tmp_path: Path) -> None:
    config = Config(root=REPO, theme=theme)
    cv = load_content(config)
    loaded = load_theme(config)
    for paper in ("a4", "letter"):
        pdf = render_pdf(
            cv, loaded, dataclasses.replace(config, pdf=PdfConfig(paper=paper)), warnings=[]
        )
        fields = info_fields(pdf, tmp_path)
        assert fields["Pages"] == "2", (theme, paper)
        assert fields["Tagged"] == "yes"
    used = fonts(pdf, tmp_path)
    assert FONTS[theme] in used, used
    rows = [line.split() for line in used.splitlines()[2:]]
    assert rows and all(row[-5:-3] == ["yes", "yes"] for row in rows)  # embedded, subset
    text = flat(pdftotext(pdf, tmp_path))
    for job in cv.resume["work"]:
        assert f"{job['position']} " in text and job["name"] in text, (theme, job["name"])
    assert images(pdf, tmp_path) == []  # no photo in the example


@pytest.mark.parametrize("theme", THEMES)
def test_the_photo_is_in_every_theme_pdf(theme: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "me.png").write_bytes(png(120, 160))
    (site / "content" / "cv.yaml").write_text(
        "basics:\n  name: Ada Lovelace\n  image: me.png\nwork:\n"
        "  - {name: Engines, position: Programmer, startDate: '2020-01'}\n",
        encoding="utf-8",
    )
    config = Config(root=site, theme=theme, photo=PhotoConfig(alt="Ada, smiling"))
    cv = load_content(config)
    pdf = render_pdf(cv, load_theme(config), config, load_photo(config, cv, []), warnings=[])
    [row] = images(pdf, tmp_path)
    assert row.split()[3:5] == ["120", "160"]  # the file itself, placed (and clipped) whole
    structure = subprocess.run(
        ["pdfinfo", "-struct-text", str(tmp_path / "images.pdf")], capture_output=True, text=True
    ).stdout
    assert "Figure" in structure  # a tagged figure ...
    assert b"/Alt(Ada, smiling)" in pdf  # ... with its alt text (PDF/UA)


@pytest.mark.parametrize("theme", THEMES)
def test_section_order_titles_and_hiding_reach_the_pdf(theme: str, tmp_path: Path) -> None:
    sections = SectionsConfig(
        order=("education", "work"), titles={"work": "Career"}, hide=("projects",)
    )
    config = Config(root=REPO, theme=theme, sections=sections)
    pdf = render_pdf(load_content(config), load_theme(config), config, warnings=[])
    text = flat(pdftotext(pdf, tmp_path)).lower()
    assert "career" in text and "experience engineer" not in text
    assert text.index("education") < text.index("career") < text.index("volunteering")
    assert "tfcheck" not in text  # a project
