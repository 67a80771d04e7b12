"""Translations as overlays: `content/cv.de.yaml` carries only the translated text of cv.yaml.

An overlay has cv.yaml's shape. What it may translate is free text (`TRANSLATABLE`):
labels, summaries, positions, descriptions, highlights, skill and language names ...;
not names of people and organisations, URLs, dates, contact details or tags, which are the
same in every language. Those may still be written in an overlay, to make it readable
(`- name: Acme` above the translated `position`), but only as cv.yaml has them: a
different value is an error, so a translation that drifted onto the wrong entry is caught.

List entries are matched by `id:` (cvgen's own key, given to an entry in cv.yaml and
repeated in the overlay; never exported), else by position: the overlay's first `work`
entry translates cv.yaml's first. `- {}` (or `-`) skips an entry. What the overlay leaves
out falls back to the default language's text, and is reported (`Fallback`) so the build
can warn about it. Custom top-level sections (`talks:`) are replaced as a whole.

Pure: data and positions in, the translated resume and every problem out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cvgen.content.validate import (
    BASICS,
    RESUME,
    SECTIONS,
    Obj,
    check_fields,
    v1_name,
)
from cvgen.content.variants import highlight_tags
from cvgen.errors import Issue, describe
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import Path_, YamlDoc, format_path

ID_KEY = "id"
# Free text, per object: what a language version may say differently.
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "basics": ("label", "summary"),
    "work": ("position", "location", "description", "summary", "highlights"),
    "volunteer": ("position", "summary", "highlights"),
    "education": ("area", "studyType", "courses"),
    "awards": ("title", "summary"),
    "certificates": (),
    "publications": ("summary",),
    "skills": ("name", "level", "keywords"),
    "languages": ("language", "fluency"),
    "interests": ("name", "keywords"),
    "references": ("reference",),
    "projects": ("description", "highlights", "roles", "type"),
}
# Translatable, but leaving them out is no gap: a skill's keywords are mostly names (Python,
# Kubernetes), the same in every language, so the original's stand without a warning.
SAME_UNLESS_TRANSLATED: dict[str, tuple[str, ...]] = {"skills": ("keywords",)}
# The field that names an entry in messages ("work[1].summary (Acme)").
_NAMING = ("name", "organization", "institution", "title", "language", "position")


@dataclass(frozen=True)
class Fallback:
    """A text the overlay does not translate: `where` is the overlay's spot for it."""

    file: str
    line: int
    col: int
    field: str  # "work[1].summary", or "summary" in an entry's own file
    group: str  # "work[].summary": fallbacks of one group are reported together
    entry: str  # what names the entry ("Acme"), or ""


@dataclass
class Overlaid:
    resume: dict[str, Any]
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)


def entry_name(entry: Mapping[str, Any]) -> str:
    for key in _NAMING:
        if isinstance(entry.get(key), str) and entry[key].strip():
            return str(entry[key]).strip()
    return ""


def overlay_resume(base: Mapping[str, Any], doc: YamlDoc, base_file: str) -> Overlaid:
    """`base` (a validated resume) with the translations of `doc` (an overlay) laid over it."""
    out = Overlaid(dict(base))
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        out.errors.append(
            doc.issue((), f"expected the translated fields of {base_file}, like `basics:`")
        )
        return out
    for key, value in data.items():
        if key == "basics":
            continue
        if key in SECTIONS:
            continue
        if key in base and key not in RESUME.fields:
            out.resume[key] = value  # a custom section: replaced as a whole
            continue
        customs = [k for k in base if k not in RESUME.fields]
        out.errors.append(
            doc.issue(
                (key,),
                f"no section `{key}` in {base_file} to translate"
                + did_you_mean(key, [*TRANSLATABLE, *customs]),
                at_key=True,
            )
        )
    translated = overlay_entry(
        base["basics"], data.get("basics"), BASICS, "basics", doc, ("basics",), "basics", out
    )
    out.resume["basics"] = translated
    for section, spec in SECTIONS.items():
        out.resume[section] = _overlay_list(
            base.get(section) or [], data.get(section), spec, section, doc, base_file, out
        )
    for key in base:
        if key not in RESUME.fields and key not in data:
            out.fallbacks.append(Fallback(doc.file, 0, 0, key, key, ""))
    return out


