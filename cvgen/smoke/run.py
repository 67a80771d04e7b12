"""`cvgen smoke`: check a live deployment, one report line per check.

The orchestrator reads top to bottom: the page, its security headers, every asset it
references, its bytes against the local build, that cvgen's own records are not served, then
the counter API. Judgements are pure
(`cvgen.smoke.checks`); requests go through `cvgen.smoke.client.Client`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cvgen.check_report import CheckResult, failed, passed, skipped
from cvgen.errors import CvgenError
from cvgen.hosts import is_loopback, origin_of
from cvgen.settings.config import CounterConfig, load_config
from cvgen.site_address import placeholder_reason
from cvgen.smoke import checks
from cvgen.smoke.client import USER_AGENT, Client, FetchError, Response, Signer

log = logging.getLogger(__name__)

# An origin no deployment allows: the counter must not grant it CORS access.
FOREIGN_ORIGIN = "https://not-the-site.example"


@dataclass(frozen=True)
class SmokeTarget:
    url: str  # the page to check (the site's root)
    local_index: Path  # the local build's file the served bytes must equal
    local_name: str = "output/index.html"  # how the report names it
    counter_enabled: bool = True
    counter_api: str = ""  # absolute URL of the counter endpoint
    counter_mode: str = "public"  # "public" or "cognito"
    signer: Signer | None = None  # Cognito mode: signs counter requests as a guest
    records_url: str = ""  # a record of cvgen's own under _cvgen/ that must not be served
    source: str = "--url"  # where `url` came from, for the advice on a DNS failure


Report = Callable[[CheckResult], None]


def run_smoke(target: SmokeTarget, client: Client, report: Report) -> list[CheckResult]:
    """Run every check against `target`, reporting each result as soon as it is known."""
    results: list[CheckResult] = []

    def add(result: CheckResult) -> None:
        results.append(result)
        report(result)

    try:
        page: Response | None = client.request("GET", target.url)
    except FetchError as error:
        page = None
        add(failed(f"page {target.url}", f"no answer: {error}{_dns_advice(error, target)}"))
        if error.dns:
            return results  # every other check would fail the same way
    if page is not None:
        add(checks.judge_page(target.url, page.status, page.content_type))
        for result in checks.judge_security_headers(page.headers):
            add(result)
        if page.status == 200:
            check_assets(client, target.url, page.body, add)
            references = checks.parse_references(page.body.decode("utf-8", "replace"), target.url)
            csp = page.headers.get("content-security-policy")
            for result in checks.judge_csp_blocks(csp, references, target.url):
                add(result)
            add(check_local_build(page.body, target))
    if target.records_url:
        check_records_hidden(client, target.records_url, add)
    check_counter(client, target, add)
    return results


def _fetch(
    client: Client,
    method: str,
    url: str,
    add: Report,
    name: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Response | None:
    try:
        return client.request(method, url, headers=headers, body=body)
    except FetchError as error:
        add(failed(name, f"no answer: {error}"))
        return None


def _dns_advice(error: FetchError, target: SmokeTarget) -> str:
    if not error.dns:
        return ""
    advice = f"; the address comes from {target.source}"
    if reason := placeholder_reason(target.url):
        advice += f", which {reason}"
    return (
        advice + ": set site.url in cvgen.yaml to the site's address (`cvgen infra deploy`"
        " shows it as SiteUrl and fills it in while site.url is unset) or pass --url;"
        " a domain added recently may still be propagating"
    )


def check_assets(client: Client, page_url: str, html: bytes, add: Report) -> None:
    references = checks.parse_references(html.decode("utf-8", "replace"), page_url)
    if not references:
        add(failed("assets", "the page references no stylesheet, script or image; is it the CV?"))
        return
    for ref in references:
        answer = _fetch(client, "GET", ref.url, add, f"asset {ref.url}")
        if answer is not None:
            add(checks.judge_asset(ref, answer.status, answer.content_type, page_url))


def check_records_hidden(client: Client, url: str, add: Report) -> None:
    """cvgen's own records (release records, the publish lease naming who publishes) live in
    the bucket beside the site: the site's address must answer 404 for them."""
    answer = _fetch(client, "GET", url, add, checks.RECORDS_CHECK)
    if answer is not None:
        add(checks.judge_records_hidden(url, answer.status))


def check_local_build(served: bytes, target: SmokeTarget) -> CheckResult:
    local = target.local_index
    if not local.is_file():
        return failed(
            f"served page matches {target.local_name}",
            f"no local build at {local}; run `cvgen build` first (the deploy workflow builds, "
            "publishes, then smokes the same output/)",
        )
    return checks.judge_same_bytes(served, local.read_bytes(), target.local_name, target.url)


def check_counter(client: Client, target: SmokeTarget, add: Report) -> None:
    if not target.counter_enabled:
        add(skipped("counter", "counter.enabled is false in cvgen.yaml"))
        return
    site_origin = origin_of(target.url)
    api = target.counter_api
    for origin, allow in ((site_origin, True), (FOREIGN_ORIGIN, False)):
        name = f"counter preflight from {origin}"
        answer = _fetch(client, "OPTIONS", api, add, name, headers=_preflight_headers(origin))
        if answer is not None:
            add(
                checks.judge_preflight(
                    answer.status, answer.headers, origin, should_allow=allow, api_url=api
                )
            )
    if target.counter_mode == "cognito" and target.signer is None:
        add(
            skipped(
                "counter count",
                "cognito mode without an identity pool: the API takes only SigV4-signed "
                "requests; set counter.identity_pool_id (`cvgen infra deploy --cognito`)",
            )
        )
        return
    add(check_count(client, api, _page_key(target.url), site_origin, target.signer))


def _preflight_headers(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }


def _page_key(url: str) -> str:
    return urlsplit(url).path or "/"


