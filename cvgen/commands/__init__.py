"""One module per `cvgen` command; the options several commands share live here."""

from __future__ import annotations

from pathlib import Path

import click

# Every command takes the site folder the same way; `cvgen.settings.config.site_root` resolves it.
root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (holding cvgen.yaml). Default: the nearest one at or above here.",
)
