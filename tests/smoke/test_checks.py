"""Table-driven tests for the pure judgements behind `cvgen smoke`."""

from __future__ import annotations

import pytest

from cvgen.hosts import origin_of
from cvgen.smoke import checks
from cvgen.smoke.checks import Reference

PAGE = "https://cv.example.com/"


def test_references_cover_every_fetched_asset_and_nothing_else() -> None:
    html = """
    <html><head>
      <link rel="stylesheet" href="assets/site.1.css">
      <link rel="preload" as="font" href="/assets/inter.woff2" crossorigin>
      <link rel="shortcut icon" href="favicon.ico">
      <link rel="apple-touch-icon" href="/touch.png">
      <link rel="manifest" href="site.webmanifest">
      <link rel="canonical" href="https://cv.example.com/">
      <link rel="alternate" type="application/pdf" href="cv.pdf">
      <script defer src="assets/counter.2.js"></script>
      <script>inline()</script>
    </head><body>
      <img src="me.jpg" srcset="me.jpg 1x,  me@2x.jpg 2x">
      <img src="data:image/png;base64,AAAA">
      <picture><source srcset="me.avif" type="image/avif"></picture>
      <a href="other.html">next</a>
      <img src="me.jpg#again">
      <img src="https://cdn.example.net/x.png">
    </body></html>
    """
    refs = checks.parse_references(html, PAGE)
    assert refs == sorted(
        [
            Reference(f"{PAGE}assets/site.1.css", "stylesheet", '<link rel="stylesheet">'),
            Reference(f"{PAGE}assets/inter.woff2", "font", '<link rel="preload">'),
            Reference(f"{PAGE}favicon.ico", "icon", '<link rel="shortcut icon">'),
            Reference(f"{PAGE}touch.png", "icon", '<link rel="apple-touch-icon">'),
            Reference(f"{PAGE}site.webmanifest", "manifest", '<link rel="manifest">'),
            Reference(f"{PAGE}assets/counter.2.js", "script", "<script src>"),
            Reference(f"{PAGE}me.jpg", "image", "<img src>"),
            Reference(f"{PAGE}me@2x.jpg", "image", "<img srcset>"),
            Reference(f"{PAGE}me.avif", "image", "<source srcset>"),
            Reference("https://cdn.example.net/x.png", "image", "<img src>"),
        ]
    )


def test_references_resolve_against_base_and_subpaths() -> None:
    html = '<base href="/cv/"><script src="app.js"></script><img src="../logo.svg">'
    assert [r.url for r in checks.parse_references(html, "https://x.example/a/b/")] == [
        "https://x.example/cv/app.js",
        "https://x.example/logo.svg",
    ]


@pytest.mark.parametrize(
    ("kind", "content_type", "ok"),
    [
        ("stylesheet", "text/css; charset=utf-8", True),
        ("stylesheet", "text/html", False),
        ("script", "text/javascript", True),
        ("script", "application/javascript; charset=utf-8", True),
        ("script", "text/plain", False),
        ("image", "image/png", True),
        ("image", "image/svg+xml", True),
        ("image", "application/octet-stream", False),
        ("icon", "image/x-icon", True),
        ("icon", "image/vnd.microsoft.icon", True),
        ("manifest", "application/manifest+json", True),
        ("manifest", "application/json-seq", False),  # a full type matches whole, not a prefix
        ("font", "application/font-woff", True),  # a type ending in - is a prefix
        ("font", "font/woff2", True),
        ("font", "text/html", False),
        ("asset", "video/mp4", True),
        ("asset", "text/html", False),
        ("image", None, False),
        ("image", "", False),
    ],
)
def test_content_types(kind: str, content_type: str | None, ok: bool) -> None:
    assert checks.content_type_matches(kind, content_type) is ok


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("max-age=31536000", None),
        ("max-age=63072000; includeSubDomains; preload", None),
        ('max-age="31536000"', None),
        ("MAX-AGE=31536000", None),
        ("max-age=86400", "max-age=86400 is under one year"),
        ("max-age=31535999", "max-age=31535999 is under one year (31536000)"),
        ("includeSubDomains", "has no max-age"),
        (None, "missing"),
    ],
)
def test_hsts(value: str | None, problem: str | None) -> None:
    result = checks.judge_hsts(value)
    assert result.ok is (problem is None)
    if problem:
        assert problem in result.detail


@pytest.mark.parametrize(
    ("csp", "problem"),
    [
        ("default-src 'self'", None),
        ("default-src 'none'; script-src 'self'; style-src 'self'", None),
        ("default-src 'self'; script-src 'self' 'unsafe-inline' 'sha256-abc='", None),
        ("script-src 'self'", "has no default-src"),
        ("default-src *", "scripts may load from *"),
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", "'unsafe-inline'"),
        ("default-src 'self'; script-src 'self' 'unsafe-eval'", "'unsafe-eval'"),
        ("default-src 'self'; script-src https:", "scripts may load from https:"),
        (None, "missing"),
        ("", "missing"),
    ],
)
def test_csp(csp: str | None, problem: str | None) -> None:
    result = checks.judge_csp(csp)
    assert result.ok is (problem is None), result.detail
    if problem:
        assert problem in result.detail


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("strict-origin-when-cross-origin", True),
        ("no-referrer", True),
        ("same-origin", True),
        ("unsafe-url", False),
        ("no-referrer-when-downgrade", False),
        ("no-referrer, unsafe-url", False),
        ("unsafe-url, strict-origin", True),
        ("strict-origin, made-up", True),
        ("made-up", False),
        (None, False),
    ],
)
def test_referrer_policy(value: str | None, ok: bool) -> None:
    assert checks.judge_referrer_policy(value).ok is ok


