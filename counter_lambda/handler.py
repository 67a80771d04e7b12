"""The Lambda entry point, `counter_lambda/handler.py:handler`: event in, response out.

Settings come from the environment and the DynamoDB client is created once, at import (cold
start), with the standard boto3/botocore chain (so `AWS_ENDPOINT_URL` points it at an emulator) and
short timeouts. `make_handler(settings, store)` builds the same handler with explicit settings
(tests, benchmarks). Environment: `TABLE_NAME` (required), `HMAC_SECRET_ARN` (optional: a
Secrets Manager secret, 16+ characters, keying the daily visitor hash; read on first use and
cached) plus everything `counter_lambda.core.Settings.from_env` lists. A bad setting does not
break the import: every request then answers 503 and the log says which variable to fix.

Each request logs one JSON line (route, status, latency, counted, reason, page): never the
IP address or User-Agent.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from counter_lambda.api import (
    BadRequest,
    Request,
    Response,
    bad_request_response,
    finish_headers,
    log_record,
    request_from_event,
    unavailable_response,
)
from counter_lambda.core import Counter
from counter_lambda.dynamo_store import DynamoStore
from counter_lambda.settings import Settings, SettingsError
from counter_lambda.store import Store, StoreUnavailable

logger = logging.getLogger("counter_lambda")
logger.setLevel(logging.INFO)

Handler = Callable[[Any, Any], dict[str, Any]]


def client_config(read_timeout: float = 2.0) -> Any:
    """botocore settings for a short-lived function: small timeouts and one attempt per call,
    because `DynamoStore` retries by itself, knowing which calls are safe to replay."""
    from botocore.config import Config

    return Config(
        retries={"mode": "standard", "total_max_attempts": 1},
        connect_timeout=1,
        read_timeout=read_timeout,
        tcp_keepalive=True,
    )


def make_handler(
    settings: Settings, store: Store, secret_loader: Callable[[], bytes] | None = None
) -> Handler:
    counter = Counter(settings, store, secret_loader=secret_loader)

    def handle(event: Any, context: Any = None) -> dict[str, Any]:
        started = time.perf_counter()
        request: Request | None = None
        try:
            request = request_from_event(event)
            response = counter.handle(request)
        except BadRequest as exc:
            response = bad_request_response(exc, _origin_of(event), settings.allowed_origins)
        except Exception as exc:  # nothing escapes: an unexpected failure is a clean 503
            logger.exception("counter handler failed")
            response = unavailable_response({}, reason=f"internal: {type(exc).__name__}")
        return _finish(request, response, started, context)

    return handle


def make_unconfigured_handler(problem: str) -> Handler:
    """The handler when the settings are unusable: 503 for every request, the fix in the log."""

    def handle(event: Any, context: Any = None) -> dict[str, Any]:
        started = time.perf_counter()
        logger.error(json.dumps({"configuration_error": problem}))
        return _finish(
            None, unavailable_response({}, reason=f"configuration: {problem}"), started, context
        )

    return handle


def handler_from_env(environ: Mapping[str, str]) -> Handler:
    """The handler for this environment: settings validated, one DynamoDB client."""
    try:
        table_name = environ.get("TABLE_NAME", "").strip()
        if not table_name:
            raise SettingsError("TABLE_NAME is not set; set it to the counter table's name")
        settings = Settings.from_env(environ)
        # The client boto3.client() would build, minus importing boto3 itself: boto3 pulls in
        # s3transfer, about 80 ms of cold start for nothing. Same credential/region/endpoint
        # chain (AWS_ENDPOINT_URL included).
        import botocore.session

        session = botocore.session.get_session()
        # Lambda sets AWS_REGION (and AWS_DEFAULT_REGION); older botocore reads only the latter
        region = environ.get("AWS_REGION") or None
        config = client_config()
        client = session.create_client("dynamodb", region_name=region, config=config)
        store = DynamoStore(client, table_name)
        secret_arn = environ.get("HMAC_SECRET_ARN", "").strip()
        loader = None
        if secret_arn and settings.unique_visitors and settings.secret is None:
            secrets_client = session.create_client(
                "secretsmanager", region_name=region, config=config
            )
            loader = secret_loader(secrets_client, secret_arn)
    except Exception as exc:  # a missing region, a bad setting: keep importable, answer 503
        return make_unconfigured_handler(str(exc))  # which logs the problem on every request
    return make_handler(settings, store, loader)


def secret_loader(secrets_client: Any, secret_id: str) -> Callable[[], bytes]:
    """Loads the visitor-hash secret from Secrets Manager; failures become StoreUnavailable."""

    from botocore.exceptions import BotoCoreError, ClientError

    def load() -> bytes:
        try:
            response = secrets_client.get_secret_value(SecretId=secret_id)
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"secretsmanager: {type(exc).__name__}") from exc
        value = response.get("SecretString")
        if not isinstance(value, str) or len(value) < 16:
            raise StoreUnavailable("secretsmanager: secret missing or under 16 characters")
        return value.encode()

    return load


def _origin_of(event: Any) -> str:
    headers = event.get("headers") if isinstance(event, Mapping) else None
    if not isinstance(headers, Mapping):
        return ""
    for name, value in headers.items():
        if isinstance(name, str) and name.lower() == "origin" and isinstance(value, str):
            return value
    return ""


def _finish(
    request: Request | None, response: Response, started: float, context: Any
) -> dict[str, Any]:
    record = log_record(request, response, (time.perf_counter() - started) * 1000)
    request_id = getattr(context, "aws_request_id", None)
    if isinstance(request_id, str):
        record["request_id"] = request_id
    logger.info(json.dumps(record))
    return {
        "statusCode": response.status,
        "headers": finish_headers(response),
        "body": response.body.decode(),
        "isBase64Encoded": False,
    }


handler: Handler = handler_from_env(os.environ)
