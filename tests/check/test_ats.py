"""The ATS self-check: the pure comparison (table-driven, on text as PDFium gives it), and the
real thing: PDFs typeset by each theme and by deliberately broken templates, read back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cvgen.build import render_pages
from cvgen.check.ats import Finding, check_reading
from cvgen.check.pdfread import PdfPage, PdfText
from cvgen.check.run import ats_findings
from cvgen.cli import cli
from cvgen.errors import ContentError
from tests.conftest import REPO

# ---- pure: a PDF data document and the text a parser got ----


def _spans(text: str) -> list[dict[str, Any]]:
    return [{"text": text}]


def _document() -> dict[str, Any]:
    def job(title: str, org: str, date: str, *highlights: str) -> dict[str, Any]:
        return {
            "title": _spans(title),
            "org": _spans(org),
            "date": date,
            "highlights": [_spans(h) for h in highlights],
        }

    return {
        "labels": {"work": "Experience", "skills": "Skills"},
        "basics": {
            "name": _spans("Mira Holm"),
            "contact": [
                {"kind": "location", "text": "Oslo, Norway"},
                {"kind": "email", "text": "mira@example.com"},
                {"kind": "profile", "text": "GitHub: mira-holm"},
            ],
        },
        "sections": [
            {
                "key": "work",
                "kind": "resume",
                "layout": "entries",
                "title": "Experience",
                "entries": [
                    job("Platform Engineer", "Fjord Bank", "2021 – Present", "Moved 40 services"),
                    job("Developer", "Nordlys AS", "2018 – 2021", "Built the billing system"),
                ],
            },
            {"key": "skills", "kind": "resume", "layout": "tags", "title": "Skills", "entries": []},
        ],
    }


GOOD = """Mira Holm
Oslo, Norway | mira@example.com | GitHub: mira-holm
EXPERIENCE
Platform Engineer 2021 – Present
Fjord Bank
• Moved 40 services
Developer 2018 – 2021
Nordlys AS
• Built the billing system
SKILLS
Mira Holm 1 / 1"""


def _read(text: str, unembedded: tuple[str, ...] = ()) -> PdfText:
    pages = tuple(PdfPage(page.replace("\n", "\r\n")) for page in text.split("\f"))
    return PdfText(pages, (), ("SourceSans3",), unembedded)


def _moved(text: str, line: str, after: str) -> str:
    lines = text.split("\n")
    lines.remove(line)
    lines.insert(lines.index(after) + 1, line)
    return "\n".join(lines)


def test_a_faithful_reading_has_no_findings() -> None:
    assert check_reading(_document(), _read(GOOD)) == []
    # a page break, spaces PDFium adds, smart quotes and a hyphen it marks are no findings
    split = GOOD.replace("Developer 2018", "\fDeveloper  2018").replace("Moved 40", "Moved  40")
    assert check_reading(_document(), _read(split)) == []


@pytest.mark.parametrize(
    ("reading", "where", "words"),
    [
        (_moved(GOOD, "Mira Holm", "SKILLS"), "name", "first line a parser reads"),
        (GOOD.replace("mira@example.com", "mira@exam-\nple.com"), "contact", "broken across"),
        (GOOD.replace("GitHub: mira-holm", "GitHub:"), "contact", "“mira-holm” is missing"),
        (GOOD.replace("services", "ser\ufb01ces"), "fonts", "ligature"),
        (
            _moved(GOOD, "Fjord Bank", "• Built the billing system"),
            "Experience › Platform Engineer",
            "“Fjord Bank” comes out 5 lines from the title",
        ),
        (
            GOOD.replace("Developer 2018 – 2021", "Developer"),
            "Experience › Developer",
            "dates “2018 – 2021” is missing",
        ),
        (
            _moved(GOOD, "Developer 2018 – 2021", "EXPERIENCE"),
            "Experience › Developer",
            "comes out before",
        ),
        (GOOD.replace("• Built the billing system\n", ""), "Built the billing system", "missing"),
        (GOOD + "\nBuilt the billing system", "Built the billing system", "2 times, not 1"),
        (GOOD.replace("SKILLS", "Skills: Go"), "Skills", "not a line of its own"),
    ],
)
def test_each_misreading_is_a_finding_naming_the_entry(
    reading: str, where: str, words: str
) -> None:
    findings = check_reading(_document(), _read(reading))
    assert any(f.where == where and words in f.message for f in findings), findings


def test_a_heading_parsers_do_not_know_and_a_font_not_embedded() -> None:
    document = _document()
    document["sections"][0]["title"] = "Adventures"
    findings = check_reading(document, _read(GOOD.replace("EXPERIENCE", "ADVENTURES"), ("Arial",)))
    assert (
        Finding(
            "Adventures",
            "the heading “Adventures” is not one parsers know for this section (such as"
            " “Employment”); they may not file its entries under it",
        )
        in findings
    )
    assert any(f.where == "fonts" and "not embedded: Arial" in f.message for f in findings)


# ---- the real thing ----


def _site(tmp_path: Path, theme: str = "default", **files: str) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    shutil.copy2(REPO / "content" / "cv.yaml", site / "content" / "cv.yaml")
    shutil.copy2(REPO / "content" / "about.md", site / "content" / "about.md")
    (site / "cvgen.yaml").write_text(f"site:\n  language: en\ntheme: {theme}\n")
    for name, text in files.items():
        path = site / "theme" / theme / "pdf" / name.replace("_", ".")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return site


@pytest.mark.parametrize("theme", ["default", "classic", "sidebar"])
def test_the_example_reads_back_clean_in_every_theme(tmp_path: Path, theme: str) -> None:
    built = render_pages(_site(tmp_path, theme))
    assert ats_findings(built.warnings) == []


def _broken(name: str, *changes: tuple[str, str]) -> dict[str, str]:
    """A built-in PDF template file with some changes, as `_site` takes it."""
    text = (REPO / "theme" / "default" / "pdf" / name).read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return {name.replace(".", "_"): text}


ENTRIES = "    for e in s.entries { entry(e, style) }\n"
HIGHLIGHTS = "list(..e.highlights.map(h => spans(h, link-style: ls)))"
BROKEN = {
    # every entry's dates set apart from its title, listed after the section's entries
    "dates apart": (
        _broken(
            "sections.typ",
            ("par[#title #h(1fr) #text(fill: style.muted, e.date)]", "par[#title]"),
            (ENTRIES, ENTRIES + "    for e in s.entries { par(e.date) }\n"),
        ),
        "lines from the title; a parser may give it to another entry",
    ),
    # each highlight set twice (a hidden layer, a repeated column)
    "doubled": (
        _broken("sections.typ", (HIGHLIGHTS, HIGHLIGHTS + "\n    " + HIGHLIGHTS)),
        "2 times",
    ),
    # the email above the name
    "name not first": (
        _broken("cv.typ", ("#let who = {\n", "#let who = {\n  par(basics.contact.at(1).text)\n")),
        "first line a parser reads",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_template_is_caught(tmp_path: Path, case: str) -> None:
    files, words = BROKEN[case]
    site = _site(tmp_path, **files)
    findings = ats_findings(render_pages(site).warnings)
    assert any(words in f.message for f in findings), findings
    assert all(f.file == "cv.pdf" and f.message.startswith("ATS check: ") for f in findings)
    with pytest.raises(ContentError):
        render_pages(site, strict=True)
    result = CliRunner().invoke(cli, ["check", "--root", str(site)])
    assert result.exit_code == 1 and words in result.output


def test_cvgen_check_says_what_it_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--root", str(_site(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "ATS check: 2 files read back clean" in result.output  # cv.pdf, cv.docx


def test_the_word_file_is_read_back_too(tmp_path: Path) -> None:
    import io

    import docx

    from cvgen.check.run import check_docx
    from cvgen.content.load import load_content
    from cvgen.render.pdfdata import pdf_data
    from cvgen.render.shown import show
    from cvgen.render.theme import load_theme
    from cvgen.settings.config import load_config

    site = _site(tmp_path)
    built = render_pages(site)
    assert ats_findings(built.warnings) == []
    config = load_config(site)
    theme = load_theme(config)
    document = pdf_data(show(load_content(config), config, theme), config)
    word = docx.Document(io.BytesIO(built.pages["cv.docx"]))
    word.paragraphs[0].insert_paragraph_before("Curriculum vitae")  # a line above the name
    out = io.BytesIO()
    word.save(out)
    findings = check_docx(out.getvalue(), document, "cv.docx")
    assert [f.field for f in findings] == ["name"]
    assert findings[0].file == "cv.docx" and "“Curriculum vitae”" in findings[0].message
