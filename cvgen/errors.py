"""Error types. Only the CLI turns them into exit codes (Click does it for ClickException).

- `CvgenError`: a user error; one clean message, exit status 1, no traceback.
- `ContentError`: bad content or config; carries every `Issue` found so all are reported at once.
Warnings are `Issue`s too, returned with the CV (`CV.warnings`) rather than raised; under
`--strict` they are raised as a `ContentError`.
Anything else is a bug and keeps its traceback.
`error_lines` is the one wording of a failure, for the terminal and the `cvgen serve` overlay.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import click


def describe(value: Any) -> str:
    """How a message names a value the user wrote: `"Jan 2020"`, `a list`, `true`."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return str(value)


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one input file. `line` and `col` are 1-based (0 when unknown)."""

    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        return self.describe()

    def describe(self, kind: str = "") -> str:
        """`file:line:col: [kind: ]field: message`, as editors and CI annotations read it."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col}" if self.col else f":{self.line}"
        parts = [where, kind, self.field, self.message]
        return ": ".join(part for part in parts if part)


class CvgenError(click.ClickException):
    """A user error: printed as one clean message, exit status 1."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What the terminal prints, and the `cvgen serve` overlay shows, for this error."""
        return [f"Error: {self.format_message()}"]

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines():
            click.echo(line, err=True, file=file)


class ContentError(CvgenError):
    """Bad content or configuration; `issues` lists every problem found, in file order."""

    def __init__(
        self, issues: Iterable[Issue], note: str = "", warnings: Iterable[Issue] = ()
    ) -> None:
        self.issues: list[Issue] = sorted(issues)
        self.note = note  # e.g. why warnings count as errors here
        # found along with the errors: shown too (a near-miss hint may explain an error)
        self.warnings: list[Issue] = sorted(warnings)
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} found{note}"
        super().__init__("\n".join([head, *self.lines()]))

    def lines(self) -> list[str]:
        """Every error and warning in file order, warnings marked `warning:` (the closing
        count is printed by `show` only)."""
        marked = [(issue, "") for issue in self.issues]
        marked += [(issue, "warning") for issue in self.warnings]
        return [issue.describe(kind) for issue, kind in sorted(marked)]

    def show(self, file: IO[Any] | None = None) -> None:
        super().show(file)
        count = len(self.issues)
        click.echo(
            f"Error: {count} problem{'s' if count != 1 else ''} found{self.note}; "
            "nothing was written.",
            err=True,
            file=file,
        )


def error_lines(exc: BaseException) -> list[str]:
    """The lines a failure is reported with: a user error's own lines (as the CLI prints
    them, minus a ContentError's closing count), or one line naming a bug."""
    if isinstance(exc, CvgenError):
        return exc.lines()
    return [f"internal error: {type(exc).__name__}: {exc} (the terminal has the traceback)"]
