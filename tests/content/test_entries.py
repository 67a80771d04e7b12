"""Entries written as Markdown files (content/work/*.md ...): body splitting, ordering,
loading merged with cv.yaml, and the export staying plain JSON Resume."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cvgen.content.entries import Body, merge_entries, split_body
from cvgen.content.export import resume_document
from cvgen.content.load import load_content
from cvgen.errors import ContentError
from cvgen.settings.config import Config
from tests.content.test_load import validate_against_schema

ENTRIES = Path(__file__).parent / "entries"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Text only.\n", Body("Text only.", 10, ())),
        ("- a\n- b\n", Body("", 10, (("a", 10), ("b", 11)))),
        (
            "Intro.\n\nMore.\n\n- one\n- two\n  continued\n\n* three\n",
            Body("Intro.\n\nMore.", 10, (("one", 14), ("two continued", 15), ("three", 18))),
        ),
        # a list in the middle stays part of the text
        ("- x\n\nThen text.\n", Body("- x\n\nThen text.", 10, ())),
        # a thematic break is not a list item
        ("Text.\n\n- - -\n", Body("Text.\n\n- - -", 10, ())),
        ("\n\nLate start.\n", Body("Late start.", 12, ())),
    ],
)
def test_split_body(body: str, expected: Body) -> None:
    assert split_body(body, 10) == expected


def test_split_body_without_a_list_field_keeps_the_list_as_text() -> None:
    assert split_body("Said:\n\n- a\n", 1, with_list=False) == Body("Said:\n\n- a", 1, ())


def test_merge_puts_ordered_entries_first_then_newest_first() -> None:
    written = [
        {"name": "old", "startDate": "2001", "endDate": "2003"},
        {"name": "undated"},
    ]
    files: list[tuple[dict[str, object], int | None]] = [
        ({"name": "current", "startDate": "2020-01"}, None),
        ({"name": "mid", "startDate": "2010", "endDate": "2015-06"}, None),
        ({"name": "same-year", "startDate": "2010", "endDate": "2015"}, None),
        ({"name": "pinned", "startDate": "1990", "endDate": "1991"}, 1),
        ({"name": "award", "date": "2018-02"}, None),
    ]
    names = [entry["name"] for entry in merge_entries(written, files)]
    assert names == ["pinned", "current", "award", "mid", "same-year", "old", "undated"]


def test_markdown_entries_merge_with_cv_yaml() -> None:
    cv = load_content(Config(root=ENTRIES))
    assert cv.warnings == ()
    work = cv.resume["work"]
    assert [job["name"] for job in work] == ["Harvard", "Remington Rand", "Eckert–Mauchly", "Navy"]
    eckert = work[2]
    assert eckert["summary"] == (
        "Built the first **compiler**, A-0, and wrote about it.\n\nIt read subroutines from tape."
    )
    assert eckert["highlights"] == ["Led a team of 12", "Cut programming time from weeks to days"]
    assert work[0] == {
        "name": "Harvard",
        "position": "Research Fellow",
        "startDate": "1999",
        "endDate": "2000",
        "highlights": ["Programmed the Mark I"],
    }
    assert cv.resume["projects"][0]["description"] == (
        "The first English-like data processing language."
    )
    assert cv.resume["education"][0]["courses"] == ["Algebra", "Number theory"]
    assert cv.resume["education"][0]["summary"] == "Thesis on irreducibility criteria."
    assert [s["name"] for s in cv.resume["skills"]] == ["Go", "Python"]
    assert cv.resume["skills"][1]["keywords"] == ["typing", "asyncio"]


def test_export_of_markdown_entries_is_plain_json_resume() -> None:
    document = resume_document(load_content(Config(root=ENTRIES)))
    validate_against_schema(document)
    text = json.dumps(document)
    assert '"order"' not in text
    assert "Programmed the Mark I" in text


def test_errors_point_into_the_markdown_file(tmp_path: Path) -> None:
    shutil.copytree(ENTRIES, tmp_path, dirs_exist_ok=True)
    entry = tmp_path / "content" / "work" / "eckert.md"
    entry.write_text(entry.read_text().replace("endDate: 2015", "endDate: soon"))
    with pytest.raises(ContentError) as caught:
        load_content(Config(root=tmp_path))
    assert [str(issue) for issue in caught.value.issues] == [
        'content/work/eckert.md:6:1: endDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got "soon"'
    ]
