"""Custom top-level sections (`talks:`, `internships:` ...) read into one generic shape.

The JSON Resume schema allows any extra top-level key, so these never fail a build: the
raw data is exported as written, and `custom_section` reads what it can show from the
field names JSON Resume uses in its own sections (`name`/`title`, `startDate`, `summary`,
`highlights`, `url`, `keywords` ...), whatever section they sit in. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cvgen.content.dates import read_date
from cvgen.content.model import CustomSection, Entry

# First field present wins; a field used for the title is not used again for the subtitle.
# As in JSON Resume's own sections, a role (`position`) is the title and the organisation
# (`name`) beside it; without a role, the name is the title.
TITLE_FIELDS = (
    "title",
    "position",
    "role",
    "name",
    "degree",
    "award",
    "course",
    "language",
    "label",
    "institution",
    "organization",
    "company",
)
SUBTITLE_FIELDS = (
    "name",
    "organization",
    "company",
    "institution",
    "employer",
    "school",
    "event",
    "conference",
    "venue",
    "publisher",
    "issuer",
    "awarder",
    "entity",
    "area",
    "studyType",
)
URL_FIELDS = ("url", "website", "link", "href", "source")
SUMMARY_FIELDS = ("summary", "description", "details", "abstract", "text", "content")
HIGHLIGHT_FIELDS = ("highlights", "items", "bullets", "achievements")
TAG_FIELDS = ("keywords", "technologies", "tags", "skills", "tools", "stack")
_WORD_BREAK = re.compile(r"[-_\s]+|(?<=[a-z0-9])(?=[A-Z])")
_HOST = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?([/?#]\S*)?")


def section_title(key: str) -> str:
    """`personal-statement`, `personal_statement`, `personalStatement` -> `Personal statement`."""
    words = [w for w in _WORD_BREAK.split(key.strip()) if w]
    if not words:
        return key
    # acronyms (`OSS`, `PRs`) keep their capitals; other words are lower case
    text = " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def custom_section(key: str, value: Any) -> CustomSection:
    """What the page can show of `value` (the raw data under the top-level `key`)."""
    title = section_title(key)
    if isinstance(value, list):
        entries = tuple(read_entry(item) for item in value if isinstance(item, dict))
        items = tuple(_text(item) for item in value if _is_scalar(item) and _text(item))
        return CustomSection(key, title, entries=entries, items=items)
    if isinstance(value, dict):
        if any(field in value for field in (*TITLE_FIELDS, *SUMMARY_FIELDS)):
            return CustomSection(key, title, entries=(read_entry(value),))
        return CustomSection(key, title, entries=tuple(_pair_entry(k, v) for k, v in value.items()))
    if _is_scalar(value):
        return CustomSection(key, title, text=_text(value))
    return CustomSection(key, title)


def _pair_entry(name: str, value: Any) -> Entry:
    """One `name: value` pair of a mapping section (`github: https://...`, `languages: [...]`)."""
    if isinstance(value, dict):
        entry = read_entry(value)
        return entry if entry.title else read_entry({"name": name, **value})
    if isinstance(value, list):
        texts = tuple(_text(v) for v in value if _is_scalar(v) and _text(v))
        return Entry(title=name, highlights=texts)
    text = _text(value)
    url = web_url(text)
    return Entry(title=name, url=url) if url else Entry(title=name, summary=text)


def read_entry(item: Mapping[str, Any]) -> Entry:
    """An entry from a mapping, by the usual JSON Resume field names (others stay export-only)."""
    found = {k: _text(v) for k, v in item.items() if _is_scalar(v) and _text(v)}
    title_field = next((f for f in TITLE_FIELDS if f in found), "")
    subtitle = next((found[f] for f in SUBTITLE_FIELDS if f in found and f != title_field), "")
    url = next((u for u in (web_url(found[f]) for f in URL_FIELDS if f in found) if u), "")
    dates: dict[str, str] = {}
    unread: list[str] = []
    for name, fields in (
        ("start", ("startDate", "start")),
        ("end", ("endDate", "end")),
        ("date", ("date", "releaseDate")),
    ):
        field = next((f for f in fields if f in found), None)
        if field is None:
            continue
        reading = read_date(found[field], end=name == "end")
        if reading.error:
            unread.append(found[field])
        elif reading.value:
            dates[name] = reading.value
    return Entry(
        title=found.get(title_field, ""),
        subtitle=subtitle,
        location=place(item.get("location")),
        url=url,
        start=dates.get("start", ""),
        end=dates.get("end", ""),
        date=dates.get("date", ""),
        when=" – ".join(unread),
        summary=next((found[f] for f in SUMMARY_FIELDS if f in found), ""),
        highlights=texts(next((item[f] for f in HIGHLIGHT_FIELDS if f in item), None)),
        tags=texts(next((item[f] for f in TAG_FIELDS if f in item), None)),
    )


def web_url(text: str) -> str:
    """`text` as an http(s) link: as written, or with https:// before a bare host; else ""."""
    if re.match(r"https?://\S+$", text, re.IGNORECASE):
        return text
    if _HOST.fullmatch(text) and "@" not in text:
        return f"https://{text}"
    return ""


def place(value: Any) -> str:
    """A location as text: as written, or a JSON Resume location mapping's city, region, country."""
    if _is_scalar(value):
        return _text(value)
    if isinstance(value, dict):
        parts = (value.get(k) for k in ("city", "region", "countryCode", "country"))
        return ", ".join(_text(p) for p in parts if _is_scalar(p) and _text(p))
    return ""


def texts(value: Any) -> tuple[str, ...]:
    """A list of text items (or one text) as a tuple of non-empty strings."""
    if isinstance(value, list):
        return tuple(_text(v) for v in value if _is_scalar(v) and _text(v))
    if _is_scalar(value) and _text(value):
        return (_text(value),)
    return ()


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return str(value).strip()
