"""The files an import writes into a site, as text (pure): `content/cv.yaml`, with
`entries` one Markdown file per entry, and the edits to `cvgen.yaml`."""

from __future__ import annotations

import re
from typing import Any

import yaml

from cvgen.content.custom import section_title
from cvgen.content.model import RESUME_SECTIONS
from cvgen.importer.model import Imported
from cvgen.settings.write import plan_edits
from cvgen.yamldoc import parse_yaml

# Sections whose entries may be Markdown files, and where an entry's body goes (README,
# "Entries as Markdown files"): the text field, and whether a trailing list is highlights.
ENTRY_BODIES: dict[str, tuple[str, str]] = {
    "work": ("summary", "highlights"),
    "volunteer": ("summary", "highlights"),
    "projects": ("description", "highlights"),
    "education": ("summary", "courses"),
    "awards": ("summary", ""),
    "publications": ("summary", ""),
    "references": ("reference", ""),
    "skills": ("", "keywords"),
    "interests": ("", "keywords"),
    "certificates": ("", ""),
    "languages": ("", ""),
}
_NAME_FIELDS = ("name", "institution", "organization", "title", "language")


def dump_yaml(data: Any) -> str:
    """YAML that cvgen reads back as `data` (every text quoted where YAML would retype it)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, indent=2)


def content_files(imported: Imported, *, entries: bool = False) -> dict[str, str]:
    """Path under the site -> text: `content/cv.yaml` and, with `entries`, entry files."""
    resume = dict(imported.resume)
    files: dict[str, str] = {}
    if entries:
        for section in ENTRY_BODIES:
            items = resume.get(section)
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                continue
            taken: set[str] = set()
            for position, entry in enumerate(items, start=1):
                name = _file_name(entry, taken)
                files[f"content/{section}/{name}.md"] = entry_file(section, entry, position)
            del resume[section]
    header = f"# Imported from {imported.kind} by `cvgen import`.\n"
    files["content/cv.yaml"] = header + dump_yaml(resume)
    return dict(sorted(files.items()))


def entry_file(section: str, entry: dict[str, Any], order: int) -> str:
    """One entry as front matter + body; `order` keeps the source's order of entries."""
    text_field, list_field = ENTRY_BODIES[section]
    front = dict(entry)
    text = front.pop(text_field, None) if text_field else None
    items = front.pop(list_field, None) if list_field else None
    if not isinstance(text, str) or "\n- " in f"\n{text}":
        if text is not None:
            front[text_field] = text  # text that itself ends in a list stays in front matter
        text = None
    if not (isinstance(items, list) and all(isinstance(i, str) and "\n" not in i for i in items)):
        if items is not None:
            front[list_field] = items
        items = None
    if items and not text_field and section not in ("skills", "interests"):
        front[list_field], items = items, None
    front["order"] = order
    body = "\n\n".join(
        part for part in (text or "", "\n".join(f"- {item}" for item in items or [])) if part
    )
    return f"---\n{dump_yaml(front)}---\n{body}\n" if body else f"---\n{dump_yaml(front)}---\n"


def _file_name(entry: dict[str, Any], taken: set[str]) -> str:
    label = next((str(entry[f]) for f in _NAME_FIELDS if entry.get(f)), "entry")
    base = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")[:40].strip("-") or "entry"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def config_edits(text: str, imported: Imported) -> tuple[str, list[str], list[str]]:
    """`cvgen.yaml`'s new text with the import's settings, what was set, and the lines
    that could not be written safely (for the user to paste)."""
    written: list[str] = []
    paste: list[str] = []
    if imported.language:
        text, result = plan_edits(text, {"site": {"language": imported.language}})
        written += result.written
        paste += result.paste_lines()
    doc = parse_yaml(text, "cvgen.yaml")
    data = doc.data if isinstance(doc.data, dict) else {}
    lines = text.splitlines(keepends=True)
    if imported.theme:
        where = doc.positions.values.get(("theme",))
        style = doc.positions.styles.get(("theme",))
        end = doc.positions.ends.get(("theme",))
        if "theme" not in data:
            lines.append(f"theme: {imported.theme}\n")
            written.append("theme")
        elif (
            where and end and style == "" and end[0] == where[0] and isinstance(data["theme"], str)
        ):
            line = lines[where[0] - 1]
            lines[where[0] - 1] = line[: where[1] - 1] + imported.theme + line[end[1] - 1 :]
            written.append("theme")
        else:
            paste.append(f"theme: {imported.theme}")
    sections = section_settings(imported)
    if sections:
        block = dump_yaml({"sections": sections})
        if "sections" not in data:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines.append(block)
            written.append("sections")
        else:
            paste += block.splitlines()
    return "".join(lines), written, paste


def section_settings(imported: Imported) -> dict[str, Any]:
    """`sections:` for cvgen.yaml: the source's order, and titles where cvgen's would differ."""
    out: dict[str, Any] = {}
    if len(imported.order) > 1:
        out["order"] = list(imported.order)
    # a JSON Resume section's title comes from the theme ("Experience"): the source's is kept
    titles = {
        key: title
        for key, title in imported.titles.items()
        if key in RESUME_SECTIONS or section_title(key) != title
    }
    if titles:
        out["titles"] = titles
    return out