def check_count(
    client: Client,
    api: str,
    page: str,
    origin: str,
    signer: Signer | None = None,
    attempts: int = 2,
) -> CheckResult:
    """GET, POST, GET: the POST must raise the count by one.

    The POST says `"smoke": true`: a counter that knows it keeps the check's count apart
    (`?smoke=1` reads it), so deploys never add visitors and exactly one is expected. An older
    counter counts a real view, and a real visitor between the reads also raises it: then at
    least one is accepted, and any mismatch is retried once.
    """
    name = f"counter POST {api} raises the count by one"
    problem = ""
    for _ in range(attempts):
        try:
            before, _ = _views(client, "GET", api, page, origin, signer)
            posted, apart = _views(client, "POST", api, page, origin, signer)
            after, _ = _views(client, "GET", api, page, origin, signer)
        except _CounterAnswerError as error:
            return failed(name, str(error))
        except FetchError as error:
            return failed(name, f"no answer: {error}")
        mismatch = checks.judge_count(before, posted, after, apart=apart)
        if mismatch is None:
            kept = "smoke count, kept apart" if apart else "counted as a real view"
            return passed(name, f"({before} -> {posted}, {kept})")
        problem = mismatch
        log.info("counter check mismatch, retrying: %s", mismatch)
    return failed(
        name,
        f"{problem}; check that the counter's UpdateItem uses ADD and that CloudFront does "
        "not cache /api/* (its cache policy must be CachingDisabled)",
    )


class _CounterAnswerError(Exception):
    pass


def _views(
    client: Client, method: str, api: str, page: str, origin: str, signer: Signer | None
) -> tuple[int, bool]:
    """The count an answer holds, and whether the counter kept the smoke check apart."""
    headers = {"Origin": origin, "Accept": "application/json"}
    if method == "GET":
        # `?page=/` as DESIGN.md writes it ("/" needs no escaping in a query)
        url = f"{api}{'&' if '?' in api else '?'}page={quote(page, safe='/')}&smoke=1"
        answer = client.request("GET", url, headers=headers, signer=signer)
    else:
        url = api
        # a fresh request id: the counter ignores a retried POST, never a new one
        body = json.dumps({"page": page, "id": str(uuid.uuid4()), "smoke": True}).encode()
        headers["Content-Type"] = "application/json"
        answer = client.request("POST", url, headers=headers, body=body, signer=signer)
    if answer.status != 200:
        text = answer.body[:200].decode("utf-8", "replace").strip()
        raise _CounterAnswerError(
            f"{method} {url} answered {answer.status} {text}; check the counter stack "
            "(`cvgen infra deploy`) and the Lambda's logs"
        )
    views = checks.parse_views(answer.body, page)
    if views is None:
        text = answer.body[:200].decode("utf-8", "replace").strip()
        raise _CounterAnswerError(
            f'{method} {url} answered {text!r}, expected JSON {{"page": "{page}", "views": N}}; '
            "is /api/* routed to the counter API?"
        )
    if method == "POST" and checks.was_refused(answer.body):
        raise _CounterAnswerError(
            f"POST {url} answered {answer.body[:200].decode('utf-8', 'replace').strip()}: the "
            f"counter did not count it; check that BOT_PATTERNS does not match the User-Agent "
            f"{USER_AGENT!r}"
        )
    return views, checks.counted_apart(answer.body)


def smoke_site(
    root: Path,
    report: Report,
    *,
    url: str | None = None,
    timeout: float = 10.0,
    ca_bundle: Path | None = None,
) -> list[CheckResult]:
    """Smoke-test the deployment of the site at `root` (its site.url unless `url` is given)."""
    config = load_config(root)
    page_url = url or config.site.url
    if page_url is None:
        raise CvgenError(
            f"{root / 'cvgen.yaml'}: site.url is not set, so there is no address to check;"
            " `cvgen infra deploy` fills it in (the site's CloudFront address), or set it to"
            " your domain, or pass --url"
        )
    problem = checks.scheme_problem(page_url)
    if problem:
        where = "--url" if url else f"{root / 'cvgen.yaml'}: site.url"
        raise CvgenError(f"{where}: {problem}")
    api = checks.counter_api_url(page_url, config.counter.api)
    if config.counter.enabled and (problem := checks.scheme_problem(api)):
        raise CvgenError(f"{root / 'cvgen.yaml'}: counter.api: {problem}")
    if is_loopback(urlsplit(page_url).hostname) and page_url.startswith("http:"):
        report(passed("scheme", "(http allowed for loopback)"))
    local = checks.local_page(page_url, config.site.url or page_url)
    local_path = config.output_dir / local
    if not local_path.resolve().is_relative_to(config.output_dir.resolve()):
        raise CvgenError(f"--url {page_url}: its path leads outside output/")
    target = SmokeTarget(
        url=page_url,
        local_index=local_path,
        local_name=f"output/{local}",
        counter_enabled=config.counter.enabled,
        counter_api=api,
        counter_mode=config.counter.mode,
        signer=_guest_signer(config.counter),
        records_url=checks.records_url(page_url, config.site.url or page_url),
        source="--url" if url else f"site.url in {root / 'cvgen.yaml'}",
    )
    return run_smoke(target, Client(timeout=timeout, ca_bundle=ca_bundle), report)


def _guest_signer(counter: CounterConfig) -> Signer | None:
    if counter.mode != "cognito" or not counter.identity_pool_id or not counter.role_arn:
        return None
    from cvgen.smoke.signing import GuestSigner

    # an identity pool id starts with its region: `eu-west-1:0123abcd-...`
    region = counter.region or counter.identity_pool_id.split(":", 1)[0]
    return GuestSigner(counter.identity_pool_id, region, counter.role_arn)
