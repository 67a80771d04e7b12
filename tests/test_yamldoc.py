"""The position-keeping YAML loader: positions, strictness, and plain-language errors."""

from __future__ import annotations

import pytest

from cvgen.errors import ContentError
from cvgen.yamldoc import decode_text, format_path, parse_yaml


def messages(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_yaml(text, "content/cv.yaml")
    return [str(issue) for issue in info.value.issues]


def test_positions_are_one_based_for_keys_and_values() -> None:
    doc = parse_yaml("basics:\n  name: Ada\nwork:\n  - name: X\n    startDate: 2020-01\n", "f")
    assert doc.positions.key(("basics", "name")) == (2, 3)
    assert doc.positions.of(("basics", "name")) == (2, 9)
    assert doc.positions.of(("work", 0, "startDate")) == (5, 16)
    # a missing path falls back to its nearest parent
    assert doc.positions.of(("work", 0, "endDate")) == (4, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d: 2020-01-15\n", "2020-01-15"),  # dates stay text
        ("d: no\n", "no"),  # YAML 1.1 booleans stay text (the Norway problem)
        ("d: yes\n", "yes"),
        ("d: true\n", True),
        ("d: 2020\n", 2020),
    ],
)
def test_scalars_follow_yaml_1_2(text: str, expected: object) -> None:
    assert parse_yaml(text, "f").data == {"d": expected}


def test_duplicate_keys_are_all_reported() -> None:
    assert messages("a: 1\nb: 2\na: 3\nb: 4\n") == [
        "content/cv.yaml:3:1: a: duplicate key `a` (first defined on line 1); remove one of them",
        "content/cv.yaml:4:1: b: duplicate key `b` (first defined on line 2); remove one of them",
    ]


def test_duplicate_nested_key_names_its_path() -> None:
    assert messages("work:\n  - name: A\n    name: B\n") == [
        "content/cv.yaml:3:5: work[0].name: duplicate key `name` (first defined on line 2);"
        " remove one of them"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a:\n\t- b\n",
            "content/cv.yaml:2:1: tab character here; YAML indentation must use spaces",
        ),
        ('a: "x\nb: 2\n', "content/cv.yaml:1:4: unclosed quote; add the closing quote"),
        (
            "a: b: c\n",
            "content/cv.yaml:1:5: unexpected ':'; put quotes around text that contains ': '",
        ),
        (
            "a: *nope\n",
            "content/cv.yaml:1:4: unknown alias (*name); define the anchor (&name) first",
        ),
    ],
)
def test_syntax_errors_get_plain_advice(text: str, expected: str) -> None:
    assert messages(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: 0701234567\n", "0701234567"),  # an octal number in YAML 1.1
        ("v: 02134\n", "02134"),  # a postal code keeps its zero
        ("v: 3.80\n", "3.80"),
        ("v: 1:20\n", "1:20"),  # sexagesimal in YAML 1.1
        ("v: 1_000\n", "1_000"),
        ("v: 15\n", 15),
        ("v: -3\n", -3),
        ("v: 2.5\n", 2.5),
    ],
)
def test_numbers_that_would_read_differently_stay_text(text: str, expected: object) -> None:
    assert parse_yaml(text, "f").data == {"v": expected}


def test_keep_going_collects_duplicates_and_keeps_the_first() -> None:
    doc = parse_yaml("a: 1\nb: 2\na: 3\n", "content/cv.yaml", keep_going=True)
    assert doc.data == {"a": 1, "b": 2}
    assert [str(i) for i in doc.issues] == [
        "content/cv.yaml:3:1: a: duplicate key `a` (first defined on line 1); remove one of them"
    ]


def test_empty_document_is_none() -> None:
    assert parse_yaml("# only a comment\n", "f").data is None


def test_bad_utf8_names_line_and_column() -> None:
    with pytest.raises(ContentError) as info:
        decode_text(b"a: 1\nb: caf\xe9\n", "content/cv.yaml")
    assert [str(i) for i in info.value.issues] == [
        "content/cv.yaml:2:7: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    ]


def test_bom_is_accepted() -> None:
    assert decode_text("\ufeffa: 1\n".encode(), "f") == "a: 1\n"


def test_format_path() -> None:
    assert format_path(("work", 2, "startDate")) == "work[2].startDate"
    assert format_path(()) == ""
