"""Pure validation: YAML text in, normalised resume and exact issue messages out."""

from __future__ import annotations

import textwrap

import pytest

from cvgen.content.model import RESUME_SECTIONS
from cvgen.content.validate import (
    BASICS,
    LOCATION,
    PROFILE,
    RESUME,
    SECTIONS,
    Kind,
    ListOf,
    Obj,
    validate_resume,
)
from cvgen.yamldoc import parse_yaml

FILE = "content/cv.yaml"


def check(source: str) -> tuple[dict, list[str]]:
    """The normalised resume, and every error and warning (marked `warning:`) in file order."""
    doc = parse_yaml(textwrap.dedent(source).lstrip("\n"), FILE)
    validated = validate_resume(doc)
    marked = [(issue, "") for issue in validated.errors]
    marked += [(issue, "warning") for issue in validated.warnings]
    return validated.resume, [issue.describe(kind) for issue, kind in sorted(marked)]


def issues_of(source: str) -> list[str]:
    return check(source)[1]


NAME = "basics:\n  name: Ada\n"
UNNAMED = 'the page and PDF are headed with `site.title` from cvgen.yaml, else "Curriculum vitae"'
ADD_NAME = "add `name:` with your full name"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # dates
        (NAME + "work:\n  - startDate: 2020\n", []),
        (NAME + "work:\n  - startDate: 2020-02\n", []),
        (NAME + "work:\n  - startDate: 2020-02-29\n", []),
        (
            NAME + "work:\n  - startDate: Jan 2020\n",
            [
                'content/cv.yaml:4:5: work[0].startDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got "Jan 2020"; write `2020-01`'
            ],
        ),
        (
            NAME + "awards:\n  - date: 2020-1-5\n",
            [
                'content/cv.yaml:4:5: awards[0].date: expected YYYY, YYYY-MM or YYYY-MM-DD, got "2020-1-5"; write `2020-01-05`'
            ],
        ),
        (
            NAME + "certificates:\n  - date: 2020-00\n",
            [
                'content/cv.yaml:4:5: warning: certificates[0].date: "2020-00" is not a date (there is no month 0); read as 2020'
            ],
        ),
        (
            NAME + "publications:\n  - releaseDate: 2023-04-31\n",
            [
                'content/cv.yaml:4:5: warning: publications[0].releaseDate: "2023-04-31" is not a date (April 2023 has 30 days); read as 2023-04'
            ],
        ),
        (
            NAME + 'work:\n  - startDate: "２０２０"\n',
            [
                'content/cv.yaml:4:5: work[0].startDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got "２０２０"'
            ],
        ),
        (
            NAME + "work:\n  - startDate: 2020.5\n",
            [
                'content/cv.yaml:4:5: work[0].startDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got "2020.5"; write `2020-05`'
            ],
        ),
        (
            NAME + "projects:\n  - startDate: 2020-05\n    endDate: 2020-04-30\n",
            [
                "content/cv.yaml:5:5: warning: projects[0].endDate: 2020-04-30 is before startDate 2020-05"
            ],
        ),
        # blank entries (a template's placeholders) are left out, silently
        (NAME + "work:\n  - name: ''\n    startDate: ''\n  - {}\n", []),
        # same month at different precision is not "before"
        (NAME + "education:\n  - startDate: 2020-05-10\n    endDate: 2020-05\n", []),
        (
            NAME + "volunteer:\n  - endDate: Present\n",
            [
                'content/cv.yaml:4:5: warning: volunteer[0].endDate: "Present" read as ongoing; leave out `endDate` for something still going on'
            ],
        ),
        # urls and emails
        (NAME + "  url: https://ada.example.com/cv?x=1#top\n", []),
        (NAME + "  url: http://localhost:8000/\n", []),
        (
            NAME + "  url: mailto:ada@example.com\n",
            [
                'content/cv.yaml:3:3: warning: basics.url: expected an absolute http(s) URL, got "mailto:ada@example.com"'
            ],
        ),
        (
            NAME + "  url: https://exa mple.com\n",
            [
                'content/cv.yaml:3:3: warning: basics.url: expected an absolute http(s) URL, got "https://exa mple.com"'
            ],
        ),
        (
            NAME + "  url: https://[x\n",
            [
                'content/cv.yaml:3:3: warning: basics.url: expected an absolute http(s) URL, got "https://[x"'
            ],
        ),
        (NAME + "  image: images/ada.jpg\n", []),
        (NAME + "  image: https://ada.example.com/ada.jpg\n", []),
        (
            NAME + "  image: data:image/png;base64,AAAA\n",
            [
                'content/cv.yaml:3:3: warning: basics.image: expected an absolute http(s) URL, got "data:image/png;base64,AAAA"'
            ],
        ),
        (NAME + "  email: ada.lindqvist+cv@mail.example.com\n", []),
        (
            NAME + "  email: ada@example\n",
            [
                'content/cv.yaml:3:3: warning: basics.email: expected an email address like name@example.com, got "ada@example"'
            ],
        ),
        # types
        (
            NAME + "skills:\n  - keywords: AWS, GCP\n",
            [
                'content/cv.yaml:4:5: skills[0].keywords: expected a list, got "AWS, GCP"; put each item on its own line starting with `- `'
            ],
        ),
        (
            NAME + "interests:\n  - name: {a: 1}\n",
            ["content/cv.yaml:4:5: interests[0].name: expected text, got a mapping"],
        ),
        (
            NAME + "languages: English\n",
            ['content/cv.yaml:3:1: languages: expected a list, got "English"'],
        ),
        (
            "basics: Ada\n",
            ['content/cv.yaml:1:1: basics: expected a mapping of fields, got "Ada"'],
        ),
        # meta: anything goes (`meta.theme` ...), kept as written
        (NAME + "meta:\n  version: v1\n  lastModified: 2024-01-01T10:00:00\n  author: me\n", []),
        (NAME + "meta:\n  vershun: v1\n  theme: {name: x}\n", []),
        (
            NAME + "meta:\n  canonical: [a]\n",
            ["content/cv.yaml:4:3: meta.canonical: expected text, got a list"],
        ),
        # expected, though the schema requires nothing: warnings
        (
            "basics:\n  name: ''\n",
            [f"content/cv.yaml:1:1: warning: basics.name: missing; {UNNAMED}; {ADD_NAME}"],
        ),
        (
            "basics:\n",
            [f"content/cv.yaml:1:1: warning: basics.name: missing; {UNNAMED}; {ADD_NAME}"],
        ),
        (
            "work: []\n",
            [
                f"content/cv.yaml:1:1: warning: basics: missing; {UNNAMED}; "
                "add `basics:` with at least your `name:`"
            ],
        ),
        (
            "'42'\n",
            [
                'content/cv.yaml:1:1: expected a mapping of JSON Resume sections (`basics:`, `work:` ...), got "42"'
            ],
        ),
        # unknown fields
        (
            NAME + "  Name: Ada\n",
            [
                "content/cv.yaml:3:3: warning: basics.Name: unknown field `Name`; did you mean `name`?"
            ],
        ),
        (
            NAME + "work:\n  - start_date: 2020\n",
            [
                "content/cv.yaml:4:5: warning: work[0].start_date: unknown field `start_date`; did you mean `startDate`?"
            ],
        ),
        (
            NAME + "  website: https://ada.example.com\n",
            [
                "content/cv.yaml:3:3: warning: basics.website: old JSON Resume (v0) name; read as `url`: rename it to `url`"
            ],
        ),
        (
            NAME + "experience:\n  - name: Northwind\n",
            [
                "content/cv.yaml:3:1: warning: experience: not a JSON Resume section, so it is shown as a section of its own; if it holds what `work` holds, rename it to `work`"
            ],
        ),
        (
            NAME + "hobbys: []\n",
            [
                "content/cv.yaml:3:1: warning: hobbys: unknown section `hobbys`; did you mean `interests`? (until then it is shown as a section of its own)"
            ],
        ),
        # a custom section; no hint for a name that is no near miss
        (NAME + "colour: blue\n", []),
        (NAME + "internships:\n  - name: Northwind\n", []),
        (NAME + "volunteer:\n  - location: Stockholm\n", []),
        (NAME + "work:\n  - technologies: [Go]\n    pinned: true\n", []),
    ],
)
def test_issues(source: str, expected: list[str]) -> None:
    assert issues_of(source) == expected


