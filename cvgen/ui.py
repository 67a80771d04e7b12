"""What a command needs from a terminal, in one small protocol: `cvgen publish` and
`cvgen infra` print through it, so their output goes the same way and tests can record it.

- `echo`: the command's own output (a plan, outputs, a summary), on stdout;
- `note`: progress for people watching (waiting for another publish, a warning), on stderr,
  so stdout stays what scripts read;
- `confirm`: a yes/no question; no answer (an empty line, or no terminal) means no.
"""

from __future__ import annotations

from typing import Protocol

import click


class Ui(Protocol):
    def echo(self, message: str) -> None: ...

    def note(self, message: str) -> None: ...

    def confirm(self, question: str) -> bool: ...


class TerminalUi:
    """The real terminal, through click."""

    def echo(self, message: str) -> None:
        click.echo(message)

    def note(self, message: str) -> None:
        click.echo(message, err=True)

    def confirm(self, question: str) -> bool:
        return click.confirm(question, default=False)
