"""`cvgen smoke` against a local HTTPS stand-in for the deployment, one thing broken at a time."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cvgen.cli import cli
from tests.cognito.servers import CognitoProxy, SignedCounter
from tests.cognito.test_counter_cognito_browser import FLOW, guest_role
from tests.smoke.conftest import SITE_YAML
from tests.smoke.standin import Deployment, Standin, serve


def smoke(site: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["smoke", "--root", str(site), *args])


def smoke_standin(site: Path, standin: Standin, *args: str) -> Result:
    assert standin.ca_bundle is not None
    return smoke(site, "--url", standin.url, "--ca-bundle", str(standin.ca_bundle), *args)


def fail_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("FAIL")]


def test_a_healthy_deployment_passes_every_check(site: Path, standin: Standin) -> None:
    result = smoke_standin(site, standin)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert fail_lines(result) == []
    expected = [
        f"ok   page {standin.url} answers 200 text/html",
        "ok   header Strict-Transport-Security max-age=63072000",
        "ok   header Content-Security-Policy",
        "ok   header X-Content-Type-Options nosniff",
        "ok   header X-Frame-Options DENY",
        "ok   header Referrer-Policy strict-origin-when-cross-origin",
        "ok   asset /assets/counter.77aa01be.js (<script src>) text/javascript",
        "ok   asset /assets/portrait.png (<img src>) image/png",
        "ok   asset /assets/portrait@2x.png (<img srcset>) image/png",
        """ok   asset /assets/site.3f9a1c2b.css (<link rel="stylesheet">) text/css""",
        """ok   asset /favicon.svg (<link rel="icon">) image/svg+xml""",
        f"ok   counter preflight from {standin.origin} Access-Control-Allow-Origin {standin.origin}",
        "ok   counter refuses preflight from https://not-the-site.example",
        f"ok   counter POST {standin.origin}/api/views raises the count by one (0 -> 1, smoke count, kept apart)",
        "ok   cvgen's records not served (/_cvgen/releases/00000001.json answers 404)",
        "smoke: 16 checks passed",
    ]
    for line in expected:
        assert line in lines, f"missing {line!r} in\n{result.output}"
    assert any(
        line.startswith("ok   served page matches output/index.html (605 bytes, sha256 ")
        for line in lines
    )
    # links and the canonical URL are navigation, not assets: never fetched
    assert not any("example.org" in r or "cv.example.com" in r for r in standin.deployment.requests)
    # the check's POST is counted apart: no visitor was added to the public count
    assert standin.deployment.smoke_counts == {"/": 1} and standin.deployment.counts == {}


def test_plain_http_is_allowed_on_loopback_only(site: Path, deployment: Deployment) -> None:
    with serve(deployment, tls_folder=None) as plain:
        result = smoke(site, "--url", plain.url)
    assert result.exit_code == 0, result.output
    assert "ok   scheme (http allowed for loopback)" in result.output

    refused = smoke(site, "--url", "http://cv.example.com/")
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        "Error: --url: http://cv.example.com/ is plain http; a live deployment must answer "
        "over HTTPS (use the https:// URL; plain http is allowed only for loopback hosts)"
    )


def test_a_missing_security_header_fails(site: Path, standin: Standin) -> None:
    del standin.deployment.headers["X-Frame-Options"]
    standin.deployment.headers["Strict-Transport-Security"] = "max-age=300"

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    assert fail_lines(result) == [
        "FAIL header Strict-Transport-Security: max-age=300 is under one year (31536000); "
        "set it in the CloudFront response headers policy (infra/site.yaml) and redeploy",
        "FAIL header X-Frame-Options: missing, expected DENY; set it in the response headers "
        "policy",
    ]
    assert "Error: smoke: 2 of 16 checks failed; see the FAIL lines above" in result.output


def test_cvgens_records_served_at_the_sites_address_fail(site: Path, standin: Standin) -> None:
    # moto has no CloudFront: the stand-in plays a distribution whose function is missing
    standin.deployment.hides_records = False
    result = smoke_standin(site, standin)
    assert result.exit_code == 1
    assert fail_lines(result) == [
        f"FAIL cvgen's records not served: {standin.url}_cvgen/releases/00000001.json answered "
        "200: anyone can read them. The bucket's _cvgen/ holds release records and the publish "
        "lease, which names who publishes; update the site stack with `cvgen infra deploy` "
        "(its CloudFront function answers 404 for /_cvgen/)"
    ]


def test_a_missing_asset_fails(site: Path, standin: Standin) -> None:
    (standin.deployment.site_dir / "assets" / "site.3f9a1c2b.css").unlink()

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    [line] = fail_lines(result)
    assert line.startswith(
        """FAIL asset /assets/site.3f9a1c2b.css (<link rel="stylesheet">): answered 403, """
        "expected 200; CloudFront answers 403 when the object is missing"
    )


def test_an_asset_with_the_wrong_content_type_fails(site: Path, standin: Standin) -> None:
    # a stylesheet served as HTML (an error page in its place) is a broken page
    served = standin.deployment.site_dir / "assets"
    (served / "site.3f9a1c2b.css").rename(served / "site.3f9a1c2b.html")
    (standin.deployment.site_dir / "index.html").write_text(
        (site / "output" / "index.html")
        .read_text(encoding="utf-8")
        .replace("site.3f9a1c2b.css", "site.3f9a1c2b.html"),
        encoding="utf-8",
    )

    result = smoke_standin(site, standin)

    failures = fail_lines(result)
    assert failures[0] == (
        """FAIL asset /assets/site.3f9a1c2b.html (<link rel="stylesheet">): Content-Type is """
        "text/html; charset=utf-8, not a stylesheet; re-run `cvgen publish` so the object is "
        "uploaded with the right content type"
    )
    assert failures[1].startswith("FAIL served page matches")


def test_served_bytes_differing_from_the_local_build_fail(site: Path, standin: Standin) -> None:
    served = standin.deployment.site_dir / "index.html"
    served.write_bytes(served.read_bytes().replace(b"Ada Lovelace</h1>", b"Ada Byron</h1>"))

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    [line] = fail_lines(result)
    assert line.startswith(f"FAIL served page matches output/index.html: {standin.url} served ")
    assert "run `cvgen publish --wait` to upload this build" in line


def test_a_page_without_assets_is_not_taken_for_the_cv(site: Path, standin: Standin) -> None:
    page = "<!doctype html><title>Welcome to nginx!</title><p>It works.</p>\n"
    (standin.deployment.site_dir / "index.html").write_text(page, encoding="utf-8")

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    assert fail_lines(result)[0] == (
        "FAIL assets: the page references no stylesheet, script or image; is it the CV?"
    )


def test_a_url_leading_outside_output_is_refused(site: Path) -> None:
    url = "https://cv.example.com/../../secret.html"
    result = smoke(site, "--url", url)
    assert result.exit_code == 1
    assert result.output == f"Error: --url {url}: its path leads outside output/\n"


def test_without_a_local_build_it_says_to_build_first(site: Path, standin: Standin) -> None:
    (site / "output" / "index.html").unlink()

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    [line] = fail_lines(result)
    assert line.startswith(
        f"FAIL served page matches output/index.html: no local build at {site / 'output'}"
    )
    assert "run `cvgen build` first" in line


def test_a_counter_allowing_every_origin_fails(site: Path, standin: Standin) -> None:
    standin.deployment.cors_wildcard = True

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    assert fail_lines(result) == [
        f"FAIL counter preflight from {standin.origin}: got Access-Control-Allow-Origin '*', "
        f"expected '{standin.origin}'; put the site origin in the counter's ALLOWED_ORIGINS / "
        "CORS settings (`cvgen infra deploy`)",
        "FAIL counter refuses preflight from https://not-the-site.example: got "
        "Access-Control-Allow-Origin '*', so any site can call the counter; allow only the "
        "site origin in the counter's CORS settings",
    ]


def test_a_counter_that_does_not_count_fails(site: Path, standin: Standin) -> None:
    standin.deployment.increment = 0

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    assert fail_lines(result) == [
        f"FAIL counter POST {standin.origin}/api/views raises the count by one: the count went "
        "from 0 to 0 on POST, expected 1; check that the counter's UpdateItem uses ADD and that "
        "CloudFront does not cache /api/* (its cache policy must be CachingDisabled)",
    ]
    # it retried once before failing (a visitor may have raced it)
    assert standin.deployment.requests.count("POST /api/views") == 2


def test_a_counter_counting_twice_fails(site: Path, standin: Standin) -> None:
    standin.deployment.increment = 2

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    [line] = fail_lines(result)
    assert "the count went from 2 to 4 on POST, expected 3" in line


def test_a_counter_from_before_the_smoke_marker_may_rise_by_more(
    site: Path, standin: Standin
) -> None:
    # an older counter counts the check as a real view; a visitor arriving meanwhile is fine
    standin.deployment.knows_smoke = False
    standin.deployment.increment = 2

    result = smoke_standin(site, standin)

    assert result.exit_code == 0, result.output
    assert "raises the count by one (0 -> 2, counted as a real view)" in result.output


def test_an_untrusted_certificate_fails_with_advice(site: Path, standin: Standin) -> None:
    result = smoke(site, "--url", standin.url)

    assert result.exit_code == 1
    lines = fail_lines(result)
    assert lines[0].startswith(f"FAIL page {standin.url}: no answer: GET {standin.url}: TLS ")
    assert "pass --ca-bundle for a private CA" in lines[0]


def test_counter_checks_are_skipped_when_the_counter_is_off(site: Path, standin: Standin) -> None:
    config = site / "cvgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("enabled: true", "enabled: false"),
        encoding="utf-8",
    )

    result = smoke_standin(site, standin)

    assert result.exit_code == 0, result.output
    assert "skip counter: counter.enabled is false in cvgen.yaml" in result.output
    assert not any("api/views" in r for r in standin.deployment.requests)


def test_the_real_counter_rules_count_the_smoke_post(
    site: Path, standin: Standin, tmp_path: Path
) -> None:
    from cvgen.counter import LocalCounter

    counter = LocalCounter(tmp_path / "counter.sqlite3", allowed_origins=[standin.origin])
    standin.deployment.real_counter = counter
    try:
        result = smoke_standin(site, standin)
        again = smoke_standin(site, standin)
    finally:
        counter.close()

    assert result.exit_code == 0, result.output
    assert f"ok   counter preflight from {standin.origin} " in result.output
    assert "ok   counter refuses preflight from https://not-the-site.example" in result.output
    assert "raises the count by one (0 -> 1, smoke count, kept apart)" in result.output
    # every POST carries a fresh request id, so the next deploy's smoke counts again
    assert again.exit_code == 0, again.output
    assert "raises the count by one (1 -> 2, smoke count, kept apart)" in again.output


def test_a_counter_that_takes_the_smoke_test_for_a_bot_says_so(
    site: Path, standin: Standin, tmp_path: Path
) -> None:
    from cvgen.counter import LocalCounter

    counter = LocalCounter(
        tmp_path / "counter.sqlite3", allowed_origins=[standin.origin], bot_patterns=["smoke"]
    )
    standin.deployment.real_counter = counter
    try:
        result = smoke_standin(site, standin)
    finally:
        counter.close()

    assert result.exit_code == 1
    [line] = fail_lines(result)
    assert '"counted":false' in line
    assert "check that BOT_PATTERNS does not match the User-Agent 'cvgen-smoke/" in line


def test_the_example_site_as_built_passes(example_site: Path, tmp_path: Path) -> None:
    built = CliRunner().invoke(cli, ["build", "--root", str(example_site)])
    assert built.exit_code == 0, built.output
    served = tmp_path / "served"
    shutil.copytree(example_site / "output", served)
    tls = tmp_path / "tls"
    tls.mkdir()
    with serve(Deployment(site_dir=served), tls) as running:
        result = smoke_standin(example_site, running)

    assert result.exit_code == 0, result.output
    assets = [line for line in result.output.splitlines() if line.startswith("ok   asset ")]
    kinds = {line.split()[-1] for line in assets}
    assert {"text/css", "image/svg+xml", "text/javascript"} <= kinds, result.output
    assert "ok   served page matches output/index.html" in result.output


REGION = "us-east-1"


@pytest.fixture
def cognito_counter(
    site: Path, standin: Standin, moto_server: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CognitoProxy, SignedCounter]]:
    """Cognito mode: a guest pool on moto (through a recording proxy) and an IAM-authorized
    counter API that verifies SigV4 signatures; cvgen.yaml points at both."""
    cognito = moto_server.client("cognito-identity", REGION)
    pool = cognito.create_identity_pool(
        IdentityPoolName=f"smoke-{site.parent.name}"[:128],
        AllowUnauthenticatedIdentities=True,
        AllowClassicFlow=True,
    )["IdentityPoolId"]
    role_arn = guest_role(moto_server, pool, f"smoke-{site.parent.name}")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    with (
        CognitoProxy(moto_server.endpoint + "/", standin.origin) as proxy,
        SignedCounter(proxy.issued, REGION, standin.origin) as counter,
    ):
        monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY", proxy.endpoint)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", proxy.endpoint)
        (site / "cvgen.yaml").write_text(
            SITE_YAML.replace(
                "  api: /api/views\n",
                f"  api: {counter.api}\n  mode: cognito\n"
                f"  identity_pool_id: {pool}\n  role_arn: {role_arn}\n  region: {REGION}\n",
            ),
            encoding="utf-8",
        )
        yield proxy, counter
    cognito.delete_identity_pool(IdentityPoolId=pool)


@pytest.mark.aws
def test_cognito_mode_signs_the_count_check_as_a_guest(
    site: Path, standin: Standin, cognito_counter: tuple[CognitoProxy, SignedCounter]
) -> None:
    proxy, counter = cognito_counter

    result = smoke_standin(site, standin)

    assert result.exit_code == 0, result.output
    assert f"ok   counter preflight from {standin.origin} " in result.output
    assert "ok   counter refuses preflight from https://not-the-site.example" in result.output
    # this stand-in API knows no smoke marker: the check counts as a real view there
    assert (
        f"ok   counter POST {counter.api} raises the count by one (0 -> 1, counted as a real view)"
        in result.output
    )
    # one guest identity through the basic flow, its credentials reused for all three requests
    assert proxy.targets() == FLOW
    assert proxy.calls[2].request["RoleArn"].endswith(f"role/guests-smoke-{site.parent.name}"[:64])
    assert [(r.method, r.status) for r in counter.received] == [
        ("GET", 200),
        ("POST", 200),
        ("GET", 200),
    ]
    assert all(r.headers["authorization"].startswith("AWS4-HMAC-SHA256 ") for r in counter.received)
    assert counter.views == {"/": 1}


@pytest.mark.aws
def test_cognito_mode_reports_a_refused_signature(
    site: Path, standin: Standin, cognito_counter: tuple[CognitoProxy, SignedCounter]
) -> None:
    _, counter = cognito_counter
    counter.issued = {}  # the API no longer trusts the guest credentials

    result = smoke_standin(site, standin)

    assert result.exit_code == 1
    [line] = fail_lines(result)
    assert line.startswith(
        f"FAIL counter POST {counter.api} raises the count by one: GET {counter.api}?page=/&smoke=1 "
        'answered 403 {"error": "The security token included in the request is invalid."}'
    )


def test_a_page_below_the_root_is_compared_with_its_own_file(site: Path, standin: Standin) -> None:
    (site / "output" / "about").mkdir()
    (site / "output" / "about" / "index.html").write_bytes(
        (site / "output" / "index.html").read_bytes().replace(b"assets/", b"../assets/")
    )
    shutil.copytree(site / "output" / "about", standin.deployment.site_dir / "about")
    assert standin.ca_bundle is not None

    result = smoke(site, "--url", standin.url + "about/", "--ca-bundle", str(standin.ca_bundle))

    assert result.exit_code == 0, result.output
    assert "ok   served page matches output/about/index.html" in result.output
    assert "ok   asset /assets/site.3f9a1c2b.css" in result.output
    # the count is for the page smoke looked at
    assert standin.deployment.smoke_counts == {"/about/": 1}


def test_a_plain_http_counter_api_is_refused(site: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(
        SITE_YAML.replace("/api/views", "http://api.example.com/api/views"), encoding="utf-8"
    )

    result = smoke(site)

    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {config}: counter.api: http://api.example.com/api/views is plain http; a live "
        "deployment must answer over HTTPS (use the https:// URL; plain http is allowed only "
        "for loopback hosts)"
    )


def test_an_unset_site_url_says_where_the_address_comes_from(site: Path) -> None:
    config = site / "cvgen.yaml"
    config.write_text(SITE_YAML.replace('url: "https://cv.example.com/"', "url: null"), "utf-8")

    result = smoke(site)

    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {config}: site.url is not set, so there is no address to check; `cvgen infra"
        " deploy` fills it in (the site's CloudFront address), or set it to your domain, or"
        " pass --url"
    )


@pytest.mark.parametrize(
    ("url", "source", "why"),
    [
        (None, "site.url in {config}", ", which is an example address"),
        ("https://cv.example.invalid/", "--url", ", which is not a public address (.invalid"),
    ],
)
def test_a_name_that_does_not_resolve_is_one_failure_naming_its_source(
    site: Path, url: str | None, source: str, why: str
) -> None:
    # Before: one DNS failure for the page, each counter preflight and the count, none
    # saying where the address came from. `.invalid` and example.com never resolve to a
    # deployment (here, without a network, nothing resolves at all).
    result = smoke(site, *(["--url", url] if url else []))

    assert result.exit_code == 1
    [line] = fail_lines(result)
    shown = url or "https://cv.example.com/"
    expected_source = source.format(config=site / "cvgen.yaml")
    assert line.startswith(f"FAIL page {shown}: no answer: GET {shown}: the host name does not")
    assert f"; the address comes from {expected_source}{why}" in line
    assert "set site.url in cvgen.yaml to the site's address" in line
    assert "counter" not in result.output
    assert "smoke: 1 of 1 checks failed" in result.output


def test_an_image_the_deployed_csp_blocks_fails_until_the_policy_names_its_origin(
    site: Path, standin: Standin
) -> None:
    """A remote photo (`photo.remote: true`) whose host the deployed CSP does not name (say,
    moved since the last `cvgen infra deploy`): served fine, but no browser would show it.
    Another origin here is the stand-in under the name `localhost`."""
    other = standin.url.replace("127.0.0.1", "localhost")
    origin = other.rstrip("/")
    for index in (site / "output" / "index.html", standin.deployment.site_dir / "index.html"):
        html = index.read_text(encoding="utf-8")
        index.write_text(html.replace('<img src="assets/', f'<img src="{other}assets/'))

    result = smoke_standin(site, standin)

    assert result.exit_code == 1, result.output
    assert fail_lines(result) == [
        f"FAIL header Content-Security-Policy allows <img src>: img-src does not allow {origin},"
        f" so browsers will not load {other}assets/portrait.png; for your photo"
        " (`photo.remote: true`), run `cvgen infra deploy` again so the policy names its host,"
        " or keep the photo under content/"
    ]
    csp = standin.deployment.headers["Content-Security-Policy"]
    standin.deployment.headers["Content-Security-Policy"] = csp.replace(
        "img-src 'self' data:", f"img-src 'self' data: {origin}"
    )
    allowed = smoke_standin(site, standin)
    assert allowed.exit_code == 0, allowed.output
