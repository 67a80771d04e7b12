"""Turning a request path into a file inside the site folder, refusing anything else.

`url_segments` is pure: it decodes the URL path once and refuses (returns None) every
form of traversal or oddity instead of trying to normalise it: `..` segments (plain,
percent-encoded or double-encoded), backslashes, NUL and other control characters, and
undecodable bytes. `locate` does the I/O part: it joins the segments to the site folder,
follows symlinks and checks with `Path.is_relative_to` (never a string prefix) that the
result is still inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def url_segments(raw_path: str) -> tuple[str, ...] | None:
    """The path segments of a URL path (without query), or None when it must be refused.

    `/` -> `()`, `/a/b.css` -> `("a", "b.css")`; `.` and empty segments are dropped.
    """
    if not raw_path.startswith("/") or "\\" in raw_path:
        return None
    try:
        decoded = unquote(raw_path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    # A second layer of escapes (`%252e` -> `%2e`) only ever comes from an attack or a
    # broken link; refuse it rather than guess which layer was meant.
    if "\\" in decoded or _CONTROL.search(decoded) or _ESCAPE.search(decoded):
        return None
    segments = [part for part in decoded.split("/") if part not in ("", ".")]
    if any(part == ".." for part in segments):
        return None
    return tuple(segments)


@dataclass(frozen=True)
class Located:
    """What a request path points at: a file, or a folder that wants its trailing slash."""

    file: Path | None
    redirect: str | None = None


def locate(site_dir: Path, raw_path: str) -> Located | None:
    """The file for `raw_path` in `site_dir`; None when refused; `Located(None)` when missing.

    A folder serves its `index.html`; a folder asked for without its trailing slash
    answers with a redirect to it, so relative links inside its page keep working.
    """
    segments = url_segments(raw_path)
    if segments is None:
        return None
    base = site_dir.resolve()
    candidate = base.joinpath(*segments).resolve()
    if not candidate.is_relative_to(base):
        return None  # a symlink pointing out of the site
    if candidate.is_dir():
        if segments and not raw_path.endswith("/"):
            # rebuilt from the checked segments: `//host/x` must not become an open redirect
            return Located(None, redirect="/" + "/".join(quote(part) for part in segments) + "/")
        candidate = candidate / "index.html"
    if not candidate.is_file():
        return Located(None)
    return Located(candidate)


def page_paths(files: Iterable[str]) -> list[str]:
    """The URL path of every page among a build's files: `index.html` -> `/`,
    `de/index.html` -> `/de/`, sorted with `/` first (what `cvgen serve` lists)."""
    folders = {
        name[: -len("index.html")] for name in files if name.rpartition("/")[2] == "index.html"
    }
    return sorted((f"/{quote(folder)}" for folder in folders), key=lambda p: (p != "/", p))
