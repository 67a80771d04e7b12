"""`cvgen new PATH`: scaffold a site (cvgen.yaml + an example content/) that builds at once."""

from __future__ import annotations

from pathlib import Path

import click

GITIGNORE = "/output/\n/.cvgen/\n"


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
def new(path: Path) -> None:
    """Create a new site in PATH from the example CV."""
    created = create_site(path)
    click.echo(f"created a site in {created}")
    click.echo("next steps:")
    click.echo(f"  cd {path}")
    click.echo("  edit content/cv.yaml (and the Markdown sections in content/)")
    click.echo("  cvgen build    # writes output/")
    click.echo("  cvgen serve    # preview with live reload")


def create_site(path: Path) -> Path:
    """Copy the example site's cvgen.yaml and content/ into `path` (new or empty)."""
    import shutil

    from cvgen.config import CONFIG_FILE
    from cvgen.errors import CvgenError
    from cvgen.resources import example_site_dir

    if path.exists() and not path.is_dir():
        raise CvgenError(f"{path} exists and is not a folder; choose a new folder")
    if path.is_dir() and any(path.iterdir()):
        raise CvgenError(f"{path} is not empty; choose a new or empty folder")
    example = example_site_dir()
    path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(example / CONFIG_FILE, path / CONFIG_FILE)
    shutil.copytree(example / "content", path / "content")
    (path / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return path
