"""The documentation site: it builds strictly, its reference is generated from the code (every
cvgen.yaml key, every command), a broken link fails the build, and the README stays a landing
page that points into it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from cvgen.cli import cli
from cvgen.reference import cli_reference, config_reference
from cvgen.schemas import schema
from cvgen.settings.config import _SCHEMA, _TOP
from cvgen.settings.variants import _KEYS as VARIANT_KEYS
from tests.conftest import REPO

MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]


def build_docs(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*MKDOCS, "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("docs-site")
    done = build_docs(REPO, site)
    assert done.returncode == 0, done.stderr
    return site


def nav_pages() -> list[str]:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    return re.findall(r"^\s+- (?:[^:\n]+: )?([\w/.-]+\.md)$", text, re.MULTILINE)


def test_every_page_in_the_nav_is_built(built: Path) -> None:
    pages = nav_pages()
    assert len(pages) >= 20
    for page in pages:
        out = "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        out = out.replace("/index/index.html", "/index.html")
        assert (built / out).is_file(), page


def test_the_config_reference_names_every_key_with_type_and_default(built: Path) -> None:
    page = (built / "reference" / "config" / "index.html").read_text(encoding="utf-8")
    for section, keys in _SCHEMA.items():
        for key in keys:
            assert f"<code>{section}.{key}</code>" in page, f"{section}.{key}"
    for key in _TOP:
        assert f"<code>{key}</code>" in page, key
    for key in VARIANT_KEYS:
        assert f"<code>variants[].{key}</code>" in page, key
    markdown = config_reference(schema("config"))
    assert '| `pdf.filename` | string | `"cv.pdf"` |' in markdown
    assert "| `publish.invalidation_threshold` | integer | `15` |" in markdown


def test_the_command_reference_holds_every_commands_help(built: Path) -> None:
    page = (built / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    markdown = cli_reference(cli)

    def walk(command: click.Command, path: str) -> list[str]:
        found = [path]
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                found += walk(sub, f"{path} {name}")
        return found

    paths = walk(cli, "cvgen")
    assert {"cvgen new", "cvgen build", "cvgen infra deploy", "cvgen schema"} <= set(paths)
    for path in paths:
        assert f"## {path}\n" in markdown, path
        assert f"Usage: {path} [OPTIONS]" in markdown, path
        assert re.search(rf">{re.escape(path)}<", page), path


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    costs = tmp_path / "docs" / "costs.md"
    costs.write_text(costs.read_text() + "\nSee [the prices](pricing.md).\n")
    done = build_docs(tmp_path, tmp_path / "site")
    assert done.returncode != 0
    assert "pricing.md" in done.stderr


def test_the_readme_is_a_landing_page_linking_into_the_docs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 200
    for needed in ("make run", "make test", "pipx install", "cvgen new", "cvgen serve"):
        assert needed in readme, needed
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (REPO / link).is_file(), link
