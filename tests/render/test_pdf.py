"""cv.pdf typeset by Typst, read back as an ATS would (poppler's pdftotext and pdfinfo).

poppler-utils comes with `make test` (the Makefile installs it with Chromium).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from cvgen.build import render_pages
from cvgen.cldr import format_date
from cvgen.content.model import CV
from cvgen.errors import CvgenError, Issue
from cvgen.render.pdf import render_pdf
from cvgen.render.text import plain_text
from cvgen.render.theme import Theme, load_theme
from cvgen.settings.config import Config, PdfConfig, SiteConfig
from tests.conftest import REPO
from tests.render.conftest import make_cv

# Bidirectional controls pdftotext adds around right-to-left runs
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdftotext(pdf: bytes, tmp_path: Path, mode: str | None = None) -> str:
    """The text in poppler's reading order (default), or `raw` (content stream order, as
    stream-order parsers like pypdf read it) or `layout` (as laid out on the page)."""
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *([f"-{mode}"] if mode else []), str(path), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return _BIDI.sub("", text)


def pdfinfo(pdf: bytes, tmp_path: Path, *flags: str) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfinfo", *flags, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def info_fields(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    lines = pdfinfo(pdf, tmp_path).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (wrapped lines joined)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def example() -> tuple[dict[str, Any], bytes]:
    """The repo's example CV (content/cv.yaml) and its PDF as `cvgen build` makes it."""
    _, pages = render_pages(REPO)
    resume = yaml.safe_load((REPO / "content" / "cv.yaml").read_text(encoding="utf-8"))
    return resume, pages["cv.pdf"]


def _when(job: dict[str, Any]) -> str:
    start = format_date(str(job["startDate"]))
    end = format_date(str(job["endDate"])) if job.get("endDate") else "Present"
    return f"{start} – {end}"


def test_example_reads_in_order_like_an_ats(
    example: tuple[dict[str, Any], bytes], tmp_path: Path
) -> None:
    resume, pdf = example
    text = pdftotext(pdf, tmp_path)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "Ada Lindqvist"
    assert lines[1] == "Senior Platform Engineer"
    # Every position and company in order
    body = flat(text)
    cursor = body.index("EXPERIENCE")
    for job in resume["work"]:
        at = body.index(job["position"], cursor)
        cursor = body.index(job["name"], at)
        assert cursor - at < 60, job["name"]  # the company right below its position
    # Each date right after its entry's title: in content order and as laid out.
    # (Poppler's default mode reads the right-aligned dates as a column of their own
    # and may place a short entry's date after its body.)
    raw = pdftotext(pdf, tmp_path, "raw").splitlines()
    layout = pdftotext(pdf, tmp_path, "layout").splitlines()
    for job in resume["work"]:
        assert f"{job['position']} {_when(job)}" in raw, job["position"]
        assert any(
            job["position"] in line and line.rstrip().endswith(_when(job)) for line in layout
        ), job["position"]


def test_example_loses_and_doubles_nothing(
    example: tuple[dict[str, Any], bytes], tmp_path: Path
) -> None:
    resume, pdf = example
    body = flat(pdftotext(pdf, tmp_path))
    once = [plain_text(h) for job in resume["work"] for h in job.get("highlights", [])]
    once += [plain_text(resume["basics"]["summary"])]
    once += [plain_text(p["description"]) for p in resume["projects"]]
    once += [f"{s['name']} ({s['level']}): {', '.join(s['keywords'])}" for s in resume["skills"]]
    for value in once:
        assert body.count(flat(value)) == 1, value
    for title in ("ABOUT", "EXPERIENCE", "PROJECTS", "EDUCATION", "VOLUNTEERING", "AWARDS"):
        assert body.count(title) == 1, title
    for title in ("CERTIFICATES", "SKILLS", "LANGUAGES", "INTERESTS"):
        assert body.count(title) == 1, title
    words = Counter(re.findall(r"\w+", body))
    assert words["Lindqvist"] == 1 + 2  # the header, and the footer of both pages


def test_ligatures_extract_as_letters(
    example: tuple[dict[str, Any], bytes], tmp_path: Path
) -> None:
    _, pdf = example
    text = pdftotext(pdf, tmp_path)
    assert not re.search("[\ufb00-\ufb06]", text)  # no ﬁ/ﬂ code points
    assert "zero findings" in text and "Certified Kubernetes" in text


