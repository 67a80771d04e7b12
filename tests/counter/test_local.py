"""The dev server's counter: SQLite store and LocalCounter, with the Lambda's rules."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import cvgen.counter.sqlite_store as sqlite_store
from counter_lambda.store import StoreUnavailable
from cvgen.counter import LocalCounter, SqliteStore
from cvgen.errors import CvgenError

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36"
DEV = "127.0.0.1:8123"


def post(counter: LocalCounter, page: str = "/", ip: str = "127.0.0.1", **headers: str):
    all_headers = {"Host": DEV, "Origin": f"http://{DEV}", "User-Agent": CHROME, **headers}
    body = json.dumps({"page": page}).encode()
    return counter.handle("POST", "/api/views", "", all_headers, body, ip)


def test_500_concurrent_posts_from_16_threads_end_at_exactly_500(tmp_path: Path) -> None:
    counter = LocalCounter(tmp_path / ".cvgen" / "counter.sqlite3")
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(
                pool.map(lambda n: post(counter, ip=f"10.0.{n // 250}.{n % 250}"), range(500))
            )
        assert [status for status, _, _ in results] == [200] * 500
        views = sorted(json.loads(body)["views"] for _, _, body in results)
        assert views == list(range(1, 501))  # every increment saw its own new total
        status, _, body = counter.handle(
            "GET", "/api/views", "page=/", {"User-Agent": CHROME}, b"", "::1"
        )
        assert (status, json.loads(body)["views"], json.loads(body)["visitors"]) == (200, 500, 500)
    finally:
        counter.close()


def test_two_stores_on_one_file_stay_exact(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    stores = [SqliteStore(db), SqliteStore(db)]
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for _ in range(50):
            stores[n % 2].increment("views#/#0")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].read(["views#/#0", "views#/#1"]) == {"views#/#0": 400}
    for store in stores:
        store.close()


def test_a_thread_per_request_does_not_pile_up_connections(tmp_path: Path) -> None:
    """The dev server serves each request on a new thread; open files must stay bounded."""
    counter = LocalCounter(tmp_path / "c.sqlite3")
    fds = Path("/proc/self/fd")
    before = len(list(fds.iterdir()))
    for n in range(150):
        thread = threading.Thread(target=post, args=(counter,), kwargs={"ip": f"10.1.0.{n}"})
        thread.start()
        thread.join()
    assert len(list(fds.iterdir())) - before < 30
    assert json.loads(post(counter, ip="10.2.0.1")[2])["views"] == 151
    counter.close()
    assert len(list(fds.iterdir())) <= before


def open_fds() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


def test_hundreds_of_concurrent_posts_keep_open_files_constant_and_count_exactly(
    tmp_path: Path,
) -> None:
    """300 requests at once (the dev server's thread per request): the store's files stay at
    its fixed pool's, during the burst and after it, and nobody waits for a busy timeout."""
    counter = LocalCounter(tmp_path / "c.sqlite3")
    post(counter, ip="10.9.9.9")  # the first connection is open before measuring
    before = open_fds()
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, open_fds())
            time.sleep(0.001)

    clients = 300
    barrier = threading.Barrier(clients)
    results: list[tuple[int, float]] = []

    def client(n: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        status = post(counter, ip=f"10.3.{n // 250}.{n % 250}")[0]
        results.append((status, time.perf_counter() - started))

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    sampler.join()
    try:
        assert sorted(status for status, _ in results) == [200] * clients
        # database, WAL and shared memory per pooled connection, +1 for the sampler's listing
        assert peak - before <= 3 * (sqlite_store.POOL_SIZE - 1) + 1
        assert open_fds() - before <= 3 * (sqlite_store.POOL_SIZE - 1)
        assert json.loads(post(counter, ip="10.9.9.9")[2])["views"] == clients + 2
        # writes take turns in the process, so none met SQLite's busy handler (2 s, once 10 s)
        assert max(seconds for _, seconds in results) < sqlite_store._BUSY_TIMEOUT_S
    finally:
        counter.close()
    assert open_fds() < before


def test_a_full_pool_answers_503_after_a_bounded_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "_WAIT_S", 0.05)
    store = SqliteStore(tmp_path / "c.sqlite3")
    held = [store._checkout() for _ in range(sqlite_store.POOL_SIZE - 1)]  # one is idle
    held.append(store._checkout())
    try:
        with pytest.raises(StoreUnavailable):
            store.increment("views#/#0")
    finally:
        for conn in held:
            store._idle.put(conn)
    assert store.increment("views#/#0") == 1
    store.close()


