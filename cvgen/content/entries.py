"""Entries written as Markdown files: `content/work/acme.md`, `content/projects/cvgen.md` ...

One file is one entry of a JSON Resume list section (the folder's name). Its front matter
holds the entry's fields by their JSON Resume names (`name`, `position`, `startDate` ...);
its body is the entry's text, in the field that section uses for text (`BODY_FIELDS`), and
a bullet list ending the body becomes the section's list (`highlights`, `courses`,
`keywords`). Besides the schema's fields, front matter may hold `order` (a whole number:
lower comes first), which is cvgen's own and never exported.

`merge_entries` joins them to the entries of cv.yaml / resume.json: newest first, entries
with an `order` before the rest. Pure; `cvgen.content.load` reads the files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# section: (field the body's text goes to, field the trailing bullet list goes to);
# None where the section has no such field (a body there is an error).
BODY_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "work": ("summary", "highlights"),
    "volunteer": ("summary", "highlights"),
    "education": ("summary", "courses"),
    "awards": ("summary", None),
    "certificates": (None, None),
    "publications": ("summary", None),
    "skills": (None, "keywords"),
    "languages": (None, None),
    "interests": (None, "keywords"),
    "references": ("reference", None),
    "projects": ("description", "highlights"),
}
ORDER_KEY = "order"  # cvgen's own front matter key: never part of the exported entry

_BULLET = re.compile(r"([-*+])[ \t]+(\S.*)")
_RULE = re.compile(r"[ ]{0,3}([-*_])([ \t]*\1){2,}[ \t]*")  # `- - -`, `***`: not a list item


@dataclass(frozen=True)
class Body:
    """A Markdown body split into its text and the bullet list that ends it.

    Lines are 1-based lines of the file (`first_line` is the body's first line)."""

    text: str
    text_line: int
    items: tuple[tuple[str, int], ...]  # (item text, its line)


def split_body(body: str, first_line: int, with_list: bool = True) -> Body:
    """The text before a trailing bullet list, and that list's items (continuation lines,
    indented, join their item; blank lines between items are allowed). Without
    `with_list`, the whole body is text."""
    lines = body.split("\n")
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    list_start = end
    index = end
    while with_list and index > 0:
        line = lines[index - 1]
        if _BULLET.fullmatch(line) and not _RULE.fullmatch(line):
            list_start = index - 1
        elif line.strip() and line[:1] not in " \t":
            break
        index -= 1
    items: list[tuple[str, int]] = []
    for offset, line in enumerate(lines[list_start:end]):
        bullet = _BULLET.fullmatch(line)
        if bullet and not _RULE.fullmatch(line):
            items.append((bullet.group(2).strip(), first_line + list_start + offset))
        elif line.strip() and items:
            text, at = items[-1]
            items[-1] = (f"{text} {line.strip()}", at)
    head = lines[:list_start]
    skipped = 0
    while skipped < len(head) and not head[skipped].strip():
        skipped += 1
    text = "\n".join(head).strip()
    return Body(text, first_line + skipped, tuple(items))


def _sort_date(entry: Mapping[str, Any]) -> tuple[int, str, str]:
    """Newest first: ongoing entries, then by end (or single) date, then by start date."""
    start = str(entry.get("startDate") or "")
    end = str(entry.get("endDate") or entry.get("date") or entry.get("releaseDate") or "")
    if start and not end:
        return (0, "", "")  # ongoing
    if not start and not end:
        return (2, "", "")  # undated: after the dated ones
    return (1, _descending(end or start), _descending(start))


def _descending(date: str) -> str:
    # Dates are `YYYY[-MM[-DD]]`: mapping each digit d to 9-d sorts them newest first,
    # and a shorter date (a year) after the longer ones of that year.
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date) + "~"


def merge_entries(
    written: Sequence[dict[str, Any]], from_files: Sequence[tuple[dict[str, Any], int | None]]
) -> list[dict[str, Any]]:
    """The entries of cv.yaml (`written`, in source order) and of Markdown files (each with
    its `order`, or None), newest first; entries with an `order` first, lowest first.
    Ties keep source order: cv.yaml's entries, then the files by name."""
    keyed = [(entry, None) for entry in written] + list(from_files)
    ranked = sorted(
        enumerate(keyed),
        key=lambda pair: (
            (0, pair[1][1]) if pair[1][1] is not None else (1, 0),
            _sort_date(pair[1][0]),
            pair[0],
        ),
    )
    return [entry for _, (entry, _) in ranked]
