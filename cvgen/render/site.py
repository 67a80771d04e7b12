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
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from cvgen.bundle.fingerprint import fingerprint
from cvgen.bundle.folders import to_root
from cvgen.bundle.headers import content_type_for
from cvgen.cldr import letter_date, native_name, og_locale
from cvgen.content.applications import Application
from cvgen.content.export import resume_json
from cvgen.content.model import CV
from cvgen.content.photo import Photo
from cvgen.errors import CvgenError
from cvgen.render.jsonld import profile_page_data
from cvgen.render.minify import minify_css
from cvgen.render.shown import ShownCV, is_translation, show
from cvgen.render.text import plain_text
from cvgen.render.theme import Theme, render_template
from cvgen.settings.config import Config
from cvgen.settings.languages import language_folder

# The counter script each `counter.mode` loads; the other one is not emitted.
COUNTER_SCRIPTS = {"public": "counter.js", "cognito": "counter-cognito.js"}
# Templates under this folder are assets rendered with the CV (e.g. the favicon's initials).
ASSET_TEMPLATES = "assets/"
PAGE_TEMPLATES = {"index.html": "index.html", "404.html": "404.html"}
GENERATOR = "cvgen"
LETTER_PAGE = "letter.html"  # an application's cover letter, beside its CV page
LETTER_PDF = "letter.pdf"


def script_json(data: Any) -> Markup:
    """JSON safe inside `<script>`: `<`, `>` and `&` as \\u escapes, so `</script>` cannot end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    for char, escaped in (("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


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
    shown: ShownCV,
    theme: Theme,
    config: Config,
    photo: Photo | None = None,
    extra: frozenset[str] = frozenset(),
) -> dict[str, bytes]:
    """Templates under `assets/` (the favicon with the person's initials, the stylesheet
    with the rules this page uses and the photo's crop) rendered to bytes."""
    context: dict[str, Any] = {"cv": shown.cv, "resume": shown.resume, "basics": shown.basics}
    context["initials"] = initials(shown.basics["name"])
    context["theme"] = theme.name
    context["uses"] = page_features(shown.cv, config, photo) | extra
    context["photo_position"] = config.photo.position
    return {
        name.removeprefix(ASSET_TEMPLATES): render_template(theme, name, context).encode("utf-8")
        for name in sorted(theme.templates)
        if name.startswith(ASSET_TEMPLATES)
    }


def photo_data(photo: Photo | None, shown: ShownCV, config: Config) -> dict[str, Any] | None:
    """What templates need to show the photo (`src` is the asset name or the remote URL)."""
    if photo is None:
        return None
    return {
        "src": photo.url or photo.asset_name,
        "remote": photo.url is not None,
        "alt": config.photo.alt or plain_text(shown.basics["name"]),
        "width": photo.width,
        "height": photo.height,
        "position": config.photo.position,
    }


def asset_files(
    shown: ShownCV,
    theme: Theme,
    config: Config,
    photo: Photo | None,
    script: str | None,
    extra: frozenset[str] = frozenset(),
) -> dict[str, tuple[str, bytes]]:
    """The page's assets: name -> (fingerprinted path, bytes); CSS minified, and of the
    counter scripts only the one the config asks for (`script`). `extra`: features the
    stylesheet needs beyond the CV's own (`letter`)."""
    # a site's own static/style.css wins over a theme's stylesheet template
    sources = {**_rendered_assets(shown, theme, config, photo, extra), **theme.static}
    if photo is not None and photo.data is not None:
        sources[photo.asset_name] = photo.data
    assets: dict[str, tuple[str, bytes]] = {}
    for name, data in sorted(sources.items()):
        if name in COUNTER_SCRIPTS.values() and name != script:
            continue
        if name.endswith(".css"):
            data = minify_css(data.decode("utf-8", errors="surrogateescape")).encode(
                "utf-8", errors="surrogateescape"
            )
        assets[name] = (fingerprint(name, data), data)
    return assets


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
    shown: ShownCV | None = None,
    application: Application | None = None,
) -> dict[str, bytes]:
    """Every output file of the site, by path relative to the output folder.

    The counter script stays quiet on a loopback host (a plain local server has no API);
    `counter_on_loopback` (`cvgen serve`, which has one) marks it to count there too.
    With `variant` (a name from `variants:`), the files of that variant's folder, by path
    inside it: its index.html (noindex, canonical to the main page), resume.json and
    assets; the site's 404 page, sitemap and robots.txt come from the main render only.
    A site with `languages:` renders each with `site.language` set to it: a language other
    than the default renders the files of its folder (`de/`, `de/backend/`), by path inside
    it, each linking to its versions in the other languages (hreflang and a visible link).
    `assets_at`: the relative way from index.html to the folder holding `assets/` (`"../"`
    when `backend/` shares the root's: see `cvgen.bundle.folders`); default, its own.
    `shown`: the CV as shown (`cvgen.render.shown`) when the caller has it; else it is
    computed from `cv`. The pages, resume.json and the JSON-LD read only it.
    With `application`, the files of its private folder (`a/acme-<token>/`), by path inside
    it: the CV page (noindex, nofollow, no referrer, no canonical, no link to the public
    pages), its resume.json and assets, and the cover letter's page (`letter.html`) when it
    has one."""
    shown = shown or show(cv, config, theme)
    script = counter_script(config, theme)
    letter = application is not None and bool(application.letter)
    extra = frozenset({"letter"}) if letter else frozenset()
    assets = asset_files(shown, theme, config, photo, script, extra)
    files = dict(assets.values())
    context = page_context(shown, theme, config, photo, variant, script, counter_on_loopback)
    context["assets"] = {name: path for name, (path, _) in assets.items()}
    if application is not None:
        context.update(private_context(context, application))
    one_page = variant is not None or application is not None or is_translation(config)
    for output in ["index.html"] if one_page else PAGE_TEMPLATES:
        files[output] = render_page(theme, output, context, assets_at)
    if application is not None and letter:
        own = letter_context(application, config, shown.labels)
        files[LETTER_PAGE] = render_page(theme, LETTER_PAGE, {**context, **own}, assets_at)
    image = None  # the photo as the published site serves it, for resume.json
    if photo is not None and photo.data is not None:
        image = assets_at + assets[photo.asset_name][0]
        if config.site.url and application is None:  # an application's link stays its own
            image = urljoin(config.site.url + page_folder(config, variant), image)
    files["resume.json"] = resume_json(shown.cv, image)
    if not one_page:
        files.update(site_files(config))
    return dict(sorted(files.items()))