def test_example_fits_two_pages_on_a4_and_letter(tmp_path: Path) -> None:
    config = Config(root=REPO, site=SiteConfig(language="en"))
    from cvgen.content.load import load_content

    cv = load_content(config)
    theme = load_theme(config)
    sizes = {}
    for paper in ("a4", "letter"):
        pdf = render_pdf(cv, theme, Config(root=REPO, pdf=PdfConfig(paper=paper)), warnings=[])
        fields = info_fields(pdf, tmp_path)
        assert fields["Pages"] == "2", paper
        sizes[paper] = fields["Page size"]
    assert "(A4)" in sizes["a4"] and "(letter)" in sizes["letter"]


def test_metadata_tags_and_fonts(example: tuple[dict[str, Any], bytes], tmp_path: Path) -> None:
    _, pdf = example
    fields = info_fields(pdf, tmp_path)
    assert fields["Title"] == "Ada Lindqvist – Senior Platform Engineer"
    assert fields["Author"] == "Ada Lindqvist"
    assert fields["Subject"].startswith("Senior Platform Engineer. Platform engineer with")
    assert fields["Tagged"] == "yes"
    assert "CreationDate" not in fields and "ModDate" not in fields  # nothing from the clock
    structure = pdfinfo(pdf, tmp_path, "-struct")
    assert 'H1 "Ada Lindqvist"' in structure and 'H2 "Experience"' in structure
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "SourceSans3-Regular" in fonts and "SourceSans3-Bold" in fonts
    # every font embedded and subset (the emb and sub columns)
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5:-3] == ["yes", "yes"] for row in rows)
    with_lang = path.read_bytes()
    assert b"/Lang" in with_lang or b"Lang" in with_lang


def test_links_are_clickable(example: tuple[dict[str, Any], bytes], tmp_path: Path) -> None:
    _, pdf = example
    urls = pdfinfo(pdf, tmp_path, "-url")
    for url in (
        "mailto:ada@example.com",
        "https://github.example.com/ada-lindqvist",
        "https://northwind.example.com/",
        "https://northwind.example.com/handbook",
        "https://tfcheck.example.org/",
    ):
        assert f" {url}\n" in urls, url


def _render(
    cv: CV, tmp_path: Path, language: str = "en", warnings: list[Issue] | None = None
) -> bytes:
    config = Config(root=tmp_path, site=SiteConfig(language=language))
    return render_pdf(cv, load_theme(config), config, warnings=[] if warnings is None else warnings)


WORLD = {
    "name": "Zoë Ångström-Øvergaard",
    "label": "Ingénieure système · Señora Müller",
    "position": "Développeuse principale",
    "company": "Łódź Straße Ærø",
    "hebrew": "מהנדסת תוכנה בכירה",
    "arabic": "مهندسة برمجيات",
    "emoji": "Shipped 🚀 on time ✅",
    "greek": "Ελληνικά και Кириллица",
}


def test_diacritics_right_to_left_and_emoji_survive_extraction(tmp_path: Path) -> None:
    cv = make_cv(
        basics__name=WORLD["name"],
        basics__label=WORLD["label"],
        work=[
            {
                "name": WORLD["company"],
                "position": WORLD["position"],
                "startDate": "2020-02",
                "highlights": [WORLD["hebrew"], WORLD["arabic"], WORLD["emoji"], WORLD["greek"]],
            },
            {"name": "Second", "position": "Earlier role", "startDate": "2018"},
        ],
    )
    pdf = _render(cv, tmp_path)
    text = pdftotext(pdf, tmp_path)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == WORLD["name"]
    body = flat(text)
    assert body.count(WORLD["name"]) == 2  # the header and the page's footer
    for key, value in WORLD.items():
        if key not in ("name", "emoji"):
            assert body.count(value) == 1, value
    assert body.count("🚀") == 1 and body.count("✅") == 1
    assert body.index(WORLD["position"]) < body.index(WORLD["hebrew"]) < body.index("Earlier role")
    # emoji come from the machine's emoji font (a Type 3 font poppler reads as its own
    # block in the default mode); in content order they sit in their sentence (poppler
    # may drop the space after a bitmap glyph: compare without spaces)
    raw = "".join(pdftotext(pdf, tmp_path, "raw").split())
    assert "".join(WORLD["emoji"].split()) in raw


