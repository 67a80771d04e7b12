"""Tailored versions of one CV: which entries and highlights a variant keeps.

An entry is tagged by its `tags:` (a list of words, or one word); a highlight by words
starting with `#` at its end (`Moved 120 services to EKS #backend #cloud`). A variant keeps
what is untagged, and what is tagged with one of its `include` tags (all tagged items when
it names none), minus what carries one of its `exclude` tags. These tags are cvgen's own:
once a site has variants, they are taken off every page and every `resume.json` (the main
page's too), so the export stays plain JSON Resume. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from cvgen.content.custom import custom_section
from cvgen.content.model import CV
from cvgen.errors import describe
from cvgen.settings.variants import Selection

TAGS_KEY = "tags"
_HASHTAGS = re.compile(r"(?:\s+#[A-Za-z][\w-]*)+\s*$")


def read_tags(value: Any) -> tuple[tuple[str, ...], str | None]:
    """An entry's `tags:` as written -> the tags a variant can name (lower case), and what is
    wrong with it (None: a word or a list of words). The one reading of `tags:`: selection,
    the tags offered as "did you mean" and the warning all come from it, so a tag no variant
    can name (`backend, cloud` as one) is never a tag anywhere."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return (
            (),
            f"expected a tag or a list of tags, like `[backend, cloud]`, got {describe(value)}",
        )
    tags: list[str] = []
    problem: str | None = None
    for item in items:
        if isinstance(item, dict | list) or item is None:
            problem = problem or (
                f"expected a list of words, like `[backend, cloud]`, got {describe(item)}"
            )
            continue
        words = str(item).replace(",", " ").split()
        if len(words) > 1:
            listed = ", ".join(word.strip("#") for word in words)
            problem = (
                problem or f"`{item}` is one tag, which no variant can name; write `[{listed}]`"
            )
        elif words:
            tags.append(words[0].lower())
    return tuple(tags), problem


def entry_tags(entry: Mapping[str, Any]) -> tuple[str, ...]:
    return read_tags(entry[TAGS_KEY])[0] if TAGS_KEY in entry else ()


def highlight_tags(text: str) -> tuple[str, tuple[str, ...]]:
    """`"Moved to EKS #backend #cloud"` -> `("Moved to EKS", ("backend", "cloud"))`."""
    found = _HASHTAGS.search(text)
    if found is None:
        return text, ()
    tags = tuple(word.lstrip("#").lower() for word in found.group(0).split())
    return text[: found.start()].rstrip(), tags


def keeps(tags: Iterable[str], selection: Selection) -> bool:
    tagged = set(tags)
    if not tagged:
        return True
    if tagged & set(selection.exclude):
        return False
    return not selection.include or bool(tagged & set(selection.include))


def all_tags(cv: CV) -> set[str]:
    """Every tag the CV's entries and highlights carry (to warn about a variant's unknown ones)."""
    found: set[str] = set()
    for entry in _entries(cv.resume):
        found.update(entry_tags(entry))
        for text in entry.get("highlights") or []:
            if isinstance(text, str):
                found.update(highlight_tags(text)[1])
    return found


def _entries(resume: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for key, value in resume.items():
        if key != "basics" and isinstance(value, list):
            yield from (item for item in value if isinstance(item, dict))


def select(cv: CV, selection: Selection) -> CV:
    """The CV as the variant shows it (`Selection()`: everything, tags taken off)."""
    resume: dict[str, Any] = {}
    for key, value in cv.resume.items():
        if key == "basics" or not isinstance(value, list):
            resume[key] = value
            continue
        kept = []
        for item in value:
            if not isinstance(item, dict):
                kept.append(item)
                continue
            if not keeps(entry_tags(item), selection):
                continue
            entry = {k: v for k, v in item.items() if k != TAGS_KEY}
            if isinstance(entry.get("highlights"), list):
                entry["highlights"] = [
                    text
                    for text, tags in (_split(h) for h in entry["highlights"])
                    if keeps(tags, selection)
                ]
            kept.append(entry)
        resume[key] = kept
    basics = dict(resume["basics"])
    if selection.label is not None:
        basics["label"] = selection.label
    if selection.summary is not None:
        basics["summary"] = selection.summary
    resume["basics"] = basics
    custom = tuple(
        custom_section(section.key, resume[section.key]) if section.key in resume else section
        for section in cv.custom
    )
    return replace(cv, resume=resume, custom=custom)


def _split(highlight: Any) -> tuple[Any, tuple[str, ...]]:
    if isinstance(highlight, str):
        return highlight_tags(highlight)
    return highlight, ()
