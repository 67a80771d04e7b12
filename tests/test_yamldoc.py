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
            "content/cv.yaml:1:4: unknown alias `*nope`; define the anchor (`&nope`) first",
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


# --- inputs that used to crash or hang (issue 18) ---


def bomb(levels: int) -> str:
    """`levels` anchors, each a list of nine aliases of the one before: 9**levels values."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_while_composing_not_expanded() -> None:
    # 9**40 values: expanding even a tiny part of it would never finish, so getting an
    # answer at all shows nothing was expanded; the message points at the alias.
    assert messages(bomb(40)) == [
        "content/cv.yaml:5:35: alias `*l3` (which repeats 7,381 values) takes this file past"
        " 50,000 values, far more than a CV needs; write the values out instead of nesting"
        " aliases"
    ]


def test_aliases_within_the_budget_still_work() -> None:
    doc = parse_yaml(bomb(3), "f")
    assert len(doc.data["l2"]) == 9 and doc.data["l2"][0] == [["x"] * 9] * 9


def test_alias_nesting_deeper_than_the_limit_is_refused_where_it_is_used() -> None:
    # each level is shallow as written, but every alias nests the one before
    text = "a0: &a0 x\n" + "".join(f"a{n}: &a{n} [*a{n - 1}]\n" for n in range(1, 40))
    assert messages(text) == [
        "content/cv.yaml:33:12: nested more than 32 levels deep; a CV needs only a few:"
        " check for unclosed or extra brackets"
    ]


def test_an_alias_value_is_located_where_it_is_used() -> None:
    doc = parse_yaml("a: &x hello\nb: *x\n", "f")
    assert doc.data == {"a": "hello", "b": "hello"}
    assert doc.positions.of(("b",)) == (2, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # keys written in the mapping win over merged ones; the first merged mapping wins
        ("d: &d {a: 1, b: 2}\ne: {<<: *d, b: 3}\n", {"a": 1, "b": 3}),
        ("d: &d {a: 1}\nf: &f {a: 2, c: 4}\ne: {<<: [*d, *f]}\n", {"a": 1, "c": 4}),
    ],
)
def test_merge_keys(text: str, expected: dict[str, int]) -> None:
    assert parse_yaml(text, "f").data["e"] == expected


def test_standard_tags_that_fit_still_work() -> None:
    text = "a: !!str 12\nb: !!int 12\nc: !!bool true\nd: !!null ''\ne: !!timestamp 2020-01-15\n"
    assert parse_yaml(text, "f").data == {
        "a": "12",
        "b": 12,
        "c": True,
        "d": None,
        "e": "2020-01-15",
    }


def test_keep_going_keeps_a_bad_tagged_value_as_its_text() -> None:
    doc = parse_yaml("a: !!int abc\nb: 2\n", "content/cv.yaml", keep_going=True)
    assert doc.data == {"a": "abc", "b": 2}
    assert [str(i) for i in doc.issues] == [
        "content/cv.yaml:1:4: a: `!!int` needs a whole number, got 'abc'; remove the tag or"
        " fix the value"
    ]


def test_control_characters_are_reported_all_at_once_up_to_ten() -> None:
    found = messages("a: x\x01\n" * 15)
    assert len(found) == 10
    assert found[0] == (
        "content/cv.yaml:1:5: invisible control character U+0001 here (often pasted from a PDF"
        " or a terminal); delete it"
    )


def test_a_second_document_is_refused() -> None:
    assert messages("a: 1\n---\nb: 2\n") == [
        "content/cv.yaml:2:1: a second YAML document starts here; a file holds one: remove"
        " this `---` line (or everything after it)"
    ]


def test_anchor_defined_twice_is_refused() -> None:
    assert messages("a: &x 1\nb: &x 2\n") == [
        "content/cv.yaml:2:4: anchor `&x` is defined twice (first on line 1); rename one of them"
    ]


def test_files_over_the_size_limit_are_refused_before_reading() -> None:
    with pytest.raises(ContentError) as info:
        decode_text(b"a: b\n" * 300_000, "content/cv.yaml")
    assert [str(i) for i in info.value.issues] == [
        "content/cv.yaml: 1,500,000 bytes, over the 1,000,000-byte limit for one file; a CV"
        " needs far less: check that this is the file you meant"
    ]


def test_an_indented_continuation_that_holds_a_colon_still_gets_the_quotes_advice() -> None:
    assert messages("a: b: c\n") == [
        "content/cv.yaml:1:5: unexpected ':'; put quotes around text that contains ': '"
    ]


def test_a_single_duplicate_in_an_entry_is_still_a_duplicate() -> None:
    assert messages("work:\n  - name: A\n    name: B\n") == [
        "content/cv.yaml:3:5: work[0].name: duplicate key `name` (first defined on line 2);"
        " remove one of them"
    ]
