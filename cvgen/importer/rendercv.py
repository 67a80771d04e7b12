"""RenderCV input files (v1.x and v2.x) as JSON Resume data. Pure.

RenderCV's `cv:` holds the contact fields and `sections:`, a mapping from any title to a
list of entries of one type: education, experience, normal, one-line, publication, bullet,
(reversed) numbered, or plain text. Each section goes to the JSON Resume section its type
and title call for (the first experience section is `work`, a one-line "Skills" section
`skills` ...); a section with no standard place, or a second one of a kind, becomes a custom
section, which cvgen shows with its entries' usual fields. The titles and their order go to
`sections:` in cvgen.yaml. Fields RenderCV lets people add are kept under their own names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cvgen.cldr import check_language, language_code
from cvgen.content.custom import section_title
from cvgen.content.validate import RESUME, SECTIONS, near_miss
from cvgen.errors import Issue
from cvgen.importer.dates import FreeDate, read_free_date, read_free_range
from cvgen.importer.model import Imported
from cvgen.yamldoc import Path_, YamlDoc

# The nearest cvgen theme to each RenderCV theme (`theme/<name>/theme.yaml` describes them):
# serif, ruled, centred designs go to `classic`; one-column sans-serif ones to `default`.
THEMES = {
    "classic": "classic",
    "moderncv": "classic",
    "harvard": "classic",
    "engineeringclassic": "classic",
    "sb2nov": "default",
    "engineeringresumes": "default",
    "ink": "default",
    "opal": "default",
    "ember": "default",
}
# RenderCV's social networks and the address of a profile there
PROFILE_URLS = {
    "linkedin": "https://linkedin.com/in/{}",
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "instagram": "https://instagram.com/{}",
    "orcid": "https://orcid.org/{}",
    "stackoverflow": "https://stackoverflow.com/users/{}",
    "researchgate": "https://researchgate.net/profile/{}",
    "youtube": "https://youtube.com/@{}",
    "google scholar": "https://scholar.google.com/citations?user={}",
    "telegram": "https://t.me/{}",
    "x": "https://x.com/{}",
    "twitter": "https://twitter.com/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "imdb": "https://imdb.com/name/{}",
    "leetcode": "https://leetcode.com/u/{}",
    "reddit": "https://reddit.com/user/{}",
    "whatsapp": "https://wa.me/{}",
}
CV_FIELDS = {
    "name": "name",
    "label": "label",
    "headline": "label",
    "email": "email",
    "phone": "phone",
    "website": "url",
    "photo": "image",
}
# Where a section goes, by the words of its title (first match), per entry type
_TITLE_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "experience": (("volunteer", "volunteer"), ("", "work")),
    "education": (("", "education"),),
    "publication": (("", "publications"),),
    "normal": (
        ("project", "projects"),
        ("award|honou?r|prize|achievement|scholarship", "awards"),
        ("certif", "certificates"),
    ),
    "one_line": (
        ("skill|technolog|competenc|tool|expertise", "skills"),
        ("language", "languages"),
        ("interest|hobb", "interests"),
    ),
}
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_TOP_LEVEL = ("cv", "design", "locale", "locale_catalog", "rendercv_settings", "settings")


def looks_like_rendercv(data: Any) -> bool:
    """A mapping with `cv:` holding a mapping (RenderCV's one required key)."""
    return isinstance(data, dict) and isinstance(data.get("cv"), dict)


def import_rendercv(doc: YamlDoc) -> Imported:
    """The CV of a RenderCV file (`doc`: its parsed YAML, positions for warnings)."""
    data = doc.data
    result = Imported(kind="RenderCV", resume={})
    cv = data["cv"]
    result.resume["basics"] = _basics(doc, cv, result)
    sections = cv.get("sections") or {}
    if isinstance(sections, dict):
        for title, entries in sections.items():
            _section(doc, str(title), _stripped(entries), result)
    _design(doc, data.get("design"), result)
    _locale(doc, data, result)
    for key in data:
        if key not in ("cv", "design", "locale", "locale_catalog"):
            result.ignored.append(f"{key}: (RenderCV's settings for its own rendering)")
    return result


def _basics(doc: YamlDoc, cv: Mapping[str, Any], result: Imported) -> dict[str, Any]:
    basics: dict[str, Any] = {}
    for key, value in cv.items():
        if key == "sections" or _blank(value):
            continue
        if key in CV_FIELDS:
            target = CV_FIELDS[key]
            if isinstance(value, list):  # v2 allows several emails, phones, websites
                basics[target] = _text(value[0])
                # `emails` would read as a typo of `email`
                every = f"all{target[:1].upper()}{target[1:]}s"
                basics[every] = [_text(v) for v in value]
                result.kept.append(f"cv.{key}: all of them in basics.{every} (resume.json)")
            else:
                basics[target] = _text(value)
            if key != target:
                result.translated.append(f"cv.{key} -> basics.{target}")
            if key == "photo" and not basics[target].startswith(("http://", "https://")):
                result.assets[basics[target]] = basics[target].rsplit("/", 1)[-1]
                basics[target] = result.assets[basics[target]]
        elif key == "location":
            basics["location"] = {"city": _text(value)}
            result.translated.append("cv.location -> basics.location.city")
        elif key == "social_networks" and isinstance(value, list):
            basics.setdefault("profiles", []).extend(
                _profile(doc, ("cv", key, i), item) for i, item in enumerate(value)
            )
        elif key == "custom_connections" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    # the icon is RenderCV's styling; cvgen's themes draw their own
                    profile = {
                        "network": _text(item.get("placeholder")),
                        "url": _text(item.get("url")),
                    }
                    basics.setdefault("profiles", []).append(
                        {k: v for k, v in profile.items() if v}
                    )
            result.translated.append("cv.custom_connections -> basics.profiles")
        else:
            basics[key] = value
            result.kept.append(f"cv.{key}: in basics.{key} (resume.json)")
    if basics.get("profiles"):
        result.translated.append("cv.social_networks -> basics.profiles")
    return basics


def _profile(doc: YamlDoc, path: Path_, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"network": _text(item)}
    network, username = _text(item.get("network")), _text(item.get("username"))
    profile = {"network": network, "username": username}
    pattern = PROFILE_URLS.get(network.lower())
    if network.lower() == "mastodon" and username.count("@") == 2:
        user, host = username.lstrip("@").split("@")
        profile["url"] = f"https://{host}/@{user}"
    elif pattern and username:
        profile["url"] = pattern.format(username)
    extras = {k: v for k, v in item.items() if k not in ("network", "username")}
    return {**{k: v for k, v in profile.items() if v}, **extras}


def entry_type(entry: Any) -> str:
    """RenderCV's entry type, told (as RenderCV does) by the fields an entry has."""
    if not isinstance(entry, dict):
        return "text"
    keys = set(entry)
    if "bullet" in keys:
        return "bullet"
    if keys & {"number", "reversed_number"}:
        return "numbered"
    if {"label", "details"} <= keys:
        return "one_line"
    if "title" in keys and keys & {"authors", "journal", "doi"}:
        return "publication"
    if "institution" in keys:
        return "education"
    if "company" in keys:
        return "experience"
    return "normal"


# Words RenderCV leaves in lower case when it turns a key into a title
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "if",
        "in",
        "into",
        "like",
        "near",
        "nor",
        "of",
        "off",
        "on",
        "onto",
        "or",
        "over",
        "so",
        "than",
        "that",
        "the",
        "to",
        "upon",
        "when",
        "with",
        "yet",
    ]
)


