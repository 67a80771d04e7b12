"""The page budget: which tightening step `fit` picks (pure, table-driven), and the real thing:
Typst runs at those steps, the PDF read back with PDFium and poppler."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cvgen.build import render_pages
from cvgen.check.pdfread import PageFill, page_fill
from cvgen.content.load import load_content
from cvgen.content.model import CV
from cvgen.errors import ContentError, Issue
from cvgen.render.pdf import PdfSettings, compile_pdf, template_files
from cvgen.render.pdfcache import PdfCache
from cvgen.render.pdfdata import pdf_data
from cvgen.render.pdffit import STEPS, WIDOW_LINES, Overrun, fit, overrun_message, overruns
from cvgen.render.shown import show
from cvgen.render.theme import load_theme
from cvgen.settings.config import Config, PdfConfig, SiteConfig
from tests.conftest import REPO
from tests.render.conftest import make_cv

# ---- fit(): which step, how many runs (a layout per level stands in for Typst) ----


def _layouts(table: dict[float, tuple[int, int]]) -> dict[float, PageFill]:
    """level -> (pages, lines on the last page); the fill follows the lines."""
    return {level: PageFill(p, lines, lines / 90) for level, (p, lines) in table.items()}


def _fit(table: dict[float, tuple[int, int]], budget: int | None) -> tuple[Any, list[float]]:
    layouts = _layouts(table)
    asked: list[float] = []

    def typeset(level: float) -> float:
        asked.append(level)
        return level

    return fit(typeset, lambda level: layouts[level], budget), asked


SHRINKING = {0.0: (3, 20), 0.2: (3, 10), 0.4: (2, 80), 0.6: (2, 60), 0.8: (2, 30), 1.0: (2, 10)}


@pytest.mark.parametrize(
    ("budget", "level", "overflow"),
    [
        (3, 0.0, False),  # fits as designed: no tightening, one run
        (2, 0.4, False),  # the least step that fits, not the tightest
        (1, 1.0, True),  # even the tightest spills: kept (fewest pages), flagged
    ],
)
def test_fit_takes_the_least_step_that_fits(budget: int, level: float, overflow: bool) -> None:
    fitted, asked = _fit(SHRINKING, budget)
    assert (fitted.level, fitted.overflow) == (level, overflow)
    assert fitted.result == level and fitted.runs == len(asked) == len(set(asked))
    if budget == 3:
        assert asked == [0.0]
    assert len(asked) <= 4


@pytest.mark.parametrize("linear", [True, False])
def test_fit_needs_few_runs_wherever_the_boundary_is(linear: bool) -> None:
    """Heights falling evenly with the level (as tightening does): four runs at most; any
    other shape: five (the ends, a guess, its neighbour, one bisection)."""
    for boundary in range(1, len(STEPS)):
        table = {}
        for i, step in enumerate(STEPS):
            if linear:  # the last page's height falls by 10 lines a step; page 2 ends at 0
                lines = 10 * (boundary - i)
                table[step] = (2, lines) if lines > 0 else (1, 90 + lines)
            else:  # a sudden drop at the boundary
                table[step] = (2, 40) if i < boundary else (1, 85 - 10 * i)
        fitted, asked = _fit(table, 1)
        assert fitted.level == STEPS[boundary], boundary
        assert len(asked) <= (4 if linear else 5), (boundary, asked)


@pytest.mark.parametrize(
    ("table", "level"),
    [
        # a stray last page of a few lines, pulled back by a small step
        ({0.0: (2, 5), 0.2: (1, 88), 0.4: (1, 80), 1.0: (1, 60)}, 0.2),
        # only a big step would: the design stays
        ({0.0: (2, 5), 0.2: (2, 4), 0.4: (2, 2), 1.0: (1, 60)}, 0.0),
        # a last page well filled is no stray one
        ({0.0: (2, WIDOW_LINES + 1), 0.2: (1, 88), 0.4: (1, 80)}, 0.0),
        ({0.0: (1, 40)}, 0.0),
    ],
)
def test_without_a_budget_only_a_stray_last_page_is_pulled_back(
    table: dict[float, tuple[int, int]], level: float
) -> None:
    fitted, asked = _fit(table, None)
    assert fitted.level == level and not fitted.overflow
    assert max(asked) <= 0.4  # never more than a small tightening


# ---- the real thing: Typst at each step ----


def _example(theme: str = "default", **pdf: Any) -> tuple[CV, Config]:
    config = Config(root=REPO, theme=theme, site=SiteConfig(language="en"), pdf=PdfConfig(**pdf))
    return load_content(config), config


def _pdf(cv: CV, config: Config, warnings: list[Issue] | None = None) -> bytes:
    """Typeset afresh (no cache); a warning only where the caller expects some."""
    theme = load_theme(config)
    files, names = template_files(theme)
    document = pdf_data(show(cv, config, theme), config)
    settings = PdfSettings(pages=config.pdf.pages, icons=config.pdf.icons)
    found: list[Issue] = []
    pdf = compile_pdf(files, names, document, theme.font_dirs, None, found, settings)
    if warnings is None:
        assert found == []
    else:
        warnings += found
    return pdf


def test_the_sidebar_example_fits_one_page_when_asked(tmp_path: Path) -> None:
    cv, config = _example("sidebar")
    assert page_fill(_pdf(cv, config)).pages == 2
    fitted = _pdf(cv, replace(config, pdf=PdfConfig(pages=1)))
    assert page_fill(fitted).pages == 1
    text = " ".join(_text(fitted, tmp_path).split())
    for words in ("Ada Lindqvist", "Northwind Payments", "Stockholm DevOps meetup organiser"):
        assert words in text  # tightened, nothing dropped


def test_a_budget_even_the_tightest_spills_names_what_runs_over() -> None:
    cv, config = _example("default", pages=1)
    warnings: list[Issue] = []
    pdf = _pdf(cv, config, warnings)
    assert page_fill(pdf).pages == 2  # the tightest: the fewest pages it can
    [issue] = warnings
    assert "needs 2 pages even at the theme's tightest setting, not 1" in issue.message
    # the sections whose text is on page 2, with their entries
    assert "Skills (“Cloud”, “Containers”, “Observability”, “Languages”)" in issue.message
    assert "Interests (“Outdoors”, “Community”)" in issue.message
    assert "Experience" not in issue.message


def _text(pdf: bytes, tmp_path: Path, *flags: str) -> str:
    path = tmp_path / "fit.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *flags, str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


WORDS = "Reduced the deploy time of the payment services by moving them to a new platform"


def _jobs(count: int, skills: int = 4, summary: int = 0) -> CV:
    work = [
        {
            "name": f"Company {i}",
            "position": f"Role {i}",
            "startDate": "2019-01",
            "highlights": [f"{WORDS} ({i}.{j})." for j in range(3)],
        }
        for i in range(count)
    ]
    keywords = ["Terraform", "Kubernetes", "Prometheus"]
    skill_list = [{"name": f"Skill {i}", "keywords": keywords} for i in range(skills)]
    return make_cv(work=work, skills=skill_list, basics__summary=" ".join([WORDS] * summary))


def test_a_stray_last_page_is_pulled_back_without_a_budget(tmp_path: Path) -> None:
    config = Config(root=tmp_path, site=SiteConfig(language="en"))
    cv = _jobs(9)  # as designed, five lines spill onto page 2
    designed = _pdf(cv, replace(config, pdf=PdfConfig(pages=99)))
    assert page_fill(designed).pages == 2 and page_fill(designed).last_lines <= WIDOW_LINES
    assert page_fill(_pdf(cv, config)).pages == 1
    # a well-filled second page stays as designed
    longer = _jobs(12)
    assert _pdf(longer, config) == _pdf(longer, replace(config, pdf=PdfConfig(pages=99)))


@pytest.mark.parametrize("summary", range(0, 12))
def test_a_short_section_is_never_split_across_pages(tmp_path: Path, summary: int) -> None:
    """The summary's length moves the page break through Skills, line by line."""
    pdf = _pdf(_jobs(9, skills=6, summary=summary), Config(root=tmp_path, pdf=PdfConfig(pages=9)))
    pages = _text(pdf, tmp_path).split("\f")
    holding = [i for i, page in enumerate(pages) if "Skill " in page]
    assert len(holding) == 1, (summary, holding)
    assert "SKILLS" in pages[holding[0]]


