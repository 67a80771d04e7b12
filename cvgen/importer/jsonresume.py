"""JSON Resume (JSON or YAML) with its old v0 names written as v1 names. Pure.

The build reads v0 names too, with a warning each; import renames them once, so the
site's `cv.yaml` reads cleanly. A date the schema cannot read (`Sept 2020`) becomes one
when it can be read exactly; otherwise (`2016 ~ 2020`, `至今`) it moves, as written, to a
field of its own (`endDateText`) with a located warning, so the CV builds and keeps it.
Everything else stays as written, in its order.
"""

from __future__ import annotations

from typing import Any

from cvgen.content.dates import read_date
from cvgen.content.validate import RESUME, Kind, ListOf, Obj, Spec, v1_name
from cvgen.errors import Issue
from cvgen.importer.dates import read_free_date
from cvgen.importer.model import Imported
from cvgen.yamldoc import Path_, YamlDoc, format_path

_SECTION_KEYS = frozenset(RESUME.fields) | frozenset(RESUME.renamed)


def looks_like_json_resume(data: Any) -> bool:
    """A mapping with at least one JSON Resume section (`basics`, `work` ...)."""
    return isinstance(data, dict) and any(key in _SECTION_KEYS for key in data)


def import_json_resume(doc: YamlDoc) -> Imported:
    """`doc`'s resume with v0 names as v1 names and its dates readable; all listed."""
    result = Imported(kind="JSON Resume", resume={})
    renamed: dict[str, None] = {}  # "work[].company -> name", once each, in order
    result.resume = _renamed(doc, doc.data, RESUME, (), renamed, result)
    result.translated[:0] = list(renamed)
    return result


def _renamed(
    doc: YamlDoc, value: Any, spec: Spec, path: Path_, renamed: dict[str, None], result: Imported
) -> Any:
    if isinstance(spec, ListOf) and isinstance(value, list):
        return [
            _renamed(doc, item, spec.item, (*path, i), renamed, result)
            for i, item in enumerate(value)
        ]
    if not isinstance(spec, Obj) or not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = v1_name(key, value, spec)
        shape = format_path(tuple("[]" if isinstance(p, int) else p for p in path)).replace(
            ".[]", "[]"
        )
        if name != key:
            renamed[f"{shape}{'.' if shape else ''}{key} -> {name}"] = None
        child = spec.fields.get(name)
        if child is Kind.DATE and isinstance(item, str):
            _date(doc, (*path, key), name, item.strip(), out, result)
        elif child is not None:
            out[name] = _renamed(doc, item, child, (*path, key), renamed, result)
        else:
            out[name] = item
    return out


def _date(
    doc: YamlDoc, path: Path_, name: str, text: str, out: dict[str, Any], result: Imported
) -> None:
    """A date field: as written when the build reads it, read when exact, else kept aside."""
    if not text:  # an empty date says nothing (an empty endDate: ongoing, as leaving it out)
        return
    if not read_date(text, end=name == "endDate").error:
        out[name] = text
        return
    reading = read_free_date(text)
    if reading.value:
        out[name] = reading.value
        result.translated.append(f"{format_path(path)} {text!r} -> {reading.value}")
        return
    if reading.ongoing and name == "endDate":
        result.translated.append(f"{format_path(path)} {text!r} -> ongoing (no endDate)")
        return
    out[f"{name}Text"] = text
    line, col = doc.positions.of(path)
    result.warnings.append(
        Issue(
            doc.file,
            line,
            col,
            format_path(path),
            f"{text!r} is not a date cvgen can read; kept as written in `{name}Text` "
            "(resume.json); write it as YYYY-MM to show it",
        )
    )