def test_security_headers_judge_all_five() -> None:
    good = {
        "strict-transport-security": "max-age=31536000",
        "content-security-policy": "default-src 'self'",
        "x-content-type-options": "nosniff",
        "x-frame-options": "deny",
        "referrer-policy": "no-referrer",
    }
    assert all(r.ok for r in checks.judge_security_headers(good))
    failures = [r.name for r in checks.judge_security_headers({}) if not r.ok]
    assert failures == [
        "header Strict-Transport-Security",
        "header Content-Security-Policy",
        "header X-Content-Type-Options",
        "header X-Frame-Options",
        "header Referrer-Policy",
    ]
    sameorigin = checks.judge_security_headers({**good, "x-frame-options": "SAMEORIGIN"})
    assert [r.line() for r in sameorigin if not r.ok] == [
        "FAIL header X-Frame-Options: is 'SAMEORIGIN', expected DENY; set it in the response "
        "headers policy"
    ]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://cv.example.com/", None),
        ("http://127.0.0.1:8000/", None),
        ("http://localhost:8000/", None),
        ("http://[::1]:8000/", None),
        ("http://127.8.9.10/", None),
        ("http://cv.example.com/", "is plain http"),
        ("http://10.0.0.1/", "is plain http"),
        ("ftp://cv.example.com/", "expected an https:// URL"),
        ("cv.example.com", "expected an https:// URL"),
    ],
)
def test_scheme(url: str, problem: str | None) -> None:
    found = checks.scheme_problem(url)
    assert (found is None) is (problem is None), found
    if problem:
        assert found is not None and problem in found


@pytest.mark.parametrize(
    ("status", "acao", "allow", "ok"),
    [
        (204, "https://cv.example.com", True, True),
        (200, "https://cv.example.com", True, True),
        (204, "*", True, False),
        (204, None, True, False),
        (403, "https://cv.example.com", True, False),
        (204, None, False, True),
        (403, None, False, True),
        (204, "https://cv.example.com", False, True),  # names another origin: browser refuses
        (204, "*", False, False),
        (204, "https://evil.example", False, False),
    ],
)
def test_preflight(status: int, acao: str | None, allow: bool, ok: bool) -> None:
    origin = "https://cv.example.com" if allow else "https://evil.example"
    headers = {} if acao is None else {"access-control-allow-origin": acao}
    result = checks.judge_preflight(
        status, headers, origin, should_allow=allow, api_url="https://cv.example.com/api/views"
    )
    assert result.ok is ok, result.line()


@pytest.mark.parametrize(
    ("before", "posted", "after", "ok"),
    [(0, 1, 1, True), (41, 42, 42, True), (3, 3, 3, False), (3, 5, 5, False), (3, 4, 3, False)],
)
def test_count(before: int, posted: int, after: int, ok: bool) -> None:
    assert (checks.judge_count(before, posted, after) is None) is ok


@pytest.mark.parametrize(
    ("before", "posted", "after", "ok"),
    [(0, 1, 1, True), (3, 5, 6, True), (3, 3, 3, False), (3, 5, 4, False)],
)
def test_count_on_a_counter_without_the_smoke_marker_accepts_at_least_one(
    before: int, posted: int, after: int, ok: bool
) -> None:
    # real visitors may raise the public count during the check
    assert (checks.judge_count(before, posted, after, apart=False) is None) is ok


@pytest.mark.parametrize(
    ("body", "views"),
    [
        (b'{"page": "/", "views": 7}', 7),
        (b'{"page": "/", "views": 7, "extra": 1}', 7),
        (b'{"page": "/other", "views": 7}', None),
        (b'{"page": "/", "views": true}', None),
        (b'{"page": "/", "views": "7"}', None),
        (b"<html>", None),
        (b"[]", None),
    ],
)
def test_parse_views(body: bytes, views: int | None) -> None:
    assert checks.parse_views(body, "/") == views


def test_counter_api_url_and_origin() -> None:
    assert checks.counter_api_url(PAGE, "/api/views") == "https://cv.example.com/api/views"
    full = "https://abc123.execute-api.eu-west-1.amazonaws.com/api/views"
    assert checks.counter_api_url(PAGE, full) == full


