"""Properties over generated input: validation never crashes, and whatever it accepts
exports as JSON Resume that the official schema accepts too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from cvgen.content.export import resume_json
from cvgen.content.jsondoc import read_json
from cvgen.content.model import CV
from cvgen.content.validate import RESUME, Kind, ListOf, Spec, validate_resume
from cvgen.yamldoc import YamlDoc

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "cvgen" / "schemas" / "jsonresume.schema.json").read_text(
        encoding="utf-8"
    )
)
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
# As the official tools validate (no format checks): a malformed `email` is a warning and
# kept as written (issue 11: nothing is lost), so only valid input can pass `format` too.
SCHEMA_VALIDATOR = jsonschema.Draft7Validator(SCHEMA)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
VALID = {
    Kind.TEXT: st.text(max_size=20),
    Kind.MARKDOWN: st.sampled_from(["**bold**", "[x](https://example.com)", "<b>", "a `b`", ""]),
    Kind.URL: st.sampled_from(["https://example.com/", "http://a.example.org/x?y=1#z"]),
    Kind.IMAGE: st.sampled_from(["img/a.png", "https://example.com/a.jpg", ""]),
    Kind.EMAIL: st.sampled_from(["a@example.com", "first.last+cv@mail.example.org"]),
    Kind.DATE: st.sampled_from([1999, "2020", "2020-02", "2020-02-29", "2019-12-31"]),
    Kind.COUNTRY: st.sampled_from(["SE", "US"]),
}
INVALID = {
    Kind.URL: st.sampled_from(["example.com", "ftp://x", "javascript:alert(1)"]),
    Kind.EMAIL: st.sampled_from(["nope", "a@b"]),
    Kind.DATE: st.sampled_from(["Jan 2020", "2021-02-29", "2020-13", 20201, "Present", ""]),
    Kind.COUNTRY: st.sampled_from(["se", "Sweden", "USA", "Narnia"]),
}


def shaped(spec: Spec, *, valid: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of `spec`'s shape; with `valid=False` some are wrong or anything at all."""
    if isinstance(spec, Kind):
        good = VALID[spec]
        if not valid and spec in INVALID:
            good = good | INVALID[spec]
    elif isinstance(spec, ListOf):
        good = st.lists(shaped(spec.item, valid=valid, depth=depth + 1), max_size=2)
    else:
        children = {key: shaped(c, valid=valid, depth=depth + 1) for key, c in spec.fields.items()}
        required = {key: children.pop(key) for key in spec.expected}
        if "name" in required:
            required["name"] = st.text(min_size=1, max_size=10).filter(str.strip)
        good = st.fixed_dictionaries(required, optional=children)
        if valid and "endDate" in spec.fields:
            good = good.map(_ordered_period)
    if valid or not depth:
        return good
    return st.one_of(good, good, good, anything)


def _ordered_period(entry: dict[str, Any]) -> dict[str, Any]:
    start, end = entry.get("startDate"), entry.get("endDate")
    if start is not None and end is not None and str(end) < str(start)[: len(str(end))]:
        entry["startDate"], entry["endDate"] = end, start
    return entry


def _positions_free(data: Any) -> YamlDoc:
    doc, _ = read_json(json.dumps(data), "content/resume.json")
    assert doc.data == data
    return doc


@settings(max_examples=50, deadline=None)
@given(shaped(RESUME, valid=True))
def test_valid_input_has_no_issues_and_exports_valid_json_resume(data: Any) -> None:
    validated = validate_resume(_positions_free(data))
    resume = validated.resume
    assert [str(issue) for issue in validated.errors + validated.warnings] == []
    exported = json.loads(resume_json(CV(resume=resume, sections=(), source="x")))
    assert [e.message for e in VALIDATOR.iter_errors(exported)] == []


@settings(max_examples=60, deadline=None)
@given(shaped(RESUME, valid=False))
def test_validation_never_crashes_and_accepted_input_exports_valid_json_resume(data: Any) -> None:
    validated = validate_resume(_positions_free(data))
    resume, issues = validated.resume, validated.errors
    assert set(resume) >= {"basics", "work", "skills"}
    assert "profiles" in resume["basics"]
    for issue in issues + validated.warnings:
        assert issue.file == "content/resume.json" and issue.line >= 1
    if not issues:
        exported = json.loads(resume_json(CV(resume=resume, sections=(), source="x")))
        errors = [e.message for e in SCHEMA_VALIDATOR.iter_errors(exported)]
        assert errors == []


@settings(max_examples=50, deadline=None)
@given(anything)
def test_any_json_value_gives_issues_or_a_resume(data: Any) -> None:
    validated = validate_resume(_positions_free(data))
    named = validated.resume["basics"].get("name")
    unnamed = [w for w in validated.warnings if w.field in ("basics", "basics.name")]
    assert validated.errors or named or unnamed  # no name: said so (the page falls back)


@settings(max_examples=50, deadline=None)
@given(anything, st.integers(0, 2))
def test_json_positions_point_at_each_value(data: Any, indent: int) -> None:
    text = json.dumps({"root": data}, indent=indent or None)
    doc, _ = read_json(text, "f.json")
    assert doc.data == {"root": data}
    lines = text.split("\n")
    for path, (line, col) in doc.positions.values.items():
        if path:
            char = lines[line - 1][col - 1]
            assert char in '{["-0123456789tfn', (path, char)
    for path, (line, col) in doc.positions.keys.items():
        assert lines[line - 1][col - 1] == '"'
        assert lines[line - 1][col:].startswith(json.dumps(path[-1])[1:])
