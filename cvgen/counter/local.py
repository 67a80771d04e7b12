"""`LocalCounter`: the dev server's `/api/views`, running the Lambda's exact rules on SQLite."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from counter_lambda.api import finish_headers, log_record, request_from_parts
from counter_lambda.core import Counter
from counter_lambda.settings import DEFAULT_BOT_PATTERNS, Settings, SettingsError
from cvgen.counter.sqlite_store import SqliteStore
from cvgen.errors import CvgenError

logger = logging.getLogger(__name__)


class LocalCounter:
    """Serves `/api/views` requests from a SQLite database; see `cvgen.counter` for the API."""

    def __init__(
        self,
        db_path: Path,
        *,
        allowed_origins: Iterable[str] = (),
        allowed_pages: Iterable[str] | None = None,
        unique_visitors: bool = True,
        shards: int = 1,
        secret: bytes | None = None,
        bot_patterns: Iterable[str] | None = None,
    ) -> None:
        try:
            self.settings = Settings(
                allowed_origins=frozenset(o.rstrip("/") for o in allowed_origins),
                allowed_pages=None if allowed_pages is None else frozenset(allowed_pages),
                shards=shards,
                unique_visitors=unique_visitors,
                secret=secret,
                bot_patterns=DEFAULT_BOT_PATTERNS if bot_patterns is None else tuple(bot_patterns),
            )
        except SettingsError as exc:
            raise CvgenError(f"counter settings: {exc}") from None
        self.store = SqliteStore(db_path)
        self._counter = Counter(self.settings, self.store)

    def handle(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
        source_ip: str,
    ) -> tuple[int, dict[str, str], bytes]:
        started = time.perf_counter()
        request = request_from_parts(method, path, query, headers, body, source_ip)
        response = self._counter.handle(request)
        latency_ms = (time.perf_counter() - started) * 1000
        logger.debug(json.dumps(log_record(request, response, latency_ms)))
        return response.status, finish_headers(response), response.body

    def close(self) -> None:
        self.store.close()
