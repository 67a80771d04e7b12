"""Reading a language's translation files and laying them over the default language's CV.

For `languages: [en, de]` the German CV is cv.yaml (or resume.json) overlaid with
`content/cv.de.yaml` (or `content/resume.de.json`), each `content/<section>/<stem>.md`
with `<stem>.de.md`, and each Markdown section `content/<slug>.md` with `<slug>.de.md`.
Translation files carry only translated text (see `cvgen.content.overlay` for what that
is and how entries are matched). What is not translated falls back to the default
language's text with a warning naming it; `--strict` makes those warnings errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cvgen.cldr import english_name
from cvgen.content.custom import custom_section
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
from cvgen.content.model import CV, Section
from cvgen.content.overlay import Fallback, Overlaid, overlay_entry, overlay_resume
from cvgen.content.validate import RESUME, SECTIONS, Validated
from cvgen.errors import ContentError, Issue, describe
from cvgen.markup import block_markdown
from cvgen.markup_budget import body_issue
from cvgen.settings.config import Config
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import YamlDoc, decode_text


def translate(
    config: Config,
    language: str,
    source: str,
    validated: Validated,
    sections: Sequence[Section],
    entries: Mapping[str, Sequence[EntryFile]],
    issues: list[Issue],
) -> CV:
    """The CV in `language`; problems that stop the build go to `issues`, fallbacks and
    other warnings come back as the CV's `warnings`."""
    root, folder = config.root, config.content_dir
    words = (english_name(language), english_name(config.languages[0]))
    out = Overlaid(dict(validated.resume))
    missing: list[tuple[str, str, str]] = []  # (group, translation file, original file)
    doc = _read_overlay(root, folder, source, language, out.errors)
    if doc is not None:
        # what reading found (duplicate keys, YAML tags) stays an error beside the overlay's
        read_errors = out.errors
        out = overlay_resume(validated.resume, doc, source)
        out.errors[:0] = read_errors
        out.warnings.extend(doc.warnings)
    elif not out.errors:
        missing.append(("cv", _overlay_name(source, language), source))
    resume = out.resume
    for section, files in entries.items():
        translated: list[tuple[dict[str, Any], int | None]] = []
        for entry, order, path in files:
            name = relative_name(root, path)
            over = _sibling(path, language)
            if not over.is_file():
                missing.append((section, relative_name(root, over), name))
                translated.append((entry, order))
                continue
            found: list[Issue] = []
            read = read_entry_file(
                over, section, relative_name(root, over), found, out.warnings, translation=True
            )
            out.errors.extend(found)
            if read is None:
                translated.append((entry, order))
                continue
            entry_doc, own_order = read
            if own_order is not None:
                out.errors.append(
                    entry_doc.issue(
                        ("order",),
                        f"the order is {name}'s in every language; leave `order` out here",
                        at_key=True,
                    )
                )
            spec = SECTIONS[section]
            translated.append(
                (overlay_entry(entry, entry_doc.data, spec, section, entry_doc, (), "", out), order)
            )
        resume[section] = merge_entries(resume[section], translated)
        known = {path.name.removesuffix(".md") for _, _, path in files}
        _orphans(root, folder / section, language, known, out.errors)
    own_sections = []
    for markdown in sections:
        own_sections.append(_translate_section(root, markdown, language, out, missing))
    _orphans(root, folder, language, {s.slug for s in sections}, out.errors)
    issues.extend(out.errors)
    custom = tuple(custom_section(k, v) for k, v in resume.items() if k not in RESUME.fields)
    warnings = [
        *out.warnings,
        *_fallback_warnings(out.fallbacks, *words),
        *_missing_warnings(missing, *words),
    ]
    return CV(
        resume=resume,
        sections=tuple(own_sections),
        source=source,
        custom=custom,
        warnings=tuple(sorted(warnings)),
    )


def _overlay_name(source: str, language: str) -> str:
    """`content/cv.yaml` -> `content/cv.de.yaml`."""
    stem, _, suffix = source.rpartition(".")
    return f"{stem}.{language}.{suffix}"


def _sibling(path: Path, language: str) -> Path:
    """`work/acme.md` -> `work/acme.de.md` (as the language is written, else lower case)."""
    exact = path.with_name(f"{path.stem}.{language}.md")
    lower = path.with_name(f"{path.stem}.{language.lower()}.md")
    return lower if not exact.is_file() and lower.is_file() else exact


