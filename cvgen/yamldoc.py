"""YAML parsing that keeps positions and refuses ambiguity.

`parse_yaml(text, file)` returns plain Python data plus the 1-based position of every
key and value, addressed by path (`("work", 2, "startDate")`). Compared with
`yaml.safe_load` it:
- rejects duplicate keys (PyYAML silently keeps the last one);
- keeps dates as strings (`2020-01-15` stays text, as JSON Resume wants);
- reads only `true`/`false` as booleans (YAML 1.2), so `no` (Norwegian) stays a string;
- turns every problem a user can type into an `Issue` with a position and plain advice:
  scanner/parser errors, control characters, tags, numbers Python cannot hold, nesting
  and alias expansion beyond what any CV needs (an alias bomb is refused while composing,
  before anything is expanded), bad merge keys, text too long to render safely.

Events come from PyYAML's (C) parser; nodes are composed here rather than by PyYAML's
recursive composer so that aliases keep their own position and their expanded size is
counted as the document is read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from cvgen.errors import ContentError, Issue
from cvgen.markup_budget import markdown_problem

Path_ = tuple[str | int, ...]

# Limits no CV comes near; each keeps one bad input from costing minutes or gigabytes.
MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 10_000  # one value; a long summary is ~2,000
MAX_VALUES = 50_000  # values after expanding aliases; the example CV has ~300
MAX_DEPTH = 32  # levels of nesting; a CV needs about 5
MAX_NUMBER_CHARS = 100  # digits of an unquoted number; Python refuses 4,300+
TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep; a CV needs only a few:"
    " check for unclosed or extra brackets"
)

_YAML = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_YAML + t for t in ("str", "null", "bool", "int", "float"))
_TIMESTAMP, _MERGE, _VALUE, _BINARY = (_YAML + t for t in ("timestamp", "merge", "value", "binary"))
_SEQ_TAGS = frozenset(_YAML + t for t in ("seq", "omap", "pairs"))
_MAP_TAGS = frozenset(_YAML + t for t in ("map", "set"))

# What YAML allows in a file (the spec's c-printable); anything else stops PyYAML's reader.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# In text outside YAML (a Markdown body), NEL too: only YAML reads it as a line break.
_CONTROL_IN_TEXT = re.compile(f"{_NOT_PRINTABLE.pattern}|\x85")
_MAX_REPORTED_CHARS = 10


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when present


def own_yaml(text: str) -> Any:
    """`yaml.safe_load`, through libyaml's C parser when present (the same data, several
    times faster): for cvgen's own files only (the built-in themes' manifests and
    translations). Every file a user writes goes through `parse_yaml`."""
    return yaml.load(text, Loader=_Base)


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
    # where each value ends (just past its last character) and how it is written:
    # "block", "flow", or the scalar style ("" plain, "'", '"', "|", ">")
    ends: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    styles: dict[Path_, str] = field(default_factory=dict)

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
    # Warnings about what was read (`strip_value_controls`), for callers to report.
    warnings: list[Issue] = field(default_factory=list)

    def issue(self, path: Path_, message: str, *, at_key: bool = False) -> Issue:
        line, col = self.positions.key(path) if at_key else self.positions.of(path)
        return Issue(self.file, line, col, format_path(path), message)


def format_path(path: Path_) -> str:
    """("work", 2, "startDate") -> "work[2].startDate"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def located_error(file: str, where: tuple[int, int], message: str) -> ContentError:
    """A ContentError with the one problem that stops reading `file`."""
    return ContentError([Issue(file, *where, "", message)])


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 (a BOM is allowed) or a ContentError naming the line and column of the bad byte.

    Files over `MAX_FILE_BYTES` are refused before anything reads them further.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise located_error(
            file,
            (0, 0),
            f"{len(raw):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for one file;"
            " a CV needs far less: check that this is the file you meant",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise located_error(
            file,
            (line, col),
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        ) from None


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def text_problem(text: str) -> str | None:
    """Why one text value cannot be used (too long to render safely), else None."""
    if len(text) <= MAX_TEXT_CHARS:
        found = markdown_problem(text)
        return None if found is None else found[1]
    return (
        f"text of {len(text):,} characters, over the {MAX_TEXT_CHARS:,}-character limit"
        " for one value; shorten it, or move long text into a Markdown section"
        " (content/<name>.md)"
    )


def control_character_issues(text: str, file: str) -> list[Issue]:
    """Characters YAML does not allow (control characters, U+FFFE ...), each located."""
    return [
        _control_character_issue(text, match, file, "delete it")
        for match in itertools.islice(_NOT_PRINTABLE.finditer(text), _MAX_REPORTED_CHARS)
    ]


def strip_control_characters(text: str, file: str, start: int = 0) -> tuple[str, list[Issue]]:
    """`text[start:]` without the characters a YAML file may not hold (and NEL, which only
    YAML reads as a line break), and a warning locating each in `text` (the first few).

    For text that is not YAML (a Markdown body): the same characters as in cv.yaml, left
    out rather than refused, since nothing stops the rest being read."""
    issues = [
        _control_character_issue(text, match, file, "left out; delete it")
        for match in itertools.islice(_CONTROL_IN_TEXT.finditer(text, start), _MAX_REPORTED_CHARS)
    ]
    body = text[start:]
    return (_CONTROL_IN_TEXT.sub("", body) if issues else body), issues


def strip_value_controls(doc: YamlDoc) -> YamlDoc:
    """`doc` with invisible control characters left out of its text values, a warning at
    each such value in `doc.warnings`: those the file held as escapes (`"A\\x01B"` in YAML,
    `"A\\u0001B"` in JSON) or as JSON allows them (DEL, C1). Raw in a YAML file they are
    errors already (`control_character_issues`). Keys are left as written."""

    def clean(value: Any, path: Path_) -> Any:
        if isinstance(value, str):
            found = _CONTROL_IN_TEXT.search(value)
            if found is None:
                return value
            if len(doc.warnings) < _MAX_REPORTED_CHARS:
                doc.warnings.append(
                    doc.issue(
                        path,
                        f"invisible control character U+{ord(found.group()):04X} in this text"
                        " (often pasted from a PDF or a terminal); left out; delete it",
                    )
                )
            return _CONTROL_IN_TEXT.sub("", value)
        if isinstance(value, dict):
            return {key: clean(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item, (*path, index)) for index, item in enumerate(value)]
        return value

    doc.data = clean(doc.data, ())
    return doc


def _control_character_issue(text: str, match: re.Match[str], file: str, advice: str) -> Issue:
    line, col = line_col(text, match.start())
    return Issue(
        file,
        line,
        col,
        "",
        f"invisible control character U+{ord(match.group()):04X} here (often pasted from a PDF"
        f" or a terminal); {advice}",
    )


def parse_yaml(text: str, file: str, *, keep_going: bool = False) -> YamlDoc:
    """Parse one YAML document into data + positions, or raise ContentError.

    Syntax errors (and limits exceeded) always raise. Problems in single values (duplicate
    keys, tags, numbers) raise too, unless `keep_going`: then they are left in `doc.issues`
    (the first value of a duplicate key is kept, a bad value is kept as its text) so
    validation can go on.
    """
    bad_chars = control_character_issues(text, file)
    if bad_chars:
        raise ContentError(bad_chars)
    root = _compose(text, file)
    doc = YamlDoc(None, Positions(), file)
    if root is not None:
        doc.data = _Converter(doc, text).convert(root, (), 0)
    if doc.issues and not keep_going:
        raise ContentError(doc.issues)
    return doc


# --- composing: events -> nodes, with alias positions, sizes and limits ---


@dataclass(eq=False)
class _Node:
    kind: str  # "scalar", "seq" or "map"
    tag: str
    explicit: bool  # the tag was written in the file (`!!int`, `!foo`)
    line: int
    col: int
    text: str = ""  # scalars
    items: list[_Node | _Alias] = field(default_factory=list)  # seq items; map keys and values
    size: int = 1  # values after expanding aliases
    open: bool = True
    end: tuple[int, int] = (0, 0)  # just past the node's last character
    style: str = ""  # scalars: "" (plain), "'", '"', "|", ">"; collections: "block" or "flow"


@dataclass(eq=False)
class _Alias:
    target: _Node
    name: str
    line: int
    col: int


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _compose(text: str, file: str) -> _Node | None:
    """The document's root node, composed iteratively from parser events."""
    loader = _Loader(text)
    try:
        return _Composer(loader, file).run()
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_syntax_issue(exc, text, file)]) from None
    except yaml.YAMLError as exc:  # a reader error the character check did not foresee
        raise located_error(
            file, (0, 0), f"unreadable YAML ({exc}); save the file as UTF-8 text"
        ) from None
    finally:
        loader.dispose()


