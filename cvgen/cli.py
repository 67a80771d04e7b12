"""The `cvgen` command line.

Commands live in `cvgen/commands/<name>.py`, each a thin Click command that parses its
flags and calls one function. They are imported only when invoked (or listed by
`--help`), and they import their heavy dependencies inside the command body, so
`cvgen --help` and `cvgen --version` stay instant.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from typing import Any

import click

from cvgen import DISTRIBUTION, __version__
from cvgen.commands import WholeHelpGroup

# name -> "module:attribute"; the order here is the order `cvgen --help` lists them in.
COMMANDS: dict[str, str] = {
    "new": "cvgen.commands.new:new",
    "import": "cvgen.commands.import_:import_",
    "build": "cvgen.commands.build:build",
    "serve": "cvgen.commands.serve:serve",
    "check": "cvgen.commands.check:check",
    "themes": "cvgen.commands.themes:themes",
    "apply": "cvgen.commands.apply:apply",
    "publish": "cvgen.commands.publish:publish",
    "infra": "cvgen.commands.infra:infra",
    "stats": "cvgen.commands.stats:stats",
    "smoke": "cvgen.commands.smoke:smoke",
    "upgrade-site": "cvgen.commands.upgrade_site:upgrade_site",
    "schema": "cvgen.commands.schema:schema",
}


def _module_exists(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


class LazyGroup(WholeHelpGroup):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _module_exists(COMMANDS[name].split(":")[0])]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="cvgen", message=f"%(prog)s %(version)s (the {DISTRIBUTION} package)"
)
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def cli(verbose: bool) -> None:
    """Build your CV from YAML and Markdown, preview it, and publish it to AWS."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point. User errors exit 1 with one clean message (see errors.py)."""
    return cli.main(args=argv, prog_name="cvgen")