def test_counts_survive_a_restart_and_use_wal(tmp_path: Path) -> None:
    db = tmp_path / "counter.sqlite3"
    counter = LocalCounter(db)
    post(counter)
    counter.close()
    counter = LocalCounter(db)
    status, _, body = post(counter, ip="127.0.0.2")
    assert (status, json.loads(body)["views"]) == (200, 2)
    counter.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_markers_expire_and_can_be_released(tmp_path: Path) -> None:
    now = [1000.0]
    store = SqliteStore(tmp_path / "c.sqlite3", clock=lambda: now[0])
    assert store.claim("request#a", 60) is True
    assert store.claim("request#a", 60) is False
    now[0] += 59
    assert store.claim("request#a", 60) is False
    now[0] += 1
    assert store.claim("request#a", 60) is True  # expired: claimable again
    store.release("request#a")
    assert store.claim("request#a", 60) is True
    assert store.get_or_create("salt#d", "one", 60) == "one"
    assert store.get_or_create("salt#d", "two", 60) == "one"
    now[0] += 61
    assert store.get_or_create("salt#d", "three", 60) == "three"
    store.close()


def test_expired_markers_are_purged(tmp_path: Path) -> None:
    now = [1000.0]
    store = SqliteStore(tmp_path / "c.sqlite3", clock=lambda: now[0])
    for n in range(300):
        store.claim(f"visitor#{n}", 10)
    now[0] += 11
    for n in range(300):
        store.claim(f"request#{n}", 10)
    with store._connection() as conn:
        remaining = conn.execute("SELECT count(*) FROM markers").fetchone()[0]
    assert remaining == 300  # the 512th claim purged the 300 expired visitor markers
    store.close()


def test_headless_chrome_counts_one_view_per_page_load_same_origin(tmp_path: Path) -> None:
    counter = LocalCounter(tmp_path / "c.sqlite3")
    for expected in (1, 2, 3):
        status, headers, body = post(counter)
        assert status == 200
        assert json.loads(body) == {"page": "/", "views": expected, "visitors": 1, "counted": True}
        assert headers["Content-Type"] == "application/json"
        assert "Access-Control-Allow-Origin" not in headers  # same origin: no CORS needed
    counter.close()


def test_allowed_origins_refuse_foreign_posts_but_not_same_host(tmp_path: Path) -> None:
    counter = LocalCounter(tmp_path / "c.sqlite3", allowed_origins=["https://cv.example.com/"])
    assert post(counter)[0] == 200  # Origin host equals Host: the dev page itself
    status, headers, _ = post(counter, Origin="https://cv.example.com")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://cv.example.com"
    status, headers, body = post(counter, Origin="https://evil.example")
    assert status == 400 and json.loads(body) == {"error": "origin not allowed"}
    assert "Access-Control-Allow-Origin" not in headers
    counter.close()


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("https://api.example.com", 200),  # the page and the API share the host
        ("https://api.example.com.evil.test", 400),  # the host is only a prefix of it
        ("https://evil.test/api.example.com", 400),
        ("https://xapi.example.com", 400),  # the host is only a suffix of it
        ("https://api.example.com:8443", 400),  # another port is another origin
    ],
)
def test_same_host_means_the_whole_host(tmp_path: Path, origin: str, status: int) -> None:
    counter = LocalCounter(tmp_path / "c.sqlite3", allowed_origins=["https://cv.example.com"])
    assert post(counter, Host="api.example.com", Origin=origin)[0] == status
    counter.close()