def section_heading(key: str) -> str:
    """The title RenderCV shows for a section key: `invited_talks` -> `Invited Talks`; a word
    with capitals stays as written."""
    words = key.replace("_", " ").split(" ")
    return " ".join(
        w.capitalize() if w.islower() and (i == 0 or w not in _SMALL_WORDS) else w
        for i, w in enumerate(words)
    )


def section_key(title: str, taken: Mapping[str, Any]) -> str:
    """A key for a custom section titled `title`: `Invited talks` -> `invited-talks`, never a
    JSON Resume name or one already taken."""
    base = re.sub(r"[\W_]+", "-", title.casefold()).strip("-") or "section"
    if near_miss(base, RESUME):  # `referees`, `interests`: not a typo of a JSON Resume name
        base = f"other-{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _place(title: str, kind: str, resume: Mapping[str, Any]) -> str:
    """The JSON Resume section for a section of `kind` entries titled `title`, or ""."""
    for words, section in _TITLE_PLACES.get(kind, ()):
        if re.search(words, title, re.IGNORECASE) and section not in resume:
            return section
    return ""


def _section(doc: YamlDoc, title: str, entries: Any, result: Imported) -> None:
    path: Path_ = ("cv", "sections", title)
    heading = section_heading(title)
    resume = result.resume
    items = entries if isinstance(entries, list) else [entries]
    kind = entry_type(items[0]) if items else "text"
    place = _place(title, kind, resume)
    key = place or section_key(title, resume)
    converted = [
        _entry(doc, (*path, i), entry, entry_type(entry), place) for i, entry in enumerate(items)
    ]
    for issue in (w for _, ws in converted for w in ws):
        result.warnings.append(issue)
    resume[key] = [value for value, _ in converted]
    result.order.append(key)
    result.titles[key] = heading
    if place:
        result.translated.append(f"cv.sections.{title} ({kind} entries) -> {key}")
    elif section_title(key) != title or key != title:
        result.translated.append(f"cv.sections.{title} ({kind} entries) -> custom section {key}")


