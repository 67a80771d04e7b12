"""`sections:` in cvgen.yaml (and in a variant): which sections come first, what they are
called, which hide. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cvgen.errors import Issue
from cvgen.settings.schema import check_keys, type_message
from cvgen.yamldoc import Path_, YamlDoc, format_path

SECTIONS_SCHEMA: dict[str, tuple[type, ...]] = {
    "order": (list,),
    "titles": (dict,),
    "hide": (list,),
}


@dataclass(frozen=True)
class SectionsConfig:
    """`sections:` in cvgen.yaml: which sections come first, what they are called, which hide.

    Names are section keys: JSON Resume ones (`work`, `skills` ...), custom top-level ones,
    and Markdown sections by file stem (`about` for content/about.md). Whether a name exists
    is known only with the content, so rendering checks them, using `spots` for positions.
    """

    order: tuple[str, ...] = ()  # these first, in this order; the rest keep their places after
    titles: Mapping[str, str] = field(default_factory=dict)
    hide: tuple[str, ...] = ()
    # (name, line, col, field path) for every name written, so an unknown one can be shown
    spots: tuple[tuple[str, int, int, str], ...] = ()
    # titles written per language (`work: {en: Experience, de: Werdegang}`): name -> language
    # -> text; `titles` holds the default language's (`cvgen.settings.languages.resolve_titles`)
    translated_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def in_language(self, language: str) -> SectionsConfig:
        """These settings with the titles written for `language` (the default's otherwise)."""
        own = {name: by[language] for name, by in self.translated_titles.items() if language in by}
        return replace(self, titles={**self.titles, **own}) if own else self


def parse_sections(
    doc: YamlDoc, raw: Mapping[str, Any], issues: list[Issue], at: Path_ = ("sections",)
) -> SectionsConfig:
    """`sections.order` / `hide` (lists of names) and `titles` (name: text), names checked
    for shape here and for existence at render time (see `SectionsConfig.spots`). `at`: where
    the mapping sits (the top level's, or a variant's)."""
    spots: list[tuple[str, int, int, str]] = []
    lists: dict[str, list[str]] = {"order": [], "hide": []}
    for key in lists:
        entries = raw.get(key)
        for i, name in enumerate(entries if isinstance(entries, list) else []):
            path: Path_ = (*at, key, i)
            if not isinstance(name, str) or not name.strip():
                issues.append(
                    doc.issue(path, f"expected a section name like `work` or `about`, got {name!r}")
                )
            elif name in lists[key]:
                issues.append(doc.issue(path, f"`{name}` is listed twice"))
            else:
                lists[key].append(name)
                line, col = doc.positions.of(path)
                spots.append((name, line, col, format_path(path)))
    titles: dict[str, str] = {}
    translated: dict[str, dict[str, str]] = {}
    named = raw.get("titles")
    for name, title in (named if isinstance(named, dict) else {}).items():
        path = (*at, "titles", name)
        if not isinstance(name, str) or not name.strip():
            issues.append(doc.issue(path, "expected a section name", at_key=True))
        elif isinstance(title, dict) and all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in title.items()
        ):
            translated[name] = {k: v.strip() for k, v in title.items()}
            line, col = doc.positions.key(path)
            spots.append((name, line, col, format_path(path)))
        elif not isinstance(title, str) or not title.strip():
            issues.append(
                doc.issue(
                    path,
                    "expected the title as text, or text per language like"
                    f" `{{en: ..., de: ...}}`, got {title!r}",
                )
            )
        else:
            titles[name] = title.strip()
            line, col = doc.positions.key(path)
            spots.append((name, line, col, format_path(path)))
    for name in set(lists["order"]) & set(lists["hide"]):
        i = lists["hide"].index(name)
        issues.append(
            doc.issue(
                (*at, "hide", i),
                f"`{name}` is both in `order` and in `hide`; remove it from one of them",
            )
        )
    return SectionsConfig(
        order=tuple(lists["order"]),
        titles=titles,
        hide=tuple(lists["hide"]),
        spots=tuple(spots),
        translated_titles=translated,
    )


def variant_sections(
    doc: YamlDoc, raw: Any, at: Path_, base: SectionsConfig, issues: list[Issue]
) -> SectionsConfig | None:
    """A variant's own `sections:` (same shape as the top-level one) laid over the site's:
    its `order` and `hide` replace the site's, its `titles` add to them. None: it has none."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        issues.append(doc.issue(at, type_message(raw, (dict,))))
        return None
    schema = SECTIONS_SCHEMA
    issues += check_keys(doc, at, raw, schema)
    own = parse_sections(doc, {k: v for k, v in raw.items() if k in schema}, issues, at)
    return SectionsConfig(
        order=own.order if "order" in raw else base.order,
        titles={**base.titles, **own.titles},
        hide=own.hide if "hide" in raw else base.hide,
        spots=(*base.spots, *own.spots),
        translated_titles={
            **{k: v for k, v in base.translated_titles.items() if k not in own.titles},
            **own.translated_titles,
        },
    )
