"""JSON Schemas of a site's files, for editors (yaml-language-server) and `cvgen schema`.

`config` (cvgen.yaml) is generated from the settings model; `cv`, `entry` and
`translation` extend the official JSON Resume schema (vendored here) with cvgen's own keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

# name -> (file name written into a site, what it describes)
FILES: dict[str, tuple[str, str]] = {
    "config": ("cvgen.schema.json", "cvgen.yaml"),
    "cv": ("cv.schema.json", "content/cv.yaml or content/resume.json"),
    "entry": ("entry.schema.json", "a Markdown entry's front matter (content/work/acme.md)"),
    "translation": ("translation.schema.json", "a translation (content/cv.de.yaml)"),
}
# Where a site keeps them: git-ignored local state, written by `cvgen new` and
# `cvgen schema --write`; the YAML files point at them with a modeline.
SITE_FOLDER = ".cvgen/schemas"


def schema(name: str) -> dict[str, Any]:
    from cvgen.schemas.config import config_schema
    from cvgen.schemas.content import cv_schema, entry_schema, translation_schema

    makers: dict[str, Callable[[], dict[str, Any]]] = {
        "config": config_schema,
        "cv": cv_schema,
        "entry": entry_schema,
        "translation": translation_schema,
    }
    return makers[name]()


def schema_text(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(site: Path) -> list[Path]:
    """Write every schema into the site's SITE_FOLDER; returns the files written."""
    folder = site / SITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (file_name, _) in FILES.items():
        (folder / file_name).write_text(schema_text(name), encoding="utf-8")
        written.append(folder / file_name)
    return written


def modeline(name: str, yaml_file: str) -> str:
    """`# yaml-language-server: $schema=...` for `yaml_file` (a path relative to the site):
    the schema's path relative to that file's folder, which yaml-language-server reads."""
    depth = yaml_file.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SITE_FOLDER}/{FILES[name][0]}\n"
