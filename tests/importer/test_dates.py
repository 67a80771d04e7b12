"""Free-text dates read as JSON Resume dates, or left unread (never guessed)."""

from __future__ import annotations

import pytest

from cvgen.importer.dates import FreeDate, read_free_date, read_free_range


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2020", "2020"),
        ("2020-09", "2020-09"),
        ("2020-09-15", "2020-09-15"),
        ("Jan 2020", "2020-01"),
        ("Sept 2020", "2020-09"),
        ("Sep. 2020", "2020-09"),
        ("September, 2020", "2020-09"),
        ("15 Jan 2020", "2020-01-15"),
        ("Jan 15, 2020", "2020-01-15"),
        ("09/2020", "2020-09"),
        ("2020/9", "2020-09"),
        ("Fall 2021", ""),
        ("Q3 2020", ""),
        ("13/2020", ""),
        ("Feb 30, 2021", ""),
        ("Smarch 2020", ""),
        ("", ""),
    ],
)
def test_one_date(text: str, value: str) -> None:
    assert read_free_date(text).value == value


@pytest.mark.parametrize("text", ["present", "Present", "now", "current"])
def test_ongoing(text: str) -> None:
    assert read_free_date(text) == FreeDate(ongoing=True)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2019 – present", "2019", ""),
        ("2019 - 2021", "2019", "2021"),
        ("2022 -- 2023", "2022", "2023"),
        ("2018--2024", "2018", "2024"),
        ("Jan 2019 to Mar 2020", "2019-01", "2020-03"),
        ("Sept 2020 — now", "2020-09", ""),
    ],
)
def test_ranges(text: str, start: str, end: str) -> None:
    span = read_free_range(text)
    assert span is not None
    assert (span[0].value, span[1].value) == (start, end)


@pytest.mark.parametrize("text", ["Fall 2020--Fall 2021", "present - 2020", "2019 – someday"])
def test_ranges_not_read(text: str) -> None:
    assert read_free_range(text) is None