def page_context(
    shown: ShownCV,
    theme: Theme,
    config: Config,
    photo: Photo | None,
    variant: str | None,
    script: str | None,
    counter_on_loopback: bool,
) -> dict[str, Any]:
    """What the page templates read, all from the CV as shown and the page's settings."""
    # Without site.url (a new site) the page is served at the root and names no address of its
    # own: no canonical link, og:url or sitemap rather than a wrong one.
    site_url = config.site.url
    base = (urlsplit(site_url).path or "/") if site_url else "/"
    own_url = site_url + page_folder(config) if site_url else None
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
    return {
        "cv": shown.cv,
        "resume": shown.resume,
        "basics": shown.basics,
        "blocks": [section.page_block() for section in shown.sections],
        "site": config.site,
        "lang": config.site.language,
        "labels": shown.labels,
        "photo": photo_data(photo, shown, config),
        "theme": theme.name,
        "title": shown.title,
        "description": shown.description,
        "canonical": own_url,
        "languages": language_versions(config, variant, site_url),
        "og_locale": og_locale(config.site.language) if config.languages else None,
        "og_locale_alternates": [
            og_locale(tag) for tag in config.languages if tag != config.site.language
        ],
        "base": base + page_folder(config, variant),
        "folder": page_folder(config, variant),
        "noindex": variant is not None,
        "private": False,  # an application's page: nofollow, no referrer
        "letter_link": None,
        "counter": counter,
        "pdf": {"href": config.downloads["pdf"]} if "pdf" in config.downloads else None,
        "downloads": [
            {
                "kind": kind,
                "href": name,
                "type": content_type_for(name).split(";")[0],
                "label": shown.labels[f"download_{kind}"],
            }
            for kind, name in config.downloads.items()
        ],
        "jsonld": script_json(profile_page_data(shown, own_url)),
        "generator": GENERATOR,
    }


def private_context(context: Mapping[str, Any], application: Application) -> dict[str, Any]:
    """An application's CV page: at its own folder, noindex and nofollow, no referrer, no
    canonical or language links to the public pages, a link to its letter."""
    site_base = context["base"].removesuffix(context["folder"])
    return {
        "base": site_base + application.folder,
        "folder": application.folder,
        "noindex": True,
        "private": True,
        "canonical": None,
        "languages": [],
        "letter_link": LETTER_PAGE if application.letter else None,
    }


def letter_context(
    application: Application, config: Config, labels: Mapping[str, Any]
) -> dict[str, Any]:
    """What `letter.html` shows besides the CV's header: the date in the page's language,
    the recipient block, the letter (Markdown) and links to the CV page and the letter PDF."""
    return {
        "letter": {
            "date": letter_date(application.date, config.site.language),
            "recipient": recipient_lines(application),
            "body": application.letter,
            "role": application.role,
            "cv_href": "./",
            "pdf_href": LETTER_PDF if config.pdf.enabled else None,
        },
        "title": f"{labels['cover_letter']} – {application.role}",
    }


def recipient_lines(application: Application) -> list[str]:
    """The letter's recipient block: the addressee, the company, the address's lines."""
    lines = [application.recipient, application.company, *application.address.splitlines()]
    return [line.strip() for line in lines if line.strip()]


def render_page(theme: Theme, output: str, context: Mapping[str, Any], assets_at: str) -> bytes:
    """One page template (`index.html`, `404.html`, `letter.html`) rendered with `context`.

    index.html sits at the base, so relative URLs work there, on any host and when the file
    is opened from disk (so does an application's letter.html beside it); 404.html is
    served at every missing path: absolute URLs."""
    base = context["base"]
    beside = output in ("index.html", LETTER_PAGE)
    page = base if output == "index.html" else base + output
    prefix = "" if beside else base
    links = {name: (prefix or assets_at) + path for name, path in context["assets"].items()}
    counter = context["counter"] and {
        **context["counter"],
        "script": links[str(context["counter"]["script"])],
    }
    pdf = context["pdf"] and {"href": prefix + context["pdf"]["href"]}
    downloads = [{**link, "href": prefix + link["href"]} for link in context["downloads"]]
    photo = context["photo"]
    if photo and not photo["remote"]:
        photo = {**photo, "src": links[photo["src"]]}
    own = {"page": page, "base": prefix, "assets": links, "counter": counter, "pdf": pdf}
    own["downloads"] = downloads
    template = PAGE_TEMPLATES.get(output, output)
    text = render_template(theme, template, {**context, **own, "photo": photo})
    return text.encode("utf-8")


def site_files(config: Config) -> dict[str, bytes]:
    """The files only the site's main render makes: sitemap.xml (with site.url) and robots.txt."""
    site_url = config.site.url
    files: dict[str, bytes] = {}
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
    return files


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
