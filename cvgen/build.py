"""`cvgen build`: the whole pipeline, one line per stage (see DESIGN.md, "The flow").

Stages (each in its own module): load config -> load + validate content -> load theme ->
render pages (pure: {output path: bytes}) -> write atomically into output/.
`cvgen serve` reuses `render_config` (its counter adjusted and the PDF made on request:
serve/preview.py) and writes into its own temporary folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from cvgen.bundle.folders import place, to_root
from cvgen.bundle.write import check_destination, write_site
from cvgen.cldr import english_name
from cvgen.content.applications import Application, load_applications
from cvgen.content.load import load_content
from cvgen.content.model import CV
from cvgen.content.photo import Photo, PhotoNotShown, load_photo
from cvgen.content.tag_comments import site_tag_comments
from cvgen.content.variants import all_tags, select
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.render.letter import render_letter_pdf
from cvgen.render.outputs import MAKERS
from cvgen.render.shown import show
from cvgen.render.site import LETTER_PDF, page_folder, render_site
from cvgen.render.theme import load_theme
from cvgen.settings.config import CONFIG_FILE, Config, load_config
from cvgen.settings.sections import SectionsConfig
from cvgen.settings.variants import Selection, VariantConfig
from cvgen.site_address import publish_warning
from cvgen.suggestions import did_you_mean

STRICT_NOTE = " (warnings are errors with --strict or `build.strict: true`)"


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    bytes: int
    seconds: float
    warnings: tuple[Issue, ...] = ()
    address_warning: str | None = None  # site.url is a stand-in (see site_address.py)


@dataclass(frozen=True)
class Rendered:
    """A site in memory: its config, its pages, and the warnings its content gave.

    `deferred` holds files made only when called (the PDF): `render_pages` makes them at
    once, `cvgen serve` only when a browser asks; what making them warns about is added to
    `late_warnings` as they are made. Unpacks as `config, pages = ...` too.
    """

    config: Config
    pages: dict[str, bytes]
    warnings: tuple[Issue, ...] = ()
    deferred: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)
    late_warnings: list[Issue] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.config, self.pages))


def render_pages(
    root: Path,
    *,
    strict: bool | None = None,
    variant: str | None = None,
    language: str | None = None,
) -> Rendered:
    """Every file of the site at `root`, in memory; raises ContentError / CvgenError.

    Warnings stop it only when `strict` is given (as `cvgen build` gives it) and it, or
    `build.strict` in cvgen.yaml, is true: then before the PDF is typeset. With `variant`
    and/or `language`, only the files of that page's folder (`backend/`, `de/`,
    `de/backend/`), by path inside it; `language` alone: that language's pages and its
    variants'.
    """
    config = load_config(root)
    if variant is not None:
        config = replace(config, variants=(variant_named(config, variant),))
    if language is not None:
        language = language_named(config, language)
    folder = output_folder(config, variant, language)
    # a folder built alone holds its own assets/
    site = render_config(config, language=language, assets_root=folder)
    if site.warnings and strict is not None and (strict or site.config.build.strict):
        raise ContentError(site.warnings, note=STRICT_NOTE)
    pages, deferred = site.pages, site.deferred
    if folder:
        pages = {k.removeprefix(folder): v for k, v in pages.items() if k.startswith(folder)}
        deferred = {k.removeprefix(folder): v for k, v in deferred.items() if k.startswith(folder)}
    made = {name: make() for name, make in deferred.items()}
    # the PDFs' typesetting's too, once each (every page's PDF comes from one template)
    warnings = tuple(sorted({*site.warnings, *site.late_warnings}))
    if site.late_warnings and strict is not None and (strict or site.config.build.strict):
        raise ContentError(warnings, note=STRICT_NOTE)
    return Rendered(site.config, dict(sorted({**pages, **made}.items())), warnings)


def output_folder(config: Config, variant: str | None, language: str | None) -> str:
    """The folder `--variant` / `--language` build: "" (the whole site), "backend/", "de/" ..."""
    if language is None:
        return page_folder(config, variant) if variant else ""
    return page_folder(replace(config, site=replace(config.site, language=language)), variant)


def language_named(config: Config, tag: str) -> str:
    for language in config.languages:
        if language.lower() == tag.lower():
            return language
    if not config.languages:
        raise CvgenError(f"--language {tag}: {CONFIG_FILE} has no `languages:`")
    raise CvgenError(
        f"--language {tag}: not in `languages:` in {CONFIG_FILE}"
        f"{did_you_mean(tag, config.languages)}"
    )


def variant_named(config: Config, name: str) -> VariantConfig:
    for variant in config.variants:
        if variant.name == name:
            return variant
    names = [v.name for v in config.variants]
    if not names:
        raise CvgenError(f"--variant {name}: {CONFIG_FILE} has no `variants:`")
    raise CvgenError(
        f"--variant {name}: no such variant in {CONFIG_FILE}{did_you_mean(name, names)}"
    )


def render_config(
    config: Config,
    *,
    counter_on_loopback: bool = False,
    language: str | None = None,
    assets_root: str = "",
) -> Rendered:
    """The site from a loaded config (`cvgen serve` adjusts its counter first), with the
    PDF deferred; `counter_on_loopback`: see `render_site`. With `language`, only that
    language's pages (every language is still loaded and checked). Every page's assets sit
    once in `assets_root`'s assets/: the site's root, or the folder a partial build writes
    (`cvgen build --variant/--language`; see `cvgen.bundle.folders`)."""
    cv = load_content(config)
    empty = empty_variants(cv, config)
    if empty:
        raise ContentError(empty)
    cvs = (cv, *cv.translations)
    photo, photo_warnings = _photo(config, cvs[0])
    theme = load_theme(config)
    pages: dict[str, bytes] = {}
    deferred: dict[str, Callable[[], bytes]] = {}
    late: list[Issue] = []  # what typesetting a PDF warns about, as each is made
    shown_pages = outputs(cvs, config)
    # each page, then each application in its folder with its own assets/ (a frozen
    # application keeps working whatever the site's assets become)
    targets: list[tuple[str, Output, Application | None, str]]
    targets = [(page.folder, page, None, assets_root) for page in shown_pages]
    for sent in load_applications(config):
        targets.append((sent.folder, application_page(shown_pages, sent), sent, sent.folder))
    for folder, page, application, assets in targets:
        if language is not None and page.config.site.language != language:
            continue
        # once per page, for every output; public pages without `privacy.public_hide`'s
        # fields, an application's with the full CV
        hide = () if application else config.privacy.public_hide
        shown = show(page.cv, page.config, theme, hide)
        files = render_site(
            page.cv,
            theme,
            page.config,
            photo,
            counter_on_loopback=counter_on_loopback,
            variant=page.variant,
            assets_at=to_root(folder, assets),
            shown=shown,
            application=application,
        )
        pages.update(place(folder, files, assets))
        for kind, name in config.downloads.items():
            maker = MAKERS[kind]
            deferred[folder + name] = partial(maker, shown, theme, page.config, photo, late)
        if config.pdf.enabled and application and application.letter:
            deferred[folder + LETTER_PDF] = partial(
                render_letter_pdf, application, shown, theme, page.config, photo, warnings=late
            )
    warnings = tuple(
        sorted(
            {
                *(w for cv in cvs for w in cv.warnings),
                *photo_warnings,
                *variant_warnings(cvs[0], config),
                *(site_tag_comments(config, cvs[0].source) if config.variants else ()),
            }
        )
    )
    return Rendered(config, dict(sorted(pages.items())), warnings, deferred, late)


@dataclass(frozen=True)
class Output:
    """One page of the site: where it goes, the config it is rendered with (`site.language`
    its language), its variant (None: the main page) and the CV as it shows it."""

    folder: str  # "", "backend/", "de/", "de/backend/"
    config: Config
    variant: str | None
    cv: CV


def outputs(cvs: Sequence[CV], config: Config) -> list[Output]:
    """Every page of the site: for each language (the CV and its `translations`, the default
    first), its main page, then each of `variants:`. Without variants, the CV as loaded."""
    out = []
    for language, cv in zip(config.languages or (config.site.language,), cvs, strict=True):
        own = replace(
            config,
            site=replace(config.site, language=language),
            sections=config.sections.in_language(language),
        )
        folder = page_folder(own)
        if not config.variants:
            out.append(Output(folder, own, None, cv))
            continue
        out.append(Output(folder, own, None, select(cv, Selection())))
        for v in config.variants:
            shown = shown_with(own, v.name)
            shown = replace(shown, sections=shown.sections.in_language(language))
            selection = v.texts_in(language)
            out.append(Output(page_folder(own, v.name), shown, v.name, select(cv, selection)))
    return out


def application_page(pages: Sequence[Output], application: Application) -> Output:
    """The page an application shows: its language's (the default when it names none), its
    variant's (the main page when it names none)."""
    language = application.language or pages[0].config.site.language
    for page in pages:
        if page.config.site.language == language and page.variant == application.variant:
            return page
    raise AssertionError(f"{application.source}: checked against variants and languages")


