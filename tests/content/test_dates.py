"""Dates written as people write them are answered with the schema's form to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.content.dates import read_date


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("March 2020", "2020-03"),
        ("Mar 2020", "2020-03"),
        ("Sept. 2019", "2019-09"),
        ("5 March 2020", "2020-03-05"),
        ("March 5, 2020", "2020-03-05"),
        ("2020/03", "2020-03"),
        ("03/2020", "2020-03"),
        ("2020.3.15", "2020-03-15"),
    ],
)
def test_a_readable_date_is_answered_with_its_fix(written: str, fix: str) -> None:
    reading = read_date(written)
    assert reading.error and reading.value is None  # still an error: only advice
    assert reading.message.endswith(f'got "{written}"; write `{fix}`')


@pytest.mark.parametrize("written", ["Spring 2020", "03/04/2020", "13/2020", "Feb 30 2020", "soon"])
def test_what_cannot_be_read_one_way_gets_no_guess(written: str) -> None:
    reading = read_date(written)
    assert reading.error and "write `" not in reading.message


def test_the_build_says_it_at_the_field(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "cvgen.yaml").write_text("{}\n")
    (tmp_path / "content" / "cv.yaml").write_text(
        "basics: {name: Ada}\nwork:\n  - name: Acme\n    startDate: March 2020\n"
    )
    result = CliRunner().invoke(cli, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        "content/cv.yaml:4:5: work[0].startDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got"
        ' "March 2020"; write `2020-03`'
    ) in result.output
    assert not (tmp_path / "output").exists()
