"""The visitor counter for `cvgen serve`: the Lambda's rules over a local SQLite store.

Public API (stable):

- `LocalCounter(db_path, *, allowed_origins=(), allowed_pages=None, unique_visitors=True,
  shards=1, secret=None, bot_patterns=None)`: opens (creating parents and the schema) the
  SQLite database at `db_path`, e.g. `config.state_dir / "counter.sqlite3"`.
  `allowed_pages=None` accepts any well-formed page path (handy in dev); pass the site's page
  paths (`{"/", "/404.html"}`) to refuse others with 404. Same-origin requests (Origin host ==
  Host header) are always allowed, so the dev server needs no CORS settings.
- `LocalCounter.handle(method, path, query, headers, body, source_ip)
  -> (status, headers, body)`: serves one request for `/api/views` (any path may be passed;
  others answer 404 JSON). `query` is the raw query string without `?`, `headers` any mapping
  (names case-insensitive), `body` the raw request body (over 1 KB answers 413, so the caller
  need read no more than 1025 bytes of it). Never raises; thread-safe; status is one of 200, 204, 400, 404, 405,
  413, 429, 503 and the body JSON (empty for 204).
- `LocalCounter.close()`: closes the database connections.
- `SqliteStore(db_path)`: the `counter_lambda.core.Store` implementation underneath.

Counting rules (bots, prefetch, unique visitors, request ids) are exactly the Lambda's:
see `counter_lambda.core`. HeadlessChrome is counted.
"""

from __future__ import annotations

from cvgen.counter.local import LocalCounter
from cvgen.counter.sqlite_store import SqliteStore

__all__ = ["LocalCounter", "SqliteStore"]
