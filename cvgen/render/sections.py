"""Which sections a page shows, in which order, under which titles (pure).

`cvgen.yaml`'s `sections:` (order, hide, titles) applied to the CV's JSON Resume sections,
custom top-level sections and Markdown sections; see `section_blocks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cvgen.content.model import CV
from cvgen.errors import ContentError, Issue
from cvgen.settings.config import CONFIG_FILE
from cvgen.settings.sections import SectionsConfig
from cvgen.suggestions import did_you_mean

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
