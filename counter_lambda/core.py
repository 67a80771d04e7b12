"""The counter's rules, pure: shared by the Lambda handler and `cvgen serve`'s SQLite store.

Standard library only, and nothing from `cvgen`: the Lambda zip holds just `counter_lambda/`.

One request flows through `handle(request, settings, store, clock)`:

- route: `/api/views` only (404 elsewhere); GET reads, POST counts, OPTIONS answers a CORS
  preflight with 204; any other method gets 405 with `Allow: GET, POST, OPTIONS`.
- page: from the JSON body `{"page": "/"}` (POST) or `?page=/` (GET), default `/`;
  normalised (`""`, `/index.html` -> `/`, `/a/index.html` -> `/a/`), malformed or not in the
  allow-list -> 400, so nobody can fill the table with junk keys (never 404: behind
  CloudFront a 404 becomes the site's HTML error page).
- smoke: a POST with `"smoke": true` (what `cvgen smoke` sends) is counted in a separate
  item and never in `views` or `visitors`; `GET ?page=/&smoke=1` reads that count.
- not counted (200 with the current totals and `"counted": false`): known bots and crawlers
  by User-Agent, an empty User-Agent, prefetch/prerender requests, and a retried POST whose
  request id (`{"id": "<uuid>"}`) was already counted.
- counted: `views` +1 on every counted POST; `visitors` +1 the first time a visitor (keyed
  by HMAC-SHA256(daily secret, page|ip|user agent)) loads the page on a UTC day. Raw IPs and
  user agents are never stored or returned; the hash key is only ever stored, with a TTL.
- failures are JSON `{"error": "..."}` with 400, 404, 405, 413, 429 or 503; never 200.

Storage is behind the `Store` protocol (DynamoDB in `counter_lambda.dynamo_store`, SQLite in
`cvgen.counter`); the key layout below is defined here so both stores agree on it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

ROUTE = "/api/views"
ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
ALLOW_HEADER = ", ".join(ALLOWED_METHODS)
MAX_BODY_BYTES = 1024
MAX_PAGE_LENGTH = 200
MAX_SHARDS = 100  # a read fetches 2 x SHARDS items (BatchGetItem takes 100 keys a call)
VISITOR_TTL_SECONDS = 48 * 3600
REQUEST_ID_TTL_SECONDS = 24 * 3600
SALT_TTL_SECONDS = 48 * 3600
# `{"smoke": true}` (POST) / `?smoke=1` (GET): `cvgen smoke`'s own count, kept apart
SMOKE = ("smoke",)
ERROR_STATUSES = frozenset({400, 404, 405, 413, 429, 503})
STATUSES = frozenset({200, 204}) | ERROR_STATUSES

# Case-insensitive substrings of the User-Agent that mark a request as automated. HeadlessChrome
# is deliberately absent: it is what browser tests (and some real readers) use; add it through
# BOT_PATTERNS if you want it excluded.
DEFAULT_BOT_PATTERNS: tuple[str, ...] = (
    "bot",  # googlebot, bingbot, duckduckbot, applebot, yandexbot, twitterbot, ...
    "crawl",
    "spider",
    "slurp",
    "archiver",
    "facebookexternalhit",
    "embedly",
    "preview",  # link previews (Slack, Discord, Skype, WhatsApp-style unfurlers)
    "lighthouse",
    "pagespeed",
    "pingdom",
    "uptime",
    "monitor",
    "curl/",
    "wget/",
    "httpie/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "okhttp",
    "java/",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios/",
    "scrapy",
    "phantomjs",
)
logger = logging.getLogger(__name__)
RETRY_AFTER_THROTTLED = 1
RETRY_AFTER_UNREACHABLE = 5

_PAGE_CHARS = re.compile(r"/[A-Za-z0-9\-._~/%!$&'()*+,;=:@]*")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?")


class SettingsError(ValueError):
    """A setting (environment variable) is missing or malformed; the message names it."""


class StoreUnavailable(Exception):
    """The store is throttled or unreachable: answer 503 with Retry-After.

    `maybe_applied`: the failed call was a write whose answer was lost, so it may have taken
    effect (then a claimed request id is kept, so a retry cannot count twice).
    """

    def __init__(
        self,
        reason: str,
        retry_after: int = RETRY_AFTER_UNREACHABLE,
        *,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.maybe_applied = maybe_applied


class Store(Protocol):
    """Where counts live. Keys come from `counter_key`/`visitor_key`/... below."""

    def increment(self, key: str) -> int:
        """Atomically add 1 to the counter item `key` (created at 0) and return its new value."""
        ...

    def read(self, keys: Sequence[str]) -> Mapping[str, int]:
        """Strongly consistent current values of counter items; missing items may be left out."""
        ...

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Create marker `key` expiring in `ttl_seconds` unless a live one exists; True if created."""
        ...

    def release(self, key: str) -> None:
        """Delete marker `key` (undo a claim whose work then failed)."""
        ...

    def get_or_create(self, key: str, value: str, ttl_seconds: int) -> str:
        """The value of live marker `key`, storing `value` first if there is none."""
        ...


