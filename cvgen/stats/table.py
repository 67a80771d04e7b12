"""The counter's items as one row per page of the site: pure.

Counter items (`counter_lambda.store`): totals `views#<page>#<shard>`,
`visitors#<page>#<shard>`, `downloads#<page>#<shard>`, and daily counts
`day#<kind>#<page>#<YYYY-MM-DD>`. A row gathers the pages of one folder of the site: the
main page (`/`), a language (`/de/`), a variant (`/backend/`, `/de/backend/`) or an
application (`/a/acme-<token>/`, its CV page and its letter together: views and downloads
add up; visitors are its CV page's, as a visitor is counted per page). Pages the site no
longer has (a removed variant) keep rows of their own, named by their path.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from counter_lambda.store import parse_key

DAYS = 30  # the sparkline's span
KINDS = ("views", "visitors", "downloads")


@dataclass(frozen=True)
class Place:
    """A folder of the site as the stats name it."""

    path: str  # the page path the counter keys: `/`, `/de/backend/`, `/a/acme-<token>/`
    name: str  # `main`, `de`, `backend`, `de/backend`, `acme`
    kind: str  # `page` or `application`
    language: str = ""
    variant: str = ""
    status: str = ""  # an application's
    sent: str = ""  # an application's date sent
    company: str = ""


@dataclass
class Row:
    place: Place
    views: int = 0
    visitors: int = 0
    downloads: int = 0
    first: str | None = None  # the first day with a view (UTC)
    last: str | None = None
    daily: dict[str, int] = field(default_factory=dict)  # day -> views

    def series(self, today: datetime.date, days: int = DAYS) -> list[int]:
        """Views per day over the `days` days up to `today`, oldest first."""
        start = today - datetime.timedelta(days=days - 1)
        return [
            self.daily.get((start + datetime.timedelta(days=i)).isoformat(), 0) for i in range(days)
        ]

    def as_json(self, today: datetime.date) -> dict[str, object]:
        place = self.place
        return {
            "page": place.path,
            "name": place.name,
            "kind": place.kind,
            "language": place.language or None,
            "variant": place.variant or None,
            "status": place.status or None,
            "sent": place.sent or None,
            "company": place.company or None,
            "views": self.views,
            "visitors": self.visitors,
            "downloads": self.downloads,
            "first_view": self.first,
            "last_view": self.last,
            "last_30_days": self.series(today),
        }


def folder_of(page: str, folders: Iterable[str]) -> str | None:
    """The folder of `folders` that holds `page` itself (`/a/x/letter.html` -> `/a/x/`), or
    None (`/old-variant/` is in no folder but its own)."""
    for folder in folders:
        if page.startswith(folder) and "/" not in page[len(folder) :]:
            return folder
    return None


def stats_rows(counts: Mapping[str, int], places: Sequence[Place]) -> list[Row]:
    """One row per place (in their order), then one per other page the counter knows."""
    rows = {place.path: Row(place) for place in places}
    extra: dict[str, Row] = {}
    for key, value in sorted(counts.items()):
        parsed = parse_key(key)
        if parsed is None:
            continue
        kind, page, day = parsed
        if kind not in KINDS:
            continue
        folder = folder_of(page, rows)
        if folder is not None:
            row = rows[folder]
        else:
            row = extra.setdefault(page, Row(Place(page, page, "page")))
        if day is not None:
            if kind == "views" and value > 0:
                row.daily[day] = row.daily.get(day, 0) + value
                row.first = min(row.first or day, day)
                row.last = max(row.last or day, day)
        elif kind != "visitors" or page == row.place.path:
            # visitors are counted per page: a row's are those of its folder's own page
            # (an application's CV page), not added up with its letter's (the same people)
            setattr(row, kind, getattr(row, kind) + max(0, value))
    return [*rows.values(), *(extra[p] for p in sorted(extra))]
