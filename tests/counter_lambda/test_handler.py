"""The Lambda handler end to end against a real moto server (DynamoDB on loopback)."""

from __future__ import annotations

import datetime
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from counter_lambda.dynamo_store import DynamoStore
from counter_lambda.handler import handler_from_env, make_handler
from counter_lambda.settings import Settings
from tests.conftest import REPO, free_port
from tests.counter_lambda.conftest import (
    SITE,
    TEST_IP,
    TEST_UA,
    body_of,
    create_table,
    dynamo_client,
    v1_event,
    v2_event,
)

pytestmark = pytest.mark.aws


def visitor(n: int) -> dict[str, Any]:
    return {"ip": f"198.51.100.{n}"}


def test_post_counts_and_get_reads_without_counting(make_lambda: Any) -> None:
    handler = make_lambda()
    first = handler(v2_event("POST", body={"page": "/"}), None)
    assert first["statusCode"] == 200
    assert body_of(first) == {"page": "/", "views": 1, "visitors": 1, "counted": True}
    assert first["headers"]["Content-Type"] == "application/json"
    assert first["headers"]["Cache-Control"] == "no-store"
    for _ in range(3):
        read = handler(v2_event("GET", query="page=/"), None)
        assert read["statusCode"] == 200
        assert body_of(read) == {"page": "/", "views": 1, "visitors": 1, "counted": False}


def test_pages_are_normalised_to_one_key(make_lambda: Any) -> None:
    handler = make_lambda(allowed_pages=frozenset({"/", "/about/"}))
    for raw in ("/", "", "/index.html", "//index.html"):
        assert handler(v2_event(body={"page": raw}), None)["statusCode"] == 200
    assert body_of(handler(v2_event("GET", query="page=/index.html"), None))["views"] == 4
    assert body_of(handler(v2_event(body={"page": "/about/index.html"}), None))["views"] == 1


def test_unknown_and_malformed_pages_are_refused(make_lambda: Any, dynamo: Any, table: str) -> None:
    handler = make_lambda()
    unknown = handler(v2_event(body={"page": "/wp-admin.php"}), None)
    # not 404: CloudFront swaps a 404 behind /api/* for the site's (cached) HTML 404 page
    assert unknown["statusCode"] == 400
    assert "allowed pages" in body_of(unknown)["error"]
    for junk in ("/../etc/passwd", "https://evil.example/", "/a b", "/" + "x" * 300, 42):
        response = handler(v2_event(body={"page": junk}), None)
        assert response["statusCode"] == 400, junk
    assert dynamo.scan(TableName=table)["Count"] == 0  # no junk keys were created


def test_same_visitor_same_day_is_one_visitor_but_every_load_is_a_view(make_lambda: Any) -> None:
    handler = make_lambda()
    for _ in range(3):
        handler(v2_event(**visitor(1)), None)
    handler(v2_event(**visitor(2)), None)
    other_browser = handler(v2_event(**visitor(2), ua=TEST_UA.replace("120.0", "121.0")), None)
    assert body_of(other_browser) == {"page": "/", "views": 5, "visitors": 3, "counted": True}


def test_visitors_are_counted_again_on_a_new_utc_day(dynamo: Any, table: str) -> None:
    now = [1_800_000_000.0]
    settings = Settings()
    store = DynamoStore(dynamo, table, clock=lambda: now[0])
    from counter_lambda.api import request_from_event
    from counter_lambda.core import Counter

    counter = Counter(settings, store, clock=lambda: now[0])
    counter.handle(request_from_event(v2_event()))
    counter.handle(request_from_event(v2_event()))
    now[0] += 24 * 3600
    result = json.loads(counter.handle(request_from_event(v2_event())).body)
    assert (result["views"], result["visitors"]) == (3, 2)


def test_unique_visitors_can_be_switched_off(make_lambda: Any, dynamo: Any, table: str) -> None:
    handler = make_lambda(unique_visitors=False)
    assert body_of(handler(v2_event(), None)) == {"page": "/", "views": 1, "counted": True}
    keys = {item["pk"]["S"] for item in dynamo.scan(TableName=table)["Items"]}
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert keys == {"views#/#0", f"day#views#/#{today}"}  # the total and today's count


