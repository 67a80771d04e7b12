"""The one "did you mean" rule, for every message that suggests a name."""

from __future__ import annotations

import pytest

from cvgen.suggestions import closest, did_you_mean, edit_distance


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("", "", 0),
        ("abc", "abc", 0),
        ("ab", "ba", 1),
        ("strat", "start", 1),
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("strat_date", ["startDate", "endDate"], "startDate"),  # case and `_` do not count
        ("buckt", ["bucket", "region"], "bucket"),
        ("langauge", ["language", "title"], "language"),  # two letters swapped
        ("internships", ["interests"], None),  # a different word, not a typo
        ("xyz", ["bucket"], None),
        ("website", {"website": "url", "url": "url"}, "url"),  # an old name -> the new one
        ("backend", ["backend-eng", "backend"], "backend"),  # the exact one wins
    ],
)
def test_closest(name: str, candidates: list[str] | dict[str, str], expected: str | None) -> None:
    assert closest(name, candidates) == expected


def test_did_you_mean_suggests_a_near_miss_else_lists_the_options() -> None:
    assert did_you_mean("buckt", ["region", "bucket"]) == "; did you mean `bucket`?"
    assert did_you_mean("colour", ["region", "bucket"]) == "; expected one of: `bucket`, `region`"
    assert did_you_mean("anything", []) == ""