def test_the_cache_keys_on_the_budget(tmp_path: Path) -> None:
    cv, config = _example("sidebar")
    theme = load_theme(config)
    files, names = template_files(theme)
    document = pdf_data(show(cv, config, theme), config)
    cache = PdfCache(tmp_path / "pdf")
    free = compile_pdf(files, names, document, theme.font_dirs, cache, [], PdfSettings())
    one = compile_pdf(files, names, document, theme.font_dirs, cache, [], PdfSettings(pages=1))
    assert (page_fill(free).pages, page_fill(one).pages) == (2, 1)
    assert len(list((tmp_path / "pdf").iterdir())) == 2
    # hits: the same bytes for the same budget
    again = compile_pdf(files, names, document, theme.font_dirs, cache, [], PdfSettings(pages=1))
    assert again == one
    assert compile_pdf(files, names, document, theme.font_dirs, cache, [], PdfSettings()) == free


def _site(tmp_path: Path, yaml_text: str) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "content").mkdir()
    (site / "content" / "cv.yaml").write_text((REPO / "content" / "cv.yaml").read_text())
    (site / "cvgen.yaml").write_text(yaml_text)
    return site


def test_strict_fails_on_a_budget_the_pdf_cannot_meet_and_names_the_setting(
    tmp_path: Path,
) -> None:
    site = _site(
        tmp_path,
        "site:\n  language: en\nvariants:\n  - name: short\n    pdf:\n      pages: 1\n",
    )
    built = render_pages(site)  # warnings only
    assert [w.field for w in built.warnings] == ["variants[0].pdf.pages"]
    [warning] = built.warnings
    assert (warning.file, warning.line, warning.col) == ("cvgen.yaml", 6, 14)
    with pytest.raises(ContentError) as caught:
        render_pages(site, strict=True)
    assert "Interests (“Outdoors”, “Community”)" in str(caught.value.issues[0])
    # the site's page has no budget; the variant's PDF has
    assert page_fill(built.pages["cv.pdf"]).pages == 2


