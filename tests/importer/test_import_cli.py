"""`cvgen import` into a site: never overwrites unasked, reports, edits cvgen.yaml safely."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from cvgen.cli import cli

DATA = Path(__file__).parent / "data"
V0 = {
    "basics": {"name": "Cy Dahl", "website": "https://cy.example.com", "picture": ""},
    "work": [
        {
            "company": "Initech",
            "position": "Dev",
            "website": "https://initech.example.com",
            "startDate": "2019-02",
        }
    ],
    "projects": [{"name": "tpsr", "summary": "Reports."}],
    "talks": [{"title": "On TPS", "date": "Spring 2020"}],
}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert run("new", str(site), "--no-ci").exit_code == 0
    return site


def test_import_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run("import", str(DATA / "rendercv_v1.yaml"), "--root", str(site))
    assert result.exit_code == 1
    assert (
        "Error: content/cv.yaml exists already; nothing was written (`--force` replaces it)"
        in result.output
    )
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_import_with_force_writes_cv_and_settings(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    result = run("import", str(DATA / "rendercv_v1.yaml"), "--root", str(site), "--force")
    assert result.exit_code == 0, result.output
    assert "  wrote content/cv.yaml\n" in result.output
    assert "  translated design.theme classic -> theme classic\n" in result.output
    assert (
        "  not used: design: color, disable_page_numbering (cvgen's themes style the page)\n"
        in result.output
    )
    config = yaml.safe_load((site / "cvgen.yaml").read_text())
    assert config["theme"] == "classic"
    assert config["site"]["language"] == "de"
    assert config["sections"]["order"] == ["work", "education", "certificates"]
    assert yaml.safe_load((site / "content" / "cv.yaml").read_text())["basics"]["name"] == "Bo Berg"
    assert run("build", "--root", str(site)).exit_code == 0


def test_settings_the_file_already_has_are_left_for_pasting(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    config = site / "cvgen.yaml"
    config.write_text(config.read_text() + "sections:\n  hide: [references]\n")
    result = run("import", str(DATA / "rendercv_v1.yaml"), "--root", str(site), "--force")
    assert result.exit_code == 0, result.output
    assert (
        "  add to cvgen.yaml by hand (it was not safe to edit there):\n    sections:\n      order:\n"
        in result.output
    )
    assert yaml.safe_load(config.read_text())["sections"] == {"hide": ["references"]}


def test_entries_are_markdown_files_in_source_order(tmp_path: Path) -> None:
    source = tmp_path / "v2.yaml"
    source.write_text((DATA / "rendercv_v2.yaml").read_text().replace("  photo: ada.png\n", ""))
    site = tmp_path / "site"
    result = run("new", str(site), "--from", str(source), "--entries", "--no-ci")
    assert result.exit_code == 0, result.output
    assert "  wrote content/work/northwind-payments.md\n" in result.output
    text = (site / "content" / "work" / "northwind-payments.md").read_text()
    assert text.startswith("---\nname: Northwind Payments\nposition: Senior Platform Engineer\n")
    assert "order: 1\n---\nRuns the platform team.\n\n- Moved 120 services to *EKS*\n" in text
    assert run("build", "--root", str(site)).exit_code == 0
    page = (site / "output" / "index.html").read_text()
    assert page.index("Northwind Payments") < page.index("Contoso")  # newest first, as written


def test_json_resume_v0_names_become_v1(tmp_path: Path) -> None:
    for name, text in (("old.json", json.dumps(V0)), ("old.yaml", yaml.safe_dump(V0))):
        source = tmp_path / name
        source.write_text(text)
        site = tmp_path / name.replace(".", "-")
        result = run("new", str(site), "--from", str(source), "--no-ci")
        assert result.exit_code == 0, result.output
        assert "  translated work[].company -> name\n" in result.output
        assert "  translated projects[].summary -> description\n" in result.output
        cv = yaml.safe_load((site / "content" / "cv.yaml").read_text())
        assert cv["work"][0] == {
            "name": "Initech",
            "position": "Dev",
            "url": "https://initech.example.com",
            "startDate": "2019-02",
        }
        assert cv["basics"]["url"] == "https://cy.example.com"
        assert cv["talks"] == V0["talks"]
        built = run("build", "--root", str(site))
        assert built.exit_code == 0 and "v0" not in built.stderr


def test_a_resume_json_in_the_site_is_replaced_only_with_force(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    (site / "content" / "cv.yaml").unlink()
    (site / "content" / "resume.json").write_text(json.dumps({"basics": {"name": "Old"}}))
    refused = run("import", str(DATA / "rendercv_v1.yaml"), "--root", str(site))
    assert refused.exit_code == 1 and "content/resume.json exists already" in refused.output
    assert (site / "content" / "resume.json").exists()
    forced = run("import", str(DATA / "rendercv_v1.yaml"), "--root", str(site), "--force")
    assert "  removed content/resume.json (the imported CV replaces it)\n" in forced.output
    assert run("build", "--root", str(site)).exit_code == 0


def test_what_cannot_be_imported_is_named(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    other = tmp_path / "settings.yaml"
    other.write_text("foo: 1\nbar: [2]\n")
    result = run("import", str(other), "--root", str(site))
    assert result.exit_code == 1
    assert (
        f"Error: {other}: not a CV cvgen can import (its top-level keys are `foo`, `bar`); expected a RenderCV file (YAML with `cv:`)"
        in result.output
    )
    missing = run("import", str(tmp_path / "nope.yaml"), "--root", str(site))
    assert missing.exit_code == 1 and "nope.yaml: no such file or folder" in missing.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("cv:\n  name: [Ada\n")
    located = run("import", str(broken), "--root", str(site))
    assert located.exit_code == 1 and f"{broken}:3:1" in located.output
    assert "Traceback" not in result.output + missing.output + located.output
