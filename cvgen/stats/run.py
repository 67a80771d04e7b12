"""`cvgen stats`, one line per stage: config -> applications -> counts -> rows -> output."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cvgen.content.applications import load_applications
from cvgen.errors import CvgenError
from cvgen.settings.config import load_config
from cvgen.stats.read import local_counts, remote_counts, site_places
from cvgen.stats.report import html_report, json_report, text_table
from cvgen.stats.table import stats_rows


@dataclass(frozen=True)
class StatsOptions:
    root: Path
    local: bool = False
    as_json: bool = False
    html_path: Path | None = None
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    table: str | None = None
    today: datetime.date | None = None  # default: today in UTC (the counter's days)


def run_stats(options: StatsOptions) -> str:
    """The report as text (a table or JSON); with `html_path`, the page written there too."""
    config = load_config(options.root)
    places = site_places(config, load_applications(config))
    if options.local:
        counts = local_counts(config)
    else:
        counts = remote_counts(
            config,
            profile=options.profile,
            region=options.region,
            endpoint_url=options.endpoint_url,
            table=options.table,
        )
    rows = stats_rows(counts, places)
    today = options.today or datetime.datetime.now(datetime.UTC).date()
    if options.html_path is not None:
        title = f"Who opened what: {config.site.title or config.site.url or 'your CV'}"
        try:
            options.html_path.write_text(html_report(rows, today, title), encoding="utf-8")
        except OSError as exc:
            raise CvgenError(
                f"--html {options.html_path}: cannot write it ({exc.strerror})"
            ) from None
    return json_report(rows, today) if options.as_json else text_table(rows, today)
