"""Each section's entries as the reader sees them: titles, organisations, localised dates and
places, inline Markdown as spans, Markdown as blocks (`cvgen.render.richtext`).

One shape for every section, so every output (PDF, Word, text) lays out the same data:
`layout` tells how a section reads: `entries` (title, organisation, date, highlights: work,
education, custom sections ...), `tags` (a name and its keywords: skills, interests), `pairs`
(a name and a level: languages), `quotes` (references), `list` (only plain `items`) or
`prose` (a Markdown section's blocks); every section also has `blocks` (text before its
entries) and `items` (plain list items), usually empty. An entry has the keys `title`, `url`,
`org`, `org_url`, `location`, `date`, `note`, `summary`, `highlights`, `tags`; each always
present (empty list, "" or null), so a template needs no defaults. Dates, country and
language names are CLDR's in the CV's language (`cvgen.cldr`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cvgen.cldr import country_name, format_date, language_name
from cvgen.content.model import CustomSection
from cvgen.content.model import Entry as CustomEntry
from cvgen.render.richtext import Span, html_blocks, inline_spans, markdown_blocks
from cvgen.render.text import plain_text, safe_href, tel_href

Entry = dict[str, Any]


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


def entry_sections(
    blocks: Sequence[Mapping[str, Any]], labels: Mapping[str, Any], language: str = "en"
) -> list[Entry]:
    """The section blocks (`section_blocks`) with their entries as data, in the same order.

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
