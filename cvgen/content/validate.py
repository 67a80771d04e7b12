"""Validation of JSON Resume data (from cv.yaml or resume.json) into the normalised CV shape.

Pure: takes a parsed document (data + positions) and returns the normalised resume plus
every problem found, each with the line and column of the offending key or value.

The schema below is JSON Resume v1 (https://jsonresume.org/schema) written as a table:
each object lists its fields and what kind of value each holds. The rule: what the
official schema accepts builds, and nothing in it is lost. So only what the schema
rejects (a list where it wants text, a date it cannot read ...) is an error; everything
else that looks wrong is a *warning* (the build goes on; `--strict` makes it an error):
- fields and sections outside the schema are kept as written (a warning only when the
  name is a near miss of a real one: "did you mean `startDate`?");
- JSON Resume v0 names (`company`, `website` ...) are read as their v1 names;
- URLs without a scheme get https://, country names become ISO codes, "Present" end
  dates mean ongoing, timestamps keep their date.
It is kinder than the schema where YAML gets in the way (`startDate: 2020` is a number
in YAML and becomes the text "2020").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias
from urllib.parse import urlsplit

from cvgen.content.countries import country_code
from cvgen.content.custom import custom_section
from cvgen.content.dates import read_date
from cvgen.content.model import NO_NAME, RESUME_SECTIONS, CustomSection
from cvgen.content.variants import TAGS_KEY, read_tags
from cvgen.errors import Issue, describe
from cvgen.suggestions import closest
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
    # Fields every CV should have, though the official schema requires none: missing, a
    # warning (an error with --strict); the page and PDF fall back (see render.site).
    expected: tuple[str, ...] = ()
    # Old JSON Resume (v0) names people still use, mapped to the v1 name.
    renamed: Mapping[str, str] = field(default_factory=dict)
    # Fields beside the known ones are kept without a word (`meta`: anything goes there).
    free: bool = False


@dataclass(frozen=True)
class ListOf:
    item: Spec


Spec: TypeAlias = Kind | Obj | ListOf

T, MD, URL, DATE = Kind.TEXT, Kind.MARKDOWN, Kind.URL, Kind.DATE
TEXTS = ListOf(T)
MDS = ListOf(MD)
_OLD = {"website": "url", "company": "name", "gpa": "score", "picture": "image"}
# Names that hold the same thing as a JSON Resume section, for a hint only: the section
# itself is kept and shown as it is (its shape may differ).
SECTION_SYNONYMS = {
    "experience": "work",
    "jobs": "work",
    "employment": "work",
    "certifications": "certificates",
}

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
    expected=("name",),
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
        # Themes written for v0 read a project's `summary`; v1 calls it `description`.
        renamed={**_OLD, "summary": "description"},
    ),
}
# The schema types these as text (formats unchecked); anything else may sit beside them.
META = Obj({"canonical": T, "version": T, "lastModified": T}, free=True)
RESUME = Obj(
    {
        "$schema": URL,
        "basics": BASICS,
        **{name: ListOf(SECTIONS[name]) for name in RESUME_SECTIONS},
        "meta": META,
    },
    expected=("basics",),
    renamed={"hobbies": "interests"},  # renamed in 2014, before v0.0.0
)
assert set(SECTIONS) == set(RESUME_SECTIONS)
_ENTRY_SPECS = {id(spec) for spec in SECTIONS.values()}


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_URL = re.compile(r"https?://[^\s/?#@]+(:\d+)?([/?#]\S*)?", re.IGNORECASE)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_BARE_HOST = re.compile(r"[^\s/?#@:]+\.[^\s/?#@:.]+(:\d+)?([/?#]\S*)?")


def _wanted(spec: Spec) -> str:
    if isinstance(spec, Kind):
        return spec.label
    if isinstance(spec, ListOf):
        return "a list"
    return "a mapping of fields"


@dataclass(frozen=True)
class Reading:
    """A scalar field read: its value (None: left out), and a warning or error about it."""

    value: str | None
    message: str = ""
    error: bool = False


@dataclass
class Validated:
    """What validation made of a document: the normalised resume, its custom sections,
    the errors (the schema rejects the file) and the warnings (it builds anyway)."""

    resume: dict[str, Any]
    custom: list[CustomSection]
    errors: list[Issue]
    warnings: list[Issue]
    # where each field outside a list was written (`basics.image` -> line, col of its key,
    # a v0 `picture:` too), for warnings found after validation (the photo's)
    spots: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Validator:
    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.issues: list[Issue] = []
        self.warnings: list[Issue] = []
        # warnings said once per place (`work[].company`): where each was met
        self.repeated: dict[tuple[Path_, str], list[Path_]] = {}
        self.spots: dict[str, tuple[int, int]] = {}

    def report(self, path: Path_, message: str) -> None:
        # At the field's key (where the eye lands), or at the item for list entries.
        self.issues.append(self.doc.issue(path, message, at_key=True))

    def warn(self, path: Path_, message: str, *, once: bool = False) -> None:
        """A warning at `path`; with `once`, the same message for the same field of other
        entries (`company` in every job of a v0 file) is folded into the first one."""
        if once:
            place = tuple(part for part in path if not isinstance(part, int))
            self.repeated.setdefault((place, message), []).append(path)
        else:
            self.warnings.append(self.doc.issue(path, message, at_key=True))

    def warn_repeated(self) -> None:
        for (_, message), paths in self.repeated.items():
            more = len(paths) - 1
            also = f" (and in {more} more entr{'ies' if more > 1 else 'y'})" if more else ""
            self.warn(paths[0], message + also)

    def warn_missing(self, path: Path_, hint: str) -> None:
        # At the key of the mapping that lacks it (`basics:`), or at the top of the file.
        positions = self.doc.positions
        line, col = positions.keys.get(path[:-1]) or positions.of(path[:-1])
        self.warnings.append(Issue(self.doc.file, line, col, format_path(path), f"missing; {hint}"))

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
        # v1 field -> the key it was written under (itself, or its v0 name)
        written = {key: key for key in spec.fields if key in value}
        extras: dict[str, Any] = {}
        for key in value:
            if key in spec.fields:
                continue
            new = spec.renamed.get(key)
            if new is not None and new in spec.fields and new not in written:
                written[new] = key
                self.warn(
                    (*path, key),
                    f"old JSON Resume (v0) name; read as `{new}`: rename it to `{new}`",
                    once=True,
                )
                continue
            extras[key] = value[key]
            if new in spec.fields:
                where = "shown as a section of its own" if spec is RESUME else "kept in resume.json"
                self.warn(
                    (*path, key),
                    f"old JSON Resume (v0) name of `{new}`, which is given too; {where}",
                    once=True,
                )
            elif spec is RESUME:
                self.check_section_name(key)
            elif spec.free:
                continue  # `meta.theme` ...: kept, silently
            elif hint := near_miss(key, spec):
                self.warn((*path, key), f"unknown field `{key}`; did you mean `{hint}`?")
        out: dict[str, Any] = {}
        in_list = any(isinstance(part, int) for part in path)
        for key, child_spec in spec.fields.items():
            if key in written:
                if not in_list:
                    self.spots[format_path((*path, key))] = self.doc.positions.key(
                        (*path, written[key])
                    )
                given = value[written[key]]
                if given is None and isinstance(child_spec, Obj) and child_spec.expected:
                    given = {}  # `basics:` with nothing under it still wants its `name:`
                child = self.check(given, child_spec, (*path, written[key]))
                if child is not None:
                    out[key] = child
        for key in spec.expected:
            if key not in out and _blank(value.get(written.get(key, key))):
                self.warn_missing((*path, key), _EXPECTED_HINT[key])
        self.check_period(out, path, written)
        if TAGS_KEY in extras and id(spec) in _ENTRY_SPECS:
            problem = read_tags(extras[TAGS_KEY])[1]
            if problem:
                self.warn((*path, TAGS_KEY), problem)
        out.update(extras)  # after the schema's fields, in source order, as written
        return out

    def check_section_name(self, key: str) -> None:
        """A top-level key outside the schema: a custom section; a hint if it is a near miss."""
        hint = near_miss(key, RESUME)
        if hint:
            self.warn(
                (key,),
                f"unknown section `{key}`; did you mean `{hint}`? "
                "(until then it is shown as a section of its own)",
            )
        elif key.lower() in SECTION_SYNONYMS:
            section = SECTION_SYNONYMS[key.lower()]
            self.warn(
                (key,),
                f"not a JSON Resume section, so it is shown as a section of its own; "
                f"if it holds what `{section}` holds, rename it to `{section}`",
            )

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
            # an entry left blank (`{"name": "", "position": ""}`, a template's placeholder)
            # holds nothing to show or export: no empty box on the page
            if checked is not None and checked != {}:
                out.append(checked)
        return out

    def check_scalar(self, value: Any, kind: Kind, path: Path_) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(path, f"expected {kind.label}, got {describe(value)}")
            return None
        text = str(value).strip()
        if not text:
            if kind is Kind.DATE and path and path[-1] == "endDate":
                self.warn(path, "empty; read as ongoing: leave out `endDate` instead", once=True)
            return None
        reading = _SCALAR_CHECKS[kind](text, path)
        if reading.error:
            self.report(path, reading.message)
        elif reading.message:
            # "Present" in every current job: once; a date or URL of its own: each
            self.warn(path, reading.message, once=reading.value is None)
        return reading.value

    def check_period(self, entry: dict[str, Any], path: Path_, written: dict[str, str]) -> None:
        start, end = entry.get("startDate"), entry.get("endDate")
        if start and end:
            size = min(len(start), len(end))
            if end[:size] < start[:size]:
                where = (*path, written.get("endDate", "endDate"))
                self.warn(where, f"{end} is before startDate {start}")


def near_miss(key: str, spec: Obj) -> str | None:
    """The field `key` is a near miss of (`strat_date` -> `startDate`, an old name -> its new
    one), else None (see `cvgen.suggestions` for what near means)."""
    names = {**{name: name for name in spec.fields}, **spec.renamed}
    return closest(key, {name: target for name, target in names.items() if target in spec.fields})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_UNNAMED = f'the page and PDF are headed with `site.title` from cvgen.yaml, else "{NO_NAME}"'
_EXPECTED_HINT = {
    "basics": f"{_UNNAMED}; add `basics:` with at least your `name:`",
    "name": f"{_UNNAMED}; add `name:` with your full name",
}


def _check_text(text: str, path: Path_) -> Reading:
    return Reading(text)


def _check_date(text: str, path: Path_) -> Reading:
    reading = read_date(text, end=bool(path) and path[-1] == "endDate")
    return Reading(reading.value, reading.message, reading.error)


def _check_url(text: str, path: Path_) -> Reading:
    if _URL.fullmatch(text) and _splits(text):
        return Reading(text)
    if not _SCHEME.match(text) and _BARE_HOST.fullmatch(text):
        return Reading(
            f"https://{text}", f"no https:// in {describe(text)}; linked as https://{text}"
        )
    return Reading(text, f"expected an absolute http(s) URL, got {describe(text)}")


def _splits(url: str) -> bool:
    """Whether a URL's host reads as one (`https://[x` does not: an unclosed IPv6 bracket)."""
    try:
        urlsplit(url).port  # noqa: B018 (reading it checks the port too)
    except ValueError:
        return False
    return True


