"""`cvgen serve` as a user runs it: URL printed, clean Ctrl+C, clear errors."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.serve.preview import warn_if_exposed

from ..conftest import free_port, wait_for_http
from .conftest import ServeProcess


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_exits_cleanly_and_removes_temp_folders(
    example_site: Path,
    tmp_path: Path,
    serve_process: Callable[..., ServeProcess],
    sig: int,
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = serve_process(example_site, env={"TMPDIR": str(tmpdir)})
    assert proc.url.startswith("http://127.0.0.1:")
    wait_for_http(proc.url)
    with urllib.request.urlopen(proc.url, timeout=5) as response:
        assert b"Ada Lindqvist" in response.read()
    assert [p.name for p in tmpdir.iterdir()][0].startswith("cvgen-serve-")
    # an open event stream (a browser tab) must not hold up the exit
    host, port = proc.url[7:-1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/__cvgen/events")
    assert conn.getresponse().status == 200
    code, out, err = proc.stop(sig)
    conn.close()
    assert code == 0, err
    assert "Traceback" not in err and "Aborted" not in err
    assert "Stopped." in out
    assert list(tmpdir.iterdir()) == []
    assert not (example_site / "output").exists()  # never writes output/
    assert (example_site / ".cvgen" / "counter.sqlite3").is_file()


def test_port_in_use_is_a_clear_error(example_site: Path) -> None:
    port = free_port()
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        result = CliRunner().invoke(
            cli, ["serve", "--root", str(example_site), "--port", str(port)]
        )
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: port {port} on 127.0.0.1 is already in use (another `cvgen serve`?); "
        "pass --port N to use another port, or --port 0 for any free one"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # the command restores the signal handlers it changed
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers


def test_unknown_host_is_a_clear_error(example_site: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--root", str(example_site), "--port", "0", "--host", "no-such-host.invalid"]
    )
    assert result.exit_code == 1
    assert "cannot listen on --host no-such-host.invalid" in result.output
    assert "Traceback" not in result.output


def test_non_loopback_host_gets_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    warn_if_exposed("127.0.0.1")
    warn_if_exposed("localhost")
    assert capsys.readouterr().err == ""
    warn_if_exposed("0.0.0.0")
    err = capsys.readouterr().err
    assert "Warning: --host 0.0.0.0" in err and "reachable from other machines" in err


def test_rebuilds_and_their_failures_are_printed(
    example_site: Path, serve_process: Callable[..., ServeProcess]
) -> None:
    proc = serve_process(example_site)
    wait_for_http(proc.url)
    cv = example_site / "content" / "cv.yaml"
    text = cv.read_text()
    cv.write_text(text.replace("label: Senior Platform", "label: Senior: Platform"))
    _wait_for(lambda: "Build failed (content/cv.yaml)" in "".join(proc.stderr_lines))
    cv.write_text(text.replace("label: Senior Platform", "label: Lead Platform"))
    _wait_for(lambda: "Built (content/cv.yaml) in" in "".join(proc.stderr_lines))
    code, _, err = proc.stop()
    assert code == 0
    lines = err.splitlines()
    issue = next(line for line in lines if line.startswith("content/cv.yaml:"))
    assert issue.startswith("content/cv.yaml:7:")


def test_warnings_are_printed_and_the_site_served_even_when_strict(
    example_site: Path, serve_process: Callable[..., ServeProcess]
) -> None:
    config = example_site / "cvgen.yaml"
    config.write_text(config.read_text("utf-8") + "build:\n  strict: true\n", "utf-8")
    cv = example_site / "content" / "cv.yaml"
    cv.write_text(cv.read_text("utf-8").replace("  url:", "  website:", 1), "utf-8")
    proc = serve_process(example_site)
    wait_for_http(proc.url)
    with urllib.request.urlopen(proc.url, timeout=5) as response:
        assert b"Ada Lindqvist" in response.read()  # built despite the warning
    _wait_for(lambda: "1 warning;" in "".join(proc.stderr_lines))
    # the page's warnings panel hears the same, and that `cvgen build` would fail
    with urllib.request.urlopen(proc.url + "__cvgen/state", timeout=5) as response:
        state = json.loads(response.read())
    assert state["strict"] is True and len(state["warnings"]) == 1
    code, _, err = proc.stop()
    assert code == 0
    lines = err.splitlines()
    warning = next(line for line in lines if ": warning: " in line)
    assert re.fullmatch(
        r"content/cv\.yaml:\d+:3: warning: basics\.website: old JSON Resume \(v0\) name; "
        r"read as `url`: rename it to `url`",
        warning,
    )
    assert "1 warning; `build.strict` is on, so `cvgen build` fails until they are fixed." in lines


def _wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_open_starts_the_users_browser_on_the_url(
    example_site: Path, tmp_path: Path, serve_process: Callable[..., ServeProcess]
) -> None:
    opened = tmp_path / "opened.txt"
    # webbrowser runs $BROWSER with %s replaced by the URL
    fake_browser = (
        f"{sys.executable} -c \"import sys; open('{opened}', 'w').write(sys.argv[1])\" %s"
    )
    proc = serve_process(example_site, "--open", env={"BROWSER": fake_browser})
    _wait_for(lambda: opened.is_file() and opened.read_text() != "")
    assert opened.read_text() == proc.url
    assert proc.stop()[0] == 0


def test_serve_lists_every_variant_and_language_page(
    tmp_path: Path, serve_process: Callable[..., ServeProcess]
) -> None:
    import shutil

    from tests.conftest import REPO

    site = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "languages" / "site", site)
    proc = serve_process(site)
    base = proc.url.rstrip("/")
    expected = ["/", "/backend/", "/de/", "/de/backend/", "/de/frontend/", "/frontend/"]
    assert proc.process.stdout is not None
    # the lines right after "Serving ... at URL" (read here: stop() reads past the buffer)
    listed = [proc.process.stdout.readline().rstrip("\n") for _ in expected]
    assert listed == [f"  {base}{path}" for path in expected]
    for path in expected:  # and each one is served
        wait_for_http(base + path)
    code, _, err = proc.stop()
    assert code == 0, err


def test_page_paths_are_the_folders_with_an_index() -> None:
    from cvgen.serve.paths import page_paths

    files = ["index.html", "cv.pdf", "de/index.html", "assets/site.1.css", "a/x-tok/index.html"]
    assert page_paths(files) == ["/", "/a/x-tok/", "/de/"]
    assert page_paths(["index.html", "cv.txt"]) == ["/"]
