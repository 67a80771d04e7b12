"""render_site: outputs, SEO, JSON-LD safety, escaping, sections, counter, 404."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from cvgen.bundle.fingerprint import fingerprint
from cvgen.content.model import Section
from cvgen.errors import CvgenError
from cvgen.render.sections import section_blocks
from cvgen.render.site import initials, render_site, script_json
from cvgen.render.theme import Theme
from tests.render.conftest import full_cv, make_config, make_cv

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def html(pages: dict[str, bytes], name: str = "index.html") -> str:
    return pages[name].decode("utf-8")


def jsonld(page: str) -> dict:
    (block,) = JSONLD.findall(page)
    return json.loads(block)


def test_outputs_are_pages_and_fingerprinted_assets(theme: Theme, tmp_path: Path) -> None:
    pages = render_site(make_cv(), theme, make_config(tmp_path))
    plain = {"index.html", "404.html", "sitemap.xml", "robots.txt", "resume.json"}
    assert plain <= set(pages)
    assets = sorted(set(pages) - plain)
    assert [re.sub(r"\.[0-9a-f]{10}\.", ".#.", a) for a in assets] == [
        "assets/counter.#.js",
        "assets/favicon.#.svg",
        "assets/style.#.css",
    ]
    for name in assets:
        assert hashlib.sha256(pages[name]).hexdigest()[:10] in name
    assert list(pages) == sorted(pages)
    assert b"Sitemap: https://cv.example.com/sitemap.xml" in pages["robots.txt"]
    assert b"<loc>https://cv.example.com/</loc>" in pages["sitemap.xml"]
    assert json.loads(pages["resume.json"])["basics"]["name"] == "Ada Lovelace"


def test_without_site_url_the_site_names_no_address(theme: Theme, tmp_path: Path) -> None:
    # A new site has no site.url until its owner has an address: no canonical link, og:url,
    # sitemap or JSON-LD url rather than a wrong one; links stay relative to the root.
    pages = render_site(make_cv(), theme, make_config(tmp_path, url=None))
    page = pages["index.html"].decode()
    assert 'rel="canonical"' not in page and 'property="og:url"' not in page
    assert "cv.example.com" not in page and "127.0.0.1" not in page
    assert "url" not in jsonld(page)
    assert jsonld(page)["mainEntity"]["url"] == "https://ada.example.com/"  # basics.url
    assert "sitemap.xml" not in pages
    assert pages["robots.txt"] == b"User-agent: *\nAllow: /\n"
    assert 'href="assets/style.' in page
    assert 'href="/assets/style.' in pages["404.html"].decode()
    with_url = render_site(make_cv(), theme, make_config(tmp_path))["index.html"].decode()
    assert '<link rel="canonical" href="https://cv.example.com/">' in with_url
    assert '<meta property="og:url" content="https://cv.example.com/">' in with_url


def test_fingerprint_keeps_folders_and_extension() -> None:
    digest = hashlib.sha256(b"x").hexdigest()[:10]
    assert fingerprint("img/logo.png", b"x") == f"assets/img/logo.{digest}.png"


def test_rendering_is_deterministic(theme: Theme, tmp_path: Path) -> None:
    cv, config = make_cv(), make_config(tmp_path)
    assert render_site(cv, theme, config) == render_site(cv, theme, config)


def test_seo_tags(theme: Theme, tmp_path: Path) -> None:
    config = dataclasses.replace(
        make_config(tmp_path),
        site=dataclasses.replace(make_config(tmp_path).site, language="sv"),
    )
    page = html(render_site(make_cv(), theme, config))
    assert '<html lang="sv">' in page
    assert "<title>Ada Lovelace – Analytical Engineer</title>" in page
    description = "Analytical Engineer. Writes programs for engines."
    assert f'<meta name="description" content="{description}">' in page
    assert '<link rel="canonical" href="https://cv.example.com/">' in page
    assert '<meta property="og:type" content="profile">' in page
    assert '<meta property="og:url" content="https://cv.example.com/">' in page
    assert f'<meta property="og:description" content="{description}">' in page


def test_description_and_title_from_config(theme: Theme, tmp_path: Path) -> None:
    config = make_config(tmp_path)
    config = dataclasses.replace(
        config, site=dataclasses.replace(config.site, title="Ada's CV", description="Hire Ada.")
    )
    page = html(render_site(make_cv(), theme, config))
    assert "<title>Ada&#39;s CV</title>" in page
    assert '<meta name="description" content="Hire Ada.">' in page


def test_long_description_is_cut_at_a_word(theme: Theme, tmp_path: Path) -> None:
    cv = make_cv(basics__summary="word " * 100)
    page = html(render_site(cv, theme, make_config(tmp_path)))
    (description,) = re.findall(r'<meta name="description" content="([^"]*)">', page)
    assert len(description) <= 160 and description.endswith("word…")


def test_json_ld_profile_page(theme: Theme, tmp_path: Path) -> None:
    data = jsonld(html(render_site(make_cv(), theme, make_config(tmp_path))))
    assert data["@context"] == "https://schema.org" and data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Ada Lovelace"
    assert person["jobTitle"] == "Analytical Engineer"
    assert person["description"] == "Writes programs for engines."
    assert person["url"] == "https://ada.example.com/"
    assert person["sameAs"] == ["https://github.example.com/ada"]
    # only the job without an end date is current
    assert person["worksFor"] == [
        {"@type": "Organization", "name": "Engines Ltd", "url": "https://engines.example.com/"}
    ]
    assert person["alumniOf"] == [
        {"@type": "EducationalOrganization", "name": "University of London"}
    ]


def test_json_ld_cannot_be_closed_by_content(theme: Theme, tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script><!-- & \u2028"
    page = html(render_site(make_cv(basics__summary=evil), theme, make_config(tmp_path)))
    assert page.count("</script>") == 2  # the JSON-LD block's own and the counter's
    assert "<script>alert(1)" not in page
    assert jsonld(page)["mainEntity"]["description"].startswith("</script><script>alert(1)")


def test_script_json_escapes_html_significant_characters() -> None:
    assert str(script_json({"a": "<&>\u2028"})) == '{"a":"\\u003c\\u0026\\u003e\\u2028"}'


@pytest.mark.parametrize(
    "changes",
    [
        {"basics__label": "<b>bold</b>"},
        {"work": [{"name": "X", "position": "<b>bold</b>", "highlights": ["<b>bold</b>"]}]},
        {"skills": [{"name": "<b>bold</b>", "keywords": ["<b>bold</b>"]}]},
    ],
)
def test_content_cannot_inject_markup(theme: Theme, tmp_path: Path, changes: dict) -> None:
    page = html(render_site(make_cv(**changes), theme, make_config(tmp_path)))
    assert "<b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_unsafe_links_are_dropped(theme: Theme, tmp_path: Path) -> None:
    cv = make_cv(work=[{"name": "Evil", "position": "P", "url": "javascript:alert(1)"}])
    page = html(render_site(cv, theme, make_config(tmp_path)))
    assert "javascript:" not in page


def test_empty_sections_are_omitted(theme: Theme, tmp_path: Path) -> None:
    page = html(render_site(make_cv(education=[]), theme, make_config(tmp_path)))
    assert 'id="work"' in page and ">Experience</h2>" in page
    for missing in ("education", "projects", "skills", "volunteer", "awards", "references"):
        assert f'id="{missing}"' not in page


def test_semantic_structure(theme: Theme, tmp_path: Path) -> None:
    page = html(render_site(make_cv(), theme, make_config(tmp_path)))
    assert page.count("<h1>") == 1 and "<main>" in page and "<header" in page
    assert '<section id="work" aria-labelledby="work-title">' in page
    assert '<h2 id="work-title">Experience</h2>' in page
    assert "<h3>Lead Programmer</h3>" in page
    assert '<time datetime="2020-01">Jan 2020</time> – Present' in page
    assert (
        '<time datetime="2018-03">Mar 2018</time> – <time datetime="2019-12">Dec 2019</time>'
        in page
    )
    assert "<li>Computed <em>Bernoulli numbers</em></li>" in page
    # CSP-clean: no inline styles, no inline script but the JSON-LD data block
    assert "style=" not in page and "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == [
        '<script type="application/ld+json">'
    ]


def test_markdown_sections_in_order_with_unique_ids(theme: Theme, tmp_path: Path) -> None:
    sections = (
        Section("about", "About", 5, "<p>About me.</p>", "content/about.md"),
        Section("work", "Work notes", 200, "<p>More.</p>", "content/work.md"),
    )
    cv = make_cv(sections=sections)
    blocks = section_blocks(cv)
    assert [(b["key"], b["id"]) for b in blocks] == [
        ("about", "about"),
        ("work", "work"),
        ("education", "education"),
        ("work", "work-2"),
    ]
    page = html(render_site(cv, theme, make_config(tmp_path)))
    assert page.index(">About</h2>") < page.index(">Experience</h2>") < page.index(">Work notes")
    assert '<section id="work-2" aria-labelledby="work-2-title">' in page
    assert "<p>About me.</p>" in page


def test_counter_public_mode(theme: Theme, tmp_path: Path) -> None:
    pages = render_site(make_cv(), theme, make_config(tmp_path, api="https://api.example.com/v"))
    page = html(pages)
    (script,) = [p for p in pages if p.startswith("assets/counter.")]
    assert (
        f'<script src="{script}" defer data-api="https://api.example.com/v" data-page="/"></script>'
        in page
    )
    assert '<p class="views" data-counter hidden>' in page and "data-counter-value" in page


def test_counter_off_emits_neither_script_nor_element(theme: Theme, tmp_path: Path) -> None:
    pages = render_site(make_cv(), theme, make_config(tmp_path, enabled=False))
    assert not [p for p in pages if "counter" in p]
    assert "data-counter" not in html(pages) and "<script src" not in html(pages)


def test_counter_cognito_mode(theme: Theme, tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        mode="cognito",
        identity_pool_id="eu-west-1:00000000-0000-0000-0000-000000000000",
        region="eu-west-1",
    )
    static = {k: v for k, v in theme.static.items() if k != "counter-cognito.js"}
    with pytest.raises(CvgenError, match="counter-cognito.js"):
        render_site(make_cv(), dataclasses.replace(theme, static=static), config)
    static["counter-cognito.js"] = b"/* signed */"
    pages = render_site(make_cv(), dataclasses.replace(theme, static=static), config)
    assert not [p for p in pages if p.startswith("assets/counter.")]
    (script,) = [p for p in pages if p.startswith("assets/counter-cognito.")]
    assert (
        f'<script src="{script}" defer data-api="/api/views" data-page="/" '
        'data-identity-pool="eu-west-1:00000000-0000-0000-0000-000000000000" '
        'data-region="eu-west-1"></script>'
    ) in html(pages)


@pytest.mark.parametrize(
    ("url", "base"), [("https://cv.example.com/", "/"), ("https://x.example.com/cv/", "/cv/")]
)
def test_404_uses_absolute_urls(theme: Theme, tmp_path: Path, url: str, base: str) -> None:
    page = html(render_site(make_cv(), theme, make_config(tmp_path, url=url)), "404.html")
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert links and all(link.startswith(base) for link in links), links
    assert f'href="{base}assets/style.' in page and f'<a href="{base}">' in page
    assert '<meta name="robots" content="noindex">' in page and "<h1>Page not found</h1>" in page


@pytest.mark.parametrize("url", ["https://cv.example.com/", "https://x.example.com/cv/"])
def test_index_links_are_relative(theme: Theme, tmp_path: Path, url: str) -> None:
    # index.html sits at the site's base: relative links work there and opened from disk
    page = html(render_site(make_cv(), theme, make_config(tmp_path, url=url)))
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    local = [link for link in links if not link.startswith(("https://", "mailto:", "#"))]
    assert local and not [link for link in local if link.startswith("/")], local
    assert 'href="resume.json"' in page


def test_favicon_shows_initials(theme: Theme, tmp_path: Path) -> None:
    pages = render_site(make_cv(), theme, make_config(tmp_path))
    (favicon,) = [p for p in pages if p.startswith("assets/favicon.")]
    assert b">AL</text>" in pages[favicon]
    assert f'<link rel="icon" href="{favicon}" type="image/svg+xml">' in html(pages)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Ada King Lovelace", "AL"), ("Plato", "P"), ("*Ada* lovelace", "AL"), ("", "CV")],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_every_section_renders(theme: Theme, tmp_path: Path) -> None:
    cv = full_cv()
    page = html(render_site(cv, theme, make_config(tmp_path)))
    for title in (
        "Volunteering",
        "Awards",
        "Certificates",
        "Publications",
        "Skills",
        "Languages",
        "Interests",
        "References",
        "Projects",
    ):
        assert f">{title}</h2>" in page
    assert '<time datetime="2021-05-03">May 2021</time>' in page
    assert "<em>great</em>" in page
    assert '<h3><a href="https://t.example.org/">tfcheck</a></h3>' in page


def test_counter_cognito_mode_without_region(theme: Theme, tmp_path: Path) -> None:
    pool = "eu-west-1:00000000-0000-0000-0000-000000000000"
    config = make_config(tmp_path, mode="cognito", identity_pool_id=pool)
    static = {**theme.static, "counter-cognito.js": b"/* signed */"}
    page = html(render_site(make_cv(), dataclasses.replace(theme, static=static), config))
    assert f'data-identity-pool="{pool}"></script>' in page
    assert "data-region" not in page


def test_urls_that_are_no_urls_render_as_text(theme: Theme, tmp_path: Path) -> None:
    """A URL field may hold any text (a warning says so): `https://[x` is not even parseable."""
    cv = make_cv(
        work=[{"name": "Engines", "url": "https://[x"}, {"name": "Looms", "url": "N/A"}],
        basics__url="https://[",
    )
    page = render_site(cv, theme, make_config(tmp_path))["index.html"].decode("utf-8")
    assert 'href="https://[' not in page
    assert "Engines" in page and "Looms" in page