def test_allowed_pages(tmp_path: Path) -> None:
    any_page = LocalCounter(tmp_path / "a.sqlite3")
    assert post(any_page, page="/projects/index.html")[0] == 200
    assert json.loads(post(any_page, page="/projects/")[2])["views"] == 2
    assert post(any_page, page="/../x")[0] == 400
    any_page.close()
    listed = LocalCounter(tmp_path / "b.sqlite3", allowed_pages=["/", "/404.html"])
    assert post(listed, page="/404.html")[0] == 200
    assert post(listed, page="/projects/")[0] == 400
    listed.close()


def test_errors_are_json_with_documented_statuses(tmp_path: Path) -> None:
    counter = LocalCounter(tmp_path / "c.sqlite3")
    headers = {"User-Agent": CHROME}
    cases = [
        (("PUT", "/api/views", "", headers, b""), 405),
        (("GET", "/api/other", "", headers, b""), 404),
        (("POST", "/api/views", "", headers, b"{"), 400),
        (("POST", "/api/views", "", headers, b"x" * 1025), 413),
        (("GET", "/api/views", "page=nope", headers, b""), 400),
    ]
    for (method, path, query, hdrs, body), expected in cases:
        status, out_headers, out = counter.handle(method, path, query, hdrs, body, "127.0.0.1")
        assert status == expected, (method, path, query)
        assert set(json.loads(out)) == {"error"}
        assert out_headers["Content-Type"] == "application/json"
    status, out_headers, _ = counter.handle("PUT", "/api/views", "", headers, b"", "127.0.0.1")
    assert out_headers["Allow"] == "GET, POST, OPTIONS"
    counter.close()


def test_bots_and_prefetch_are_not_counted(tmp_path: Path) -> None:
    counter = LocalCounter(tmp_path / "c.sqlite3")
    assert json.loads(post(counter, **{"User-Agent": "curl/8.5"})[2])["counted"] is False
    assert json.loads(post(counter, **{"Sec-Purpose": "prefetch"})[2])["counted"] is False
    assert json.loads(post(counter)[2])["views"] == 1
    counter.close()


def test_a_locked_database_is_503_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "_BUSY_TIMEOUT_S", 0.05)
    db = tmp_path / "c.sqlite3"
    counter = LocalCounter(db)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        status, headers, body = post(counter)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert "error" in json.loads(body)
    assert post(counter)[0] == 200  # and it recovers once the lock is gone
    counter.close()


def test_unusable_database_path_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(CvgenError, match="cannot open the counter database"):
        LocalCounter(tmp_path / "file" / "counter.sqlite3")
    (tmp_path / "junk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(CvgenError, match="delete the file"):
        LocalCounter(tmp_path / "junk.sqlite3")


def test_smoke_posts_are_counted_apart_from_the_public_count(tmp_path: Path) -> None:
    # `cvgen smoke` runs after every deploy: its POST must never add a visitor
    counter = LocalCounter(tmp_path / "c.sqlite3")
    try:
        headers = {"Host": DEV, "Origin": f"http://{DEV}", "User-Agent": CHROME}

        def smoke(request_id: str) -> dict[str, object]:
            body = json.dumps({"page": "/", "id": request_id, "smoke": True}).encode()
            status, _, answer = counter.handle("POST", "/api/views", "", headers, body, "10.0.0.1")
            assert status == 200
            return dict(json.loads(answer))

        def read(query: str) -> dict[str, object]:
            return dict(
                json.loads(counter.handle("GET", "/api/views", query, headers, b"", "::1")[2])
            )

        assert post(counter)[0] == 200  # one real visitor
        first = smoke("00000000-0000-4000-8000-000000000001")
        assert first == {"page": "/", "views": 1, "smoke": True, "counted": True}
        again = smoke("00000000-0000-4000-8000-000000000001")  # a retried POST
        assert again["views"] == 1 and again["counted"] is False
        assert smoke("00000000-0000-4000-8000-000000000002")["views"] == 2
        assert read("page=/") == {"page": "/", "views": 1, "visitors": 1, "counted": False}
        assert read("page=/&smoke=1") == {
            "page": "/",
            "views": 2,
            "smoke": True,
            "counted": False,
        }
    finally:
        counter.close()
