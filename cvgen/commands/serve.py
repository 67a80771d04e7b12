"""`cvgen serve`: live preview with reload, an error overlay and the local counter."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The site folder (holding cvgen.yaml). Default: the nearest one at or above here.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks any free port.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
def serve(root: Path | None, host: str, port: int, open_browser: bool) -> None:
    """Preview the site: rebuild on every save and reload open pages by themselves."""
    from cvgen.config import CONFIG_FILE, find_root
    from cvgen.errors import CvgenError
    from cvgen.serve.preview import serve as run

    if root is None:
        root = find_root(Path.cwd())
    elif not (root / CONFIG_FILE).is_file():
        raise CvgenError(
            f"{root}: no {CONFIG_FILE} here; pass a site folder with --root, "
            f"or run `cvgen new {root}` to create one"
        )
    try:
        run(root.resolve(), host, port, open_browser)
    except KeyboardInterrupt:  # Ctrl+C before serving started
        click.echo("Stopped.")
