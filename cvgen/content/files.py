"""Reading the CV's files from disk into positioned YAML: the CV file (cv.yaml or
resume.json), a Markdown file's front matter and body, an entry file (`work/acme.md`).
Shared by the default language's load (`cvgen.content.load`) and its translations
(`cvgen.content.translations`); validation happens in their callers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cvgen.content.entries import BODY_FIELDS, ORDER_KEY, split_body
from cvgen.content.jsondoc import read_json
from cvgen.errors import ContentError, Issue, describe
from cvgen.markup_budget import body_issue
from cvgen.yamldoc import (
    YamlDoc,
    decode_text,
    parse_yaml,
    strip_control_characters,
    strip_value_controls,
)

# Section bodies sit under the section's own <h2>: `#` in the body becomes <h3>.
SECTION_HEADING_OFFSET = 2
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

EntryFile = tuple[dict[str, Any], int | None, Path]  # the validated entry, its `order`, its file


def read_entry_file(
    path: Path,
    section: str,
    name: str,
    found: list[Issue],
    warnings: list[Issue],
    *,
    translation: bool = False,
) -> tuple[YamlDoc, int | None] | None:
    """An entry file's fields (front matter, then the body's text and list) with their
    positions, and its `order`; None when it cannot be read (the reasons go to `found`).
    Control characters left out of the body go to `warnings`."""
    try:
        text = decode_text(path.read_bytes(), name).replace("\r\n", "\n")
    except ContentError as exc:
        found.extend(exc.issues)
        return None
    front, body = split_front_matter(
        text, name, found, example=_entry_example(section, path, translation)
    )
    if front is None:
        return None
    warnings.extend(front.warnings)
    data = front.data if front.data is not None else {}
    if not isinstance(data, dict):
        found.append(
            front.issue((), f"expected the entry's fields, like `{_ENTRY_EXAMPLE[section]}`")
        )
        return None
    data = dict(data)
    order = data.pop(ORDER_KEY, None)
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        found.append(front.issue((ORDER_KEY,), f"expected a whole number, got {describe(order)}"))
        order = None
    text_field, list_field = BODY_FIELDS[section]
    too_heavy = body_issue(text, body, name)
    if too_heavy is not None:
        found.append(too_heavy)
    first_line = text.count("\n", 0, len(text) - len(body)) + 1
    body = without_control_characters(text, body, name, warnings)
    parts = split_body(body, first_line, list_field is not None)
    positions = front.positions
    for field, given, line in (
        (text_field, parts.text, parts.text_line),
        (list_field, parts.items, parts.items[0][1] if parts.items else 0),
    ):
        if not given:
            continue
        if field is None:
            found.append(
                Issue(
                    name,
                    line,
                    1,
                    "",
                    f"{section} entries have no text field; put what this says in the "
                    "front matter's fields, or remove it",
                )
            )
        elif field in data:
            found.append(
                Issue(
                    name,
                    line,
                    1,
                    field,
                    "given in the front matter and in the body; keep one",
                )
            )
        elif isinstance(given, str):
            data[field] = given
            positions.values[(field,)] = (line, 1)
        else:
            data[field] = [item for item, _ in given]
            positions.values[(field,)] = (line, 1)
            for index, (_, at) in enumerate(given):
                positions.values[(field, index)] = (at, 3)
    return YamlDoc(data, positions, name), order


# What an entry's front matter holds at least, for messages.
_ENTRY_EXAMPLE = {
    "work": "name: Acme",
    "volunteer": "organization: Red Cross",
    "education": "institution: KTH",
    "awards": "title: Best paper",
    "certificates": "name: AWS Solutions Architect",
    "publications": "name: On CVs",
    "skills": "name: Python",
    "languages": "language: German",
    "interests": "name: Sailing",
    "references": "name: Jane Doe",
    "projects": "name: cvgen",
}


def _entry_example(section: str, path: Path, translation: bool) -> str:
    """What the front matter of this entry file could start with, for the message: a
    translation's first translatable field (a name there must be the original's), else the
    section's naming field, valued from the file's name (`remington-rand.md`)."""
    if translation:
        from cvgen.content.overlay import TRANSLATABLE

        some = TRANSLATABLE.get(section, ())
        return f"the translated fields (such as `{some[0]}:`)" if some else "the fields"
    key = _ENTRY_EXAMPLE[section].split(":", 1)[0]
    stem = path.name.split(".", 1)[0].replace("-", " ").replace("_", " ").strip()
    value = stem.title() if stem else _ENTRY_EXAMPLE[section].split(": ", 1)[1]
    return f"the entry's fields (such as `{key}: {value}`)"


def relative_name(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_cv_file(path: Path, name: str, issues: list[Issue]) -> YamlDoc | None:
    """A CV file (YAML, or JSON by its `.json` suffix) parsed with positions; None when it
    cannot be read. Duplicate keys go to `issues` along with what validation finds."""
    try:
        text = decode_text(path.read_bytes(), name)
        if path.suffix == ".json":
            doc, duplicates = read_json(text, name)
            issues.extend(duplicates)
        else:
            doc = parse_yaml(text, name, keep_going=True)
            issues.extend(doc.issues)
    except ContentError as exc:
        issues.extend(exc.issues)
        return None
    return strip_value_controls(doc)


def without_control_characters(text: str, body: str, name: str, warnings: list[Issue]) -> str:
    """A Markdown body (the end of `text`) without invisible control characters, a warning
    locating each: they would reach the page, the PDF and resume.json unseen. (In YAML,
    front matter included, they are errors: YAML refuses them.)"""
    clean, found = strip_control_characters(text, name, len(text) - len(body))
    warnings.extend(found)
    return clean


# `key: value` as a front matter line (a Markdown line seldom starts so)
_FIELD_LINE = re.compile(r"[A-Za-z][A-Za-z0-9_]*:(\s|$)")


def split_front_matter(
    text: str, name: str, issues: list[Issue], *, example: str = "`title: Your title`"
) -> tuple[YamlDoc | None, str]:
    first_line = text.split("\n", 1)[0]
    if not _FENCE.fullmatch(first_line):
        fields = 0  # the fields written without their `---` lines, as people do
        for line in text.split("\n"):
            if not _FIELD_LINE.match(line):
                break
            fields += 1
        if fields:
            lines = "line 1" if fields == 1 else f"lines 1-{fields}"
            advice = (
                f"missing front matter: {lines} look like its fields; put a `---` line"
                " before them and another after them"
            )
        else:
            advice = (
                f"missing front matter; start the file with a `---` line, {example},"
                " and another `---` line"
            )
        issues.append(Issue(name, 1, 1, "", advice))
        return None, ""
    start = len(first_line) + 1
    end = _FRONT_MATTER_END.search(text, start)
    if end is None:
        issues.append(
            Issue(name, 1, 1, "", "front matter is not closed; add a `---` line after it")
        )
        return None, ""
    # A blank first line keeps YAML's line numbers equal to the file's.
    try:
        doc = strip_value_controls(parse_yaml("\n" + text[start : end.start()], name))
    except ContentError as exc:
        issues.extend(exc.issues)
        return None, ""
    return doc, text[end.end() :].lstrip("\n")
