"""`variants:` in cvgen.yaml: tailored versions of the CV, each built to `/<name>/`.

```yaml
variants:
  - name: backend            # the folder: /backend/ (lowercase letters, digits, hyphens)
    include: [backend, cloud]  # entries/highlights tagged so, plus everything untagged
    exclude: [frontend]
    label: Backend Engineer  # overrides basics.label; on a site in several languages,
    summary: Builds APIs ...  # overrides basics.summary;  `{en: ..., de: ...}` per language
    sitemap: false           # listed in sitemap.xml (default: no; the pages are noindex)
    sections:                # like the top-level `sections:`, for this variant's page and PDF
      order: [projects, work]  # `order` / `hide` replace the site's, `titles` add to them
    pdf:
      pages: 1               # this variant's PDF page budget, instead of `pdf.pages`
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from cvgen.errors import Issue
from cvgen.settings.pages import check_pages
from cvgen.settings.sections import variant_sections
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import YamlDoc

if TYPE_CHECKING:
    from cvgen.settings.sections import SectionsConfig

_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
# Names a variant folder must not take: they are the site's own files and folders.
RESERVED = frozenset({"assets", "api", "404", "index", "sitemap", "robots"})
_KEYS = ("name", "include", "exclude", "label", "summary", "sitemap", "sections", "pdf")
_PDF_KEYS = ("pages",)


@dataclass(frozen=True)
class Selection:
    """What a variant keeps, and what it says differently (None: as the CV says)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    label: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class VariantConfig:
    name: str
    selection: Selection = Selection()
    sitemap: bool = False
    spot: tuple[int, int] = (0, 0)  # where it is written, for warnings about its tags
    sections: SectionsConfig | None = None  # its own `sections:` over the site's; None: the site's
    # `label` / `summary` written per language (`{en: ..., de: ...}`): field -> language -> text;
    # `selection` holds the default language's (see `cvgen.settings.languages.resolve_variant_texts`)
    translated: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    text_spots: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # its own `pdf.pages` (page budget) and where that is written; None: the site's
    pages: int | None = None
    pages_spot: tuple[int, int] = (0, 0)

    def texts_in(self, language: str) -> Selection:
        """The selection with `label` / `summary` in `language` (the default's when it has none)."""
        label, summary = (self.translated.get(key, {}) for key in ("label", "summary"))
        return replace(
            self.selection,
            label=label.get(language, self.selection.label),
            summary=summary.get(language, self.selection.summary),
        )


def parse_variants(
    doc: YamlDoc, raw: Any, issues: list[Issue], sections: SectionsConfig
) -> tuple[VariantConfig, ...]:
    """The `variants:` list, checked; problems go to `issues` with their positions.
    `sections`: the site's own `sections:`, which a variant's `sections:` is laid over."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        issues.append(doc.issue(("variants",), "expected a list of variants, each `- name: ...`"))
        return ()
    out: list[VariantConfig] = []
    names: set[str] = set()
    for i, item in enumerate(raw):
        path = ("variants", i)
        if not isinstance(item, dict):
            issues.append(
                doc.issue(path, "expected a mapping like `{name: backend, include: [backend]}`")
            )
            continue
        for key in item:
            if key not in _KEYS:
                issues.append(
                    doc.issue(
                        (*path, key), f"unknown setting{did_you_mean(key, _KEYS)}", at_key=True
                    )
                )
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name in RESERVED:
            issues.append(
                doc.issue(
                    (*path, "name") if "name" in item else path,
                    "expected a name for the variant's folder: lowercase letters, digits and"
                    f" hyphens, not {', '.join(sorted(RESERVED))} (e.g. `backend`), got {name!r}",
                )
            )
            continue
        if name in names:
            issues.append(doc.issue((*path, "name"), f"`{name}` names two variants"))
            continue
        names.add(name)
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("include", "exclude"):
            value = item.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                issues.append(doc.issue((*path, key), f"expected a list of names, got {value!r}"))
                value = []
            lists[key] = tuple(v.strip().lower() if key != "order" else v.strip() for v in value)
        texts: dict[str, str | None] = {}
        translated: dict[str, dict[str, str]] = {}
        for key in ("label", "summary"):
            value = item.get(key)
            if isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
            ):
                translated[key] = {k: v.strip() for k, v in value.items()}
                value = None
            elif value is not None and not isinstance(value, str):
                issues.append(
                    doc.issue(
                        (*path, key),
                        f"expected text, or text per language like `{{en: ..., de: ...}}`,"
                        f" got {value!r}",
                    )
                )
                value = None
            texts[key] = value.strip() if isinstance(value, str) else None
        sitemap = item.get("sitemap", False)
        if not isinstance(sitemap, bool):
            issues.append(doc.issue((*path, "sitemap"), f"expected true or false, got {sitemap!r}"))
            sitemap = False
        pages = _pdf_pages(doc, item.get("pdf"), (*path, "pdf"), issues)
        out.append(
            VariantConfig(
                name=name,
                selection=Selection(
                    include=lists["include"],
                    exclude=lists["exclude"],
                    label=texts["label"],
                    summary=texts["summary"],
                ),
                sitemap=sitemap,
                spot=doc.positions.of(path),
                translated=translated,
                text_spots={
                    key: doc.positions.of((*path, key))
                    for key in ("label", "summary")
                    if key in item
                },
                sections=variant_sections(
                    doc, item.get("sections"), (*path, "sections"), sections, issues
                ),
                pages=pages,
                pages_spot=doc.positions.of((*path, "pdf", "pages")) if pages else (0, 0),
            )
        )
    return tuple(out)


def _pdf_pages(
    doc: YamlDoc,
    raw: Any,
    path: tuple[str | int, ...],
    issues: list[Issue],
) -> int | None:
    """A variant's `pdf: {pages: N}`: its page budget, or None (the site's)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        issues.append(doc.issue(path, f"expected a mapping like `{{pages: 1}}`, got {raw!r}"))
        return None
    for key in raw:
        if key not in _PDF_KEYS:
            issues.append(
                doc.issue(
                    (*path, key), f"unknown setting{did_you_mean(key, _PDF_KEYS)}", at_key=True
                )
            )
    problem = check_pages(doc, (*path, "pages"), raw.get("pages"))
    if problem:
        issues.append(problem)
        return None
    pages = raw.get("pages")
    return pages if isinstance(pages, int) else None