def shown_with(config: Config, variant: str | None) -> Config:
    """The config a page and its PDF are made with: a variant's own `sections:` and
    `pdf.pages` instead of the site's when it has them."""
    if not variant:
        return config
    own = variant_named(config, variant)
    if own.pages is not None:
        at = f"variants[{config.variants.index(own)}].pdf.pages"
        pdf = replace(config.pdf, pages=own.pages, pages_spot=own.pages_spot, pages_at=at)
        config = replace(config, pdf=pdf)
    return config if own.sections is None else replace(config, sections=own.sections)


def empty_variants(cv: CV, config: Config) -> list[Issue]:
    """A variant whose `include:` names only tags no entry or highlight carries: it would
    publish the untagged rest and nothing it was made for, with exit 0. An error, where a
    single unknown tag beside known ones stays a warning (`variant_warnings`)."""
    known = all_tags(cv)
    found = []
    for i, variant in enumerate(config.variants):
        include = variant.selection.include
        if include and not set(include) & known:
            tags = ", ".join(f"`{tag}`" for tag in include)
            hint = did_you_mean(include[0], known) if known else ""
            found.append(
                Issue(
                    CONFIG_FILE,
                    *variant.spot,
                    f"variants[{i}].include",
                    f"no entry or highlight is tagged {tags}, so `{variant.name}` would show"
                    f" only what is untagged{hint}"
                    + ("" if known else "; tag entries with `tags: [...]` first"),
                )
            )
    return found


