"""cv.txt: the CV as shown, as UTF-8 plain text to paste into an application form.

Sections in order, each under its title in capitals; one entry per block (a blank line
between), its dates on its title line; links written out (`text (https://...)`, an
entry's own link on the line under its title); no Markdown syntax left: lists are `•`
lines, quotes and code indented. Lines are not wrapped (forms wrap them). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cvgen.render.entries import Entry
from cvgen.render.richtext import Block, Span
from cvgen.render.shown import ShownCV, ShownSection

BULLET = "•"
INDENT = "  "
SEPARATOR = " · "


def _written_out(text: str, url: str) -> bool:
    """Whether `url` adds nothing to `text` (the address itself, its bare form, a mailto
    of it, a phone number's `tel:`)."""
    if url.startswith("tel:"):
        return True
    bare = url.removeprefix("mailto:").removeprefix("tel:")
    bare = bare.removeprefix("https://").removeprefix("http://").rstrip("/")
    return text.strip() in (url, bare, url.removeprefix("mailto:"))


def spans_text(spans: Sequence[Span]) -> str:
    """Spans as text; a link's address after its text when the text is not the address."""
    out = ""
    for span in spans:
        if span.get("break"):
            out += "\n"
            continue
        text = str(span.get("text", ""))
        url = span.get("url")
        out += text if not url or _written_out(text, url) else f"{text} ({url})"
    return out


def blocks_lines(blocks: Sequence[Block], indent: str = "") -> list[str]:
    """Markdown blocks as lines: paragraphs and headings as text, lists as `•`/`1.` lines
    (nested lists indented), code and quotes indented, table rows with cells joined."""
    lines: list[str] = []
    for n, block in enumerate(blocks):
        kind = block["kind"]
        if n and not indent:  # blocks apart, as the page sets them
            lines.append("")
        if kind in ("paragraph", "heading"):
            lines.extend(indent + line for line in spans_text(block["spans"]).split("\n"))
        elif kind == "list":
            for n, item in enumerate(block["items"], 1):
                mark = f"{n}." if block["ordered"] else BULLET
                inner = blocks_lines(item, indent + INDENT)
                first = inner[0].strip() if inner else ""
                lines.append(f"{indent}{mark} {first}")
                lines.extend(inner[1:])
        elif kind == "code":
            lines.extend(indent + INDENT + line for line in block["text"].split("\n"))
        elif kind == "quote":
            lines.extend(blocks_lines(block["blocks"], indent + INDENT))
        elif kind == "table":
            for row in block["rows"]:
                lines.append(indent + " | ".join(spans_text(cell) for cell in row))
    return lines


def entry_lines(entry: Entry) -> list[str]:
    """One entry: `Title, Organisation · Place (dates)`, its links, note, text, highlights
    and tags."""
    head = spans_text(entry["title"])
    org = spans_text(entry["org"])
    if org:
        head = f"{head}, {org}" if head else org
    place = spans_text(entry["location"])
    if place:
        head = f"{head}{SEPARATOR}{place}" if head else place
    if entry["date"]:
        head = f"{head} ({entry['date']})" if head else str(entry["date"])
    lines = [head] if head else []
    lines.extend(str(url) for url in (entry["url"], entry["org_url"]) if url)
    if entry["note"]:
        lines.append(spans_text(entry["note"]))
    lines.extend(blocks_lines(entry["summary"]))
    lines.extend(f"{BULLET} {spans_text(item)}" for item in entry["highlights"])
    if entry["tags"]:
        lines.append(", ".join(spans_text(tag) for tag in entry["tags"]))
    return lines


def _pair(entry: Entry) -> str:
    """A skill or language on one line: `Name (level): keyword, keyword`."""
    line = spans_text(entry["title"])
    if entry["note"]:
        line += f" ({spans_text(entry['note'])})" if line else spans_text(entry["note"])
    if entry["tags"]:
        line += (": " if line else "") + ", ".join(spans_text(tag) for tag in entry["tags"])
    return line


def section_lines(section: ShownSection) -> list[str]:
    lines = [section.title.upper(), ""]
    if section.blocks:
        lines += [*blocks_lines(section.blocks), ""]
    if section.layout in ("tags", "pairs"):
        lines += [_pair(entry) for entry in section.entries] + [""]
    elif section.layout == "quotes":
        for entry in section.entries:
            lines += [*blocks_lines(entry["summary"]), f"— {spans_text(entry['title'])}", ""]
    else:
        for entry in section.entries:
            lines += [*entry_lines(entry), ""]
    if section.items:
        lines += [f"{BULLET} {spans_text(item)}" for item in section.items] + [""]
    return lines


def _contact(item: dict[str, Any]) -> str:
    url = item.get("url")
    if item["kind"] == "url" and url:
        return str(url)
    if not url or _written_out(item["text"], url):
        return str(item["text"])
    return f"{item['text']} ({url})"


def _squeezed(lines: Iterable[str]) -> str:
    """Lines joined, trailing spaces dropped, never two blank lines in a row."""
    out: list[str] = []
    for line in (line.rstrip() for line in lines):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def render_text(shown: ShownCV) -> bytes:
    """cv.txt (see the module docstring)."""
    lines = [spans_text(shown.name)]
    if shown.label:
        lines.append(spans_text(shown.label))
    lines += [_contact(item) for item in shown.contact] + [""]
    if shown.summary:
        lines += [*blocks_lines(shown.summary), ""]
    for section in shown.sections:
        lines += section_lines(section)
    return _squeezed(lines).encode("utf-8")
