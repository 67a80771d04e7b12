"""Variants: tailored versions of one CV, each built to /<name>/ (cvgen.yaml `variants:`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.build import build, render_pages
from cvgen.cli import cli
from cvgen.content.load import load_content
from cvgen.content.variants import highlight_tags, keeps, select
from cvgen.errors import ContentError
from cvgen.settings.config import Config, load_config
from cvgen.settings.variants import Selection
from tests.content.test_load import validate_against_schema

SITE = Path(__file__).parent / "variants" / "site"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moved to EKS #backend #cloud", ("Moved to EKS", ("backend", "cloud"))),
        ("Plain text", ("Plain text", ())),
        ("Wrote C# and #1 hits", ("Wrote C# and #1 hits", ())),
        ("Tag in #the middle of it", ("Tag in #the middle of it", ())),
        ("Ends with #Back-End ", ("Ends with", ("back-end",))),
    ],
)
def test_highlight_tags(text: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert highlight_tags(text) == expected


@pytest.mark.parametrize(
    ("tags", "include", "exclude", "kept"),
    [
        ((), ("backend",), ("legacy",), True),  # untagged: always
        (("backend",), ("backend",), (), True),
        (("frontend",), ("backend",), (), False),
        (("frontend",), (), (), True),  # no include: every tagged item
        # include and exclude meet: the exclude wins
        (("backend", "legacy"), ("backend",), ("legacy",), False),
        (("legacy",), (), ("legacy",), False),
    ],
)
def test_keeps_where_include_and_exclude_meet(
    tags: tuple[str, ...], include: tuple[str, ...], exclude: tuple[str, ...], kept: bool
) -> None:
    assert keeps(tags, Selection(include=include, exclude=exclude)) is kept


def _work(root: Path, selection: Selection) -> list[tuple[str, list[str]]]:
    cv = select(load_content(Config(root=root)), selection)
    return [(job["name"], job.get("highlights", [])) for job in cv.resume["work"]]


def test_select_keeps_untagged_and_included_drops_excluded_and_takes_tags_off() -> None:
    assert _work(SITE, Selection(include=("backend",))) == [
        ("Remington Rand", ["Built the compiler team", "Hired 40 people"]),
        ("Navy", ["Wrote COBOL's ancestor", "Shipped on time"]),
    ]
    assert _work(SITE, Selection(include=("frontend",), exclude=("legacy",))) == [
        ("Remington Rand", ["Designed the console", "Hired 40 people"]),
    ]
    everything = select(load_content(Config(root=SITE)), Selection())
    assert [j.get("tags") for j in everything.resume["work"]] == [None, None]
    assert len(everything.resume["work"][0]["highlights"]) == 3
    # custom sections are chosen the same way
    backend = select(load_content(Config(root=SITE)), Selection(include=("backend",)))
    assert [e.title for e in backend.custom[0].entries] == ["APIs at scale"]


def test_build_writes_each_variant_to_its_folder(site: Path) -> None:
    report = build(site)
    out = report.output
    assert report.warnings == ()
    for name in ("", "backend/", "frontend/"):
        assert (out / name / "index.html").is_file()
        document = json.loads((out / name / "resume.json").read_text(encoding="utf-8"))
        validate_against_schema(document)
        assert "tags" not in json.dumps(document)
        assert "#backend" not in json.dumps(document)
    assert not (out / "backend" / "404.html").exists()
    assert not (out / "backend" / "sitemap.xml").exists()
    main_page = (out / "index.html").read_text(encoding="utf-8")
    backend = (out / "backend" / "index.html").read_text(encoding="utf-8")
    frontend = (out / "frontend" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' not in main_page
    for page in (backend, frontend):
        assert '<meta name="robots" content="noindex">' in page
        assert '<link rel="canonical" href="https://cv.example.com/">' in page
    assert "Backend Engineer" in backend and "Backend Engineer" not in main_page
    assert "Designed the console" in frontend and "Designed the console" not in backend
    assert "Built the compiler team" in main_page and "Designed the console" in main_page
    assert "Builds <em>interfaces</em> people enjoy." in frontend
    # one copy of the assets, at the root, linked relatively: the page works from disk, at
    # /backend/ and under any base path
    assert not (out / "backend" / "assets").exists()
    for page in (backend, frontend):
        links = re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', page)
        assert len(links) >= 2 and all(link.startswith("../assets/") for link in links)
        assert all((out / "backend" / link).resolve().is_file() for link in links)
    # ...the same files as the main page's, as the same CSS is the same fingerprint
    assert sorted(re.findall(r'"(assets/[^"]+)"', main_page)) == sorted(
        link.removeprefix("../") for link in re.findall(r'"(\.\./assets/[^"]+)"', backend)
    )
    assert len(list((out / "assets").iterdir())) == len(re.findall(r'"(assets/[^"]+)"', main_page))
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://cv.example.com/frontend/" in sitemap
    assert "backend" not in sitemap


def test_variant_pdfs_are_their_own(site: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(
        config.read_text().replace("enabled: false\ncounter", "enabled: true\ncounter")
    )
    pages = render_pages(site).pages
    assert {"cv.pdf", "backend/cv.pdf", "frontend/cv.pdf"} <= set(pages)
    assert pages["backend/cv.pdf"] != pages["frontend/cv.pdf"]


def test_build_variant_builds_only_that_one(site: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--root", str(site), "--variant", "backend"])
    assert result.exit_code == 0, result.output
    out = site / "output"
    assert sorted(p.name for p in out.iterdir()) == ["backend"]
    assert (out / "backend" / "index.html").is_file()
    assert not (out / "backend" / "robots.txt").exists()
    # built alone, the variant's folder stands alone: its own assets, linked from inside it
    page = (out / "backend" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', page)
    assert links and all((out / "backend" / link).is_file() for link in links)
    assert all(link.startswith("assets/") for link in links)
    result = CliRunner().invoke(cli, ["build", "--root", str(site), "--variant", "bakend"])
    assert result.exit_code == 1
    assert "no such variant in cvgen.yaml; did you mean `backend`?" in result.output
    assert "Traceback" not in result.output


def test_unknown_tag_is_a_warning_and_an_error_under_strict(site: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(
        config.read_text().replace("include: [backend]", "include: [backend, bakend]")
    )
    report = build(site)
    assert [str(w) for w in report.warnings] == [
        "cvgen.yaml:8:5: variants[0].include: no entry or highlight is tagged `bakend`;"
        " did you mean `backend`?"
    ]
    with pytest.raises(ContentError):
        build(site, strict=True)


def test_a_variant_whose_include_names_no_tagged_item_is_an_error(site: Path) -> None:
    # it would publish only the untagged rest, with exit 0: nothing it was made for
    config = site / "cvgen.yaml"
    config.write_text(config.read_text().replace("include: [backend]", "include: [bakend]"))
    (site / "output").mkdir()
    (site / "output" / "index.html").write_text("the last good build")
    result = CliRunner().invoke(cli, ["build", "--root", str(site)])
    assert result.exit_code == 1
    assert (
        "cvgen.yaml:8:5: variants[0].include: no entry or highlight is tagged `bakend`, so"
        " `backend` would show only what is untagged; did you mean `backend`?"
    ) in result.output
    assert "Traceback" not in result.output
    assert (site / "output" / "index.html").read_text() == "the last good build"


def test_bad_variants_are_located(site: Path) -> None:
    (site / "cvgen.yaml").write_text(
        "variants:\n"
        "  - name: Back End\n"
        "  - name: ok\n"
        "    inclde: [x]\n"
        "    sitemap: yes\n"
        "  - name: ok\n"
        "  - name: assets\n"
    )
    with pytest.raises(ContentError) as caught:
        load_config(site)
    lines = [str(issue) for issue in caught.value.issues]
    assert lines[0].startswith("cvgen.yaml:2:11: variants[0].name: expected a name")
    assert (
        lines[1] == "cvgen.yaml:4:5: variants[1].inclde: unknown setting; did you mean `include`?"
    )
    assert lines[2] == "cvgen.yaml:5:14: variants[1].sitemap: expected true or false, got 'yes'"
    assert lines[3] == "cvgen.yaml:6:11: variants[2].name: `ok` names two variants"
    assert lines[4].startswith("cvgen.yaml:7:11: variants[3].name: expected a name")
    assert len(lines) == 5


def test_serve_serves_every_variant_and_its_pdf(site: Path, tmp_path: Path) -> None:
    from cvgen.serve.preview import render_preview
    from tests.render.test_pdf import pdftotext
    from tests.serve.conftest import edit, running
    from tests.serve.test_server import request

    edit(site / "cvgen.yaml", "enabled: false\ncounter", "enabled: true\ncounter")
    with running(site, render=render_preview) as server:
        status, _, page = request(server.url, "/backend/")
        assert status == 200 and b"Backend Engineer" in page
        assert b"Designed the console" not in page
        status, _, page = request(server.url, "/frontend/")
        assert status == 200 and b"Designed the console" in page
        status, headers, body = request(server.url, "/backend/cv.pdf")
        assert status == 200 and headers["content-type"] == "application/pdf"
        assert "Backend Engineer" in pdftotext(body, tmp_path)
        edit(site / "content" / "work" / "remington.md", "Hired 40 people", "Hired 50 people")
        server.live.rebuild(["content/work/remington.md"])
        assert b"Hired 50 people" in request(server.url, "/backend/")[2]


def test_golden_variant_page(site: Path, update_golden: bool) -> None:
    """The backend variant's page as built: noindex, canonical to the main page, its label,
    only what it includes, no tags shown."""
    page = render_pages(site, variant="backend").pages["index.html"].decode("utf-8")
    golden = Path(__file__).parent / "render" / "golden" / "variant-backend.html"
    if update_golden:
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def _titles_in(text: str, titles: list[str]) -> list[str]:
    """`titles` in the order they first appear in `text`, in any case (the PDF's headings are
    capitals); absent ones left out."""
    text = text.casefold()
    found = [(text.find(t.casefold()), t) for t in titles if t.casefold() in text]
    return [title for _, title in sorted(found)]


def test_variant_sections_order_its_page_and_its_pdf(site: Path, tmp_path: Path) -> None:
    from tests.render.test_pdf import pdftotext

    config = site / "cvgen.yaml"
    text = config.read_text().replace("enabled: false\ncounter", "enabled: true\ncounter")
    text = text.replace("site:\n", "sections:\n  titles: {talks: Talks given}\nsite:\n")
    text = text.replace(
        "    label: Backend Engineer\n",
        "    label: Backend Engineer\n    sections:\n      order: [talks, projects]\n",
    )
    text = text.replace("    sitemap: true\n", "    sitemap: true\n    sections: {hide: [talks]}\n")
    config.write_text(text)
    pages = render_pages(site).pages
    titles = ["Experience", "Projects", "Talks given"]
    html = {name: pages[f"{name}index.html"].decode() for name in ("", "backend/", "frontend/")}
    pdf = {name: pdftotext(pages[f"{name}cv.pdf"], tmp_path) for name in html}
    for shown in (html, pdf):
        # the site's order and titles; the backend variant's own order, the site's titles
        assert _titles_in(shown[""], titles) == ["Experience", "Projects", "Talks given"]
        assert _titles_in(shown["backend/"], titles) == ["Talks given", "Projects", "Experience"]
        assert _titles_in(shown["frontend/"], titles) == ["Experience", "Projects"]
    assert "CSS for all" not in html["frontend/"] + pdf["frontend/"]  # hidden, not just renamed


def test_variant_sections_are_checked_like_the_site_ones(site: Path) -> None:
    (site / "cvgen.yaml").write_text(
        "variants:\n"
        "  - name: backend\n"
        "    sections:\n"
        "      ordr: [work]\n"
        "      hide: [work, work]\n"
        "      titles: {work: 3}\n"
        "  - name: frontend\n"
        "    sections: [work]\n"
    )
    with pytest.raises(ContentError) as caught:
        load_config(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:4:7: variants[0].sections.ordr: unknown setting; did you mean `order`?",
        "cvgen.yaml:5:20: variants[0].sections.hide[1]: `work` is listed twice",
        "cvgen.yaml:6:22: variants[0].sections.titles.work: expected the title as text, or text"
        " per language like `{en: ..., de: ...}`, got 3",
        "cvgen.yaml:8:15: variants[1].sections: expected a mapping, got ['work']",
    ]
    (site / "cvgen.yaml").write_text(
        "variants:\n  - name: backend\n    sections:\n      order: [projects, skils]\n"
    )
    result = CliRunner().invoke(cli, ["build", "--root", str(site)])
    assert result.exit_code == 1
    assert (
        "cvgen.yaml:4:25: variants[0].sections.order[1]: no section `skils`;"
        " did you mean `skills`?" in result.output
    )
    assert "Traceback" not in result.output and not (site / "output").exists()


def test_a_tag_yaml_took_for_a_comment_is_a_warning(site: Path) -> None:
    cv = site / "content" / "cv.yaml"
    text = cv.read_text()
    text = text.replace("      - Shipped on time\n", "      - Shipped on time #backend\n")
    text = text.replace(
        '      - "Drew the first UI #frontend"\n', "      - Drew the first UI  # note\n"
    )
    cv.write_text(text)
    warnings = [str(w) for w in build(site).warnings]
    assert warnings == [
        "content/cv.yaml:15:25: work[0].highlights[2]: `#backend` is a YAML comment here, so no"
        ' variant sees the tag; quote the highlight so YAML keeps its #tags: `- "Shipped on'
        ' time #backend"`'
    ]
    # --strict makes it an error, with nothing written
    result = CliRunner().invoke(cli, ["build", "--root", str(site), "--strict"])
    assert result.exit_code == 1 and "content/cv.yaml:15:25:" in result.output
    # a site without variants has no tags: no warning
    config = site / "cvgen.yaml"
    config.write_text(config.read_text().split("variants:")[0])
    assert build(site).warnings == ()


def test_a_stylesheet_edit_swaps_live_when_a_variant_has_a_stylesheet_of_its_own(
    site: Path,
) -> None:
    """The shared assets/ then holds two `style.<hash>.css`; `cvgen serve` still swaps them
    without a reload, paired through the pages linking them."""
    from cvgen.serve.reload import classify_change

    cv = site / "content" / "cv.yaml"
    # only the main page and frontend have a reference, so backend's stylesheet lacks quotes
    cv.write_text(cv.read_text() + "references:\n  - name: Bob\n    tags: [frontend]\n")
    old = render_pages(site).pages
    styles = sorted(p for p in old if p.startswith("assets/style."))
    assert len(styles) == 2
    own = site / "theme" / "default" / "templates" / "css" / "theme.css"
    own.parent.mkdir(parents=True)
    shipped = Path(__file__).parent.parent / "theme" / "default" / "templates" / "css" / "theme.css"
    own.write_text(shipped.read_text(encoding="utf-8") + "\nh1{letter-spacing:.01em}\n")
    new = render_pages(site).pages
    change = classify_change(old, new)
    assert change.kind == "css"
    assert sorted(change.css) == ["/" + style for style in styles]
    assert set(change.css.values()) == {"/" + p for p in new if p.startswith("assets/style.")}


def test_tags_are_read_one_way_for_selection_suggestions_and_the_warning() -> None:
    from cvgen.content.variants import all_tags, read_tags
    from tests.render.conftest import make_cv

    assert read_tags(["Backend", "cloud"]) == (("backend", "cloud"), None)
    assert read_tags("api") == (("api",), None)
    tags, problem = read_tags("backend, cloud")
    assert tags == () and problem is not None and "write `[backend, cloud]`" in problem
    assert read_tags(["api", {"a": 1}])[0] == ("api",)
    cv = make_cv(work=[{"name": "A", "tags": "backend, cloud"}, {"name": "B", "tags": ["api"]}])
    # what the warning says no variant can name is never offered as a "did you mean"
    assert all_tags(cv) == {"api"}
