"""Pure judgements for `cvgen smoke`: parse what a page references, judge what came back.

Nothing here touches the network; `cvgen.smoke.client` fetches and `cvgen.smoke.run`
wires the two together. Every judgement returns a `CheckResult` (`cvgen.check_report`) whose failure detail says
what was wrong and what to do about it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from cvgen.check_report import CheckResult, failed, passed
from cvgen.hosts import is_loopback, origin_of
from cvgen.publish.release import release_key

HSTS_MIN_MAX_AGE = 31_536_000  # one year, what browsers' preload lists ask for

SAFE_REFERRER_POLICIES = frozenset(
    {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "origin",
        "origin-when-cross-origin",
    }
)
LEAKY_REFERRER_POLICIES = frozenset({"unsafe-url", "no-referrer-when-downgrade"})

# Script sources that let an injected script run, so a CSP holding them protects nothing.
_UNSAFE_SCRIPT_SOURCES = ("*", "'unsafe-eval'", "http:", "https:", "data:")

# <link rel=...> values that make the browser fetch the target.
_ASSET_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "shortcut",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
    }
)


# --- URLs -------------------------------------------------------------------------------


def scheme_problem(url: str) -> str | None:
    """Why `url` cannot be smoke-tested, or None. Plain http is only fine on loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an https:// URL, got {url!r}"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return (
            f"{url} is plain http; a live deployment must answer over HTTPS "
            "(use the https:// URL; plain http is allowed only for loopback hosts)"
        )
    return None


def counter_api_url(site_url: str, api: str) -> str:
    """The counter endpoint: `api` is a path on the site's origin or a full URL."""
    return urljoin(site_url, api)


def local_page(url: str, site_url: str) -> str:
    """The output/ file a page URL is served from: `index.html`, `about/index.html`, ...

    Paths are taken relative to site.url's path when the URL is on the site's origin.
    """
    path = urlsplit(url).path or "/"
    base = urlsplit(site_url).path or "/"
    if origin_of(url) == origin_of(site_url) and path.startswith(base):
        path = "/" + path[len(base) :]
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return relative


# --- page references ----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Reference:
    """One asset a page makes the browser fetch."""

    url: str  # absolute
    kind: str  # "stylesheet", "script", "image", "icon", "manifest", "font", "asset"
    source: str  # where it came from, e.g. '<script src="...">'


class _ReferenceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (raw url, kind, source)
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value for name, value in attrs if value is not None}
        if tag == "base" and "href" in attr and self.base is None:
            self.base = attr["href"]
        elif tag == "link" and attr.get("href"):
            rels = set(attr.get("rel", "").lower().split())
            if rels & _ASSET_RELS:
                kind = _link_kind(rels, attr.get("as", "").lower())
                self.found.append((attr["href"], kind, f'<link rel="{attr.get("rel")}">'))
        elif tag == "script" and attr.get("src"):
            self.found.append((attr["src"], "script", "<script src>"))
        elif tag in ("img", "source", "input") and (attr.get("src") or attr.get("srcset")):
            if tag == "input" and attr.get("type", "").lower() != "image":
                return
            kind = "image"
            if tag == "source" and attr.get("type", "").startswith(("video/", "audio/")):
                kind = "asset"
            if attr.get("src"):
                self.found.append((attr["src"], kind, f"<{tag} src>"))
            for candidate in _srcset_urls(attr.get("srcset", "")):
                self.found.append((candidate, kind, f"<{tag} srcset>"))
        elif tag in ("video", "audio") and attr.get("src"):
            self.found.append((attr["src"], "asset", f"<{tag} src>"))
        elif tag == "video" and attr.get("poster"):
            self.found.append((attr["poster"], "image", "<video poster>"))


def _link_kind(rels: set[str], as_: str) -> str:
    if "stylesheet" in rels:
        return "stylesheet"
    if "manifest" in rels:
        return "manifest"
    if "modulepreload" in rels:
        return "script"
    if rels & {"preload"}:
        return {"style": "stylesheet", "script": "script", "image": "image", "font": "font"}.get(
            as_, "asset"
        )
    return "icon"


def _srcset_urls(srcset: str) -> list[str]:
    urls = []
    for candidate in srcset.split(","):
        words = candidate.strip().split()
        if words:
            urls.append(words[0])
    return urls


