"""Where counts live: the `Store` protocol both stores implement (DynamoDB in
`dynamo_store`, SQLite in `cvgen.counter`), the key layout they share, and the one failure
they raise. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

RETRY_AFTER_THROTTLED = 1

RETRY_AFTER_UNREACHABLE = 5


class StoreUnavailable(Exception):
    """The store is throttled or unreachable: answer 503 with Retry-After.

    `maybe_applied`: the failed call was a write whose answer was lost, so it may have taken
    effect (then a claimed request id is kept, so a retry cannot count twice).
    """

    def __init__(
        self,
        reason: str,
        retry_after: int = RETRY_AFTER_UNREACHABLE,
        *,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.maybe_applied = maybe_applied


class Store(Protocol):
    """Where counts live. Keys come from `counter_key`/`visitor_key`/... below."""

    def increment(self, key: str) -> int:
        """Atomically add 1 to the counter item `key` (created at 0) and return its new value."""
        ...

    def read(self, keys: Sequence[str]) -> Mapping[str, int]:
        """Strongly consistent current values of counter items; missing items may be left out."""
        ...

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Create marker `key` expiring in `ttl_seconds` unless a live one exists; True if created."""
        ...

    def release(self, key: str) -> None:
        """Delete marker `key` (undo a claim whose work then failed)."""
        ...

    def get_or_create(self, key: str, value: str, ttl_seconds: int) -> str:
        """The value of live marker `key`, storing `value` first if there is none."""
        ...


def counter_key(kind: str, page: str, shard: int) -> str:
    """`views#/#0`, `visitors#/about/#3`: one item per page, kind and shard."""
    return f"{kind}#{page}#{shard}"


def visitor_marker(digest: str) -> str:
    return f"visitor#{digest}"


def request_marker(request_id: str) -> str:
    return f"request#{request_id}"


def salt_marker(day: str) -> str:
    return f"salt#{day}"


def day_key(kind: str, page: str, day: str) -> str:
    """`day#views#/#2026-12-07`: a page's count of one kind on one UTC day (one item, no
    shards: a page's views in a day are few); what `cvgen stats` draws its sparklines from."""
    return f"day#{kind}#{page}#{day}"


def parse_key(key: str) -> tuple[str, str, str | None] | None:
    """(kind, page, day) of a counter item: `views#/#0` -> (`views`, `/`, None),
    `day#views#/a/x/#2026-12-07` -> (`views`, `/a/x/`, `2026-12-07`); None for anything else
    (markers, or a key of another shape)."""
    if key.startswith("day#"):
        kind, _, rest = key[len("day#") :].partition("#")
        page, _, day = rest.rpartition("#")
        return (kind, page, day) if kind and page.startswith("/") and len(day) == 10 else None
    kind, _, rest = key.partition("#")
    page, _, shard = rest.rpartition("#")
    return (kind, page, None) if kind and page.startswith("/") and shard.isdigit() else None
