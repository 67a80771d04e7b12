"""`cvgen serve`: live preview with reload, an error overlay and the local counter."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option


@click.command()
@root_option
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
    from cvgen.serve.preview import serve as run
    from cvgen.settings.config import site_root

    try:
        run(site_root(root), host, port, open_browser)
    except KeyboardInterrupt:  # Ctrl+C before serving started
        click.echo("Stopped.")
