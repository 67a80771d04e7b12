"""`cvgen stats`: views, visitors and downloads per page, variant, language and application."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option


@click.command()
@click.option("--local", is_flag=True, help="Read the `cvgen serve` counter (.cvgen/) instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a self-contained page with SVG charts (no script, nothing loaded).",
)
@click.option("--profile", help="AWS profile (default: publish.profile).")
@click.option("--region", help="AWS region (default: infra.region, else publish.region).")
@click.option("--endpoint-url", help="An AWS endpoint, e.g. a local emulator.")
@click.option("--table", help="The counter's DynamoDB table (default: the counter stack's).")
@root_option
def stats(
    local: bool,
    as_json: bool,
    html_path: Path | None,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    table: str | None,
    root: Path | None,
) -> None:
    """Show who opened what: one row per page, variant, language and application, with
    views, visitors, downloads, first and last view, and the last 30 days. Reads only."""
    from cvgen.settings.config import site_root
    from cvgen.stats.run import StatsOptions, run_stats

    out = run_stats(
        StatsOptions(
            root=site_root(root),
            local=local,
            as_json=as_json,
            html_path=html_path,
            profile=profile,
            region=region,
            endpoint_url=endpoint_url,
            table=table,
        )
    )
    click.echo(out, nl=False)