def _overlay_list(
    base: Sequence[Any],
    given: Any,
    spec: Obj,
    section: str,
    doc: YamlDoc,
    base_file: str,
    out: Overlaid,
) -> list[Any]:
    matched: dict[int, tuple[Any, Path_]] = {}
    if given is not None and not isinstance(given, list):
        out.errors.append(
            doc.issue((section,), f"expected a list like {base_file}'s, got {describe(given)}")
        )
        given = None
    ids: dict[str, list[int]] = {}
    for index, entry in enumerate(base):
        if isinstance(entry, dict) and isinstance(entry.get(ID_KEY), str | int):
            ids.setdefault(str(entry[ID_KEY]), []).append(index)
    for position, item in enumerate(given or []):
        path: Path_ = (section, position)
        if item is None or item == {}:
            continue
        if not isinstance(item, dict):
            out.errors.append(
                doc.issue(path, f"expected the entry's translated fields, got {describe(item)}")
            )
            continue
        if ID_KEY in item:
            key = str(item[ID_KEY])
            found = ids.get(key, [])
            if not found:
                out.errors.append(
                    doc.issue(
                        (*path, ID_KEY),
                        f"no {section} entry in {base_file} has `id: {key}`"
                        + did_you_mean(key, ids),
                    )
                )
                continue
            if len(found) > 1:
                out.errors.append(
                    doc.issue(
                        (*path, ID_KEY),
                        f"{len(found)} {section} entries in {base_file} have `id: {key}`;"
                        " give each its own",
                    )
                )
                continue
            index = found[0]
        else:
            index = position
            if index >= len(base):
                out.errors.append(
                    doc.issue(
                        path,
                        f"{base_file} has {len(base)} {section} entr"
                        f"{'y' if len(base) == 1 else 'ies'}, so this one translates none;"
                        " give it the `id:` of the entry it translates, or remove it",
                    )
                )
                continue
        if index in matched:
            out.errors.append(
                doc.issue(
                    path,
                    f"translates the same entry as {format_path(matched[index][1])}"
                    f" ({entry_name(base[index]) or section}); remove one of them",
                )
            )
            continue
        matched[index] = (item, path)
    result = []
    for index, entry in enumerate(base):
        if not isinstance(entry, dict):
            result.append(entry)
            continue
        item, path = matched.get(index, (None, (section,)))
        label = f"{section}[{index}]"
        result.append(overlay_entry(entry, item, spec, section, doc, path, label, out))
    return result


def overlay_entry(
    base: Mapping[str, Any],
    given: Any,
    spec: Obj,
    section: str,
    doc: YamlDoc,
    path: Path_,
    label: str,
    out: Overlaid,
) -> dict[str, Any]:
    """One entry (or `basics`) with the translated fields of `given` (at `path` in `doc`).

    `label` names the entry in fallback warnings (`work[1]`; "" in an entry's own file)."""
    translatable = TRANSLATABLE[section]
    entry = dict(base)
    if given is not None and not isinstance(given, dict):
        out.errors.append(doc.issue(path, f"expected the translated fields, got {describe(given)}"))
        given = None
    given = given or {}
    checked = check_fields(doc, given, spec, path)
    out.errors.extend(checked.errors)
    out.warnings.extend(checked.warnings)
    name = entry_name(base)
    for written, value in given.items():
        where = (*path, written)
        if written == ID_KEY and section != "basics":
            continue
        key = v1_name(written, given, spec)  # `company: Acme` repeats the original's `name`
        if key in translatable:
            if key in checked.resume:
                text = _keep_tags(base.get(key), checked.resume[key], key)
                original = base.get(key)
                if isinstance(original, list) and isinstance(text, list):
                    # a shorter list translates the first items: the rest are not lost
                    field_name = f"{label}.{key}" if label else key
                    for index in range(len(text), len(original)):
                        out.fallbacks.append(
                            Fallback(
                                doc.file,
                                *doc.positions.of(where),
                                f"{field_name}[{index}]",
                                f"{field_name}[]",
                                name,
                            )
                        )
                    text = [*text, *original[len(text) :]]
                entry[key] = text
            continue
        known = key in spec.fields or key in base
        if not known:
            out.errors.append(
                doc.issue(
                    where,
                    f"unknown field{did_you_mean(key, translatable)}"
                    if translatable
                    else f"unknown field; {section} entries have no text to translate",
                    at_key=True,
                )
            )
            continue
        value = checked.resume.get(key, value) if key in spec.fields else value
        if value != base.get(key):
            shown = describe(base[key]) if key in base else "nothing"
            out.errors.append(
                doc.issue(
                    where,
                    f"`{written}` is the same in every language (names, URLs, dates and tags"
                    f" are not translated); the original has {shown}: write that, or leave"
                    f" `{written}` out here",
                    at_key=True,
                )
            )
    # the translated entry, else its section's key (`work:`), else the file itself
    at = doc.positions.of(path) if given else doc.positions.keys.get(path, (0, 0))
    for key in translatable:
        if key in SAME_UNLESS_TRANSLATED.get(section, ()):
            continue
        if base.get(key) and key not in checked.resume:
            where_field = f"{label}.{key}" if label else key
            group = f"{section}[].{key}" if label and label != "basics" else where_field
            out.fallbacks.append(Fallback(doc.file, *at, where_field, group, name))
    return entry


def _keep_tags(original: Any, translated: Any, key: str) -> Any:
    """A translated highlight without `#tags` keeps those of the original at its position,
    so variants choose the same highlights in every language."""
    if key != "highlights" or not isinstance(original, list) or not isinstance(translated, list):
        return translated
    out = []
    for index, text in enumerate(translated):
        if isinstance(text, str) and index < len(original) and isinstance(original[index], str):
            tags = highlight_tags(original[index])[1]
            if tags and not highlight_tags(text)[1]:
                text = text + " " + " ".join(f"#{tag}" for tag in tags)
        out.append(text)
    return out