def parse_references(html: str, page_url: str) -> list[Reference]:
    """Every asset `html` makes a browser fetch, as absolute URLs, deduplicated and sorted.

    Covers stylesheets, scripts, images (src and srcset), icons, manifests and preloads;
    plain links (`<a href>`) are navigation, not assets, and `data:` URIs need no fetch.
    """
    parser = _ReferenceParser()
    parser.feed(html)
    parser.close()
    base = urljoin(page_url, parser.base) if parser.base else page_url
    seen: dict[str, Reference] = {}
    for raw, kind, source in parser.found:
        raw = raw.strip()
        if not raw or raw.startswith(("data:", "blob:", "#", "javascript:")):
            continue
        url = urljoin(base, raw).split("#", 1)[0]
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        seen.setdefault(url, Reference(url, kind, source))
    return sorted(seen.values())


# --- judgements ----------------------------------------------------------------------------


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


_EXPECTED_TYPES: dict[str, tuple[str, ...]] = {
    "stylesheet": ("text/css",),
    "script": ("text/javascript", "application/javascript", "application/x-javascript"),
    "image": ("image/",),
    "icon": ("image/",),
    "manifest": ("application/manifest+json", "application/json"),
    "font": ("font/", "application/font-", "application/x-font-", "application/vnd.ms-fontobject"),
}


def content_type_matches(kind: str, content_type: str | None) -> bool:
    """Whether `content_type` suits an asset of `kind` (an "asset" accepts anything typed)."""
    media = _media_type(content_type)
    if not media:
        return False
    expected = _EXPECTED_TYPES.get(kind)
    if expected is None:
        return media != "text/html"  # an error page served in place of the asset
    return any(
        media == want or (want.endswith(("/", "-")) and media.startswith(want)) for want in expected
    )


def judge_page(url: str, status: int, content_type: str | None) -> CheckResult:
    name = f"page {url}"
    if status != 200:
        return failed(name, f"answered {status}, expected 200; {_status_advice(status)}")
    if _media_type(content_type) != "text/html":
        return failed(
            name,
            f"Content-Type is {content_type or 'missing'!s}, expected text/html; "
            "re-run `cvgen publish` so index.html is uploaded with its content type",
        )
    return passed(name, "answers 200 text/html")


def _status_advice(status: int) -> str:
    if status == 403:
        return (
            "CloudFront answers 403 when the object is missing or its origin access control "
            "cannot read the bucket: check the object exists (`cvgen publish --dry-run`), the "
            "bucket policy's AWS:SourceArn names this distribution, and the default root object "
            "is index.html"
        )
    if status == 404:
        return "the object is not in the bucket: run `cvgen publish`"
    if status in (301, 302, 303, 307, 308):
        return "it redirects; smoke the URL it redirects to (set site.url in cvgen.yaml)"
    if status >= 500:
        return "the origin failed; check the distribution's and the API's logs, then retry"
    return "check the URL and that the deployment finished"


