"""PDF polish: contact lines and short lists wrap between items only, with no separator at
the start or end of a line and no label torn from its value; contact icons as an option,
drawn (no font, no download) and invisible to a text extractor. Read back with poppler."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest

from cvgen.errors import Issue
from cvgen.render.pdf import render_pdf
from cvgen.render.theme import load_theme
from cvgen.settings.config import Config, PdfConfig, SiteConfig
from tests.render.conftest import make_cv

THEMES = ("default", "classic", "sidebar")
NETWORKS = ["GitHub", "LinkedIn", "Mastodon", "GitLab", "Codeberg", "Bluesky", "Stack Overflow"]


def _crowded() -> object:
    """A CV whose contact line, languages and project keywords take several lines."""
    profiles = [{"network": n, "username": f"{n.lower().replace(' ', '')}-mira"} for n in NETWORKS]
    languages = [
        {"language": code, "fluency": "Professional working proficiency"}
        for code in ("sv", "en", "de", "fr", "es", "it", "nl", "fi", "da", "no")
    ]
    keywords = [f"keyword{i} phrase" for i in range(30)]
    return make_cv(
        basics__email="mira.lindqvist@example.com",
        basics__phone="+46 70 123 45 67",
        basics__url="https://mira.example.com/",
        basics__location={"city": "Stockholm", "countryCode": "SE"},
        basics__profiles=profiles,
        languages=languages,
        projects=[{"name": "tfcheck", "keywords": keywords}],
    )


def _lines(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "polish.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def _count(pdf: bytes, word: bytes) -> int:
    """How often `word` occurs in the PDF's streams, inflated (Typst compresses them)."""
    total = pdf.count(word)
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            total += zlib.decompress(stream.group(1)).count(word)
        except zlib.error:
            continue
    return total


def _render(tmp_path: Path, theme: str, icons: bool = False) -> bytes:
    config = Config(
        root=tmp_path, theme=theme, site=SiteConfig(language="en"), pdf=PdfConfig(icons=icons)
    )
    warnings: list[Issue] = []
    pdf = render_pdf(_crowded(), load_theme(config), config, warnings=warnings)  # type: ignore[arg-type]
    assert warnings == []  # Typst refuses a PDF/UA-1 it cannot keep: that would be one
    return pdf


@pytest.mark.parametrize("theme", THEMES)
def test_no_separator_starts_or_ends_a_line_and_no_label_is_split(
    tmp_path: Path, theme: str
) -> None:
    lines = _lines(_render(tmp_path, theme), tmp_path)
    contact = [line for line in lines if "-mira" in line]
    assert len(contact) >= 2 or theme == "sidebar"  # the contact line did wrap
    for line in lines:
        # the layout mode splits columns with runs of spaces: look at each column
        for column in re.split(r"\s{3,}", line):
            assert not re.match(r"^[|·]", column), (theme, line)
            assert not re.search(r"[|·]$", column), (theme, line)
    for network in NETWORKS:
        value = f"{network.lower().replace(' ', '')}-mira"
        assert any(f"{network}: {value}" in line for line in lines), (theme, network)
    # a language and its level stay together
    assert any("Swedish (Professional working proficiency)" in line for line in lines)


@pytest.mark.parametrize("theme", THEMES)
def test_icons_are_drawn_and_read_as_nothing(tmp_path: Path, theme: str) -> None:
    plain = _render(tmp_path, theme)
    drawn = _render(tmp_path, theme, icons=True)  # no warning: still PDF/UA-1 (see _render)
    assert drawn != plain
    # drawn as marked artifacts (content a screen reader skips), no figure in the tag tree
    assert _count(drawn, b"/Artifact") > _count(plain, b"/Artifact")
    assert _count(drawn, b"/Figure") == _count(plain, b"/Figure")
    # the same text (the lines wrap elsewhere: icons take room, so separators move)
    words = {
        name: sorted(re.split(r"[\s|·]+", " ".join(_lines(pdf, tmp_path))))
        for name, pdf in (("plain", plain), ("drawn", drawn))
    }
    assert words["drawn"] == words["plain"]