def test_every_problem_is_reported_in_file_order() -> None:
    found = issues_of(
        """
        basics:
          email: nope
        work:
          - startDate: soon
            endDate: later
            colr: red
            color: red
        skills: none
        """
    )
    assert [issue.split(": ", 2)[1] for issue in found] == [
        "warning",  # basics.name
        "warning",
        "work[0].startDate",
        "work[0].endDate",
        "skills",
    ]


def test_blank_entries_are_left_out() -> None:
    resume, issues = check(NAME + "work:\n  - name: ''\n    url: ''\n  - name: Northwind\n  - {}\n")
    assert issues == []
    assert resume["work"] == [{"name": "Northwind"}]


def test_normalises_into_the_model_shape() -> None:
    resume, issues = check(
        """
        meta:
          version: v1
        work:
          - highlights:
              - "  **Led** it  "
            url:
            startDate: 2020
            name: Northwind
        basics:
          phone: 46701234567
          location:
            postalCode: 11122
          name: "  Ada Lindqvist "
          image: ""
        """
    )
    assert issues == []
    assert list(resume) == ["basics", *RESUME_SECTIONS, "meta"]
    assert resume["basics"] == {
        "name": "Ada Lindqvist",
        "phone": "46701234567",
        "location": {"postalCode": "11122"},
        "profiles": [],
    }
    # keys in schema order, null/empty dropped, years as text, text stripped
    assert resume["work"] == [
        {"name": "Northwind", "startDate": "2020", "highlights": ["**Led** it"]}
    ]
    assert all(resume[name] == [] for name in RESUME_SECTIONS if name != "work")


