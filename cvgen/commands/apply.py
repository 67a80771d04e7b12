"""`cvgen apply SLUG --company ... --role ...`: a new job application file with its own link."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option


@click.command()
@click.argument("slug")
@click.option("--company", required=True, help="Who the application goes to.")
@click.option("--role", required=True, help="The job applied for.")
@click.option("--variant", metavar="NAME", help="The variant of the CV it uses (`variants:`).")
@click.option("--language", metavar="LANG", help="The language it is in (`languages:`).")
@click.option("--url", help="The job posting's address (kept private).")
@click.option(
    "--date", metavar="YYYY-MM-DD", help="The day it is sent (default: today, on this machine)."
)
@root_option
def apply(
    slug: str,
    company: str,
    role: str,
    variant: str | None,
    language: str | None,
    url: str | None,
    date: str | None,
    root: Path | None,
) -> None:
    """Create content/applications/SLUG.md: the application's details, a fresh random token
    for its private link (/a/SLUG-TOKEN/), and room for the cover letter."""
    from cvgen.content.applications import create_application
    from cvgen.settings.config import site_root

    made = create_application(
        site_root(root),
        slug,
        company=company,
        role=role,
        variant=variant,
        language=language,
        url=url,
        date=date,
    )
    click.echo(f"created {made.path}: write the cover letter below its front matter")
    click.echo(f"  its link, once built: {made.link}")
