"""Page paths as the counter keys them: `/`, `/about/`, `/404.html`. Standard library only."""

from __future__ import annotations

import re

MAX_PAGE_LENGTH = 200

_PAGE_CHARS = re.compile(r"/[A-Za-z0-9\-._~/%!$&'()*+,;=:@]*")


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


# Below an `ALLOWED_PAGES` entry `<base>a/*`: an application's pages, `<slug>-<token>/` and
# its `letter.html` (the token: 24 to 64 hex digits; cvgen writes 32). Anything else under
# `a/` is refused, so the pattern opens no room for arbitrary keys beyond that shape.
_APPLICATION_PAGE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}-[0-9a-f]{24,64}/(?:letter\.html)?")
APPLICATIONS_SUFFIX = "/*"


def matches_pattern(page: str, pattern: str) -> bool:
    """Whether `page` is an application page below the allowed pattern `/a/*` (`/cv/a/*`)."""
    if not pattern.endswith(APPLICATIONS_SUFFIX):
        return False
    folder = pattern[: -len("*")]
    return page.startswith(folder) and _APPLICATION_PAGE.fullmatch(page[len(folder) :]) is not None
