"""How much work one text may ask of the Markdown renderer, measured before rendering.

Python-Markdown works paragraph by paragraph, and its inline pass is superlinear: each
Markdown mark (`*`, `_`, `` ` ``, `\\`, `[`, `]`) that starts a match rebuilds the paragraph,
and each `[` scans forward, in Python, for its `]` (to the end when there is none). Ten
thousand `[` take minutes. The checks below are linear and bound both costs per paragraph
so that rendering stays proportional to the text's length:

- at most `MAX_MARKS` Markdown marks in one paragraph;
- the bracket scans may cover at most `MAX_SCAN_PER_CHAR` characters per character of the
  paragraph (plus a small allowance), which refuses unclosed or deeply nested `[`.

Its block parser is superlinear too, in lines: every heading, setext underline, list item,
table row or definition in a run of lines without a blank one re-splits the rest of the
run (25,000 `# h` lines took 68 s, 25,000 setext headings 216 s, 16,000 definitions
overflowed the stack), and the page, the PDF and the Word file all grow with the text
(80 KB of blank-separated headings built in 11-23 s). So one text may also hold at most
`MAX_CHARS` characters, `MAX_LINES` lines and `MAX_RUN_LINES` lines in a run without a
blank one: within them the slowest text builds in about a second
(`bench/markdown_bench.py`).

Real CV text is far inside both (a paragraph with 50 links uses 200 marks and scans each
link's own text once).
"""

from __future__ import annotations

import re

from cvgen.errors import Issue

MAX_MARKS = 400
MAX_CHARS = 100_000  # one text: a long CV is 20,000 characters in all
MAX_LINES = 1_000
MAX_RUN_LINES = 100  # lines without a blank one between them (a list, a table)
MAX_SCAN_PER_CHAR = 8
_SCAN_ALLOWANCE = 4_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARK = re.compile(r"\\.|[*_`\[\]]", re.DOTALL)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for each blank-line-separated paragraph of `text`."""
    out = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        out.append((start, text[start : match.start()]))
        start = match.end()
    out.append((start, text[start:]))
    return out


def paragraph_problem(paragraph: str) -> str | None:
    """Why rendering `paragraph` would take too long, with what to do; else None."""
    marks = 0
    scanned = 0
    open_brackets: list[int] = []
    for match in _MARK.finditer(paragraph):
        marks += 1
        if marks > 4 * MAX_MARKS:  # over either way: stop counting (1 MB of `[` is 1M marks)
            break
        char = match.group()
        if char == "[":
            open_brackets.append(match.start())
        elif char == "]" and open_brackets:
            scanned += match.start() - open_brackets.pop()
    end = len(paragraph)
    scanned += sum(end - at for at in open_brackets)
    if scanned > MAX_SCAN_PER_CHAR * end + _SCAN_ALLOWANCE:
        unclosed = len(open_brackets)
        if marks > 4 * MAX_MARKS:  # stopped counting: estimate from the whole paragraph
            unclosed = max(unclosed, paragraph.count("[") - paragraph.count("]"))
        return (
            f"{unclosed:,} `[` without a closing `]` (or brackets nested too deep) in one"
            " paragraph; close them, or write `\\[` for a bracket that is just text"
        )
    if marks > MAX_MARKS:
        many = f"{marks:,}" if marks <= 4 * MAX_MARKS else f"more than {4 * MAX_MARKS:,}"
        return (
            f"{many} Markdown marks (`*`, `_`, `` ` ``, `\\`, `[`, `]`) in one paragraph,"
            f" over the {MAX_MARKS:,} the renderer allows; split it with blank lines"
        )
    return None


def size_problem(text: str) -> tuple[int, str] | None:
    """(offset, message) where `text` goes over the size of text the renderer allows."""
    if len(text) > MAX_CHARS:
        return MAX_CHARS, (
            f"{len(text):,} characters of Markdown in one text, over the {MAX_CHARS:,} the"
            " renderer allows (a long CV holds 20,000 in all); split it into sections"
            " (content/<name>.md) or shorten it"
        )
    if text.count("\n") >= MAX_LINES:
        offset = -1
        for _ in range(MAX_LINES):
            offset = text.index("\n", offset + 1)
        return offset + 1, (
            f"{text.count(chr(10)) + (not text.endswith(chr(10))):,} lines of Markdown in one"
            " text, over the"
            f" {MAX_LINES:,} the renderer allows; split it into sections (content/<name>.md)"
        )
    return None


def run_problem(paragraph: str) -> str | None:
    """Why a run of lines without a blank one is too long for the block parser, else None."""
    lines = paragraph.count("\n") + 1
    if lines <= MAX_RUN_LINES:
        return None
    return (
        f"{lines:,} lines without a blank line between them, over the {MAX_RUN_LINES:,} the"
        " renderer allows in one block; put a blank line between items, rows or groups"
    )


def markdown_problem(text: str) -> tuple[int, str] | None:
    """(offset, message) for the first place over budget (the text's size, then each
    paragraph's lines and marks), else None."""
    too_big = size_problem(text)
    if too_big is not None:
        return too_big
    for offset, paragraph in paragraphs(text):
        problem = run_problem(paragraph) or paragraph_problem(paragraph)
        if problem is not None:
            return offset, problem
    return None


def body_issue(text: str, body: str, file: str) -> Issue | None:
    """The first over-budget paragraph of a Markdown file's `body` (the tail of `text`)."""
    found = markdown_problem(body)
    if found is None:
        return None
    offset, message = found
    line = text.count("\n", 0, len(text) - len(body) + offset) + 1
    return Issue(file, line, 1, "", message)
