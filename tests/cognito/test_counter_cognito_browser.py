"""Headless Chromium runs counter-cognito.js against moto's Cognito Identity and STS, and an
endpoint that checks the browser's SigV4 signature with botocore.

The script uses Cognito's basic (classic) flow: GetId, GetOpenIdToken, then STS
AssumeRoleWithWebIdentity on the guest role. moto cannot show why the enhanced flow fails on
AWS (it does not apply the AmazonCognitoUnAuthedIdentitiesSessionPolicy that keeps enhanced-flow
guests from calling execute-api), so the tests pin the call sequence itself.

Origins (all on 127.0.0.1, different ports): the page, a recording proxy in front of moto
(moto itself answers CORS preflights, but the proxy records every call and learns the
credentials STS hands out), and the signature-checking counter.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pytest

from tests.cognito.servers import CognitoProxy, SignedCounter, StaticSite
from tests.conftest import REPO, MotoServer, free_port

pytestmark = [pytest.mark.browser, pytest.mark.aws]

SCRIPT = REPO / "theme" / "default" / "static" / "counter-cognito.js"
REGION = "us-east-1"
SHOWN = "[data-counter]:not([hidden])"


@dataclass
class Stack:
    folder: Path
    pool_id: str
    role_arn: str
    site: StaticSite
    proxy: CognitoProxy
    counter: SignedCounter

    @property
    def url(self) -> str:
        return self.site.origin + "/"

    def write_page(self, **overrides: str) -> None:
        """A page shaped like the built one (script tag and counter markup) using the script."""
        data = {
            "api": self.counter.api,
            "page": "/",
            "identity-pool": self.pool_id,
            "role": self.role_arn,
            "region": REGION,
            "aws-endpoint": self.proxy.endpoint,
            **overrides,
        }
        attributes = " ".join(f'data-{k}="{escape(v)}"' for k, v in data.items())
        (self.folder / "assets").mkdir(exist_ok=True)
        shutil.copy2(SCRIPT, self.folder / "assets" / "counter-cognito.js")
        (self.folder / "index.html").write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CV</title><link rel="icon" href="data:,">'
            f'<script src="/assets/counter-cognito.js" defer {attributes}></script></head>'
            '<body><main><h1>CV</h1></main><footer><p class="views" data-counter hidden>'
            "Viewed <span data-counter-value></span> times</p></footer></body></html>",
            encoding="utf-8",
        )


@pytest.fixture
def stack(moto_server: MotoServer, tmp_path: Path) -> Iterator[Stack]:
    cognito = moto_server.client("cognito-identity", REGION)
    pool = cognito.create_identity_pool(
        IdentityPoolName=f"cvgen-guests-{tmp_path.name}",
        AllowUnauthenticatedIdentities=True,
        AllowClassicFlow=True,
    )
    role_arn = guest_role(moto_server, pool["IdentityPoolId"], tmp_path.name)
    with ExitStack() as servers:
        site = servers.enter_context(StaticSite(tmp_path))
        proxy = servers.enter_context(CognitoProxy(moto_server.endpoint + "/", site.origin))
        proxy.expires_in = 3600  # what AWS hands out; moto says 90 s
        counter = servers.enter_context(SignedCounter(proxy.issued, REGION, site.origin))
        stack = Stack(tmp_path, pool["IdentityPoolId"], role_arn, site, proxy, counter)
        stack.write_page()
        yield stack
    cognito.delete_identity_pool(IdentityPoolId=pool["IdentityPoolId"])


def guest_role(moto_server: MotoServer, pool_id: str, name: str) -> str:
    """The guest role with the trust policy infra/identity.yaml gives it."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                    "ForAnyValue:StringLike": {
                        "cognito-identity.amazonaws.com:amr": "unauthenticated"
                    },
                },
            }
        ],
    }
    iam = moto_server.client("iam")
    role = iam.create_role(
        RoleName=f"guests-{name}"[:64], AssumeRolePolicyDocument=json.dumps(trust)
    )
    return str(role["Role"]["Arn"])


FLOW = ["GetId", "GetOpenIdToken", "AssumeRoleWithWebIdentity"]
RENEWAL = ["GetOpenIdToken", "AssumeRoleWithWebIdentity"]


