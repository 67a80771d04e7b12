"""Nothing lost: every text of an import's source, found on the built page or in resume.json.

Shared by the tests and `bench/import_real_files.py`. A text counts as kept when it appears
(whitespace aside) in the page's visible text or in a string of the exported resume.json; a
list RenderCV writes as one line (`Python, SQL`) counts when each of its items does.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from cvgen.importer.dates import read_free_date, read_free_range
from cvgen.importer.rendercv import LINK, section_heading, split_list
from tests.render.test_nothing_lost import holds, strings

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
DATE_KEYS = ("start_date", "end_date", "date")


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def rendercv_texts(data: dict[str, Any]) -> list[str]:
    """Every text of a RenderCV file's `cv:` (values, and section titles as RenderCV shows them)."""
    cv = dict(data["cv"])
    sections = cv.pop("sections", None) or {}
    texts = [s for s in _values(cv)]
    for title, entries in sections.items():
        texts.append(section_heading(str(title)))
        texts.extend(_values(entries))
    return texts


def _values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [
            s
            for key, item in value.items()
            # a date read as one is checked as a date (tests/importer/test_dates.py), not as text
            # RenderCV's styling, and the photo's file name (the site serves the photo under
            # a fingerprinted name: tests check the photo itself)
            if key not in ("fontawesome_icon", "photo")
            and not (key in DATE_KEYS and read_free_range(str(item)) is not None)
            and not (key == "end_date" and read_free_date(str(item)).ongoing)
            for s in _values(item)
        ]
    if isinstance(value, list):
        return [s for item in value for s in _values(item)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


def json_resume_texts(resume: Any) -> list[str]:
    """Every text of a JSON Resume as imported (`import_json_resume(...).resume`: v0 keys
    renamed, as the import reports), but what the build itself translates: an `endDate`
    meaning ongoing, a country name read as its code (the page names the country)."""
    if isinstance(resume, dict):
        resume = {
            key: value
            for key, value in resume.items()
            if key != "countryCode"
            and not (key == "endDate" and isinstance(value, str) and read_free_date(value).ongoing)
        }
        return [
            s
            for key, value in resume.items()
            for s in ([key] if holds(value) else []) + json_resume_texts(value)
        ]
    if isinstance(resume, list):
        return [s for item in resume for s in json_resume_texts(item)]
    return strings(resume)


def lost_texts(texts: list[str], output: Path) -> list[str]:
    """The texts found neither on `output/index.html` nor in `output/resume.json`."""
    page = _flat(html.unescape(_TAG.sub(" ", (output / "index.html").read_text(encoding="utf-8"))))
    exported = "\n".join(
        _flat(s) for s in strings(json.loads((output / "resume.json").read_text()))
    )

    def kept(text: str) -> bool:
        flat = _flat(text)
        if not flat or flat in page or flat in exported:
            return True
        link = LINK.fullmatch(flat)
        if link:  # `[name](url)` as a name: its text and its link, each kept
            return all(kept(part) for part in link.groups())
        parts = split_list(flat)
        return len(parts) > 1 and all(kept(p) for p in parts)

    return [text for text in texts if not kept(text)]
