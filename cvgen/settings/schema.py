"""The shape checks every `cvgen.yaml` section shares: known keys (with a "did you mean")
and value types, each problem an `Issue` at its position. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cvgen.errors import Issue
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import Path_, YamlDoc

# Schema: key -> accepted types. `type(None)` in a tuple means the key may be null.
Schema = Mapping[str, tuple[type, ...]]

_TYPE_NAMES = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    list: "a list",
    dict: "a mapping",
}


def type_message(value: Any, types: tuple[type, ...]) -> str:
    wanted = " or ".join(_TYPE_NAMES[t] for t in types if t is not type(None))
    return f"expected {wanted}, got {value!r}"


def check_keys(doc: YamlDoc, path: Path_, data: Mapping[str, Any], schema: Schema) -> list[Issue]:
    issues = []
    for key, value in data.items():
        child = (*path, key)
        if key not in schema:
            issues.append(
                doc.issue(child, f"unknown setting{did_you_mean(key, schema)}", at_key=True)
            )
            continue
        types = schema[key]
        # bool is an int subclass; never accept true/false where a number is meant
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            issues.append(doc.issue(child, type_message(value, types)))
    return issues
