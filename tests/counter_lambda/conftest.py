"""Counter test helpers: API Gateway events, a moto table built from infra/counter.yaml."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from counter_lambda.dynamo_store import DynamoStore
from counter_lambda.handler import Handler, make_handler
from counter_lambda.settings import Settings
from tests.counter_lambda import serial_moto as serial_moto_server

REPO = Path(__file__).resolve().parents[2]
TEST_IP = "203.0.113.77"
TEST_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36"
SITE = "https://cv.example.com"


def v2_event(
    method: str = "POST",
    path: str = "/api/views",
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    ip: str = TEST_IP,
    ua: str | None = TEST_UA,
    query: str = "",
    base64_body: bool = False,
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event as API Gateway sends it."""
    all_headers = {"host": "abc123.execute-api.us-east-1.amazonaws.com"}
    if ua is not None:
        all_headers["user-agent"] = ua
    all_headers.update(headers or {})
    raw = body if isinstance(body, str) or body is None else json.dumps(body)
    if base64_body and raw is not None:
        raw = base64.b64encode(raw.encode()).decode()
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": ip, "userAgent": ua or ""},
            "stage": "$default",
            "requestId": str(uuid.uuid4()),
        },
        "body": raw,
        "isBase64Encoded": base64_body,
    }


def v1_event(
    method: str = "POST",
    path: str = "/api/views",
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    ip: str = TEST_IP,
    ua: str = TEST_UA,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API proxy (payload 1.0) event."""
    all_headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", "User-Agent": ua}
    all_headers.update(headers or {})
    return {
        "resource": "/api/views",
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query,
        "requestContext": {"identity": {"sourceIp": ip, "userAgent": ua}, "stage": "prod"},
        "body": body if isinstance(body, str) or body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation's short-form tags (!Ref, !Sub, ...) as plain data."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _any_tag)


def table_spec() -> dict[str, Any]:
    """KeySchema, AttributeDefinitions and TTL attribute of the counter table in infra/."""
    template = yaml.load((REPO / "infra" / "counter.yaml").read_text(), Loader=_CfnLoader)
    tables = [
        r["Properties"]
        for r in template["Resources"].values()
        if r.get("Type") == "AWS::DynamoDB::Table"
    ]
    assert len(tables) == 1, "infra/counter.yaml should define exactly one DynamoDB table"
    props = tables[0]
    return {
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "ttl": props.get("TimeToLiveSpecification", {}).get("AttributeName"),
    }


def create_table(client: Any) -> str:
    spec = table_spec()
    name = f"counter-{uuid.uuid4().hex[:12]}"
    client.create_table(
        TableName=name,
        KeySchema=spec["KeySchema"],
        AttributeDefinitions=spec["AttributeDefinitions"],
        BillingMode="PAY_PER_REQUEST",
    )
    if spec["ttl"]:
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"AttributeName": spec["ttl"], "Enabled": True},
        )
    return name


def dynamo_client(endpoint: str) -> Any:
    import boto3

    from counter_lambda.handler import client_config

    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        # moto on a busy 2-core machine can stall past the 2 s production read timeout;
        # timeouts have their own tests (test_handler.py), so they must not flake the others
        config=client_config(read_timeout=15),
    )


@pytest.fixture
def dynamo(moto_server: Any) -> Any:
    return dynamo_client(moto_server.endpoint)


@pytest.fixture
def table(dynamo: Any) -> Iterator[str]:
    name = create_table(dynamo)
    yield name
    dynamo.delete_table(TableName=name)


@pytest.fixture(scope="session")
def serial_moto() -> Iterator[str]:
    """A moto server on loopback that runs one request at a time (see serial_moto.py for why);
    for tests that check exact counts under concurrency. Yields its endpoint."""
    with serial_moto_server.running() as endpoint:
        yield endpoint


LambdaFactory = Callable[..., Handler]


@pytest.fixture
def make_lambda(dynamo: Any, table: str) -> LambdaFactory:
    """Build a handler on the test table: `make_lambda(shards=4, allowed_origins=...)`."""

    def build(**overrides: Any) -> Handler:
        settings = Settings(**{"allowed_origins": frozenset({SITE}), **overrides})
        return make_handler(settings, DynamoStore(dynamo, table))

    return build
