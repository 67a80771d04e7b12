"""Small text helpers for templates and metadata: Markdown as plain text, links, phone numbers.

Dates, countries and language names are locale data: see `cvgen.cldr`."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from cvgen.content.custom import place, texts
from cvgen.markup import inline_markdown, safe_link

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(value: Any) -> str:
    """Inline Markdown as the plain text a reader sees (for meta tags and JSON-LD)."""
    rendered = inline_markdown(str(value))
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", rendered))).strip()


def shorten(text: str, limit: int = 160) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def safe_href(value: Any) -> str:
    """A link target from content: http(s), mailto or relative; "" for anything else."""
    return safe_link(str(value or "")) or ""


def tel_href(value: Any) -> str:
    """`+1 (912) 555-4321` -> `tel:+19125554321`."""
    text = str(value)
    digits = re.sub(r"\D", "", text)
    return "tel:" + ("+" if text.strip().startswith("+") else "") + digits


def texts_of(entry: Any, *names: str) -> list[str]:
    """The text items of `entry`'s fields `names` (each a list of text, or one text), in
    order, each once: `job|texts_of("keywords", "technologies")`. For fields outside the
    schema, which may hold anything (what is not text stays in resume.json only)."""
    out: list[str] = []
    if isinstance(entry, Mapping):
        for name in names:
            out.extend(item for item in texts(entry.get(name)) if item not in out)
    return out


def text_of(entry: Any, *names: str) -> str:
    """The first of `entry`'s fields `names` that holds text (or a number), else ""."""
    if isinstance(entry, Mapping):
        for name in names:
            found = texts(entry.get(name))
            if found and not isinstance(entry.get(name), list):
                return found[0]
    return ""


def place_of(entry: Any) -> str:
    """`entry`'s `location` as text (as written, or a location mapping's city, region, country)."""
    return place(entry.get("location")) if isinstance(entry, Mapping) else ""
