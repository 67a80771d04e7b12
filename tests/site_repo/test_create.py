"""`cvgen new`: a complete site repository that builds at once; a non-empty target is refused."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cvgen import __version__
from cvgen.build import build
from cvgen.cli import cli
from cvgen.schemas import FILES, schema_text
from cvgen.settings.config import load_config
from cvgen.site_repo.files import WORKFLOW, pinned_version
from tests.conftest import REPO


def files_in(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_new_makes_a_complete_site_repository(tmp_path: Path) -> None:
    site = tmp_path / "mysite"
    result = CliRunner().invoke(cli, ["new", "--cvgen-source", __version__, str(site)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"created a site in {site}: ")
    assert f"the deploy workflow installs cvgen-site=={__version__} (cvgen" in result.output
    assert "cvgen serve" in result.output and "cvgen infra deploy" in result.output

    content = [f"content/{name}" for name in files_in(REPO / "content")]
    schemas = [f".cvgen/schemas/{name}" for name, _ in FILES.values()]
    assert files_in(site) == sorted(
        [".github/workflows/deploy.yml", ".gitignore", "README.md", "cvgen.yaml", *content]
        + schemas
    )
    # content/ is the example's, with a line atop cv.yaml pointing editors at its schema
    line = b"# yaml-language-server: $schema=../.cvgen/schemas/cv.schema.json\n"
    for name in content:
        expected = (REPO / name).read_bytes()
        if name == "content/cv.yaml":
            expected = line + expected
        assert (site / name).read_bytes() == expected
    assert (
        (site / "cvgen.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=.cvgen/schemas/cvgen.schema.json\n")
    )
    for name, (file_name, _) in FILES.items():
        assert (site / ".cvgen" / "schemas" / file_name).read_text() == schema_text(name)
    assert (site / ".gitignore").read_text().splitlines()[1:] == ["/output/", "/.cvgen/"]
    assert pinned_version((site / WORKFLOW).read_text()) == __version__
    readme = (site / "README.md").read_text()
    assert "[cvgen](https://pypi.org/project/cvgen-site/)" in readme
    assert "cvgen upgrade-site" in readme and "cvgen infra deploy" in readme

    # no stand-in address: site.url stays unset until the owner has one
    config = load_config(site)
    assert config.site.url is None
    assert config.publish.bucket is None
    report = build(site)
    assert report.address_warning is None
    index = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "Ada Lindqvist" in index and 'rel="canonical"' not in index
    assert "cv.example.com" not in index and "127.0.0.1" not in index


def test_new_no_ci_leaves_the_workflow_out(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "--no-ci", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "s" / ".github").exists()
    assert "deploy workflow" not in result.output
    assert (tmp_path / "s" / "README.md").is_file()
    assert build(tmp_path / "s").files >= 7


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
