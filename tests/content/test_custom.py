"""Custom top-level sections, dates and countries as real files write them (pure functions)."""

from __future__ import annotations

from typing import Any

import pytest

from cvgen.content.countries import country_code
from cvgen.content.custom import custom_section, section_title, web_url
from cvgen.content.dates import DateReading, read_date
from cvgen.content.model import CustomSection, Entry
from cvgen.content.validate import RESUME, SECTIONS, near_miss


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("talks", "Talks"),
        ("personal-statement", "Personal statement"),
        ("personal_statement", "Personal statement"),
        ("extraLinks", "Extra links"),
        ("OSS", "OSS"),
        ("open-source PRs", "Open source PRs"),
        ("--", "--"),
    ],
)
def test_section_title(key: str, title: str) -> None:
    assert section_title(key) == title


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # a list of entries, with the field names JSON Resume uses in its sections
        (
            [
                {
                    "title": "The Engine",
                    "event": "BA",
                    "date": "1843-06-24",
                    "url": "talks.example.com/x",
                    "description": "About it",
                    "technologies": ["a", 2],
                    "other": "export only",
                }
            ],
            CustomSection(
                "k",
                "K",
                entries=(
                    Entry(
                        title="The Engine",
                        subtitle="BA",
                        url="https://talks.example.com/x",
                        date="1843-06-24",
                        summary="About it",
                        tags=("a", "2"),
                    ),
                ),
            ),
        ),
        # a role is the title and the organisation beside it, as in `work`
        (
            [{"name": "Royal Society", "position": "Member", "startDate": 2016, "endDate": "now"}],
            CustomSection(
                "k", "K", entries=(Entry(title="Member", subtitle="Royal Society", start="2016"),)
            ),
        ),
        # dates that cannot be read are shown as written
        (
            [{"name": "X", "startDate": "2016 ~", "endDate": "2020-99"}],
            CustomSection("k", "K", entries=(Entry(title="X", when="2016 ~ – 2020-99"),)),
        ),
        # no title: the text, and a source that is a web address
        (
            [{"text": "Top 1%", "source": "stats.example.org/x"}],
            CustomSection(
                "k", "K", entries=(Entry(summary="Top 1%", url="https://stats.example.org/x"),)
            ),
        ),
        # a list of strings (numbers too), nulls and nested lists left to the export
        (["First", 2, None, ["nested"], "  "], CustomSection("k", "K", items=("First", "2"))),
        # text
        ("I write *programs*.", CustomSection("k", "K", text="I write *programs*.")),
        (42, CustomSection("k", "K", text="42")),
        (None, CustomSection("k", "K")),
        (True, CustomSection("k", "K")),
        # a mapping of name: value pairs
        (
            {"github": "https://g.example.com/a", "blog": "a.example.org", "pgp": "0xBEEF"},
            CustomSection(
                "k",
                "K",
                entries=(
                    Entry(title="github", url="https://g.example.com/a"),
                    Entry(title="blog", url="https://a.example.org"),
                    Entry(title="pgp", summary="0xBEEF"),
                ),
            ),
        ),
        (
            {"tools": ["Vim", "Make"], "office": {"city": "Oslo"}},
            CustomSection(
                "k",
                "K",
                entries=(
                    Entry(title="tools", highlights=("Vim", "Make")),
                    Entry(title="office"),
                ),
            ),
        ),
        # a mapping that is itself one entry
        (
            {
                "name": "Open source",
                "summary": "Much",
                "location": {"city": "Oslo", "countryCode": "NO"},
            },
            CustomSection(
                "k", "K", entries=(Entry(title="Open source", summary="Much", location="Oslo, NO"),)
            ),
        ),
    ],
)
def test_custom_section(value: Any, expected: CustomSection) -> None:
    assert custom_section("k", value) == expected


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://a.example.com/x", "https://a.example.com/x"),
        ("HTTP://A.EXAMPLE.COM", "HTTP://A.EXAMPLE.COM"),
        ("a.example.com/me", "https://a.example.com/me"),
        ("ada@example.com", ""),
        ("javascript:alert(1)", ""),
        ("not a url", ""),
        ("0xDEADBEEF", ""),
    ],
)
def test_web_url(text: str, url: str) -> None:
    assert web_url(text) == url


