"""`cvgen build`: the whole pipeline, one line per stage (see DESIGN.md, "The flow").

Stages (each in its own module): load config -> load + validate content -> load theme ->
render pages (pure: {output path: bytes}) -> write atomically into output/.
`cvgen serve` reuses `render_pages` and writes into its own temporary folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from cvgen.bundle.write import write_site
from cvgen.config import CONFIG_FILE, Config, load_config
from cvgen.content.load import load_content
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

    Unpacks as `config, pages = render_pages(root)` too.
    """

    config: Config
    pages: dict[str, bytes]
    warnings: tuple[Issue, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.config, self.pages))


def render_pages(root: Path, *, preview: bool = False) -> Rendered:
    """Every page of the site at `root`, in memory; raises ContentError / CvgenError.

    Warnings never stop it (`build` applies `--strict`). `preview` (used by `cvgen serve`)
    points the counter at the dev server's own `/api/views`: a Cognito-mode site would
    otherwise call the real AWS pool from localhost; and it defers the PDF until the
    browser asks for it (see `cvgen.serve.site.Pages`).
    """
    config = load_config(root)
    if preview and config.counter.enabled:
        counter = replace(config.counter, mode="public", api="/api/views", local=True)
        config = replace(config, counter=counter)
    cv = load_content(config)
    theme = load_theme(config)
    pages = render_site(cv, theme, config)
    if config.pdf.enabled and preview:
        # `cvgen serve` typesets the PDF when it is first asked for, not on every save
        from cvgen.serve.site import Pages

        deferred = {config.pdf.filename: partial(render_pdf, cv, theme, config)}
        return Rendered(config, Pages(pages, deferred), cv.warnings)
    if config.pdf.enabled:
        pages[config.pdf.filename] = render_pdf(cv, theme, config)
    return Rendered(config, dict(sorted(pages.items())), cv.warnings)


def source_paths(config: Config) -> list[Path]:
    """What an output folder must never contain (its swap would delete them)."""
    return [config.root / CONFIG_FILE, config.content_dir, config.theme_dir]


def build(root: Path, dest: Path | None = None, *, strict: bool = False) -> BuildReport:
    """Render the site at `root` and write it atomically into `dest` (default `output/`).

    With `strict` (or `build.strict: true` in cvgen.yaml) warnings are errors: nothing is
    written and a ContentError lists them.
    """
    started = time.perf_counter()
    site = render_pages(root)
    if site.warnings and (strict or site.config.build.strict):
        raise ContentError(site.warnings, note=STRICT_NOTE)
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


def render_preview(root: Path) -> Rendered:
    """`render_pages` as `cvgen serve` wants it (counter on the dev server)."""
    return render_pages(root, preview=True)
