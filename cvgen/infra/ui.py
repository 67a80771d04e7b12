"""What `cvgen infra` needs from a terminal: progress lines and yes/no questions."""

from __future__ import annotations

from typing import Protocol


class Ui(Protocol):
    def echo(self, message: str) -> None: ...

    def confirm(self, question: str) -> bool: ...
