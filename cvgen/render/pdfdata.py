"""The CV as data for a theme's PDF template: one shape for every theme, prepared once here.

A theme's `pdf/cv.typ` reads this document (JSON, as `sys.inputs.cv`) and only lays it
out; it never receives text as Typst markup. It is made from the CV as shown
(`cvgen.render.shown`) and nothing else: same sections, order and entries as the page.

    {"meta": {"title", "author", "subject", "keywords": [...], "lang", "region", "paper"},
     "labels": {...the theme's words in the CV's language...},
     "basics": {"name": spans, "label": spans, "summary": blocks,
                "contact": [{"kind", "text", "url"}],
                "photo": {"data": [byte values], "alt"} or null},
     "sections": [{"id", "key", "kind", "layout", "title", "blocks", "entries", "items"}]}

Sections and entries are described in `cvgen.render.entries`, spans and blocks in
`cvgen.render.richtext`; section titles are the page's (cvgen.yaml's `sections.titles`,
else the theme's words). `basics.photo.data` is the photo's bytes as a
list of numbers (`image(bytes(cv.basics.photo.data))`; JSON has no bytes, and Typst
decodes the list natively), when there is one Typst can place.
"""

from __future__ import annotations

from typing import Any

from cvgen.content.photo import Photo
from cvgen.render.shown import ShownCV, paper
from cvgen.render.text import plain_text
from cvgen.settings.config import Config

TYPST_PAPER = {"a4": "a4", "letter": "us-letter"}


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


def pdf_data(shown: ShownCV, config: Config, photo: Photo | None = None) -> dict[str, Any]:
    """Everything a PDF template needs, as JSON-ready data (see the module docstring)."""
    image = photo_data(photo)
    lang, region = language_parts(shown.language)
    return {
        "meta": {
            "title": shown.title,
            "author": shown.author,  # "" without `basics.name`
            "subject": shown.description,
            "keywords": list(shown.keywords),
            "lang": lang,
            "region": region,
            "paper": TYPST_PAPER[paper(shown, config)],
        },
        "labels": {k: v for k, v in shown.labels.items() if isinstance(v, str)},
        "basics": {
            "name": shown.name,
            "label": shown.label,
            "summary": shown.summary,
            "contact": shown.contact,
            "photo": (
                {"data": list(image), "alt": config.photo.alt or plain_text(shown.basics["name"])}
                if image
                else None
            ),
        },
        "sections": [section.data() for section in shown.sections],
    }
