"""JSON parsing that keeps positions, so `resume.json` problems get a line and column too.

`read_json(text, file)` returns the same `YamlDoc` (data + 1-based positions by path) as
`cvgen.yamldoc.parse_yaml`, so validation treats both formats alike. The standard `json`
module checks the syntax first (its messages carry line and column); a small walker then
records where every key and value starts, and names a key written twice, which `json`
keeps silently (the last one wins, as in every JSON reader): a warning saying what was
dropped, an error only with `--strict`.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from cvgen.errors import ContentError, Issue
from cvgen.yamldoc import (
    MAX_DEPTH,
    MAX_NUMBER_CHARS,
    TOO_DEEP,
    Path_,
    Positions,
    YamlDoc,
    format_path,
    line_col,
    located_error,
    text_problem,
)

_WHITESPACE = " \t\n\r"
# A string (so brackets inside text don't count) or a bracket, for the nesting check.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


@dataclass(frozen=True)
class _BadNumber:
    """A number Python cannot hold faithfully; the walker reports it where it stands."""

    text: str
    message: str


def _reject_constant(name: str) -> _BadNumber:
    """NaN / Infinity, which Python's json would accept: reported where they stand."""
    return _BadNumber(name, f'{name} is not valid JSON; write a number, or "{name}" for text')


def _parse_int(text: str) -> int | _BadNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return _BadNumber(
            text, f"a number {len(text):,} characters long; if it is text, put it in quotes"
        )
    return int(text)


def _parse_float(text: str) -> float | _BadNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return _BadNumber(
            text, f"a number {len(text):,} characters long; if it is text, put it in quotes"
        )
    value = float(text)
    if not math.isfinite(value):
        return _BadNumber(
            text, f"{text} is too large for a number; if it is text, put it in quotes"
        )
    return value


def _syntax_issue(exc: json.JSONDecodeError, text: str, file: str) -> Issue:
    """json's complaint in plain words, pointing at the character to change."""
    pos = exc.pos
    before = text[:pos].rstrip(_WHITESPACE)
    if text[pos : pos + 1] in ("}", "]") and before.endswith(","):
        line, col = line_col(text, len(before) - 1)
        closer = text[pos]
        return Issue(
            file,
            line,
            col,
            "",
            f"trailing comma: JSON allows no ',' after the last item before `{closer}`; remove it",
        )
    if text.startswith(("//", "/*"), pos):
        return Issue(file, exc.lineno, exc.colno, "", "JSON has no comments; remove this one")
    if exc.msg.startswith("Invalid control character"):
        return Issue(
            file,
            exc.lineno,
            exc.colno,
            "",
            f"invisible control character U+{ord(text[pos]):04X} inside text (often pasted"
            " from a PDF or a terminal); delete it",
        )
    message = exc.msg[:1].lower() + exc.msg[1:]
    return Issue(file, exc.lineno, exc.colno, "", f"invalid JSON: {message}")


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than any CV needs, before a recursive walk meets it."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise located_error(file, line_col(text, match.start()), TOO_DEEP)
        elif char in "]}":
            depth -= 1


def read_json(text: str, file: str) -> tuple[YamlDoc, list[Issue]]:
    """Parse one JSON document into data + positions. Problems in single values come back as
    issues: numbers Python cannot hold and over-long text (kept as text). A key written twice
    in one object is a warning in the document's `warnings` (the last value is kept, as by
    every JSON reader; `--strict` makes it an error).

    Syntax errors still raise ContentError: nothing after them can be trusted.
    """
    try:
        json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except json.JSONDecodeError as exc:
        raise ContentError([_syntax_issue(exc, text, file)]) from None
    except RecursionError:
        _check_depth(text, file)
        raise
    _check_depth(text, file)
    walker = _Walker(text, file)
    data, _ = walker.value(0, ())
    return YamlDoc(data, walker.positions, file, warnings=walker.warnings), walker.issues


def _shown(value: Any) -> str:
    """A dropped value in a message: short text quoted, anything else by its kind."""
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:37] + "...", ensure_ascii=False)
    if isinstance(value, dict):
        return f"an object of {len(value)} key{'s' if len(value) != 1 else ''}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    return json.dumps(value)


class _Walker:
    """Walks text that `json.loads` already accepted, noting positions and duplicate keys."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.positions = Positions()
        self.issues: list[Issue] = []
        self.warnings: list[Issue] = []  # duplicate keys (the last value is kept)
        self.decoder = json.JSONDecoder(
            parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant
        )
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
        value, end = self.decoder.raw_decode(self.text, index)
        problem = None
        if isinstance(value, _BadNumber):
            problem, value = value.message, value.text
        elif isinstance(value, str):
            problem = text_problem(value)
        if problem:
            self.issues.append(Issue(self.file, *self.where(index), format_path(path), problem))
        return value, end

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
                # as every JSON reader (and the official schema's validator) does: the last
                # value wins; the one dropped is named, so nothing goes unnoticed
                dropped = _shown(out[key])
                self.warnings.append(
                    Issue(
                        self.file,
                        *key_at,
                        format_path(child),
                        f"duplicate key `{key}` (first on line {first_seen[key]}): this later"
                        f" value is used, as every JSON reader does, and {dropped} from line"
                        f" {first_seen[key]} is dropped; remove one of them",
                    )
                )
                first_seen[key] = key_at[0]
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
