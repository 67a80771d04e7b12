"""Scan the build output into a manifest: {path: LocalFile}, hashed by content, never by mtime."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cvgen.bundle.headers import Headers, headers_for
from cvgen.bundle.write import MARKER
from cvgen.errors import CvgenError
from cvgen.settings.config import CacheRule

RESERVED = "_cvgen/"  # release manifests and kept objects live here in the bucket
LEASE_KEY = f"{RESERVED}lease.json"  # the publish lease (cvgen/publish/lease.py)


@dataclass(frozen=True)
class LocalFile:
    """One file to publish. `path` is relative to the site root, with `/` separators."""

    path: str
    size: int
    sha256: str
    headers: Headers


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_output(output_dir: Path, rules: Iterable[CacheRule] = ()) -> dict[str, LocalFile]:
    """Every regular file under `output_dir` but the build's marker; refuses a missing or
    empty folder."""
    if not output_dir.is_dir():
        raise CvgenError(
            f"{output_dir}: no build output to publish; run `cvgen build` first "
            "(or drop --no-build)"
        )
    rules = tuple(rules)
    files: dict[str, LocalFile] = {}
    for item in sorted(output_dir.rglob("*")):
        if item.is_symlink() and not item.resolve().is_relative_to(output_dir.resolve()):
            raise CvgenError(f"{item}: symlink points outside {output_dir}; refusing to publish")
        if not item.is_file() or item.name == MARKER:
            continue
        path = item.relative_to(output_dir).as_posix()
        if path.startswith(RESERVED):
            raise CvgenError(
                f"{item}: `{RESERVED}` is reserved for cvgen's release records; rename it"
            )
        files[path] = LocalFile(
            path, item.stat().st_size, file_sha256(item), headers_for(path, rules)
        )
    if not files:
        raise CvgenError(
            f"{output_dir} is empty; refusing to publish an empty site (run `cvgen build`)"
        )
    return files
