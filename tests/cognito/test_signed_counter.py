"""The SigV4-verifying test endpoint itself: it must accept botocore's own signatures and
refuse every tampered request, or the browser test proves nothing."""

from __future__ import annotations

import datetime
import urllib.request
from collections.abc import Iterator

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.cognito.servers import IssuedCredentials, SignedCounter, check_signature

REGION = "eu-west-1"
KEY, SECRET, TOKEN = "ASIAGUEST0000000001", "guest/secret+key", "session-token-of-the-guest"
ISSUED = {KEY: IssuedCredentials(SECRET, TOKEN)}
PAGE_ORIGIN = "http://127.0.0.1:9"


def signed(
    url: str = "http://api.test/api/views",
    body: bytes = b'{"page": "/"}',
    method: str = "POST",
    token: str | None = TOKEN,
    region: str = REGION,
    service: str = "execute-api",
) -> tuple[dict[str, str], bytes]:
    """Headers (lower-case names) of a request signed by botocore, as a client would send it."""
    request = AWSRequest(
        method=method, url=url, headers={"Content-Type": "application/json"}, data=body
    )
    SigV4Auth(Credentials(KEY, SECRET, token), service, region).add_auth(request)
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers["host"] = url.split("/")[2]
    return headers, body


def check(
    headers: dict[str, str],
    body: bytes,
    url: str = "http://api.test/api/views",
    method: str = "POST",
    now: datetime.datetime | None = None,
) -> str | None:
    return check_signature(
        method, url, headers, body, ISSUED, REGION, now or datetime.datetime.now(datetime.UTC)
    )


def test_botocore_signature_is_accepted() -> None:
    assert check(*signed()) is None


def test_query_string_and_get_are_accepted() -> None:
    url = "http://api.test/prod/api/views?page=%2Fabout%2F&a-b=1&a=2"
    headers, body = signed(url=url, method="GET", body=b"")
    assert check(headers, body, url=url, method="GET") is None


def flip(text: str) -> str:
    return text[:-1] + ("0" if text[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda h, b, u: ({**h, "authorization": flip(h["authorization"])}, b, u), "signature"),
        (lambda h, b, u: (h, b'{"page": "/admin"}', u), "signature"),
        (lambda h, b, u: (h, b, u.replace("/api/views", "/api/views2")), "signature"),
        (lambda h, b, u: (h, b, u + "?page=/x"), "signature"),
        (lambda h, b, u: ({**h, "host": "other.test"}, b, u), "signature"),
        (lambda h, b, u: ({**h, "content-type": "text/plain"}, b, u), "signature"),
        (lambda h, b, u: ({**h, "x-amz-security-token": "stolen"}, b, u), "security token"),
        (
            lambda h, b, u: (
                {**h, "authorization": h["authorization"].replace(KEY, "AKIAX")},
                b,
                u,
            ),
            "security token",
        ),
        (lambda h, b, u: ({k: v for k, v in h.items() if k != "authorization"}, b, u), "Missing"),
    ],
    ids=["signature", "body", "path", "query", "host", "content-type", "token", "key", "unsigned"],
)
def test_tampered_requests_are_refused(tamper, message: str) -> None:  # type: ignore[no-untyped-def]
    headers, body = signed()
    headers, body, url = tamper(headers, body, "http://api.test/api/views")
    error = check(headers, body, url=url)
    assert error is not None and message in error


def test_scope_must_name_this_region_and_execute_api() -> None:
    assert "scoped" in str(check(*signed(region="us-east-1")))
    assert "scoped" in str(check(*signed(service="s3")))


def test_old_signatures_expire() -> None:
    headers, body = signed()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)
    assert check(headers, body, now=later) == "Signature expired"


def test_session_token_must_be_signed() -> None:
    headers, body = signed(token=None)  # botocore signs no token when there is none
    headers["x-amz-security-token"] = TOKEN
    assert "x-amz-security-token" in str(check(headers, body))


@pytest.fixture
def counter() -> Iterator[SignedCounter]:
    with SignedCounter(dict(ISSUED), REGION, PAGE_ORIGIN) as server:
        yield server


def test_endpoint_counts_signed_posts_and_refuses_tampered_ones(counter: SignedCounter) -> None:
    def post(body: bytes = b'{"page": "/"}') -> tuple[dict[str, str], bytes]:
        return signed(url=counter.api, body=body)

    assert counter.send("POST", "/api/views", *post()) == (200, {"page": "/", "views": 1})
    assert counter.send("POST", "/api/views", *post()) == (200, {"page": "/", "views": 2})
    headers, body = post()
    status, data = counter.send("POST", "/api/views", headers, b'{"page": "/x"}')
    assert status == 403 and "signature" in data["error"]
    headers["authorization"] = flip(headers["authorization"])
    assert counter.send("POST", "/api/views", headers, body)[0] == 403
    assert counter.send("POST", "/api/views", {"Content-Type": "application/json"}, body) == (
        403,
        {"error": "Missing Authentication Token"},
    )
    get_url = counter.api + "?page=/"
    headers, _ = signed(url=get_url, method="GET", body=b"")
    assert counter.send("GET", "/api/views?page=/", headers) == (200, {"page": "/", "views": 2})
    assert [r.status for r in counter.received] == [200, 200, 403, 403, 403, 200]


def test_endpoint_allows_cors_for_the_page_origin_only(counter: SignedCounter) -> None:
    def preflight(origin: str) -> dict[str, str]:
        request = urllib.request.Request(
            counter.api,
            method="OPTIONS",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type,x-amz-date",
            },
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return dict(response.headers)

    allowed = preflight(PAGE_ORIGIN)
    assert allowed["Access-Control-Allow-Origin"] == PAGE_ORIGIN
    assert "x-amz-security-token" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in preflight("http://evil.test")
