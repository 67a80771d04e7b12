"""`cvgen new`: a scaffolded site builds at once; a non-empty target is refused."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
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


@pytest.mark.slow
def test_the_wheel_works_outside_the_repo(tmp_path: Path) -> None:
    """The built wheel alone (themes and example inside it) runs `cvgen new` and `cvgen build`."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(dist)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    (wheel,) = dist.glob("cvgen-*.whl")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    assert (
        unpacked / "cvgen" / "_data" / "theme" / "default" / "templates" / "index.html"
    ).is_file()
    assert (unpacked / "cvgen" / "_data" / "example" / "content" / "cv.yaml").is_file()

    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(unpacked), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def cvgen(*args: str, cwd: Path) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "cvgen", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import cvgen.resources as r; print(r.builtin_themes_dir())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(unpacked)
    cvgen("new", "mysite", cwd=work)
    assert cvgen("build", cwd=work / "mysite").startswith("built ")
    index = (work / "mysite" / "output" / "index.html").read_text(encoding="utf-8")
    assert "Ada Lindqvist" in index and "assets/style." in index
