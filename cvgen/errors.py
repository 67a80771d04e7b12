"""Error types. Only the CLI turns them into exit codes (Click does it for ClickException).

- `CvgenError`: a user error; one clean message, exit status 1, no traceback.
- `ContentError`: bad content or config; carries every `Issue` found so all are reported at once.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one input file. `line` and `col` are 1-based (0 when unknown)."""

    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col}" if self.col else f":{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class CvgenError(click.ClickException):
    """A user error: printed as one clean message, exit status 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True, file=file)


class ContentError(CvgenError):
    """Bad content or configuration; `issues` lists every problem found, in file order."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues: list[Issue] = sorted(issues)
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *(str(issue) for issue in self.issues)]))

    def show(self, file: IO[Any] | None = None) -> None:
        for issue in self.issues:
            click.echo(str(issue), err=True, file=file)
        count = len(self.issues)
        click.echo(
            f"Error: {count} problem{'s' if count != 1 else ''} found; nothing was written.",
            err=True,
            file=file,
        )
