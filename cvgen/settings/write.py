"""Writing settings back into a user's cvgen.yaml without ever damaging it.

`cvgen infra deploy` records stack outputs (`publish.bucket`, `counter.api`, ...) so later
commands need no flags. The file is the user's: comments, order, indentation and quoting
stay as they are. Only edits whose place is known exactly from the parser's positions are
made: a one-line scalar replaced in place, a key added under a block section at that
section's own indentation, a missing section appended at the end. Anything else (a flow-style
`publish: {region: ...}`, a multi-line value, a top level that is not a block mapping) is left
alone and handed back as lines for the user to paste. The edited text is parsed and validated
before it atomically replaces the file, and every written value is checked to read back as
itself; if not, nothing is written.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cvgen.errors import ContentError, CvgenError
from cvgen.settings.config import CONFIG_FILE, parse_config
from cvgen.yamldoc import YamlDoc, decode_text, parse_yaml

Value = str | int | bool | None
Updates = Mapping[str, Mapping[str, Value]]


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)  # "section.key" now in the file
    to_paste: dict[str, dict[str, Value]] = field(default_factory=dict)  # what could not be

    def paste_lines(self) -> list[str]:
        """The settings that were not written, as YAML to paste into cvgen.yaml."""
        lines: list[str] = []
        for section, values in self.to_paste.items():
            lines.append(f"{section}:")
            lines.extend(f"  {key}: {render_value(value)}" for key, value in values.items())
        return lines


def render_value(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _indent_unit(doc: YamlDoc) -> int:
    """The indentation the file uses for a section's keys (2 when nothing tells)."""
    for path, (_, col) in sorted(doc.positions.keys.items(), key=lambda item: item[1]):
        if len(path) == 2:
            return col - 1
    return 2


def plan_edits(text: str, updates: Updates) -> tuple[str, WriteResult]:
    """The new text with every safe edit made, and what was (not) written."""
    result = WriteResult()
    doc = parse_yaml(text, CONFIG_FILE)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"  # the file's own
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    data = doc.data
    top_ok = data is None or (isinstance(data, dict) and doc.positions.styles.get(()) == "block")
    unit = _indent_unit(doc) if top_ok else 2
    # edits as (line index, column or None for an insertion before the line, end column, text),
    # applied bottom-up so earlier positions stay valid
    replacements: list[tuple[int, int, int, str]] = []
    insertions: list[tuple[int, str]] = []
    appended: list[str] = []
    for section, values in updates.items():
        if not values:
            continue
        if not top_ok:
            result.to_paste[section] = dict(values)
            continue
        current = data.get(section) if isinstance(data, dict) else None
        path = (section,)
        if isinstance(data, dict) and section in data:
            style = doc.positions.styles.get(path)
            if isinstance(current, dict) and style == "block":
                column = doc.positions.keys[(section, next(iter(current)))][1] - 1
                end_line = _last_line(doc, section, current)
                for key, value in values.items():
                    child = (section, key)
                    if key in current:
                        new = render_value(value)
                        # `bucket:` with nothing after it: the value goes after the colon
                        edit = _fill_empty(lines, doc, child, new) if current[key] is None else None
                        edit = edit or _replace_scalar(doc, lines, child, new)
                        if edit is None:
                            result.to_paste.setdefault(section, {})[key] = value
                        else:
                            replacements.append(edit)
                            result.written.append(f"{section}.{key}")
                    else:
                        insertions.append((end_line, _setting(column, key, value, newline)))
                        result.written.append(f"{section}.{key}")
                continue
            key_line, _ = doc.positions.keys[path]
            if current is None and _only_key_on_line(lines[key_line - 1], section):
                # `publish:` with nothing under it: the values go right below
                for key, value in values.items():
                    insertions.append((key_line, _setting(unit, key, value, newline)))
                    result.written.append(f"{section}.{key}")
                continue
            result.to_paste[section] = dict(values)  # flow style, null, a list: not ours to redo
            continue
        appended.append(f"{section}:{newline}")
        for key, value in values.items():
            appended.append(_setting(unit, key, value, newline))
            result.written.append(f"{section}.{key}")
    for index, start, end, new in sorted(replacements, reverse=True):
        line = lines[index]
        lines[index] = line[:start] + new + line[end:]
    # bottom-up; at one place, the last first, so the keys read in the order given
    for index, new in reversed(sorted(insertions, key=lambda item: item[0])):  # sort is stable
        lines.insert(index, new)
    if appended:
        if lines and lines[-1].strip():
            lines.append(newline)
        lines.extend(appended)
    return "".join(lines), result


def _setting(indent: int, key: str, value: Value, newline: str) -> str:
    return " " * indent + f"{key}: {render_value(value)}{newline}"


def _only_key_on_line(line: str, key: str) -> bool:
    content = line.split("#", 1)[0].strip()
    return content in (f"{key}:", f'"{key}":', f"'{key}':")


def _fill_empty(
    lines: list[str], doc: YamlDoc, path: tuple[str, str], new: str
) -> tuple[int, int, int, str] | None:
    """The value written after `key:` when nothing follows it on its line (but a comment)."""
    key_line, _ = doc.positions.keys[path]
    line = lines[key_line - 1]
    if not _only_key_on_line(line, str(path[1])):
        return None
    colon = line.split("#", 1)[0].rstrip().rindex(":") + 1
    return (key_line - 1, colon, colon, " " + new)


def _last_line(doc: YamlDoc, section: str, mapping: dict[str, object]) -> int:
    """The 0-based index of the line after the section's last value (where a key may go)."""
    last = 0
    for key in mapping:
        line, col = doc.positions.ends[(section, key)]
        # a value ending at column 1 ended with the line break before it
        last = max(last, line - 1 if col == 1 else line)
    return last


def _replace_scalar(
    doc: YamlDoc, lines: list[str], path: tuple[str, str], new: str
) -> tuple[int, int, int, str] | None:
    """The in-place replacement of a one-line scalar value, or None when that is unsafe."""
    style = doc.positions.styles.get(path)
    if style not in ("", "'", '"'):
        return None  # a mapping, a list, or a block scalar (| >)
    line, col = doc.positions.values[path]
    end_line, end_col = doc.positions.ends[path]
    key_line, _ = doc.positions.keys[path]
    if line != key_line or end_line != line:
        return None  # the value is on another line than its key, or spans lines
    return (line - 1, col - 1, end_col - 1, new)


def write_settings(root: Path, updates: Updates) -> WriteResult:
    """Write what can be written safely into `<root>/cvgen.yaml`; return what could not.

    The file is replaced atomically, and only when the new text parses, validates and reads
    every written value back as given; otherwise it is left untouched and every value is
    returned for pasting.
    """
    path = root / CONFIG_FILE
    original = path.read_bytes() if path.exists() else b""
    text = decode_text(original, CONFIG_FILE)
    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""  # kept as it was
    try:
        new_text, result = plan_edits(text, updates)
        doc = parse_yaml(new_text, CONFIG_FILE)
        parse_config(doc, root)
        for written in result.written:
            section, key = written.split(".", 1)
            wanted = updates[section][key]
            if doc.data[section][key] != wanted:
                raise CvgenError(f"{written} would read back as {doc.data[section][key]!r}")
    except (ContentError, CvgenError, KeyError, TypeError):
        return WriteResult([], {s: dict(v) for s, v in updates.items() if v})
    if result.written:
        replace_atomically(path, bom + new_text.encode("utf-8"))
    return result


def replace_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a sibling temp file, then rename it over `path` (keeping its mode)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).chmod(mode)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
