"""Typeset PDFs kept between builds in the site's `.cvgen/pdf/`, under a hash of their inputs.

Typesetting is the biggest stage of a small build, and most builds change nothing the PDF
shows. The key covers everything Typst reads to make it: the installed typst package (its
files, so an upgrade or reinstall misses), the PDF standards asked for, every template file
(virtual name and bytes), the CV as handed over (`sys.inputs`, the photo's bytes included)
and every font file of the theme's `pdf/fonts/` folders (name and bytes). Only a PDF typeset
from those fonts alone and without a warning is stored (see `compile_pdf`): a hit is then
byte for byte what typesetting again would give, and never hides a warning.

Each entry carries the SHA-256 of its PDF, so a truncated or edited entry is typeset again;
entries are written whole (a temporary file renamed over), and only the newest `KEEP` stay.
Best effort like the compiled templates: a state folder that cannot be read or written
costs time, never a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER = "pdf"
KEEP = 32  # a site with variants keeps one per variant; the rest are older edits
_MAGIC = b"cvgen-pdf-1 "
_SUFFIX = ".pdf-cache"


def _typst_files() -> list[tuple[str, int, int]]:
    """The installed typst package as (name, size, mtime) of its files, without importing it
    (importing maps its 80 MB library: a few milliseconds a hit need not pay)."""
    spec = importlib.util.find_spec("typst")
    folders = (spec.submodule_search_locations or []) if spec is not None else []
    found = []
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file():
                    stat = entry.stat()
                    found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def pdf_key(
    files: Mapping[str, bytes],
    inputs: Mapping[str, str],
    font_dirs: Iterable[Path],
    standards: Iterable[str],
) -> str:
    """The hash of everything a PDF typeset from these inputs depends on."""
    digest = hashlib.sha256()

    def add(*parts: bytes) -> None:
        for part in parts:  # length-prefixed: no two different inputs read the same
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)

    add(repr(_typst_files()).encode(), repr(sorted(standards)).encode())
    for name in sorted(files):
        add(b"file", name.encode(), files[name])
    for name in sorted(inputs):
        add(b"input", name.encode(), inputs[name].encode())
    for folder in font_dirs:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            add(b"font", path.name.encode(), path.read_bytes())
    return digest.hexdigest()


class PdfCache:
    """PDFs by key in `folder` (the site's `.cvgen/pdf/`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / (key + _SUFFIX)

    def get(self, key: str) -> bytes | None:
        """The PDF stored under `key`, or None (absent, unreadable or not intact)."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, _, pdf = raw.partition(b"\n")
        if head != _MAGIC + hashlib.sha256(pdf).hexdigest().encode():
            log.info("%s: not intact, typesetting again", path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when older entries are pruned
        return pdf

    def put(self, key: str, pdf: bytes) -> None:
        """Store `pdf` under `key` (whole or not at all); keep the newest `KEEP` entries."""
        path = self._path(key)
        # one temporary file per writer: builds in other processes, the dev server's threads
        temporary = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(_MAGIC + hashlib.sha256(pdf).hexdigest().encode() + b"\n" + pdf)
            temporary.replace(path)
            self._prune()
        except OSError as exc:
            log.info("PDF not cached in %s: %s", self.folder, exc)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def _prune(self) -> None:
        entries = [p for p in self.folder.iterdir() if p.name.endswith(_SUFFIX)]
        if len(entries) <= KEEP:
            return
        entries.sort(key=_mtime, reverse=True)
        for old in entries[KEEP:]:
            with contextlib.suppress(OSError):  # another build pruned it first
                old.unlink()


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
