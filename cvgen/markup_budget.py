"""How much work one text may ask of the Markdown renderer, measured before rendering.

Python-Markdown works paragraph by paragraph, and its inline pass is superlinear: each
Markdown mark (`*`, `_`, `` ` ``, `\\`, `[`, `]`) that starts a match rebuilds the paragraph,
and each `[` scans forward, in Python, for its `]` (to the end when there is none). Ten
thousand `[` take minutes. The checks below are linear and bound both costs per paragraph
so that rendering stays proportional to the text's length:

- at most `MAX_MARKS` Markdown marks in one paragraph;
- the bracket scans may cover at most `MAX_SCAN_PER_CHAR` characters per character of the
  paragraph (plus a small allowance), which refuses unclosed or deeply nested `[`.

Real CV text is far inside both (a paragraph with 50 links uses 200 marks and scans each
link's own text once).
"""

from __future__ import annotations

import re

from cvgen.errors import Issue

MAX_MARKS = 400
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


def markdown_problem(text: str) -> tuple[int, str] | None:
    """(offset of the paragraph, message) for the first paragraph over budget, else None."""
    for offset, paragraph in paragraphs(text):
        problem = paragraph_problem(paragraph)
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
