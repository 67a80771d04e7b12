"""Counter backend figures: handler import time (cold-start proxy, target < 150 ms with boto3),
handler latency p50/p99 against a moto server on loopback (requests serialised, see
tests/counter_lambda/serial_moto.py), and increments/s under 16 threads
(the final count must equal the number sent), for DynamoDB (moto) and the dev SQLite store.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

IMPORT_RUNS = 7
LATENCY_REQUESTS = 300
LOAD_REQUESTS = 2000
THREADS = 16
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def event(n: int, method: str = "POST") -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": "/api/views",
        "rawQueryString": "",
        "headers": {"user-agent": UA},
        "requestContext": {
            "http": {
                "method": method,
                "sourceIp": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
            }
        },
        "body": None,
        "isBase64Encoded": False,
    }


def import_times(env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds to import the handler (boto3/botocore, settings, client) in a
    fresh process. CPU time is the steadier figure on a machine shared with other work."""
    script = (
        "import time; t, c = time.perf_counter(), time.process_time(); "
        "import counter_lambda.handler as h; "
        "wall, cpu = time.perf_counter() - t, time.process_time() - c; "
        "assert h.handler.__qualname__.startswith('make_handler'), 'not configured'; "
        "print(wall, cpu)"
    )
    walls, cpus = [], []
    for _ in range(IMPORT_RUNS):
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        wall, cpu = (float(x) * 1000 for x in done.stdout.split())
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def load(handler: Any, requests: int) -> tuple[float, int]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(lambda n: handler(event(n), None)["statusCode"], range(requests)))
    elapsed = time.perf_counter() - started
    assert statuses == [200] * requests, {s for s in statuses if s != 200}
    return requests / elapsed, elapsed


def views(handler: Any) -> int:
    import json

    return int(json.loads(handler(event(0, "GET"), None)["body"])["views"])


def main() -> None:
    import boto3

    from counter_lambda.dynamo_store import DynamoStore
    from counter_lambda.handler import client_config, make_handler
    from counter_lambda.settings import Settings
    from cvgen.counter import SqliteStore
    from tests.counter_lambda import serial_moto

    # moto's own server loses concurrent ADDs (an unlocked read-modify-write in Python); this
    # one serialises requests so the exactness check tests our code, not moto's
    with serial_moto.running() as endpoint:
        client = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=client_config(),
        )
        table = f"bench-{uuid.uuid4().hex[:8]}"
        client.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "TABLE_NAME": table,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
        walls, cpus = import_times(env)
        print(
            f"handler import (botocore + client, fresh process): median {statistics.median(walls):6.1f} ms"
            f" wall, {statistics.median(cpus):6.1f} ms CPU   best {min(walls):6.1f} ms wall"
            f"   ({IMPORT_RUNS} runs; target < 150 ms; load average {os.getloadavg()[0]:.1f})"
        )

        handler = make_handler(Settings(), DynamoStore(client, table))
        latencies = []
        for n in range(LATENCY_REQUESTS):
            started = time.perf_counter()
            handler(event(n), None)
            latencies.append((time.perf_counter() - started) * 1000)
        print(
            f"handler POST latency vs moto:  p50 {percentile(latencies, 50):6.2f} ms"
            f"   p99 {percentile(latencies, 99):6.2f} ms   ({LATENCY_REQUESTS} sequential)"
        )
        before = views(handler)
        rate, elapsed = load(handler, LOAD_REQUESTS)
        after = views(handler)
        print(
            f"DynamoDB (moto) {THREADS} threads: {rate:7.1f} increments/s   {LOAD_REQUESTS} sent in "
            f"{elapsed:.2f} s, count rose by {after - before} (exact: {after - before == LOAD_REQUESTS})"
        )

    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "counter.sqlite3")
        handler = make_handler(Settings(), store)
        rate, elapsed = load(handler, LOAD_REQUESTS)
        final = views(handler)
        store.close()
    print(
        f"SQLite (dev) {THREADS} threads:    {rate:7.1f} increments/s   {LOAD_REQUESTS} sent in "
        f"{elapsed:.2f} s, final count {final} (exact: {final == LOAD_REQUESTS})"
    )


if __name__ == "__main__":
    main()
