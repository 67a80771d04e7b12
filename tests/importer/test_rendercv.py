"""RenderCV files (v1 and v2) imported: every entry type placed, settings mapped, nothing lost."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.importer.rendercv import entry_type, import_rendercv, section_heading, split_list
from cvgen.yamldoc import parse_yaml
from tests.importer.lost import lost_texts, rendercv_texts

DATA = Path(__file__).parent / "data"


def png() -> bytes:
    """A 1x1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def imported(name: str):  # type: ignore[no-untyped-def]
    path = DATA / name
    return import_rendercv(parse_yaml(path.read_text(encoding="utf-8"), str(path)))


def test_every_entry_type_finds_its_place() -> None:
    result = imported("rendercv_v2.yaml")
    resume = result.resume
    assert resume["basics"]["label"] == "Platform Engineer"
    assert resume["summary"] == ["Builds **paved roads** for product teams."]
    assert resume["work"][0] == {
        "name": "Northwind Payments",
        "position": "Senior Platform Engineer",
        "location": "Stockholm",
        "summary": "Runs the platform team.",
        "highlights": ["Moved 120 services to *EKS*", "Cut deploys from 40 to 6 minutes"],
        "startDate": "2021-09",
    }
    assert resume["work"][1]["startDate"] == "2017" and resume["work"][1]["endDate"] == "2021"
    # a second experience section is a custom section with JSON Resume's field names
    assert resume["research-experience"] == [
        {"position": "Research assistant", "name": "KTH", "date": "Summer 2016"}
    ]
    assert resume["education"][0]["studyType"] == "MSc"
    assert resume["projects"][0]["name"] == "cvgen"
    assert resume["projects"][0]["url"] == "https://cvgen.example.com/"
    assert resume["projects"][0]["startDate"] == "2020-09"
    publication = resume["publications"][0]
    assert publication["publisher"] == "Platform Journal"
    assert publication["url"] == "https://doi.org/10.1234/pr.2022"
    assert publication["releaseDate"] == "2022-03"
    assert resume["skills"][0] == {
        "name": "Languages",
        "keywords": ["Python", "Go", "SQL (Postgres, SQLite)"],
    }
    assert resume["languages"] == [{"language": "Swedish", "fluency": "Native"}]
    assert resume["awards"][0]["title"] == "Best talk"
    assert resume["other-hobbies"] == ["Sailing", "Chess"]  # not a typo of `hobbies`
    assert resume["notes"][0] == "A plain text paragraph."
    assert result.order == [
        "summary", "work", "research-experience", "education", "projects", "publications", "skills",
        "languages", "awards", "invited-talks", "other-hobbies", "selected-numbers",
        "additional-information", "notes",
    ]  # fmt: skip
    assert result.titles["additional-information"] == "Additional Information"
    assert result.titles["invited-talks"] == "Invited Talks"


def test_settings_are_mapped_or_named_once() -> None:
    v2, v1 = imported("rendercv_v2.yaml"), imported("rendercv_v1.yaml")
    assert (v2.theme, v2.language) == ("default", "sv")
    assert (v1.theme, v1.language) == ("classic", "de")
    assert "design.theme sb2nov -> theme default" in v2.translated
    assert "locale_catalog.language german -> site.language de" in v1.translated
    assert any(line.startswith("design: page") for line in v2.ignored)
    assert any(line.startswith("rendercv_settings") for line in v2.ignored)
    assert any("abbreviations_for_months" in line for line in v1.ignored)
    assert v1.resume["basics"]["profiles"] == [
        {"network": "LinkedIn", "username": "bo-berg", "url": "https://linkedin.com/in/bo-berg"}
    ]
    assert v1.resume["certificates"] == [{"name": "AWS Certified Data Engineer", "date": "2023-05"}]