def test_a_variant_budget_overrides_the_sites(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "site:\n  language: en\ntheme: sidebar\npdf:\n  pages: 1\n"
        "variants:\n  - name: long\n    pdf:\n      pages: 3\n",
    )
    built = render_pages(site, strict=True)
    assert page_fill(built.pages["cv.pdf"]).pages == 1
    assert page_fill(built.pages["long/cv.pdf"]).pages == 2


SITE = "site:\n  language: en\n"
VARIANT = SITE + "variants:\n  - name: x\n"


@pytest.mark.parametrize(
    ("settings", "where", "message"),
    [
        ("pdf:\n  pages: 0\n", "cvgen.yaml:4:10: pdf.pages", "1 to 20"),
        ("pdf:\n  pages: two\n", "cvgen.yaml:4:10: pdf.pages", "expected a whole number"),
        ("pdf:\n  pages: true\n", "cvgen.yaml:4:10: pdf.pages", "expected a whole number"),
        ("pdf:\n  icons: yes please\n", "cvgen.yaml:4:10: pdf.icons", "expected true or false"),
        ("    pdf:\n      pages: 21\n", "cvgen.yaml:6:14: variants[0].pdf.pages", "1 to 20"),
        ("    pdf:\n      page: 1\n", "cvgen.yaml:6:7: variants[0].pdf.page", "did you mean"),
        ("    pdf: 1\n", "cvgen.yaml:5:10: variants[0].pdf", "like `{pages: 1}`"),
    ],
)
def test_a_bad_budget_is_a_located_error(
    tmp_path: Path, settings: str, where: str, message: str
) -> None:
    site = _site(tmp_path, (VARIANT if settings.startswith(" ") else SITE) + settings)
    with pytest.raises(ContentError) as caught:
        render_pages(site)
    [issue] = caught.value.issues
    assert str(issue).startswith(where) and message in issue.message


def test_overruns_names_sections_and_entries_past_the_budget() -> None:
    def entry(title: str) -> dict[str, Any]:
        return {"title": [{"text": title}]}

    sections: list[dict[str, Any]] = [
        {"title": "Experience", "entries": [entry("Engineer"), entry("Intern")]},
        {"title": "Projects", "entries": [entry("Alpha"), entry("Beta"), entry("Gamma")]},
        {"title": "Skills", "entries": [entry("Cloud")]},
    ]
    pages = [
        "EXPERIENCE\nEngineer\nworked\nIntern\nPROJECTS\nAlpha\nbuilt",
        "more of alpha\nBeta\nGamma\nSKILLS\nCloud",
    ]
    found = overruns(sections, pages, 1)
    assert found == [
        Overrun("Projects", ("Beta", "Gamma"), "Alpha"),
        Overrun("Skills", ("Cloud",), None),
    ]
    message = overrun_message(found, 1, 2)
    assert (
        "past page 1: Projects (the end of “Alpha”, “Beta”, “Gamma”); Skills (“Cloud”)" in message
    )
