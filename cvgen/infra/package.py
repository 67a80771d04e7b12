"""The counter Lambda's deployment package: a deterministic zip of `counter_lambda/`.

Same code, same bytes: entries sorted, every timestamp 1980-01-01 00:00, fixed permissions,
no `__pycache__` or compiled files. The artifact key contains the zip's sha256, so a code
change always yields a new key (and CloudFormation updates the function) while an unchanged
tree uploads nothing.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cvgen.errors import CvgenError

_EPOCH = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o100644  # regular file, rw-r--r--
_SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


@dataclass(frozen=True)
class Package:
    """A built zip and the S3 key it is stored under."""

    data: bytes
    sha256: str

    @property
    def key(self) -> str:
        return f"counter-lambda/{self.sha256}.zip"


def package_files(source: Path) -> list[Path]:
    """The files that go into the zip, sorted by their path inside it."""
    files = [
        path
        for path in source.rglob("*")
        if path.is_file()
        and not _SKIPPED_DIRS.intersection(path.relative_to(source).parts)
        and path.suffix not in _SKIPPED_SUFFIXES
        and not path.name.startswith(".")
    ]
    return sorted(files, key=lambda path: path.relative_to(source).as_posix())


def build_package(source: Path) -> Package:
    """Zip `source` (a package folder) so that it sits at the zip's root under its own name."""
    if not (source / "handler.py").is_file():
        raise CvgenError(f"{source}: no handler.py; the counter Lambda package is incomplete")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in package_files(source):
            name = f"{source.name}/{path.relative_to(source).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr holds the mode below
            info.external_attr = _FILE_MODE << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    data = buffer.getvalue()
    return Package(data, hashlib.sha256(data).hexdigest())
