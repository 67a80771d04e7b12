"""The CV as data for a theme's PDF template: one shape for every theme, prepared once here.

A theme's `pdf/cv.typ` reads this document (JSON, as `sys.inputs.cv`) and only lays it
out; it never receives text as Typst markup. The sections are the page's own
(`section_blocks`: same sections, same order, same entries), so page, PDF and export agree.

    {"meta": {"title", "author", "subject", "keywords": [...], "lang", "region", "paper"},
     "labels": {...the theme's words in the CV's language...},
     "basics": {"name": spans, "label": spans, "summary": blocks,
                "contact": [{"kind", "text", "url"}],
                "photo": {"data": [byte values], "alt"} or null},
     "sections": [{"id", "key", "kind", "layout", "title", "blocks", "entries", "items"}]}

`layout` tells the template how a section reads: `entries` (title, organisation, date,
highlights: work, education, custom sections ...), `tags` (a name and its keywords:
skills, interests), `pairs` (a name and a level: languages), `quotes` (references), `list`
(only plain `items`) or `prose` (a Markdown section's blocks); every section also has `blocks` (text before its
entries) and `items` (plain list items), usually empty. An entry has the keys `title`, `url`, `org`,
`org_url`, `location`, `date`, `note`, `summary`, `highlights`, `tags`; each always
present (empty list, "" or null), so a template needs no defaults. Spans and blocks are
described in `cvgen.render.richtext`. Dates, country and language names are CLDR's in the
CV's language (`cvgen.cldr`); section titles are the page's (cvgen.yaml's
`sections.titles`, else the theme's words). `basics.photo.data` is the photo's bytes as a
list of numbers (`image(bytes(cv.basics.photo.data))`; JSON has no bytes, and Typst
decodes the list natively), when there is one Typst can place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cvgen.cldr import country_name, format_date, language_name
from cvgen.content.model import CV, CustomSection
from cvgen.content.model import Entry as CustomEntry
from cvgen.content.photo import Photo
from cvgen.render.labels import labels_for
from cvgen.render.richtext import Span, html_blocks, inline_spans, markdown_blocks
from cvgen.render.site import page_description, page_title, section_blocks, shown_basics
from cvgen.render.text import plain_text, safe_href, tel_href
from cvgen.render.theme import Theme
from cvgen.settings.config import Config, paper_for

Entry = dict[str, Any]
TYPST_PAPER = {"a4": "a4", "letter": "us-letter"}


def _url(value: Any) -> str | None:
    return safe_href(value) or None if value else None


def _entry(**fields: Any) -> Entry:
    entry: Entry = {
        "title": [],
        "url": None,
        "org": [],
        "org_url": None,
        "location": [],
        "date": "",
        "note": [],
        "summary": [],
        "highlights": [],
        "tags": [],
    }
    entry.update(fields)
    return entry


class _Dates:
    def __init__(self, labels: Mapping[str, Any], language: str) -> None:
        self.language = language
        self.present = labels["present"]

    def one(self, value: Any) -> str:
        return format_date(value, self.language) if value else ""

    def span(self, start: Any, end: Any) -> str:
        """`Sep 2021 – Present`, `2011 – 2013`, `2019` (the page's `when` macro, as text)."""
        if not start and not end:
            return ""
        if start and end:
            return f"{self.one(start)} – {self.one(end)}"
        if start:
            return f"{self.one(start)} – {self.present}"
        return self.one(end)


def _spans_list(values: Any) -> list[list[Span]]:
    return [inline_spans(v) for v in values or [] if v not in (None, "")]


def _joined(*values: Any, sep: str = ", ") -> str:
    return sep.join(str(v) for v in values if v)


def _work(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    both = bool(item.get("position") and item.get("name"))
    return _entry(
        title=inline_spans(item.get("position") or item.get("name")),
        org=inline_spans(plain_text(item["name"])) if both else [],
        org_url=_url(item.get("url")) if both else None,
        location=inline_spans(item.get("location")),
        date=d.span(item.get("startDate"), item.get("endDate")),
        note=inline_spans(item.get("description")),
        summary=markdown_blocks(item.get("summary")),
        highlights=_spans_list(item.get("highlights")),
    )


def _volunteer(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    both = bool(item.get("position") and item.get("organization"))
    return _entry(
        title=inline_spans(item.get("position") or item.get("organization")),
        org=inline_spans(plain_text(item["organization"])) if both else [],
        org_url=_url(item.get("url")) if both else None,
        date=d.span(item.get("startDate"), item.get("endDate")),
        summary=markdown_blocks(item.get("summary")),
        highlights=_spans_list(item.get("highlights")),
    )


def _education(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    degree = _joined(item.get("studyType"), item.get("area"))
    both = bool(degree and item.get("institution"))
    score = item.get("score")
    return _entry(
        title=inline_spans(degree or item.get("institution")),
        org=inline_spans(plain_text(item["institution"])) if both else [],
        org_url=_url(item.get("url")) if both else None,
        date=d.span(item.get("startDate"), item.get("endDate")),
        note=[{"text": f"{labels['grade']}: {score}"}] if score else [],
        tags=_spans_list(item.get("courses")),
    )


def _award(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    return _entry(
        title=inline_spans(item.get("title")),
        org=inline_spans(item.get("awarder")),
        date=d.one(item.get("date")),
        summary=markdown_blocks(item.get("summary")),
    )


def _certificate(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    return _entry(
        title=inline_spans(plain_text(item.get("name", ""))),
        url=_url(item.get("url")),
        org=inline_spans(item.get("issuer")),
        date=d.one(item.get("date")),
    )


def _publication(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    return _entry(
        title=inline_spans(plain_text(item.get("name", ""))),
        url=_url(item.get("url")),
        org=inline_spans(item.get("publisher")),
        date=d.one(item.get("releaseDate")),
        summary=markdown_blocks(item.get("summary")),
    )


def _project(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    about = [", ".join(item.get("roles") or []), item.get("entity"), item.get("type")]
    return _entry(
        title=inline_spans(plain_text(item.get("name", ""))),
        url=_url(item.get("url")),
        org=inline_spans(_joined(*about, sep=" · ")),
        date=d.span(item.get("startDate"), item.get("endDate")),
        summary=markdown_blocks(item.get("description")),
        highlights=_spans_list(item.get("highlights")),
        tags=_spans_list(item.get("keywords")),
    )


def _named_tags(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    return _entry(
        title=inline_spans(item.get("name")),
        note=inline_spans(item.get("level")),
        tags=_spans_list(item.get("keywords")),
    )


def _language(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    name = language_name(item.get("language"), d.language)
    return _entry(title=inline_spans(name), note=inline_spans(item.get("fluency")))


def _reference(item: Mapping[str, Any], d: _Dates, labels: Mapping[str, Any]) -> Entry:
    return _entry(
        title=inline_spans(item.get("name")), summary=markdown_blocks(item.get("reference"))
    )


def _custom(entry: CustomEntry, d: _Dates) -> Entry:
    """An entry of a custom section (`talks:` ...), as `cvgen.content.custom` read it."""
    date = d.one(entry.date) if entry.date else d.span(entry.start, entry.end)
    url = _url(entry.url)
    org = inline_spans(entry.subtitle)
    if url and not entry.title:  # the page shows the bare address then; so does the PDF
        org = org + ([{"text": " · "}] if org else []) + [{"text": _bare(entry.url), "url": url}]
        url = None
    return _entry(
        title=inline_spans(entry.title),
        url=url,
        org=org,
        location=inline_spans(entry.location),
        date=date or entry.when,
        summary=markdown_blocks(entry.summary),
        highlights=_spans_list(entry.highlights),
        tags=_spans_list(entry.tags),
    )


EntryBuilder = Callable[[Any, _Dates, Mapping[str, Any]], Entry]
# JSON Resume section -> (layout, how one item becomes an entry)
BUILDERS: dict[str, tuple[str, EntryBuilder]] = {
    "work": ("entries", _work),
    "volunteer": ("entries", _volunteer),
    "education": ("entries", _education),
    "awards": ("entries", _award),
    "certificates": ("entries", _certificate),
    "publications": ("entries", _publication),
    "projects": ("entries", _project),
    "skills": ("tags", _named_tags),
    "interests": ("tags", _named_tags),
    "languages": ("pairs", _language),
    "references": ("quotes", _reference),
}


def pdf_sections(
    blocks: Sequence[Mapping[str, Any]], labels: Mapping[str, Any], language: str = "en"
) -> list[Entry]:
    """The page's section blocks (`section_blocks`) as PDF sections, in the same order.

    Each section has `blocks` (text shown before its entries: a Markdown section's body, a
    custom section's text), `entries` (laid out as `layout` says) and `items` (plain list
    items of a custom section).
    """
    dates = _Dates(labels, language)
    sections: list[Entry] = []
    for block in blocks:
        out: Entry = {"id": block["id"], "key": block["key"], "kind": block["kind"]}
        out.update(blocks=[], entries=[], items=[])
        if block["kind"] == "markdown":
            section = block["section"]
            out.update(
                title=block.get("title", section.title),
                layout="prose",
                blocks=html_blocks(section.html),
            )
        elif block["kind"] == "custom":
            custom: CustomSection = block["section"]
            out.update(
                title=block.get("title", custom.title),
                layout="entries" if custom.entries else "list",
                blocks=markdown_blocks(custom.text),
                entries=[_custom(entry, dates) for entry in custom.entries],
                items=_spans_list(custom.items),
            )
        else:
            key = str(block["key"])
            layout, build = BUILDERS[key]
            out.update(title=block.get("title", labels[key]), layout=layout)
            out["entries"] = [build(item, dates, labels) for item in block["items"]]
        sections.append(out)
    return sections


def _bare(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://").removeprefix("mailto:").strip("/")


def contact_items(basics: Mapping[str, Any], language: str = "en") -> list[dict[str, Any]]:
    """Location, email, phone, website and profiles, in the page's order, as text + link."""
    items: list[dict[str, Any]] = []
    location = basics.get("location") or {}
    country = country_name(location.get("countryCode"), language)
    place = _joined(location.get("city"), location.get("region"), country)
    if place:
        items.append({"kind": "location", "text": place, "url": None})
    if basics.get("email"):
        email = str(basics["email"])
        items.append({"kind": "email", "text": email, "url": _url(f"mailto:{email}")})
    if basics.get("phone"):
        phone = str(basics["phone"])
        items.append({"kind": "phone", "text": phone, "url": tel_href(phone)})
    if basics.get("url"):
        url = _url(basics["url"])
        items.append({"kind": "url", "text": _bare(str(basics["url"])), "url": url})
    for profile in basics.get("profiles") or []:
        url = _url(profile.get("url"))
        network, username = profile.get("network"), profile.get("username")
        text = _bare(str(profile["url"])) if profile.get("url") else ""
        if network and username:
            text = f"{network}: {username}"
        elif network and not text:
            text = str(network)
        if text:
            items.append({"kind": "profile", "text": text, "url": url})
    return items


def language_parts(language: str) -> tuple[str | None, str | None]:
    """`en-US` -> (`en`, `US`): what Typst's `text(lang:, region:)` accepts, or None."""
    parts = language.replace("_", "-").split("-")
    lang = parts[0].lower() if 2 <= len(parts[0]) <= 3 and parts[0].isalpha() else None
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return lang, region if lang else None


# Image formats Typst places (an AVIF photo shows on the page only)
PDF_PHOTO_KINDS = ("png", "jpeg", "gif", "webp")


def photo_data(photo: Photo | None) -> bytes | None:
    """The photo's bytes when the CV has a local one Typst can place, else None."""
    if photo is None or photo.data is None or photo.kind not in PDF_PHOTO_KINDS:
        return None
    return photo.data


def pdf_document(
    cv: CV, config: Config, theme: Theme | None = None, photo: Photo | None = None
) -> dict[str, Any]:
    """Everything a PDF template needs, as JSON-ready data (see the module docstring).
    Without `theme`, the configured one is read for its words."""
    if theme is None:
        from cvgen.render.theme import load_theme

        theme = load_theme(config)
    language = config.site.language
    labels = labels_for(language, theme.translations)
    image = photo_data(photo)
    basics = shown_basics(cv, config)
    lang, region = language_parts(config.site.language)
    country = (basics.get("location") or {}).get("countryCode")
    keywords = [plain_text(s["name"]) for s in cv.resume.get("skills") or [] if s.get("name")]
    return {
        "meta": {
            "title": page_title(cv, config),
            "author": plain_text(cv.name),  # "" without `basics.name`
            "subject": page_description(cv, config),
            "keywords": keywords,
            "lang": lang,
            "region": region,
            "paper": TYPST_PAPER[paper_for(config.pdf, config.site.language, country)],
        },
        "labels": {k: v for k, v in labels.items() if isinstance(v, str)},
        "basics": {
            "name": inline_spans(basics["name"]),
            "label": inline_spans(basics.get("label")),
            "summary": markdown_blocks(basics.get("summary")),
            "contact": contact_items(basics, language),
            "photo": (
                {"data": list(image), "alt": config.photo.alt or plain_text(basics["name"])}
                if image
                else None
            ),
        },
        "sections": pdf_sections(section_blocks(cv, config.sections, labels), labels, language),
    }
