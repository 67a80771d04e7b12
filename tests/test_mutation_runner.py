"""`make mutation` (tools/mutation.py): the mutants it makes, the tests it picks, what it prints."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import mutation  # noqa: E402


def descriptions(source: str) -> list[tuple[int, str]]:
    return [(m.line, m.description) for m in mutation.mutants(source)]


def test_each_kind_of_small_bug_is_made_once_per_place() -> None:
    source = (
        '"""A docstring: left alone."""\n'
        "def keeps(tags, exclude, limit):\n"
        "    if tags and not exclude:\n"
        "        return len(tags) <= limit + 1\n"
        "    log.warning('left alone')\n"
        "    return tags == exclude\n"
    )
    assert sorted(descriptions(source)) == sorted(
        [
            (3, "`if` test negated"),
            (3, "and -> or"),
            (3, "`not` dropped"),
            (4, "statement -> pass"),
            (4, "<= -> <"),
            (4, "+ -> -"),
            (4, "1 -> 2"),
            (6, "statement -> pass"),
            (6, "== -> !="),
        ]
    )
    for mutant in mutation.mutants(source):
        compile(mutant.source, "mutant", "exec")  # every mutant is valid Python
        assert mutant.source != source


def test_type_checking_blocks_are_left_alone() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    x = 1 == 2\n"
    assert descriptions(source) == []


def test_the_tests_of_a_module_are_those_that_import_it() -> None:
    found = mutation.tests_for(REPO / "cvgen" / "settings" / "write.py")
    assert REPO / "tests" / "settings" / "test_write.py" in found
    assert REPO / "tests" / "test_yamldoc.py" not in found


@pytest.mark.slow
def test_the_runner_reports_per_module(capsys: pytest.CaptureFixture[str]) -> None:
    module = REPO / "cvgen" / "sizes.py"
    tests = REPO / "tests" / "test_sizes.py"
    assert mutation.main([str(module), "--tests", str(tests)]) == 0
    out = capsys.readouterr().out
    assert "cvgen/sizes.py: killed" in out and "kill rate" in out
