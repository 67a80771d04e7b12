"""`cvgen schema NAME`: print a JSON Schema of a site's files (for editors and validators)."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option
from cvgen.schemas import FILES

_LIST = "; ".join(f"`{name}`: {what}" for name, (_, what) in FILES.items())


@click.command(
    help="Print the JSON Schema of a site's file, for editors and validators (config, cv,"
    f" entry, translation).\n\n{_LIST}."
)
@click.argument("name", type=click.Choice(list(FILES)), required=False)
@click.option(
    "--write",
    is_flag=True,
    help="Write every schema into the site's .cvgen/schemas/, where the yaml-language-server"
    " lines that `cvgen new` puts atop each file point (run it after cloning a site).",
)
@root_option
def schema(name: str | None, write: bool, root: Path | None) -> None:
    from cvgen.errors import CvgenError
    from cvgen.schemas import schema_text, write_schemas

    if write:
        from cvgen.settings.config import site_root

        for path in write_schemas(site_root(root)):
            click.echo(f"wrote {path}")
    elif name is None:
        raise CvgenError(f"name the schema to print, one of: {', '.join(FILES)} (or pass --write)")
    else:
        click.echo(schema_text(name), nl=False)
