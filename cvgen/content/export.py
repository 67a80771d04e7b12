"""The CV as a JSON Resume document (`resume.json` in the built site).

Deterministic: keys in JSON Resume's own order (as validation normalised them), UTF-8
without escapes, two-space indent, one trailing newline. Empty sections and fields are left out, and
`$schema` names the JSON Resume schema when the source did not.
"""

from __future__ import annotations

import json
from typing import Any

from cvgen.content.model import CV

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def resume_document(cv: CV, image: str | None = None) -> dict[str, Any]:
    """The JSON Resume data to publish: the validated resume without empty values.

    `image`: where the published site serves the photo that `basics.image` names (its
    fingerprinted copy); the source's own file name would be a broken link for every reader
    of the published file."""
    out: dict[str, Any] = {"$schema": cv.resume.get("$schema", SCHEMA_URL)}
    for key, value in cv.resume.items():
        if key != "$schema" and not _empty(value):
            out[key] = _pruned(value)
    basics = out.get("basics")
    if image and isinstance(basics, dict) and basics.get("image"):
        out["basics"] = {**basics, "image": image}
    return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [_pruned(v) for v in value if not _empty(v)]
    return value


def resume_json(cv: CV, image: str | None = None) -> bytes:
    """`resume_document(cv, image)` as UTF-8 JSON bytes with a trailing newline."""
    text = json.dumps(resume_document(cv, image), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
