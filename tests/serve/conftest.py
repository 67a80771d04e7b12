"""Helpers for the dev server tests: an in-process server, and `cvgen serve` as a subprocess."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cvgen.build import render_pages
from cvgen.bundle.write import write_site
from cvgen.serve.server import ApiHandler, DevServer, bind
from cvgen.serve.site import LiveSite, RenderFn

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120"


@contextmanager
def running(
    root: Path, render: RenderFn = render_pages, api: ApiHandler | None = None
) -> Iterator[DevServer]:
    """A DevServer for `root` on 127.0.0.1:<free port>, serving from a background thread."""
    with tempfile.TemporaryDirectory(prefix="cvgen-test-serve-") as tmp:
        live = LiveSite(root, Path(tmp) / "site", render, write_site)
        server = bind("127.0.0.1", 0, live, api)
        live.rebuild()
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield server
        finally:
            live.close()
            server.shutdown()
            server.server_close()
            thread.join(5)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class ServeProcess:
    """`cvgen serve` running as a subprocess, as a user runs it."""

    process: subprocess.Popen[str]
    url: str
    stderr_lines: list[str]

    def stop(self, sig: int = signal.SIGINT, timeout: float = 10) -> tuple[int, str, str]:
        self.process.send_signal(sig)
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise
        return self.process.returncode, out, "".join(self.stderr_lines)


def start_serve(root: Path, *args: str, env: dict[str, str] | None = None) -> ServeProcess:
    process = subprocess.Popen(
        [sys.executable, "-m", "cvgen", "serve", "--root", str(root), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None and process.stderr is not None
    lines: list[str] = []
    stderr = process.stderr
    threading.Thread(target=lambda: lines.extend(stderr), daemon=True).start()
    first = process.stdout.readline()
    match = re.search(r"http://\S+/", first)
    if match is None:
        process.kill()
        process.communicate()
        time.sleep(0.2)
        pytest.fail(f"cvgen serve did not print its URL: {first!r} {''.join(lines)}")
    return ServeProcess(process, match.group(0), lines)


@pytest.fixture
def serve_process() -> Iterator[Callable[..., ServeProcess]]:
    """Start `cvgen serve` subprocesses; any still running at the end are stopped."""
    started: list[ServeProcess] = []

    def start(root: Path, *args: str, **kwargs: Any) -> ServeProcess:
        proc = start_serve(root, *args, **kwargs)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.process.poll() is None:
            proc.stop()


@pytest.fixture
def served(
    example_site: Path, serve_process: Callable[..., ServeProcess]
) -> tuple[Path, ServeProcess]:
    """The example site under `cvgen serve`, answering HTTP."""
    from tests.conftest import wait_for_http

    proc = serve_process(example_site)
    wait_for_http(proc.url)
    return example_site, proc
