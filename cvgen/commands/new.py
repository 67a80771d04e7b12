"""`cvgen new PATH`: a complete site repository (content, settings, deploy workflow)."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import cvgen_source_option


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--no-ci",
    is_flag=True,
    help="Leave out the GitHub Actions deploy workflow (.github/workflows/deploy.yml).",
)
@cvgen_source_option
@click.option(
    "--from",
    "cv_source",
    type=click.Path(path_type=Path),
    help="Start from your CV instead of the example: a RenderCV file, a JSON Resume or "
    "LinkedIn's data export (see `cvgen import`).",
)
@click.option("--entries", is_flag=True, help="With --from: one Markdown file per entry.")
def new(
    path: Path, no_ci: bool, cvgen_source: str | None, cv_source: Path | None, entries: bool
) -> None:
    """Create a new site in PATH: the example CV, cvgen.yaml, a README and a deploy workflow."""
    from cvgen import __version__
    from cvgen.site_repo.create import create_site
    from cvgen.site_repo.files import WORKFLOW, install_line_number
    from cvgen.site_repo.source import installed_source, source_from_option

    source = source_from_option(cvgen_source) if cvgen_source else installed_source(__version__)
    if cv_source is None:
        made = create_site(path, ci=not no_ci, source=source)
    else:
        from cvgen.commands.import_ import print_report
        from cvgen.importer.write import new_site_from

        made, report = new_site_from(cv_source, path, ci=not no_ci, install=source, entries=entries)
        print_report(report)
    click.echo(f"created a site in {path}: {', '.join(made)}")
    if not no_ci and source.requirement:
        click.echo(
            f"  the deploy workflow installs {source.requirement} (cvgen {__version__};"
            " `cvgen upgrade-site` moves it)"
        )
    elif not no_ci:
        line = install_line_number((path / WORKFLOW).read_text(encoding="utf-8"))
        click.echo(
            f"  warning: this cvgen was installed from {source.origin}, which GitHub's CI"
            f" cannot reach: before you push, write what CI should install in"
            f" {path / WORKFLOW}:{line} (CVGEN_INSTALL), e.g. cvgen-site=={__version__} once"
            " it is on PyPI or cvgen-site @ git+https://github.com/OWNER/cvgen@COMMIT;"
            " or run `cvgen upgrade-site --cvgen-source ...` there"
        )
    click.echo("next steps:")
    click.echo(f"  cd {path}")
    click.echo("  cvgen serve    # preview on http://127.0.0.1:8000/ ; edit content/cv.yaml")
    click.echo("  git init && git add -A && git commit -m 'My CV'")
    click.echo(
        "  to put it online: README.md, 'Put it online' (`cvgen infra deploy` once, then push)"
    )
