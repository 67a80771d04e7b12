"""Validation of JSON Resume data (from cv.yaml or resume.json) into the normalised CV shape.

Pure: takes a parsed document (data + positions) and returns the normalised resume plus
every problem found, each with the line and column of the offending key or value.

The schema below is JSON Resume v1 (https://jsonresume.org/schema) written as a table:
each object lists its fields and what kind of value each holds. Compared with the
official JSON Schema it is stricter where a typo would silently lose data (unknown
fields are errors, with a "did you mean") and kinder where YAML gets in the way
(`startDate: 2020` is a number in YAML and becomes the text "2020").
"""

from __future__ import annotations

import calendar
import difflib
import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from cvgen.config import did_you_mean
from cvgen.content.model import RESUME_SECTIONS
from cvgen.errors import Issue
from cvgen.yamldoc import Path_, YamlDoc, format_path


class Kind(enum.Enum):
    """What a scalar field holds."""

    TEXT = "text"
    MARKDOWN = "markdown"  # text with inline Markdown; templates render it to HTML
    URL = "url"
    IMAGE = "image"
    EMAIL = "email"
    DATE = "date"
    COUNTRY = "country"

    @property
    def label(self) -> str:
        """How messages name what was expected."""
        return _LABELS[self]


_LABELS = {
    Kind.TEXT: "text",
    Kind.MARKDOWN: "text",
    Kind.URL: "an http(s) URL",
    Kind.IMAGE: "an http(s) URL or a path on the site",
    Kind.EMAIL: "an email address",
    Kind.DATE: "a date",
    Kind.COUNTRY: "a two-letter country code",
}


@dataclass(frozen=True)
class Obj:
    """A mapping with known fields (in the order the export writes them)."""

    fields: Mapping[str, Spec]
    required: tuple[str, ...] = ()
    # Old JSON Resume (v0) names people still use, mapped to the v1 name.
    renamed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ListOf:
    item: Spec


Spec: TypeAlias = Kind | Obj | ListOf

T, MD, URL, DATE = Kind.TEXT, Kind.MARKDOWN, Kind.URL, Kind.DATE
TEXTS = ListOf(T)
MDS = ListOf(MD)
_OLD = {"website": "url", "company": "name", "gpa": "score", "picture": "image"}

LOCATION = Obj(
    {
        "address": T,
        "postalCode": T,
        "city": T,
        "countryCode": Kind.COUNTRY,
        "region": T,
    }
)
PROFILE = Obj({"network": T, "username": T, "url": URL})
BASICS = Obj(
    {
        "name": T,
        "label": T,
        "image": Kind.IMAGE,
        "email": Kind.EMAIL,
        "phone": T,
        "url": URL,
        "summary": MD,
        "location": LOCATION,
        "profiles": ListOf(PROFILE),
    },
    required=("name",),
    renamed=_OLD,
)
SECTIONS: dict[str, Obj] = {
    "work": Obj(
        {
            "name": T,
            "location": T,
            "description": MD,
            "position": T,
            "url": URL,
            "startDate": DATE,
            "endDate": DATE,
            "summary": MD,
            "highlights": MDS,
        },
        renamed=_OLD,
    ),
    "volunteer": Obj(
        {
            "organization": T,
            "position": T,
            "url": URL,
            "startDate": DATE,
            "endDate": DATE,
            "summary": MD,
            "highlights": MDS,
        },
        renamed=_OLD,
    ),
    "education": Obj(
        {
            "institution": T,
            "url": URL,
            "area": T,
            "studyType": T,
            "startDate": DATE,
            "endDate": DATE,
            "score": T,
            "courses": MDS,
        },
        renamed=_OLD,
    ),
    "awards": Obj({"title": T, "date": DATE, "awarder": T, "summary": MD}, renamed=_OLD),
    "certificates": Obj({"name": T, "date": DATE, "url": URL, "issuer": T}, renamed=_OLD),
    "publications": Obj(
        {"name": T, "publisher": T, "releaseDate": DATE, "url": URL, "summary": MD},
        renamed=_OLD,
    ),
    "skills": Obj({"name": T, "level": T, "keywords": TEXTS}),
    "languages": Obj({"language": T, "fluency": T}),
    "interests": Obj({"name": T, "keywords": TEXTS}),
    "references": Obj({"name": T, "reference": MD}),
    "projects": Obj(
        {
            "name": T,
            "description": MD,
            "highlights": MDS,
            "keywords": TEXTS,
            "startDate": DATE,
            "endDate": DATE,
            "url": URL,
            "roles": TEXTS,
            "entity": T,
            "type": T,
        },
        renamed=_OLD,
    ),
}
META = Obj({"canonical": URL, "version": T, "lastModified": T})
RESUME = Obj(
    {
        "$schema": URL,
        "basics": BASICS,
        **{name: ListOf(SECTIONS[name]) for name in RESUME_SECTIONS},
        "meta": META,
    },
    required=("basics",),
    renamed={
        "experience": "work",
        "jobs": "work",
        "employment": "work",
        "certifications": "certificates",
        "hobbies": "interests",
    },
)
assert set(SECTIONS) == set(RESUME_SECTIONS)


