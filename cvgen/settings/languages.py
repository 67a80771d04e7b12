"""`languages:` in cvgen.yaml: the languages the CV is written in, the first the default.

```yaml
languages: [en, de]   # English at /, German at /de/ (from content/cv.de.yaml, work/*.de.md ...)
```

The default language's pages stay at the site's root; every other language builds to
`/<tag>/` (the tag in lower case: `pt-BR` -> `/pt-br/`). `site.language` may be left out
(it becomes the first language) or must name the first one. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cvgen.errors import Issue
from cvgen.yamldoc import YamlDoc

if TYPE_CHECKING:
    from cvgen.settings.sections import SectionsConfig
    from cvgen.settings.variants import VariantConfig

_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def language_folder(tag: str, default: str) -> str:
    """Where a language's pages sit: "" for the default, "de/" for `de`, "pt-br/" for `pt-BR`."""
    return "" if tag == default else tag.lower() + "/"


def parse_languages(
    doc: YamlDoc, raw: Any, site: dict[str, Any], issues: list[Issue]
) -> tuple[str, ...]:
    """The `languages:` list, checked; `site.language` is set to the first when left out.

    Problems go to `issues` with their positions."""
    from cvgen.cldr import (  # Babel: only when languages are set
        check_language,
        language_code,
    )

    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        issues.append(
            doc.issue(
                ("languages",),
                "expected a list of language tags, the default first, like `[en, de]`",
            )
        )
        return ()
    out: list[str] = []
    for i, tag in enumerate(raw):
        path = ("languages", i)
        if not isinstance(tag, str) or not _TAG.fullmatch(tag.strip()):
            hint = ""
            if isinstance(tag, str) and _TAG.fullmatch(tag.strip().replace("_", "-")):
                hint = f"; write `{tag.strip().replace('_', '-')}`"
            elif isinstance(tag, str) and tag.strip() and (code := language_code(tag)):
                hint = f"; write `{code}` for {tag.strip()}"
            issues.append(
                doc.issue(path, f"expected a BCP 47 language tag like `de` or `pt-BR`{hint}")
            )
            continue
        tag = tag.strip()
        problem = check_language(tag)
        if problem:
            issues.append(doc.issue(path, problem))
            continue
        if tag.lower() in (t.lower() for t in out):
            issues.append(doc.issue(path, f"`{tag}` is listed twice"))
            continue
        out.append(tag)
    if not out:
        return ()
    given = site.get("language")
    if given is None:
        site["language"] = out[0]
    elif isinstance(given, str) and given != out[0]:
        issues.append(
            doc.issue(
                ("site", "language"),
                f"`{given}`, but the first of `languages:` is `{out[0]}`; the first language"
                " is the default: make them the same, or leave `site.language` out",
            )
        )
    return tuple(out)


def folder_clashes(
    doc: YamlDoc, languages: Sequence[str], variants: Sequence[Any], issues: list[Issue]
) -> None:
    """A variant named like a language's folder (`de`) would take that language's place."""
    folders = {language_folder(t, languages[0]).rstrip("/") for t in languages[1:]}
    for i, variant in enumerate(variants):
        if variant.name in folders:
            issues.append(
                doc.issue(
                    ("variants", i, "name"),
                    f"`{variant.name}` is the folder of a language in `languages:`;"
                    " give the variant another name",
                )
            )


def _per_language(
    doc: YamlDoc,
    languages: Sequence[str],
    written: dict[str, dict[str, str]] | Any,
    at: tuple[str | int, ...],
    issues: list[Issue],
) -> str | None:
    """The default language's text of `{en: ..., de: ...}` written at `at`; a language
    outside `languages:` (or no `languages:` at all) is an error."""
    if not languages:
        issues.append(
            doc.issue(
                at, "text per language needs `languages:` in cvgen.yaml; write the text alone"
            )
        )
        return None
    for tag in written:
        if tag not in languages:
            issues.append(
                doc.issue(
                    (*at, tag),
                    f"`{tag}` is not in `languages:` ({', '.join(languages)})",
                    at_key=True,
                )
            )
    if languages[0] not in written:
        issues.append(
            doc.issue(
                at, f"no text for the default language `{languages[0]}`; add `{languages[0]}: ...`"
            )
        )
        return None
    return str(written[languages[0]])


def resolve_titles(
    doc: YamlDoc, languages: Sequence[str], sections: SectionsConfig, issues: list[Issue]
) -> SectionsConfig:
    """`sections.titles` written per language, with the default's text in `titles`."""
    return resolve_titles_at(doc, languages, sections, ("sections",), issues)


def resolve_titles_at(
    doc: YamlDoc,
    languages: Sequence[str],
    sections: SectionsConfig,
    at: tuple[str | int, ...],
    issues: list[Issue],
) -> SectionsConfig:
    """The same for the `sections:` written at `at` (a variant's holds the site's titles
    too: their mistakes are reported where they are written, once)."""
    from cvgen.yamldoc import format_path

    own = {field for _, _, _, field in sections.spots}
    titles = dict(sections.titles)
    for name, by in sections.translated_titles.items():
        where = (*at, "titles", name)
        if format_path(where) in own:
            text = _per_language(doc, languages, by, where, issues)
        else:
            text = by.get(languages[0]) if languages else None
        if text is not None:
            titles[name] = text
    return replace(sections, titles=titles)


def resolve_variant_texts(
    doc: YamlDoc, languages: Sequence[str], variants: Sequence[VariantConfig], issues: list[Issue]
) -> tuple[VariantConfig, ...]:
    """Variants whose `label` / `summary` are written per language, with the default
    language's text in their selection; a language outside `languages:` is an error."""
    out = []
    for i, variant in enumerate(variants):
        texts: dict[str, str] = {}
        for key, by in variant.translated.items():
            text = _per_language(doc, languages, by, ("variants", i, key), issues)
            if text is not None:
                texts[key] = text
        if variant.sections is not None:
            variant = replace(
                variant,
                sections=resolve_titles_at(
                    doc, languages, variant.sections, ("variants", i, "sections"), issues
                ),
            )
        selection = replace(
            variant.selection,
            label=texts.get("label", variant.selection.label),
            summary=texts.get("summary", variant.selection.summary),
        )
        out.append(replace(variant, selection=selection))
    return tuple(out)
