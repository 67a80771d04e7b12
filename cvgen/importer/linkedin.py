"""LinkedIn's data export ("Get a copy of your data": CSV files) as JSON Resume data. Pure.

Each CSV file maps to one place: Profile.csv to `basics`, Positions.csv to `work`, and so
on (`FILES`). Columns are found by name, case and spacing aside, under every name LinkedIn
has used for them (`Company Name`, `Company`); a file may be missing, and a column the
table does not know is kept on its entry under its own name, so nothing written in the
export is dropped. Dates such as `Jan 2020` become `2020-01`; descriptions written as
bullet lists become highlights. Bookkeeping columns (`Confirmed`, `Updated On`) are not CV
text and are left out, named once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cvgen.errors import Issue
from cvgen.importer.dates import read_free_date
from cvgen.importer.model import Imported


@dataclass(frozen=True)
class Table:
    """One CSV file of the export: its names, the section it fills, column -> field."""

    names: tuple[str, ...]  # file names LinkedIn has used (matched case-insensitively)
    section: str  # JSON Resume section, or a custom section's key
    columns: Mapping[str, str]  # normalised column name -> field ("" : bookkeeping, left out)
    dates: Mapping[str, str] = field(default_factory=dict)  # column -> start / end / date
    text: str = ""  # the field a description's text goes to (its bullets: `highlights`)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


TABLES: tuple[Table, ...] = (
    Table(
        ("Positions.csv",),
        "work",
        {"companyname": "name", "company": "name", "title": "position", "location": "location"},
        {
            "startedon": "startDate",
            "startdate": "startDate",
            "finishedon": "endDate",
            "enddate": "endDate",
        },
        text="summary",
    ),
    Table(
        ("Education.csv",),
        "education",
        {
            "schoolname": "institution",
            "school": "institution",
            "degreename": "studyType",
            "degree": "studyType",
            "fieldofstudy": "area",
            "notes": "summary",
            "activities": "activities",
        },
        {
            "startdate": "startDate",
            "startedon": "startDate",
            "enddate": "endDate",
            "finishedon": "endDate",
        },
    ),
    Table(("Skills.csv",), "skills", {"name": "name", "skill": "name"}),
    Table(
        ("Languages.csv",),
        "languages",
        {"name": "language", "language": "language", "proficiency": "fluency"},
    ),
    Table(
        ("Certifications.csv",),
        "certificates",
        {"name": "name", "url": "url", "authority": "issuer", "licensenumber": "licenseNumber"},
        {"startedon": "date", "finishedon": "expires"},
    ),
    Table(
        ("Projects.csv",),
        "projects",
        {"title": "name", "name": "name", "url": "url"},
        {"startedon": "startDate", "finishedon": "endDate"},
        text="description",
    ),
    Table(
        ("Honors.csv", "Honors and Awards.csv"),
        "awards",
        {"title": "title", "description": "summary", "issuer": "awarder"},
        {"issuedon": "date"},
    ),
    Table(
        ("Publications.csv",),
        "publications",
        {
            "name": "name",
            "title": "name",
            "description": "summary",
            "publisher": "publisher",
            "url": "url",
        },
        {"publishedon": "releaseDate"},
    ),
    Table(
        ("Volunteering.csv", "Volunteer Experiences.csv", "Volunteer.csv"),
        "volunteer",
        {
            "companyname": "organization",
            "organization": "organization",
            "role": "position",
            "cause": "cause",
        },
        {"startedon": "startDate", "finishedon": "endDate"},
        text="summary",
    ),
    Table(("Courses.csv",), "courses", {"name": "name", "number": "number"}),
    Table(
        ("Email Addresses.csv", "EmailAddresses.csv", "Email.csv"),
        "email",
        {
            "emailaddress": "email",
            "email": "email",
            "confirmed": "",
            "primary": "",
            "updatedon": "",
        },
    ),
    Table(
        ("PhoneNumbers.csv", "Phone Numbers.csv"),
        "phone",
        {"number": "number", "phonenumber": "number", "type": "type", "extension": "extension"},
    ),
    Table(
        ("Profile.csv",),
        "basics",
        {
            "firstname": "firstName",
            "lastname": "lastName",
            "headline": "label",
            "summary": "summary",
            "geolocation": "city",
            "location": "city",
            "zipcode": "postalCode",
            "address": "address",
            "websites": "websites",
            "twitterhandles": "twitter",
        },
    ),
)
FILE_NAMES = tuple(name for table in TABLES for name in table.names)
_BULLET = re.compile(r"^\s*(?:[-*•·●▪◦–—]|\d+[.)])\s+")
_WEBSITE = re.compile(r"^(?:([A-Z_]+):)?(.+)$")


def looks_like_linkedin(files: Mapping[str, str]) -> bool:
    """Whether `files` (name -> text) hold any CSV of LinkedIn's export that a CV uses."""
    return bool(_found(files))


