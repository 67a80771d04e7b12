"""Free-text dates ("Sept 2020", "09/2020", "2019 – present") read as JSON Resume dates.

RenderCV's `date:` and LinkedIn's `Started On` are text. What can be read without
guessing becomes `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; what cannot ("Fall 2021", "Q3 2020")
is left for the caller to keep as written, with a warning. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvgen.content.dates import ONGOING, read_date

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>[0-9]{4})"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_FORMS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"{_MONTH},?\s+{_YEAR}",  # Jan 2020, Sept. 2020, January, 2020
        rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # 15 Jan 2020
        rf"{_MONTH}\s+{_DAY},\s*{_YEAR}",  # Jan 15, 2020
        r"(?P<month>[0-9]{1,2})[/.](?P<year>[0-9]{4})",  # 09/2020, 9.2020
        r"(?P<year>[0-9]{4})[/.](?P<month>[0-9]{1,2})",  # 2020/09
    )
]
# Between the two ends of a range: an en or em dash, two hyphens, a spaced hyphen, "to"
_RANGE = re.compile(r"\s*(?:[–—]|--|\s-\s|\bto\b|\buntil\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FreeDate:
    """`value` in JSON Resume's form; `ongoing` for "present"; neither: not readable."""

    value: str = ""
    ongoing: bool = False

    @property
    def readable(self) -> bool:
        return bool(self.value) or self.ongoing


def read_free_date(text: str) -> FreeDate:
    """One date as people write it; `FreeDate()` when it cannot be read exactly."""
    text = text.strip()
    if text.lower() in ONGOING:
        return FreeDate(ongoing=True)
    reading = read_date(text)
    if reading.value and not reading.error and not reading.message:
        return FreeDate(reading.value)
    for form in _FORMS:
        found = form.fullmatch(text)
        if found is None:
            continue
        month_text = found["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower(), 0)
        day = int(found["day"]) if "day" in found.groupdict() and found["day"] else 0
        candidate = f"{found['year']}-{month:02d}" + (f"-{day:02d}" if day else "")
        checked = read_date(candidate)
        if 1 <= month <= 12 and checked.value == candidate and not checked.message:
            return FreeDate(candidate)
    return FreeDate()


def read_free_range(text: str) -> tuple[FreeDate, FreeDate] | None:
    """`2019 – present`, `Jan 2019 to Mar 2020`, `Fall 2020--Fall 2021` (if both ends read):
    (start, end); a single readable date: (it, it); else None."""
    single = read_free_date(text)
    if single.value:
        return single, single
    parts = _RANGE.split(text.strip())
    if len(parts) == 2:
        start, end = read_free_date(parts[0]), read_free_date(parts[1])
        if start.value and end.readable:
            return start, end
    return None
