"""Reading the dates people write in JSON Resume files.

The schema's own form is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (its pattern also lets through
impossible ones such as `2021-02-29` or month `13`). Real files add `"Present"` end dates
and full ISO timestamps. `read_date` turns all of these into the schema's form, saying
what it did (a warning), and refuses only what it cannot read (an error, as the schema
would too).
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass

DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"
ONGOING = frozenset({"present", "current", "now", "today", "ongoing"})
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only
# The official schema's pattern: anything it accepts must build.
_SCHEMA_DATE = re.compile(r"[1-2][0-9]{3}(?:-[0-1][0-9](?:-[0-3][0-9])?)?")
_TIMESTAMP = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?",
    re.IGNORECASE,
)


# English month names and their three-letter forms (Sept too): "March 2020", "Mar. 2020".
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}
_WORDS = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})", re.ASCII)
_NUMBERS = re.compile(r"(\d{4})[/.-](\d{1,2})(?:[/.-](\d{1,2}))?|(\d{1,2})[/.](\d{4})", re.ASCII)


def suggested_date(text: str) -> str | None:
    """The schema's form of a date written as people write them ("March 2020" -> 2020-03,
    "5 March 2020" -> 2020-03-05, 2020/03 and 2020-3 -> 2020-03, 03/2020 -> 2020-03), or None. Only
    advice: such a date is still an error, since 03/04/2020 cannot be read one way."""
    text = text.strip()
    year: str | None = None
    month = day = 0
    if words := _WORDS.fullmatch(text):
        month = _MONTHS.get(words[2].lower(), 0)
        year, day = words[4], int(words[1] or words[3] or 0)
    elif numbers := _NUMBERS.fullmatch(text):
        year = numbers[1] or numbers[5]
        month, day = int(numbers[2] or numbers[4]), int(numbers[3] or 0)
    if year is None or not 1 <= month <= 12 or not 1000 <= int(year) <= 2999:
        return None
    if day and not 1 <= day <= calendar.monthrange(int(year), month)[1]:
        return None
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


@dataclass(frozen=True)
class DateReading:
    """`value` is the date in the schema's form, or None (ongoing, or unreadable).

    `message` says what happened when it is not simply the date as written: a warning
    when `error` is false (the build goes on), else why the text is not a date.
    """

    value: str | None
    message: str = ""
    error: bool = False


def read_date(text: str, *, end: bool = False) -> DateReading:
    """Read a date field (`end`: it is an `endDate`, where "Present" means ongoing)."""
    quoted = json.dumps(text, ensure_ascii=False)
    if end and text.lower() in ONGOING:
        return DateReading(
            None, f"{quoted} read as ongoing; leave out `endDate` for something still going on"
        )
    stamp = _TIMESTAMP.fullmatch(text)
    if stamp:
        day = read_date(stamp.group(1))
        if day.error or day.message:
            return day
        return DateReading(day.value, f"{quoted} read as {day.value}; write the date only")
    expected = f"expected {DATE_FORMATS}, got {quoted}"
    match = _DATE.fullmatch(text)
    if not match:
        fix = suggested_date(text)
        return DateReading(None, f"{expected}; write `{fix}`" if fix else expected, error=True)
    year, month, day_ = (int(part) if part else None for part in match.groups())
    assert year is not None
    if not 1000 <= year <= 2999:
        return DateReading(None, f"{expected} (the year must be between 1000 and 2999)", True)
    problem, readable = "", text
    if month is not None and not 1 <= month <= 12:
        problem, readable = f"there is no month {month}", text[:4]
    elif month is not None and day_ is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day_ <= days:
            problem = f"{calendar.month_name[month]} {year} has {days} days"
            readable = text[:7]
    if not problem:
        return DateReading(text)
    if _SCHEMA_DATE.fullmatch(text):
        return DateReading(readable, f"{quoted} is not a date ({problem}); read as {readable}")
    return DateReading(None, f"{expected} ({problem})", error=True)