@pytest.mark.parametrize(
    ("url", "site_url", "local"),
    [
        ("https://cv.example.com/", "https://cv.example.com/", "index.html"),
        ("https://cv.example.com/about/", "https://cv.example.com/", "about/index.html"),
        ("https://cv.example.com/404.html", "https://cv.example.com/", "404.html"),
        ("https://cv.example.com/cv/", "https://cv.example.com/cv/", "index.html"),
        ("https://cv.example.com/cv/about/", "https://cv.example.com/cv/", "about/index.html"),
        ("https://d111.cloudfront.net/", "https://cv.example.com/", "index.html"),
        ("https://d111.cloudfront.net/about/", "https://cv.example.com/", "about/index.html"),
    ],
)
def test_local_page(url: str, site_url: str, local: str) -> None:
    assert checks.local_page(url, site_url) == local


PAGE = "https://cv.example.com/"


@pytest.mark.parametrize(
    ("sources", "url", "allowed"),
    [
        ("'self' data:", "https://cv.example.com/assets/a.png", True),
        ("'self' data:", "https://img.example.com/me.jpg", False),
        ("'self' data:", "data:image/png;base64,AAAA", True),
        ("'self' https://img.example.com", "https://img.example.com/me.jpg", True),
        ("'self' https://img.example.com", "https://img.example.com:8443/me.jpg", False),
        ("https://img.example.com:8443", "https://img.example.com:8443/me.jpg", True),
        ("http://img.example.com", "https://img.example.com/me.jpg", True),  # upgrade
        ("https://img.example.com", "http://img.example.com/me.jpg", False),
        ("img.example.com", "https://img.example.com/me.jpg", True),
        ("https://*.example.com", "https://img.example.com/me.jpg", True),
        ("https://*.example.com", "https://example.com/me.jpg", False),
        ("https:", "https://anywhere.example/me.jpg", True),
        ("*", "https://anywhere.example/me.jpg", True),
        ("*", "data:image/png;base64,AAAA", False),
        ("'none'", "https://cv.example.com/a.png", False),
    ],
)
def test_csp_source_matching(sources: str, url: str, allowed: bool) -> None:
    assert checks.csp_allows(sources.split(), url, PAGE) is allowed


def test_assets_the_pages_own_csp_blocks_fail_once_per_origin() -> None:
    html = (
        '<link rel="stylesheet" href="/assets/site.css">'
        '<img src="https://img.example.com/me.jpg" alt=""><img src="https://img.example.com/2.jpg">'
        '<script src="https://cdn.example.net/x.js"></script><img src="/assets/local.png">'
    )
    references = checks.parse_references(html, PAGE)
    csp = "default-src 'self'; img-src 'self' data:; script-src 'self'"
    results = {r.name: r for r in checks.judge_csp_blocks(csp, references, PAGE)}
    assert sorted(results) == [
        "header Content-Security-Policy allows <img src>",
        "header Content-Security-Policy allows <script src>",
    ]
    assert not any(r.ok for r in results.values())
    assert results["header Content-Security-Policy allows <img src>"].detail.startswith(
        "img-src does not allow https://img.example.com, so browsers will not load "
        "https://img.example.com/2.jpg; for your photo (`photo.remote: true`), run "
        "`cvgen infra deploy` again"
    )  # the first of that origin's images, in the order references are checked
    allowed = csp.replace("img-src 'self' data:", "img-src 'self' data: https://img.example.com")
    assert [r.name for r in checks.judge_csp_blocks(allowed, references, PAGE)] == [
        "header Content-Security-Policy allows <script src>"
    ]
    assert checks.judge_csp_blocks(None, references, PAGE) == []  # judge_csp reports that


def test_same_bytes_means_every_byte_not_the_length() -> None:
    local = b"<h1>Ada Lovelace</h1>"
    same = checks.judge_same_bytes(local, local, "output/index.html", PAGE)
    assert same.line() == (
        "ok   served page matches output/index.html (21 bytes, sha256 "
        f"{checks.sha256_hex(local)[:12]})"
    )
    other = checks.judge_same_bytes(b"<h1>Ada Lovelacf</h1>", local, "output/index.html", PAGE)
    assert not other.ok
    assert other.detail.startswith(f"{PAGE} served 21 bytes (sha256 ")


@pytest.mark.parametrize(
    ("page", "site", "probe"),
    [
        (
            "https://d1.cloudfront.net/",
            "https://d1.cloudfront.net/",
            "/_cvgen/releases/00000001.json",
        ),
        ("https://127.0.0.1:8443/", "https://cv.example.com/", "/_cvgen/releases/00000001.json"),
        ("https://me.dev/cv/about/", "https://me.dev/cv/", "/cv/_cvgen/releases/00000001.json"),
        ("https://me.dev/cv/", "https://me.dev/cv", "/cv/_cvgen/releases/00000001.json"),
    ],
)
def test_the_records_probe_sits_under_the_sites_prefix(page: str, site: str, probe: str) -> None:
    url = checks.records_url(page, site)
    assert url == origin_of(page) + probe


@pytest.mark.parametrize(("status", "ok"), [(404, True), (200, False), (403, False)])
def test_only_404_hides_cvgens_records(status: int, ok: bool) -> None:
    assert checks.judge_records_hidden("https://me.dev/_cvgen/x", status).ok is ok