INJECTIONS = [
    '#panic("typst code ran")',
    "#set page(width: 3cm)",
    "[bracketed] $x^2$ and @label <label>",
    'back\\slash \\u{41} #import "/etc/passwd"',
    '") #panic("escaped") #("',
    "5 * 3 * 2 = 30",
    '#read("/etc/hostname")',
]


def test_typst_syntax_in_a_cv_is_printed_never_run(tmp_path: Path) -> None:
    cv = make_cv(
        basics__name="#strong[Ada] $pi$",
        basics__label=INJECTIONS[0],
        work=[
            {
                "name": INJECTIONS[1],
                "position": INJECTIONS[2],
                "location": INJECTIONS[3],
                "startDate": "2020",
                "highlights": INJECTIONS[4:],
            }
        ],
    )
    pdf = _render(cv, tmp_path)
    assert "(A4)" in info_fields(pdf, tmp_path)["Page size"]  # `#set page` did not run
    body = flat(pdftotext(pdf, tmp_path))
    assert body.startswith("#strong[Ada] $pi$ ")
    for value in INJECTIONS:
        # Markdown's own escapes apply as on the page: `\\` before `u` stays, `\\s` too
        assert flat(plain_text(value)) in body, value


def test_same_cv_gives_the_same_bytes(tmp_path: Path) -> None:
    cv = make_cv()
    first = _render(cv, tmp_path)
    shutil.rmtree(tmp_path / ".cvgen")  # typeset again, not taken from the PDF cache
    assert _render(cv, tmp_path) == first
    assert _render(cv, tmp_path) != _render(make_cv(basics__name="Ada King"), tmp_path)


