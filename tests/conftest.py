"""Shared fixtures: a real moto server on loopback, and Debian's headless Chromium.

- `moto_server` (session): `python -m moto.server` in a subprocess on 127.0.0.1:<free port>.
  Tests point boto3 clients at `moto_server.endpoint` with `endpoint_url`; use unique
  resource names per test (or `moto_server.reset()`), since the server is shared.
- `aws_env` (function): fake credentials + region + AWS_ENDPOINT_URL in the environment,
  so code using the standard boto3 chain talks to the moto server.
- `browser` (session) / `page` (function): playwright driving /usr/bin/chromium with the
  flags this machine needs. Never `playwright install`.
- `update_golden`: True under `pytest --update-golden`; tests that compare output with a
  checked-in expected file rewrite that file instead (review the diff before committing).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAKE_CREDENTIALS = {
    # moto accepts any credentials; these are not secrets.
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden/expected files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# What a CI runner sets that changes what cvgen prints (a publish lease names its CI run).
# Tests that mean to see it set it themselves.
CI_VARIABLES = ("CI", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "CI_JOB_URL", "BUILD_URL")


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite behaves the same on a laptop and on a CI runner, and writes nothing into
    the home of whoever runs it: anything that caches under `$XDG_CACHE_HOME` (the default
    `~/.cache`) does so in a temp folder, and the variables a CI runner sets are unset.
    HOME itself stays: pip and npm, which some tests run, read their index settings from it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        for name in CI_VARIABLES:
            patch.delenv(name, raising=False)
        yield


class RecordingUi:
    """A `cvgen.ui.Ui` that keeps every line (`note`s too, in order) and fails on a question."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def echo(self, message: str) -> None:
        self.lines.append(message)

    def note(self, message: str) -> None:
        self.lines.append(message)

    def confirm(self, question: str) -> bool:
        raise AssertionError(f"unexpected question: {question}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass
class MotoServer:
    endpoint: str
    process: subprocess.Popen[bytes]

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=5).close()

    def client(self, service: str, region: str = "us-east-1") -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@contextlib.contextmanager
def moto_process(argv: list[str], cwd: Path | None = None) -> Iterator[MotoServer]:
    """Run a moto server command (`{port}` in `argv` becomes a free loopback port) until the
    block ends; yields once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [arg.replace("{port}", str(port)) for arg in argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{endpoint}/moto-api/")
        yield MotoServer(endpoint, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    with moto_process(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "{port}"]
    ) as s:
        yield s


@pytest.fixture
def aws_env(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.endpoint)
    # keep boto3 from reading ~/.aws of whoever runs the tests
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    return moto_server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page; console errors are collected in `page.console_errors`."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    try:
        yield page
    finally:
        context.close()


def run_cvgen(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`python -m cvgen ARGS` as a real process (at most 120 s): exit code, stdout, stderr."""
    return subprocess.run(
        [sys.executable, "-m", "cvgen", *args],
        capture_output=True,
        text=True,
        timeout=kwargs.pop("timeout", 120),
        **kwargs,
    )


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repo's example site (cvgen.yaml, content/, theme/) in a temp folder."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy2(REPO / "cvgen.yaml", site / "cvgen.yaml")
    shutil.copytree(REPO / "content", site / "content")
    if (REPO / "theme").is_dir():
        shutil.copytree(REPO / "theme", site / "theme")
    return site