class _Composer:
    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.anchors: dict[str, _Node] = {}
        self.stack: list[_Node] = []
        self.total = 0
        self.root: _Node | None = None
        self.documents = 0

    def run(self) -> _Node | None:
        loader = self.loader
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise located_error(
                        self.file,
                        _at(event.start_mark),
                        "a second YAML document starts here; a file holds one:"
                        " remove this `---` line (or everything after it)",
                    )
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.ScalarEvent):
                explicit = event.tag not in (None, "!")
                tag = str(
                    event.tag
                    if explicit
                    else loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                )
                node = self.start(event, "scalar", tag, explicit)
                node.text = event.value
                node.open = False
                node.end = _at(event.end_mark)
                node.style = event.style or ""
                self.add(node)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                seq = isinstance(event, yaml.SequenceStartEvent)
                explicit = event.tag not in (None, "!")
                kind = yaml.SequenceNode if seq else yaml.MappingNode
                tag = str(event.tag if explicit else loader.resolve(kind, None, event.implicit))
                node = self.start(event, "seq" if seq else "map", tag, explicit)
                node.style = "flow" if event.flow_style else "block"
                if len(self.stack) >= MAX_DEPTH:
                    raise located_error(self.file, (node.line, node.col), TOO_DEEP)
                self.stack.append(node)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                node = self.stack.pop()
                node.open = False
                node.end = _at(event.end_mark)
                self.add(node)
        return self.root

    def start(self, event: Any, kind: str, tag: str, explicit: bool) -> _Node:
        line, col = _at(event.start_mark)
        node = _Node(kind, tag, explicit, line, col)
        if event.anchor is not None:
            first = self.anchors.get(event.anchor)
            if first is not None:
                raise located_error(
                    self.file,
                    (line, col),
                    f"anchor `&{event.anchor}` is defined twice (first on line {first.line});"
                    " rename one of them",
                )
            self.anchors[event.anchor] = node
        self.count(1, (line, col), None)
        return node

    def alias(self, event: Any) -> None:
        where = _at(event.start_mark)
        target = self.anchors.get(event.anchor)
        if target is None:
            raise located_error(
                self.file,
                where,
                f"unknown alias `*{event.anchor}`; define the anchor (`&{event.anchor}`) first",
            )
        if target.open:
            raise located_error(
                self.file,
                where,
                f"alias `*{event.anchor}` is used inside the value it names, so it would never"
                " end; remove it",
            )
        self.count(target.size, where, event.anchor)
        self.add(_Alias(target, event.anchor, *where))

    def count(self, size: int, where: tuple[int, int], alias: str | None) -> None:
        self.total += size
        if self.total <= MAX_VALUES:
            return
        if alias is not None:
            message = (
                f"alias `*{alias}` (which repeats {size:,} values) takes this file past"
                f" {MAX_VALUES:,} values, far more than a CV needs; write the values out"
                " instead of nesting aliases"
            )
        else:
            message = (
                f"more than {MAX_VALUES:,} values in one file; a CV needs far fewer:"
                " check that this is the file you meant"
            )
        raise located_error(self.file, where, message)

    def add(self, item: _Node | _Alias) -> None:
        size = item.size if isinstance(item, _Node) else item.target.size
        if self.stack:
            parent = self.stack[-1]
            parent.items.append(item)
            parent.size += size
        elif isinstance(item, _Node):
            self.root = item


