"""`cvgen build`: the whole pipeline, one line per stage (see DESIGN.md, "The flow").

Stages (each in its own module): load config -> load + validate content -> load theme ->
render pages (pure: {output path: bytes}) -> write atomically into output/.
`cvgen serve` reuses `render_config` (its counter adjusted and the PDF made on request:
serve/preview.py) and writes into its own temporary folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from cvgen.bundle.write import write_site
from cvgen.config import CONFIG_FILE, Config, load_config
from cvgen.content.load import load_content
from cvgen.content.model import CV
from cvgen.content.photo import Photo, PhotoNotShown, load_photo
from cvgen.errors import ContentError, Issue
from cvgen.render.pdf import render_pdf
from cvgen.render.site import render_site
from cvgen.render.theme import load_theme
from cvgen.site_address import publish_warning

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


def render_pages(root: Path, *, strict: bool | None = None) -> Rendered:
    """Every file of the site at `root`, in memory; raises ContentError / CvgenError.

    Warnings stop it only when `strict` is given (as `cvgen build` gives it) and it, or
    `build.strict` in cvgen.yaml, is true: then before the PDF is typeset.
    """
    site = render_config(load_config(root))
    if site.warnings and strict is not None and (strict or site.config.build.strict):
        raise ContentError(site.warnings, note=STRICT_NOTE)
    made = {name: make() for name, make in site.deferred.items()}
    return Rendered(site.config, dict(sorted({**site.pages, **made}.items())), site.warnings)


def render_config(config: Config, *, counter_on_loopback: bool = False) -> Rendered:
    """The site from a loaded config (`cvgen serve` adjusts its counter first), with the
    PDF deferred; `counter_on_loopback`: see `render_site`."""
    cv = load_content(config)
    photo, photo_warnings = _photo(config, cv)
    theme = load_theme(config)
    pages = render_site(cv, theme, config, photo, counter_on_loopback=counter_on_loopback)
    deferred: dict[str, Callable[[], bytes]] = {}
    if config.pdf.enabled:
        deferred[config.pdf.filename] = partial(render_pdf, cv, theme, config, photo)
    return Rendered(config, pages, cv.warnings + photo_warnings, deferred)


def _photo(config: Config, cv: CV) -> tuple[Photo | None, tuple[Issue, ...]]:
    """The photo, or none and a warning saying why it is left out."""
    try:
        return load_photo(config, cv), ()
    except PhotoNotShown as skipped:
        return None, (Issue(cv.source, 0, 0, "basics.image", skipped.advice),)


def source_paths(config: Config) -> list[Path]:
    """What an output folder must never contain (its swap would delete them)."""
    return [config.root / CONFIG_FILE, config.content_dir, config.theme_dir]


def build(root: Path, dest: Path | None = None, *, strict: bool = False) -> BuildReport:
    """Render the site at `root` and write it atomically into `dest` (default `output/`).

    With `strict` (or `build.strict: true` in cvgen.yaml) warnings are errors: nothing is
    written and a ContentError lists them.
    """
    started = time.perf_counter()
    site = render_pages(root, strict=strict)
    config, pages = site.config, site.pages
    output = write_site(pages, dest or config.output_dir, protect=source_paths(config))
    size = sum(len(data) for data in pages.values())
    return BuildReport(
        output,
        len(pages),
        size,
        time.perf_counter() - started,
        site.warnings,
        publish_warning(config.site.url),
    )
