"""Languages: one CV in several languages (`languages:` in cvgen.yaml, `content/cv.de.yaml`,
`content/work/acme.de.md` ...), each built to `/<lang>/` and combined with variants."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.build import build, render_pages
from cvgen.cldr import native_name, og_locale
from cvgen.cli import cli
from cvgen.content.load import load_content
from cvgen.content.model import CV
from cvgen.errors import ContentError
from cvgen.settings.config import load_config
from tests.content.test_load import validate_against_schema

SITE = Path(__file__).parent / "languages" / "site"
GOLDEN = Path(__file__).parent / "render" / "golden" / "languages"
PAGES = ("", "backend/", "frontend/", "de/", "de/backend/", "de/frontend/")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


def load_languages(root: Path) -> tuple[CV, ...]:
    cv = load_content(load_config(root))
    return (cv, *cv.translations)


def test_locale_words() -> None:
    assert native_name("de") == "Deutsch"
    assert native_name("fr") == "Français"
    assert og_locale("de") == "de_DE"
    assert og_locale("en") == "en_US"
    assert og_locale("pt-BR") == "pt_BR"


def test_bad_languages_setting_is_located(site: Path) -> None:
    (site / "cvgen.yaml").write_text(
        "site:\n"
        "  language: de\n"
        "languages: [en, de_AT, xx, en]\n"
        "variants:\n"
        "  - name: de\n"
        "languages2: []\n"
    )
    with pytest.raises(ContentError) as caught:
        load_config(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:2:13: site.language: `de`, but the first of `languages:` is `en`; the first"
        " language is the default: make them the same, or leave `site.language` out",
        "cvgen.yaml:3:17: languages[1]: expected a BCP 47 language tag like `de` or `pt-BR`;"
        " write `de-AT`",
        "cvgen.yaml:3:24: languages[2]: `xx` is not a language CLDR knows; write a BCP 47 tag"
        " like `en`, `sv` or `pt-BR`",
        "cvgen.yaml:3:28: languages[3]: `en` is listed twice",
        "cvgen.yaml:6:1: languages2: unknown setting; did you mean `languages`?",
    ]
    (site / "cvgen.yaml").write_text("languages: [en, de]\nvariants:\n  - name: de\n")
    with pytest.raises(ContentError) as caught:
        load_config(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:3:11: variants[0].name: `de` is the folder of a language in `languages:`;"
        " give the variant another name"
    ]


def test_variant_texts_per_language_are_checked(site: Path) -> None:
    (site / "cvgen.yaml").write_text(
        "languages: [en, de]\n"
        "variants:\n"
        "  - name: backend\n"
        "    label: {de: Backend-Entwicklerin, fr: Développeuse}\n"
        "    summary: [x]\n"
    )
    with pytest.raises(ContentError) as caught:
        load_config(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:4:12: variants[0].label: no text for the default language `en`; add `en: ...`",
        "cvgen.yaml:4:39: variants[0].label.fr: `fr` is not in `languages:` (en, de)",
        "cvgen.yaml:5:14: variants[0].summary: expected text, or text per language like"
        " `{en: ..., de: ...}`, got ['x']",
    ]
    (site / "cvgen.yaml").write_text("variants:\n  - name: backend\n    label: {en: Engineer}\n")
    with pytest.raises(ContentError) as caught:
        load_config(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:3:12: variants[0].label: text per language needs `languages:` in"
        " cvgen.yaml; write the text alone"
    ]


def test_site_language_is_the_first_language(site: Path) -> None:
    config = load_config(site)
    assert config.languages == ("en", "de")
    assert config.site.language == "en"


def test_translation_overlays_only_what_it_translates() -> None:
    english, german = load_languages(SITE)
    assert german.resume["basics"]["label"] == "Softwareentwicklerin"
    assert german.resume["basics"]["name"] == "Grace Hopper"  # names are not translated
    jobs = {job["name"]: job for job in german.resume["work"]}
    assert jobs["Navy"]["position"] == "Programmiererin"
    assert jobs["Navy"]["startDate"] == "2001-03"
    # a translated highlight keeps the tags of the original at its place
    assert jobs["Navy"]["highlights"] == [
        "Schrieb den Vorfahren von COBOL #backend",
        "Zeichnete die erste Oberfläche #frontend",
    ]
    assert jobs["Remington Rand"]["summary"] == "Leitet die automatische Programmierung."
    assert [s["name"] for s in german.resume["skills"]] == ["Compilerbau", "Teaching"]
    assert german.sections[0].title == "Über mich"
    assert "<em>aus</em>" in german.sections[0].html
    assert english.resume["work"][1]["position"] == "Programmer"
    # `id:` matches translations and is never shown or exported
    assert all("id" not in job for cv in (english, german) for job in cv.resume["work"])


def test_missing_translation_warns_naming_the_field_and_strict_makes_it_an_error(
    site: Path,
) -> None:
    report = build(site)
    assert [str(w) for w in report.warnings] == [
        "content/cv.de.yaml:12:1: skills[1].name: no German translation (Teaching);"
        " the English text is used",
        "cvgen.yaml:14:14: variants[1].summary: no German text; the English one is used on"
        " every language's page (write `summary: {en: ..., de: ...}`)",
    ]
    shutil.rmtree(site / "output")
    with pytest.raises(ContentError) as caught:
        build(site, strict=True)
    assert "skills[1].name: no German translation (Teaching)" in str(caught.value)
    assert not (site / "output").exists()  # nothing written


def test_fallback_warnings_are_folded_per_field(site: Path) -> None:
    (site / "content" / "cv.de.yaml").write_text("basics:\n  label: Entwicklerin\n")
    (site / "content" / "work" / "remington.de.md").unlink()
    warnings = [str(w) for w in load_languages(site)[1].warnings]
    assert warnings == [
        "content/cv.de.yaml: projects[0].description: no German translation (Widgets);"
        " the English text is used",
        "content/cv.de.yaml: skills[0].name: no German translation (Compilers);"
        " the English text is used (and in 1 more entry)",
        "content/cv.de.yaml: work[0].highlights: no German translation (Navy);"
        " the English text is used",
        "content/cv.de.yaml: work[0].position: no German translation (Navy);"
        " the English text is used",
        "content/cv.de.yaml: work[0].summary: no German translation (Navy);"
        " the English text is used",
        "content/cv.de.yaml:2:3: basics.summary: no German translation (Grace Hopper);"
        " the English text is used",
        "content/work/remington.de.md: not found, so content/work/remington.md has no German"
        " translation; the English text is used",
    ]


def test_overlay_mistakes_are_errors_with_their_positions(site: Path) -> None:
    (site / "content" / "cv.de.yaml").write_text(
        "basics:\n"
        "  lable: Entwicklerin\n"
        "  name: Grace H.\n"
        "work:\n"
        "  - id: navvy\n"
        "    position: Programmiererin\n"
        "skills:\n"
        "  - name: Compilerbau\n"
        "  - name: Lehre\n"
        "  - name: Extra\n"
        "projects:\n"
        "  - name: Gadgets\n"
        "    description: Ein Baukasten.\n"
        "talkz: []\n"
    )
    (site / "content" / "work" / "remingtn.de.md").write_text("---\nposition: X\n---\n")
    (site / "content" / "about.fr.md").write_text("---\ntitle: À propos\n---\n")
    with pytest.raises(ContentError) as caught:
        load_languages(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "content/cv.de.yaml:2:3: basics.lable: unknown field; did you mean `label`?",
        "content/cv.de.yaml:3:3: basics.name: `name` is the same in every language (names, URLs,"
        ' dates and tags are not translated); the original has "Grace Hopper": write that, or'
        " leave `name` out here",
        "content/cv.de.yaml:5:9: work[0].id: no work entry in content/cv.yaml has `id: navvy`;"
        " did you mean `navy`?",
        "content/cv.de.yaml:10:5: skills[2]: content/cv.yaml has 2 skills entries, so this one"
        " translates none; give it the `id:` of the entry it translates, or remove it",
        "content/cv.de.yaml:12:5: projects[0].name: `name` is the same in every language (names,"
        ' URLs, dates and tags are not translated); the original has "Widgets": write that, or'
        " leave `name` out here",
        "content/cv.de.yaml:14:1: talkz: no section `talkz` in content/cv.yaml to translate;"
        " expected one of: `awards`, `basics`, `certificates`, `education`, `interests`,"
        " `languages`, `projects`, `publications`, `references`, `skills`, `volunteer`, `work`",
        "content/work/remingtn.de.md: translates remingtn.md, which is not there;"
        " did you mean `remington`?",
    ]
    assert [str(w) for w in caught.value.warnings if "about.fr" in str(w)] == [
        "content/about.fr.md: a translation into `fr`, which is not in `languages:` in"
        " cvgen.yaml (`[en, de]`), so it is not read; add `fr` there to build it"
    ]


def test_cv_translation_into_a_language_not_listed_is_a_warning(site: Path) -> None:
    # like about.fr.md above: a translation file nobody reads must say so, not vanish
    (site / "content" / "cv.fr.yaml").write_text("basics: {label: Ingénieure}\n")
    (site / "content" / "resume.sv.json").write_text('{"basics": {"label": "Ingenjör"}}\n')
    (site / "content" / "cv.en.yaml").write_text("basics: {label: X}\n")
    (site / "content" / "cv.backup.yaml").write_text("basics: {label: X}\n")  # no language
    report = build(site)
    assert [str(w) for w in report.warnings if "not read" in str(w)] == [
        "content/cv.en.yaml: `en` is the default language, whose text is in the file without"
        " a language; this file is not read",
        "content/cv.fr.yaml: a translation into `fr`, which is not in `languages:` in"
        " cvgen.yaml (`[en, de]`), so it is not read; add `fr` there to build it",
        "content/resume.sv.json: a translation into `sv`, which is not in `languages:` in"
        " cvgen.yaml (`[en, de]`), so it is not read; add `sv` there to build it",
    ]


def test_build_writes_every_language_and_variant(site: Path) -> None:
    out = build(site).output
    for folder in PAGES:
        page = (out / folder / "index.html").read_text(encoding="utf-8")
        document = json.loads((out / folder / "resume.json").read_text(encoding="utf-8"))
        validate_against_schema(document)
        assert '"id"' not in json.dumps(document) and "#backend" not in json.dumps(document)
        german = folder.startswith("de/")
        assert f'<html lang="{"de" if german else "en"}">' in page
        variant = folder.removeprefix("de/")
        # hreflang: every language version of this page, and x-default (the default's)
        assert re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page) == [
            ("x-default", f"https://cv.example.com/{variant}"),
            ("en", f"https://cv.example.com/{variant}"),
            ("de", f"https://cv.example.com/de/{variant}"),
        ]
        locale, other = ("de_DE", "en_US") if german else ("en_US", "de_DE")
        assert f'<meta property="og:locale" content="{locale}">' in page
        assert f'<meta property="og:locale:alternate" content="{other}">' in page
        # the visible switch names each language in its own words
        if german:
            assert (
                f'<a href="../{"../" if variant else ""}{variant}" hreflang="en" lang="en">' in page
            )
            assert '<span lang="de" aria-current="page">Deutsch</span>' in page
        else:
            assert (
                f'<a href="{"../" if variant else ""}de/{variant}" hreflang="de" lang="de">' in page
            )
            assert 'hreflang="de" lang="de">Deutsch</a>' in page
        noindex = '<meta name="robots" content="noindex">' in page
        assert noindex == bool(variant)  # languages are indexed, variants are not
        canonical = "https://cv.example.com/" + ("de/" if german else "")
        assert f'<link rel="canonical" href="{canonical}">' in page
    german = (out / "de" / "index.html").read_text(encoding="utf-8")
    assert "Berufserfahrung" in german and "Juni 2004" in german  # theme words, CLDR dates
    assert "Schrieb die ersten Compiler." in german and "Wrote the first" not in german
    assert "Programmiererin" in german and "Softwareentwicklerin" in german
    backend = (out / "de" / "backend" / "index.html").read_text(encoding="utf-8")
    assert "Baute das Compiler-Team auf" in backend and "Entwarf die Konsole" not in backend
    assert '<p class="label">Backend-Entwicklerin</p>' in backend  # the variant's own words
    english = (out / "backend" / "index.html").read_text(encoding="utf-8")
    assert '<p class="label">Backend Engineer</p>' in english
    assert not (out / "de" / "404.html").exists() and not (out / "de" / "sitemap.xml").exists()
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]+)</loc>", sitemap) == [
        "https://cv.example.com/",
        "https://cv.example.com/de/",
        "https://cv.example.com/frontend/",
        "https://cv.example.com/de/frontend/",
    ]
    assert (
        '<xhtml:link rel="alternate" hreflang="de" href="https://cv.example.com/de/"/>' in sitemap
    )


def test_language_pages_are_their_own_pdfs(site: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(config.read_text().replace("pdf:\n  enabled: false\n", ""))
    pages = render_pages(site).pages
    assert {"cv.pdf", "de/cv.pdf", "de/backend/cv.pdf", "backend/cv.pdf"} <= set(pages)
    from tests.render.test_pdf import pdftotext

    text = pdftotext(pages["de/cv.pdf"], site)
    assert "Softwareentwicklerin" in text and "ÜBER MICH" in text and "KENNTNISSE" in text


def test_every_language_and_variant_has_its_word_and_text_files(site: Path) -> None:
    """outputs: meets variants and languages: each page folder gets its own cv.docx and
    cv.txt, in its language and with its variant's entries, linked from its page."""
    import io

    import docx

    config = site / "cvgen.yaml"
    config.write_text(config.read_text() + "outputs: [txt, docx]\ntxt:\n  filename: ada.txt\n")
    out = build(site).output
    for folder in PAGES:
        page = (out / folder / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<a href="([^"]+)" type="[^"]+" download[ >]', page) == [
            "cv.docx",
            "ada.txt",
        ]
        assert not (out / folder / "cv.pdf").exists()
    german = (out / "de" / "backend" / "ada.txt").read_text(encoding="utf-8")
    assert "BERUFSERFAHRUNG" in german and "Backend-Entwicklerin" in german
    assert "Baute das Compiler-Team auf" in german and "Entwarf die Konsole" not in german
    english = (out / "backend" / "ada.txt").read_text(encoding="utf-8")
    assert "EXPERIENCE" in english and "Backend Engineer" in english
    document = docx.Document(io.BytesIO((out / "de" / "cv.docx").read_bytes()))
    assert document.core_properties.language == "de"
    assert "Berufserfahrung" in [p.text for p in document.paragraphs]
    first = {f: (out / f).read_bytes() for f in ("de/cv.docx", "frontend/cv.docx", "ada.txt")}
    again = build(site).output
    assert {f: (again / f).read_bytes() for f in first} == first  # byte-identical rebuilds