def test_stored_items_hold_no_ip_or_user_agent(make_lambda: Any, dynamo: Any, table: str) -> None:
    handler = make_lambda()
    handler(v2_event(), None)
    items = dynamo.scan(TableName=table)["Items"]
    dump = json.dumps(items)
    assert TEST_IP not in dump and "HeadlessChrome" not in dump
    markers = [i for i in items if i["pk"]["S"].startswith("visitor#")]
    assert len(markers) == 1
    ttl = int(markers[0]["expires"]["N"]) - time.time()
    assert 47 * 3600 < ttl <= 48 * 3600


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.31",
        "",
    ],
)
def test_bots_are_not_counted(make_lambda: Any, ua: str) -> None:
    handler = make_lambda()
    response = handler(v2_event(ua=ua), None)
    assert response["statusCode"] == 200
    assert body_of(response) == {"page": "/", "views": 0, "visitors": 0, "counted": False}


def test_headless_chrome_counts_unless_configured_as_a_bot(make_lambda: Any) -> None:
    assert body_of(make_lambda()(v2_event(), None))["counted"] is True
    strict = make_lambda(bot_patterns=("bot", "headlesschrome"))
    assert body_of(strict(v2_event(), None)) == {
        "page": "/",
        "views": 1,
        "visitors": 1,
        "counted": False,
    }


@pytest.mark.parametrize(
    "headers",
    [{"purpose": "prefetch"}, {"sec-purpose": "prefetch;prerender"}, {"x-moz": "prefetch"}],
)
def test_prefetch_is_not_counted(make_lambda: Any, headers: dict[str, str]) -> None:
    response = make_lambda()(v2_event(headers=headers), None)
    assert body_of(response)["counted"] is False
    assert body_of(response)["views"] == 0


def test_head_and_other_methods_are_405_with_allow(make_lambda: Any) -> None:
    handler = make_lambda()
    for method in ("HEAD", "PUT", "DELETE", "PATCH"):
        response = handler(v2_event(method), None)
        assert response["statusCode"] == 405
        assert response["headers"]["Allow"] == "GET, POST, OPTIONS"
        assert "error" in body_of(response)
    assert body_of(handler(v2_event("GET"), None))["views"] == 0


def test_other_paths_are_404(make_lambda: Any) -> None:
    handler = make_lambda()
    for path in ("/", "/api", "/api/views/extra", "/api/viewsx"):
        response = handler(v2_event("POST", path), None)
        assert response["statusCode"] == 404, path
        assert body_of(response)["error"]


def test_cors_echoes_only_configured_origins(make_lambda: Any) -> None:
    handler = make_lambda()
    allowed = handler(v2_event(headers={"origin": SITE}), None)
    assert allowed["statusCode"] == 200
    assert allowed["headers"]["Access-Control-Allow-Origin"] == SITE
    assert allowed["headers"]["Vary"] == "Origin"
    foreign = handler(v2_event(headers={"origin": "https://evil.example"}), None)
    assert foreign["statusCode"] == 400
    assert "Access-Control-Allow-Origin" not in foreign["headers"]
    read = handler(v2_event("GET", headers={"origin": "https://evil.example"}), None)
    assert read["statusCode"] == 200 and "Access-Control-Allow-Origin" not in read["headers"]
    assert body_of(read)["views"] == 1  # the foreign POST was not counted


