"""`cvgen new`: write a complete site repository that builds at once."""

from __future__ import annotations

import shutil
from pathlib import Path

from cvgen import __version__
from cvgen.errors import CvgenError
from cvgen.resources import example_site_dir
from cvgen.schemas import modeline, write_schemas
from cvgen.site_repo.files import site_files
from cvgen.site_repo.source import InstallSource

# The YAML files that start with a `# yaml-language-server: $schema=...` line, and which schema.
_SCHEMA_LINES = {"cvgen.yaml": "config", "content/cv.yaml": "cv"}


def create_site(
    path: Path,
    *,
    ci: bool = True,
    version: str = __version__,
    source: InstallSource | None = None,
    example: bool = True,
) -> list[str]:
    """Write a new site into `path` (new or empty); returns the paths written, sorted.

    The example CV's content/ (with `example`, else an empty content/), plus cvgen.yaml (site.url unset), .gitignore, a README for the
    site's owner and, with `ci`, the deploy workflow pinned to `version`, installing
    `source` (default: that version from PyPI). cvgen.yaml and content/cv.yaml start with a
    line pointing editors at their JSON Schemas, written into .cvgen/schemas/.
    """
    if path.exists() and not path.is_dir():
        raise CvgenError(f"{path} exists and is not a folder; choose a new folder")
    if path.is_dir() and any(path.iterdir()):
        raise CvgenError(f"{path} is not empty; choose a new or empty folder")
    made = site_files(version, ci=ci, source=source)
    path.mkdir(parents=True, exist_ok=True)
    if example:
        shutil.copytree(example_site_dir() / "content", path / "content")
    else:
        (path / "content").mkdir()
    for name, text in made.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    for name, kind in _SCHEMA_LINES.items():  # editors complete and check as you type
        if (path / name).is_file():
            text = (path / name).read_text(encoding="utf-8")
            (path / name).write_text(modeline(kind, name) + text, encoding="utf-8")
    write_schemas(path)
    return sorted([*made, "content/"])