def _found(files: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Table section -> (file name as found, text)."""
    # in a ZIP the files sit in a folder (`Basic_LinkedInDataExport_12-01-2026/`)
    by_name = {
        _norm(name.rsplit("/", 1)[-1]): (name.rsplit("/", 1)[-1], text)
        for name, text in files.items()
    }
    found = {}
    for table in TABLES:
        for name in table.names:
            if _norm(name) in by_name:
                found[table.section] = by_name[_norm(name)]
                break
    return found


def import_linkedin(files: Mapping[str, str]) -> Imported:
    """The CV in LinkedIn's export (`files`: each CSV's name -> its text)."""
    result = Imported(kind="LinkedIn data export", resume={"basics": {}})
    found = _found(files)
    for table in TABLES:
        if table.section not in found:
            continue
        name, text = found[table.section]
        rows = _rows(name, text, table, result)
        _place(table, rows, result)
        count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        result.translated.append(f"{name} ({count}) -> {_target(table.section)}")
    missing = [t.names[0] for t in TABLES if t.section not in found]
    if missing:
        result.kept.append(f"not in the export (nothing to import): {', '.join(missing)}")
    return result


def _target(section: str) -> str:
    return {
        "email": "basics.email",
        "phone": "basics.phone",
        "courses": "custom section courses",
    }.get(section, section)


@dataclass
class Row:
    """One CSV row's fields, the line it starts on, and where each field came from."""

    line: int
    values: dict[str, str]
    columns: dict[str, str]  # field -> the column's name as written


def _rows(name: str, text: str, table: Table, result: Imported) -> list[Row]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header: list[str] | None = None
    rows: list[Row] = []
    start = 1
    dropped: set[str] = set()
    for cells in reader:
        if header is None:
            if any(_norm(c) in table.columns or _norm(c) in table.dates for c in cells):
                header = cells
            start = reader.line_num + 1
            continue
        if any(cell.strip() for cell in cells):
            values: dict[str, str] = {}
            columns: dict[str, str] = {}
            for column, cell in zip(header, cells, strict=False):
                key = _norm(column)
                target = table.columns.get(key, table.dates.get(key, _camel(column)))
                if not target:
                    dropped.add(column)
                elif cell.strip():
                    values[target] = cell.strip()
                    columns[target] = column
            rows.append(Row(start, values, columns))
        start = reader.line_num + 1
    for column in sorted(dropped):
        result.ignored.append(f"{name}: {column} (bookkeeping, not CV text)")
    if header is None and text.strip():
        result.warnings.append(
            Issue(
                name, 1, 1, "", "no header row with LinkedIn's column names; the file is not read"
            )
        )
    for row in rows:
        row.values = _dated(name, table, row, result)
    return rows


def _camel(column: str) -> str:
    """`License Number` -> `licenseNumber`: an unknown column's field name."""
    words = re.findall(r"[A-Za-z0-9]+", column)
    return (words[0].lower() + "".join(w.capitalize() for w in words[1:])) if words else "column"


def _dated(name: str, table: Table, row: Row, result: Imported) -> dict[str, str]:
    """The row's dates read as JSON Resume dates; unreadable ones kept under their column's name."""
    out: dict[str, str] = {}
    date_fields = set(table.dates.values())
    for key, value in row.values.items():
        if key not in date_fields or key == "expires":
            out[key] = value
            continue
        reading = read_free_date(value)
        if reading.value:
            out[key] = reading.value
        elif reading.ongoing and key == "endDate":
            continue
        else:
            column = row.columns[key]
            out[_camel(column)] = value
            result.warnings.append(
                Issue(
                    name,
                    row.line,
                    0,
                    column,
                    f"{value!r} is not a date cvgen can read; kept as written in "
                    f"`{_camel(column)}` (resume.json); write it as YYYY-MM to show it",
                )
            )
    return out


