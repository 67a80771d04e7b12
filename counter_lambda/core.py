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
- downloads: a POST with `"kind": "download"` (a click on the page's PDF or Word link) counts
  `downloads` for the page, never a view or a visitor; `GET ?page=/&kind=download` reads it.
- daily counts: each counted view, new visitor and download also adds 1 to the page's item
  for that kind and UTC day (`day_key`), for `cvgen stats`; the API never returns them, and
  a failure there is logged, never a failed count. An answer only ever holds the page it
  was asked about: no request reads another page's counts without naming its path (an
  application's path holds its secret token).
- not counted (200 with the current totals and `"counted": false`): known bots and crawlers
  by User-Agent, an empty User-Agent, prefetch/prerender requests, and a retried POST whose
  request id (`{"id": "<uuid>"}`) was already counted.
- counted: `views` +1 on every counted POST; `visitors` +1 the first time a visitor (keyed
  by HMAC-SHA256(daily secret, page|ip|user agent)) loads the page on a UTC day. Raw IPs and
  user agents are never stored or returned; the hash key is only ever stored, with a TTL.
- failures are JSON `{"error": "..."}` with 400, 404, 405, 413, 429 or 503; never 200.

Beside it: `api` (events in, JSON responses out, CORS, the log line), `settings`, `pages`
(page paths) and `store` (the `Store` protocol and key layout both stores share: DynamoDB in
`dynamo_store`, SQLite in `cvgen.counter`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from counter_lambda.api import (
    ALLOW_HEADER,
    ROUTE,
    BadRequest,
    Request,
    Response,
    cors_headers,
    error_response,
    json_body,
    parse_body,
    unavailable_response,
)
from counter_lambda.pages import normalise_page
from counter_lambda.settings import ORIGIN_TOKEN_HEADER, Settings
from counter_lambda.store import (
    Store,
    StoreUnavailable,
    counter_key,
    day_key,
    request_marker,
    salt_marker,
    visitor_marker,
)

logger = logging.getLogger(__name__)

VISITOR_TTL_SECONDS = 48 * 3600

REQUEST_ID_TTL_SECONDS = 24 * 3600

SALT_TTL_SECONDS = 48 * 3600

# `{"smoke": true}` (POST) / `?smoke=1` (GET): `cvgen smoke`'s own count, kept apart
SMOKE = ("smoke",)
# `{"kind": "download"}` (POST) / `?kind=download` (GET): clicks on a PDF or Word link
DOWNLOADS = ("downloads",)
KINDS = {"view": None, "download": DOWNLOADS}


def is_prefetch(request: Request) -> bool:
    for name in ("purpose", "sec-purpose", "x-purpose", "x-moz"):
        value = request.header(name).lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return True
    return False


def through_proxy(request: Request, settings: Settings) -> bool:
    """Whether the request came through the proxy whose address header may be believed."""
    token = settings.origin_token
    if token is None:
        return True
    given = request.header(ORIGIN_TOKEN_HEADER)
    return hmac.compare_digest(given.encode(), token.encode())


def client_ip(request: Request, settings: Settings) -> str:
    """The viewer's address: the proxy header when configured, present and (with an origin
    token) sent through the proxy; else the source IP."""
    name = settings.client_ip_header
    if name and through_proxy(request, settings):
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
        cors = cors_headers(origin, self.settings.allowed_origins)
        try:
            return self._route(request, origin, cors)
        except BadRequest as exc:
            return error_response(exc.status, exc.message, {**cors, **exc.headers})
        except StoreUnavailable as exc:
            return unavailable_response(cors, exc.retry_after, reason=exc.reason)
        except Exception as exc:  # a bug or an unexpected store error: still a clean 503
            logger.exception("counter failed")
            return unavailable_response(cors, reason=f"internal: {type(exc).__name__}")

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
            kinds = SMOKE if request.query.get("smoke") == "1" else _kinds(request.query)
            return self._totals(page, cors, counted=False, reason="read", kinds=kinds)
        if not self._origin_allowed(origin, request):
            raise BadRequest(400, "origin not allowed")
        payload = parse_body(request.body)
        page = self._page(payload.get("page", request.query.get("page", "/")))
        request_id = _request_id(payload.get("id"))
        kinds = _kinds(payload)
        if self.settings.is_bot(request.header("user-agent")):
            return self._totals(page, cors, counted=False, reason="bot")
        if is_prefetch(request):
            return self._totals(page, cors, counted=False, reason="prefetch")
        if payload.get("smoke") is True:
            return self._count_smoke(page, request_id, cors)
        if kinds == DOWNLOADS:
            return self._count_download(page, request_id, cors)
        return self._count(request, page, request_id, cors)

    def _count_download(self, page: str, request_id: str | None, cors: dict[str, str]) -> Response:
        """A click on the page's PDF or Word link: `downloads`, never a view or a visitor."""
        if request_id is not None and not self.store.claim(
            request_marker(request_id), REQUEST_ID_TTL_SECONDS
        ):
            return self._totals(page, cors, counted=False, reason="duplicate", kinds=DOWNLOADS)
        key = counter_key("downloads", page, self.choose_shard(self.settings.shards))
        try:
            known = {key: self.store.increment(key)}
        except StoreUnavailable as exc:
            if request_id is not None and not exc.maybe_applied:
                self._release_quietly(request_marker(request_id))
            raise
        self._count_days(page, ("downloads",))
        return self._totals(
            page, cors, counted=True, reason="download", known=known, kinds=DOWNLOADS
        )

    def _count_days(self, page: str, kinds: tuple[str, ...]) -> None:
        """Today's items for `kinds`; the totals are counted already, so a failure here is
        logged and the day's figure is one short, never the total."""
        day = utc_day(self.clock())
        for kind in kinds:
            try:
                self.store.increment(day_key(kind, page, day))
            except StoreUnavailable as exc:
                logger.warning("daily %s count of %s lost: %s", kind, page, exc.reason)

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
        if not self.settings.allows(page):
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
            days = ["views"]
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
                    days.append("visitors")
            key = counter_key("views", page, shard)
            known[key] = self.store.increment(key)
        except StoreUnavailable as exc:
            if not exc.maybe_applied:
                for marker in undo:
                    self._release_quietly(marker)
            raise
        self._count_days(page, tuple(days))
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
        return Response(200, {**cors}, json_body(body), counted=counted, reason=reason, page=page)


def _kinds(given: Mapping[str, Any]) -> tuple[str, ...] | None:
    """What a request's `kind` (`view`, the default, or `download`) reads or counts."""
    kind = given.get("kind", "view")
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadRequest(400, "`kind` must be view or download")
    return KINDS[kind]


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
