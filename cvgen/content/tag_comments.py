"""A highlight's `#tags` that YAML took for a comment.

In YAML, ` #` starts a comment, so `- Moved to EKS #backend` is the text `Moved to EKS`
and the tag is gone before cvgen sees it: every variant then shows the highlight. On a site
with variants that is almost never meant, so a plain (unquoted) highlight followed on its
line by a `#word` comment is a warning, at the comment, saying to quote the highlight: in
cv.yaml, in its translations (cv.de.yaml) and in an entry file's front matter.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cvgen.content.files import split_front_matter
from cvgen.content.model import RESUME_SECTIONS
from cvgen.errors import ContentError, Issue
from cvgen.settings.config import Config
from cvgen.yamldoc import Path_, YamlDoc, decode_text, format_path, parse_yaml

# a comment right after the value that starts like a tag (`# a note` does not)
_TAG_COMMENT = re.compile(r"[ \t]+#[A-Za-z][\w-]*")


def tag_comments(doc: YamlDoc, text: str) -> list[Issue]:
    """Warnings for the plain highlights in `doc` (parsed from `text`) whose line goes on
    with a `#tag` comment. Pure."""
    lines = text.splitlines()
    found = []
    for path, style in doc.positions.styles.items():
        if style != "" or len(path) < 2 or path[-2] != "highlights":
            continue
        line, col = doc.positions.ends[path]
        rest = lines[line - 1][col - 1 :] if 0 < line <= len(lines) else ""
        match = _TAG_COMMENT.match(rest)
        if match is None:
            continue
        comment = rest.strip()
        found.append(
            Issue(
                doc.file,
                line,
                col + match.group(0).index("#"),
                format_path(path),
                f"`{comment}` is a YAML comment here, so no variant sees the tag; quote the"
                f' highlight so YAML keeps its #tags: `- "{_value(doc.data, path)}'
                f' {comment}"`',
            )
        )
    return found


def _value(data: Any, path: Path_) -> str:
    for part in path:
        data = data[part]
    return str(data)


def tag_comments_in(path: Path, name: str) -> list[Issue]:
    """`tag_comments` of the YAML file at `path` (shown as `name`), or of a Markdown file's
    front matter; none for other files, or one that cannot be read (loading the content
    reports that)."""
    if path.suffix not in (".yaml", ".yml", ".md") or not path.is_file():
        return []
    try:
        text = decode_text(path.read_bytes(), name)
        if path.suffix == ".md":
            text = text.replace("\r\n", "\n")
            front, _ = split_front_matter(text, name, [])  # its lines are the file's
            return [] if front is None else tag_comments(front, text)
        return tag_comments(parse_yaml(text, name, keep_going=True), text)
    except ContentError:
        return []


def site_tag_comments(config: Config, source: str) -> list[Issue]:
    """`tag_comments_in` every file a site's highlights are written in as YAML: the CV file
    (`source`, cv.yaml), its translations (cv.de.yaml) and the front matter of the entry
    files (content/work/*.md, translations included)."""
    root, content = config.root, config.content_dir
    files = [root / source]
    tags = dict.fromkeys(t for tag in config.languages[1:] for t in (tag, tag.lower()))
    files += [content / f"cv.{tag}.yaml" for tag in tags]
    files += sorted(p for section in RESUME_SECTIONS for p in (content / section).glob("*.md"))
    return [
        issue
        for path in files
        for issue in tag_comments_in(path, path.relative_to(root).as_posix())
    ]