def _directives(csp: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.strip().split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return directives


def judge_hsts(value: str | None) -> CheckResult:
    name = "header Strict-Transport-Security"
    fix = "set it in the CloudFront response headers policy (infra/site.yaml) and redeploy"
    if not value:
        return failed(name, f"missing; {fix}")
    match = re.search(r"(?i)max-age\s*=\s*\"?(\d+)", value)
    if not match:
        return failed(name, f"{value!r} has no max-age; {fix}")
    age = int(match.group(1))
    if age < HSTS_MIN_MAX_AGE:
        return failed(name, f"max-age={age} is under one year ({HSTS_MIN_MAX_AGE}); {fix}")
    return passed(name, f"max-age={age}")


def judge_csp(value: str | None) -> CheckResult:
    name = "header Content-Security-Policy"
    fix = "fix it in the CloudFront response headers policy (infra/site.yaml) and redeploy"
    if not value:
        return failed(name, f"missing; {fix}")
    directives = _directives(value)
    if "default-src" not in directives:
        return failed(
            name, f"{value!r} has no default-src, so anything not listed is allowed; {fix}"
        )
    script = directives.get("script-src", directives["default-src"])
    unsafe = [source for source in script if source in _UNSAFE_SCRIPT_SOURCES]
    hashed = any(
        source.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for source in script
    )
    if "'unsafe-inline'" in script and not hashed:
        unsafe.append("'unsafe-inline'")
    if unsafe:
        return failed(
            name, f"scripts may load from {' '.join(unsafe)}, which defeats the policy; {fix}"
        )
    return passed(name)


# The directive that governs each kind of asset (else default-src).
_CSP_DIRECTIVE = {"image": "img-src", "icon": "img-src", "stylesheet": "style-src"}
_CSP_DIRECTIVE |= {"script": "script-src", "font": "font-src", "manifest": "manifest-src"}


def csp_allows(sources: Sequence[str], url: str, page_url: str) -> bool:
    """Whether a CSP source list lets the page at `page_url` load `url` (CSP level 3's
    matching, for what a published page names: `*`, schemes, 'self' and host sources)."""
    target = urlsplit(url)
    scheme, host = target.scheme.lower(), (target.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    port = target.port or default_port
    for source in sources:
        if source == "*":
            if scheme in ("http", "https"):
                return True
        elif source == "'self'":
            if origin_of(url) == origin_of(page_url):
                return True
        elif source.endswith(":") and "/" not in source:  # a scheme: `https:`, `data:`
            if scheme == source[:-1] or (source == "http:" and scheme == "https"):
                return True
        elif not source.startswith("'"):
            match = re.fullmatch(r"(?:([a-z][a-z0-9+.-]*)://)?([^/:]+)(?::(\d+|\*))?(/.*)?", source)
            if match is None:
                continue
            want_scheme, want_host, want_port, _ = match.groups()
            if want_scheme and not (
                want_scheme == scheme or (want_scheme == "http" and scheme == "https")
            ):
                continue
            if want_host.startswith("*."):
                if not host.endswith(want_host[1:]):
                    continue
            elif want_host != host:
                continue
            if want_port == "*" or (int(want_port) if want_port else default_port) == port:
                return True
    return False


def judge_csp_blocks(
    csp: str | None, references: Sequence[Reference], page_url: str
) -> list[CheckResult]:
    """A failure for each asset of another origin the page's own CSP keeps the browser from
    loading (a remote photo whose host the deployed policy does not name); none otherwise."""
    if not csp:
        return []  # judge_csp says so
    directives = _directives(csp)
    found: dict[str, CheckResult] = {}
    for ref in references:
        directive = _CSP_DIRECTIVE.get(ref.kind, "default-src")
        sources = directives.get(directive, directives.get("default-src"))
        origin = origin_of(ref.url)
        if sources is None or origin in found or csp_allows(sources, ref.url, page_url):
            continue
        fix = (
            "for your photo (`photo.remote: true`), run `cvgen infra deploy` again so the"
            " policy names its host, or keep the photo under content/"
            if directive == "img-src"
            else "serve it from the site itself"
        )
        found[origin] = failed(
            f"header Content-Security-Policy allows {ref.source}",
            f"{directive} does not allow {origin}, so browsers will not load {ref.url}; {fix}",
        )
    return list(found.values())


def judge_exact(header: str, value: str | None, wanted: str) -> CheckResult:
    name = f"header {header}"
    if value is None:
        return failed(name, f"missing, expected {wanted}; set it in the response headers policy")
    if value.strip().lower() != wanted.lower():
        return failed(
            name, f"is {value!r}, expected {wanted}; set it in the response headers policy"
        )
    return passed(name, f"{wanted}")


def judge_referrer_policy(value: str | None) -> CheckResult:
    name = "header Referrer-Policy"
    fix = "use strict-origin-when-cross-origin (or stricter) in the response headers policy"
    if not value:
        return failed(name, f"missing; {fix}")
    # Browsers apply the last value they understand in a comma-separated list.
    known = [
        v.strip().lower()
        for v in value.split(",")
        if v.strip().lower() in SAFE_REFERRER_POLICIES | LEAKY_REFERRER_POLICIES
    ]
    if not known:
        return failed(name, f"{value!r} is not a policy browsers know; {fix}")
    if known[-1] in LEAKY_REFERRER_POLICIES:
        return failed(name, f"{known[-1]} sends full URLs to other sites; {fix}")
    return passed(name, known[-1])


def judge_security_headers(headers: Mapping[str, str]) -> list[CheckResult]:
    """The five headers the site's CloudFront response headers policy must add.

    `headers` maps lower-case header names to values.
    """
    return [
        judge_hsts(headers.get("strict-transport-security")),
        judge_csp(headers.get("content-security-policy")),
        judge_exact("X-Content-Type-Options", headers.get("x-content-type-options"), "nosniff"),
        judge_exact("X-Frame-Options", headers.get("x-frame-options"), "DENY"),
        judge_referrer_policy(headers.get("referrer-policy")),
    ]


def judge_asset(
    ref: Reference, status: int, content_type: str | None, page_url: str
) -> CheckResult:
    shown = ref.url
    if origin_of(ref.url) == origin_of(page_url):
        shown = urlsplit(ref.url).path or "/"
    name = f"asset {shown} ({ref.source})"
    if status != 200:
        return failed(name, f"answered {status}, expected 200; {_status_advice(status)}")
    if not content_type_matches(ref.kind, content_type):
        return failed(
            name,
            f"Content-Type is {content_type or 'missing'}, not a {ref.kind}; re-run `cvgen publish` "
            "so the object is uploaded with the right content type",
        )
    return passed(name, _media_type(content_type))


RECORDS_CHECK = "cvgen's records not served"


def records_url(page_url: str, site_url: str) -> str:
    """The first release record under the site's prefix, on the checked page's origin: every
    published bucket holds it, so a site that serves `_cvgen/` answers 200 for it."""
    root = urlsplit(site_url).path or "/"
    return urljoin(urljoin(page_url, root if root.endswith("/") else root + "/"), release_key(1))


def judge_records_hidden(url: str, status: int) -> CheckResult:
    if status == 404:
        return passed(RECORDS_CHECK, f"({urlsplit(url).path} answers 404)")
    readable = "anyone can read them" if status == 200 else "expected 404"
    return failed(
        RECORDS_CHECK,
        f"{url} answered {status}: {readable}. The bucket's _cvgen/ holds release records "
        "and the publish lease, which names who publishes; update the site stack with "
        "`cvgen infra deploy` (its CloudFront function answers 404 for /_cvgen/)",
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def judge_same_bytes(served: bytes, local: bytes, local_name: str, url: str) -> CheckResult:
    name = f"served page matches {local_name}"
    if served == local:
        return passed(name, f"({len(local)} bytes, sha256 {sha256_hex(local)[:12]})")
    return failed(
        name,
        f"{url} served {len(served)} bytes (sha256 {sha256_hex(served)[:12]}), the local build "
        f"has {len(local)} bytes (sha256 {sha256_hex(local)[:12]}); run `cvgen publish --wait` "
        "to upload this build and wait for the invalidation, or `cvgen build` if the local "
        "build is stale",
    )


def judge_preflight(
    status: int, headers: Mapping[str, str], origin: str, *, should_allow: bool, api_url: str
) -> CheckResult:
    """A CORS preflight: the site origin is allowed by name; any other origin is not."""
    acao = headers.get("access-control-allow-origin")
    if should_allow:
        name = f"counter preflight from {origin}"
        if status not in (200, 204):
            return failed(
                name,
                f"OPTIONS {api_url} answered {status}; the API must answer CORS preflights "
                "(check the HTTP API's CORS configuration and that /api/* routes to it)",
            )
        if acao != origin:
            got = (
                "no Access-Control-Allow-Origin"
                if acao is None
                else f"Access-Control-Allow-Origin {acao!r}"
            )
            return failed(
                name,
                f"got {got}, expected {origin!r}; put the site origin in the counter's "
                "ALLOWED_ORIGINS / CORS settings (`cvgen infra deploy`)",
            )
        return passed(name, f"Access-Control-Allow-Origin {acao}")
    name = f"counter refuses preflight from {origin}"
    if acao is None or (acao != "*" and acao.lower() != origin.lower()):
        return passed(name)
    return failed(
        name,
        f"got Access-Control-Allow-Origin {acao!r}, so any site can call the counter; allow "
        "only the site origin in the counter's CORS settings",
    )


def judge_count(before: int, posted: int, after: int, *, apart: bool = True) -> str | None:
    """What is wrong with a GET-POST-GET sequence of counts, or None when it is right.

    `apart`: the counter kept the smoke POST in its own count, which nothing else moves, so it
    must rise by exactly one. A counter without that (deployed before it) counted a real view,
    and real visitors may arrive meanwhile: then at least one is right.
    """
    if posted != before + 1 and (apart or posted < before + 1):
        wanted = before + 1 if apart else f"at least {before + 1}"
        return f"the count went from {before} to {posted} on POST, expected {wanted}"
    if after != posted and (apart or after < posted):
        return f"a GET after the POST read {after}, but the POST answered {posted}"
    return None


def counted_apart(body: bytes) -> bool:
    """Whether the counter kept a smoke POST apart from the public count (`"smoke": true`)."""
    return _flag(body, "smoke") is True


def parse_views(body: bytes, page: str) -> int | None:
    """The `views` number from a counter answer, or None when the answer is malformed."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("page") != page:
        return None
    views = data.get("views")
    if isinstance(views, bool) or not isinstance(views, int):
        return None
    return views


def was_refused(body: bytes) -> bool:
    """Whether a counter answer says `"counted": false` (a bot, prefetch or repeated id)."""
    return _flag(body, "counted") is False


def _flag(body: bytes, name: str) -> object:
    """The value of `name` in a JSON object answer (None when absent or not an object)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data.get(name) if isinstance(data, dict) else None