def split_description(text: str) -> tuple[str, list[str]]:
    """A description's text and its bullet lines (`- `, `• `, `1. `) as highlights."""
    prose: list[str] = []
    bullets: list[str] = []
    for line in text.splitlines():
        if _BULLET.match(line):
            bullets.append(_BULLET.sub("", line, count=1).strip())
        elif line.strip():
            if bullets:  # text after a list continues its last item
                bullets[-1] += " " + line.strip()
            else:
                prose.append(line.strip())
    return "\n".join(prose), bullets


def _place(table: Table, rows: list[Row], result: Imported) -> None:
    basics = result.resume["basics"]
    if table.section == "basics":
        for row in rows[:1]:
            _profile(row.values, basics, result)
        return
    if table.section == "email":
        emails = [row.values["email"] for row in rows if "email" in row.values]
        if emails:
            basics.setdefault("email", emails[0])
        if len(emails) > 1:
            basics["allEmails"] = emails
            result.kept.append("every email address in basics.allEmails (resume.json)")
        return
    if table.section == "phone":
        phones = [row.values for row in rows if "number" in row.values]
        if phones:
            first = phones[0]
            extension = f" ext. {first['extension']}" if "extension" in first else ""
            basics.setdefault("phone", first["number"] + extension)
        if len(phones) > 1 or any(set(p) - {"number"} for p in phones):
            basics["allPhones"] = phones
            result.kept.append("phone numbers with their types in basics.allPhones (resume.json)")
        return
    entries = []
    for row in rows:
        entry: dict[str, Any] = dict(row.values)
        description = entry.pop("description", None)
        if description is not None:
            text, bullets = split_description(description) if table.text else (description, [])
            if text:
                entry[table.text or "description"] = text
            if bullets:
                entry["highlights"] = bullets
        entries.append(entry)
    if entries:
        result.resume.setdefault(table.section, []).extend(entries)


def _profile(values: Mapping[str, str], basics: dict[str, Any], result: Imported) -> None:
    name = " ".join(values[k] for k in ("firstName", "lastName") if k in values)
    if name:
        basics["name"] = name
    for key in ("label", "summary"):
        if key in values:
            basics[key] = values[key]
    location = {k: values[k] for k in ("address", "postalCode", "city") if k in values}
    if location:
        basics["location"] = location
    for website in _listed(values.get("websites", "")):
        kind, url = _WEBSITE.match(website).groups() if _WEBSITE.match(website) else ("", website)  # type: ignore[union-attr]
        url = url.strip()
        if not url.startswith(("http://", "https://")):
            url = f"https://{url}"
        if kind in (None, "PERSONAL", "PORTFOLIO") and "url" not in basics:
            basics["url"] = url
        else:
            network = (kind or "Website").replace("_", " ").capitalize()
            basics.setdefault("profiles", []).append({"network": network, "url": url})
    for handle in _listed(values.get("twitter", "")):
        username = handle.lstrip("@")
        basics.setdefault("profiles", []).append(
            {"network": "Twitter", "username": username, "url": f"https://twitter.com/{username}"}
        )
    known = {
        "firstName",
        "lastName",
        "label",
        "summary",
        "address",
        "postalCode",
        "city",
        "websites",
        "twitter",
    }
    others = {k: v for k, v in values.items() if k not in known}
    if others:
        basics.update(others)
        result.kept.append(
            f"Profile.csv: {', '.join(others)} in basics (published in resume.json; keep "
            f"them off the public site with `privacy: {{public_hide: [{', '.join(others)}]}}` "
            "in cvgen.yaml)"
        )


def _listed(text: str) -> list[str]:
    """LinkedIn's `[PERSONAL:https://a.example,OTHER:b.example]` as its items."""
    inner = text.strip().removeprefix("[").removesuffix("]")
    return [item.strip() for item in inner.split(",") if item.strip()]
