"""The validated CV: the contract between content loading and rendering.

`CV.resume` is JSON Resume data (https://jsonresume.org/schema), validated and normalised:
- every top-level section key of JSON Resume is present: `basics` is a dict (with `name`
  and `profiles: []` at least), the other sections are lists (possibly empty);
- dates are strings `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a YAML integer year becomes text);
- text fields keep their raw inline Markdown; templates turn it into HTML with the
  `inline_markdown` / `markdown` filters, so `resume` is also what `resume.json` exports;
- keys outside the schema were rejected by validation, so templates can rely on the shape.

`CV.sections` are the `content/*.md` files, sorted by (order, slug).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RESUME_SECTIONS: tuple[str, ...] = (
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
)


@dataclass(frozen=True)
class Section:
    """One content/*.md file: front matter `title` (required), `order` (default 100)."""

    slug: str  # file stem, e.g. "about" for content/about.md; used as the HTML id
    title: str
    order: int
    html: str  # the Markdown body rendered to HTML (raw HTML in the body is escaped)
    source: str  # e.g. "content/about.md"


@dataclass(frozen=True)
class CV:
    resume: dict[str, Any]
    sections: tuple[Section, ...]
    source: str  # "content/cv.yaml" or "content/resume.json"

    @property
    def name(self) -> str:
        return str(self.resume["basics"]["name"])
