"""`cvgen build`: render the site and write it atomically into output/."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (holding cvgen.yaml). Default: the nearest one at or above here.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Where to write the site. Default: output/ in the site folder.",
)
def build(root: Path | None, output: Path | None) -> None:
    """Build the site into output/ (atomically: a failed build changes nothing)."""
    from cvgen.build import build as build_site
    from cvgen.config import find_root

    report = build_site(root if root is not None else find_root(Path.cwd()), output)
    click.echo(
        f"built {report.files} files ({format_size(report.bytes)}) "
        f"into {shown_path(report.output)} in {report.seconds:.2f} s"
    )


def format_size(size: int) -> str:
    """`18650` -> `18.2 KB` (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def shown_path(path: Path) -> str:
    """`output/` when below the current folder, else the full path."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return f"{path}/"
    return f"{relative.as_posix()}/" if relative.parts else "./"
