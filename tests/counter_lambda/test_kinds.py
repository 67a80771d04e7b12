"""Downloads counted apart, daily counts per page, and application pages allowed by their
shape only: against the Lambda's handler on a DynamoDB table in moto, and the local store."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from counter_lambda.core import Counter
from counter_lambda.settings import Settings
from counter_lambda.store import day_key, parse_key
from cvgen.counter.sqlite_store import SqliteStore
from tests.counter_lambda.conftest import TEST_UA, body_of, v2_event

pytestmark = pytest.mark.aws

ACME = "/a/acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/"
GLOBEX = "/a/globex-9e8d7c6b5a4938271605f4e3d2c1b0a9/"
TODAY = datetime.datetime.now(datetime.UTC).date().isoformat()


def items(dynamo: Any, table: str) -> dict[str, int]:
    found = dynamo.scan(TableName=table)["Items"]
    return {i["pk"]["S"]: int(i["n"]["N"]) for i in found if "n" in i}


def test_downloads_views_and_days_are_counted_apart(
    make_lambda: Any, dynamo: Any, table: str
) -> None:
    handler = make_lambda(allowed_pages=frozenset({"/", "/a/*"}))
    for ip in ("192.0.2.1", "192.0.2.1", "192.0.2.2"):
        answer = handler(v2_event(body={"page": ACME}, ip=ip), None)
        assert answer["statusCode"] == 200
    click = handler(v2_event(body={"page": ACME, "kind": "download"}), None)
    assert body_of(click) == {"page": ACME, "downloads": 1, "counted": True}
    assert body_of(handler(v2_event("GET", query=f"page={ACME}&kind=download"), None)) == {
        "page": ACME,
        "downloads": 1,
        "counted": False,
    }
    # a download is no view
    assert body_of(handler(v2_event("GET", query=f"page={ACME}"), None))["views"] == 3
    counts = items(dynamo, table)
    assert counts[day_key("views", ACME, TODAY)] == 3
    assert counts[day_key("visitors", ACME, TODAY)] == 2
    assert counts[day_key("downloads", ACME, TODAY)] == 1
    assert parse_key(day_key("views", ACME, TODAY)) == ("views", ACME, TODAY)
    assert parse_key("views#/a/x/#0") == ("views", "/a/x/", None)
    assert parse_key("visitor#abc") is None and parse_key("salt#2026-12-07") is None


def test_an_answer_holds_only_the_page_it_names(make_lambda: Any) -> None:
    handler = make_lambda(allowed_pages=frozenset({"/", "/a/*"}))
    for _ in range(2):
        handler(v2_event(body={"page": ACME}), None)
    handler(v2_event(body={"page": GLOBEX, "kind": "download"}), None)
    public = body_of(handler(v2_event(body={"page": "/"}), None))
    assert public == {"page": "/", "views": 1, "visitors": 1, "counted": True}
    for query in ("page=/", "page=/&kind=download", "page=/a/", "page=/a/*"):
        answer = handler(v2_event("GET", query=query), None)
        text = str(body_of(answer))
        assert "acme" not in text and "globex" not in text and TODAY not in text
    assert handler(v2_event("GET", query="page=/a/"), None)["statusCode"] == 400


@pytest.mark.parametrize(
    ("page", "status"),
    [
        (ACME, 200),
        (ACME + "letter.html", 200),
        (ACME + "index.html", 200),  # normalised to ACME
        ("/a/acme-3f0c9a1b2d4e5f60718293a/", 400),  # 23 hex digits: too short for a token
        ("/a/acme/", 400),
        (ACME + "cv.pdf", 400),
        (ACME + "x/", 400),
        ("/a/Acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/", 400),
        ("/b/acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/", 400),
    ],
)
def test_application_pages_are_allowed_by_their_shape_only(
    make_lambda: Any, dynamo: Any, table: str, page: str, status: int
) -> None:
    handler = make_lambda(allowed_pages=frozenset({"/", "/a/*"}))
    assert handler(v2_event(body={"page": page}), None)["statusCode"] == status
    if status == 400:
        assert items(dynamo, table) == {}


def test_a_bad_kind_is_400(make_lambda: Any) -> None:
    handler = make_lambda()
    for kind in ("downloads", "", 1, None):
        answer = handler(v2_event(body={"page": "/", "kind": kind}), None)
        assert answer["statusCode"] == 400 and "`kind`" in body_of(answer)["error"]


class CountingStore(SqliteStore):
    """The local store, counting what would be DynamoDB writes (a conditional put that
    finds a live marker still consumes a write unit)."""

    writes = 0

    def increment(self, key: str) -> int:
        self.writes += 1
        return super().increment(key)

    def claim(self, key: str, ttl_seconds: int) -> bool:
        self.writes += 1
        return super().claim(key, ttl_seconds)


def test_writes_per_view_new_visitor_and_download(tmp_path: Path) -> None:
    """The README's cost table: 6 writes for a new visitor's view, 4 for a repeat view, 3 for
    a download (each with a request id, as the page's script sends)."""
    from counter_lambda.api import request_from_parts

    store = CountingStore(tmp_path / "c.sqlite3")
    counter = Counter(Settings(allowed_pages=None), store)
    measured = []
    for body in (
        b'{"page": "/", "id": "6f1b2a3c-1d2e-4f50-8a6b-7c8d9e0f1a2b"}',
        b'{"page": "/", "id": "6f1b2a3c-1d2e-4f50-8a6b-7c8d9e0f1a2c"}',
        b'{"page": "/", "kind": "download", "id": "6f1b2a3c-1d2e-4f50-8a6b-7c8d9e0f1a2d"}',
    ):
        before = store.writes
        request = request_from_parts(
            "POST", "/api/views", "", {"user-agent": TEST_UA}, body, "192.0.2.9"
        )
        assert counter.handle(request).status == 200
        measured.append(store.writes - before)
    store.close()
    assert measured == [6, 4, 3]
