"""JSON parsing that keeps positions, so `resume.json` problems get a line and column too.

`parse_json(text, file)` returns the same `YamlDoc` (data + 1-based positions by path) as
`cvgen.yamldoc.parse_yaml`, so validation treats both formats alike. The standard `json`
module checks the syntax first (its messages carry line and column); a small walker then
records where every key and value starts and rejects duplicate keys, which `json` keeps
silently (the last one wins).
"""

from __future__ import annotations

import bisect
import json
from typing import Any

from cvgen.errors import ContentError, Issue
from cvgen.yamldoc import Path_, Positions, YamlDoc, format_path

_WHITESPACE = " \t\n\r"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str, file: str) -> YamlDoc:
    """Parse one JSON document into data + positions, or raise ContentError."""
    doc, duplicates = read_json(text, file)
    if duplicates:
        raise ContentError(duplicates)
    return doc


def read_json(text: str, file: str) -> tuple[YamlDoc, list[Issue]]:
    """Like `parse_json`, but duplicate keys come back as issues (the first value is kept).

    Syntax errors still raise ContentError: nothing after them can be trusted.
    """
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        message = exc.msg[:1].lower() + exc.msg[1:]
        raise ContentError(
            [Issue(file, exc.lineno, exc.colno, "", f"invalid JSON: {message}")]
        ) from None
    except ValueError as exc:  # NaN / Infinity, which Python's json would accept
        raise ContentError([Issue(file, 0, 0, "", f"invalid JSON: {exc}")]) from None
    walker = _Walker(text, file)
    data, _ = walker.value(0, ())
    return YamlDoc(data, walker.positions, file), walker.issues


class _Walker:
    """Walks text that `json.loads` already accepted, noting positions and duplicate keys."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.positions = Positions()
        self.issues: list[Issue] = []
        self.decoder = json.JSONDecoder()
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def where(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index)
        return line, index - self.line_starts[line - 1] + 1

    def skip(self, index: int) -> int:
        while index < len(self.text) and self.text[index] in _WHITESPACE:
            index += 1
        return index

    def value(self, index: int, path: Path_) -> tuple[Any, int]:
        index = self.skip(index)
        self.positions.values[path] = self.where(index)
        char = self.text[index]
        if char == "{":
            return self.object(index + 1, path)
        if char == "[":
            return self.array(index + 1, path)
        return self.decoder.raw_decode(self.text, index)

    def object(self, index: int, path: Path_) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        index = self.skip(index)
        if self.text[index] == "}":
            return out, index + 1
        while True:
            index = self.skip(index)
            key_at = self.where(index)
            key, index = self.decoder.raw_decode(self.text, index)
            index = self.skip(index) + 1  # the ':'
            child = (*path, key)
            if key in first_seen:
                self.issues.append(
                    Issue(
                        self.file,
                        *key_at,
                        format_path(child),
                        f"duplicate key `{key}` (first defined on line {first_seen[key]});"
                        " remove one of them",
                    )
                )
                _, index = self.value(index, (*path, f"{key} (duplicate)"))
            else:
                first_seen[key] = key_at[0]
                self.positions.keys[child] = key_at
                out[key], index = self.value(index, child)
            index = self.skip(index)
            if self.text[index] == "}":
                return out, index + 1
            index += 1  # the ','

    def array(self, index: int, path: Path_) -> tuple[list[Any], int]:
        out: list[Any] = []
        index = self.skip(index)
        if self.text[index] == "]":
            return out, index + 1
        while True:
            item, index = self.value(index, (*path, len(out)))
            out.append(item)
            index = self.skip(index)
            if self.text[index] == "]":
                return out, index + 1
            index += 1  # the ','