# RenderCV field -> JSON Resume field, per section (fields not named are kept as written)
_FIELDS: dict[str, dict[str, str]] = {
    "work": {"company": "name"},
    "volunteer": {"company": "organization", "name": "organization"},
    "education": {"degree": "studyType"},
    "projects": {"summary": "description"},
    "awards": {"name": "title"},
    "certificates": {},
    "publications": {"title": "name", "journal": "publisher"},
    "skills": {"label": "name", "details": "keywords"},
    "languages": {"label": "language", "details": "fluency"},
    "interests": {"label": "name", "details": "keywords"},
}
# A custom section's entries use the names cvgen reads in any section (content/custom.py)
_CUSTOM_FIELDS = {"company": "name", "degree": "studyType", "journal": "publisher"}
_SINGLE_DATE = {"awards": "date", "certificates": "date", "publications": "releaseDate"}
_DATE_KEYS = ("start_date", "end_date", "date")


def _entry(
    doc: YamlDoc, path: Path_, entry: Any, kind: str, section: str
) -> tuple[Any, list[Issue]]:
    """One entry in its new section's shape, and the warnings about its dates."""
    if kind in ("text", "bullet", "numbered"):
        if isinstance(entry, dict):
            value = entry.get("bullet", entry.get("number", entry.get("reversed_number")))
            rest = {
                k: v for k, v in entry.items() if k not in ("bullet", "number", "reversed_number")
            }
            return ({"name": _text(value), **rest} if rest else _text(value)), []
        return _text(entry), []
    renames = _FIELDS.get(section, _CUSTOM_FIELDS) if section else _CUSTOM_FIELDS
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if key in _DATE_KEYS or _blank(value):
            continue
        name = renames.get(key, key)
        if name == "keywords":
            value = split_list(_text(value))
        elif key == "doi":
            out.setdefault("url", f"https://doi.org/{_text(value)}")
        out[name] = value
    _unlink_name(out)
    warnings = _dates(doc, path, entry, out, section)
    return out, warnings


def _unlink_name(out: dict[str, Any]) -> None:
    """`name: '[cvgen](https://...)'` with no `url`: the name is the text, the link the url
    (the name of a project or an organisation is plain text in JSON Resume)."""
    for field in ("name", "title"):
        value = out.get(field)
        link = LINK.fullmatch(value) if isinstance(value, str) else None
        if link and "url" not in out:
            out[field], out["url"] = link[1], link[2]
            return


