"""MkDocs hook: the reference pages (docs/reference/config.md, cli.md), generated from the
cvgen being documented (cvgen.reference) each time the site is built."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files


def on_files(files: Files, config: Any) -> Files:
    from cvgen.cli import cli
    from cvgen.reference import cli_reference, config_reference
    from cvgen.schemas.config import config_schema

    pages = {
        "reference/config.md": config_reference(config_schema()),
        "reference/cli.md": cli_reference(cli),
    }
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files
