"""One wording of a failure: what the terminal prints is what the `cvgen serve` overlay lists."""

from __future__ import annotations

import pytest

from cvgen.errors import ContentError, CvgenError, Issue, error_lines

ISSUE = Issue("content/cv.yaml", 3, 7, "basics.email", "not an email address")
WARNING = Issue("content/cv.yaml", 9, 1, "work[0].strat_date", "unknown field")


def test_error_lines_word_each_kind_of_failure() -> None:
    assert error_lines(CvgenError("cannot write output/: disk full")) == [
        "Error: cannot write output/: disk full"
    ]
    assert error_lines(ContentError([ISSUE], warnings=[WARNING])) == [
        "content/cv.yaml:3:7: basics.email: not an email address",
        "content/cv.yaml:9:1: warning: work[0].strat_date: unknown field",
    ]
    assert error_lines(ValueError("boom")) == [
        "internal error: ValueError: boom (the terminal has the traceback)"
    ]


@pytest.mark.parametrize(
    ("error", "closing"),
    [
        (CvgenError("cannot write output/: disk full"), []),
        (ContentError([ISSUE]), ["Error: 1 problem found; nothing was written."]),
    ],
)
def test_the_terminal_prints_the_same_lines(
    error: CvgenError, closing: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    error.show()
    assert capsys.readouterr().err.splitlines() == [*error_lines(error), *closing]