# --- converting: nodes -> plain data + positions ---


class _Converter:
    def __init__(self, doc: YamlDoc, text: str) -> None:
        self.doc = doc
        self.file = doc.file
        self.lines = text.splitlines()
        self.outer_alias: tuple[int, int] | None = None  # the alias being expanded, if any

    def problem(self, where: tuple[int, int], path: Path_, message: str) -> None:
        self.doc.issues.append(Issue(self.file, *where, format_path(path), message))

    def convert(self, item: _Node | _Alias, path: Path_, depth: int) -> Any:
        if isinstance(item, _Alias) and self.outer_alias is None:
            self.outer_alias = (item.line, item.col)
            try:
                return self.convert(item, path, depth)
            finally:
                self.outer_alias = None
        node = item.target if isinstance(item, _Alias) else item
        self.doc.positions.values[path] = (item.line, item.col)
        if isinstance(item, _Node):
            self.doc.positions.ends[path] = item.end
            self.doc.positions.styles[path] = item.style
        if depth > MAX_DEPTH:  # aliases can nest what the composer saw as shallow
            raise located_error(self.file, self.outer_alias or (node.line, node.col), TOO_DEEP)
        if node.kind == "scalar":
            if node.tag in _SEQ_TAGS or node.tag in _MAP_TAGS:
                self.problem(
                    (node.line, node.col),
                    path,
                    f"`{_show_tag(node.tag)}` needs a {'list' if node.tag in _SEQ_TAGS else 'mapping'},"
                    " found text; remove the tag",
                )
                return node.text
            return self.scalar(node, path)
        self.check_collection_tag(node, path)
        if node.kind == "seq":
            return [
                self.convert(child, (*path, i), depth + 1) for i, child in enumerate(node.items)
            ]
        return self.mapping(node, path, depth)

    def check_collection_tag(self, node: _Node, path: Path_) -> None:
        allowed = _SEQ_TAGS if node.kind == "seq" else _MAP_TAGS
        if node.tag in allowed:
            return
        shape = "a list" if node.kind == "seq" else "a mapping"
        if node.tag.startswith(_YAML) and node.tag[len(_YAML) :] in (
            "str",
            "int",
            "float",
            "bool",
            "null",
            "timestamp",
            "binary",
        ):
            message = f"`{_show_tag(node.tag)}` does not fit {shape}; remove the tag"
        else:
            message = f"YAML tags such as `{_show_tag(node.tag)}` are not supported; remove the tag"
        self.problem((node.line, node.col), path, message)

    def scalar(self, node: _Node, path: Path_) -> Any:
        """The value of one scalar; a problem (recorded) leaves the text as written."""
        tag, text, where = node.tag, node.text, (node.line, node.col)
        if tag in (_STR, _MERGE, _VALUE):
            problem = text_problem(text)
            if problem:
                self.problem(where, path, problem)
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            value = SafeConstructor.bool_values.get(text.lower())
            if value is None:
                self.problem(
                    where, path, f"`!!bool` needs true or false, got {text!r}; remove the tag"
                )
                return text
            return value
        if tag in (_INT, _FLOAT):
            return self.number(node, path)
        if tag == _TIMESTAMP:
            if not SafeConstructor.timestamp_regexp.match(text):
                self.problem(
                    where,
                    path,
                    f"`!!timestamp` needs a date such as 2020-01-15, got {text!r}; remove the tag",
                )
            return text  # dates stay text
        if tag == _BINARY:
            self.problem(where, path, "binary data (`!!binary`) has no place in a CV; remove it")
            return text
        if tag.startswith("!") and not tag.startswith("!!"):
            written = f"{tag} {text}" if text else tag
            message = (
                f"YAML tag `{tag}` is not supported; if this is text that starts with `!`,"
                f" put it in quotes: {_quoted(written)}"
            )
        else:
            message = f"YAML tags such as `{_show_tag(tag)}` are not supported; remove the tag"
        self.problem(where, path, message)
        return text

    def number(self, node: _Node, path: Path_) -> Any:
        tag, text, where = node.tag, node.text, (node.line, node.col)
        kind = "whole number" if tag == _INT else "number"
        if len(text) > MAX_NUMBER_CHARS:
            self.problem(
                where,
                path,
                f"a number {len(text):,} characters long; if it is text, put it in quotes",
            )
            return text
        constructor = SafeConstructor()
        try:
            if tag == _INT:
                value: Any = constructor.construct_yaml_int(yaml.ScalarNode(tag, text))
            else:
                value = constructor.construct_yaml_float(yaml.ScalarNode(tag, text))
            shown = str(value)
        except (ValueError, IndexError, KeyError, OverflowError):
            self.problem(
                where,
                path,
                f"`{_show_tag(tag)}` needs a {kind}, got {text!r}; remove the tag or fix the value",
            )
            return text
        if shown != text:
            # `0701234567` (octal in YAML 1.1), `02134`, `3.80`, `1:20`, `1_000`: keep what
            # was written rather than a number that reads differently.
            return text
        return value

    def mapping(self, node: _Node, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        repeats: list[tuple[str, _Node | _Alias, int]] = []
        entries: list[tuple[str, _Node | _Alias, _Node | _Alias]] = []
        for key_item, value_item in zip(node.items[::2], node.items[1::2], strict=True):
            key_node = key_item.target if isinstance(key_item, _Alias) else key_item
            where = (key_item.line, key_item.col)
            if key_node.kind == "scalar" and key_node.tag == _MERGE and not key_node.explicit:
                self.merge(value_item, path, depth, merged)
                continue
            key = self.scalar(key_node, path) if key_node.kind == "scalar" else None
            if key is None or not isinstance(key, str | int | float | bool):
                self.problem(where, path, "keys must be plain text")
                continue
            key = str(key)
            if key in first_seen:
                repeats.append((key, key_item, first_seen[key]))
            else:
                first_seen[key] = where[0]
            entries.append((key, key_item, value_item))
        if path and len(repeats) > 1:
            # Several keys again: most likely the next entry without its `- `. Report that
            # once, and keep what follows out of this entry.
            self.report_missing_dash(node, path, repeats)
            entries = entries[: entries.index(next(e for e in entries if e[1] is repeats[0][1]))]
        else:
            for key, item, first_line in repeats:
                self.problem(
                    (item.line, item.col),
                    (*path, key),
                    f"duplicate key `{key}` (first defined on line {first_line});"
                    " remove one of them",
                )
        for key, key_item, value_item in entries:
            child = (*path, key)
            if key in out:
                continue
            self.doc.positions.keys[child] = (key_item.line, key_item.col)
            out[key] = self.convert(value_item, child, depth + 1)
        if merged:
            self.doc.positions.values[path] = (node.line, node.col)
            return {**{k: v for k, v in merged.items() if k not in out}, **out}
        return out

    def merge(
        self, value_item: _Node | _Alias, path: Path_, depth: int, merged: dict[str, Any]
    ) -> None:
        """`<<: *defaults` or `<<: [*a, *b]`: keys not written in the mapping itself."""
        target = value_item.target if isinstance(value_item, _Alias) else value_item
        sources = target.items if target.kind == "seq" else [value_item]
        for source in sources:
            node = source.target if isinstance(source, _Alias) else source
            if node.kind != "map":
                self.problem(
                    (source.line, source.col),
                    path,
                    "`<<` merges a mapping into this one (`<<: *defaults`), but this is not a"
                    " mapping; point it at one, or remove the `<<` line",
                )
                continue
            values = self.convert(source, path, depth + 1)
            for key, value in values.items():
                merged.setdefault(key, value)  # the first mapping listed wins

    def report_missing_dash(
        self, node: _Node, path: Path_, repeats: list[tuple[str, _Node | _Alias, int]]
    ) -> None:
        key, item, first_line = repeats[0]
        if isinstance(path[-1], int) and 0 < node.line <= len(self.lines):
            dash = _indent(self.lines[node.line - 1])
            fix = f"begin it like line {node.line}: `- ` indented {_spaces(dash)}, then `{key}`"
        else:
            fix = f"make `{format_path(path)}` a list: begin each entry's first line with `- `"
        more = len(repeats) - 1
        self.problem(
            (item.line, item.col),
            (*path, key),
            f"`{key}` and {more} more key{'s' if more > 1 else ''} from here on repeat this"
            f" entry's keys (`{key}` first on line {first_line}); if a new entry starts here,"
            f" {fix}",
        )


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- syntax errors: library wording -> plain advice ---


def _syntax_issue(exc: yaml.MarkedYAMLError, text: str, file: str) -> Issue:
    """The parser's complaint as an Issue: where the user must look, and what to change."""
    problem = exc.problem or exc.context or "invalid YAML"
    # an unclosed quote is found at the end of the file; point at where it opened
    opened = "quoted scalar" in (exc.context or "")
    mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    lines = text.splitlines()
    dash = exc.context_mark.column if exc.context_mark else None
    return Issue(file, line, col, "", _hint(problem, lines, line, col, dash))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """0-based column where a line's key starts, after any `- ` list markers."""
    col = _indent(line)
    while line[col : col + 2] in ("- ", "-") and col < len(line):
        col += 1
        col += _indent(line[col:])
    return col


def _key_of(line: str) -> str:
    start = _key_column(line)
    return line[start:].split(":", 1)[0].strip() or line[start:].strip()


def _content_lines_before(lines: list[str], line: int) -> list[tuple[int, str]]:
    """(1-based number, text) of the non-blank, non-comment lines before `line`, nearest first."""
    out = []
    for number in range(min(line, len(lines) + 1) - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            out.append((number, text))
    return out


def _spaces(n: int) -> str:
    return f"{n} space{'s' if n != 1 else ''}"


def _entry_above(lines: list[str], line: int, indent: int) -> tuple[int, str, int] | None:
    """For a list entry (`- name: ...`) dedented too far: the earlier entry it belongs beside,
    as (line, text, its dash's column). One with the same first key wins (`- institution`
    beside `- institution`), else the outermost list deeper than it; never an item of a
    nested list (`courses:`), where the entry would move to."""
    key = _key_of(lines[line - 1])
    dashes = []
    for number, text in _content_lines_before(lines, line):
        column = _indent(text)
        if column <= indent and not text.lstrip().startswith("-"):
            break  # left the block this entry could belong to
        if text.lstrip().startswith("-") and column > indent:
            dashes.append((number, text, column))
    same = [d for d in dashes if _key_of(d[1]) == key]
    if same:
        return same[0]
    return min(dashes, key=lambda d: d[2]) if dashes else None


def _indent_hint(lines: list[str], line: int, *, dash: int | None) -> str | None:
    """Advice for a line whose indentation fits neither the entry above nor its parent."""
    if not 0 < line <= len(lines):
        return None
    here = lines[line - 1]
    indent, key = _indent(here), _key_of(here)
    deeper = shallower = None
    for number, text in _content_lines_before(lines, line):
        column = _key_column(text)
        if deeper is None and column > indent:
            deeper = (number, text, column)
        if column < indent:
            shallower = (number, text, column)
            break
    options = []
    entry = _entry_above(lines, line, indent) if here.lstrip().startswith("-") else None
    if entry is not None:  # a whole entry: line up its dash with its siblings' dashes
        number, text, column = entry
        options.append(
            f"indent it {_spaces(column)} to line it up with `- {_key_of(text)}` on line {number}"
        )
    elif deeper is not None:
        number, text, column = deeper
        options.append(
            f"indent it {_spaces(column)} to line it up with `{_key_of(text)}` on line {number}"
        )
    if dash is not None:
        options.append(f"start a new entry: `- {key}` indented {_spaces(dash)}")
    elif shallower is not None:
        number, text, column = shallower
        options.append(f"{_spaces(column)} to line it up with `{_key_of(text)}` on line {number}")
    if not options:
        return None
    return f"`{key}` is indented {_spaces(indent)}, which fits no key above it; " + ", or ".join(
        options
    )


def _hint(problem: str, lines: list[str], line: int, col: int, dash: int | None) -> str:
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    char = here[col - 1 : col]
    # the C and pure-Python parsers word errors differently: look at the text itself first
    if char == "\t" or "tab" in problem or "\\t" in problem:
        return "tab character here; YAML indentation must use spaces"
    if "mapping values are not allowed" in problem:
        before = here[: col - 1]
        if ": " not in before and before.strip() and " " not in before.strip():
            # `    label: x` under `  name: Ada`: a key indented too far, read as more text of
            # the value above
            above = _content_lines_before(lines, line)
            if above and _indent(here) > _key_column(above[0][1]):
                number, text = above[0]
                key_col = _key_column(text)
                return (
                    f"`{before.strip()}` is indented more than `{_key_of(text)}` on line {number},"
                    f" which already has a value; indent it {_spaces(key_col)} to line it up,"
                    " or, if it continues the text above, put that text in quotes"
                )
        return "unexpected ':'; put quotes around text that contains ': '"
    if "maximum nesting depth" in problem:
        return TOO_DEEP
    if "could not find expected ':'" in problem:
        return "expected 'key: value'; check the indentation and quotes of this line"
    if "expected '-' indicator" in problem:
        return (
            _indent_hint(lines, line, dash=dash)
            or "bad indentation; align this line with its siblings"
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return (
            _indent_hint(lines, line, dash=None)
            or "bad indentation; align this line with its siblings"
        )
    if "found undefined alias" in problem:
        return "unknown alias (*name); define the anchor (&name) first"
    if "while scanning a quoted scalar" in problem or "found unexpected end of stream" in problem:
        return "unclosed quote; add the closing quote"
    return problem
