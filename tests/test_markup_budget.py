"""The Markdown work budget: linear checks that keep rendering proportional to the text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cvgen.markup import block_markdown, inline_markdown
from cvgen.markup_budget import (
    MAX_LINES,
    MAX_MARKS,
    MAX_RUN_LINES,
    body_issue,
    markdown_problem,
    paragraphs,
)
from tests.conftest import run_cvgen

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


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("# Heading\n\n" * 8_000, "16,000 lines of Markdown in one text, over the 1,000"),
        ("word word\n\n" * 91_000, "1,001,000 characters of Markdown in one text"),
        ("# h\n" * (MAX_RUN_LINES + 1), f"{MAX_RUN_LINES + 2:,} lines without a blank line"),
        ("a\n-\n" * 60, "121 lines without a blank line"),  # setext headings
        ("a\n: b\n" * 60, "121 lines without a blank line"),  # definitions: a deep recursion
        ("|a|b|\n|-|-|\n" + "|a|b|\n" * 120, "123 lines without a blank line"),
    ],
    ids=["80 KB of headings", "1 MB of paragraphs", "heading lines", "setext", "defs", "table"],
)
def test_texts_the_block_parser_is_slow_on_are_refused(text: str, start: str) -> None:
    found = markdown_problem(text)
    assert found is not None and found[1].startswith(start), found


def test_texts_at_the_block_limits_are_accepted() -> None:
    assert markdown_problem("# h\n" * (MAX_RUN_LINES - 1) + "\n" + "# h\n" * 50) is None
    assert markdown_problem("# Heading\n\n" * ((MAX_LINES - 1) // 2)) is None
    assert markdown_problem(("word " * 200 + "\n\n") * 99) is None


def test_the_line_over_the_budget_is_located() -> None:
    text = "---\ntitle: T\n---\n" + "# Heading\n\n" * 8_000
    body = text.split("---\n", 2)[2]
    issue = body_issue(text, body, "content/big.md")
    assert issue is not None and (issue.line, issue.col) == (4 + MAX_LINES, 1)


def test_a_nesting_python_markdown_cannot_parse_is_shown_as_text() -> None:
    # 16,000 definitions overflow Python-Markdown's recursion; the budget refuses them at
    # load, and rendering (the dev server, a direct call) shows them as text, no traceback
    html = block_markdown("a\n: b\n" * 16_000)
    assert html.startswith("<p>a<br>")


@pytest.mark.parametrize(
    ("body", "where"),
    [("# Heading\n\n" * 7_300, ":1004:1: "), ("word word\n\n" * 90_000, ":18185:1: ")],
    ids=["80 KB of headings", "1 MB of short paragraphs"],
)
def test_cvgen_build_refuses_a_slow_markdown_file_at_once(
    example_site: Path, body: str, where: str
) -> None:
    """They took 11-98 s to build; now one line names the file and line, in well under one."""
    (example_site / "content" / "big.md").write_text("---\ntitle: Big\n---\n" + body)
    started = time.monotonic()
    done = run_cvgen("build", "--root", str(example_site))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"content/big.md{where}" in done.stderr
    assert time.monotonic() - started < 10  # the interpreter's start and the load
    assert not (example_site / "output").exists()
