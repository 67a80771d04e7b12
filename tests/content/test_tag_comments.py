"""`#tags` after an unquoted highlight, which YAML reads as a comment."""

from __future__ import annotations

import pytest

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
