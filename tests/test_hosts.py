"""One loopback test for the dev server's exposure warning and smoke's plain-http allowance;
one origin for smoke's CORS and page checks and the counter's allowed origins."""

from __future__ import annotations

import pytest

from cvgen.hosts import is_loopback, origin_of


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LocalHost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.com", False),
        ("localhost.example.com", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://CV.example.com:8443/a?b", "https://cv.example.com:8443"),
        ("HTTPS://cv.example.com/", "https://cv.example.com"),
        ("https://user:secret@cv.example.com/", "https://cv.example.com"),
        (
            "https://abc.execute-api.eu-west-1.amazonaws.com/api/views",
            "https://abc.execute-api.eu-west-1.amazonaws.com",
        ),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("https://d1.cloudfront.net", "https://d1.cloudfront.net"),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin
