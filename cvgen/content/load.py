"""Reading `content/`: the CV file (cv.yaml or resume.json) and the Markdown sections.

The only module of the content stage that touches the disk. Every problem in every file
is collected first and raised as one ContentError, so a user fixes them all in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cvgen.cldr import check_language
from cvgen.content.entries import merge_entries
from cvgen.content.files import (
    SECTION_HEADING_OFFSET,
    EntryFile,
    read_cv_file,
    read_entry_file,
    relative_name,
    split_front_matter,
    without_control_characters,
)
from cvgen.content.model import CV, RESUME_SECTIONS, Section
from cvgen.content.overlay import ID_KEY
from cvgen.content.translations import translate
from cvgen.content.validate import (
    SECTION_SYNONYMS,
    Validated,
    validate_entry,
    validate_resume,
)
from cvgen.errors import ContentError, CvgenError, Issue, describe
from cvgen.markup import block_markdown
from cvgen.markup_budget import body_issue
from cvgen.settings.config import Config
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import (
    YamlDoc,
    decode_text,
)

YAML_FILE = "cv.yaml"
APPLICATIONS = "applications"  # content/applications/*.md: not CV entries
JSON_FILE = "resume.json"
FRONT_MATTER_KEYS = {"title": "text", "order": "a whole number"}
DEFAULT_ORDER = 100
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_LANGUAGE_SUFFIX = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def load_content(config: Config) -> CV:
    """Load and validate `<root>/content/`, or raise ContentError listing every problem.

    Problems that do not stop the build come back as `CV.warnings`. On a site with
    `languages:`, this is the default language's CV, with the others in `CV.translations`."""
    cvs = _load_languages(config)
    return replace(cvs[0], translations=cvs[1:]) if len(cvs) > 1 else cvs[0]


def _load_languages(config: Config) -> tuple[CV, ...]:
    """The CV in each language of `languages:` in cvgen.yaml, the default first (one CV on
    a one-language site); ContentError lists every problem of every file at once.

    A translated CV's `warnings` are its own (texts it falls back on), not the default's."""
    folder = config.content_dir
    if not folder.is_dir():
        raise CvgenError(
            f"{folder}: no content folder; create it with a {YAML_FILE} "
            "(or run `cvgen new PATH` for a working example)"
        )
    languages = config.languages or (config.site.language,)
    issues: list[Issue] = []
    source, validated = _load_resume(config.root, folder, issues)
    warnings = list(validated.warnings) if validated else []
    sections = []
    for path in sorted(folder.glob("*.md")):
        if language_of(path, languages, config.root, warnings) is not None:
            continue
        section = _load_section(path, relative_name(config.root, path), issues, warnings)
        if section is not None:
            sections.append(section)
    for path in sorted([*folder.glob("cv.*.yaml"), *folder.glob("resume.*.json")]):
        language_of(path, languages, config.root, warnings)  # warns about one nobody reads
    entries = _load_entry_files(config.root, folder, issues, warnings, languages)
    translated: list[CV] = []
    if validated is not None:
        for language in languages[1:]:
            translated.append(
                translate(config, language, source, validated, sections, entries, issues)
            )
    if issues:
        raise ContentError(issues, warnings=warnings)
    assert validated is not None
    resume = validated.resume
    for key, files in entries.items():
        resume[key] = merge_entries(resume[key], [(entry, order) for entry, order, _ in files])
    sections.sort(key=lambda s: (s.order, s.slug))
    default = CV(
        resume=resume,
        sections=tuple(sections),
        source=source,
        custom=tuple(validated.custom),
        warnings=tuple(sorted(warnings)),
        spots=validated.spots,
    )
    if len(languages) > 1:
        return tuple(without_ids(cv) for cv in (default, *translated))
    return (default,)


def language_of(
    path: Path, languages: Sequence[str], root: Path, warnings: list[Issue]
) -> str | None:
    """The language `path` translates into (`acme.de.md` -> `de`), one of `languages`; None
    for a file of the default language. A language suffix outside `languages` (or the
    default's own) gets a warning saying the file is not read, and None."""
    stem = path.name.removesuffix(path.suffix)
    if "." not in stem:
        return None
    suffix = stem.rsplit(".", 1)[1]
    for tag in languages[1:]:
        if suffix.lower() == tag.lower():
            return tag
    if not _LANGUAGE_SUFFIX.fullmatch(suffix) or check_language(suffix) is not None:
        return None
    name = relative_name(root, path)
    if suffix.lower() == languages[0].lower():
        message = (
            f"`{suffix}` is the default language, whose text is in the file without"
            " a language; this file is not read"
        )
    else:
        listed = ", ".join(languages)
        message = (
            f"a translation into `{suffix}`, which is not in `languages:` in cvgen.yaml"
            f" (`[{listed}]`), so it is not read; add `{suffix}` there to build it"
        )
    warnings.append(Issue(name, 0, 0, "", message))
    return ""


def without_ids(cv: CV) -> CV:
    """`id:` on list entries is cvgen's key for matching translations: never shown or exported."""
    resume = {
        key: [
            {k: v for k, v in item.items() if k != ID_KEY} if isinstance(item, dict) else item
            for item in value
        ]
        if key != "basics" and isinstance(value, list)
        else value
        for key, value in cv.resume.items()
    }
    return replace(cv, resume=resume)


