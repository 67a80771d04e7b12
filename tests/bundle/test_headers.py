from __future__ import annotations

import pytest

from cvgen.bundle.fingerprint import is_fingerprinted
from cvgen.bundle.headers import (
    IMMUTABLE,
    REVALIDATE,
    SHORT,
    Headers,
    cache_control_for,
    content_type_for,
    headers_for,
)
from cvgen.settings.config import CacheRule


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("assets/site.0123456789.css", True),
        ("assets/app.abcdef0123.js", True),
        ("img/photo.0123abcd.webp", True),  # 8 hex digits: the shortest accepted
        ("x." + "a" * 64 + ".js", True),
        ("x." + "a" * 65 + ".js", False),
        ("assets/site.0123456.css", False),  # 7 hex digits
        ("assets/site.css", False),
        ("assets/site.0123456789g.css", False),
        ("index.html", False),
        ("0123456789.css", False),  # no name before the hash
    ],
)
def test_is_fingerprinted(path: str, expected: bool) -> None:
    assert is_fingerprinted(path) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("assets/site.0123456789.css", "text/css; charset=utf-8"),
        ("assets/app.0123456789.js", "text/javascript; charset=utf-8"),
        ("resume.json", "application/json; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("favicon.svg", "image/svg+xml; charset=utf-8"),
        ("photo.PNG", "image/png"),
        ("cv.pdf", "application/pdf"),
        ("fonts/a.0123456789.woff2", "font/woff2"),
        ("LICENSE", "application/octet-stream"),
    ],
)
def test_content_type(path: str, expected: str) -> None:
    assert content_type_for(path) == expected


@pytest.mark.parametrize(
    ("path", "rules", "expected"),
    [
        ("assets/site.0123456789.css", (), IMMUTABLE),
        ("index.html", (), REVALIDATE),
        ("cv/index.html", (), REVALIDATE),
        ("sitemap.xml", (), REVALIDATE),
        ("robots.txt", (), REVALIDATE),
        ("resume.json", (), REVALIDATE),
        ("photo.png", (), SHORT),
        ("index.html", (CacheRule("*.html", "no-cache"),), "no-cache"),
        # first match wins
        (
            "index.html",
            (CacheRule("*.html", "max-age=60"), CacheRule("index.html", "no-cache")),
            "max-age=60",
        ),
        # a rule may override the immutable default too
        ("assets/site.0123456789.css", (CacheRule("assets/*", "max-age=5"),), "max-age=5"),
        ("photo.png", (CacheRule("*.html", "no-cache"),), SHORT),
    ],
)
def test_cache_control(path: str, rules: tuple[CacheRule, ...], expected: str) -> None:
    assert cache_control_for(path, rules) == expected


def test_short_lived_defaults_revalidate_within_300_seconds() -> None:
    assert "max-age=0" in REVALIDATE and "max-age=300" in SHORT


def test_headers_digest_tracks_every_header() -> None:
    base = Headers("text/html; charset=utf-8", REVALIDATE)
    assert base.digest() == headers_for("index.html").digest()
    assert base.digest() != Headers("text/html", REVALIDATE).digest()
    assert base.digest() != Headers(base.content_type, "no-cache").digest()
    assert base.digest() != Headers(base.content_type, REVALIDATE, "gzip").digest()
