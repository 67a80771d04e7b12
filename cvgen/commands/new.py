"""`cvgen new PATH`: a complete site repository (content, settings, deploy workflow)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--no-ci",
    is_flag=True,
    help="Leave out the GitHub Actions deploy workflow (.github/workflows/deploy.yml).",
)
def new(path: Path, no_ci: bool) -> None:
    """Create a new site in PATH: the example CV, cvgen.yaml, a README and a deploy workflow."""
    from cvgen import __version__
    from cvgen.site_repo.create import create_site

    made = create_site(path, ci=not no_ci)
    click.echo(f"created a site in {path}: {', '.join(made)}")
    if not no_ci:
        click.echo(
            f"  the deploy workflow installs cvgen {__version__} (`cvgen upgrade-site` moves it)"
        )
    click.echo("next steps:")
    click.echo(f"  cd {path}")
    click.echo("  cvgen serve    # preview on http://127.0.0.1:8000/ ; edit content/cv.yaml")
    click.echo("  git init && git add -A && git commit -m 'My CV'")
    click.echo(
        "  to put it online: README.md, 'Put it online' (`cvgen infra deploy` once, then push)"
    )
