"""`cvgen publish`: upload what changed to S3 in a safe order and invalidate what changed."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option


@click.command()
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan (path, reason, size, cache-control) and change nothing.",
)
@click.option("--delete", is_flag=True, help="Delete remote files that are no longer in output/.")
@click.option(
    "--max-deletes",
    type=click.IntRange(min=0),
    metavar="N",
    help="Refuse to delete more than N files (default: 25% of the remote files).",
)
@click.option("--yes", is_flag=True, help="Delete even above --max-deletes.")
@click.option("--profile", help="AWS profile (default: publish.profile).")
@click.option("--region", help="AWS region (default: publish.region).")
@click.option(
    "--endpoint-url",
    help="S3/CloudFront endpoint, e.g. a local emulator (default: publish.endpoint_url or AWS_ENDPOINT_URL).",
)
@click.option("--bucket", help="Bucket to publish to (default: publish.bucket).")
@click.option("--prefix", help="Key prefix inside the bucket (default: publish.prefix).")
@click.option(
    "--distribution-id",
    help="CloudFront distribution to invalidate (default: publish.distribution_id).",
)
@click.option("--no-invalidate", is_flag=True, help="Skip the CloudFront invalidation.")
@click.option("--wait", is_flag=True, help="Wait until the invalidation has completed.")
@click.option("--no-build", is_flag=True, help="Publish output/ as it is, without building first.")
@click.option(
    "--rollback",
    is_flag=True,
    help="Re-publish the previous release from the bucket, without building.",
)
@click.option(
    "--lease-timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Wait this long for another publish to the same bucket and prefix to finish "
    "(default: 600; 0: stop at once).",
)
@click.option(
    "--force-unlock",
    is_flag=True,
    help="Remove the publish lease another run holds on the bucket and prefix (it names "
    "that run), then stop. Only for a run that is gone: a crashed run's lease expires "
    "by itself.",
)
@click.option(
    "--refresh",
    multiple=True,
    metavar="SLUG",
    help="Publish this application (content/applications/SLUG.md) from today's build, "
    "replacing the files frozen since its first publish. Repeatable.",
)
@click.option(
    "--prune-applications",
    is_flag=True,
    help="Unpublish applications whose file is gone from content/applications/ (without "
    "it they stay online, frozen).",
)
@root_option
def publish(
    dry_run: bool,
    delete: bool,
    max_deletes: int | None,
    yes: bool,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    bucket: str | None,
    prefix: str | None,
    distribution_id: str | None,
    no_invalidate: bool,
    wait: bool,
    no_build: bool,
    rollback: bool,
    lease_timeout: float | None,
    force_unlock: bool,
    refresh: tuple[str, ...],
    prune_applications: bool,
    root: Path | None,
) -> None:
    """Publish output/ to S3: only what changed, assets before HTML, then invalidate CloudFront."""
    from cvgen.publish.run import PublishOptions
    from cvgen.publish.run import publish as run_publish
    from cvgen.settings.config import site_root
    from cvgen.ui import TerminalUi

    waiting = {} if lease_timeout is None else {"lease_timeout": lease_timeout}
    run_publish(
        PublishOptions(
            root=site_root(root),
            dry_run=dry_run,
            delete=delete,
            max_deletes=max_deletes,
            yes=yes,
            profile=profile,
            region=region,
            endpoint_url=endpoint_url,
            bucket=bucket,
            prefix=prefix,
            distribution_id=distribution_id,
            invalidate=not no_invalidate,
            wait=wait,
            build=not (no_build or rollback),
            rollback=rollback,
            force_unlock=force_unlock,
            refresh=refresh,
            prune_applications=prune_applications,
            **waiting,
        ),
        TerminalUi(),
    )
