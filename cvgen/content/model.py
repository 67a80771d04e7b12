"""The validated CV: the contract between content loading and rendering.

`CV.resume` is JSON Resume data (https://jsonresume.org/schema), validated and normalised:
- every top-level section key of JSON Resume is present: `basics` is a dict (with
  `profiles: []` at least), the other sections are lists (possibly empty); `basics.name`
  may be missing (the schema does not require it; a warning): `CV.name` is then "";
- dates are strings `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a YAML integer year becomes text);
- text fields keep their raw inline Markdown; templates turn it into HTML with the
  `inline_markdown` / `markdown` filters, so `resume` is also what `resume.json` exports;
- fields of the schema have the schema's types (text, lists of text, mappings), so
  templates can rely on their shape;
- JSON Resume v0 names (`company`, `website`, `picture`, `gpa` ...) were read as their v1
  names (with a warning); fields and sections outside the schema are kept as written,
  after the schema's own, in the order of the source: the export carries them through.
  Their values can be anything JSON holds, so templates read them with care.

`CV.custom` are the top-level sections outside the schema (`talks:`, `internships:` ...) in
source order, read into a generic shape that every output (page, PDF) can render the
same way; their raw data stays in `resume` for the export.

`CV.sections` are the `content/*.md` files, sorted by (order, slug).

`CV.spots` say where fields outside lists were written (`basics.image` -> line, col), so
a stage after validation can point at them (`CV.issue`).

`CV.warnings` are the problems that did not stop the build (old names, near-miss field
names, country names, URLs without a scheme ...): `cvgen build` prints them, and
`--strict` (or `build.strict: true`) turns them into errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cvgen.errors import Issue

# What heads the page and PDF of a CV without `basics.name` (and no `site.title`).
NO_NAME = "Curriculum vitae"

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
class Entry:
    """One item of a custom section, read from the field names JSON Resume uses everywhere.

    Text fields hold inline Markdown like the rest of the resume; dates are `YYYY`,
    `YYYY-MM` or `YYYY-MM-DD` (a date that could not be read is kept in `when` as written).
    """

    title: str = ""  # name / title / position / institution / ...
    subtitle: str = ""  # the organisation, publisher, event ... next to the title
    location: str = ""
    url: str = ""  # an http(s) URL, or ""
    start: str = ""  # startDate
    end: str = ""  # endDate ("" with a start: ongoing)
    date: str = ""  # date / releaseDate, for things that happened once
    when: str = ""  # dates written in a way that could not be read, shown as written
    summary: str = ""  # summary / description / details (Markdown)
    highlights: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # keywords / technologies / tags / skills


@dataclass(frozen=True)
class CustomSection:
    """A top-level key outside the JSON Resume schema (`talks:`, `personal-statement:`).

    `entries` are its mapping items (or, for a mapping of name: value pairs, one entry
    per pair); `items` its plain text items (a list of strings); `text` its value when
    that is text. Whatever the value holds that none of these can show is still in the
    export (`CV.resume[key]`).
    """

    key: str  # as written, e.g. "personal-statement"; the raw data is cv.resume[key]
    title: str  # from the key: "Personal statement"
    entries: tuple[Entry, ...] = ()
    items: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class CV:
    resume: dict[str, Any]
    sections: tuple[Section, ...]
    source: str  # "content/cv.yaml" or "content/resume.json"
    custom: tuple[CustomSection, ...] = ()
    warnings: tuple[Issue, ...] = ()
    spots: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # With `languages:` in cvgen.yaml, this CV (the default language's) in each other
    # language, in their order; each has only its own warnings (texts it falls back on).
    translations: tuple[CV, ...] = ()

    @property
    def name(self) -> str:
        """`basics.name` as written; "" when missing."""
        return str(self.resume["basics"].get("name") or "")

    def issue(self, where: str, message: str) -> Issue:
        """An issue about the field `where` (`basics.image`) of the CV file, at its key."""
        return Issue(self.source, *self.spots.get(where, (0, 0)), where, message)
