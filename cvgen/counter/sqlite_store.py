"""`SqliteStore`: the counter's `Store` on a local SQLite file (WAL), safe from many threads.

Connections come from a fixed pool of `POOL_SIZE`, opened on first need and kept until
`close()`; a request waits (at most `_WAIT_S`) for a free one. The dev server runs each
request on a fresh thread, and SQLite cannot close a file while another connection in the
process holds a lock on it, so opening connections per request left one file descriptor per
peak concurrent request open for good (and ran out of them under load). With the pool the
store holds at most three per connection (database, WAL, shared memory) whatever the load.

Writes inside the process take turns on a lock before `BEGIN IMMEDIATE`, so they never
meet SQLite's busy handler; `_BUSY_TIMEOUT_S` only matters when another process holds the
file. Every write is one transaction, and an increment is a single
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, so N concurrent increments give exactly N.
A request that cannot get a connection or its turn in time answers 503 with Retry-After.
Markers (visitor hashes, request ids, daily salts) carry an expiry timestamp: an expired
marker counts as absent and is purged from time to time.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from counter_lambda.store import RETRY_AFTER_THROTTLED, StoreUnavailable
from cvgen.errors import CvgenError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS markers (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL,
    expires REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS markers_expires ON markers (expires);
"""
_PURGE_EVERY = 256  # claims between purges of expired markers
POOL_SIZE = 4  # WAL readers run side by side; writes take turns anyway
_WAIT_S = 2.0  # longest a request waits for a connection or for its turn to write
_BUSY_TIMEOUT_S = 2.0  # for locks held by another process (a second server on the file)


class SqliteStore:
    """A `counter_lambda.core.Store` backed by SQLite; `close()` when done."""

    def __init__(self, db_path: Path, clock: Callable[[], float] = time.time) -> None:
        self.db_path = Path(db_path)
        self._clock = clock
        self._lock = threading.Lock()
        self._write_turn = threading.Lock()
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._opened = 0  # connections open, idle or in use (at most POOL_SIZE)
        self._closed = False
        self._claims = 0
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            with self._connection() as conn:
                conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise CvgenError(
                f"cannot open the counter database {self.db_path}: {exc}; "
                "check the folder's permissions or delete the file to start the counts afresh"
            ) from None

    # --- Store protocol ---

    def increment(self, key: str) -> int:
        with self._transaction() as conn:
            row = conn.execute(
                "INSERT INTO counters (key, value) VALUES (?, 1) "
                "ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value",
                (key,),
            ).fetchone()
        return int(row[0])

    def read(self, keys: Sequence[str]) -> Mapping[str, int]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        with self._errors(), self._connection() as conn:
            rows = conn.execute(
                f"SELECT key, value FROM counters WHERE key IN ({marks})", tuple(keys)
            ).fetchall()
        return {str(key): int(value) for key, value in rows}

    def claim(self, key: str, ttl_seconds: int) -> bool:
        return self._upsert_marker(key, "", ttl_seconds) is not None

    def release(self, key: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM markers WHERE key = ?", (key,))

    def get_or_create(self, key: str, value: str, ttl_seconds: int) -> str:
        with self._transaction() as conn:
            self._upsert(conn, key, value, ttl_seconds)
            row = conn.execute("SELECT value FROM markers WHERE key = ?", (key,)).fetchone()
        return str(row[0])

    # --- reading everything (`cvgen stats --local`) ---

    def counts(self) -> dict[str, int]:
        """Every counter item (totals and daily counts), by key; markers are left out."""
        with self._errors(), self._connection() as conn:
            rows = conn.execute("SELECT key, value FROM counters").fetchall()
        return {str(key): int(value) for key, value in rows}

    # --- housekeeping ---

    def close(self) -> None:
        """Close the pooled connections; ones in use close when they are handed back."""
        with self._lock:
            self._closed = True
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            self._discard(conn)

    def _upsert_marker(self, key: str, value: str, ttl_seconds: int) -> str | None:
        with self._transaction() as conn:
            created = self._upsert(conn, key, value, ttl_seconds)
            with self._lock:
                self._claims += 1
                purge = self._claims % _PURGE_EVERY == 0
            if purge:
                conn.execute("DELETE FROM markers WHERE expires <= ?", (self._clock(),))
        return created

    def _upsert(self, conn: sqlite3.Connection, key: str, value: str, ttl: int) -> str | None:
        """Insert the marker, or replace it if expired; its key when written, else None."""
        now = self._clock()
        row = conn.execute(
            "INSERT INTO markers (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires "
            "WHERE markers.expires <= ? RETURNING key",
            (key, value, now + ttl, now),
        ).fetchone()
        return None if row is None else str(row[0])

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        conn = self._checkout()
        try:
            yield conn
        finally:
            with self._lock:
                keep = not self._closed
            if keep:
                self._idle.put(conn)
            else:
                self._discard(conn)

    def _checkout(self) -> sqlite3.Connection:
        """An idle connection, a new one while the pool is not full, or one handed back."""
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the counter store is closed")
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            may_open = self._opened < POOL_SIZE
            if may_open:
                self._opened += 1
        if may_open:
            try:
                return self._open()
            except BaseException:
                with self._lock:
                    self._opened -= 1
                raise
        try:
            return self._idle.get(timeout=_WAIT_S)
        except queue.Empty:
            raise StoreUnavailable("sqlite: no free connection", RETRY_AFTER_THROTTLED) from None

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.db_path,
            timeout=_BUSY_TIMEOUT_S,
            isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
            check_same_thread=False,  # pooled: used by one thread at a time, any thread
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _discard(self, conn: sqlite3.Connection) -> None:
        conn.close()
        with self._lock:
            self._opened -= 1

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._errors(), self._connection() as conn:
            if not self._write_turn.acquire(timeout=_WAIT_S):
                raise StoreUnavailable("sqlite: writes queued too long", RETRY_AFTER_THROTTLED)
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:  # also after a failed COMMIT, so the next BEGIN works
                        conn.execute("ROLLBACK")
                    raise
            finally:
                self._write_turn.release()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {type(exc).__name__}", RETRY_AFTER_THROTTLED) from exc
