"""JSON problems a user can type get a position and plain advice, never a traceback."""

from __future__ import annotations

import pytest

from cvgen.content.jsondoc import read_json
from cvgen.errors import ContentError


def messages(text: str) -> list[str]:
    """Every problem found: a syntax error raised, or the value problems returned."""
    try:
        _, problems = read_json(text, "content/resume.json")
    except ContentError as exc:
        problems = exc.issues
    return [str(issue) for issue in problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"work": [1, 2,\n]}',
            "content/resume.json:1:15: trailing comma: JSON allows no ',' after the last item"
            " before `]`; remove it",
        ),
        (
            '{\n  "a": 1 ,  \n\n}',
            "content/resume.json:2:10: trailing comma: JSON allows no ',' after the last item"
            " before `}`; remove it",
        ),
        ('{"a": 1 // note\n}', "content/resume.json:1:9: JSON has no comments; remove this one"),
        (
            '{"a": "x\x01"}',
            "content/resume.json:1:9: invisible control character U+0001 inside text (often"
            " pasted from a PDF or a terminal); delete it",
        ),
        (
            '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "content/resume.json:1:38: nested more than 32 levels deep; a CV needs only a few:"
            " check for unclosed or extra brackets",
        ),
        (
            # deep enough for the walker's recursion, not for json's own
            '{"a": ' + "[" * 900 + "]" * 900 + "}",
            "content/resume.json:1:38: nested more than 32 levels deep; a CV needs only a few:"
            " check for unclosed or extra brackets",
        ),
        (
            '{"a": "[]{}", "b": ' + "[" * 40 + "]" * 40 + "}",
            "content/resume.json:1:51: nested more than 32 levels deep; a CV needs only a few:"
            " check for unclosed or extra brackets",
        ),
        (
            '{"phone": ' + "1" * 5000 + "}",
            "content/resume.json:1:11: phone: a number 5,000 characters long; if it is text,"
            " put it in quotes",
        ),
        (
            '{"n": 1e999}',
            "content/resume.json:1:7: n: 1e999 is too large for a number; if it is text, put it"
            " in quotes",
        ),
    ],
)
def test_json_mistakes_get_located_advice(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_a_comma_between_items_is_not_called_trailing() -> None:
    assert messages('{"a": 1 "b": 2}') == [
        "content/resume.json:1:9: invalid JSON: expecting ',' delimiter"
    ]


def test_value_problems_come_back_with_the_text_kept() -> None:
    doc, problems = read_json('{"a": ' + "9" * 200 + ', "b": "' + "x" * 10_001 + '"}', "f")
    assert doc.data == {"a": "9" * 200, "b": "x" * 10_001}
    assert [issue.field for issue in problems] == ["a", "b"]