def variant_warnings(cv: CV, config: Config) -> list[Issue]:
    """A variant's `include`/`exclude` tag that no entry or highlight carries (a typo?), and
    its `label` / `summary` with no text in some of the site's languages."""
    known = all_tags(cv)
    found = title_warnings(config)
    for i, variant in enumerate(config.variants):
        for key in ("label", "summary"):
            written = variant.translated.get(key, {})
            if getattr(variant.selection, key) is None or not config.languages[1:]:
                continue
            missing = [tag for tag in config.languages[1:] if tag not in written]
            if missing:
                names = ", ".join(english_name(tag) for tag in missing)
                found.append(
                    Issue(
                        CONFIG_FILE,
                        *variant.text_spots.get(key, variant.spot),
                        f"variants[{i}].{key}",
                        f"no {names} text; the {english_name(config.languages[0])} one is used"
                        f" on every language's page (write `{key}: {{{config.languages[0]}:"
                        f" ..., {missing[0]}: ...}}`)",
                    )
                )
        for key in ("include", "exclude"):
            for tag in getattr(variant.selection, key):
                if tag not in known:
                    found.append(
                        Issue(
                            CONFIG_FILE,
                            *variant.spot,
                            f"variants[{i}].{key}",
                            f"no entry or highlight is tagged `{tag}`{did_you_mean(tag, known)}",
                        )
                    )
    return found


def title_warnings(config: Config) -> list[Issue]:
    """On a site in several languages, `sections.titles` (the site's or a variant's) with no
    text in some language: the default language's shows on that language's pages."""
    others = config.languages[1:]
    if not others:
        return []
    found = []
    written: list[tuple[SectionsConfig | None, str]] = [(config.sections, "sections")]
    written += [(v.sections, f"variants[{i}].sections") for i, v in enumerate(config.variants)]
    for sections, at in written:
        if sections is None:
            continue
        for name, line, col, where in sections.spots:
            if where != f"{at}.titles.{name}":
                continue
            missing = [t for t in others if t not in sections.translated_titles.get(name, {})]
            if missing:
                names = ", ".join(english_name(tag) for tag in missing)
                found.append(
                    Issue(
                        CONFIG_FILE,
                        line,
                        col,
                        where,
                        f"no {names} title; the {english_name(config.languages[0])} one is used"
                        f" on every language's page (write `{name}: {{{config.languages[0]}:"
                        f" ..., {missing[0]}: ...}}`)",
                    )
                )
    return found


def _photo(config: Config, cv: CV) -> tuple[Photo | None, tuple[Issue, ...]]:
    """The photo (warned about when heavy), or none and a warning saying why it is left out."""
    warnings: list[Issue] = []
    try:
        return load_photo(config, cv, warnings), tuple(warnings)
    except PhotoNotShown as skipped:
        return None, (skipped.issue,)


def source_paths(config: Config) -> list[Path]:
    """What an output folder must never contain (its swap would delete them)."""
    return [config.root / CONFIG_FILE, config.content_dir, config.theme_dir]


def build(
    root: Path,
    dest: Path | None = None,
    *,
    strict: bool = False,
    variant: str | None = None,
    language: str | None = None,
) -> BuildReport:
    """Render the site at `root` and write it atomically into `dest` (default `output/`).

    With `strict` (or `build.strict: true` in cvgen.yaml) warnings are errors: nothing is
    written and a ContentError lists them. With `variant` and/or `language`, only that
    variant / language is built, into `dest` (default its folder in output/: `backend/`,
    `de/`, `de/backend/`, the rest of output/ left as it is).
    """
    started = time.perf_counter()
    if dest is not None:  # refuse a wrong --output before anything is typeset or cached
        settings = load_config(root)
        check_destination(dest, source_paths(settings), settings.output_dir)
    site = render_pages(root, strict=strict, variant=variant, language=language)
    config, pages = site.config, site.pages
    default = config.output_dir / output_folder(config, variant, language)
    output = write_site(pages, dest or default, protect=source_paths(config), own=config.output_dir)
    size = sum(len(data) for data in pages.values())
    return BuildReport(
        output,
        len(pages),
        size,
        time.perf_counter() - started,
        site.warnings,
        publish_warning(config.site.url),
    )