def test_build_language_and_variant_flags(site: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", "--root", str(site), "--language", "de", "--variant", "backend"]
    )
    assert result.exit_code == 0, result.output
    out = site / "output"
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/index.html")) == [
        "de/backend/index.html"
    ]
    page = (out / "de" / "backend" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page
    result = CliRunner().invoke(cli, ["build", "--root", str(site), "--language", "de"])
    assert result.exit_code == 0, result.output
    assert (out / "de" / "index.html").is_file() and (out / "de" / "backend").is_dir()
    result = CliRunner().invoke(cli, ["build", "--root", str(site), "--language", "fr"])
    assert result.exit_code == 1
    assert "--language fr: not in `languages:` in cvgen.yaml" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def site_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("languages") / "site"
    shutil.copytree(SITE, root)
    return render_pages(root).pages


@pytest.mark.parametrize("folder", PAGES)
def test_golden_language_pages(
    folder: str, site_pages: dict[str, bytes], update_golden: bool
) -> None:
    """Every page of a site with Markdown entries, two variants and two languages."""
    pages = site_pages
    name = (folder.replace("/", "-") or "main-") + "index.html"
    page = pages[folder + "index.html"].decode("utf-8")
    golden = GOLDEN / name
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(page, encoding="utf-8")
        (GOLDEN / "sitemap.xml").write_bytes(pages["sitemap.xml"])
    assert page == golden.read_text(encoding="utf-8")
    assert pages["sitemap.xml"] == (GOLDEN / "sitemap.xml").read_bytes()


def test_serve_serves_every_language(site: Path) -> None:
    from cvgen.serve.preview import render_preview
    from tests.serve.conftest import edit, running
    from tests.serve.test_server import request

    with running(site, render=render_preview) as server:
        status, _, page = request(server.url, "/de/")
        assert status == 200 and b"Softwareentwicklerin" in page
        status, _, page = request(server.url, "/de/backend/")
        assert status == 200 and b'<html lang="de">' in page
        edit(site / "content" / "cv.de.yaml", "Programmiererin", "Informatikerin")
        server.live.rebuild(["content/cv.de.yaml"])
        assert b"Informatikerin" in request(server.url, "/de/")[2]


def test_browser_switches_language_through_the_page_link(site: Path, page: object) -> None:
    """Open `/`, click the page's own link to German, land on `/de/` in German."""
    from tests.serve.conftest import running

    with running(site) as server:
        origin = server.url.rstrip("/")
        page.goto(origin + "/")  # type: ignore[attr-defined]
        assert page.locator("html").get_attribute("lang") == "en"  # type: ignore[attr-defined]
        page.get_by_role("link", name="Deutsch").click()  # type: ignore[attr-defined]
        page.wait_for_url(origin + "/de/")  # type: ignore[attr-defined]
        assert page.locator("html").get_attribute("lang") == "de"  # type: ignore[attr-defined]
        heading = page.locator("#work-title").inner_text()  # type: ignore[attr-defined]
        assert heading.lower() == "berufserfahrung"  # CSS may show it in capitals
        page.get_by_role("link", name="English").click()  # type: ignore[attr-defined]
        page.wait_for_url(origin + "/")  # type: ignore[attr-defined]
        assert page.console_errors == []  # type: ignore[attr-defined]


def _asset_links(out: Path) -> dict[str, list[str]]:
    """Each built page (by folder) and the assets it links, resolved inside `out`."""
    found = {}
    for page in sorted(out.rglob("index.html")):
        links = re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', page.read_text("utf-8"))
        assert links, page
        resolved = [(page.parent / link).resolve() for link in links]
        assert all(path.is_file() for path in resolved), (page, links)
        found[page.parent.relative_to(out).as_posix()] = [
            path.relative_to(out.resolve()).as_posix() for path in resolved
        ]
    return found


def test_every_language_and_variant_page_shares_one_copy_of_the_assets(site: Path) -> None:
    out = build(site).output
    linked = _asset_links(out)
    assert sorted(linked) == [".", "backend", "de", "de/backend", "de/frontend", "frontend"]
    assert [p.relative_to(out).as_posix() for p in out.rglob("assets")] == ["assets"]
    assert all(path.startswith("assets/") for links in linked.values() for path in links)
    # built alone, a language's folder holds the assets its pages (and its variants') share
    result = CliRunner().invoke(cli, ["build", "--root", str(site), "--language", "de"])
    assert result.exit_code == 0, result.output
    linked = _asset_links(out / "de")
    assert sorted(linked) == [".", "backend", "frontend"]
    assert [p.relative_to(out).as_posix() for p in (out / "de").rglob("assets")] == ["de/assets"]


def test_translation_files_in_json_and_markdown_are_checked_too(site: Path) -> None:
    content = site / "content"
    (content / "cv.de.yaml").unlink()
    (content / "resume.de.json").write_text(
        '{"basics": {"label": "Entwicklerin"},\n "work": [{"id": "navy", "position": "P"}]}\n'
    )
    german = load_languages(site)[1]
    assert german.resume["basics"]["label"] == "Entwicklerin"
    (content / "cv.de.yaml").write_text("basics: {label: X}\n")
    (content / "about.de.md").write_text("---\ntitle: Über\norder: 1\n---\nText\n")
    (content / "work" / "remington.de.md").write_text("---\nname: Remington\norder: 2\n---\n")
    with pytest.raises(ContentError) as caught:
        load_languages(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "content/about.de.md:3:1: order: the order is content/about.md's in every language;"
        " leave `order` out here",
        "content/resume.de.json: content/cv.de.yaml and content/resume.de.json both translate"
        " content/cv.yaml; keep one",
        "content/work/remington.de.md:2:1: name: `name` is the same in every language (names,"
        ' URLs, dates and tags are not translated); the original has "Remington Rand": write'
        " that, or leave `name` out here",
        "content/work/remington.de.md:3:1: order: the order is content/work/remington.md's in"
        " every language; leave `order` out here",
    ]


def test_section_titles_per_language(site: Path) -> None:
    config = site / "cvgen.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "    sitemap: true\n",
        "    sitemap: true\n    sections:\n      titles:\n        projects: {en: Things, de: Dinge}\n",
    )
    text += "sections:\n  titles:\n    work: {en: Career, de: Werdegang}\n    skills: Abilities\n"
    config.write_text(text, encoding="utf-8")
    report = build(site)
    assert (
        "cvgen.yaml:22:5: sections.titles.skills: no German title; the English one is used on"
        " every language's page (write `skills: {en: ..., de: ...}`)"
    ) in [str(w) for w in report.warnings]

    def titles(folder: str) -> list[str]:
        page = (report.output / folder / "index.html").read_text(encoding="utf-8")
        return re.findall(r'<h2 id="[a-z]+-title">([^<]+)</h2>', page)

    assert titles("") == ["About", "Career", "Projects", "Abilities"]
    assert titles("de") == ["Über mich", "Werdegang", "Projekte", "Abilities"]
    assert titles("frontend") == ["About", "Career", "Things", "Abilities"]
    assert titles("de/frontend") == ["Über mich", "Werdegang", "Dinge", "Abilities"]
    config.write_text(text.replace("{en: Career, de: Werdegang}", "{de: Werdegang, fr: Car}"))
    with pytest.raises(ContentError) as caught:
        load_config(site)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:21:11: sections.titles.work: no text for the default language `en`;"
        " add `en: ...`",
        "cvgen.yaml:21:27: sections.titles.work.fr: `fr` is not in `languages:` (en, de)",
    ]


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(config.read_text().replace("pdf:\n  enabled: false\n", ""))
    first = build(site, tmp_path / "first").output
    shutil.rmtree(site / ".cvgen")  # typeset and compiled afresh, not reused
    second = build(site, tmp_path / "second").output

    def files(out: Path) -> dict[str, bytes]:
        return {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }

    built = files(first)
    assert "de/backend/cv.pdf" in built and "de/frontend/resume.json" in built
    assert built == files(second)


def test_a_language_with_a_region_builds_to_its_lower_case_folder(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "cvgen.yaml").write_text(
        "site:\n  url: https://cv.example.com/\nlanguages: [en, pt-BR]\n"
        "pdf:\n  enabled: false\ncounter:\n  enabled: false\n",
        encoding="utf-8",
    )
    (tmp_path / "content" / "cv.yaml").write_text(
        "basics:\n  name: Ada Lindqvist\n  label: Engineer\n", encoding="utf-8"
    )
    (tmp_path / "content" / "cv.pt-BR.yaml").write_text(
        "basics:\n  label: Engenheira\n", encoding="utf-8"
    )
    out = build(tmp_path).output
    assert not (out / "pt-BR").exists()
    page = (out / "pt-br" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in page and "Engenheira" in page
    assert '<link rel="alternate" hreflang="pt-BR" href="https://cv.example.com/pt-br/">' in page
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="pt-br/" hreflang="pt-BR" lang="pt-BR"' in home
