"""`cvgen new`: a scaffolded site builds at once; a non-empty target is refused."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cvgen.build import build
from cvgen.cli import cli
from tests.conftest import REPO


def test_new_site_builds_at_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "mysite")])
    assert result.exit_code == 0, result.output
    site = tmp_path / "mysite"
    assert f"created a site in {site}" in result.output
    assert "cvgen build" in result.output
    assert (site / "cvgen.yaml").read_bytes() == (REPO / "cvgen.yaml").read_bytes()
    assert (site / "content" / "cv.yaml").read_bytes() == (
        REPO / "content" / "cv.yaml"
    ).read_bytes()
    assert (site / ".gitignore").read_text() == "/output/\n/.cvgen/\n"
    assert not (site / "theme").exists()  # the built-in theme comes from the package
    report = build(site)
    assert report.files >= 7
    assert b"Ada Lindqvist" in (site / "output" / "index.html").read_bytes()


def test_new_into_an_existing_empty_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "content" / "cv.yaml").is_file()


def test_new_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path} is not empty; choose a new or empty folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "f")])
    assert result.exit_code == 1
    assert "exists and is not a folder" in result.output