def _dates(
    doc: YamlDoc, path: Path_, entry: Mapping[str, Any], out: dict[str, Any], section: str
) -> list[Issue]:
    """Set `out`'s dates from RenderCV's `start_date`, `end_date` and `date`."""
    warnings: list[Issue] = []
    readings: dict[str, FreeDate] = {}
    unread: dict[str, str] = {}
    for key in _DATE_KEYS:
        if _blank(entry.get(key)):
            continue
        text = _text(entry[key])
        span = read_free_range(text) if key == "date" else None
        if key == "date" and span is not None and span[0] is not span[1]:
            readings["start_date"], readings["end_date"] = span
            continue
        reading = read_free_date(text)
        if reading.readable:
            readings[key] = reading
        else:
            unread[key] = text
    start, end, date = (readings.get(key) for key in _DATE_KEYS)
    single = _SINGLE_DATE.get(section)
    if single:
        first = date or start or end
        if first and first.value:
            out[single] = first.value
        if start and end and end.value and end.value != out.get(single):
            out["endDate"] = end.value
    elif section or start or end:
        # a standard section's entry with one `date` starts and ends then
        begin, finish = start or date, end or (date if start is None else None)
        if begin and begin.value:
            out["startDate"] = begin.value
        if finish and finish.value:
            out["endDate"] = finish.value
    elif date and date.value:
        out["date"] = date.value
    for key, text in unread.items():
        where = doc.issue((*path, key), "")
        link = LINK.fullmatch(text)
        if link and "url" not in out:  # a link written where the date goes: the entry's link
            out["url"] = link[2]
        if section:
            key = "dateText" if key in SECTIONS[section].fields else key  # awards' `date`
            out[key] = text
            shown = f"kept as written in `{key}` (resume.json); the page shows dates in YYYY-MM"
        else:
            out[{"start_date": "startDate", "end_date": "endDate"}.get(key, key)] = text
            shown = "kept as written (the page shows it so)"
        warnings.append(
            Issue(
                where.file,
                where.line,
                where.col,
                where.field,
                f"{text!r} is not a date cvgen can read; {shown}",
            )
        )
    return warnings


def split_list(text: str) -> list[str]:
    """`Python, SQL (Postgres, SQLite); Go` -> ["Python", "SQL (Postgres, SQLite)", "Go"]:
    split at commas and semicolons outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}" and depth > 0
        if char in ",;" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def _design(doc: YamlDoc, design: Any, result: Imported) -> None:
    if not isinstance(design, dict):
        return
    theme = _text(design.get("theme"))
    if theme:
        result.theme = THEMES.get(theme.lower(), "default")
        result.translated.append(f"design.theme {theme} -> theme {result.theme}")
    others = [key for key in design if key != "theme"]
    if others:
        result.ignored.append(f"design: {', '.join(others)} (cvgen's themes style the page)")


def _locale(doc: YamlDoc, data: Mapping[str, Any], result: Imported) -> None:
    for key in ("locale", "locale_catalog"):
        locale = data.get(key)
        if not isinstance(locale, dict):
            continue
        name = _text(locale.get("language"))
        tag = (
            name if name and check_language(name) is None else language_code(name) if name else None
        )
        if tag:
            result.language = tag
            result.translated.append(f"{key}.language {name} -> site.language {tag}")
        elif name:
            line, col = doc.positions.of((key, "language"))
            result.warnings.append(
                Issue(
                    doc.file,
                    line,
                    col,
                    f"{key}.language",
                    f"{name!r} is not a language cvgen knows; site.language is left as it is",
                )
            )
        others = [k for k in locale if k != "language"]
        if others:
            result.ignored.append(
                f"{key}: {', '.join(others)} (cvgen words dates and labels per site.language)"
            )


def _stripped(value: Any) -> Any:
    """Text without the line break a YAML block scalar (`|`) ends with."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