def _read_overlay(
    root: Path, folder: Path, source: str, language: str, errors: list[Issue]
) -> YamlDoc | None:
    """`content/cv.<language>.yaml` or `content/resume.<language>.json`, parsed, or None."""
    candidates = [
        folder / f"{stem}.{tag}.{suffix}"
        for stem, suffix in (("cv", "yaml"), ("resume", "json"))
        for tag in dict.fromkeys((language, language.lower()))
    ]
    found = [path for path in candidates if path.is_file()]
    if not found:
        return None
    if len(found) > 1:
        names = " and ".join(relative_name(root, path) for path in found)
        errors.append(
            Issue(
                relative_name(root, found[-1]),
                0,
                0,
                "",
                f"{names} both translate {source}; keep one",
            )
        )
        return None
    return read_cv_file(found[0], relative_name(root, found[0]), errors)


def _translate_section(
    root: Path,
    section: Section,
    language: str,
    out: Overlaid,
    missing: list[tuple[str, str, str]],
) -> Section:
    """A Markdown section with its translation's title and body (each falls back alone)."""
    base = root / section.source
    over = _sibling(base, language)
    name = relative_name(root, over)
    if not over.is_file():
        missing.append(("sections", name, section.source))
        return section
    found: list[Issue] = []
    try:
        text = decode_text(over.read_bytes(), name).replace("\r\n", "\n")
    except ContentError as exc:
        out.errors.extend(exc.issues)
        return section
    front, body = split_front_matter(text, name, found)
    title, html = section.title, section.html
    if front is not None:
        out.warnings.extend(front.warnings)
        data = front.data if front.data is not None else {}
        if not isinstance(data, dict):
            found.append(front.issue((), "expected `title: ...` in that language"))
            data = {}
        for key in data:
            if key == "order":
                found.append(
                    front.issue(
                        (key,),
                        f"the order is {section.source}'s in every language;"
                        " leave `order` out here",
                        at_key=True,
                    )
                )
            elif key != "title":
                found.append(
                    front.issue(
                        (key,), f"unknown front matter key `{key}`; expected `title`", at_key=True
                    )
                )
        given = data.get("title")
        if isinstance(given, str) and given.strip():
            title = given.strip()
        elif given is not None:
            found.append(front.issue(("title",), f"expected text, got {describe(given)}"))
        else:
            out.fallbacks.append(Fallback(name, 1, 1, "title", "sections.title", section.title))
        too_heavy = body_issue(text, body, name)
        if too_heavy is not None:
            found.append(too_heavy)
        body = without_control_characters(text, body, name, out.warnings)
        if body.strip():
            html = block_markdown(body, heading_offset=SECTION_HEADING_OFFSET, ids=section.slug)
        else:
            out.fallbacks.append(Fallback(name, 1, 1, "body", "sections.body", section.title))
    out.errors.extend(found)
    return Section(section.slug, title, section.order, html, name)


def _orphans(root: Path, folder: Path, language: str, known: set[str], errors: list[Issue]) -> None:
    """`<stem>.<language>.md` files with no `<stem>.md` beside them translate nothing."""
    if not folder.is_dir():
        return
    for tag in dict.fromkeys((language, language.lower())):
        for path in sorted(folder.glob(f"*.{tag}.md")):
            stem = path.name.removesuffix(f".{tag}.md")
            if stem not in known and not path.with_name(stem + ".md").is_file():
                hint = did_you_mean(stem, known)
                errors.append(
                    Issue(
                        relative_name(root, path),
                        0,
                        0,
                        "",
                        f"translates {stem}.md, which is not there{hint}",
                    )
                )


def _also(count: int, what: str) -> str:
    if not count:
        return ""
    return f" (and in {count} more {what}{'s' if count > 1 else ''})"


def _fallback_warnings(fallbacks: Iterable[Fallback], language: str, default: str) -> list[Issue]:
    """One warning per kind of untranslated text (`work[].summary`) and file, the first
    entry named, the others counted, as validation folds repeated warnings."""
    groups: dict[tuple[str, str], list[Fallback]] = defaultdict(list)
    for fallback in fallbacks:
        groups[(fallback.file, fallback.group)].append(fallback)
    out = []
    for found in groups.values():
        first = found[0]
        named = f" ({first.entry})" if first.entry else ""
        more = len(found) - 1
        also = f" (and in {more} more entr{'ies' if more > 1 else 'y'})" if more else ""
        if first.group.endswith("[]"):  # the untranslated items of one list
            also = f" (and {more} more item{'s' if more > 1 else ''})" if more else ""
        out.append(
            Issue(
                first.file,
                first.line,
                first.col,
                first.field,
                f"no {language} translation{named}; the {default} text is used{also}",
            )
        )
    return out


def _missing_warnings(
    missing: Iterable[tuple[str, str, str]], language: str, default: str
) -> list[Issue]:
    """One warning per folder of files with no translation file beside them."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for group, name, original in missing:
        groups[group].append((name, original))
    out = []
    for found in groups.values():
        name, original = found[0]
        out.append(
            Issue(
                name,
                0,
                0,
                "",
                f"not found, so {original} has no {language} translation; the {default} text"
                f" is used{_also(len(found) - 1, 'file')}",
            )
        )
    return out
