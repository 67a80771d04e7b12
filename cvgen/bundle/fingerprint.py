"""Fingerprinted file names: `assets/style.<hash>.css` changes whenever the content does.

One definition for the whole tool: rendering names assets with `fingerprint`, publishing
caches them for a year (`is_fingerprinted`), and `cvgen serve` pairs a stylesheet's old and
new names to swap it without a reload (`split_fingerprint`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

ASSETS = "assets"
DIGEST_LENGTH = 10  # hex digits of sha256 in names we make
# `style.0123abcdef.css` -> stem `style`, hash, extension; names others made may carry up to
# the whole sha256 (8 to 64 hex digits).
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8,64})\.(?P<ext>[A-Za-z0-9]+)$")


def fingerprint(name: str, data: bytes) -> str:
    """`style.css` -> `assets/style.<first 10 hex of sha256>.css`."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
    return str(PurePosixPath(ASSETS) / path.parent / f"{path.stem}.{digest}{path.suffix}")


def split_fingerprint(path: str) -> tuple[str, str, str] | None:
    """`assets/site.0123abcdef.css` -> (`assets/site`, `0123abcdef`, `css`); None when the
    name carries no fingerprint."""
    parent, _, name = path.rpartition("/")
    match = _NAME.match(name)
    if match is None:
        return None
    stem = f"{parent}/{match['stem']}" if parent else match["stem"]
    return stem, match["hash"], match["ext"]


def is_fingerprinted(path: str) -> bool:
    return split_fingerprint(path) is not None
