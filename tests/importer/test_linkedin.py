"""LinkedIn's data export (folder or ZIP) imported, in the column sets LinkedIn has used.

The fixtures are built here from the documented columns (exports are personal data; none
is public), with the odd cases real exports have: a UTF-8 BOM, quoted multi-line
descriptions written as bullet lists, empty dates, missing files, a column nobody knows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.importer.linkedin import import_linkedin, split_description
from tests.importer.lost import lost_texts

DESCRIPTION = (
    "Runs the platform team.\n• Moved 120 services to EKS\n• Cut deploys from 40 to 6 minutes"
)
# (file name, header, rows): the export as LinkedIn wrote it in 2023/2024
CURRENT = {
    "Profile.csv": (
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,"
        "Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers",
        [
            [
                "Ada",
                "Lindqvist",
                "",
                "",
                "",
                "Platform Engineer",
                'Builds paved roads, for "product" teams.',
                "Software Development",
                "",
                "Stockholm, Sweden",
                "[ada_codes]",
                "[PERSONAL:https://ada.example.com,OTHER:github.com/ada-l]",
                "",
            ]
        ],
    ),
    "Positions.csv": (
        "Company Name,Title,Description,Location,Started On,Finished On",
        [
            [
                "Northwind Payments",
                "Senior Platform Engineer",
                DESCRIPTION,
                "Stockholm",
                "Sep 2021",
                "",
            ],
            ["Contoso", "Engineer", "Billing.", "", "Jan 2017", "Aug 2021"],
            ["Fabrikam", "Intern", "", "", "Summer 2016", ""],
        ],
    ),
    "Education.csv": (
        "School Name,Start Date,End Date,Notes,Degree Name,Activities",
        [
            [
                "KTH Royal Institute of Technology",
                "2015",
                "2017",
                "Thesis on schedulers",
                "MSc",
                "Sailing club",
            ]
        ],
    ),
    "Skills.csv": ("Name", [["Python"], ["Kubernetes"]]),
    "Languages.csv": (
        "Name,Proficiency",
        [["Swedish", "Native or bilingual proficiency"], ["German", ""]],
    ),
    "Certifications.csv": (
        "Name,Url,Authority,Started On,Finished On,License Number",
        [
            [
                "AWS Solutions Architect",
                "https://aws.example.com/cert/1",
                "Amazon Web Services",
                "Mar 2022",
                "Mar 2025",
                "ABC-123",
            ]
        ],
    ),
    "Projects.csv": (
        "Title,Description,Url,Started On,Finished On",
        [
            [
                "cvgen",
                "A CV generator.\n- Static pages\n- No servers",
                "https://cvgen.example.com",
                "Sep 2020",
                "",
            ]
        ],
    ),
    "Honors.csv": ("Title,Description,Issued On", [["Best talk", "Platform Days", "Oct 2021"]]),
    "Publications.csv": (
        "Name,Published On,Description,Publisher,Url",
        [
            [
                "Paved roads at scale",
                "Mar 2022",
                "On platforms.",
                "Platform Journal",
                "https://journal.example.com/1",
            ]
        ],
    ),
    "Volunteering.csv": (
        "Company Name,Role,Cause,Started On,Finished On,Description",
        [["Code Club", "Mentor", "Education", "Jan 2019", "", "Teaching kids to code."]],
    ),
    "Courses.csv": ("Name,Number", [["Distributed Systems", "ID2203"]]),
    "Email Addresses.csv": (
        "Email Address,Confirmed,Primary,Updated On",
        [
            ["ada@example.com", "Yes", "Yes", "6/1/20, 8:00 AM"],
            ["ada@work.example.com", "Yes", "No", ""],
        ],
    ),
    "PhoneNumbers.csv": ("Extension,Number,Type", [["", "+46 70 123 45 67", "Mobile"]]),
}
BOOKKEEPING = {"Confirmed", "Primary", "Updated On"}
DATES = {"Started On", "Finished On", "Start Date", "End Date", "Issued On", "Published On"}


def csv_text(header: str, rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # LinkedIn writes CRLF and quotes as needed
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return out.getvalue()


def export(shape: dict[str, tuple[str, list[list[str]]]], *, bom: bool = True) -> dict[str, str]:
    return {
        name: ("\ufeff" if bom else "") + csv_text(h, rows) for name, (h, rows) in shape.items()
    }


def texts_of(shape: dict[str, tuple[str, list[list[str]]]]) -> list[str]:
    """Every CV text of an export: each cell but bookkeeping, with descriptions line by line
    (their bullets become highlights) and dates left to the date tests."""
    out = []
    for header, rows in shape.values():
        columns = header.split(",")
        for row in rows:
            for column, cell in zip(columns, row, strict=True):
                if not cell or column in BOOKKEEPING or (column in DATES and cell != "Summer 2016"):
                    continue
                if column == "Websites":
                    out += [item.split(":", 1)[1] for item in cell.strip("[]").split(",")]
                elif column == "Description":
                    text, bullets = split_description(cell)
                    out += [*text.splitlines(), *bullets]
                else:
                    out.append(cell.strip("[]"))
    return out


def test_current_export_maps_every_file() -> None:
    result = import_linkedin(export(CURRENT))
    resume = result.resume
    basics = resume["basics"]
    assert basics["name"] == "Ada Lindqvist"
    assert basics["label"] == "Platform Engineer"
    assert basics["url"] == "https://ada.example.com"
    assert basics["profiles"] == [
        {"network": "Other", "url": "https://github.com/ada-l"},
        {"network": "Twitter", "username": "ada_codes", "url": "https://twitter.com/ada_codes"},
    ]
    assert basics["email"] == "ada@example.com"
    assert basics["phone"] == "+46 70 123 45 67"
    assert basics["location"] == {"city": "Stockholm, Sweden"}
    assert resume["work"][0] == {
        "name": "Northwind Payments",
        "position": "Senior Platform Engineer",
        "summary": "Runs the platform team.",
        "highlights": ["Moved 120 services to EKS", "Cut deploys from 40 to 6 minutes"],
        "location": "Stockholm",
        "startDate": "2021-09",
    }
    assert resume["work"][1]["endDate"] == "2021-08"
    assert resume["education"][0]["startDate"] == "2015"
    assert resume["certificates"][0] == {
        "name": "AWS Solutions Architect",
        "url": "https://aws.example.com/cert/1",
        "issuer": "Amazon Web Services",
        "date": "2022-03",
        "expires": "Mar 2025",
        "licenseNumber": "ABC-123",
    }
    assert resume["projects"][0]["highlights"] == ["Static pages", "No servers"]
    assert resume["awards"][0] == {
        "title": "Best talk",
        "summary": "Platform Days",
        "date": "2021-10",
    }
    assert resume["volunteer"][0]["organization"] == "Code Club"
    assert resume["courses"] == [{"name": "Distributed Systems", "number": "ID2203"}]
    assert "Email Addresses.csv: Confirmed (bookkeeping, not CV text)" in result.ignored
    assert (
        "Profile.csv: industry in basics (published in resume.json; keep them off the public "
        "site with `privacy: {public_hide: [industry]}` in cvgen.yaml)"
    ) in result.kept


def test_unreadable_and_empty_dates() -> None:
    result = import_linkedin(export(CURRENT))
    intern = result.resume["work"][2]
    assert "startDate" not in intern and intern["startedOn"] == "Summer 2016"
    [warning] = result.warnings
    # row 4 of Positions.csv: the description of row 2 spans three lines
    assert warning.describe() == (
        "Positions.csv:6: Started On: 'Summer 2016' is not a date cvgen can read; kept as "
        "written in `startedOn` (resume.json); write it as YYYY-MM to show it"
    )


def test_older_column_sets_and_missing_files() -> None:
    old = {
        "Profile.csv": (
            "First Name,Last Name,Maiden Name,Address,Birth Date,Contact Instructions,"
            "Marital Status,Headline,Summary,Industry,Association,Zip Code,Geo Location,"
            "Twitter Handles,Websites,Instant Messengers",
            [
                [
                    "Bo",
                    "Berg",
                    "",
                    "",
                    "",
                    "Email me",
                    "",
                    "Analyst",
                    "",
                    "",
                    "",
                    "",
                    "Uppsala",
                    "",
                    "",
                    "",
                ]
            ],
        ),
        "Positions.csv": (
            "Company Name,Title,Description,Started On,Finished On",
            [["Fabrikam", "Analyst", "- Forecasts\n- Dashboards", "Jan 2019", "Dec 2020"]],
        ),
        "Phone Numbers.csv": ("Number,Type", [["018-123 45", "Work"]]),
    }
    result = import_linkedin(export(old, bom=False))
    assert result.resume["work"] == [
        {
            "name": "Fabrikam",
            "position": "Analyst",
            "highlights": ["Forecasts", "Dashboards"],
            "startDate": "2019-01",
            "endDate": "2020-12",
        }
    ]
    assert result.resume["basics"]["contactInstructions"] == "Email me"  # an unknown column, kept
    assert result.resume["basics"]["phone"] == "018-123 45"
    assert any(
        line.startswith("not in the export") and "Education.csv" in line for line in result.kept
    )


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_import_then_build_loses_nothing(tmp_path: Path, form: str) -> None:
    files = export(CURRENT)
    if form == "folder":
        source = tmp_path / "Basic_LinkedInDataExport_12-01-2026"
        source.mkdir()
        for name, text in files.items():
            (source / name).write_text(text, encoding="utf-8", newline="")
    else:
        source = tmp_path / "export.zip"
        with zipfile.ZipFile(source, "w") as archive:
            for name, text in files.items():
                archive.writestr(f"Basic_LinkedInDataExport_12-01-2026/{name}", text)
    site = tmp_path / "site"
    runner = CliRunner()
    made = runner.invoke(cli, ["new", str(site), "--from", str(source), "--no-ci"])
    assert made.exit_code == 0, made.output
    assert "translated Positions.csv (3 rows) -> work" in made.output
    assert "translated Education.csv (1 row) -> education" in made.output
    built = runner.invoke(cli, ["build", "--root", str(site)])
    assert built.exit_code == 0, built.output
    assert ": warning: " not in built.stderr  # what the import kept aside reads cleanly
    assert lost_texts(texts_of(CURRENT), site / "output") == []


def test_a_folder_without_the_export_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "site"), "--from", str(tmp_path)])
    assert result.exit_code == 1
    assert "none of LinkedIn's CSV files found; expected a RenderCV file" in result.output
    assert not (tmp_path / "site").exists()
