"""HTTP headers of the output files (as published, and as `cvgen serve` sends them): Content-Type from the extension, Cache-Control from rules.

Defaults: fingerprinted assets (`name.<8-64 hex>.ext`) are immutable for a year; HTML and
the files crawlers and tools fetch by a fixed name (sitemap.xml, robots.txt, resume.json)
are revalidated on every request; anything else is cached briefly. `publish.cache` rules
in cvgen.yaml come first, and the first matching rule wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from cvgen.bundle.fingerprint import is_fingerprinted
from cvgen.settings.config import CacheRule

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
SHORT = "public, max-age=300"

_SHORT_LIVED_NAMES = frozenset({"sitemap.xml", "robots.txt", "resume.json"})

# Our own table rather than `mimetypes`, whose answers depend on the machine's mime.types.
_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".vcf": "text/vcard",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
    ".wasm": "application/wasm",
}
_TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/manifest+json",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "image/svg+xml",
    }
)


@dataclass(frozen=True)
class Headers:
    """The headers S3 stores with an object and serves back; part of change detection."""

    content_type: str
    cache_control: str
    content_encoding: str | None = None

    def digest(self) -> str:
        """SHA-256 of the headers, kept in object metadata next to the content hash."""
        text = f"{self.content_type}\n{self.cache_control}\n{self.content_encoding or ''}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_html(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in (".html", ".htm")


def content_type_for(path: str) -> str:
    kind = _TYPES.get(PurePosixPath(path).suffix.lower(), "application/octet-stream")
    if kind.startswith("text/") or kind in _TEXT_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


def cache_control_for(path: str, rules: Iterable[CacheRule] = ()) -> str:
    for rule in rules:
        if fnmatchcase(path, rule.pattern):
            return rule.cache_control
    if is_fingerprinted(path):
        return IMMUTABLE
    if is_html(path) or PurePosixPath(path).name in _SHORT_LIVED_NAMES:
        return REVALIDATE
    return SHORT


def headers_for(path: str, rules: Iterable[CacheRule] = ()) -> Headers:
    return Headers(content_type_for(path), cache_control_for(path, rules))