def test_unreadable_dates_are_kept_with_a_located_warning() -> None:
    result = imported("rendercv_v2.yaml")
    messages = [issue.describe() for issue in result.warnings]
    file = str(DATA / "rendercv_v2.yaml")
    assert (
        f"{file}:40:15: cv.sections.research_experience[0].date: 'Summer 2016' is not a date cvgen can read; kept as written (the page shows it so)"
        in messages
    )
    assert (
        f"{file}:74:15: cv.sections.awards[0].date: 'Fall 2021' is not a date cvgen can read; "
        "kept as written in `dateText` (resume.json); the page shows dates in YYYY-MM"
    ) in messages
    assert result.resume["awards"][0]["dateText"] == "Fall 2021"  # kept as written, not dropped
    assert result.resume["invited-talks"][0]["date"] == "Fall 2020--Fall 2021"


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        ("text", "text"),
        ({"bullet": "x"}, "bullet"),
        ({"number": "x"}, "numbered"),
        ({"label": "a", "details": "b"}, "one_line"),
        ({"title": "a", "authors": ["b"]}, "publication"),
        ({"institution": "a", "area": "b"}, "education"),
        ({"company": "a", "position": "b"}, "experience"),
        ({"name": "a"}, "normal"),
    ],
)
def test_entry_types(entry: object, kind: str) -> None:
    assert entry_type(entry) == kind


def test_headings_and_lists() -> None:
    assert section_heading("invited_talks") == "Invited Talks"
    assert section_heading("publications_and_preprints") == "Publications and Preprints"
    assert section_heading("Education & Certificates") == "Education & Certificates"
    assert split_list("Python, SQL (Postgres, SQLite); Go") == [
        "Python",
        "SQL (Postgres, SQLite)",
        "Go",
    ]


@pytest.mark.parametrize("name", ["rendercv_v2.yaml", "rendercv_v1.yaml"])
@pytest.mark.parametrize("entries", [False, True])
def test_import_then_build_loses_nothing(tmp_path: Path, name: str, entries: bool) -> None:
    source = tmp_path / name
    source.write_bytes((DATA / name).read_bytes())
    (tmp_path / "ada.png").write_bytes(png())
    site = tmp_path / "site"
    runner = CliRunner()
    args = ["new", str(site), "--from", str(source), "--no-ci", *(["--entries"] if entries else [])]
    made = runner.invoke(cli, args)
    assert made.exit_code == 0, made.output
    built = runner.invoke(cli, ["build", "--root", str(site)])
    assert built.exit_code == 0, built.output
    assert ": warning: " not in built.stderr
    if name == "rendercv_v2.yaml":  # its photo, copied into content/, is on the site
        [photo] = (site / "output" / "assets").glob("photo.*.png")
        assert photo.read_bytes() == png()
    texts = rendercv_texts(parse_yaml(source.read_text(encoding="utf-8"), str(source)).data)
    assert lost_texts(texts, site / "output") == []
    config = yaml.safe_load((site / "cvgen.yaml").read_text())
    assert config["theme"] in ("default", "classic")
    assert config["sections"]["order"][:2] == (
        ["summary", "work"] if "v2" in name else ["work", "education"]
    )
    if entries:
        assert (site / "content" / "work" / "northwind-payments.md").exists() == (
            name == "rendercv_v2.yaml"
        )
        assert "work" not in yaml.safe_load((site / "content" / "cv.yaml").read_text())


def test_browser_shows_the_sections_in_renderCV_order(tmp_path: Path, page: object) -> None:
    """The built page of an imported RenderCV file, opened in Chromium: the source's section
    titles, in its order, and a date kept as written where the page shows dates."""
    source = tmp_path / "v2.yaml"
    source.write_text((DATA / "rendercv_v2.yaml").read_text().replace("  photo: ada.png\n", ""))
    site = tmp_path / "site"
    assert (
        CliRunner().invoke(cli, ["new", str(site), "--from", str(source), "--no-ci"]).exit_code == 0
    )
    assert CliRunner().invoke(cli, ["build", "--root", str(site)]).exit_code == 0
    page.goto((site / "output" / "index.html").as_uri())  # type: ignore[attr-defined]
    headings = page.locator("main h2").all_inner_texts()  # type: ignore[attr-defined]
    assert [h.lower() for h in headings] == [
        "summary", "experience", "research experience", "education", "projects",
        "publications", "skills", "languages", "awards", "invited talks", "hobbies",
        "selected numbers", "additional information", "notes",
    ]  # fmt: skip
    talks = page.locator("#invited-talks").inner_text()  # type: ignore[attr-defined]
    assert "Fall 2020--Fall 2021" in talks and "Roads not taken" in talks
    assert page.console_errors == []  # type: ignore[attr-defined]
