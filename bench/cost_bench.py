"""What one page view costs on AWS, measured, and the month at 1k, 100k and 10M views.

Measured here: the requests one view makes to CloudFront (the page, its assets on a first
visit, the counter's POST; assets are fingerprinted and cached a year, so a returning visitor
fetches only the page and the POST), the bytes it transfers (gzip, as CloudFront compresses),
and the DynamoDB writes the counter makes per counted view (every call counted through
botocore's events against a moto server running the real handler): a new visitor of the day
and a returning one. Prices are us-east-1 list prices (USD) written below; the always-free
allowances are shown apart (see README, What it costs). Usage: python bench/cost_bench.py
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"

# us-east-1 list prices, USD (CloudFront: United States, Mexico & Canada; first tiers)
CLOUDFRONT_PER_REQUEST = 0.0100 / 10_000  # HTTPS
CLOUDFRONT_PER_GB = 0.085
CLOUDFRONT_FUNCTION_PER_CALL = 0.10 / 1_000_000  # the index rewrite on every page request
S3_PER_GET = 0.0004 / 1_000  # the page is revalidated (max-age=0): one GET per view
API_PER_CALL = 1.00 / 1_000_000  # HTTP API
LAMBDA_PER_CALL = 0.20 / 1_000_000
LAMBDA_GB_SECOND = 0.0000133334  # arm64
LAMBDA_GB, LAMBDA_SECONDS = 0.25, 0.020  # 256 MB, ~20 ms billed per call
DYNAMODB_PER_WRITE = 0.625 / 1_000_000  # on-demand write request unit (items < 1 KB)
DYNAMODB_PER_READ = 0.125 / 1_000_000  # on-demand read request unit (strongly consistent)
LOGS_PER_GB = 0.50  # CloudWatch Logs ingestion
LOG_BYTES_PER_CALL = 450  # the function's line plus the API's access log line
SECRET_PER_MONTH = 0.40  # the salt's secret: the only fixed cost
SECRET_PER_CALL = 0.05 / 10_000  # GetSecretValue, once per Lambda cold start
COLD_STARTS_PER_1K_CALLS = 5  # a guess: environments are reused for minutes

VIEWS = (1_000, 100_000, 10_000_000)
RETURNING = 0.3  # share of views by a visitor who already has the assets cached


def build_example(folder: Path) -> Path:
    from click.testing import CliRunner

    from cvgen.cli import cli

    site = folder / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy2(REPO / "cvgen.yaml", site / "cvgen.yaml")
    if (REPO / "theme").is_dir():
        shutil.copytree(REPO / "theme", site / "theme")
    done = CliRunner().invoke(cli, ["build", "--root", str(site)])
    assert done.exit_code == 0, done.output
    return site / "output"


def page_requests(output: Path) -> tuple[int, int, int, int]:
    """(requests of a first view, of a returning view, gzip bytes of each)."""
    from cvgen.smoke.checks import parse_references

    html = (output / "index.html").read_bytes()
    references = parse_references(html.decode(), "https://cv.example.com/")
    assets = {
        urlsplit(r.url).path for r in references if r.url.startswith("https://cv.example.com/")
    }
    asset_bytes = sum(
        len(gzip.compress((output / path.lstrip("/")).read_bytes()))
        for path in assets
        if (output / path.lstrip("/")).is_file()
    )
    page = len(gzip.compress(html)) + 200  # + the counter's JSON answer
    return 2 + len(assets), 2, page + asset_bytes, page


def dynamodb_writes() -> tuple[Counter[str], Counter[str]]:
    """DynamoDB calls by operation for a new visitor's view and a returning visitor's."""
    import boto3

    from counter_lambda.dynamo_store import DynamoStore
    from counter_lambda.handler import client_config, make_handler
    from counter_lambda.settings import Settings
    from tests.counter_lambda import serial_moto

    with serial_moto.running() as endpoint:
        client = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=client_config(),
        )
        table = f"cost-{uuid.uuid4().hex[:8]}"
        client.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        # the Lambda's settings: unique visitors on, the salt from a secret (not the table)
        handler = make_handler(
            Settings(unique_visitors=True, secret=b"s" * 32), DynamoStore(client, table)
        )
        calls: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        client.meta.events.register("before-call.dynamodb.*", count)

        def view() -> Counter[str]:
            calls.clear()
            body = json.dumps({"page": "/", "id": str(uuid.uuid4())})
            answer = handler(
                {
                    "version": "2.0",
                    "rawPath": "/api/views",
                    "rawQueryString": "",
                    "headers": {"user-agent": UA, "content-type": "application/json"},
                    "requestContext": {"http": {"method": "POST", "sourceIp": "192.0.2.7"}},
                    "body": body,
                    "isBase64Encoded": False,
                },
                None,
            )
            assert answer["statusCode"] == 200, answer
            return Counter(calls)

        return view(), view()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        output = build_example(Path(tmp))
        first, returning, first_bytes, returning_bytes = page_requests(output)
    new, again = dynamodb_writes()
    writes_new = sum(n for op, n in new.items() if op in ("PutItem", "UpdateItem", "DeleteItem"))
    writes_again = sum(
        n for op, n in again.items() if op in ("PutItem", "UpdateItem", "DeleteItem")
    )
    print(f"CloudFront requests per view: {first} first visit, {returning} returning (page + POST)")
    print(f"bytes per view (gzip): {first_bytes} first visit, {returning_bytes} returning")
    print(f"DynamoDB per counted view, new visitor of the day: {dict(new)} = {writes_new} writes")
    print(
        f"DynamoDB per counted view, returning the same day: {dict(again)} = {writes_again} writes"
    )
    print("  (a conditional PutItem that fails still consumes its write unit)")
    print()
    requests = first * (1 - RETURNING) + returning * RETURNING
    transfer = (first_bytes * (1 - RETURNING) + returning_bytes * RETURNING) / 1e9
    writes = (writes_new + writes_again) / 2  # about half the views are a day's first
    reads = (new["BatchGetItem"] + new["GetItem"] + again["BatchGetItem"] + again["GetItem"]) / 2
    per_view = {
        "CloudFront requests": requests * CLOUDFRONT_PER_REQUEST,
        "CloudFront data out": transfer * CLOUDFRONT_PER_GB,
        "CloudFront Functions": (requests - 1) * CLOUDFRONT_FUNCTION_PER_CALL,
        "S3 GET (page revalidation)": S3_PER_GET,
        "API Gateway": API_PER_CALL,
        "Lambda": LAMBDA_PER_CALL + LAMBDA_GB * LAMBDA_SECONDS * LAMBDA_GB_SECOND,
        "DynamoDB writes": writes * DYNAMODB_PER_WRITE,
        "DynamoDB reads": reads * DYNAMODB_PER_READ,
        "CloudWatch Logs": LOG_BYTES_PER_CALL / 1e9 * LOGS_PER_GB,
        "Secrets Manager calls": COLD_STARTS_PER_1K_CALLS / 1000 * SECRET_PER_CALL,
    }
    header = f"{'per month, list prices (no free tier)':<34}" + "".join(f"{v:>14,}" for v in VIEWS)
    print(header)
    for name, cost in per_view.items():
        print(f"{name:<34}" + "".join(f"{cost * v:>14.4f}" for v in VIEWS))
    print(
        f"{'Secrets Manager secret (fixed)':<34}"
        + "".join(f"{SECRET_PER_MONTH:>14.4f}" for _ in VIEWS)
    )
    totals = [SECRET_PER_MONTH + sum(per_view.values()) * v for v in VIEWS]
    print(f"{'total USD':<34}" + "".join(f"{t:>14.2f}" for t in totals))
    print(f"(mix: {RETURNING:.0%} returning visitors; writes averaged over new and returning)")


if __name__ == "__main__":
    main()
