"""JSON Schemas of what a site's content/ holds, for editors (completion, validation while
typing): the CV (`content/cv.yaml` or `resume.json`), a Markdown entry's front matter
(`content/work/acme.md`) and a translation (`content/cv.de.yaml`).

The CV's is the official JSON Resume schema (vendored unchanged beside this file) extended
with what cvgen adds: `tags` (the variants' selection) and `id` (how a translation finds
its entry) on every entry, custom top-level sections (`talks:`) described by the field
names `cvgen.content.custom` reads, and a year written as a number (`startDate: 2020`,
which YAML reads as one). Pure but for reading the vendored file.
"""

from __future__ import annotations

import copy
import json
from importlib.resources import files as package_files
from typing import Any

from cvgen.content.custom import (
    HIGHLIGHT_FIELDS,
    SUBTITLE_FIELDS,
    SUMMARY_FIELDS,
    TAG_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
)
from cvgen.content.entries import BODY_FIELDS, ORDER_KEY
from cvgen.content.overlay import ID_KEY
from cvgen.content.variants import TAGS_KEY

_TEXTS = {"type": "array", "items": {"type": "string"}}
_TAGS = {
    "description": "cvgen: the variants this entry belongs to (`variants[].include`/`exclude`)",
    "anyOf": [{"type": "string"}, _TEXTS],
}
_ID = {
    "type": "string",
    "description": "cvgen: names the entry, so a translation (cv.de.yaml) finds it by `id:`",
}
_DATE = {"$ref": "#/definitions/iso8601"}


def jsonresume_schema() -> dict[str, Any]:
    """The official JSON Resume schema (draft-07), as published."""
    text = (package_files("cvgen.schemas") / "jsonresume.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _custom_entry() -> dict[str, Any]:
    texts = dict.fromkeys((*TITLE_FIELDS, *SUBTITLE_FIELDS, *SUMMARY_FIELDS), {"type": "string"})
    return {
        "type": "object",
        "description": "An entry of a custom section (talks:, internships: ...)",
        "properties": {
            **texts,
            **dict.fromkeys(URL_FIELDS, {"type": "string", "format": "uri"}),
            **dict.fromkeys(HIGHLIGHT_FIELDS, _TEXTS),
            **dict.fromkeys(TAG_FIELDS, _TEXTS),
            "date": _DATE,
            "startDate": _DATE,
            "endDate": _DATE,
            TAGS_KEY: _TAGS,
            ID_KEY: _ID,
        },
        "additionalProperties": True,
    }


def cv_schema() -> dict[str, Any]:
    """content/cv.yaml or resume.json: JSON Resume, with cvgen's additions."""
    schema = copy.deepcopy(jsonresume_schema())
    schema["$id"] = "cvgen-cv.schema.json"
    schema["title"] = "A CV for cvgen: JSON Resume with tags, id and custom sections"
    for section in BODY_FIELDS:
        item = schema["properties"][section]["items"]
        item.setdefault("properties", {}).update({TAGS_KEY: _TAGS, ID_KEY: _ID})
    # YAML reads `startDate: 2020` as a number, and cvgen takes it as the year it is
    official_date = schema["definitions"]["iso8601"]
    schema["definitions"]["iso8601"] = {
        "anyOf": [official_date, {"type": "integer", "minimum": 1000, "maximum": 2999}],
        "description": official_date.get("description", "YYYY, YYYY-MM or YYYY-MM-DD"),
    }
    schema["definitions"]["customEntry"] = _custom_entry()
    # any other top-level key is kept (the official schema allows it); a list is a custom
    # section, described for completion, never refused
    schema["additionalProperties"] = {
        "anyOf": [{"type": "array", "items": {"$ref": "#/definitions/customEntry"}}, {}]
    }
    return schema


def translation_schema() -> dict[str, Any]:
    """content/cv.<lang>.yaml: the CV's shape, holding only the translated text."""
    schema = cv_schema()
    schema["$id"] = "cvgen-translation.schema.json"
    schema["title"] = (
        "A translation for cvgen (cv.<language>.yaml): the translated text in the CV's shape;"
        " entries match by `id:`, else by position"
    )
    return schema


def entry_schema() -> dict[str, Any]:
    """A Markdown entry's front matter: any section's entry fields, plus `order`."""
    base = cv_schema()
    properties: dict[str, Any] = {}
    for section in BODY_FIELDS:
        properties.update(base["properties"][section]["items"].get("properties", {}))
    properties[ORDER_KEY] = {
        "type": "integer",
        "description": "cvgen: lower comes first; entries without it follow, newest first",
    }
    return {
        "$schema": base["$schema"],
        "$id": "cvgen-entry.schema.json",
        "title": "The front matter of a cvgen entry file (content/<section>/<name>.md)",
        "type": "object",
        "definitions": base["definitions"],
        "properties": properties,
        "additionalProperties": True,
    }
