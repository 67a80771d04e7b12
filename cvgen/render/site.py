"""The whole site as `{output path: bytes}`, computed from the CV, the theme and the config.

Pure: no disk, no clock, no environment. The same input gives the same bytes, so two builds
are byte-identical and publishing uploads only what really changed.

Assets are fingerprinted (`assets/style.<10 hex of sha256>.css`), so only HTML ever needs
a CloudFront invalidation. index.html links its assets relatively (it sits at the site's
base, and so also works opened from disk); 404.html uses absolute URLs from the site's base
path (`/assets/...`), because CloudFront serves it at any path.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from cvgen.bundle.fingerprint import fingerprint
from cvgen.bundle.folders import to_root
from cvgen.cldr import native_name, og_locale
from cvgen.content.export import resume_json
from cvgen.content.model import CV, NO_NAME
from cvgen.content.photo import Photo
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.render.labels import labels_for
from cvgen.render.minify import minify_css
from cvgen.render.text import plain_text, shorten
from cvgen.render.theme import Theme, render_template
from cvgen.settings.config import CONFIG_FILE, Config, SectionsConfig, did_you_mean
from cvgen.settings.languages import language_folder

# Where the JSON Resume sections sit among the Markdown sections (front matter `order`,
# default 100): an `order: 5` About section comes before Experience, the default after all.
SECTION_ORDER: dict[str, int] = {
    "work": 10,
    "projects": 20,
    "education": 30,
    "volunteer": 40,
    "publications": 50,
    "awards": 60,
    "certificates": 70,
    "skills": 80,
    "languages": 85,
    "interests": 90,
    "references": 95,
}
# Custom top-level sections (`talks:` ...) come after the standard ones, in source order,
# and before Markdown sections of the default order.
CUSTOM_ORDER = 97
_NOT_ID = re.compile(r"[^a-z0-9]+")
# The counter script each `counter.mode` loads; the other one is not emitted.
COUNTER_SCRIPTS = {"public": "counter.js", "cognito": "counter-cognito.js"}
# Templates under this folder are assets rendered with the CV (e.g. the favicon's initials).
ASSET_TEMPLATES = "assets/"
PAGE_TEMPLATES = {"index.html": "index.html", "404.html": "404.html"}
GENERATOR = "cvgen"


def script_json(data: Any) -> Markup:
    """JSON safe inside `<script>`: `<`, `>` and `&` as \\u escapes, so `</script>` cannot end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    for char, escaped in (("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def _http_url(value: Any) -> str | None:
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # `https://[x`: content may hold any text (a warning said so)
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _organisation(kind: str, name: Any, url: Any) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": kind, "name": plain_text(name)}
    if _http_url(url):
        org["url"] = _http_url(url)
    return org


def person_data(resume: Mapping[str, Any], site_url: str | None) -> dict[str, Any]:
    """schema.org `Person` from JSON Resume data (plain text, only http(s) links)."""
    basics = resume["basics"]
    person: dict[str, Any] = {"@type": "Person"}
    if basics.get("name"):  # the schema does not require one
        person["name"] = plain_text(basics["name"])
    if basics.get("label"):
        person["jobTitle"] = plain_text(basics["label"])
    if basics.get("summary"):
        person["description"] = plain_text(basics["summary"])
    if url := _http_url(basics.get("url")) or site_url:
        person["url"] = url
    if basics.get("email"):
        person["email"] = str(basics["email"])
    location = basics.get("location") or {}
    address = {
        key: str(location[field])
        for key, field in (
            ("addressLocality", "city"),
            ("addressRegion", "region"),
            ("addressCountry", "countryCode"),
        )
        if location.get(field)
    }
    if address:
        person["address"] = {"@type": "PostalAddress", **address}
    same_as = [_http_url(p.get("url")) for p in basics.get("profiles") or []]
    if any(same_as):
        person["sameAs"] = [url for url in same_as if url]
    current = [
        job for job in resume.get("work") or [] if job.get("name") and not job.get("endDate")
    ]
    if current:
        person["worksFor"] = [
            _organisation("Organization", j["name"], j.get("url")) for j in current
        ]
    schools: list[dict[str, Any]] = []
    for school in resume.get("education") or []:
        org = _organisation("EducationalOrganization", school.get("institution"), school.get("url"))
        if school.get("institution") and org not in schools:
            schools.append(org)
    if schools:
        person["alumniOf"] = schools
    skills = [plain_text(s["name"]) for s in resume.get("skills") or [] if s.get("name")]
    if skills:
        person["knowsAbout"] = skills
    languages = [
        plain_text(x["language"]) for x in resume.get("languages") or [] if x.get("language")
    ]
    if languages:
        person["knowsLanguage"] = languages
    return person


def profile_page_data(
    resume: Mapping[str, Any], site_url: str | None, title: str
) -> dict[str, Any]:
    """The page's JSON-LD: a `ProfilePage` whose `mainEntity` is the person."""
    page: dict[str, Any] = {"@context": "https://schema.org", "@type": "ProfilePage"}
    if site_url:
        page["url"] = site_url
    return {**page, "name": title, "mainEntity": person_data(resume, site_url)}


def display_name(cv: CV, config: Config) -> str:
    """What heads the page and PDF: `basics.name`; without one (the official schema does
    not require it; a warning), `site.title`, else "Curriculum vitae"."""
    return cv.name or config.site.title or NO_NAME


def shown_basics(cv: CV, config: Config) -> dict[str, Any]:
    """`basics` as templates see it: with a name to head the page (`display_name`)."""
    basics: dict[str, Any] = cv.resume["basics"]
    return basics if basics.get("name") else {**basics, "name": display_name(cv, config)}


def page_title(cv: CV, config: Config) -> str:
    if config.site.title:
        return config.site.title
    label = cv.resume["basics"].get("label")
    name = plain_text(display_name(cv, config))
    return f"{name} – {plain_text(label)}" if label else name


def page_description(cv: CV, config: Config) -> str:
    """config `site.description`, else `label. summary`, cut to what search results show.

    `site.description` is written in the default language: other languages' pages use
    their own `label. summary`."""
    if config.site.description and not is_translation(config):
        return config.site.description
    basics = cv.resume["basics"]
    parts = [plain_text(basics[k]).rstrip(".") for k in ("label", "summary") if basics.get(k)]
    fallback = f"The CV of {plain_text(cv.name)}." if cv.name else f"{NO_NAME}."
    text = ". ".join(parts) + "." if parts else fallback
    return shorten(text, 160)


def section_names(cv: CV) -> list[str]:
    """Every name `sections:` in cvgen.yaml may use: the JSON Resume sections (present or
    not), this CV's custom top-level sections and its Markdown sections."""
    return [
        *SECTION_ORDER,
        *(custom.key for custom in cv.custom),
        *(section.slug for section in cv.sections),
    ]


def check_section_names(cv: CV, sections: SectionsConfig) -> None:
    """A ContentError naming each `sections:` entry that matches no section, with a hint."""
    known = section_names(cv)
    issues = [
        Issue(CONFIG_FILE, line, col, field_path, f"no section `{name}`{did_you_mean(name, known)}")
        for name, line, col, field_path in sections.spots
        if name not in known
    ]
    if issues:
        raise ContentError(issues)


def section_blocks(
    cv: CV, sections: SectionsConfig | None = None, labels: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The page's sections in display order: non-empty JSON Resume sections, custom
    top-level sections and Markdown ones.

    The default order puts each Markdown section at its front matter `order` among the
    JSON Resume ones (see SECTION_ORDER), custom ones at CUSTOM_ORDER in source order;
    `sections.order` in cvgen.yaml moves the sections it names to the front in its order,
    `sections.hide` drops some. Each block has `kind` (`resume`, `custom` or `markdown`),
    `key` (the resume section, the custom section's key as written, or the Markdown slug:
    the name cvgen.yaml uses), a unique HTML `id`, `title` (cvgen.yaml's, else the theme's
    word, the custom key's or the front matter's) and `items` (resume) or `section`
    (custom: a `CustomSection`; markdown: a `Section`).
    """
    sections = sections or SectionsConfig()
    labels = labels or {}
    ordered: list[tuple[int, int, int, str, dict[str, Any]]] = []
    for key, order in SECTION_ORDER.items():
        items = cv.resume.get(key) or []
        if items:
            title = str(labels.get(key, key.title()))
            block = {"kind": "resume", "key": key, "items": items, "title": title}
            ordered.append((order, 0, 0, key, block))
    for position, custom in enumerate(cv.custom):
        if custom.entries or custom.items or custom.text:
            slug = _NOT_ID.sub("-", custom.key.lower()).strip("-") or "section"
            block = {"kind": "custom", "key": custom.key, "section": custom, "title": custom.title}
            ordered.append((CUSTOM_ORDER, 1, position, slug, block))
    for section in cv.sections:
        block = {
            "kind": "markdown",
            "key": section.slug,
            "section": section,
            "title": section.title,
        }
        ordered.append((section.order, 2, 0, section.slug, block))
    ordered.sort(key=lambda entry: entry[:4])
    first = {name: i for i, name in enumerate(sections.order)}
    # stable: the sections not named keep their default order after the named ones
    ordered.sort(key=lambda entry: first.get(entry[4]["key"], len(first)))
    taken: set[str] = {"top", "main", "content"}
    blocks = []
    for _, _, _, key, block in ordered:
        if block["key"] in sections.hide:
            continue
        ident, n = key, 1
        while ident in taken:
            n += 1
            ident = f"{key}-{n}"
        taken.add(ident)
        title = sections.titles.get(block["key"], block["title"])
        blocks.append({**block, "id": ident, "title": title})
    return blocks


def counter_script(config: Config, theme: Theme) -> str | None:
    """The static file of the counter script the config asks for, or None when it is off."""
    if not config.counter.enabled:
        return None
    script = COUNTER_SCRIPTS[config.counter.mode]
    if script not in theme.static:
        raise CvgenError(
            f"counter.mode `{config.counter.mode}` needs static/{script}, which theme "
            f"`{theme.name}` does not have; set `counter.mode: public` or "
            f"`counter.enabled: false` in cvgen.yaml"
        )
    return script


def initials(name: str) -> str:
    """`Ada King Lovelace` -> `AL`: the first letters of the first and last words."""
    words = [w for w in plain_text(name).split() if w[:1].isalnum()]
    if not words:
        return "CV"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def page_features(cv: CV, config: Config, photo: Photo | None) -> frozenset[str]:
    """What this CV's page has that needs its own CSS: the stylesheet template includes
    those rules only when used (`{% if "table" in uses %}`), keeping the page light."""
    found = {"photo"} if photo is not None else set()
    if config.counter.enabled:
        found.add("views")
    if len(config.languages) > 1:
        found.add("languages")
    if cv.resume.get("references"):
        found.add("quote")
    markup = "".join(section.html for section in cv.sections)
    markup += str(cv.resume["basics"].get("summary") or "")
    for feature, marker in (("table", "<table"), ("dl", "<dl"), ("footnote", "footnote")):
        if marker in markup:
            found.add(feature)
    if "[^" in markup:
        found.add("footnote")
    return frozenset(found)


def _rendered_assets(
    cv: CV, theme: Theme, config: Config, photo: Photo | None = None
) -> dict[str, bytes]:
    """Templates under `assets/` (the favicon with the person's initials, the stylesheet
    with the rules this page uses and the photo's crop) rendered to bytes."""
    basics = shown_basics(cv, config)
    context: dict[str, Any] = {"cv": cv, "resume": cv.resume, "basics": basics}
    context["initials"] = initials(basics["name"])
    context["theme"] = theme.name
    context["uses"] = page_features(cv, config, photo)
    context["photo_position"] = config.photo.position
    return {
        name.removeprefix(ASSET_TEMPLATES): render_template(theme, name, context).encode("utf-8")
        for name in sorted(theme.templates)
        if name.startswith(ASSET_TEMPLATES)
    }


def photo_data(
    photo: Photo | None, cv: CV, config: Config, labels: Mapping[str, Any]
) -> dict[str, Any] | None:
    """What templates need to show the photo (`src` is the asset name or the remote URL)."""
    if photo is None:
        return None
    return {
        "src": photo.url or photo.asset_name,
        "remote": photo.url is not None,
        "alt": config.photo.alt or plain_text(display_name(cv, config)),
        "width": photo.width,
        "height": photo.height,
        "position": config.photo.position,
    }


def is_translation(config: Config) -> bool:
    """Whether `config` renders a language other than the site's default."""
    return bool(config.languages) and config.site.language != config.languages[0]


def page_folder(config: Config, variant: str | None = None) -> str:
    """Where a page sits below the site's base: "" (the main page), "backend/" (a variant),
    "de/" (a language: `config.site.language`, when not the default), "de/backend/"."""
    folder = ""
    if config.languages:
        folder = language_folder(config.site.language, config.languages[0])
    return folder + (f"{variant}/" if variant else "")


def language_versions(
    config: Config, variant: str | None, site_url: str | None
) -> list[dict[str, Any]]:
    """This page in every language of `languages:` (none on a one-language site): `lang`,
    `name` (in its own language: `Deutsch`), `href` (relative to this page, for links),
    `url` (absolute, for hreflang; None without site.url), `current`."""
    if len(config.languages) < 2:
        return []
    up = to_root(page_folder(config, variant))
    out = []
    for tag in config.languages:
        there = page_folder(replace(config, site=replace(config.site, language=tag)), variant)
        out.append(
            {
                "lang": tag,
                "name": native_name(tag),
                "href": (up + there) or "./",
                "url": site_url + there if site_url else None,
                "current": tag == config.site.language,
            }
        )
    return out


def render_site(
    cv: CV,
    theme: Theme,
    config: Config,
    photo: Photo | None = None,
    *,
    counter_on_loopback: bool = False,
    variant: str | None = None,
    assets_at: str = "",
) -> dict[str, bytes]:
    """Every output file of the site, by path relative to the output folder.

    The counter script stays quiet on a loopback host (a plain local server has no API);
    `counter_on_loopback` (`cvgen serve`, which has one) marks it to count there too.
    With `variant` (a name from `variants:`), the files of that variant's folder, by path
    inside it: its index.html (noindex, canonical to the main page), resume.json and
    assets; the site's 404 page, sitemap and robots.txt come from the main render only.
    A site with `languages:` renders each with `site.language` set to it: a language other
    than the default renders the files of its folder (`de/`, `de/backend/`), by path inside
    it, each linking to its versions in the other languages (hreflang and a visible link).    `assets_at`: the relative way from index.html to the folder holding `assets/` (`"../"`
    when `backend/` shares the root's: see `cvgen.bundle.folders`); default, its own."""
    check_section_names(cv, config.sections)
    # Without site.url (a new site) the page is served at the root and names no address of its
    # own: no canonical link, og:url or sitemap rather than a wrong one.
    site_url = config.site.url
    base = (urlsplit(site_url).path or "/") if site_url else "/"
    base += page_folder(config, variant)
    own_url = site_url + page_folder(config) if site_url else None
    versions = language_versions(config, variant, site_url)
    script = counter_script(config, theme)
    labels = labels_for(config.site.language, theme.translations)
    files: dict[str, bytes] = {}
    assets: dict[str, str] = {}
    # a site's own static/style.css wins over a theme's stylesheet template
    sources = {**_rendered_assets(cv, theme, config, photo), **theme.static}
    if photo is not None and photo.data is not None:
        sources[photo.asset_name] = photo.data
    for name, data in sorted(sources.items()):
        if name in COUNTER_SCRIPTS.values() and name != script:
            continue
        if name.endswith(".css"):
            data = minify_css(data.decode("utf-8", errors="surrogateescape")).encode(
                "utf-8", errors="surrogateescape"
            )
        path = fingerprint(name, data)
        files[path] = data
        assets[name] = path

    title = page_title(cv, config)
    counter = None
    if script is not None:
        counter = {
            "script": script,
            "api": config.counter.api,
            "mode": config.counter.mode,
            "identity_pool_id": config.counter.identity_pool_id,
            "role_arn": config.counter.role_arn,
            "region": config.counter.region,
            "local": counter_on_loopback,
        }
    context: dict[str, Any] = {
        "cv": cv,
        "resume": cv.resume,
        "basics": shown_basics(cv, config),
        "blocks": section_blocks(cv, config.sections, labels),
        "site": config.site,
        "lang": config.site.language,
        "labels": labels,
        "photo": photo_data(photo, cv, config, labels),
        "theme": theme.name,
        "title": title,
        "description": page_description(cv, config),
        "canonical": own_url,
        "noindex": variant is not None,
        "languages": versions,
        "og_locale": og_locale(config.site.language) if config.languages else None,
        "og_locale_alternates": [
            og_locale(tag) for tag in config.languages if tag != config.site.language
        ],
        "base": base,
        "assets": assets,
        "counter": counter,
        "pdf": {"href": config.pdf.filename} if config.pdf.enabled else None,
        "jsonld": script_json(profile_page_data(cv.resume, own_url, title)),
        "generator": GENERATOR,
    }
    for output, template in PAGE_TEMPLATES.items():
        if (variant is not None or is_translation(config)) and output != "index.html":
            continue
        page = base if output == "index.html" else base + output
        # index.html sits at the base, so relative URLs work there, on any host and when the
        # file is opened from disk; 404.html is served at every missing path: absolute URLs.
        prefix = "" if output == "index.html" else base
        links = {name: (prefix or assets_at) + path for name, path in assets.items()}
        page_counter = counter and {**counter, "script": links[str(counter["script"])]}
        page_pdf = context["pdf"] and {"href": prefix + context["pdf"]["href"]}
        page_photo = context["photo"]
        if page_photo and not page_photo["remote"]:
            page_photo = {**page_photo, "src": links[page_photo["src"]]}
        text = render_template(
            theme,
            template,
            {
                **context,
                "page": page,
                "base": prefix,
                "assets": links,
                "counter": page_counter,
                "pdf": page_pdf,
                "photo": page_photo,
            },
        )
        files[output] = text.encode("utf-8")
    files["resume.json"] = resume_json(cv)
    if variant is not None or is_translation(config):
        return dict(sorted(files.items()))
    if site_url:
        listed = [None, *(v.name for v in config.variants if v.sitemap)]
        groups = [language_versions(config, name, site_url) for name in listed]
        if config.languages[1:]:
            files["sitemap.xml"] = sitemap_xml(
                [str(v["url"]) for group in groups for v in group],
                {str(v["url"]): group for group in groups for v in group},
            )
        else:
            files["sitemap.xml"] = sitemap_xml(
                [f"{site_url}{page_folder(config, name)}" for name in listed]
            )
    files["robots.txt"] = robots_txt(site_url)
    return dict(sorted(files.items()))


_XHTML = "http://www.w3.org/1999/xhtml"


def sitemap_xml(
    urls: list[str], alternates: Mapping[str, list[dict[str, Any]]] | None = None
) -> bytes:
    """The sitemap; with `alternates` (url: its language versions), each URL lists them as
    `<xhtml:link rel="alternate" hreflang=...>`, itself included, as Google asks."""
    entries = ""
    for url in urls:
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{html.escape(str(v["lang"]))}"'
            f' href="{html.escape(str(v["url"]))}"/>'
            for v in (alternates or {}).get(url, [])
        )
        entries += f"  <url><loc>{html.escape(url, quote=False)}</loc>{links}</url>\n"
    space = f' xmlns:xhtml="{_XHTML}"' if alternates else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{space}>\n'
        f"{entries}</urlset>\n"
    ).encode()


def robots_txt(site_url: str | None) -> bytes:
    sitemap = f"\nSitemap: {site_url}sitemap.xml\n" if site_url else ""
    return f"User-agent: *\nAllow: /\n{sitemap}".encode()
