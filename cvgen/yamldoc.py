"""YAML parsing that keeps positions and refuses ambiguity.

`parse_yaml(text, file)` returns plain Python data plus the 1-based position of every
key and value, addressed by path (`("work", 2, "startDate")`). Compared with
`yaml.safe_load` it:
- rejects duplicate keys (PyYAML silently keeps the last one);
- keeps dates as strings (`2020-01-15` stays text, as JSON Resume wants);
- reads only `true`/`false` as booleans (YAML 1.2), so `no` (Norwegian) stays a string;
- turns scanner/parser errors into `Issue`s with a plain-language hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from cvgen.errors import ContentError, Issue

Path_ = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when present


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML 1.2 booleans and no implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Positions:
    """1-based (line, col) of keys and values by path."""

    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_) -> tuple[int, int]:
        """Position of the value at `path`, else of its key, else of the nearest parent."""
        while True:
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return (0, 0)
            path = path[:-1]

    def key(self, path: Path_) -> tuple[int, int]:
        """Position of the key at `path` (for 'unknown field' errors), else `of(path)`."""
        return self.keys.get(path) or self.of(path)


@dataclass
class YamlDoc:
    data: Any
    positions: Positions
    file: str
    # Problems that don't stop parsing (duplicate keys), for callers that report them
    # together with validation's findings (`parse_yaml(..., keep_going=True)`).
    issues: list[Issue] = field(default_factory=list)

    def issue(self, path: Path_, message: str, *, at_key: bool = False) -> Issue:
        line, col = self.positions.key(path) if at_key else self.positions.of(path)
        return Issue(self.file, line, col, format_path(path), message)


def format_path(path: Path_) -> str:
    """("work", 2, "startDate") -> "work[2].startDate"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 (a BOM is allowed) or a ContentError naming the line and column of the bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            [
                Issue(
                    file,
                    line,
                    col,
                    "",
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None


def _hint(problem: str, char: str) -> str:
    # the C and pure-Python parsers word errors differently: look at the text itself first
    if char == "\t" or "tab" in problem or "\\t" in problem:
        return "tab character here; YAML indentation must use spaces"
    if "mapping values are not allowed" in problem:
        return "unexpected ':'; put quotes around text that contains ': '"
    if "could not find expected ':'" in problem:
        return "expected 'key: value'; check the indentation and quotes of this line"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "bad indentation; align this line with its siblings"
    if "found undefined alias" in problem:
        return "unknown alias (*name); define the anchor (&name) first"
    if "while scanning a quoted scalar" in problem or "found unexpected end of stream" in problem:
        return "unclosed quote; add the closing quote"
    return problem


def parse_yaml(text: str, file: str, *, keep_going: bool = False) -> YamlDoc:
    """Parse one YAML document into data + positions, or raise ContentError.

    Syntax errors always raise. Duplicate keys raise too, unless `keep_going`: then they
    are left in `doc.issues` (the first value is kept) so validation can go on.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        # an unclosed quote is found at the end of the file; point at where it opened
        opened = "quoted scalar" in (exc.context or "")
        mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        lines = text.splitlines()
        char = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
        raise ContentError([Issue(file, line, col, "", _hint(problem, char))]) from None
    finally:
        loader.dispose()
    positions = Positions()
    issues: list[Issue] = []
    data = None if node is None else _convert(node, (), loader, positions, issues, file)
    if issues and not keep_going:
        raise ContentError(issues)
    return YamlDoc(data, positions, file, issues)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(
    node: yaml.Node,
    path: Path_,
    loader: _Loader,
    positions: Positions,
    issues: list[Issue],
    file: str,
) -> Any:
    positions.values[path] = _pos(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                line, col = _pos(key_node)
                issues.append(Issue(file, line, col, "", "keys must be plain text"))
                continue
            key = str(key)
            child = (*path, key)
            if key in first_seen:
                line, col = _pos(key_node)
                issues.append(
                    Issue(
                        file,
                        line,
                        col,
                        format_path(child),
                        f"duplicate key `{key}` (first defined on line {first_seen[key]});"
                        " remove one of them",
                    )
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            positions.keys[child] = _pos(key_node)
            out[key] = _convert(value_node, child, loader, positions, issues, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, i), loader, positions, issues, file)
            for i, item in enumerate(node.value)
        ]
    value = loader.construct_object(node, deep=True)
    if isinstance(value, int | float) and not isinstance(value, bool) and str(value) != node.value:
        # `0701234567` (octal in YAML 1.1), `02134`, `3.80`, `1:20`, `1_000`: keep what was
        # written rather than a number that reads differently.
        return node.value
    return value
