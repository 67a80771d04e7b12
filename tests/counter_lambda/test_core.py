"""The pure rules, table-driven (the store, where one is needed, is the real SQLite one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counter_lambda.api import BadRequest, Request, request_from_event, request_from_parts
from counter_lambda.core import Counter, client_ip, is_prefetch, visitor_digest
from counter_lambda.pages import normalise_page
from counter_lambda.settings import DEFAULT_BOT_PATTERNS, Settings, SettingsError
from cvgen.counter import SqliteStore
from tests.counter_lambda.conftest import TEST_UA, v1_event, v2_event


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        ("", "/"),
        ("/", "/"),
        ("/index.html", "/"),
        ("/index.htm", "/"),
        ("//", "/"),
        ("/about/", "/about/"),
        ("/about/index.html", "/about/"),
        ("/a//b/index.html", "/a/b/"),
        ("/404.html", "/404.html"),
        ("/caf%C3%A9/", "/caf%C3%A9/"),
        ("about", None),
        ("/a b", None),
        ("/a\n", None),
        ("/../x", None),
        ("/a/./b", None),
        ("/?q=1", None),
        ("/#top", None),
        ("https://cv.example.com/", None),
        ("/café", None),
        ("/" + "x" * 200, None),
    ],
)
def test_normalise_page(raw: str, page: str | None) -> None:
    assert normalise_page(raw) == page


@pytest.mark.parametrize(
    ("ua", "bot"),
    [
        (TEST_UA, False),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126 Safari/537.36",
            False,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile Safari/604.1",
            False,
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", False),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("Mozilla/5.0 (compatible; YandexBot/3.0)", True),
        ("DuckDuckBot/1.1", True),
        ("Mozilla/5.0 (compatible; Yahoo! Slurp)", True),
        ("Slackbot-LinkExpanding 1.0", True),
        ("facebookexternalhit/1.1", True),
        ("Mozilla/5.0 (Linux; Android 7.0; Moto G (4)) Chrome-Lighthouse", True),
        ("curl/8.5.0", True),
        ("Wget/1.21", True),
        ("python-requests/2.31.0", True),
        ("Go-http-client/2.0", True),
        ("", True),
        ("   ", True),
    ],
)
def test_bot_detection(ua: str, bot: bool) -> None:
    assert Settings().is_bot(ua) is bot


def test_bot_patterns_are_configurable() -> None:
    assert Settings(bot_patterns=("headlesschrome",)).is_bot(TEST_UA)
    assert not Settings(bot_patterns=()).is_bot("curl/8")
    assert Settings(bot_patterns=()).is_bot("")  # no User-Agent is never a page load


@pytest.mark.parametrize(
    ("headers", "prefetch"),
    [
        ({}, False),
        ({"purpose": "prefetch"}, True),
        ({"sec-purpose": "prefetch"}, True),
        ({"sec-purpose": "prefetch;prerender"}, True),
        ({"x-moz": "prefetch"}, True),
        ({"x-purpose": "preview"}, True),
        ({"sec-fetch-mode": "cors"}, False),
    ],
)
def test_prefetch_detection(headers: dict[str, str], prefetch: bool) -> None:
    assert is_prefetch(Request("POST", "/api/views", headers=headers)) is prefetch


def test_settings_defaults_from_empty_environment() -> None:
    settings = Settings.from_env({})
    assert settings.allowed_origins == frozenset()
    assert settings.allowed_pages == frozenset({"/"})
    assert settings.shards == 1
    assert settings.unique_visitors is True
    assert settings.secret is None
    assert settings.bot_patterns == DEFAULT_BOT_PATTERNS
    assert settings.client_ip_header is None  # no header is trusted unless configured
    assert settings.origin_token is None


def test_settings_from_environment() -> None:
    settings = Settings.from_env(
        {
            "ALLOWED_ORIGINS": "https://cv.example.com/, http://127.0.0.1:8000",
            "ALLOWED_PAGES": "/, /404.html",
            "SHARDS": "8",
            "UNIQUE_VISITORS": "false",
            "SECRET": "0123456789abcdef",
            "BOT_PATTERNS": "Bot, HeadlessChrome",
            "CLIENT_IP_HEADER": "X-Real-IP",
        }
    )
    assert settings.allowed_origins == {"https://cv.example.com", "http://127.0.0.1:8000"}
    assert settings.allowed_pages == {"/", "/404.html"}
    assert (settings.shards, settings.unique_visitors) == (8, False)
    assert settings.secret == b"0123456789abcdef"
    assert settings.bot_patterns == ("bot", "headlesschrome")
    assert settings.client_ip_header == "x-real-ip"
    assert Settings.from_env({"ALLOWED_PAGES": "*"}).allowed_pages is None
    assert Settings.from_env({"CLIENT_IP_HEADER": "none"}).client_ip_header is None
    # what the counter template sets in Cognito mode (ClientIpHeader ""): the source address
    assert Settings.from_env({"CLIENT_IP_HEADER": ""}).client_ip_header is None
    assert Settings.from_env({"ORIGIN_TOKEN": " t0k "}).origin_token == "t0k"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SHARDS": "x"}, "SHARDS must be a whole number"),
        ({"SHARDS": "0"}, "SHARDS must be between 1 and 100"),
        ({"SHARDS": "101"}, "SHARDS must be between 1 and 100"),
        ({"UNIQUE_VISITORS": "maybe"}, "UNIQUE_VISITORS must be true or false"),
        ({"SECRET": "short"}, "SECRET must be at least 16 characters"),
        ({"ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS: '*' is not an origin"),
        ({"ALLOWED_ORIGINS": "https://cv.example.com/path"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_ORIGINS": "cv.example.com"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_PAGES": "/index.html"}, "ALLOWED_PAGES: '/index.html' is not a normalised"),
        ({"ALLOWED_PAGES": "about"}, "ALLOWED_PAGES"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("*", r"\*")):
        Settings.from_env(env)


def test_request_from_v2_event() -> None:
    event = v2_event("post", body={"page": "/"}, query="page=%2Fabout%2F&x=1")
    event["headers"]["Origin"] = "https://cv.example.com"
    request = request_from_event(event)
    assert request.method == "POST"
    assert request.path == "/api/views"
    assert request.query == {"page": "/about/", "x": "1"}
    assert request.header("origin") == "https://cv.example.com"
    assert json.loads(request.body) == {"page": "/"}
    assert request.source_ip == "203.0.113.77"


def test_request_from_v1_event() -> None:
    request = request_from_event(v1_event("GET", query={"page": "/"}, headers={"X-Thing": "1"}))
    assert (request.method, request.path, request.query) == ("GET", "/api/views", {"page": "/"})
    assert request.header("x-thing") == "1" and request.header("user-agent") == TEST_UA
    assert request.source_ip == "203.0.113.77"


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (None, 400),
        ("x", 400),
        ({}, 400),
        ({"version": "2.0"}, 400),
        ({"httpMethod": "GET"}, 400),
        ({"httpMethod": "GET", "path": "/api/views", "body": 5}, 400),
        ({"httpMethod": "GET", "path": "/api/views", "body": "x" * 1025}, 413),
        ({"httpMethod": "GET", "path": "/api/views", "body": "é" * 600}, 413),
        ({"httpMethod": "GET", "path": "/", "body": "\ud800"}, 400),
        ({"httpMethod": "GET", "path": "/", "body": "!!", "isBase64Encoded": True}, 400),
    ],
)
def test_request_from_bad_events(event: object, status: int) -> None:
    with pytest.raises(BadRequest) as caught:
        request_from_event(event)
    assert caught.value.status == status


def test_client_ip_prefers_the_configured_proxy_header() -> None:
    request = Request(
        "POST",
        "/api/views",
        headers={
            "cloudfront-viewer-address": "2001:db8::7:51234",
            "x-real-ip": "[2001:db8::8]:443",
        },
        source_ip="130.176.0.1",
    )
    cloudfront = Settings(client_ip_header="cloudfront-viewer-address")
    assert client_ip(request, cloudfront) == "2001:db8::7"
    assert client_ip(request, Settings()) == "130.176.0.1"  # no header trusted by default
    assert client_ip(Request("POST", "/", source_ip="192.0.2.9"), cloudfront) == "192.0.2.9"
    assert client_ip(request, Settings(client_ip_header="x-real-ip")) == "2001:db8::8"
    assert client_ip(request, Settings(client_ip_header="x-missing")) == "130.176.0.1"


@pytest.mark.parametrize(
    ("token", "source", "counted_as"),
    [
        (None, "203.0.113.5", "203.0.113.5"),  # a direct call of the execute-api address
        ("s3cre", "203.0.113.5", "203.0.113.5"),  # a guessed token
        ("s3cret", "130.176.0.1", "198.51.100.7"),  # through CloudFront
    ],
)
def test_the_address_header_is_believed_only_with_the_origin_token(
    token: str | None, source: str, counted_as: str
) -> None:
    # A direct call of the API's execute-api address can carry any header; moto has no API
    # Gateway in front of the Lambda, so only this pure check shows who is believed.
    settings = Settings(client_ip_header="cloudfront-viewer-address", origin_token="s3cret")
    headers = {"cloudfront-viewer-address": "198.51.100.7:443"}
    if token is not None:
        headers["x-cvgen-origin-token"] = token
    request = Request("POST", "/api/views", headers=headers, source_ip=source)
    assert client_ip(request, settings) == counted_as


def test_visitor_digest_hides_ip_and_ua_and_depends_on_every_part() -> None:
    digest = visitor_digest(b"k" * 32, "/", "203.0.113.77", TEST_UA)
    assert len(digest) == 64 and "203" not in digest
    assert digest == visitor_digest(b"k" * 32, "/", "203.0.113.77", TEST_UA)
    others = {
        visitor_digest(b"j" * 32, "/", "203.0.113.77", TEST_UA),
        visitor_digest(b"k" * 32, "/about/", "203.0.113.77", TEST_UA),
        visitor_digest(b"k" * 32, "/", "203.0.113.78", TEST_UA),
        visitor_digest(b"k" * 32, "/", "203.0.113.77", TEST_UA + "x"),
    }
    assert digest not in others and len(others) == 4


def test_daily_salt_is_shared_by_every_instance_and_changes_each_day(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    store = SqliteStore(tmp_path / "c.sqlite3", clock=lambda: now[0])
    first = Counter(Settings(), store, clock=lambda: now[0])
    second = Counter(Settings(), store, clock=lambda: now[0])  # another Lambda container
    post = request_from_parts("POST", "/api/views", "", {"user-agent": TEST_UA}, b"", "192.0.2.1")
    assert json.loads(first.handle(post).body)["visitors"] == 1
    assert json.loads(second.handle(post).body)["visitors"] == 1  # same salt, same visitor
    now[0] += 86_400
    assert json.loads(second.handle(post).body)["visitors"] == 2
    assert json.loads(first.handle(post).body)["visitors"] == 2
    store.close()


def test_secret_keys_the_hash_without_a_stored_salt(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "c.sqlite3")
    counter = Counter(Settings(secret=b"s" * 16), store)
    post = request_from_parts("POST", "/api/views", "", {"user-agent": TEST_UA}, b"", "192.0.2.1")
    counter.handle(post)
    assert json.loads(counter.handle(post).body)["visitors"] == 1
    assert store.get_or_create("salt#probe", "new", 60) == "new"  # nothing else was stored
    with store._connection() as conn:
        salts = conn.execute("SELECT key FROM markers WHERE key LIKE 'salt#2%'").fetchall()
    assert salts == []
    store.close()
