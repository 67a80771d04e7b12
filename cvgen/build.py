"""`cvgen build`: the whole pipeline, one line per stage (see DESIGN.md, "The flow").

Stages (each in its own module): load config -> load + validate content -> load theme ->
render pages (pure: {output path: bytes}) -> write atomically into output/.
`cvgen serve` reuses `render_config` (its counter adjusted and the PDF made on request:
serve/preview.py) and writes into its own temporary folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from cvgen.bundle.write import write_site
from cvgen.config import CONFIG_FILE, Config, did_you_mean, load_config
from cvgen.content.load import load_content
from cvgen.content.model import CV
from cvgen.content.photo import Photo, PhotoNotShown, load_photo
from cvgen.content.variants import Selection, all_tags, select
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.render.pdf import render_pdf
from cvgen.render.site import render_site
from cvgen.render.theme import load_theme
from cvgen.site_address import publish_warning
from cvgen.variant_config import VariantConfig

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
    once, `cvgen serve` only when a browser asks. Unpacks as `config, pages = ...` too.
    """

    config: Config
    pages: dict[str, bytes]
    warnings: tuple[Issue, ...] = ()
    deferred: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.config, self.pages))


def render_pages(root: Path, *, strict: bool | None = None, variant: str | None = None) -> Rendered:
    """Every file of the site at `root`, in memory; raises ContentError / CvgenError.

    Warnings stop it only when `strict` is given (as `cvgen build` gives it) and it, or
    `build.strict` in cvgen.yaml, is true: then before the PDF is typeset. With `variant`,
    only the files of that variant, by path inside its folder.
    """
    config = load_config(root)
    if variant is not None:
        config = replace(config, variants=(variant_named(config, variant),))
    site = render_config(config)
    if site.warnings and strict is not None and (strict or site.config.build.strict):
        raise ContentError(site.warnings, note=STRICT_NOTE)
    pages, deferred = site.pages, site.deferred
    if variant is not None:
        folder = variant + "/"
        pages = {k.removeprefix(folder): v for k, v in pages.items() if k.startswith(folder)}
        deferred = {k.removeprefix(folder): v for k, v in deferred.items() if k.startswith(folder)}
    made = {name: make() for name, make in deferred.items()}
    return Rendered(site.config, dict(sorted({**pages, **made}.items())), site.warnings)


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


def render_config(config: Config, *, counter_on_loopback: bool = False) -> Rendered:
    """The site from a loaded config (`cvgen serve` adjusts its counter first), with the
    PDF deferred; `counter_on_loopback`: see `render_site`."""
    cv = load_content(config)
    photo, photo_warnings = _photo(config, cv)
    theme = load_theme(config)
    pages: dict[str, bytes] = {}
    deferred: dict[str, Callable[[], bytes]] = {}
    for folder, shown in outputs(cv, config):
        variant = folder.rstrip("/") or None
        page_config = shown_with(config, variant)
        files = render_site(
            shown,
            theme,
            page_config,
            photo,
            counter_on_loopback=counter_on_loopback,
            variant=variant,
        )
        pages.update((folder + path, data) for path, data in files.items())
        if config.pdf.enabled:
            deferred[folder + config.pdf.filename] = partial(
                render_pdf, shown, theme, page_config, photo
            )
    warnings = tuple(sorted((*cv.warnings, *photo_warnings, *variant_warnings(cv, config))))
    return Rendered(config, dict(sorted(pages.items())), warnings, deferred)


def outputs(cv: CV, config: Config) -> list[tuple[str, CV]]:
    """(folder, the CV as shown there) for every page of the site: the main page at "",
    then each of `variants:` at "<name>/". Without variants, the CV as loaded."""
    if not config.variants:
        return [("", cv)]
    return [
        ("", select(cv, Selection())),
        *((f"{v.name}/", select(cv, v.selection)) for v in config.variants),
    ]


def shown_with(config: Config, variant: str | None) -> Config:
    """The config a page and its PDF are made with: a variant's own `sections:` instead of
    the site's when it has them."""
    sections = variant_named(config, variant).sections if variant else None
    return config if sections is None else replace(config, sections=sections)


def variant_warnings(cv: CV, config: Config) -> list[Issue]:
    """A variant's `include`/`exclude` tag that no entry or highlight carries (a typo?)."""
    known = all_tags(cv)
    found = []
    for i, variant in enumerate(config.variants):
        for key in ("include", "exclude"):
            for tag in getattr(variant.selection, key):
                if tag not in known:
                    found.append(
                        Issue(
                            CONFIG_FILE,
                            *variant.spot,
                            f"variants[{i}].{key}",
                            f"no entry or highlight is tagged `{tag}`"
                            f"{did_you_mean(tag, known) if known else ''}",
                        )
                    )
    return found


def _photo(config: Config, cv: CV) -> tuple[Photo | None, tuple[Issue, ...]]:
    """The photo, or none and a warning saying why it is left out."""
    try:
        return load_photo(config, cv), ()
    except PhotoNotShown as skipped:
        return None, (Issue(cv.source, 0, 0, "basics.image", skipped.advice),)


def source_paths(config: Config) -> list[Path]:
    """What an output folder must never contain (its swap would delete them)."""
    return [config.root / CONFIG_FILE, config.content_dir, config.theme_dir]


def build(
    root: Path, dest: Path | None = None, *, strict: bool = False, variant: str | None = None
) -> BuildReport:
    """Render the site at `root` and write it atomically into `dest` (default `output/`).

    With `strict` (or `build.strict: true` in cvgen.yaml) warnings are errors: nothing is
    written and a ContentError lists them. With `variant`, only that variant is built, into
    `dest` (default `output/<variant>/`, the rest of output/ left as it is).
    """
    started = time.perf_counter()
    site = render_pages(root, strict=strict, variant=variant)
    config, pages = site.config, site.pages
    default = config.output_dir / variant if variant else config.output_dir
    output = write_site(pages, dest or default, protect=source_paths(config))
    size = sum(len(data) for data in pages.values())
    return BuildReport(
        output,
        len(pages),
        size,
        time.perf_counter() - started,
        site.warnings,
        publish_warning(config.site.url),
    )
