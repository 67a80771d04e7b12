"""`cvgen serve`: build into a temp folder, serve it, rebuild on every saved change.

One line per stage in `serve()`; the stages live in this package:
paths.py (request path -> file), watcher.py (watchdog + debounce + ignore rules),
reload.py (change kinds, event stream payload, injected client script), site.py (the
live site and the lock around swaps), server.py (the HTTP server).
"""

from __future__ import annotations

import contextlib
import signal
import tempfile
import threading
import webbrowser
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvgen.hosts import is_loopback
from cvgen.resources import builtin_themes_dir
from cvgen.serve.paths import page_paths
from cvgen.serve.server import ApiHandler, DevServer, bind
from cvgen.serve.site import BuildReport, LiveSite
from cvgen.serve.watcher import Debouncer, SourceWatcher

if TYPE_CHECKING:
    from cvgen.build import Rendered

COUNTER_DB = "counter.sqlite3"  # under the site's .cvgen/ folder
COUNTER_API = "/api/views"  # where the dev server answers the counter (see server.py)
QUIET = 0.05  # seconds without file events before a rebuild (watcher.Debouncer)


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
) -> None:
    """Preview the site at `root` until Ctrl+C (or SIGTERM); leaves no temp folder behind."""
    from cvgen.bundle.write import write_site

    warn_if_exposed(host)
    with contextlib.ExitStack() as stack:
        stack.enter_context(stop_signals())
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="cvgen-serve-"))
        api = stack.enter_context(local_counter(root))
        live = LiveSite(root, Path(tmp) / "site", render_preview, write_site, print_report)
        with bind(host, port, live, api) as server:
            live.rebuild()
            with watching(live, QUIET):
                click.echo(f"Serving {root} at {server.url}  (Ctrl+C to stop)")
                pages = page_paths(live.page_files())
                if len(pages) > 1:  # variants, languages, applications: each one's address
                    for path in pages:
                        click.echo(f"  {server.url.rstrip('/')}{path}")
                if open_browser:
                    threading.Thread(
                        target=webbrowser.open, args=(server.url,), daemon=True
                    ).start()
                run_until_interrupted(server, live)
    click.echo("Stopped.")


def warn_if_exposed(host: str) -> None:
    if not is_loopback(host):
        click.secho(
            f"Warning: --host {host} makes this preview (your draft CV and its local counter) "
            "reachable from other machines; use --host 127.0.0.1 to keep it on this machine.",
            fg="yellow",
            err=True,
        )


def print_report(report: BuildReport) -> None:
    """The terminal's view of each build: timing, or every issue like `cvgen build` prints."""
    trigger = f" ({', '.join(report.changed)})" if report.changed else ""
    ms = f"{report.seconds * 1000:.0f} ms"
    if report.kind == "failed":
        for line in report.state.issues:
            click.echo(line, err=True)
        served = (
            "still serving the last good version"
            if report.state.build
            else "nothing to serve until it builds"
        )
        click.secho(f"Build failed{trigger}; {served}.", fg="red", err=True)
    elif report.kind == "none":
        if trigger:
            click.echo(f"No change in the output{trigger}, {ms}.", err=True)
    else:
        what = "Stylesheets updated" if report.kind == "css" else "Built"
        click.echo(f"{what}{trigger} in {ms}.", err=True)
    if report.kind != "failed" and report.warnings:
        for line in report.warnings:
            click.echo(line, err=True)
        count = len(report.warnings)
        note = (
            "; `build.strict` is on, so `cvgen build` fails until they are fixed"
            if report.strict
            else ""
        )
        click.secho(f"{count} warning{'s' if count != 1 else ''}{note}.", fg="yellow", err=True)


@contextlib.contextmanager
def watching(live: LiveSite, quiet: float) -> Iterator[None]:
    """Rebuild `live` once per burst of saves under its sources, while the block runs."""
    debouncer = Debouncer(lambda paths: live.rebuild(_relative(live.root, paths)), quiet=quiet)
    watcher = SourceWatcher(live.root, debouncer.add, extra_dirs=[builtin_themes_dir()])
    debouncer.start()
    watcher.start()
    try:
        yield
    finally:
        watcher.stop()
        debouncer.stop()


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """SIGTERM (kill, systemd, CI) stops the server like Ctrl+C; handlers restored after.

    SIGINT is set too: a shell starts a background job (`cvgen serve &` in a script) with
    SIGINT ignored, and Python then never turns it into KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def run_until_interrupted(server: DevServer, live: LiveSite) -> None:
    """Serve until Ctrl+C or SIGTERM; then stop at once, even with event streams open."""
    in_main = threading.current_thread() is threading.main_thread()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        if in_main:  # a second Ctrl+C must not cut the cleanup short
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
    finally:
        live.close()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _relative(root: Path, paths: set[str]) -> list[str]:
    resolved = root.resolve()
    out = []
    for path in paths:
        target = Path(path)
        out.append(str(target.relative_to(resolved)) if target.is_relative_to(resolved) else path)
    return out


def render_preview(root: Path) -> Rendered:
    """The site as the dev server shows it: the counter talks to the dev server's own
    `/api/views` (a Cognito-mode site would otherwise call the real AWS pool from
    localhost) and counts on loopback, where built pages stay quiet."""
    from cvgen.build import render_config
    from cvgen.settings.config import load_config

    config = load_config(root)
    if config.counter.enabled:
        counter = replace(config.counter, mode="public", api=COUNTER_API)
        config = replace(config, counter=counter)
    return render_config(config, counter_on_loopback=True)


@contextlib.contextmanager
def local_counter(root: Path) -> Iterator[ApiHandler]:
    """The counter API (the Lambda's rules) on SQLite at `<root>/.cvgen/counter.sqlite3`."""
    from cvgen.counter import LocalCounter
    from cvgen.settings.config import Config

    counter = LocalCounter(Config(root=root).state_dir / COUNTER_DB)
    try:
        yield counter.handle
    finally:
        counter.close()
