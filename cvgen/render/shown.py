"""The CV as shown: what a reader of one page sees, computed once per page (the select stage).

`show` takes the CV of one page (a variant's and a language's selection already made by
`cvgen.content.variants`), the page's config and the theme's words, and returns a
`ShownCV`: the visible sections in order with their titles, each entry with its dates and
places localised and its inline Markdown as spans, the contact items, the title and the
description. Every output renders from it and nothing else: the page (`render.site`), the
PDF's data (`render.pdfdata`), Word (`render.word`), plain text (`render.plaintext`), the
JSON-LD (`render.jsonld`) and resume.json. Adding an output reads a `ShownCV`; it never
touches another output.

Public or private: `hide` names `basics` fields (`phone`, `location.address`, `email`) that
this page must not show; they are dropped before anything is computed, so no output (not
even resume.json or the JSON-LD) can carry them. Public pages pass the site's list, pages
meant for one reader (an application) pass none.

Pure: no disk, no clock. Markdown is converted through `cvgen.markup`'s memoised
converters, so each text is converted once per build, whichever outputs read it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cvgen.content.model import CV, NO_NAME
from cvgen.render.entries import Entry, contact_items, entry_sections
from cvgen.render.labels import labels_for
from cvgen.render.richtext import Block, Span, inline_spans, markdown_blocks
from cvgen.render.sections import check_section_names, section_blocks
from cvgen.render.text import plain_text, shorten
from cvgen.render.theme import Theme
from cvgen.settings.config import Config, paper_for


@dataclass(frozen=True)
class ShownSection:
    """One visible section: `id` (unique on the page), `key` (the name cvgen.yaml uses),
    `kind` (`resume`, `custom`, `markdown`), `title`, `layout` and its `blocks`, `entries`
    and `items` (see `cvgen.render.entries`). `source` is what the theme's HTML section
    templates read (the resume items, the `CustomSection` or the Markdown `Section`), so a
    site's own section template keeps working."""

    id: str
    key: str
    kind: str
    title: str
    layout: str
    blocks: list[Block]
    entries: list[Entry]
    items: list[list[Span]]
    source: Any

    def data(self) -> dict[str, Any]:
        """As JSON-ready data (the PDF template's section shape)."""
        return {
            "id": self.id,
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "layout": self.layout,
            "blocks": self.blocks,
            "entries": self.entries,
            "items": self.items,
        }

    def page_block(self) -> dict[str, Any]:
        """As the HTML section templates read it (`block.items` or `block.section`)."""
        what = "items" if self.kind == "resume" else "section"
        return {
            "kind": self.kind,
            "key": self.key,
            "id": self.id,
            "title": self.title,
            what: self.source,
        }


@dataclass(frozen=True)
class ShownCV:
    """The CV of one page as a reader sees it (see the module docstring)."""

    language: str  # the page's language tag (`site.language`)
    labels: Mapping[str, Any]  # the theme's words in that language
    title: str  # the page's title (`site.title`, else `name – label`)
    description: str  # the meta description, cut to what search results show
    author: str  # the person's name as plain text; "" without `basics.name`
    keywords: tuple[str, ...]  # skill names, plain text
    basics: Mapping[str, Any]  # `basics` as templates read it: with a name, without private fields
    name: list[Span]
    label: list[Span]
    summary: list[Block]
    contact: list[dict[str, Any]]  # {"kind", "text", "url"} in the page's order
    sections: tuple[ShownSection, ...]
    cv: CV  # the page's CV without the private fields (resume.json, JSON-LD)

    @property
    def resume(self) -> Mapping[str, Any]:
        return self.cv.resume


def without_fields(basics: Mapping[str, Any], hide: Collection[str]) -> dict[str, Any]:
    """`basics` without the fields `hide` names (`phone`, `location.address`): a copy."""
    out = dict(basics)
    for path in hide:
        head, _, rest = path.partition(".")
        if not rest:
            out.pop(head, None)
        elif isinstance(out.get(head), Mapping):
            out[head] = without_fields(out[head], [rest])
    return out


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


def is_translation(config: Config) -> bool:
    """Whether `config` renders a language other than the site's default."""
    return bool(config.languages) and config.site.language != config.languages[0]


def show(cv: CV, config: Config, theme: Theme, hide: Collection[str] = ()) -> ShownCV:
    """The CV of one page as shown (see the module docstring); a ContentError when
    `sections:` in cvgen.yaml names a section the CV does not have."""
    check_section_names(cv, config.sections)
    if hide:
        resume = {**cv.resume, "basics": without_fields(cv.resume["basics"], hide)}
        cv = replace(cv, resume=resume)
    language = config.site.language
    labels = labels_for(language, theme.translations)
    basics = shown_basics(cv, config)
    blocks = section_blocks(cv, config.sections, labels)
    sections = tuple(
        ShownSection(**data, source=block.get("items", block.get("section")))
        for block, data in zip(blocks, entry_sections(blocks, labels, language), strict=True)
    )
    skills = cv.resume.get("skills") or []
    return ShownCV(
        language=language,
        labels=labels,
        title=page_title(cv, config),
        description=page_description(cv, config),
        author=plain_text(cv.name),
        keywords=tuple(plain_text(s["name"]) for s in skills if s.get("name")),
        basics=basics,
        name=inline_spans(basics["name"]),
        label=inline_spans(basics.get("label")),
        summary=markdown_blocks(basics.get("summary")),
        contact=contact_items(basics, language),
        sections=sections,
        cv=cv,
    )


def paper(shown: ShownCV, config: Config) -> str:
    """The paper size of the page's printable outputs: `pdf.paper`, else from the country
    (`cvgen.config.paper_for`)."""
    country = (shown.basics.get("location") or {}).get("countryCode")
    return paper_for(config.pdf, shown.language, country)
