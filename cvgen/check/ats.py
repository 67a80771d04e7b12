"""The ATS self-check, pure: the PDF's text as an extractor read it (`pdfread.PdfText`)
compared with the CV that was typeset (the PDF data, `cvgen.render.pdfdata`).

What an applicant tracking system needs from a CV, and what each finding says a parser
would get wrong:

- the name is the first text (parsers take the first line as the candidate's name);
- email, phone and web addresses come out whole: on one line, no ligature, no hyphen or
  line break inside (else the address a recruiter gets is broken);
- every entry's title, organisation and dates come out in order and next to each other
  (else a date or an employer is given to the wrong job);
- sections have headings a parser knows (Experience, Education, Skills ...), each on a
  line of its own;
- no text lost or doubled (a hidden or repeated layer, a column read twice);
- every font embedded (else a reader substitutes one and may map glyphs to wrong letters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cvgen.check.pdfread import PdfText
from cvgen.check.text import collapsed, plain, squashed

# entries whose head lines (title, organisation, date) lie further apart than this are
# read as two things
NEAR_LINES = 3
LIGATURES = re.compile("[\ufb00-\ufb06]")
# Headings English-reading parsers look for, per JSON Resume section; the theme's own word
# for the section in the CV's language is always accepted too.
STANDARD_HEADINGS: dict[str, frozenset[str]] = {
    key: frozenset(words)
    for key, words in {
        "work": (
            "experience",
            "work experience",
            "professional experience",
            "employment",
            "employment history",
            "work history",
        ),
        "volunteer": ("volunteer", "volunteering", "volunteer experience", "volunteer work"),
        "education": ("education", "academic background"),
        "awards": ("awards", "honors", "honours", "awards and honors"),
        "certificates": ("certificates", "certifications", "licenses and certifications"),
        "publications": ("publications",),
        "skills": ("skills", "technical skills", "core skills", "competencies"),
        "languages": ("languages",),
        "interests": ("interests", "hobbies"),
        "references": ("references",),
        "projects": ("projects", "personal projects", "selected projects"),
    }.items()
}


@dataclass(frozen=True)
class Finding:
    """One thing a parser would read wrong: where in the CV, and what."""

    where: str  # "Experience › Senior Platform Engineer", "contact", "name", "fonts" ...
    message: str


class _Reading:
    """The extracted text as lines, searchable in order (white space collapsed)."""

    def __init__(self, text: PdfText) -> None:
        self.lines = [
            collapsed(line)
            for page in text.pages
            for line in page.text.replace("\r", "").split("\n")
            if line.strip()
        ]
        self.flat = " ".join(self.lines)
        self.squashed = squashed(self.flat)
        self.line_at: list[int] = []  # character offset in `flat` -> line index
        for index, line in enumerate(self.lines):
            self.line_at.extend([index] * (len(line) + 1))
        # squashed offset -> flat offset, to map a squashed match back to its line
        self.flat_of: list[int] = [
            i for i, ch in enumerate(self.flat.casefold()) if not ch.isspace()
        ]

    def find(self, needle: str, start_line: int = 0) -> int | None:
        """The line where `needle` (collapsed, case-insensitive) starts, from `start_line`
        on: the first line it begins, else the first it is in (it may run over a line
        break; see `whole`)."""
        target = squashed(needle)
        if not target:
            return None
        for index in range(max(start_line, 0), len(self.lines)):
            if squashed(" ".join(self.lines[index : index + 3])).startswith(target):
                return index
        begin = self._squashed_offset(start_line)
        at = self.squashed.find(target, begin)
        if at < 0:
            return None
        return self.line_at[self.flat_of[at]]

    def _squashed_offset(self, line: int) -> int:
        if line <= 0:
            return 0
        flat = sum(len(x) + 1 for x in self.lines[:line])
        return next((i for i, f in enumerate(self.flat_of) if f >= flat), len(self.squashed))

    def whole(self, needle: str) -> bool:
        """Whether `needle` stands on one line, as written (case and spaces aside)."""
        target = collapsed(needle).casefold()
        return any(target in line.casefold() for line in self.lines)

    def split(self, needle: str) -> bool:
        """Whether `needle` runs from one line onto the next (a hyphen at the break or not)."""
        target = squashed(needle)
        for first, second in zip(self.lines, self.lines[1:], strict=False):
            joined = squashed(first + second)
            if target in joined or target in squashed(first.removesuffix("-") + second):
                return True
        return False

    def count(self, needle: str) -> int:
        """How often `needle` occurs anywhere (also across the end of one text and the start
        of the next: an upper bound)."""
        target = squashed(needle)
        return self.squashed.count(target) if target else 0

    def count_starts(self, needle: str) -> int:
        """How many lines `needle` starts (after a list bullet): a lower bound, no
        occurrence made of two texts' ends."""
        target = squashed(needle)
        if not target:
            return 0
        return sum(
            1
            for i in range(len(self.lines))
            if squashed(" ".join(self.lines[i : i + 8])).lstrip("•·-*").startswith(target)
        )