def page_errors(page: Any) -> list[str]:
    """Uncaught exceptions and unhandled rejections (not network console messages)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def shown_count(page: Any) -> str:
    page.wait_for_selector(SHOWN, timeout=15_000)
    return str(page.text_content("[data-counter-value]"))


def test_count_appears_and_the_next_load_reuses_the_guest_credentials(
    page: Any, stack: Stack
) -> None:
    errors = page_errors(page)
    page.goto(stack.url)
    assert shown_count(page) == "1"
    assert stack.proxy.targets() == FLOW
    assert stack.proxy.calls[0].request == {"IdentityPoolId": stack.pool_id}
    identity = stack.proxy.calls[0].response["IdentityId"]
    assert stack.proxy.calls[1].request == {"IdentityId": identity}
    token = stack.proxy.calls[1].response["Token"]
    assert stack.proxy.calls[2].request == {
        "Action": "AssumeRoleWithWebIdentity",
        "Version": "2011-06-15",
        "RoleArn": stack.role_arn,
        "RoleSessionName": "cvgen-guest",
        "WebIdentityToken": token,
    }
    key = stack.proxy.calls[2].response["AccessKeyId"]

    (first,) = stack.counter.received
    assert first.status == 200 and first.method == "POST"
    assert first.body == b'{"page":"/"}'
    assert re.fullmatch(
        rf"AWS4-HMAC-SHA256 Credential={key}/\d{{8}}/us-east-1/execute-api/aws4_request,"
        r" SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}",
        first.headers["authorization"],
    )

    page.reload()
    assert shown_count(page) == "2"
    assert stack.proxy.targets() == FLOW  # no new calls
    assert [r.status for r in stack.counter.received] == [200, 200]
    assert stack.counter.received[1].headers["x-amz-date"] >= first.headers["x-amz-date"]
    assert errors == [] and page.console_errors == []


def test_a_tampered_browser_request_is_refused(page: Any, stack: Stack) -> None:
    page.goto(stack.url)
    assert shown_count(page) == "1"
    (sent,) = stack.counter.received
    headers = {
        name: sent.headers[name]
        for name in ("authorization", "content-type", "x-amz-date", "x-amz-security-token")
    }
    # The browser's request replayed as is passes (SigV4 allows that for 5 minutes), so the
    # refusals below come from the tampering alone.
    assert stack.counter.send("POST", "/api/views", headers, sent.body) == (
        200,
        {"page": "/", "views": 2},
    )
    signature = headers["authorization"][-64:]
    flipped = signature[:10] + ("0" if signature[10] != "0" else "1") + signature[11:]
    tampered = {**headers, "authorization": headers["authorization"][:-64] + flipped}
    status, data = stack.counter.send("POST", "/api/views", tampered, sent.body)
    assert status == 403 and "signature" in data["error"]
    status, data = stack.counter.send("POST", "/api/views", headers, b'{"page":"/x"}')
    assert status == 403 and "signature" in data["error"]
    assert stack.counter.views == {"/": 2}


def test_credentials_are_renewed_a_minute_before_they_expire(page: Any, stack: Stack) -> None:
    stack.proxy.expires_in = 30
    page.goto(stack.url)
    assert shown_count(page) == "1"
    page.reload()
    assert shown_count(page) == "2"
    # the identity id stays; only the credentials are fetched again
    assert stack.proxy.targets() == FLOW + RENEWAL
    identity = stack.proxy.calls[0].response["IdentityId"]
    assert stack.proxy.calls[3].request == {"IdentityId": identity}


def test_a_vanished_identity_is_replaced(page: Any, stack: Stack) -> None:
    stack.proxy.expires_in = 30  # so the next load asks for credentials again
    errors = page_errors(page)
    page.goto(stack.url)
    assert shown_count(page) == "1"
    old = stack.proxy.calls[0].response["IdentityId"]
    stack.proxy.deleted.add(old)
    page.reload()
    assert shown_count(page) == "2"
    assert [(c.target, c.status) for c in stack.proxy.calls] == [
        ("GetId", 200),
        ("GetOpenIdToken", 200),
        ("AssumeRoleWithWebIdentity", 200),
        ("GetOpenIdToken", 400),
        ("GetId", 200),
        ("GetOpenIdToken", 200),
        ("AssumeRoleWithWebIdentity", 200),
    ]
    new = stack.proxy.calls[4].response["IdentityId"]
    assert new != old and stack.proxy.calls[5].request == {"IdentityId": new}
    stored = page.evaluate("(k) => localStorage.getItem(k)", f"cvgen.id.{stack.pool_id}")
    assert stored == new
    assert errors == []


def test_unreachable_cognito_leaves_the_counter_hidden(page: Any, stack: Stack) -> None:
    stack.write_page(**{"aws-endpoint": f"http://127.0.0.1:{free_port()}/"})
    errors = page_errors(page)
    with page.expect_event("requestfailed"):
        page.goto(stack.url)
    page.wait_for_timeout(300)  # let the rejected promise settle
    assert page.is_hidden("[data-counter]")
    assert page.text_content("[data-counter-value]") == ""
    assert errors == []
    assert stack.counter.received == []


def test_a_refused_signature_leaves_the_counter_hidden(page: Any, stack: Stack) -> None:
    stack.write_page(region="eu-west-1")  # signed for the wrong region: 403
    errors = page_errors(page)
    with page.expect_response(lambda r: r.url == stack.counter.api and r.request.method == "POST"):
        page.goto(stack.url)
    page.wait_for_timeout(300)
    assert page.is_hidden("[data-counter]")
    assert [r.status for r in stack.counter.received] == [403]
    assert "scoped" in str(stack.counter.received[0].error)
    assert errors == []


def test_unreachable_counter_api_leaves_the_counter_hidden(page: Any, stack: Stack) -> None:
    stack.write_page(api=f"http://127.0.0.1:{free_port()}/api/views")
    errors = page_errors(page)
    with page.expect_event("requestfailed"):
        page.goto(stack.url)
    page.wait_for_timeout(300)
    assert page.is_hidden("[data-counter]")
    assert stack.proxy.targets() == FLOW
    assert errors == []


def test_region_defaults_to_the_identity_pools(page: Any, stack: Stack) -> None:
    stack.write_page(region="")  # pool ids are `<region>:<uuid>`
    page.goto(stack.url)
    assert shown_count(page) == "1"
    assert "/us-east-1/execute-api/" in stack.counter.received[0].headers["authorization"]


def test_a_built_cognito_page_counts_through_signed_requests(
    page: Any, stack: Stack, example_site: Path
) -> None:
    from cvgen.build import build
    from cvgen.settings.write import write_settings

    written = write_settings(
        example_site,
        {
            "counter": {
                "mode": "cognito",
                "identity_pool_id": stack.pool_id,
                "role_arn": stack.role_arn,
                "region": REGION,
                "api": stack.counter.api,
            }
        },
    )
    assert written.to_paste == {}
    output = build(example_site).output
    html = (output / "index.html").read_text(encoding="utf-8")
    tags = re.findall(r"<script [^>]*counter-cognito\.[0-9a-f]+\.js[^>]*>", html)
    assert "/counter." not in html  # the public script is not emitted
    (tag,) = tags
    for name, value in (
        ("api", stack.counter.api),
        ("page", "/"),
        ("identity-pool", stack.pool_id),
        ("role", stack.role_arn),
        ("region", REGION),
    ):
        assert f'data-{name}="{value}"' in tag
    assert "data-aws-endpoint" not in html  # test/dev only: builds never emit it
    # The one change for the test: send the Cognito and STS calls to moto (through the proxy).
    (output / "index.html").write_text(
        html.replace(
            tag, tag.replace(" defer ", f' defer data-aws-endpoint="{stack.proxy.endpoint}" ')
        ),
        encoding="utf-8",
    )
    with StaticSite(output) as site:
        stack.counter.page_origin = stack.proxy.page_origin = site.origin
        errors = page_errors(page)
        page.goto(site.origin + "/")
        assert shown_count(page) == "1"
        page.reload()
        assert shown_count(page) == "2"
    assert stack.proxy.targets() == FLOW
    assert [r.status for r in stack.counter.received] == [200, 200]
    assert errors == []


def test_refused_cached_credentials_are_replaced_once(page: Any, stack: Stack) -> None:
    errors = page_errors(page)
    page.goto(stack.url)
    assert shown_count(page) == "1"
    stack.proxy.issued.clear()  # the API no longer accepts what the browser cached
    page.reload()
    assert shown_count(page) == "2"
    assert stack.proxy.targets() == FLOW + RENEWAL
    assert [r.status for r in stack.counter.received] == [200, 403, 200]
    stack.counter.region = "eu-west-1"  # now fresh credentials are refused too: no loop
    with page.expect_response(lambda r: r.url == stack.counter.api and r.status == 403):
        page.reload()  # cached: refused ...
    with page.expect_response(lambda r: r.url == stack.counter.api and r.status == 403):
        pass  # ... fresh: refused as well
    page.wait_for_timeout(300)
    assert page.is_hidden("[data-counter]")
    assert [r.status for r in stack.counter.received] == [200, 403, 200, 403, 403]
    assert stack.proxy.targets() == FLOW + RENEWAL + RENEWAL
    assert errors == []


def test_corrupt_cached_credentials_are_ignored(page: Any, stack: Stack) -> None:
    page.goto(stack.url)
    assert shown_count(page) == "1"
    page.evaluate("(k) => localStorage.setItem(k, '{not json')", f"cvgen.cred.{stack.pool_id}")
    page.reload()
    assert shown_count(page) == "2"
    assert stack.proxy.targets() == FLOW + RENEWAL
