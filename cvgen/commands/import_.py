"""`cvgen import SOURCE`: a RenderCV file, a JSON Resume or LinkedIn's export into the site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvgen.commands import root_option

if TYPE_CHECKING:
    from cvgen.importer.write import Report


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@root_option
@click.option(
    "--entries", is_flag=True, help="One Markdown file per entry (content/work/*.md ...)."
)
@click.option("--force", is_flag=True, help="Replace files that exist already.")
def import_(source: Path, root: Path | None, entries: bool, force: bool) -> None:
    """Import the CV in SOURCE into this site's content/cv.yaml.

    SOURCE is a RenderCV file (v1 or v2), a JSON Resume (JSON or YAML), or LinkedIn's data
    export (the ZIP, or the folder it unzips to)."""
    from cvgen.importer.write import import_into_site
    from cvgen.settings.config import site_root

    report = import_into_site(source, site_root(root), entries=entries, force=force)
    print_report(report)


def print_report(report: Report) -> None:
    """What an import wrote, translated, kept and ignored; its warnings on stderr."""
    imported = report.imported
    click.echo(f"imported {imported.kind} from {report.imported_from}")
    lines = [
        *(f"wrote {path}" for path in report.written),
        *(f"removed {path} (the imported CV replaces it)" for path in report.removed),
        *(f"set {setting} in cvgen.yaml" for setting in report.settings),
        *(f"translated {line}" for line in imported.translated),
        *(f"kept {line}" for line in imported.kept),
        *(f"not used: {line}" for line in imported.ignored),
    ]
    for line in lines:
        click.echo(f"  {line}")
    if report.paste:
        click.echo("  add to cvgen.yaml by hand (it was not safe to edit there):")
        for line in report.paste:
            click.echo(f"    {line}")
    for issue in report.warnings:
        click.echo(issue.describe("warning"), err=True)
    if report.warnings:
        count = len(report.warnings)
        click.echo(
            f"{count} warning{'s' if count != 1 else ''}: kept as written (see above)", err=True
        )
