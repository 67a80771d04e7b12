"""JSON Resume (JSON or YAML) with its old v0 names written as v1 names. Pure.

The build reads v0 names too, with a warning each; import renames them once, so the
site's `cv.yaml` reads cleanly. Everything else stays as written, in its order.
"""

from __future__ import annotations

from typing import Any

from cvgen.content.validate import RESUME, ListOf, Obj, Spec, v1_name
from cvgen.importer.model import Imported

_SECTION_KEYS = frozenset(RESUME.fields) | frozenset(RESUME.renamed)


def looks_like_json_resume(data: Any) -> bool:
    """A mapping with at least one JSON Resume section (`basics`, `work` ...)."""
    return isinstance(data, dict) and any(key in _SECTION_KEYS for key in data)


def import_json_resume(data: dict[str, Any]) -> Imported:
    """`data` with v0 names as v1 names; the renames are listed as translated."""
    renamed: dict[str, None] = {}  # "work[].company -> name", once each, in order
    resume = _renamed(data, RESUME, "", renamed)
    return Imported(kind="JSON Resume", resume=resume, translated=list(renamed))


def _renamed(value: Any, spec: Spec, path: str, renamed: dict[str, None]) -> Any:
    if isinstance(spec, ListOf) and isinstance(value, list):
        return [_renamed(item, spec.item, f"{path}[]", renamed) for item in value]
    if not isinstance(spec, Obj) or not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = v1_name(key, value, spec)
        if name != key:
            renamed[f"{path}{'.' if path else ''}{key} -> {name}"] = None
        child = spec.fields.get(name)
        out[name] = (
            _renamed(item, child, f"{path}{'.' if path else ''}{name}", renamed) if child else item
        )
    return out