def _check_image(text: str, path: Path_) -> Reading:
    if _SCHEME.match(text) or text.startswith("//"):
        return _check_url(text, path)
    if " " in text or "\\" in text:
        return Reading(text, f"expected {Kind.IMAGE.label}, got {describe(text)}")
    return Reading(text)


def _check_email(text: str, path: Path_) -> Reading:
    if _EMAIL.fullmatch(text):
        return Reading(text)
    return Reading(text, f"expected an email address like name@example.com, got {describe(text)}")


def _check_country(text: str, path: Path_) -> Reading:
    code = country_code(text)
    if code == text:
        return Reading(text)
    if code is None:
        return Reading(
            text,
            f"expected a two-letter ISO 3166-1 country code like `SE` or `US`, "
            f"got {describe(text)}; shown as written",
        )
    return Reading(code, f"{describe(text)} read as the country code `{code}`; write `{code}`")


_SCALAR_CHECKS = {
    Kind.TEXT: _check_text,
    Kind.MARKDOWN: _check_text,
    Kind.URL: _check_url,
    Kind.IMAGE: _check_image,
    Kind.EMAIL: _check_email,
    Kind.DATE: _check_date,
    Kind.COUNTRY: _check_country,
}


def validate_resume(doc: YamlDoc) -> Validated:
    """Check parsed JSON Resume data: the normalised resume, custom sections and issues.

    Normalised: the schema's keys in schema order, then the keys outside it in source
    order; empty and null values dropped; text stripped; numbers in text fields (a YAML
    year, a phone number) turned into text; `basics` with `profiles`, and every section
    present as a list.
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
    validator.warn_repeated()
    custom = [
        custom_section(key, value) for key, value in resume.items() if key not in RESUME.fields
    ]
    return Validated(
        normalise(resume), custom, validator.issues, validator.warnings, validator.spots
    )


def validate_entry(doc: YamlDoc, section: str) -> Validated:
    """Check one entry of the JSON Resume list `section` (a mapping at the top of `doc`,
    e.g. the front matter of `content/work/acme.md`); `resume` is the normalised entry."""
    validator = _Validator(doc)
    entry = validator.check_object(doc.data, SECTIONS[section], ())
    validator.warn_repeated()
    return Validated(entry or {}, [], validator.issues, validator.warnings)


def normalise(resume: Mapping[str, Any]) -> dict[str, Any]:
    """Every section present (lists), `basics.profiles` present; schema key order kept,
    keys outside the schema after them."""
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
    out.update((key, value) for key, value in resume.items() if key not in RESUME.fields)
    return out


def check_fields(doc: YamlDoc, values: Mapping[str, Any], spec: Obj, path: Path_) -> Validated:
    """The fields of `spec` among `values` (part of an entry, e.g. its translation), each
    checked as in a whole entry; `resume` holds the normalised ones (blank ones left out),
    other keys are the caller's to judge."""
    validator = _Validator(doc)
    out: dict[str, Any] = {}
    for key, value in values.items():
        field = v1_name(key, values, spec)
        if field != key:
            validator.warn(
                (*path, key),
                f"old JSON Resume (v0) name; read as `{field}`: rename it to `{field}`",
                once=True,
            )
        if field in spec.fields:
            checked = validator.check(value, spec.fields[field], (*path, key))
            if checked is not None and checked != [] and checked != {}:
                out[field] = checked
    validator.warn_repeated()
    return Validated(out, [], validator.issues, validator.warnings)


def v1_name(key: str, values: Mapping[str, Any], spec: Obj) -> str:
    """The field `key` is read as among `values`: its v1 name when it is an old (v0) one
    whose v1 name is not given too (`company` -> `name`), else itself."""
    new = spec.renamed.get(key)
    if key in spec.fields or new is None or new not in spec.fields or new in values:
        return key
    return new
