"""Property: a schema-valid CV with any extra fields and sections builds, and loses nothing.

Generated CVs of the JSON Resume shape get extra fields at every level and extra
top-level sections holding any JSON value. Each must validate without an error, render,
and every text the input holds must be on the page or in the exported resume.json.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvgen.content.jsondoc import read_json
from cvgen.content.model import CV
from cvgen.content.validate import RESUME, SECTIONS, ListOf, Obj, Spec, validate_resume
from cvgen.render.site import render_site
from cvgen.render.theme import load_theme
from cvgen.settings.config import Config, SiteConfig
from tests.content.test_properties import SCHEMA, shaped

EXAMPLE = Path(__file__).resolve().parents[2]
THEME = load_theme(Config(root=EXAMPLE))
CONFIG = Config(root=EXAMPLE, site=SiteConfig(url="https://cv.example.com/"))
_TAG = re.compile(r"<[^>]+>")

# Text that survives being a JSON key and Markdown alike is enough to find it again.
words = st.text(
    st.characters(
        codec="utf-8", categories=("L", "N", "Zs", "P"), exclude_characters="\\*_`[]<>&#!|~"
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() and s == s.strip())
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), words)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=8,
)


def field_names(spec: Spec) -> set[str]:
    """Every field name (and v0 alias) anywhere in `spec`: `basics.profiles[].network` too."""
    if isinstance(spec, ListOf):
        return field_names(spec.item)
    if not isinstance(spec, Obj):
        return set()
    return {*spec.fields, *spec.renamed}.union(*(field_names(c) for c in spec.fields.values()))


# A generated extra key must not be a known field: `network: null` is no extra, and the
# schema rejects it.
_TAKEN = field_names(RESUME).union(*(field_names(s) for s in SECTIONS.values())) | {
    "picture",
    "website",
}
extra_keys = words.filter(lambda k: k not in _TAKEN and not k.startswith("$"))


def with_extras(data: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    """`data` with extra fields added to its mappings (entries, basics, the top level)."""
    if isinstance(data, list):
        return [with_extras(item, draw, depth + 1) for item in data]
    if not isinstance(data, dict) or depth > 3:
        return data
    out = {key: with_extras(value, draw, depth + 1) for key, value in data.items()}
    for key, value in draw(st.dictionaries(extra_keys, values, max_size=2)).items():
        out.setdefault(key, value)
    return out


DATES = {"startDate", "endDate", "date", "releaseDate"}


def dates_as_text(data: Any) -> Any:
    """YAML's `startDate: 2020` is a number; JSON Resume wants the text "2020"."""
    if isinstance(data, list):
        return [dates_as_text(item) for item in data]
    if isinstance(data, dict):
        return {
            k: str(v) if k in DATES and isinstance(v, int) else dates_as_text(v)
            for k, v in data.items()
        }
    return data


@st.composite
def resumes(draw: st.DrawFn) -> dict[str, Any]:
    return with_extras(dates_as_text(draw(shaped(RESUME, valid=True))), draw)


def holds(value: Any) -> bool:
    """Whether a JSON value holds anything: a number, true/false or some text."""
    if isinstance(value, dict | list):
        return any(holds(item) for item in (value.values() if isinstance(value, dict) else value))
    return value is not None and str(value).strip() != ""


def strings(value: Any) -> list[str]:
    """Every text in a JSON value: its string leaves, and the keys of what holds any."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [
            s for key, item in value.items() for s in ([key] if holds(item) else []) + strings(item)
        ]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resumes())
def test_extra_fields_and_sections_build_and_nothing_is_lost(data: dict[str, Any]) -> None:
    # the input is what the official schema accepts
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    doc, _ = read_json(json.dumps(data), "content/resume.json")
    validated = validate_resume(doc)
    assert validated.errors == []
    cv = CV(
        resume=validated.resume,
        sections=(),
        source="content/resume.json",
        custom=tuple(validated.custom),
        warnings=tuple(validated.warnings),
    )
    pages = render_site(cv, THEME, CONFIG)
    exported = json.loads(pages["resume.json"])
    jsonschema.Draft7Validator(SCHEMA).validate(exported)
    page = html.unescape(_TAG.sub(" ", pages["index.html"].decode("utf-8")))
    kept = {s.strip() for s in strings(exported)}
    texts = [s.strip() for s in strings(data) if s.strip()]
    lost = [s for s in texts if s not in kept and s not in page]
    assert lost == []
