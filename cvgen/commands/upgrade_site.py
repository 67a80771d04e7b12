"""`cvgen upgrade-site`: pin a site's deploy workflow to this cvgen and show what changed."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import cvgen_source_option, root_option


@click.command("upgrade-site")
@root_option
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the workflow with this cvgen's template (your own edits to it are lost).",
)
@click.option(
    "--allow-downgrade", is_flag=True, help="Pin this cvgen even if the site pins a newer one."
)
@cvgen_source_option
def upgrade_site(
    root: Path | None, replace: bool, allow_downgrade: bool, cvgen_source: str | None
) -> None:
    """Make the site's deploy workflow install this cvgen, and report template changes."""
    from cvgen import __version__
    from cvgen.settings.config import site_root
    from cvgen.site_repo.source import installed_source, source_from_option
    from cvgen.site_repo.upgrade import upgrade_site as run_upgrade

    source = source_from_option(cvgen_source) if cvgen_source else installed_source(__version__)
    site = site_root(root)
    done = run_upgrade(site, __version__, source, replace=replace, allow_downgrade=allow_downgrade)
    if not done.written:
        click.echo(f"{done.path}: already installs cvgen {done.new}")
    else:
        click.echo(f"{done.path}: cvgen {done.old or '(no CVGEN_VERSION line)'} -> {done.new}")
    if done.install:
        click.echo(f"  CI installs {done.install}")
    if done.replaced:
        click.echo("  replaced with this cvgen's template")
    elif done.template_diff:
        click.echo(
            f"  the rest of the file differs from cvgen {done.new}'s template (changes in"
            " cvgen's template, or your own edits); the difference:"
        )
        click.echo(done.template_diff.rstrip("\n"))
        click.echo(
            "  apply what you want of it by hand, or run `cvgen upgrade-site --replace` to take"
            " the template as it is"
        )
    else:
        click.echo("  the rest of the file is cvgen's template, unchanged")
    if done.written:
        click.echo(
            "next: commit it; if cvgen's infra templates or the counter changed in this"
            " release, run `cvgen infra deploy` from your machine (CI never changes the stacks;"
            " unchanged stacks are left alone)"
        )
