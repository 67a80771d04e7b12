"""The wheel PyPI gets: its name and version, the files it carries (themes, templates, infra/,
the example site), and that it works alone, outside this checkout."""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cvgen import DISTRIBUTION, __version__
from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel` builds from this checkout (the release builds it the same way)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(dist)],
        check=True,
        cwd=dist,
        capture_output=True,
    )
    (built,) = dist.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(where)
    return where


def files_under(root: Path) -> Iterator[Path]:
    return (
        p.relative_to(root)
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    )


def test_the_wheel_is_named_for_pypi(wheel: Path, unpacked: Path) -> None:
    assert wheel.name == f"cvgen_site-{__version__}-py3-none-any.whl"
    [info] = unpacked.glob("*.dist-info")
    metadata = email.parser.Parser().parsestr((info / "METADATA").read_text(encoding="utf-8"))
    assert metadata["Name"] == DISTRIBUTION == "cvgen-site"
    assert metadata["Version"] == __version__
    assert "[console_scripts]\ncvgen = cvgen.cli:main" in (info / "entry_points.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("source", "shipped"),
    [
        ("theme", "cvgen/_data/theme"),
        ("infra", "cvgen/_data/infra"),
        ("content", "cvgen/_data/example/content"),
    ],
)
def test_the_wheel_carries_every_theme_template_and_infra_file(
    unpacked: Path, source: str, shipped: str
) -> None:
    expected = list(files_under(REPO / source))
    assert expected
    assert list(files_under(unpacked / shipped)) == expected
    for name in expected:
        assert (unpacked / shipped / name).read_bytes() == (REPO / source / name).read_bytes()


def test_the_wheel_carries_the_packages_own_files(unpacked: Path) -> None:
    # every file of the import packages, including the non-Python ones (py.typed, ...)
    for package in ("cvgen", "counter_lambda"):
        source = {p for p in files_under(REPO / package)}
        assert source <= set(files_under(unpacked / package)), package


def test_the_wheel_works_outside_the_repo(unpacked: Path, tmp_path: Path) -> None:
    """The built wheel alone (themes and example inside it) runs `cvgen new` and `cvgen build`."""
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
    assert cvgen("--version", cwd=work) == f"cvgen {__version__} (the cvgen-site package)\n"
    cvgen("new", "mysite", cwd=work)
    assert cvgen("build", cwd=work / "mysite").startswith("built ")
    index = (work / "mysite" / "output" / "index.html").read_text(encoding="utf-8")
    assert "Ada Lindqvist" in index and "assets/style." in index
    # the PDF too: theme/default/pdf/ and cvgen/render/cvgen.typ come with the wheel
    assert (work / "mysite" / "output" / "cv.pdf").read_bytes().startswith(b"%PDF-")
