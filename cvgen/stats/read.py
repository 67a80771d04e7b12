"""Where `cvgen stats` gets the counts: the dev server's SQLite file, or the counter's
DynamoDB table (with the owner's credentials; the table named by the counter stack's
`TableName` output, or `--table`). Read only: nothing here writes or counts.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from cvgen.content.applications import Application
from cvgen.errors import CvgenError
from cvgen.render.site import page_folder
from cvgen.settings.config import Config
from cvgen.stats.table import Place

COUNTER_STACK = "counter"  # the stack `cvgen infra deploy` names `<stack_prefix>-counter`


def site_places(config: Config, applications: tuple[Application, ...]) -> list[Place]:
    """Every folder of the site the counter keys: each language's main page and variants,
    then each application, by the page path its pages post."""
    base = (urlsplit(config.site.url).path or "/") if config.site.url else "/"
    languages = config.languages or (config.site.language,)
    places = []
    for language in languages:
        own = replace(config, site=replace(config.site, language=language))
        for variant in (None, *(v.name for v in config.variants)):
            folder = page_folder(own, variant)
            name = folder.rstrip("/") or "main"
            places.append(Place(base + folder, name, "page", language, variant or ""))
    for sent in applications:
        language = sent.language or languages[0]
        places.append(
            Place(
                base + sent.folder,
                sent.slug,
                "application",
                language,
                sent.variant or "",
                sent.status,
                sent.date,
                sent.company,
            )
        )
    return places


def local_counts(config: Config) -> dict[str, int]:
    """The dev server's counts (`.cvgen/counter.sqlite3`)."""
    from cvgen.counter.sqlite_store import SqliteStore
    from cvgen.serve.preview import COUNTER_DB

    path = config.state_dir / COUNTER_DB
    if not path.is_file():
        raise CvgenError(
            f"{path}: no local counter yet; `cvgen serve` makes it when a page is first viewed"
        )
    store = SqliteStore(path)
    try:
        return store.counts()
    finally:
        store.close()


def remote_counts(
    config: Config,
    *,
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    table: str | None = None,
) -> dict[str, int]:
    """Every counter item of the DynamoDB table (a paginated Scan of `pk` and `n`)."""
    from cvgen.aws import Aws, aws_errors, resolve_region

    profile = profile or config.publish.profile
    region = resolve_region(
        region, config.infra.region, config.publish.region, profile=profile, section="infra"
    )
    aws = Aws(region, profile, endpoint_url or config.publish.endpoint_url)
    counts: dict[str, int] = {}
    with aws_errors(
        "reading the counter's table", section="infra", profile=profile, endpoint_url=endpoint_url
    ):
        if table is None:
            stack = f"{config.infra.stack_prefix}-{COUNTER_STACK}"
            found = aws.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
            outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
            table = outputs.get("TableName")
            if not table:
                raise CvgenError(f"stack {stack} has no TableName output; pass --table NAME")
        pages = (
            aws.client("dynamodb")
            .get_paginator("scan")
            .paginate(
                TableName=table,
                ProjectionExpression="pk, #n",
                ExpressionAttributeNames={"#n": "n"},
            )
        )
        for page in pages:
            for item in page.get("Items", []):
                if "n" in item:
                    counts[item["pk"]["S"]] = int(item["n"]["N"])
    return counts
