"""Hypothesis throws arbitrary events at the handler: every answer is a documented status with
a JSON body (empty for 204), and no exception escapes. The store is the real SQLite one."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as event_label
from hypothesis import strategies as st

from counter_lambda.handler import Handler, make_handler
from counter_lambda.settings import Settings
from cvgen.counter import SqliteStore

# DESIGN.md, "Counter API": the only statuses the API may answer with.
DOCUMENTED_STATUSES = {200, 204, 400, 404, 405, 413, 429, 503}


@pytest.fixture(scope="module")
def handler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Handler]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("fuzz")) / "counter.sqlite3")
    settings_ = Settings(
        allowed_origins=frozenset({"https://cv.example.com"}),
        allowed_pages=frozenset({"/", "/404.html"}),
        shards=3,
    )
    yield make_handler(settings_, store)
    store.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
methods = st.sampled_from(["GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "get", ""]) | st.text(
    max_size=8
)
paths = st.sampled_from(
    ["/api/views", "/api/views/", "/", "", "/api", "/prod/api/views"]
) | st.text(max_size=30)
header_maps = (
    st.dictionaries(
        st.sampled_from(["origin", "Origin", "user-agent", "User-Agent", "purpose", "host", "x"])
        | st.text(max_size=10),
        st.sampled_from(
            [
                "https://cv.example.com",
                "https://evil.example",
                "Googlebot",
                "Mozilla/5.0",
                "prefetch",
            ]
        )
        | st.text(max_size=40),
        max_size=5,
    )
    | json_values
)
bodies = (
    st.none()
    | st.text(max_size=1200)
    | json_values.map(json.dumps)
    | st.fixed_dictionaries(
        {},
        optional={
            "page": st.sampled_from(["/", "/index.html", "/404.html", "/x"]) | json_values,
            "id": st.uuids().map(str) | json_values,
        },
    ).map(json.dumps)
)


@st.composite
def v2_events(draw: st.DrawFn) -> Any:
    method, path = draw(methods), draw(paths)
    body = draw(bodies)
    encoded = draw(st.booleans())
    if encoded and isinstance(body, str):
        body = draw(
            st.sampled_from(
                [base64.b64encode(body.encode("utf-8", "surrogatepass")).decode(), body]
            )
        )
    event: dict[str, Any] = {
        "version": draw(st.sampled_from(["2.0", "1.0", None])),
        "rawPath": path,
        "rawQueryString": draw(st.text(max_size=30) | st.just("page=/") | st.none()),
        "headers": draw(header_maps),
        "requestContext": draw(
            st.fixed_dictionaries(
                {
                    "http": st.fixed_dictionaries(
                        {
                            "method": st.just(method) | json_values,
                            "sourceIp": st.ip_addresses().map(str) | json_values,
                        }
                    )
                },
                optional={"stage": st.sampled_from(["$default", "prod"]) | json_values},
            )
            | json_values
        ),
        "body": body,
        "isBase64Encoded": encoded,
    }
    for key in draw(st.sets(st.sampled_from(sorted(event)), max_size=3)):
        del event[key]
    return event


@st.composite
def v1_events(draw: st.DrawFn) -> Any:
    return {
        "httpMethod": draw(methods | json_values),
        "path": draw(paths | json_values),
        "headers": draw(header_maps),
        "queryStringParameters": draw(
            st.dictionaries(st.text(max_size=5), st.text(max_size=20)) | json_values
        ),
        "requestContext": draw(
            st.fixed_dictionaries(
                {"identity": st.fixed_dictionaries({"sourceIp": st.text(max_size=20)})}
            )
            | json_values
        ),
        "body": draw(bodies | json_values),
        "isBase64Encoded": draw(st.booleans() | json_values),
    }


@st.composite
def plausible_events(draw: st.DrawFn) -> Any:
    """Mostly well-formed 2.0 events, so the counting paths (200, 204, 413) are exercised too."""
    method = draw(st.sampled_from(["GET", "POST", "POST", "OPTIONS", "HEAD", "PUT"]))
    headers = {
        "user-agent": draw(st.sampled_from(["Mozilla/5.0 HeadlessChrome/120", "bingbot", ""]))
    }
    headers.update(
        draw(
            st.dictionaries(
                st.sampled_from(["origin", "purpose", "host"]),
                st.sampled_from(
                    ["https://cv.example.com", "https://evil.example", "prefetch", "x"]
                ),
                max_size=2,
            )
        )
    )
    body = draw(st.none() | bodies | st.text(min_size=1000, max_size=1100))
    return {
        "version": "2.0",
        "rawPath": draw(st.sampled_from(["/api/views", "/api/views/", "/nope"])),
        "rawQueryString": draw(
            st.sampled_from(["", "page=/", "page=/404.html", "page=%2F..%2F", "page=/x"])
        ),
        "headers": headers,
        "requestContext": {
            "http": {"method": method, "sourceIp": draw(st.ip_addresses().map(str))}
        },
        "body": body,
        "isBase64Encoded": False,
    }


events = st.one_of(
    plausible_events(),
    plausible_events(),
    v2_events(),
    v1_events(),
    json_values,
    st.text(max_size=50),
    st.binary(max_size=20),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event=events)
def test_every_event_gets_a_documented_json_answer(handler: Handler, event: Any) -> None:
    response = handler(event, None)
    assert isinstance(response, dict)
    status = response["statusCode"]
    assert status in DOCUMENTED_STATUSES
    event_label(f"status {status}")
    assert isinstance(response["headers"], dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in response["headers"].items())
    if status == 204:
        assert response["body"] == ""
        return
    payload = json.loads(response["body"])
    assert isinstance(payload, dict)
    if status == 200:
        assert set(payload) == {"page", "views", "visitors", "counted"}
        assert payload["views"] >= 0 and payload["visitors"] <= payload["views"]
    else:
        assert set(payload) == {"error"} and payload["error"]
    if status == 503:
        assert int(response["headers"]["Retry-After"]) > 0
    if status == 405:
        assert response["headers"]["Allow"] == "GET, POST, OPTIONS"
