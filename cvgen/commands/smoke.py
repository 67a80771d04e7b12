"""`cvgen smoke`: check that a live deployment serves this build, safely, with a working counter."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option


@click.command()
@click.option(
    "--url",
    metavar="URL",
    help="The page to check. Default: site.url from cvgen.yaml.",
)
@root_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Seconds each request may take in all (a server sending a byte at a time included).",
)
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust the certificates in this PEM file (a private or test CA).",
)
def smoke(url: str | None, root: Path | None, timeout: float, ca_bundle: Path | None) -> None:
    """Check a live deployment: HTTPS, security headers, assets, bytes, and the counter.

    Compares the served page with its file in the local output/ (run `cvgen build` first).
    Prints one line per check and exits 1 if any fails.
    """
    from cvgen.check_report import conclude
    from cvgen.settings.config import site_root
    from cvgen.smoke.run import smoke_site

    site = site_root(root)
    results = smoke_site(
        site,
        lambda result: click.echo(result.line()),
        url=url,
        timeout=timeout,
        ca_bundle=ca_bundle,
    )
    click.echo(conclude("smoke", results))
