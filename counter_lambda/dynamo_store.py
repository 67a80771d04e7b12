"""`DynamoStore`: the counter's `Store` on one DynamoDB table whose partition key is `pk` (S).

Items (key layout from `counter_lambda.core`):

- counters `views#<page>#<shard>` / `visitors#<page>#<shard>` with a number `n`, only ever
  changed by `UpdateItem ... ADD n :one` with `ReturnValues=UPDATED_NEW` (atomic; never a
  read followed by a write);
- markers `visitor#<hmac>`, `request#<uuid>`, `salt#<day>` with `expires` (epoch seconds, the
  table's TTL attribute), written by a conditional `PutItem` that succeeds only when no live
  marker exists (`attribute_not_exists(pk) OR expires <= :now`: TTL deletion lags by hours).

Reads use strongly consistent `BatchGetItem` for all 2 x SHARDS counter items: the table
has a partition key only (the infra contract), so a `Query` could return one item at most,
while a batch fetches every shard of both totals in one round trip (100 keys a call, so
SHARDS <= 50 is one call and up to 100 is two). Unprocessed keys are retried with backoff.

Throttling, an unreachable endpoint and any other DynamoDB error become `StoreUnavailable`,
which the core answers with 503 and `Retry-After`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from counter_lambda.core import RETRY_AFTER_THROTTLED, RETRY_AFTER_UNREACHABLE, StoreUnavailable

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
    }
)
_BATCH_ATTEMPTS = 4


class DynamoStore:
    """A `counter_lambda.core.Store` on a DynamoDB table; `client` is a boto3 DynamoDB client."""

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
        with aws_errors():
            response = self.client.update_item(
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
                with aws_errors():
                    response = self.client.batch_get_item(RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    if "n" in item:
                        values[item["pk"]["S"]] = int(item["n"]["N"])
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
                if attempt + 1 < _BATCH_ATTEMPTS:
                    self._sleep(0.02 * 2**attempt)
            else:
                raise StoreUnavailable("dynamodb: unprocessed keys", RETRY_AFTER_THROTTLED)
        return values

    def claim(self, key: str, ttl_seconds: int) -> bool:
        return self._put_marker(key, None, ttl_seconds)

    def release(self, key: str) -> None:
        with aws_errors():
            self.client.delete_item(TableName=self.table_name, Key={"pk": {"S": key}})

    def get_or_create(self, key: str, value: str, ttl_seconds: int) -> str:
        for _ in range(3):
            existing = self._live_marker_value(key)
            if existing is not None:
                return existing
            if self._put_marker(key, value, ttl_seconds):
                return value
        raise StoreUnavailable("dynamodb: marker contention", RETRY_AFTER_THROTTLED)

    def _live_marker_value(self, key: str) -> str | None:
        with aws_errors():
            response = self.client.get_item(
                TableName=self.table_name, Key={"pk": {"S": key}}, ConsistentRead=True
            )
        item = response.get("Item")
        if not item or int(item.get("expires", {}).get("N", "0")) <= self._clock():
            return None
        return str(item.get("v", {}).get("S", ""))

    def _put_marker(self, key: str, value: str | None, ttl_seconds: int) -> bool:
        now = int(self._clock())
        item: dict[str, Any] = {"pk": {"S": key}, "expires": {"N": str(now + ttl_seconds)}}
        if value is not None:
            item["v"] = {"S": value}
        try:
            with aws_errors(passthrough="ConditionalCheckFailedException"):
                self.client.put_item(
                    TableName=self.table_name,
                    Item=item,
                    ConditionExpression="attribute_not_exists(pk) OR expires <= :now",
                    ExpressionAttributeValues={":now": {"N": str(now)}},
                )
        except ClientError:  # only ConditionalCheckFailedException gets through
            return False
        return True


@contextmanager
def aws_errors(passthrough: str | None = None) -> Iterator[None]:
    """Turn botocore failures into StoreUnavailable (except the `passthrough` error code)."""
    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", "Unknown"))
        if code == passthrough:
            raise
        retry_after = RETRY_AFTER_THROTTLED if code in THROTTLING_CODES else RETRY_AFTER_UNREACHABLE
        raise StoreUnavailable(f"dynamodb: {code}", retry_after) from exc
    except BotoCoreError as exc:  # endpoint unreachable, timeouts, connection closed
        raise StoreUnavailable(f"dynamodb: {type(exc).__name__}", RETRY_AFTER_UNREACHABLE) from exc