def test_preflight(make_lambda: Any) -> None:
    handler = make_lambda()
    ok = handler(v2_event("OPTIONS", headers={"origin": SITE}), None)
    assert ok["statusCode"] == 204 and ok["body"] == ""
    assert ok["headers"]["Access-Control-Allow-Origin"] == SITE
    assert ok["headers"]["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "content-type" in ok["headers"]["Access-Control-Allow-Headers"]
    assert int(ok["headers"]["Access-Control-Max-Age"]) > 0
    foreign = handler(v2_event("OPTIONS", headers={"origin": "https://evil.example"}), None)
    assert foreign["statusCode"] == 204
    assert not any(k.startswith("Access-Control") for k in foreign["headers"])


def test_no_origins_configured_means_no_cors_but_counting_works(make_lambda: Any) -> None:
    handler = make_lambda(allowed_origins=frozenset())
    response = handler(v2_event(headers={"origin": SITE}), None)
    assert response["statusCode"] == 200 and body_of(response)["counted"] is True
    assert "Access-Control-Allow-Origin" not in response["headers"]


def test_retried_request_id_counts_once(make_lambda: Any) -> None:
    handler = make_lambda()
    request_id = str(uuid.uuid4())
    results = [
        body_of(handler(v2_event(body={"id": request_id}, **visitor(n)), None)) for n in range(3)
    ]
    assert [r["counted"] for r in results] == [True, False, False]
    assert results[-1]["views"] == 1
    fresh = body_of(handler(v2_event(body={"id": str(uuid.uuid4())}), None))
    assert fresh["views"] == 2
    bad = handler(v2_event(body={"id": "not-a-uuid"}), None)
    assert bad["statusCode"] == 400 and "UUID" in body_of(bad)["error"]


def test_shards_spread_writes_and_reads_sum(make_lambda: Any, dynamo: Any, table: str) -> None:
    handler = make_lambda(shards=4)
    for n in range(40):
        handler(v2_event(**visitor(n)), None)
    result = body_of(handler(v2_event("GET"), None))
    assert (result["views"], result["visitors"]) == (40, 40)
    items = dynamo.scan(TableName=table)["Items"]
    shard_counts = {
        i["pk"]["S"]: int(i["n"]["N"]) for i in items if i["pk"]["S"].startswith("views#")
    }
    assert len(shard_counts) >= 2, shard_counts  # random shards: 4 choices, 40 writes
    assert set(shard_counts) <= {f"views#/#{s}" for s in range(4)}
    assert sum(shard_counts.values()) == 40


def test_body_limits_and_bad_json(make_lambda: Any) -> None:
    handler = make_lambda()
    big = handler(v2_event(body=json.dumps({"page": "/", "pad": "x" * 1100})), None)
    assert big["statusCode"] == 413
    big64 = handler(v2_event(body="A" * 1100, base64_body=True), None)
    assert big64["statusCode"] == 413
    for raw in ("{", "[1, 2]", '"/"', "\x00\x01"):
        response = handler(v2_event(body=raw), None)
        assert response["statusCode"] == 400, raw
        assert body_of(response)["error"]
    ok64 = handler(v2_event(body={"page": "/index.html"}, base64_body=True), None)
    assert ok64["statusCode"] == 200 and body_of(ok64)["views"] == 1
    bad64 = handler({**v2_event(body="%%%"), "isBase64Encoded": True}, None)
    assert bad64["statusCode"] == 400


@pytest.mark.parametrize("event", [{}, "POST /api/views", None, 42, [], {"requestContext": None}])
def test_malformed_events_are_400(make_lambda: Any, event: Any) -> None:
    response = make_lambda()(event, None)
    assert response["statusCode"] == 400
    assert body_of(response) == {"error": "malformed request"}


def test_missing_request_context_still_routes(make_lambda: Any) -> None:
    event = v2_event("GET")
    del event["requestContext"]
    response = make_lambda()(event, None)
    # payload 2.0 without requestContext has no method: refused, never a crash
    assert response["statusCode"] == 400
    v1 = v1_event("GET")
    del v1["requestContext"]
    assert make_lambda()(v1, None)["statusCode"] == 200


def test_payload_1_0_works(make_lambda: Any) -> None:
    handler = make_lambda()
    posted = handler(v1_event("POST", body={"page": "/"}, headers={"Origin": SITE}), None)
    assert posted["statusCode"] == 200
    assert posted["headers"]["Access-Control-Allow-Origin"] == SITE
    assert body_of(posted) == {"page": "/", "views": 1, "visitors": 1, "counted": True}
    read = handler(v1_event("GET", query={"page": "/"}), None)
    assert body_of(read)["views"] == 1
    assert handler(v1_event("DELETE"), None)["statusCode"] == 405


def test_http_api_named_stage_prefix_is_stripped(make_lambda: Any) -> None:
    event = v2_event("GET", "/prod/api/views")
    event["requestContext"]["stage"] = "prod"
    assert make_lambda()(event, None)["statusCode"] == 200


@pytest.mark.slow
def test_500_concurrent_posts_from_16_threads_end_at_exactly_500(serial_moto: str) -> None:
    client = dynamo_client(serial_moto)
    handler = make_handler(Settings(), DynamoStore(client, create_table(client)))

    def post(n: int) -> int:
        return int(handler(v2_event(ip=f"10.0.{n // 250}.{n % 250}"), None)["statusCode"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(post, range(500)))
    assert statuses == [200] * 500
    result = body_of(handler(v2_event("GET"), None))
    assert (result["views"], result["visitors"]) == (500, 500)


def _throttle(code: str) -> Any:
    def hook(**_: Any) -> Any:
        http = AWSResponse("https://dynamodb", 400, {}, None)
        return http, {"Error": {"Code": code, "Message": "slow down"}, "ResponseMetadata": {}}

    return hook


@pytest.mark.parametrize(
    "code",
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"],
)
def test_throttled_dynamodb_is_503_with_retry_after(dynamo: Any, table: str, code: str) -> None:
    handler = make_handler(Settings(), DynamoStore(dynamo, table))
    handler(v2_event(), None)  # a real write first: the visitor exists
    hook = _throttle(code)
    dynamo.meta.events.register("before-call.dynamodb.UpdateItem", hook)
    try:
        response = handler(v2_event(**visitor(9)), None)
    finally:
        dynamo.meta.events.unregister("before-call.dynamodb.UpdateItem", hook)
    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert "error" in body_of(response)
    assert body_of(handler(v2_event("GET"), None))["views"] == 1
    retried = body_of(handler(v2_event(**visitor(9)), None))  # the visitor was released
    assert (retried["views"], retried["visitors"]) == (2, 2)


def _once(error: Exception) -> Any:
    calls = []

    def hook(**_: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise error

    hook.calls = calls  # type: ignore[attr-defined]
    return hook


def test_throttling_is_retried_by_the_store(dynamo: Any, table: str) -> None:
    handler = make_handler(Settings(), DynamoStore(dynamo, table))
    calls = []

    def throttle_twice(**kwargs: Any) -> Any:
        calls.append(1)
        return _throttle("ThrottlingException")(**kwargs) if len(calls) <= 2 else None

    dynamo.meta.events.register("before-call.dynamodb.UpdateItem", throttle_twice)
    try:
        response = handler(v2_event(), None)
    finally:
        dynamo.meta.events.unregister("before-call.dynamodb.UpdateItem", throttle_twice)
    assert response["statusCode"] == 200 and body_of(response)["views"] == 1
    # visitors: 2 throttled + 1 applied; views: 1; then today's views and visitors: 1 each
    assert len(calls) == 6


def test_a_lost_increment_answer_is_never_replayed(dynamo: Any, table: str) -> None:
    """The ADD reached DynamoDB but its answer was lost: replaying it would count twice."""
    handler = make_handler(Settings(unique_visitors=False), DynamoStore(dynamo, table))
    request_id = str(uuid.uuid4())
    lost = _once(ReadTimeoutError(endpoint_url="http://dynamodb"))
    dynamo.meta.events.register("after-call.dynamodb.UpdateItem", lost)
    try:
        response = handler(v2_event(body={"id": request_id}), None)
    finally:
        dynamo.meta.events.unregister("after-call.dynamodb.UpdateItem", lost)
    assert response["statusCode"] == 503 and response["headers"]["Retry-After"]
    assert len(lost.calls) == 1  # not replayed
    assert body_of(handler(v2_event("GET"), None))["views"] == 1  # it was applied, once
    # the client retries with the same id: the id stays claimed, so no double count
    retried = body_of(handler(v2_event(body={"id": request_id}), None))
    assert (retried["views"], retried["counted"]) == (1, False)


def test_a_lost_marker_answer_is_replayed_and_recognised(dynamo: Any, table: str) -> None:
    handler = make_handler(Settings(), DynamoStore(dynamo, table))
    lost = _once(ReadTimeoutError(endpoint_url="http://dynamodb"))
    dynamo.meta.events.register("after-call.dynamodb.PutItem", lost)
    try:
        response = handler(v2_event(), None)
    finally:
        dynamo.meta.events.unregister("after-call.dynamodb.PutItem", lost)
    assert len(lost.calls) >= 2  # the put was replayed ...
    assert body_of(response) == {"page": "/", "views": 1, "visitors": 1, "counted": True}
    again = body_of(handler(v2_event(), None))  # ... and the visitor is still known
    assert (again["views"], again["visitors"]) == (2, 1)


def test_a_dropped_read_is_retried(dynamo: Any, table: str) -> None:
    handler = make_handler(Settings(), DynamoStore(dynamo, table))
    handler(v2_event(), None)
    lost = _once(ReadTimeoutError(endpoint_url="http://dynamodb"))
    dynamo.meta.events.register("before-call.dynamodb.BatchGetItem", lost)
    try:
        response = handler(v2_event("GET"), None)
    finally:
        dynamo.meta.events.unregister("before-call.dynamodb.BatchGetItem", lost)
    assert response["statusCode"] == 200 and body_of(response)["views"] == 1
    assert len(lost.calls) == 2


def test_request_id_is_released_when_counting_fails(dynamo: Any, table: str) -> None:
    handler = make_handler(Settings(), DynamoStore(dynamo, table))
    request_id = str(uuid.uuid4())
    hook = _throttle("ThrottlingException")
    dynamo.meta.events.register("before-call.dynamodb.UpdateItem", hook)
    try:
        assert handler(v2_event(body={"id": request_id}), None)["statusCode"] == 503
    finally:
        dynamo.meta.events.unregister("before-call.dynamodb.UpdateItem", hook)
    retried = body_of(handler(v2_event(body={"id": request_id}), None))
    assert retried["counted"] is True and retried["views"] == 1


def test_a_retry_after_the_views_increment_failed_counts_the_visitor_once(
    dynamo: Any, table: str
) -> None:
    """The visitor was counted, then the views increment failed: the retry counts the view
    and must find the visitor already counted (its marker kept, only the request id freed)."""
    handler = make_handler(Settings(), DynamoStore(dynamo, table))
    request_id = str(uuid.uuid4())
    calls: list[int] = []

    def views_fail(**kwargs: Any) -> Any:
        calls.append(1)  # the first UpdateItem (visitors) is applied, every later one throttled
        return None if len(calls) == 1 else _throttle("ThrottlingException")(**kwargs)

    dynamo.meta.events.register("before-call.dynamodb.UpdateItem", views_fail)
    try:
        assert handler(v2_event(body={"id": request_id}), None)["statusCode"] == 503
    finally:
        dynamo.meta.events.unregister("before-call.dynamodb.UpdateItem", views_fail)
    assert body_of(handler(v2_event("GET"), None))["visitors"] == 1
    retried = body_of(handler(v2_event(body={"id": request_id}), None))
    assert (retried["counted"], retried["views"], retried["visitors"]) == (True, 1, 1)


def test_unreachable_dynamodb_is_503_with_retry_after() -> None:
    import boto3

    from counter_lambda.handler import client_config

    closed = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=client_config(),
    )
    handler = make_handler(Settings(), DynamoStore(closed, "nowhere"))
    for event in (v2_event(), v2_event("GET")):
        response = handler(event, None)
        assert response["statusCode"] == 503
        assert int(response["headers"]["Retry-After"]) > 0


def test_missing_table_is_503(dynamo: Any) -> None:
    handler = make_handler(Settings(), DynamoStore(dynamo, "no-such-table"))
    assert handler(v2_event(), None)["statusCode"] == 503


def test_logs_one_json_line_per_request_without_ip_or_ua(
    make_lambda: Any, caplog: pytest.LogCaptureFixture
) -> None:
    handler = make_lambda()
    caplog.set_level(logging.INFO, logger="counter_lambda")
    events = [
        v2_event(headers={"origin": SITE}),
        v2_event("GET"),
        v2_event("PUT"),
        v2_event(body="{"),
        v2_event(ua="Googlebot/2.1"),
        v2_event(headers={"x-forwarded-for": TEST_IP}),
        {},
    ]
    for event in events:
        handler(event, None)
    lines = [r.getMessage() for r in caplog.records if r.name == "counter_lambda"]
    assert len(lines) == len(events)
    records = [json.loads(line) for line in lines]
    assert [r["status"] for r in records] == [200, 200, 405, 400, 200, 200, 400]
    assert [r["counted"] for r in records] == [True, False, False, False, False, True, False]
    assert records[0]["route"] == "POST /api/views" and records[0]["reason"] == "counted"
    assert records[4]["reason"] == "bot"
    assert all(isinstance(r["latency_ms"], float) for r in records)
    text = caplog.text
    assert TEST_IP not in text and "HeadlessChrome" not in text and "Googlebot" not in text


def test_handler_from_env_uses_the_standard_chain(
    aws_env: Any, dynamo: Any, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        **os.environ,
        "TABLE_NAME": table,
        "ALLOWED_ORIGINS": SITE,
        "ALLOWED_PAGES": "/,/404.html",
        "SHARDS": "2",
    }
    handler = handler_from_env(env)
    response = handler(v2_event(body={"page": "/404.html"}, headers={"origin": SITE}), None)
    assert response["statusCode"] == 200
    assert response["headers"]["Access-Control-Allow-Origin"] == SITE
    assert body_of(response)["views"] == 1


@pytest.mark.parametrize(
    ("env", "fix"),
    [
        ({}, "TABLE_NAME"),
        ({"TABLE_NAME": "t", "SHARDS": "lots"}, "SHARDS"),
        ({"TABLE_NAME": "t", "ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS"),
        ({"TABLE_NAME": "t", "SECRET": "short"}, "SECRET"),
    ],
)
def test_bad_settings_answer_503_and_log_the_fix(
    aws_env: Any, env: dict[str, str], fix: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="counter_lambda")
    handler = handler_from_env(env)
    response = handler(v2_event(), None)
    assert response["statusCode"] == 503
    assert fix in caplog.text


def test_secret_from_secrets_manager(aws_env: Any, dynamo: Any, table: str) -> None:
    secrets = aws_env.client("secretsmanager")
    arn = secrets.create_secret(Name=f"salt-{uuid.uuid4().hex}", SecretString="s" * 64)["ARN"]
    handler = handler_from_env({**os.environ, "TABLE_NAME": table, "HMAC_SECRET_ARN": arn})
    handler(v2_event(), None)
    assert body_of(handler(v2_event(), None)) == {
        "page": "/",
        "views": 2,
        "visitors": 1,
        "counted": True,
    }
    keys = {i["pk"]["S"] for i in dynamo.scan(TableName=table)["Items"]}
    assert not any(k.startswith("salt#") for k in keys)  # the secret keyed the hash


def test_unreadable_secret_is_503_for_counting_but_reads_work(
    aws_env: Any, dynamo: Any, table: str
) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf"
    handler = handler_from_env({**os.environ, "TABLE_NAME": table, "HMAC_SECRET_ARN": arn})
    posted = handler(v2_event(), None)
    assert posted["statusCode"] == 503 and int(posted["headers"]["Retry-After"]) > 0
    read = handler(v2_event("GET"), None)
    assert read["statusCode"] == 200 and body_of(read)["views"] == 0


def test_module_level_handler_imports_and_serves(aws_env: Any, dynamo: Any, table: str) -> None:
    script = (
        "import json, sys\n"
        "from counter_lambda.handler import handler\n"
        "print(json.dumps(handler(json.loads(sys.stdin.read()), None)))\n"
    )
    env = {**os.environ, "TABLE_NAME": table, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(v2_event()),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    response = json.loads(done.stdout)
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["views"] == 1
