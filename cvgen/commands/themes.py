"""`cvgen themes`: the themes a site can choose (`theme:` in cvgen.yaml), one line each."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder, to list its own themes too. Default: the nearest one, if any.",
)
def themes(root: Path | None) -> None:
    """List the built-in themes (and the site's own) with a one-line description."""
    from cvgen.render.theme import theme_summaries

    for line in theme_summaries(root):
        click.echo(line)
