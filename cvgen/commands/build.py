"""`cvgen build`: render the site and write it atomically into output/."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvgen.commands import root_option

if TYPE_CHECKING:
    from cvgen.errors import Issue


@click.command()
@root_option
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Where to write the site. Default: output/ in the site folder.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings as errors (like `build.strict: true` in cvgen.yaml).",
)
@click.option(
    "--variant",
    metavar="NAME",
    help="Build only this variant (from `variants:` in cvgen.yaml), into output/NAME/.",
)
@click.option(
    "--language",
    metavar="LANG",
    help="Build only this language (from `languages:` in cvgen.yaml), into output/LANG/"
    " (the default language: into output/, without the other languages).",
)
def build(
    root: Path | None,
    output: Path | None,
    strict: bool,
    variant: str | None,
    language: str | None,
) -> None:
    """Build the site into output/ (atomically: a failed build changes nothing)."""
    from cvgen.build import build as build_site
    from cvgen.settings.config import site_root
    from cvgen.sizes import human_size

    report = build_site(site_root(root), output, strict=strict, variant=variant, language=language)
    print_warnings(report.warnings)
    click.echo(
        f"built {report.files} files ({human_size(report.bytes)}) "
        f"into {shown_path(report.output)} in {report.seconds:.2f} s"
    )
    if report.address_warning:
        click.echo(f"warning: {report.address_warning}", err=True)


def print_warnings(warnings: Sequence[Issue]) -> None:
    """Each warning as `file:line:col: warning: field: message`, then how many (on stderr)."""
    for issue in warnings:
        click.echo(issue.describe("warning"), err=True)
    if warnings:
        count = len(warnings)
        click.echo(
            f"{count} warning{'s' if count != 1 else ''}; the site was built anyway "
            "(`cvgen build --strict` makes them errors).",
            err=True,
        )


def shown_path(path: Path) -> str:
    """`output/` when below the current folder, else the full path."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return f"{path}/"
    return f"{relative.as_posix()}/" if relative.parts else "./"
