"""The CLI shell: instant --help/--version, every registered command importable, one --root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen import DISTRIBUTION, __version__
from cvgen.cli import COMMANDS, cli
from cvgen.settings.config import site_root


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"cvgen {__version__} (the cvgen-site package)\n"


def test_the_version_is_the_installed_distributions() -> None:
    # pyproject reads the version from cvgen/__init__.py; the installed metadata must agree,
    # under the PyPI name (`cvgen` on PyPI is another project).
    from importlib.metadata import entry_points, version

    assert DISTRIBUTION == "cvgen-site"
    assert version(DISTRIBUTION) == __version__
    [script] = [ep for ep in entry_points(group="console_scripts") if ep.name == "cvgen"]
    assert script.value == "cvgen.cli:main"
    assert script.dist is not None and script.dist.name == DISTRIBUTION


def test_every_registered_command_has_help() -> None:
    for name in COMMANDS:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from cvgen.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('boto3', 'botocore', 'jinja2', 'markdown', 'watchdog', 'yaml')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


# Every command that works on a site, with the arguments it needs besides --root.
SITE_COMMANDS = [
    ["build"],
    ["serve", "--port", "0"],
    ["check"],
    ["publish", "--dry-run"],
    ["infra", "plan"],
    ["infra", "deploy"],
    ["infra", "destroy"],
    ["infra", "doctor"],
    ["smoke"],
    ["upgrade-site"],
]


@pytest.mark.parametrize("command", SITE_COMMANDS, ids=" ".join)
def test_root_means_the_same_for_every_command(
    command: list[str], example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an explicit --root must hold cvgen.yaml: `content` inside a site is not the site
    monkeypatch.chdir(example_site)
    result = CliRunner().invoke(cli, [*command, "--root", "content"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: --root content: no cvgen.yaml in {example_site.resolve() / 'content'}; "
        "pass the site folder (the one holding cvgen.yaml), "
        "or run `cvgen new content` to create a site there\n",
    )
    # without --root: the nearest folder at or above the current one holding cvgen.yaml
    elsewhere = example_site.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(cli, command)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: no cvgen.yaml in {elsewhere.resolve()} or any folder above it; "
        "run `cvgen new PATH` to create a site, or pass --root\n",
    )


def test_site_root_finds_the_site_above_or_takes_it_as_given(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site_root(example_site) == example_site.resolve()
    monkeypatch.chdir(example_site / "content")
    assert site_root(None) == example_site.resolve()