def test_schema_covers_json_resume_v1() -> None:
    assert list(BASICS.fields) == [
        "name",
        "label",
        "image",
        "email",
        "phone",
        "url",
        "summary",
        "location",
        "profiles",
    ]
    assert list(LOCATION.fields) == ["address", "postalCode", "city", "countryCode", "region"]
    assert list(PROFILE.fields) == ["network", "username", "url"]
    assert {name: list(spec.fields) for name, spec in SECTIONS.items()} == {
        "work": [
            "name",
            "location",
            "description",
            "position",
            "url",
            "startDate",
            "endDate",
            "summary",
            "highlights",
        ],
        "volunteer": [
            "organization",
            "position",
            "url",
            "startDate",
            "endDate",
            "summary",
            "highlights",
        ],
        "education": [
            "institution",
            "url",
            "area",
            "studyType",
            "startDate",
            "endDate",
            "score",
            "courses",
        ],
        "awards": ["title", "date", "awarder", "summary"],
        "certificates": ["name", "date", "url", "issuer"],
        "publications": ["name", "publisher", "releaseDate", "url", "summary"],
        "skills": ["name", "level", "keywords"],
        "languages": ["language", "fluency"],
        "interests": ["name", "keywords"],
        "references": ["name", "reference"],
        "projects": [
            "name",
            "description",
            "highlights",
            "keywords",
            "startDate",
            "endDate",
            "url",
            "roles",
            "entity",
            "type",
        ],
    }
    assert list(RESUME.fields)[0] == "$schema" and list(RESUME.fields)[-1] == "meta"
    assert isinstance(SECTIONS["skills"].fields["keywords"], ListOf)
    assert SECTIONS["work"].fields["startDate"] is Kind.DATE


def _markdown_fields(spec: Obj) -> tuple[str, ...]:
    return tuple(
        key
        for key, kind in spec.fields.items()
        if kind is Kind.MARKDOWN or (isinstance(kind, ListOf) and kind.item is Kind.MARKDOWN)
    )


def test_markdown_fields() -> None:
    assert _markdown_fields(BASICS) == ("summary",)
    assert _markdown_fields(SECTIONS["work"]) == ("description", "summary", "highlights")
    assert _markdown_fields(SECTIONS["languages"]) == ()


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("[backend, cloud]", None),
        ("backend", None),
        ("[backend, 2024]", None),
        (
            "backend, cloud",
            "`backend, cloud` is one tag, which no variant can name; write `[backend, cloud]`",
        ),
        (
            "[backend, cloud native]",
            "`cloud native` is one tag, which no variant can name; write `[cloud, native]`",
        ),
        ("[backend, {a: 1}]", "expected a list of words, like `[backend, cloud]`, got a mapping"),
        (
            "{backend: true}",
            "expected a tag or a list of tags, like `[backend, cloud]`, got a mapping",
        ),
    ],
)
def test_entry_tags_a_variant_cannot_name_are_a_warning(tags: str, expected: str | None) -> None:
    # the entry would silently drop out of (or stay in) every variant
    found = issues_of(NAME + f"projects:\n  - name: kit\n    tags: {tags}\n")
    assert found == (
        [f"content/cv.yaml:5:5: warning: projects[0].tags: {expected}"] if expected else []
    )
