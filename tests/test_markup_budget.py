"""The Markdown work budget: linear checks that keep rendering proportional to the text."""

from __future__ import annotations

import pytest

from cvgen.markup import block_markdown, inline_markdown
from cvgen.markup_budget import MAX_MARKS, body_issue, markdown_problem, paragraphs

REALISTIC = " ".join(
    f"Led **project {n}** with *care*, see [the write-up](https://example.com/{n})."
    for n in range(30)
)


@pytest.mark.parametrize(
    "text",
    [
        REALISTIC,  # 30 links, 30 bold and 30 italic phrases in one paragraph
        "\n\n".join([REALISTIC] * 20),  # many such paragraphs: the budget is per paragraph
        "snake_case " * 150,  # 150 marks
        "a [stray bracket in a long text " + "x" * 9_000,
        "[[nested]] " * 100,
    ],
    ids=["links", "paragraphs", "snake_case", "stray bracket", "nested"],
)
def test_real_text_is_within_budget(text: str) -> None:
    assert markdown_problem(text) is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("[" * 10_000, "10,000 `[` without a closing `]`"),
        ("![" * 5_000, "5,000 `[` without a closing `]`"),
        ("[" * 60 + "x" * 9_000, "60 `[` without a closing `]`"),
        ("*" * (MAX_MARKS + 1), f"{MAX_MARKS + 1:,} Markdown marks"),
        ("\\" * 1_000, "500 Markdown marks"),  # `\\` is one mark: an escaped backslash
        ("[a](b" * 2_000, "more than 1,600 Markdown marks"),
    ],
    ids=["[", "![", "unclosed [ in text", "*", "backslashes", "[a](b"],
)
def test_expensive_text_is_refused_with_advice(text: str, start: str) -> None:
    found = markdown_problem(text)
    assert found is not None and found[1].startswith(start)


def test_the_first_expensive_paragraph_is_located() -> None:
    assert paragraphs("a\n\nb\n  \nc") == [(0, "a"), (3, "b"), (8, "c")]
    text = "---\ntitle: T\n---\nFine.\n\nAlso fine.\n\n" + "[" * 5_000 + "\n"
    body = text.split("---\n", 2)[2]
    issue = body_issue(text, body, "content/about.md")
    assert issue is not None
    assert (issue.file, issue.line, issue.col) == ("content/about.md", 8, 1)


@pytest.mark.parametrize("render", [inline_markdown, block_markdown])
def test_rendering_text_over_budget_is_plain_and_immediate(render: object) -> None:
    # Python-Markdown would take hours on this; the guard shows it as escaped text instead.
    assert callable(render)
    html = render("<b>" + "[" * 200_000)
    assert "&lt;b&gt;[[[" in html and "<b>" not in html