def _entry_name(section: Mapping[str, Any], entry: Mapping[str, Any]) -> str:
    title = plain(entry.get("title") or []) or plain(entry.get("org") or [])
    return f"{section.get('title', '')} › {title}" if title else str(section.get("title", ""))


def _contact_values(contact: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
    """(kind, the part a parser must read whole): an address, a number, a profile's handle."""
    for item in contact:
        kind, text = str(item.get("kind", "")), str(item.get("text", ""))
        if kind == "location" or not text:
            continue
        if kind == "profile" and ": " in text:
            text = text.split(": ", 1)[1]
        yield kind, text


def check_reading(document: Mapping[str, Any], text: PdfText) -> list[Finding]:
    """Every finding for a PDF typeset from `document` whose text read back as `text`."""
    reading = _Reading(text)
    found: list[Finding] = []
    basics = document.get("basics") or {}
    name = collapsed(plain(basics.get("name") or []))
    if name and (not reading.lines or reading.lines[0].casefold() != name.casefold()):
        first = reading.lines[0] if reading.lines else ""
        found.append(
            Finding(
                "name",
                f"the first line a parser reads is “{first[:60]}”, not the name “{name}”;"
                " most take the first line as the candidate's name",
            )
        )
    for kind, value in _contact_values(basics.get("contact") or []):
        if reading.whole(value):
            continue
        if reading.split(value):
            message = "is broken across lines or by a hyphen; a parser reads it in pieces"
        else:
            message = "is missing from the text; a parser cannot read it"
        found.append(Finding("contact", f"the {kind} “{value}” {message}"))
    ligatures = sorted(set(LIGATURES.findall(reading.flat)))
    if ligatures:
        found.append(
            Finding(
                "fonts",
                f"ligature characters {' '.join(ligatures)} in the text; a parser searching"
                " for “fi” or “fl” words will not match them",
            )
        )
    found += _sections(document, reading)
    found += _lost_or_doubled(document, reading)
    if text.unembedded:
        found.append(
            Finding(
                "fonts",
                f"not embedded: {', '.join(text.unembedded)}; a reader substitutes another"
                " font and a parser may map its glyphs to the wrong letters",
            )
        )
    return found


def _sections(document: Mapping[str, Any], reading: _Reading) -> list[Finding]:
    """Headings a parser knows, each on its own line; entries in order, heads together."""
    found: list[Finding] = []
    labels = document.get("labels") or {}
    cursor = 0
    for section in document.get("sections") or []:
        title = collapsed(str(section.get("title", "")))
        key = str(section.get("key", ""))
        known = STANDARD_HEADINGS.get(key)
        if known is not None and section.get("kind") not in ("custom", "markdown"):
            own = str(labels.get(key, "")).casefold()
            if title.casefold() not in known and title.casefold() != own:
                found.append(
                    Finding(
                        title,
                        f"the heading “{title}” is not one parsers know for this section"
                        f" (such as “{sorted(known)[0].title()}”); they may not file"
                        " its entries under it",
                    )
                )
        heading = [i for i, line in enumerate(reading.lines) if line.casefold() == title.casefold()]
        after = [i for i in heading if i >= cursor]
        if after:
            cursor = after[0]
        elif not heading:  # (a side column's heading comes before the main column's)
            found.append(
                Finding(title, f"the heading “{title}” is not a line of its own in the text")
            )
        if section.get("layout") != "entries":
            continue
        for entry in section.get("entries") or []:
            finding, cursor = _entry(section, entry, reading, cursor)
            found += finding
    return found


def _entry(
    section: Mapping[str, Any], entry: Mapping[str, Any], reading: _Reading, cursor: int
) -> tuple[list[Finding], int]:
    """Findings for one entry, and the line to look for the next entry from."""
    where = _entry_name(section, entry)
    head = [
        ("title", plain(entry.get("title") or [])),
        ("organisation", plain(entry.get("org") or [])),
        ("dates", str(entry.get("date") or "")),
    ]
    head = [(label, value) for label, value in head if value.strip()]
    if not head:
        return [], cursor
    # the entry is where its first head part is (its title, else its organisation ...)
    first_label, first = head[0]
    anchor = reading.find(first, cursor)
    if anchor is None:
        missing = reading.find(first) is None
        what = "is missing from the text" if missing else "comes out before the entries above it"
        finding = f"the {first_label} “{first}” {what}; a parser loses the entry's order"
        return [Finding(where, finding)], cursor
    problems = []
    for label, value in head[1:]:
        at = reading.find(value, max(anchor - NEAR_LINES, 0))
        if at is None:
            problems.append(f"the {label} “{value}” is missing from the text")
        elif abs(at - anchor) > NEAR_LINES:
            problems.append(
                f"the {label} “{value}” comes out {abs(at - anchor)} lines from the"
                f" {first_label}; a parser may give it to another entry"
            )
    return [Finding(where, p) for p in problems], anchor + 1


def _units(document: Mapping[str, Any]) -> list[str]:
    """The CV's texts a parser must find exactly as often as the CV has them."""
    units = []
    for section in document.get("sections") or []:
        for entry in section.get("entries") or []:
            units += [plain(h) for h in entry.get("highlights") or []]
            units.append(plain(entry.get("title") or []))
    return [u for u in units if len(squashed(u)) >= 12]


def _corpus(document: Mapping[str, Any]) -> list[str]:
    """Every text of the CV, squashed: how often a unit may rightly occur."""
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            if "text" in value and isinstance(value["text"], str):
                texts.append(value["text"])
            for key, inner in value.items():
                if key not in ("text", "url", "data", "org_url", "id", "key", "kind", "layout"):
                    walk(inner)
        elif isinstance(value, list):
            if value and all(isinstance(v, Mapping) and "text" in v for v in value):
                texts.append(plain(value))  # a span list: its text as one
                return
            for inner in value:
                walk(inner)

    walk({k: v for k, v in document.items() if k != "meta"})
    return [squashed(t) for t in texts]


def _lost_or_doubled(document: Mapping[str, Any], reading: _Reading) -> list[Finding]:
    found: list[Finding] = []
    corpus = " ".join(_corpus(document))
    for unit in dict.fromkeys(_units(document)):
        expected = corpus.count(squashed(unit))
        if reading.count(unit) < expected:
            found.append(Finding(unit[:50], "is missing from the text; a parser never sees it"))
        elif (got := reading.count_starts(unit)) > expected:
            found.append(
                Finding(
                    unit[:50], f"comes out {got} times, not {expected}; a parser reads it twice"
                )
            )
    return found