def _load_entry_files(
    root: Path,
    folder: Path,
    issues: list[Issue],
    warnings: list[Issue],
    languages: Sequence[str],
) -> dict[str, list[EntryFile]]:
    """`content/<section>/*.md` for each JSON Resume list section, by file name
    (translations, `*.<language>.md`, are read with their language)."""
    out: dict[str, list[EntryFile]] = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(sub.glob("*.md"))
        if not files or sub.name == APPLICATIONS:  # job applications: content/applications.py
            continue
        if sub.name not in RESUME_SECTIONS:
            synonym = SECTION_SYNONYMS.get(sub.name.lower())
            hint = (
                f"; did you mean `{synonym}`?"
                if synonym
                else did_you_mean(sub.name, RESUME_SECTIONS)
            )
            warnings.append(
                Issue(
                    relative_name(root, sub) + "/",
                    0,
                    0,
                    "",
                    f"not a JSON Resume list section, so its Markdown files are not read{hint}",
                )
            )
            continue
        for path in files:
            if language_of(path, languages, root, warnings) is not None:
                continue
            entry = _load_entry(path, sub.name, relative_name(root, path), issues, warnings)
            if entry is not None:
                out.setdefault(sub.name, []).append((*entry, path))
    return out


def _load_entry(
    path: Path, section: str, name: str, issues: list[Issue], warnings: list[Issue]
) -> tuple[dict[str, Any], int | None] | None:
    """One `content/<section>/<name>.md`: the entry's fields as front matter, its text as
    the body (see `cvgen.content.entries`)."""
    found: list[Issue] = []
    read = read_entry_file(path, section, name, found, warnings)
    if read is None:
        issues.extend(found)
        return None
    doc, order = read
    validated = validate_entry(doc, section)
    found.extend(validated.errors)
    warnings.extend(validated.warnings)
    issues.extend(found)
    return None if found else (validated.resume, order)


def _load_resume(root: Path, folder: Path, issues: list[Issue]) -> tuple[str, Validated | None]:
    yaml_path, json_path = folder / YAML_FILE, folder / JSON_FILE
    yaml_name, json_name = relative_name(root, yaml_path), relative_name(root, json_path)
    if yaml_path.is_file() and json_path.is_file():
        issues.append(
            Issue(
                json_name,
                0,
                0,
                "",
                f"both {yaml_name} and {json_name} hold a CV; "
                "keep the one you edit and remove the other",
            )
        )
        return yaml_name, None
    if not json_path.is_file() and not yaml_path.is_file():
        hint = ""
        misnamed = sorted(p.name for p in folder.glob("*") if p.name.lower() in _MISNAMED)
        if misnamed:
            hint = f"; rename {misnamed[0]} to {YAML_FILE}"
        issues.append(
            Issue(yaml_name, 0, 0, "", f"not found; write your CV there (or in {json_name}){hint}")
        )
        return yaml_name, None
    is_json = json_path.is_file()
    path, name = (json_path, json_name) if is_json else (yaml_path, yaml_name)
    doc = read_cv_file(path, name, issues)
    if doc is None:
        return name, None
    validated = validate_resume(doc)
    issues.extend(validated.errors)
    validated.warnings.extend(doc.warnings)
    return name, validated


_MISNAMED = {"cv.yml", "resume.yaml", "resume.yml", "cv.json"}


def _load_section(
    path: Path, name: str, issues: list[Issue], warnings: list[Issue]
) -> Section | None:
    """One `content/<slug>.md`: YAML front matter between `---` lines, then Markdown."""
    slug = path.stem
    found: list[Issue] = []
    if not _SLUG.fullmatch(slug):
        found.append(
            Issue(
                name,
                0,
                0,
                "",
                "the file name becomes the section's id and address: "
                "use lowercase letters, digits and hyphens (e.g. `about.md`)",
            )
        )
    try:
        text = decode_text(path.read_bytes(), name).replace("\r\n", "\n")
    except ContentError as exc:
        issues.extend([*found, *exc.issues])
        return None
    front, body = split_front_matter(text, name, found)
    title, order = "", DEFAULT_ORDER
    if front is not None:
        warnings.extend(front.warnings)
        title, order = _check_front_matter(front, found)
    too_heavy = body_issue(text, body, name)
    if too_heavy is not None:
        found.append(too_heavy)
    if found or front is None:
        issues.extend(found)
        return None
    body = without_control_characters(text, body, name, warnings)
    return Section(
        slug=slug,
        title=title,
        order=order,
        html=block_markdown(body, heading_offset=SECTION_HEADING_OFFSET, ids=slug),
        source=name,
    )


def _check_front_matter(doc: YamlDoc, issues: list[Issue]) -> tuple[str, int]:
    data = doc.data
    if data is None:
        issues.append(Issue(doc.file, 1, 1, "", "front matter is empty; add `title: Your title`"))
        return "", DEFAULT_ORDER
    if not isinstance(data, dict):
        issues.append(doc.issue((), "expected `title: ...` (and optionally `order: N`)"))
        return "", DEFAULT_ORDER
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            issues.append(
                doc.issue(
                    (key,),
                    f"unknown front matter key `{key}`{did_you_mean(key, FRONT_MATTER_KEYS)}",
                    at_key=True,
                )
            )
    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        issues.append(doc.issue(("title",), "missing; add `title: Your title`"))
        title = ""
    elif isinstance(title, bool) or not isinstance(title, str | int | float):
        issues.append(doc.issue(("title",), f"expected text, got {describe(title)}"))
        title = ""
    order = data.get("order", DEFAULT_ORDER)
    if isinstance(order, bool) or not isinstance(order, int):
        issues.append(doc.issue(("order",), f"expected a whole number, got {describe(order)}"))
        order = DEFAULT_ORDER
    return str(title).strip(), order
