"""The CLI shell: instant --help/--version, every registered command importable."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from cvgen import DISTRIBUTION, __version__
from cvgen.cli import COMMANDS, cli


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
