"""The JSON Schema of `cvgen.yaml`, generated from the settings model that validates it.

Keys and their accepted types come from the validator's own tables (`cvgen.settings.config`'s
section schemas, the variant keys); defaults from the frozen dataclasses the file becomes.
A key added there appears here, in `cvgen schema config`, in editors (yaml-language-server)
and in the documentation's reference, with nothing else to update.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cvgen.settings import config as model
from cvgen.settings.config import _SCHEMA as SECTION_KEYS
from cvgen.settings.config import _TOP as TOP_LEVEL_KEYS
from cvgen.settings.variants import _KEYS as VARIANT_KEYS

SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"
_JSON_TYPES: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    list: "array",
    dict: "object",
    type(None): "null",
}
# What the validator's tables call a list or a mapping holds, where the model knows it.
_TEXTS = {"type": "array", "items": {"type": "string"}}
_TEXT_PER_LANGUAGE = {
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": {"type": "string"}},
    ]
}
_ITEMS: dict[tuple[str, str], dict[str, Any]] = {
    ("sections", "order"): _TEXTS,
    ("sections", "hide"): _TEXTS,
    ("sections", "titles"): {"type": "object", "additionalProperties": _TEXT_PER_LANGUAGE},
    ("publish", "cache"): {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                field.name: {"type": "string"} for field in dataclasses.fields(model.CacheRule)
            },
            "required": [field.name for field in dataclasses.fields(model.CacheRule)],
            "additionalProperties": False,
        },
    },
}
# Values offered for completion; the validator reads them in any case (`Letter`).
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("pdf", "paper"): model.PAPERS,
}


def _any_case(words: tuple[str, ...]) -> str:
    letters = ("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in w) for w in words)
    return "^(?:" + "|".join(letters) + ")$"


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_default(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_default(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json_default(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _defaults(section: str) -> Any:
    """The dataclass `Config.<section>` becomes (its defaults), if the model has one."""
    for field in dataclasses.fields(model.Config):
        if field.name == section and field.default_factory is not dataclasses.MISSING:
            return field.default_factory()
    return None


def _property(section: str, key: str, types: tuple[type, ...], defaults: Any) -> dict[str, Any]:
    names = [_JSON_TYPES[t] for t in types]
    prop: dict[str, Any] = dict(_ITEMS.get((section, key), {}))
    if "type" in prop and len(names) > 1:  # a described list that may also be null
        prop = {"anyOf": [prop, *({"type": n} for n in names if n != prop["type"])]}
    elif "type" not in prop:
        prop["type"] = names[0] if len(names) == 1 else names
    if (section, key) in _CHOICES:
        prop["examples"] = list(_CHOICES[(section, key)])
        prop["pattern"] = _any_case(_CHOICES[(section, key)])
    if defaults is not None and hasattr(defaults, key):
        prop["default"] = _json_default(getattr(defaults, key))
    return prop


def _section(name: str, keys: Mapping[str, tuple[type, ...]]) -> dict[str, Any]:
    defaults = _defaults(name)
    return {
        "type": "object",
        "properties": {key: _property(name, key, types, defaults) for key, types in keys.items()},
        "additionalProperties": False,
    }


def _variant() -> dict[str, Any]:
    texts = {"label", "summary"}
    known: dict[str, dict[str, Any]] = {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"},
        "include": _TEXTS,
        "exclude": _TEXTS,
        "sitemap": {"type": "boolean", "default": False},
        "sections": {"$ref": "#/properties/sections"},
        **{key: _TEXT_PER_LANGUAGE for key in texts},
    }
    return {
        "type": "object",
        "properties": {key: known.get(key, {}) for key in VARIANT_KEYS},
        "required": ["name"],
        "additionalProperties": False,
    }


def config_schema() -> dict[str, Any]:
    """The JSON Schema of cvgen.yaml (draft-07, which yaml-language-server reads)."""
    properties: dict[str, Any] = {}
    for key, types in TOP_LEVEL_KEYS.items():
        if key in SECTION_KEYS:
            properties[key] = _section(key, SECTION_KEYS[key])
        elif key == "variants":
            properties[key] = {"type": "array", "items": _variant()}
        elif key == "languages":
            properties[key] = {"anyOf": [_TEXTS, {"type": "string"}]}
        elif key == "outputs":
            kinds = tuple(model.OUTPUTS)
            properties[key] = {
                "type": "array",
                "items": {"type": "string", "pattern": _any_case(kinds)},
                "uniqueItems": True,
                "default": list(kinds),
            }
        else:
            properties[key] = _property("", key, types, model.Config(root=Path()))
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": "cvgen.yaml",
        "title": "cvgen.yaml",
        "description": "The settings of a cvgen site (https://pypi.org/project/cvgen-site/).",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
