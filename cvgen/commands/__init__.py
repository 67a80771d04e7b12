"""One module per `cvgen` command; the options several commands share live here."""

from __future__ import annotations

from pathlib import Path

import click

# Every command takes the site folder the same way; `cvgen.settings.config.site_root` resolves it.
root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (holding cvgen.yaml). Default: the nearest one at or above here.",
)

# `cvgen new` and `cvgen upgrade-site` write what the site's CI installs the same way.
cvgen_source_option = click.option(
    "--cvgen-source",
    metavar="SOURCE",
    help=(
        "What the deploy workflow installs: a version on PyPI (0.2.0), a VCS URL at a commit"
        " (cvgen-site @ git+https://github.com/OWNER/cvgen@COMMIT) or a wheel's URL."
        " Default: the way this cvgen was installed (a release, or a repository at its"
        " commit); a local path cannot be reached from CI."
    ),
)


class WholeHelpGroup(click.Group):
    """A group whose --help lists each command with its whole first sentence, wrapped.

    Click cuts a command's summary at 45 characters or so, mid-sentence ("Build the site
    into output/: the page, the..."); a summary says what the command does only whole.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
