"""The counter's settings (from environment variables in the Lambda). Standard library only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from counter_lambda.pages import matches_pattern, normalise_page

# what CloudFront adds to every request it forwards to the API (infra/site.yaml), carrying
# the counter stack's ORIGIN_TOKEN: the proof that CLIENT_IP_HEADER was set by CloudFront
ORIGIN_TOKEN_HEADER = "x-cvgen-origin-token"

MAX_SHARDS = 100  # a read fetches 2 x SHARDS items (BatchGetItem takes 100 keys a call)

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

_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?")


class SettingsError(ValueError):
    """A setting (environment variable) is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything the rules depend on. `from_env` documents each variable and its default."""

    allowed_origins: frozenset[str] = frozenset()
    allowed_pages: frozenset[str] | None = frozenset({"/"})  # None: any well-formed page
    shards: int = 1
    unique_visitors: bool = True
    secret: bytes | None = None  # None: a random salt per UTC day, kept in the store for 48 h
    bot_patterns: tuple[str, ...] = DEFAULT_BOT_PATTERNS
    # where the viewer's address is when a proxy sits in front; None: the source address
    client_ip_header: str | None = None
    # when set, `client_ip_header` is believed only on requests that carry this value in
    # ORIGIN_TOKEN_HEADER, which only the proxy (CloudFront) adds: anyone can set the header
    # itself by calling the API's own execute-api address
    origin_token: str | None = None
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
          `/a/*` adds the job applications' private pages (`/a/<slug>-<token>/` and their
          `letter.html`, nothing else below `/a/`); `*` allows any well-formed path (dev
          only: it lets anyone create keys).
        - SHARDS: counter items per page, 1 to 100; default 1. Only ever increase it.
        - UNIQUE_VISITORS: `true`/`false`; default true.
        - SECRET: key for the daily visitor hash (16+ characters); default unset. The Lambda
          also takes it from Secrets Manager (HMAC_SECRET_ARN, see handler.py). With neither,
          a random salt per UTC day is kept in the store for 48 h (same results).
        - BOT_PATTERNS: comma-separated User-Agent substrings treated as bots; replaces the
          default list; empty counts everything with a User-Agent.
        - CLIENT_IP_HEADER: header holding the viewer's address when a proxy sits in front,
          e.g. `cloudfront-viewer-address` (behind CloudFront's /api/* the source IP is
          CloudFront's, which would merge visitors); default unset (or `none`): the source IP
          only, which is also the fallback whenever the header is absent. A caller can set any
          header, so it is only worth trusting with ORIGIN_TOKEN.
        - ORIGIN_TOKEN: when set, CLIENT_IP_HEADER is believed only on requests carrying
          `x-cvgen-origin-token: <ORIGIN_TOKEN>` (CloudFront adds it as an origin custom
          header and replaces any a viewer sends); other requests count by source address.
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
        ip_header: str | None = env.get("CLIENT_IP_HEADER", "").strip().lower() or None
        if ip_header == "none":
            ip_header = None
        token = env.get("ORIGIN_TOKEN", "").strip() or None
        return cls(
            allowed_origins=origins,
            allowed_pages=pages,
            shards=shards,
            unique_visitors=unique_raw in ("true", "1", "yes", "on"),
            secret=secret_raw.encode() if secret_raw else None,
            bot_patterns=bots,
            client_ip_header=ip_header,
            origin_token=token,
        )

    def allows(self, page: str) -> bool:
        """Whether `page` may be counted: listed in `allowed_pages`, or an application's page
        below a listed `<base>a/*` (see `pages.matches_pattern`); any page when None."""
        allowed = self.allowed_pages
        if allowed is None or page in allowed:
            return True
        return any(matches_pattern(page, pattern) for pattern in allowed)

    def is_bot(self, user_agent: str) -> bool:
        if not user_agent.strip():
            return True
        return self._bot_re is not None and self._bot_re.search(user_agent.lower()) is not None


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]