@pytest.mark.parametrize(
    ("text", "end", "reading"),
    [
        ("2020", False, DateReading("2020")),
        ("2020-02-29", False, DateReading("2020-02-29")),
        (
            "Present",
            True,
            DateReading(
                None, '"Present" read as ongoing; leave out `endDate` for something still going on'
            ),
        ),
        (
            "NOW",
            True,
            DateReading(
                None, '"NOW" read as ongoing; leave out `endDate` for something still going on'
            ),
        ),
        (
            "Present",
            False,
            DateReading(None, 'expected YYYY, YYYY-MM or YYYY-MM-DD, got "Present"', True),
        ),
        (
            "2019-01-01T00:00:00.000Z",
            False,
            DateReading(
                "2019-01-01", '"2019-01-01T00:00:00.000Z" read as 2019-01-01; write the date only'
            ),
        ),
        (
            "2019-01-01 10:30",
            False,
            DateReading("2019-01-01", '"2019-01-01 10:30" read as 2019-01-01; write the date only'),
        ),
        (
            "2020-13",
            False,
            DateReading("2020", '"2020-13" is not a date (there is no month 13); read as 2020'),
        ),
        (
            "2020-00",
            False,
            DateReading("2020", '"2020-00" is not a date (there is no month 0); read as 2020'),
        ),
        (
            "2021-02-29",
            False,
            DateReading(
                "2021-02", '"2021-02-29" is not a date (February 2021 has 28 days); read as 2021-02'
            ),
        ),
        # the schema's pattern refuses these: errors, as today
        (
            "2020-20",
            False,
            DateReading(
                None,
                'expected YYYY, YYYY-MM or YYYY-MM-DD, got "2020-20" (there is no month 20)',
                True,
            ),
        ),
        (
            "2021-02-40",
            False,
            DateReading(
                None,
                'expected YYYY, YYYY-MM or YYYY-MM-DD, got "2021-02-40" (February 2021 has 28 days)',
                True,
            ),
        ),
        (
            "0999",
            False,
            DateReading(
                None,
                'expected YYYY, YYYY-MM or YYYY-MM-DD, got "0999" (the year must be between 1000 and 2999)',
                True,
            ),
        ),
        (
            "Jan 2020",
            False,
            DateReading(
                None, 'expected YYYY, YYYY-MM or YYYY-MM-DD, got "Jan 2020"; write `2020-01`', True
            ),
        ),
        ("至今", True, DateReading(None, 'expected YYYY, YYYY-MM or YYYY-MM-DD, got "至今"', True)),
    ],
)
def test_read_date(text: str, end: bool, reading: DateReading) -> None:
    assert read_date(text, end=end) == reading


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SE", "SE"),
        ("se", "SE"),
        ("USA", "US"),
        ("India", "IN"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("united states of america", "US"),
        ("Côte d'Ivoire", "CI"),
        ("Cote dIvoire", "CI"),
        ("Venezuela", "VE"),
        ("Iran", "IR"),
        ("Narnia", None),
        ("XX", None),
        ("", None),
    ],
)
def test_country_code(text: str, code: str | None) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("key", "spec", "hint"),
    [
        ("strat_date", SECTIONS["work"], "startDate"),
        ("StartDate", SECTIONS["work"], "startDate"),
        ("hightlights", SECTIONS["work"], "highlights"),
        ("webiste", SECTIONS["work"], "url"),  # a near miss of a v0 name gives the v1 name
        ("role", SECTIONS["projects"], "roles"),
        ("skils", RESUME, "skills"),
        ("eduction", RESUME, "education"),
        ("hobbys", RESUME, "interests"),
        # fields of their own, not typos (real files got these wrong hints once)
        ("internships", RESUME, None),
        ("location", SECTIONS["volunteer"], None),
        ("technologies", SECTIONS["work"], None),
        ("keywords", SECTIONS["work"], None),
        ("date", SECTIONS["work"], None),
        ("type", SECTIONS["work"], None),
        ("talks", RESUME, None),
        ("icon", SECTIONS["work"], None),
    ],
)
def test_near_miss(key: str, spec: Any, hint: str | None) -> None:
    assert near_miss(key, spec) == hint
