"""`DynamoStore`: the counter's `Store` on one DynamoDB table whose partition key is `pk` (S).

Items (key layout from `counter_lambda.core`):

- counters `views#<page>#<shard>` / `visitors#<page>#<shard>` with a number `n`, only ever
  changed by `UpdateItem ... ADD n :one` with `ReturnValues=UPDATED_NEW` (atomic; never a
  read followed by a write);
- markers `visitor#<hmac>`, `request#<uuid>`, `salt#<day>` with `expires` (epoch seconds, the
  table's TTL attribute) and a value `v`, written by a conditional `PutItem` that succeeds only
  when no live marker exists (`attribute_not_exists(pk) OR expires <= :now`: TTL deletion
  lags by hours).

Reads use strongly consistent `BatchGetItem` for all 2 x SHARDS counter items: the table
has a partition key only (the infra contract), so a `Query` could return one item at most,
while a batch fetches every shard of both totals in one round trip (100 keys a call, so
SHARDS <= 50 is one call and up to 100 is two). Unprocessed keys are retried with backoff.

Retries are done here, not by botocore (the client runs with one attempt), because only the
store knows which calls may be replayed: a throttled or never-sent call is always retried, but
an `ADD` whose answer was lost (read timeout, dropped connection, 5xx) may have been applied,
so it is not replayed (that would count twice) and fails with `maybe_applied`. A marker put
carries a random value, so a replayed put that finds its own earlier write still succeeds.
Everything that still fails becomes `StoreUnavailable`, which the core answers with 503 and
`Retry-After`.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
)

from counter_lambda.store import RETRY_AFTER_THROTTLED, RETRY_AFTER_UNREACHABLE, StoreUnavailable

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
    }
)
ATTEMPTS = 3
_BATCH_ATTEMPTS = 4
_CONDITION_FAILED = "ConditionalCheckFailedException"


class DynamoStore:
    """A `counter_lambda.core.Store` on a DynamoDB table; `client` is a botocore DynamoDB client
    (best created with `counter_lambda.handler.client_config()`: one attempt, short timeouts)."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.table_name = table_name
        self._clock = clock
        self._sleep = sleep

    def increment(self, key: str) -> int:
        response = self._call(
            "update_item",
            replay_safe=False,
            TableName=self.table_name,
            Key={"pk": {"S": key}},
            UpdateExpression="ADD #n :one",
            ExpressionAttributeNames={"#n": "n"},
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["n"]["N"])

    def read(self, keys: Sequence[str]) -> Mapping[str, int]:
        values: dict[str, int] = {}
        for start in range(0, len(keys), 100):
            pending: dict[str, Any] = {
                self.table_name: {
                    "Keys": [{"pk": {"S": key}} for key in keys[start : start + 100]],
                    "ConsistentRead": True,
                    "ProjectionExpression": "pk, #n",
                    "ExpressionAttributeNames": {"#n": "n"},
                }
            }
            for attempt in range(_BATCH_ATTEMPTS):
                response = self._call("batch_get_item", replay_safe=True, RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    if "n" in item:
                        values[item["pk"]["S"]] = int(item["n"]["N"])
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
                if attempt + 1 < _BATCH_ATTEMPTS:
                    self._backoff(attempt)
            else:
                raise StoreUnavailable("dynamodb: unprocessed keys", RETRY_AFTER_THROTTLED)
        return values

    def claim(self, key: str, ttl_seconds: int) -> bool:
        return self._put_marker(key, secrets.token_hex(8), ttl_seconds)

    def release(self, key: str) -> None:
        self._call(
            "delete_item", replay_safe=True, TableName=self.table_name, Key={"pk": {"S": key}}
        )

    def get_or_create(self, key: str, value: str, ttl_seconds: int) -> str:
        for _ in range(3):
            existing = self._live_marker_value(key)
            if existing is not None:
                return existing
            if self._put_marker(key, value, ttl_seconds):
                return value
        raise StoreUnavailable("dynamodb: marker contention", RETRY_AFTER_THROTTLED)

    def _live_marker_value(self, key: str) -> str | None:
        response = self._call(
            "get_item",
            replay_safe=True,
            TableName=self.table_name,
            Key={"pk": {"S": key}},
            ConsistentRead=True,
        )
        item = response.get("Item")
        if not item or int(item.get("expires", {}).get("N", "0")) <= self._clock():
            return None
        return str(item.get("v", {}).get("S", ""))

    def _put_marker(self, key: str, value: str, ttl_seconds: int) -> bool:
        """Write the marker unless a live one exists. A replay that meets its own earlier
        write (same random `value`) counts as success."""
        now = int(self._clock())
        try:
            self._call(
                "put_item",
                replay_safe=True,
                passthrough=_CONDITION_FAILED,
                TableName=self.table_name,
                Item={
                    "pk": {"S": key},
                    "v": {"S": value},
                    "expires": {"N": str(now + ttl_seconds)},
                },
                ConditionExpression="attribute_not_exists(pk) OR expires <= :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:  # only the condition failure gets through
            old: Any = exc.response.get("Item") or {}
            return bool(old.get("v", {}).get("S") == value)
        return True

    def _call(
        self, operation: str, *, replay_safe: bool, passthrough: str | None = None, **params: Any
    ) -> Any:
        method = getattr(self.client, operation)
        for attempt in range(ATTEMPTS):
            last = attempt + 1 == ATTEMPTS
            try:
                return method(**params)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", "Unknown"))
                if code == passthrough:
                    raise
                status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
                if code in THROTTLING_CODES:  # refused before doing anything: safe to repeat
                    if last:
                        raise StoreUnavailable(f"dynamodb: {code}", RETRY_AFTER_THROTTLED) from exc
                elif status >= 500 and replay_safe and not last:
                    pass
                else:  # a 5xx may have been applied; a 4xx (missing table, access) is final
                    raise StoreUnavailable(
                        f"dynamodb: {code}", RETRY_AFTER_UNREACHABLE, maybe_applied=status >= 500
                    ) from exc
            except (EndpointConnectionError, ConnectTimeoutError) as exc:  # never sent
                if last:
                    raise StoreUnavailable(
                        f"dynamodb: {type(exc).__name__}", RETRY_AFTER_UNREACHABLE
                    ) from exc
            except BotoCoreError as exc:  # sent, answer lost: read timeout, dropped connection
                if not replay_safe or last:
                    raise StoreUnavailable(
                        f"dynamodb: {type(exc).__name__}",
                        RETRY_AFTER_UNREACHABLE,
                        maybe_applied=not replay_safe,
                    ) from exc
            self._backoff(attempt)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _backoff(self, attempt: int) -> None:
        self._sleep(random.uniform(0, 0.05 * 2**attempt))  # full jitter, like botocore
