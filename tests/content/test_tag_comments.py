"""`#tags` after an unquoted highlight, which YAML reads as a comment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvgen.build import render_pages
from cvgen.content.tag_comments import tag_comments
from cvgen.yamldoc import parse_yaml


def found(highlights: str) -> list[str]:
    text = "work:\n  - name: X\n    highlights:\n" + highlights
    return [str(issue) for issue in tag_comments(parse_yaml(text, "cv.yaml"), text)]


@pytest.mark.parametrize(
    "highlights",
    [
        '      - "Quoted #backend"\n',
        "      - 'Quoted #backend'\n",
        "      - Plain\n",
        "      - With a note  # not a tag\n",
        "      - C# and F# #1\n",
        "      - |\n        Literal #backend\n",
    ],
)
def test_nothing_to_say(highlights: str) -> None:
    assert found(highlights) == []


def test_a_tag_comment_after_a_plain_highlight_is_located_at_the_comment() -> None:
    assert found("      - Moved to EKS #backend #cloud\n      - Multi\n        line #ops\n") == [
        "cv.yaml:4:22: work[0].highlights[0]: `#backend #cloud` is a YAML comment here, so no"
        ' variant sees the tag; quote the highlight so YAML keeps its #tags: `- "Moved to EKS'
        ' #backend #cloud"`',
        "cv.yaml:6:14: work[0].highlights[1]: `#ops` is a YAML comment here, so no variant sees"
        ' the tag; quote the highlight so YAML keeps its #tags: `- "Multi line #ops"`',
    ]


def test_only_highlights() -> None:
    text = "basics:\n  name: Ada #backend\n"
    assert tag_comments(parse_yaml(text, "cv.yaml"), text) == []


LANGUAGES_SITE = Path(__file__).parents[1] / "languages" / "site"


def test_entry_files_and_translations_are_read_for_tag_comments_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(LANGUAGES_SITE, site)
    content = site / "content"
    (content / "work" / "remington.md").write_text(
        "---\r\nname: Remington Rand\r\nposition: Director\r\nstartDate: 2015-01\r\n"
        "highlights:\r\n  - Built the compiler team #backend\r\n  - Designed the console\r\n"
        "---\r\nRuns automatic programming.\r\n"
    )
    (content / "work" / "remington.de.md").write_text(
        "---\nposition: Direktorin\nhighlights:\n  - Baute das Compiler-Team auf #backend\n"
        '  - "Entwarf die Konsole #frontend"\n---\nLeitet die automatische Programmierung.\n'
    )
    german = (
        (content / "cv.de.yaml")
        .read_text()
        .replace("Zeichnete die erste Oberfläche", "Zeichnete die erste Oberfläche #frontend")
    )
    (content / "cv.de.yaml").write_text(german)
    found = [str(w) for w in render_pages(site).warnings if "YAML comment" in str(w)]
    assert found == [
        "content/cv.de.yaml:11:40: work[0].highlights[1]: `#frontend` is a YAML comment here,"
        " so no variant sees the tag; quote the highlight so YAML keeps its #tags:"
        ' `- "Zeichnete die erste Oberfläche #frontend"`',
        "content/work/remington.de.md:4:33: highlights[0]: `#backend` is a YAML comment here,"
        " so no variant sees the tag; quote the highlight so YAML keeps its #tags:"
        ' `- "Baute das Compiler-Team auf #backend"`',
        "content/work/remington.md:6:29: highlights[0]: `#backend` is a YAML comment here,"
        " so no variant sees the tag; quote the highlight so YAML keeps its #tags:"
        ' `- "Built the compiler team #backend"`',
    ]
