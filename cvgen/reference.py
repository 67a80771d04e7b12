"""The documentation's reference pages, written from the code (pure): every `cvgen.yaml` key
from its JSON Schema (`cvgen.schemas.config`, made from the settings model) and every
command's `--help` as `cvgen` prints it. docs/hooks/reference.py adds them to the docs
site at build time, so the reference cannot drift from the cvgen that built it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

HELP_WIDTH = 96


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return "as `" + str(prop["$ref"]).rsplit("/", 1)[-1] + ":`"
    if "anyOf" in prop:
        return " or ".join(_type_of(p) for p in prop["anyOf"])
    kinds = prop.get("type", "any")
    shown = " or ".join(kinds) if isinstance(kinds, list) else str(kinds)
    if shown == "array" and "items" in prop:
        shown = f"list of {_type_of(prop['items'])}"
    if shown == "object" and isinstance(prop.get("additionalProperties"), dict):
        shown = f"mapping to {_type_of(prop['additionalProperties'])}"
    if "examples" in prop:
        shown += ": " + ", ".join(f"`{v}`" for v in prop["examples"])
    return shown


def _rows(prefix: str, schema: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    for key, prop in schema.get("properties", {}).items():
        path = f"{prefix}{key}"
        default = f"`{json.dumps(prop['default'])}`" if "default" in prop else ""
        if prop.get("type") == "object" and "properties" in prop:
            yield path, "mapping", ""
            yield from _rows(f"{path}.", prop)
        elif prop.get("type") == "array" and "properties" in prop.get("items", {}):
            yield path, "list of mappings, each:", default
            yield from _rows(f"{path}[].", prop["items"])
        else:
            yield path, _type_of(prop), default


def config_reference(schema: dict[str, Any]) -> str:
    """Markdown: one row per cvgen.yaml key (type, default), from its JSON Schema."""
    lines = [
        "# cvgen.yaml",
        "",
        "Every key `cvgen.yaml` accepts, with its type and default, generated from the settings",
        "model that validates the file (`cvgen schema config` prints the same as a JSON Schema).",
        'Any other key is an error with a "did you mean". What the settings do:',
        "[Settings](../settings.md).",
        "",
        "| key | type | default |",
        "| --- | --- | --- |",
    ]
    for path, kind, default in _rows("", schema):
        lines.append(f"| `{path}` | {kind.replace('|', '&#124;')} | {default} |")
    return "\n".join(lines) + "\n"


def _commands(
    command: click.Command, name: str, parent: click.Context | None
) -> Iterator[tuple[str, str]]:
    ctx = click.Context(
        command,
        info_name=name,
        parent=parent,
        max_content_width=HELP_WIDTH,
        terminal_width=HELP_WIDTH,
    )
    yield ctx.command_path, command.get_help(ctx)
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):
            found = command.get_command(ctx, sub)
            if found is not None and not found.hidden:
                yield from _commands(found, sub, ctx)


def cli_reference(cli: click.Command) -> str:
    """Markdown: every command's `--help`, as `cvgen` prints it."""
    lines = [
        "# Commands",
        "",
        "Every command's `--help`, generated from the command line itself.",
        "",
    ]
    for path, text in _commands(cli, "cvgen", None):
        lines += [f"## {path}", "", "```text", text.rstrip("\n"), "```", ""]
    return "\n".join(lines)
