"""What an import produces: the CV as JSON Resume data, the settings it implies, a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cvgen.errors import Issue


@dataclass
class Imported:
    """The result of converting one source (pure data; `write` puts it into a site).

    `resume` uses JSON Resume v1 names; custom top-level keys hold what has no standard
    section. `theme`, `language`, `order` and `titles` are settings for cvgen.yaml (`""` /
    empty when the source implies none). `translated` says what was renamed or mapped
    ("design.theme sb2nov -> theme default"), `kept` what stayed as written without a
    place of its own, `ignored` the source's settings cvgen has no use for (named once),
    `warnings` what could not be read (located in the source).
    """

    kind: str
    resume: dict[str, Any]
    theme: str = ""
    language: str = ""
    order: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    translated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    # files the CV refers to (a photo), source path -> path under content/
    assets: dict[str, str] = field(default_factory=dict)