def _override(root: Path, name: str, text: str) -> None:
    path = root / "theme" / "default" / "pdf" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_site_overrides_the_pdf_template_file_by_file(tmp_path: Path) -> None:
    _override(tmp_path, "cv.typ", '#import "cvgen.typ": cv, spans\n#spans(cv.basics.name) only\n')
    pdf = _render(make_cv(), tmp_path)
    assert flat(pdftotext(pdf, tmp_path)) == "Ada Lovelace only"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"cv.typ": '#import "cvgen.typ": cv\n\n#let x = cv.basics.nmae\n'},
            r"^PDF template: theme/default/pdf/cv.typ:3:20: dictionary does not contain key \"nmae\"",
        ),
        (
            {"cv.typ": '#import "parts.typ": part\n#part\n', "parts.typ": "#let part = [\n"},
            r"^PDF template: theme/default/pdf/parts.typ:1:13: unclosed delimiter",
        ),
    ],
)
def test_template_errors_name_the_typ_file_and_line(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    for name, text in files.items():
        _override(tmp_path, name, text)
    with pytest.raises(CvgenError, match=expected):
        _render(make_cv(), tmp_path)


def test_a_theme_without_a_pdf_template_says_how_to_go_on(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    theme = load_theme(config)
    bare = Theme(theme.name, theme.templates, theme.static, theme.env, {}, ())
    with pytest.raises(CvgenError, match=r"no pdf/cv.typ.*pdf.enabled: false"):
        render_pdf(make_cv(), bare, config, warnings=[])


def _long_cv(shift: int) -> CV:
    """Enough entries for several pages; `shift` moves every page break a little."""
    words = "Reduced the deploy time of the payment services by moving them to a new platform"
    work = [
        {
            "name": f"Company {i}",
            "position": f"Role {i}",
            "location": "Oslo",
            "startDate": f"{2000 + i % 20}-0{1 + i % 9}",
            "highlights": [f"{words} ({i}.{j})." for j in range(1 + i % 4)],
        }
        for i in range(30)
    ]
    skills = [{"name": f"Skill {i}", "keywords": ["A", "B"]} for i in range(6)]
    return make_cv(basics__summary=" ".join([words] * (1 + 3 * shift)), work=work, skills=skills)


@pytest.mark.parametrize("shift", range(4))
def test_no_page_ends_with_a_heading_or_an_entry_head(tmp_path: Path, shift: int) -> None:
    pdf = _render(_long_cv(shift), tmp_path)
    count = int(info_fields(pdf, tmp_path)["Pages"])
    assert count >= 3
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    for number in range(1, count):
        args = ["pdftotext", "-raw", "-f", str(number), "-l", str(number), str(path), "-"]
        lines = subprocess.run(args, capture_output=True, text=True).stdout.splitlines()
        lines = [line for line in lines if line.strip()]
        assert lines[-1] == f"Ada Lovelace {number} / {count}"  # the footer
        last = lines[-2]
        assert last not in ("EXPERIENCE", "EDUCATION", "SKILLS"), (number, last)
        assert not re.match(r"Role \d+ ", last), (number, last)  # a title and its date
        assert not re.match(r"Company \d+ · Oslo$", last), (number, last)


def test_a_character_no_font_has_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    cv = make_cv(basics__label="Private use \u0378 here")  # unassigned: no font has it
    warnings: list[Issue] = []
    pdf = _render(cv, tmp_path, warnings=warnings)
    assert "Private use" in pdftotext(pdf, tmp_path)
    (message,) = [str(w) for w in warnings]
    assert message.startswith("cv.pdf: no font here has '\\u0378', so the PDF shows an empty box")
    assert "fonts-noto-color-emoji" in message


def test_what_pdf_ua_cannot_describe_still_gives_a_tagged_pdf(tmp_path: Path) -> None:
    # A site's own template with an image and no alt text: PDF/UA-1 refuses it; the PDF
    # is written all the same, tagged, and the warning names the template's line.
    _override(
        tmp_path, "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    _override(
        tmp_path,
        "cv.typ",
        '#import "cvgen.typ": cv, spans\n#spans(cv.basics.name)\n#image("logo.svg")\n',
    )
    warnings: list[Issue] = []
    pdf = _render(make_cv(), tmp_path, warnings=warnings)
    fields = info_fields(pdf, tmp_path)
    assert fields["Tagged"] == "yes" and flat(pdftotext(pdf, tmp_path)).startswith("Ada Lovelace")
    (message,) = [str(w) for w in warnings]
    assert message.startswith("theme/default/pdf/cv.typ:3:")  # file:line:col first
    assert ": PDF template: " in message
    assert "PDF/UA-1" in message and message.endswith("the PDF is tagged but not PDF/UA-1")


def test_a_level_with_brackets_is_not_bracketed_twice(tmp_path: Path) -> None:
    cv = make_cv(
        languages=[
            {"language": "English", "fluency": "Fluent (C2)"},
            {"language": "Swedish", "fluency": "Native"},
        ],
        skills=[
            {"name": "Cloud", "level": "Expert (10 years)", "keywords": ["AWS"]},
            {"name": "Go", "level": "Advanced", "keywords": ["gRPC"]},
        ],
    )
    body = flat(pdftotext(_render(cv, tmp_path), tmp_path))
    assert "English – Fluent (C2)" in body and "((" not in body and "))" not in body
    assert "Swedish (Native)" in body
    assert "Cloud – Expert (10 years): AWS" in body and "Go (Advanced): gRPC" in body


@pytest.mark.parametrize("theme", ["default", "classic", "sidebar"])
def test_quotes_and_lists_nested_16_deep_typeset_in_every_theme(
    example_site: Path, tmp_path: Path, theme: str
) -> None:
    """The page renders them; Typst stopped at its show rule depth ("maximum show rule depth
    exceeded", blamed on the template). Deeper than six levels they join the level above."""
    quote = "> " * 16 + "a quote sixteen deep"
    items = "\n".join("    " * n + f"- item {n}" for n in range(16))
    about = example_site / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n\n{quote}\n\n{items}\n")
    config = example_site / "cvgen.yaml"
    config.write_text(
        re.sub(r"(?m)^theme: .*$", f"theme: {theme}", config.read_text(encoding="utf-8"))
    )
    pages = render_pages(example_site).pages
    text = pdftotext(pages["cv.pdf"], tmp_path)
    assert "a quote sixteen deep" in text and "item 0" in text
    from cvgen.render.richtext import MAX_NESTING, markdown_blocks

    def depth(blocks: list[Any]) -> int:
        inner = [
            depth(b["blocks"]) if b["kind"] == "quote" else max(map(depth, b["items"]), default=0)
            for b in blocks
            if b["kind"] in ("quote", "list")
        ]
        return 1 + max(inner, default=0) if inner else 0

    assert depth(markdown_blocks(quote)) == MAX_NESTING