def markdown_fields() -> dict[str, tuple[str, ...]]:
    """{section: fields holding inline Markdown}, e.g. {"work": ("description", "summary", "highlights")}."""
    out: dict[str, tuple[str, ...]] = {"basics": ("summary",)}
    for name, spec in SECTIONS.items():
        marked = tuple(
            key
            for key, kind in spec.fields.items()
            if kind is MD or (isinstance(kind, ListOf) and kind.item is MD)
        )
        if marked:
            out[name] = marked
    return out


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only
_ONGOING = {"present", "current", "now", "today", "ongoing"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_URL = re.compile(r"https?://[^\s/?#@]+(:\d+)?([/?#]\S*)?", re.IGNORECASE)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_COUNTRY = re.compile(r"[A-Z]{2}")
_DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"


def describe(value: Any) -> str:
    """How a message names a value the user wrote: `"Jan 2020"`, `a list`, `true`."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return str(value)


def _wanted(spec: Spec) -> str:
    if isinstance(spec, Kind):
        return spec.label
    if isinstance(spec, ListOf):
        return "a list"
    return "a mapping of fields"


class _Validator:
    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.issues: list[Issue] = []

    def report(self, path: Path_, message: str) -> None:
        # At the field's key (where the eye lands), or at the item for list entries.
        self.issues.append(self.doc.issue(path, message, at_key=True))

    def report_missing(self, path: Path_, hint: str) -> None:
        # At the key of the mapping that lacks it (`basics:`), or at the top of the file.
        positions = self.doc.positions
        line, col = positions.keys.get(path[:-1]) or positions.of(path[:-1])
        self.issues.append(Issue(self.doc.file, line, col, format_path(path), f"missing; {hint}"))

    def check(self, value: Any, spec: Spec, path: Path_) -> Any:
        """The normalised value, or None when it is absent or was reported as invalid."""
        if value is None:
            return None
        if isinstance(spec, Obj):
            return self.check_object(value, spec, path)
        if isinstance(spec, ListOf):
            return self.check_list(value, spec, path)
        return self.check_scalar(value, spec, path)

    def check_object(self, value: Any, spec: Obj, path: Path_) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.report(path, f"expected {_wanted(spec)}, got {describe(value)}")
            return None
        for key in value:
            if key not in spec.fields:
                self.report((*path, key), self.unknown(key, spec))
        out: dict[str, Any] = {}
        for key, child_spec in spec.fields.items():
            if key in value:
                given = value[key]
                if given is None and isinstance(child_spec, Obj) and child_spec.required:
                    given = {}  # `basics:` with nothing under it still needs its `name:`
                child = self.check(given, child_spec, (*path, key))
                if child is not None:
                    out[key] = child
        for key in spec.required:
            if key not in out and _blank(value.get(key)):
                self.report_missing((*path, key), _REQUIRED_HINT.get(key, "required"))
        self.check_period(out, path)
        return out

    def unknown(self, key: str, spec: Obj) -> str:
        if key in spec.renamed and spec.renamed[key] in spec.fields:
            return f"unknown field `{key}`; JSON Resume v1 calls it `{spec.renamed[key]}`"
        # `start_date`, `StartDate` -> `startDate`; then near misses of a field or an old name.
        folded = {name.replace("_", "").lower(): name for name in spec.fields}
        match = folded.get(key.replace("_", "").replace("-", "").lower())
        if match is None:
            aliases = {**{name: name for name in spec.fields}, **spec.renamed}
            close = difflib.get_close_matches(key, list(aliases), n=1, cutoff=0.75)
            match = aliases[close[0]] if close else None
        hint = f"; did you mean `{match}`?" if match else did_you_mean(key, spec.fields)
        return f"unknown field `{key}`{hint}"

    def check_list(self, value: Any, spec: ListOf, path: Path_) -> list[Any] | None:
        if not isinstance(value, list):
            message = f"expected a list, got {describe(value)}"
            is_json = self.doc.file.endswith(".json")
            if isinstance(spec.item, Kind) and isinstance(value, str):
                message += (
                    f"; write [{describe(value)}]"
                    if is_json
                    else "; put each item on its own line starting with `- `"
                )
            elif isinstance(spec.item, Obj) and isinstance(value, dict):
                message += "; put the entries in [ ]" if is_json else "; start each entry with `- `"
            self.report(path, message)
            return None
        out = []
        for index, item in enumerate(value):
            if item is None:
                self.report((*path, index), "empty list item; fill it in or remove the `-`")
                continue
            checked = self.check(item, spec.item, (*path, index))
            if checked is not None:
                out.append(checked)
        return out

    def check_scalar(self, value: Any, kind: Kind, path: Path_) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(path, f"expected {kind.label}, got {describe(value)}")
            return None
        text = str(value).strip()
        if not text:
            return None
        problem = _SCALAR_CHECKS[kind](text, path)
        if problem:
            self.report(path, problem)
            return None
        return text

    def check_period(self, entry: dict[str, Any], path: Path_) -> None:
        start, end = entry.get("startDate"), entry.get("endDate")
        if start and end:
            size = min(len(start), len(end))
            if end[:size] < start[:size]:
                self.report((*path, "endDate"), f"{end} is before startDate {start}")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_REQUIRED_HINT = {
    "basics": "add `basics:` with at least your `name:`",
    "name": "add `name:` with your full name",
}


def _check_text(text: str, path: Path_) -> str | None:
    return None


def _check_date(text: str, path: Path_) -> str | None:
    if path and path[-1] == "endDate" and text.lower() in _ONGOING:
        return f"leave out `endDate` for something still going on, got {describe(text)}"
    match = _DATE.fullmatch(text)
    expected = f"expected {_DATE_FORMATS}, got {describe(text)}"
    if not match:
        return expected
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if not 1000 <= year <= 2999:
        return f"{expected} (the year must be between 1000 and 2999)"
    if month is not None and not 1 <= month <= 12:
        return f"{expected} (there is no month {month})"
    if month is not None and day is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"{expected} ({calendar.month_name[month]} {year} has {days} days)"
    return None


def _check_url(text: str, path: Path_) -> str | None:
    if _URL.fullmatch(text):
        return None
    if not _SCHEME.match(text) and "." in text.split("/")[0] and " " not in text:
        return f"expected an absolute http(s) URL, got {describe(text)}; write https://{text}"
    return f"expected an absolute http(s) URL, got {describe(text)}"


def _check_image(text: str, path: Path_) -> str | None:
    if _SCHEME.match(text) or text.startswith("//"):
        return _check_url(text, path)
    if " " in text or "\\" in text:
        return f"expected {Kind.IMAGE.label}, got {describe(text)}"
    return None


def _check_email(text: str, path: Path_) -> str | None:
    if _EMAIL.fullmatch(text):
        return None
    return f"expected an email address like name@example.com, got {describe(text)}"


def _check_country(text: str, path: Path_) -> str | None:
    if _COUNTRY.fullmatch(text):
        return None
    return f"expected a two-letter ISO 3166-1 country code like `SE` or `US`, got {describe(text)}"


_SCALAR_CHECKS = {
    Kind.TEXT: _check_text,
    Kind.MARKDOWN: _check_text,
    Kind.URL: _check_url,
    Kind.IMAGE: _check_image,
    Kind.EMAIL: _check_email,
    Kind.DATE: _check_date,
    Kind.COUNTRY: _check_country,
}


def validate_resume(doc: YamlDoc) -> tuple[dict[str, Any], list[Issue]]:
    """Check parsed JSON Resume data; return the normalised resume and every issue found.

    Normalised: keys in schema order; empty and null values dropped; text stripped;
    numbers in text fields (a YAML year, a phone number) turned into text; `basics` with
    `profiles`, and every section present as a list.
    """
    validator = _Validator(doc)
    if doc.data is None:
        validator.report((), "the file is empty; start with `basics:` and your `name:`")
        resume: dict[str, Any] = {}
    elif not isinstance(doc.data, dict):
        validator.report(
            (),
            f"expected a mapping of JSON Resume sections (`basics:`, `work:` ...), "
            f"got {describe(doc.data)}",
        )
        resume = {}
    else:
        resume = validator.check_object(doc.data, RESUME, ()) or {}
    return normalise(resume), validator.issues


def normalise(resume: Mapping[str, Any]) -> dict[str, Any]:
    """Every section present (lists), `basics.profiles` present; schema key order kept."""
    out: dict[str, Any] = {}
    for key in RESUME.fields:
        if key == "basics":
            basics = dict(resume.get("basics") or {})
            basics.setdefault("profiles", [])
            out["basics"] = basics
        elif key in SECTIONS:
            out[key] = list(resume.get(key) or [])
        elif key in resume:
            out[key] = resume[key]
    return out