# --- key layout (shared by every store) -------------------------------------------------------


def counter_key(kind: str, page: str, shard: int) -> str:
    """`views#/#0`, `visitors#/about/#3`: one item per page, kind and shard."""
    return f"{kind}#{page}#{shard}"


def visitor_marker(digest: str) -> str:
    return f"visitor#{digest}"


def request_marker(request_id: str) -> str:
    return f"request#{request_id}"


def salt_marker(day: str) -> str:
    return f"salt#{day}"


# --- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Everything the rules depend on. `from_env` documents each variable and its default."""

    allowed_origins: frozenset[str] = frozenset()
    allowed_pages: frozenset[str] | None = frozenset({"/"})  # None: any well-formed page
    shards: int = 1
    unique_visitors: bool = True
    secret: bytes | None = None  # None: a random salt per UTC day, kept in the store for 48 h
    bot_patterns: tuple[str, ...] = DEFAULT_BOT_PATTERNS
    # where the viewer's address is when a proxy sits in front; the source IP when absent
    client_ip_header: str | None = "cloudfront-viewer-address"
    _bot_re: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.shards <= MAX_SHARDS:
            raise SettingsError(f"SHARDS must be between 1 and {MAX_SHARDS}, got {self.shards}")
        for origin in self.allowed_origins:
            if not _ORIGIN.fullmatch(origin):
                raise SettingsError(
                    f"ALLOWED_ORIGINS: {origin!r} is not an origin; write scheme://host[:port] "
                    "with no path or trailing slash, e.g. https://cv.example.com (`*` is refused)"
                )
        if self.allowed_pages is not None:
            for page in self.allowed_pages:
                if normalise_page(page) != page:
                    raise SettingsError(
                        f"ALLOWED_PAGES: {page!r} is not a normalised page path; "
                        "write paths like / or /about/ or /404.html"
                    )
        pattern = "|".join(re.escape(p.lower()) for p in self.bot_patterns if p)
        object.__setattr__(self, "_bot_re", re.compile(pattern) if pattern else None)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Settings from environment variables (all optional):

        - ALLOWED_ORIGINS: comma-separated site origins that get CORS headers; when set, a
          POST from any other Origin (except the API's own host) is refused with 400. Default
          empty: no CORS headers and no Origin check (behind CloudFront's /api/* the Lambda
          cannot tell the site's origin from the Host header).
        - ALLOWED_PAGES: comma-separated page paths that may be counted; default `/`;
          `*` allows any well-formed path (dev only: it lets anyone create keys).
        - SHARDS: counter items per page, 1 to 100; default 1. Only ever increase it.
        - UNIQUE_VISITORS: `true`/`false`; default true.
        - SECRET: key for the daily visitor hash (16+ characters); default unset. The Lambda
          also takes it from Secrets Manager (HMAC_SECRET_ARN, see handler.py). With neither,
          a random salt per UTC day is kept in the store for 48 h (same results).
        - BOT_PATTERNS: comma-separated User-Agent substrings treated as bots; replaces the
          default list; empty counts everything with a User-Agent.
        - CLIENT_IP_HEADER: header holding the viewer's address when a proxy sits in front;
          default `cloudfront-viewer-address` (behind CloudFront's /api/* the source IP is
          CloudFront's, which would merge visitors); `none` uses only the source IP, which is
          also the fallback whenever the header is absent.
        """
        origins = frozenset(o.strip().rstrip("/") for o in _split(env.get("ALLOWED_ORIGINS", "")))
        pages_raw = env.get("ALLOWED_PAGES", "/").strip()
        pages: frozenset[str] | None = None  # `*`: any well-formed page
        if pages_raw != "*":
            pages = frozenset(_split(pages_raw)) or frozenset({"/"})
        shards_raw = env.get("SHARDS", "1").strip() or "1"
        try:
            shards = int(shards_raw)
        except ValueError:
            raise SettingsError(f"SHARDS must be a whole number, got {shards_raw!r}") from None
        unique_raw = env.get("UNIQUE_VISITORS", "true").strip().lower() or "true"
        if unique_raw not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            raise SettingsError(f"UNIQUE_VISITORS must be true or false, got {unique_raw!r}")
        secret_raw = env.get("SECRET", "")
        if secret_raw and len(secret_raw) < 16:
            raise SettingsError("SECRET must be at least 16 characters (or unset)")
        bots_raw = env.get("BOT_PATTERNS")
        bots = DEFAULT_BOT_PATTERNS if bots_raw is None else tuple(_split(bots_raw.lower()))
        ip_header: str | None = (
            env.get("CLIENT_IP_HEADER", "").strip().lower() or "cloudfront-viewer-address"
        )
        if ip_header == "none":
            ip_header = None
        return cls(
            allowed_origins=origins,
            allowed_pages=pages,
            shards=shards,
            unique_visitors=unique_raw in ("true", "1", "yes", "on"),
            secret=secret_raw.encode() if secret_raw else None,
            bot_patterns=bots,
            client_ip_header=ip_header,
        )

    def is_bot(self, user_agent: str) -> bool:
        if not user_agent.strip():
            return True
        return self._bot_re is not None and self._bot_re.search(user_agent.lower()) is not None


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


# --- requests and responses ---------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One HTTP request, whatever it came from. Header names are lower case."""

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    source_ip: str = ""

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    # for the log line only: never sent to the client
    counted: bool = False
    reason: str = ""
    page: str | None = None


class BadRequest(Exception):
    """The request cannot be served; `status` is one of ERROR_STATUSES."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def request_from_parts(
    method: str,
    path: str,
    query: str | Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    source_ip: str,
) -> Request:
    """A Request from plain parts (the dev server's view of a request)."""
    query_map = dict(parse_qsl(query, keep_blank_values=True)) if isinstance(query, str) else query
    return Request(
        method=method.upper(),
        path=path,
        query=dict(query_map),
        headers={str(k).lower(): str(v) for k, v in headers.items()},
        body=body,
        source_ip=source_ip,
    )


def request_from_event(event: object) -> Request:
    """A Request from an API Gateway event, payload 2.0 (HTTP API) or 1.0 (REST API proxy).

    Raises BadRequest(400) for anything that is not such an event, and 413 for a body over
    1 KB (checked before any base64 decoding).
    """
    if not isinstance(event, Mapping):
        raise BadRequest(400, "malformed request")
    context = event.get("requestContext")
    context = context if isinstance(context, Mapping) else {}
    http = context.get("http")
    if event.get("version") == "2.0" or isinstance(http, Mapping) or "rawPath" in event:
        http = http if isinstance(http, Mapping) else {}
        method = http.get("method")
        path = event.get("rawPath", http.get("path"))
        stage = context.get("stage")
        if isinstance(stage, str) and stage and stage != "$default" and isinstance(path, str):
            path = _strip_stage(path, stage)
        raw_query = event.get("rawQueryString")
        query: Mapping[str, str] = (
            dict(parse_qsl(raw_query, keep_blank_values=True))
            if isinstance(raw_query, str)
            else _str_map(event.get("queryStringParameters"))
        )
        source_ip = http.get("sourceIp")
    else:
        method = event.get("httpMethod")
        path = event.get("path")
        query = _str_map(event.get("queryStringParameters"))
        identity = context.get("identity")
        source_ip = identity.get("sourceIp") if isinstance(identity, Mapping) else None
    if not isinstance(method, str) or not method or not isinstance(path, str):
        raise BadRequest(400, "malformed request")
    headers = {k.lower(): v for k, v in _str_map(event.get("headers")).items()}
    body = _event_body(event.get("body"), event.get("isBase64Encoded") is True)
    return Request(
        method=method.upper(),
        path=path,
        query=query,
        headers=headers,
        body=body,
        source_ip=source_ip if isinstance(source_ip, str) else "",
    )


def _strip_stage(path: str, stage: str) -> str:
    prefix = f"/{stage}"
    if path == prefix:
        return "/"
    return path[len(prefix) :] if path.startswith(prefix + "/") else path


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _event_body(body: object, is_base64: bool) -> bytes:
    if body is None:
        return b""
    if not isinstance(body, str):
        raise BadRequest(400, "malformed request body")
    if is_base64:
        if len(body) > (MAX_BODY_BYTES + 2) // 3 * 4 + 4:
            raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(400, "request body is not valid base64") from None
    else:
        if len(body) > MAX_BODY_BYTES:
            raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest(400, "request body is not valid UTF-8") from None
    if len(data) > MAX_BODY_BYTES:
        raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
    return data


# --- the rules ----------------------------------------------------------------------------------


def normalise_page(raw: str) -> str | None:
    """The canonical page path, or None when `raw` is not a plausible page path.

    `""`, `/`, `/index.html` -> `/`; `/about/index.html` -> `/about/`; repeated slashes collapse;
    no query, fragment, dot segments, whitespace or control characters; at most 200 characters.
    """
    if raw == "":
        return "/"
    if len(raw) > MAX_PAGE_LENGTH or not _PAGE_CHARS.fullmatch(raw):
        return None
    page = re.sub(r"/{2,}", "/", raw)
    segments = page.split("/")
    if any(segment in (".", "..") for segment in segments):
        return None
    if segments[-1] in ("index.html", "index.htm"):
        page = page[: -len(segments[-1])]
    return page


def is_prefetch(request: Request) -> bool:
    for name in ("purpose", "sec-purpose", "x-purpose", "x-moz"):
        value = request.header(name).lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return True
    return False


def client_ip(request: Request, settings: Settings) -> str:
    """The viewer's address: the proxy header when configured and present, else the source IP."""
    name = settings.client_ip_header
    if name:
        value = request.header(name).split(",")[0].strip()
        if value:
            if name == "cloudfront-viewer-address":  # always "address:port", IPv6 unbracketed
                return value.rsplit(":", 1)[0]
            if value.startswith("["):  # [2001:db8::1]:443
                return value[1:].split("]")[0]
            return value.split(":")[0] if value.count(":") == 1 else value
    return request.source_ip


def visitor_digest(key: bytes, page: str, ip: str, user_agent: str) -> str:
    """HMAC-SHA256 over page|ip|user agent: the only form in which a visitor is ever stored."""
    message = f"{page}|{ip}|{user_agent}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def utc_day(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")


@dataclass
class Counter:
    """The rules bound to settings and a store; `handle` never raises."""

    settings: Settings
    store: Store
    clock: Callable[[], float] = time.time
    choose_shard: Callable[[int], int] = field(default=lambda n: secrets.randbelow(n))
    # the secret from elsewhere (Secrets Manager), fetched on first use; raises StoreUnavailable
    secret_loader: Callable[[], bytes] | None = None
    _salts: dict[str, bytes] = field(default_factory=dict, repr=False)
    _secret: bytes | None = field(default=None, repr=False)

    def handle(self, request: Request) -> Response:
        origin = request.header("origin").rstrip("/")
        cors = self._cors_headers(origin)
        try:
            return self._route(request, origin, cors)
        except BadRequest as exc:
            return _error(exc.status, exc.message, {**cors, **exc.headers})
        except StoreUnavailable as exc:
            return _unavailable(cors, exc.retry_after, exc.reason)
        except Exception as exc:  # a bug or an unexpected store error: still a clean 503
            logger.exception("counter failed")
            return _unavailable(cors, RETRY_AFTER_UNREACHABLE, f"internal: {type(exc).__name__}")

    def _cors_headers(self, origin: str) -> dict[str, str]:
        headers = {"Vary": "Origin"}
        if origin and origin in self.settings.allowed_origins:
            headers["Access-Control-Allow-Origin"] = origin
        return headers

    def _origin_allowed(self, origin: str, request: Request) -> bool:
        allowed = self.settings.allowed_origins
        if not origin or not allowed or origin in allowed:
            return True
        # same host: the page and the API share an origin (cvgen serve, CloudFront /api/*)
        host = request.header("host").lower()
        return bool(host) and urlsplit(origin).netloc.lower() == host

    def _route(self, request: Request, origin: str, cors: dict[str, str]) -> Response:
        path = request.path.rstrip("/") if request.path != "/" else request.path
        if path != ROUTE:
            raise BadRequest(404, "not found; the counter lives at /api/views")
        if request.method == "OPTIONS":
            return self._preflight(cors)
        if request.method not in ("GET", "POST"):
            raise BadRequest(
                405, "method not allowed; use GET, POST or OPTIONS", {"Allow": ALLOW_HEADER}
            )
        if request.method == "GET":
            page = self._page(request.query.get("page", "/"))
            kinds = SMOKE if request.query.get("smoke") == "1" else None
            return self._totals(page, cors, counted=False, reason="read", kinds=kinds)
        if not self._origin_allowed(origin, request):
            raise BadRequest(400, "origin not allowed")
        payload = _parse_body(request.body)
        page = self._page(payload.get("page", request.query.get("page", "/")))
        request_id = _request_id(payload.get("id"))
        if self.settings.is_bot(request.header("user-agent")):
            return self._totals(page, cors, counted=False, reason="bot")
        if is_prefetch(request):
            return self._totals(page, cors, counted=False, reason="prefetch")
        if payload.get("smoke") is True:
            return self._count_smoke(page, request_id, cors)
        return self._count(request, page, request_id, cors)

    def _count_smoke(self, page: str, request_id: str | None, cors: dict[str, str]) -> Response:
        """`cvgen smoke`'s POST: counted apart, so a deploy's check never adds a visitor."""
        if request_id is not None and not self.store.claim(
            request_marker(request_id), REQUEST_ID_TTL_SECONDS
        ):
            return self._totals(page, cors, counted=False, reason="duplicate", kinds=SMOKE)
        key = counter_key("smoke", page, 0)
        known = {key: self.store.increment(key)}
        return self._totals(page, cors, counted=True, reason="smoke", known=known, kinds=SMOKE)

    def _preflight(self, cors: dict[str, str]) -> Response:
        headers = dict(cors)
        if "Access-Control-Allow-Origin" in headers:
            headers.update(
                {
                    "Access-Control-Allow-Methods": ALLOW_HEADER,
                    "Access-Control-Allow-Headers": (
                        "content-type, authorization, x-amz-date, x-amz-security-token, "
                        "x-amz-content-sha256"
                    ),
                    "Access-Control-Max-Age": "7200",
                }
            )
        return Response(204, headers, b"", reason="preflight")

    def _page(self, raw: object) -> str:
        if not isinstance(raw, str):
            raise BadRequest(400, "`page` must be a path such as /")
        page = normalise_page(raw)
        if page is None:
            raise BadRequest(400, "`page` must be a path such as / (at most 200 characters)")
        allowed = self.settings.allowed_pages
        if allowed is not None and page not in allowed:
            # 400, not 404: CloudFront puts the site's HTML 404 page (cached) in place of any
            # 404 behind /api/*, and a page posting its own path is a normal request.
            raise BadRequest(400, "unknown page; it is not in the counter's allowed pages")
        return page

    def _count(
        self, request: Request, page: str, request_id: str | None, cors: dict[str, str]
    ) -> Response:
        # markers to undo if a count then fails without having been applied, so a retry counts
        undo: list[str] = []
        if request_id is not None:
            if not self.store.claim(request_marker(request_id), REQUEST_ID_TTL_SECONDS):
                return self._totals(page, cors, counted=False, reason="duplicate request id")
            undo.append(request_marker(request_id))
        try:
            shard = self.choose_shard(self.settings.shards)
            known: dict[str, int] = {}
            if self.settings.unique_visitors:
                digest = visitor_digest(
                    self._daily_key(),
                    page,
                    client_ip(request, self.settings),
                    request.header("user-agent"),
                )
                if self.store.claim(visitor_marker(digest), VISITOR_TTL_SECONDS):
                    undo.append(visitor_marker(digest))
                    key = counter_key("visitors", page, shard)
                    known[key] = self.store.increment(key)
                    undo.pop()  # the visitor is counted; only the view may still fail
            key = counter_key("views", page, shard)
            known[key] = self.store.increment(key)
        except StoreUnavailable as exc:
            if not exc.maybe_applied:
                for marker in undo:
                    self._release_quietly(marker)
            raise
        return self._totals(page, cors, counted=True, reason="counted", known=known)

    def _release_quietly(self, marker: str) -> None:
        # if this fails too, the marker stays for its TTL: a lost count, never a double one
        with contextlib.suppress(StoreUnavailable):
            self.store.release(marker)

    def _daily_key(self) -> bytes:
        day = utc_day(self.clock())
        secret = self.settings.secret or self._secret
        if secret is None and self.secret_loader is not None:
            secret = self._secret = self.secret_loader()
        if secret is not None:
            return hmac.new(secret, day.encode(), hashlib.sha256).digest()
        salt = self._salts.get(day)
        if salt is None:
            stored = self.store.get_or_create(
                salt_marker(day), secrets.token_hex(32), SALT_TTL_SECONDS
            )
            salt = bytes.fromhex(stored) if _is_hex(stored) else stored.encode()
            self._salts.clear()  # keep only today's salt in memory
            self._salts[day] = salt
        return salt

    def _totals(
        self,
        page: str,
        cors: dict[str, str],
        *,
        counted: bool,
        reason: str,
        known: Mapping[str, int] | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> Response:
        known = known or {}
        if kinds is None:
            kinds = ("views", "visitors") if self.settings.unique_visitors else ("views",)
        keys = [counter_key(k, page, s) for k in kinds for s in range(self.settings.shards)]
        missing = [k for k in keys if k not in known]
        values = dict(self.store.read(missing)) if missing else {}
        values.update(known)
        body: dict[str, Any] = {"page": page}
        for kind in kinds:
            body["views" if kind == "smoke" else kind] = sum(
                max(0, int(values.get(counter_key(kind, page, s), 0)))
                for s in range(self.settings.shards)
            )
        if kinds == SMOKE:
            body["smoke"] = True  # `views` is the smoke checks' own count, not the public one
        body["counted"] = counted
        return Response(200, {**cors}, _json(body), counted=counted, reason=reason, page=page)


def _parse_body(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
    if not body.strip():
        return {}
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest(400, 'request body must be JSON like {"page": "/"}') from None
    if not isinstance(payload, dict):
        raise BadRequest(400, 'request body must be a JSON object like {"page": "/"}')
    return payload


def _request_id(raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > 64:
        raise BadRequest(400, "`id` must be a UUID string")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadRequest(400, "`id` must be a UUID string") from None


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def _json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode()


def _error(
    status: int, message: str, headers: Mapping[str, str], *, reason: str | None = None
) -> Response:
    return Response(
        status, dict(headers), _json({"error": message}), counted=False, reason=reason or message
    )


def _unavailable(cors: Mapping[str, str], retry_after: int, reason: str) -> Response:
    return _error(
        503,
        "counter temporarily unavailable; retry later",
        {**cors, "Retry-After": str(retry_after)},
        reason=reason,
    )


def finish_headers(response: Response) -> dict[str, str]:
    """The headers every response carries, plus the response's own."""
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if response.body:
        headers["Content-Type"] = "application/json"
    headers.update(response.headers)
    return headers


def bad_request_response(exc: BadRequest, origin: str, settings: Settings) -> Response:
    """The response for a request that could not even be parsed (no store involved)."""
    cors = {"Vary": "Origin"}
    if origin and origin.rstrip("/") in settings.allowed_origins:
        cors["Access-Control-Allow-Origin"] = origin.rstrip("/")
    return _error(exc.status, exc.message, {**cors, **exc.headers})


def log_record(request: Request | None, response: Response, latency_ms: float) -> dict[str, Any]:
    """The one log line per request: route, status, latency, counted and why. No IP, no UA."""
    route = "-"
    if request is not None:
        method = request.method if request.method in (*ALLOWED_METHODS, "HEAD") else "OTHER"
        path = request.path.rstrip("/") or "/"
        route = f"{method} {ROUTE if path == ROUTE else 'other'}"
    return {
        "route": route,
        "status": response.status,
        "latency_ms": round(latency_ms, 2),
        "counted": response.counted,
        "reason": response.reason,
        "page": response.page,
    }
