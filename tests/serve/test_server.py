"""The dev server over real HTTP: pages, 404s, traversal, headers, counter, reload channel."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from cvgen.build import build, render_pages
from cvgen.bundle.headers import headers_for
from cvgen.counter import LocalCounter
from cvgen.counter.sqlite_store import POOL_SIZE
from cvgen.errors import ContentError, CvgenError
from cvgen.serve.server import allowed_hosts, content_type, host_name
from cvgen.serve.site import LiveSite

from .conftest import BROWSER_UA, edit, running


def request(
    url: str,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request with the path sent exactly as given (no client-side normalising)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        headers = dict(headers or {})
        skip_host = any(name.lower() == "host" for name in headers)
        conn.putrequest(method, path, skip_host=skip_host, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_html_gets_the_reload_script_but_render_and_build_output_never_do(
    example_site: Path, tmp_path: Path
) -> None:
    with running(example_site) as server:
        status, headers, body = request(server.url, "/")
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert b'<script src="/__cvgen/live.js?build=' in body
        assert body.rstrip().endswith(b"</body>\n</html>")
    _, pages = render_pages(example_site)
    assert not [name for name, data in pages.items() if b"__cvgen" in data]
    out = build(example_site, tmp_path / "out").output
    built = [p for p in out.rglob("*") if p.is_file() and b"__cvgen" in p.read_bytes()]
    assert built == []


def test_unknown_paths_get_the_sites_404_page(example_site: Path) -> None:
    with running(example_site) as server:
        for path in ("/nope", "/nope/", "/assets/missing.css", "/index.htm"):
            status, headers, body = request(server.url, path)
            assert status == 404, path
            assert headers["content-type"] == "text/html; charset=utf-8"
            assert b"Page not found" in body
            assert b"/__cvgen/live.js" in body


def test_every_response_is_no_store_with_the_right_type(example_site: Path) -> None:
    _, pages = render_pages(example_site)
    css = next(name for name in pages if name.endswith(".css"))
    js = next(name for name in pages if name.endswith(".js"))
    svg = next(name for name in pages if name.endswith(".svg"))
    expected = {
        "/": "text/html; charset=utf-8",
        "/index.html": "text/html; charset=utf-8",
        f"/{css}": "text/css; charset=utf-8",
        f"/{js}": "text/javascript; charset=utf-8",
        f"/{svg}": "image/svg+xml; charset=utf-8",
        "/resume.json": "application/json; charset=utf-8",
        "/robots.txt": "text/plain; charset=utf-8",
        "/sitemap.xml": "application/xml; charset=utf-8",
        "/__cvgen/live.js": "text/javascript; charset=utf-8",
        "/__cvgen/state": "application/json",
    }
    with running(example_site) as server:
        for path, ctype in expected.items():
            status, headers, body = request(server.url, path)
            assert (status, headers["content-type"]) == (200, ctype), path
            assert headers["cache-control"] == "no-store"
            if not path.startswith("/__cvgen") and not ctype.startswith("text/html"):
                assert body == pages[path.lstrip("/")]  # served as rendered, byte for byte
        status, headers, _ = request(server.url, "/nope")
        assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/../cvgen.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/cvgen.yaml",
        "/%2e%2e%2fcvgen.yaml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/assets/..%2f..%2fsecret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/index.html%00.css",
        "/%00",
        "/./../secret.txt",
        "//../secret.txt",
    ],
)
def test_traversal_is_refused(example_site: Path, path: str) -> None:
    with running(example_site) as server:
        secret = server.live.site_dir.parent / "secret.txt"
        secret.write_text("TOP SECRET")
        status, _, body = request(server.url, path)
        assert status in (400, 404), path
        assert b"TOP SECRET" not in body
        assert b"root:" not in body
        assert b"site:" not in body  # cvgen.yaml


def test_folders_serve_index_or_redirect_to_their_slash(example_site: Path) -> None:
    with running(example_site) as server:
        (server.live.site_dir / "blog").mkdir()
        (server.live.site_dir / "blog" / "index.html").write_text("<body>blog</body>")
        status, headers, _ = request(server.url, "/blog")
        assert (status, headers["location"]) == (301, "/blog/")
        status, _, body = request(server.url, "/blog/")
        assert status == 200
        assert body.startswith(b"<body>blog<script src=")


def test_host_header_guards_against_dns_rebinding(example_site: Path) -> None:
    with running(example_site) as server:
        port = server.server_address[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}"):
            assert request(server.url, "/", headers={"Host": host})[0] == 200, host
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
            status, _, body = request(server.url, "/", headers={"Host": host})
            assert status == 403, host
            assert b"Ada" not in body
        # two Host headers: which one would a proxy have checked?
        port_host = f"127.0.0.1:{port}"
        parts = urlsplit(server.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.putrequest("GET", "/", skip_host=True)
        conn.putheader("Host", port_host)
        conn.putheader("Host", "evil.example")
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 403
        response.close()
        conn.close()


def test_host_helpers() -> None:
    assert host_name("[::1]:8000") == "::1"
    assert host_name("Localhost:80") == "localhost"
    assert host_name("example.com") == "example.com"
    assert allowed_hosts("0.0.0.0") is None
    assert allowed_hosts("192.168.1.5") == {"localhost", "127.0.0.1", "::1", "192.168.1.5"}
    # the same types `cvgen publish` gives the files on S3
    assert content_type("a/b.HTML") == "text/html; charset=utf-8"
    assert content_type("a/b.HTML") == headers_for("a/b.HTML").content_type
    assert content_type("a/b.woff2") == headers_for("a/b.woff2").content_type == "font/woff2"
    assert content_type("x.unknownext") == "application/octet-stream"


def test_other_methods_on_pages_are_refused(example_site: Path) -> None:
    with running(example_site) as server:
        status, headers, _ = request(server.url, "/", method="POST", body=b"x")
        assert (status, headers["allow"]) == (405, "GET, HEAD")
        status, headers, body = request(server.url, "/", method="HEAD")
        assert status == 200 and body == b"" and int(headers["content-length"]) > 1000


def test_concurrent_counter_posts_are_counted_exactly(example_site: Path, tmp_path: Path) -> None:
    counter = LocalCounter(tmp_path / "state" / "counter.sqlite3")
    try:
        with running(example_site, api=counter.handle) as server:
            headers = {"Content-Type": "application/json", "User-Agent": BROWSER_UA}

            def post(_: int) -> Any:
                status, _, body = request(
                    server.url, "/api/views", "POST", b'{"page": "/"}', headers
                )
                assert status == 200, body
                return json.loads(body)["views"]

            with ThreadPoolExecutor(max_workers=16) as pool:
                seen = sorted(pool.map(post, range(60)))
            assert seen == list(range(1, 61))
            status, _, body = request(server.url, "/api/views?page=/", headers=headers)
            assert status == 200
            assert json.loads(body)["views"] == 60
            # the counter's own errors come through as JSON, never as a page
            status, headers_out, body = request(server.url, "/api/views", "PUT", b"", headers)
            assert status == 405 and headers_out["content-type"].startswith("application/json")
            assert "error" in json.loads(body)
            status, _, body = request(
                server.url, "/api/views", "POST", b"x" * 100_000, {"User-Agent": BROWSER_UA}
            )
            assert status == 413
            status, _, body = request(
                server.url,
                "/api/views",
                "POST",
                None,
                {"Content-Length": "abc", "User-Agent": BROWSER_UA},
            )
            assert status == 400 and json.loads(body) == {"error": "bad Content-Length"}
    finally:
        counter.close()


def test_a_burst_of_counter_posts_leaves_no_files_open(example_site: Path, tmp_path: Path) -> None:
    """200 clients POST at once through the real server; afterwards the process holds no more
    files than before (it used to keep one per peak concurrent request, until EMFILE)."""
    counter = LocalCounter(tmp_path / "state" / "counter.sqlite3")
    fds = Path("/proc/self/fd")
    try:
        with running(example_site, api=counter.handle) as server:
            headers = {"Content-Type": "application/json", "User-Agent": BROWSER_UA}
            request(server.url, "/api/views", "POST", b'{"page": "/"}', headers)
            before = len(list(fds.iterdir()))
            clients = 200
            barrier = threading.Barrier(clients)

            def post(_: int) -> int:
                barrier.wait()
                status, _, body = request(
                    server.url, "/api/views", "POST", b'{"page": "/"}', headers
                )
                assert status == 200, body
                return int(json.loads(body)["views"])

            with ThreadPoolExecutor(max_workers=clients) as pool:
                seen = sorted(pool.map(post, range(clients)))
            assert seen == list(range(2, clients + 2))
            time.sleep(0.2)  # request threads finish closing their sockets
            # at most the counter's pool: database, WAL and shared memory per connection
            assert len(list(fds.iterdir())) - before <= 3 * (POOL_SIZE - 1)
    finally:
        counter.close()


def read_event(stream: Any) -> dict[str, Any]:
    """The next `data:` message of an event stream (skipping comments)."""
    while True:
        line = stream.readline()
        assert line, "event stream closed"
        if line.startswith(b"data: "):
            return dict(json.loads(line[6:]))


@contextlib.contextmanager
def event_stream(url: str) -> Iterator[Any]:
    """The server's event stream; the response and its connection are closed on exit
    (closing only the connection would leave the response's socket to the GC)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    response = None
    try:
        conn.request("GET", "/__cvgen/events")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        yield response
    finally:
        if response is not None:
            response.close()
        conn.close()


def test_event_stream_reports_builds_failures_and_css_swaps(example_site: Path) -> None:
    cv = example_site / "content" / "cv.yaml"
    css = example_site / "theme" / "default" / "templates" / "css" / "theme.css"
    with running(example_site) as server, event_stream(server.url) as events:
        live = server.live
        first = read_event(events)
        assert first["build"].endswith("-1") and first["issues"] == []

        edit(cv, "label: Senior Platform Engineer", "label: Staff Platform Engineer")
        live.rebuild(["content/cv.yaml"])
        second = read_event(events)
        assert second["build"].endswith("-2") and second["css"] == {} and second["base"] == ""
        assert b"Staff Platform Engineer" in request(server.url, "/")[2]

        edit(cv, "label: Staff Platform Engineer", "label: Staff: Platform Engineer")
        report = live.rebuild(["content/cv.yaml"])
        failed = read_event(events)
        assert failed["build"] == second["build"]  # still serving the last good site
        with pytest.raises(ContentError) as caught:
            render_pages(example_site)
        assert failed["issues"] == [str(issue) for issue in caught.value.issues]
        assert failed["issues"][0].startswith("content/cv.yaml:7:")
        assert report.kind == "failed"
        status, _, body = request(server.url, "/")
        assert status == 200 and b"Staff Platform Engineer" in body

        edit(cv, "label: Staff: Platform Engineer", "label: Staff Platform Engineer")
        live.rebuild(["content/cv.yaml"])
        recovered = read_event(events)
        assert recovered["issues"] == [] and recovered["build"] == second["build"]  # same bytes

        css.write_text(css.read_text() + "\nh1 { letter-spacing: 0.01em; }\n")
        assert live.rebuild(["theme/default/templates/css/theme.css"]).kind == "css"
        swapped = read_event(events)
        assert swapped["base"] == second["build"] and swapped["build"].endswith("-3")
        [(old, new)] = swapped["css"].items()
        assert old.startswith("/assets/style.") and new.startswith("/assets/style.") and old != new
        assert request(server.url, new)[0] == 200
        assert request(server.url, old)[0] == 404


def test_event_stream_carries_a_good_builds_warnings_until_they_are_fixed(
    example_site: Path,
) -> None:
    cv = example_site / "content" / "cv.yaml"
    with running(example_site) as server, event_stream(server.url) as events:
        live = server.live
        assert read_event(events)["warnings"] == []
        edit(cv, "  url: https://ada.example.com/", "  website: https://ada.example.com/")
        report = live.rebuild(["content/cv.yaml"])
        warned = read_event(events)
        # the same lines as `cvgen build` and the terminal print
        expected = [w.describe("warning") for w in render_pages(example_site).warnings]
        assert warned["warnings"] == expected == list(report.warnings)
        assert warned["strict"] is False  # the example site has no `build.strict`
        assert expected[0].startswith("content/cv.yaml:10:3: warning: basics.website: ")
        assert warned["issues"] == []

        edit(cv, "  website: https://ada.example.com/", "  website: [")
        live.rebuild(["content/cv.yaml"])
        failed = read_event(events)
        assert failed["issues"] and failed["warnings"] == []  # the overlay shows instead

        edit(cv, "  website: [", "  url: https://ada.example.com/")
        assert live.rebuild(["content/cv.yaml"]).kind == "none"  # same pages as before
        assert read_event(events)["warnings"] == []


def test_turning_strict_on_while_serving_updates_the_panel_without_a_content_change(
    example_site: Path,
) -> None:
    cv, config = example_site / "content" / "cv.yaml", example_site / "cvgen.yaml"
    edit(cv, "  url: https://ada.example.com/", "  website: https://ada.example.com/")
    with running(example_site) as server, event_stream(server.url) as events:
        first = read_event(events)
        assert first["warnings"] and first["strict"] is False
        config.write_text(config.read_text("utf-8") + "build:\n  strict: true\n", "utf-8")
        report = server.live.rebuild(["cvgen.yaml"])
        assert report.kind == "none"  # the pages are the same bytes
        turned_on = read_event(events)
        assert turned_on["strict"] is True and turned_on["warnings"] == first["warnings"]


def test_a_pdf_typesetting_warning_reaches_the_panel_when_the_pdf_is_made(
    example_site: Path,
) -> None:
    template = example_site / "theme" / "default" / "pdf" / "cv.typ"
    template.write_text('#set text(font: "No Such Family")\n' + template.read_text("utf-8"))
    from cvgen.serve.preview import render_preview

    with running(example_site, render_preview) as server, event_stream(server.url) as events:
        assert read_event(events)["warnings"] == []  # as `cvgen serve` does: no PDF made yet
        assert request(server.url, "/cv.pdf")[0] == 200
        (line,) = read_event(events)["warnings"]
        assert line.startswith("theme/default/pdf/cv.typ:1:") and "warning: PDF template" in line


def test_a_first_build_that_fails_serves_an_error_page_until_fixed(example_site: Path) -> None:
    cv = example_site / "content" / "cv.yaml"
    edit(cv, "label: Senior Platform Engineer", "label: Senior: Platform Engineer")
    with running(example_site) as server:
        status, headers, body = request(server.url, "/")
        assert status == 500
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert b"content/cv.yaml:7:" in body
        assert b"/__cvgen/live.js?build=" in body
        assert request(server.url, "/assets/anything.css")[0] == 500
        edit(cv, "label: Senior: Platform Engineer", "label: Senior Platform Engineer")
        server.live.rebuild(["content/cv.yaml"])
        status, _, body = request(server.url, "/")
        assert status == 200 and b"Senior Platform Engineer" in body


def test_an_alias_bomb_saved_while_serving_is_refused_at_once(example_site: Path) -> None:
    """The rebuild thread meets the same limits as `cvgen build`: a 9**30-value alias bomb
    (it once grew past 3 GB) is refused with its position, and the last good site stays."""
    cv = example_site / "content" / "cv.yaml"
    with running(example_site) as server:
        good = request(server.url, "/")[2]
        lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 30)]
        cv.write_text(cv.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        report = server.live.rebuild(["content/cv.yaml"])
        assert time.perf_counter() - started < 5  # a second would do; the machine is shared
        [issue] = report.state.issues
        assert issue.startswith("content/cv.yaml:")
        assert "alias `*l3` (which repeats 7,381 values) takes this file past 50,000" in issue
        status, _, body = request(server.url, "/")
        assert status == 200 and body == good


def test_requests_during_a_rebuild_wait_for_it(example_site: Path) -> None:
    gate = threading.Event()
    entered = threading.Event()
    slow = [False]

    def render(root: Path) -> Any:
        if slow[0]:
            entered.set()
            assert gate.wait(10)
        return render_pages(root)

    with running(example_site, render=render) as server:
        edit(example_site / "content" / "cv.yaml", "Senior Platform", "Principal Platform")
        slow[0] = True
        builder = threading.Thread(target=server.live.rebuild)
        builder.start()
        assert entered.wait(5)
        answers: list[bytes] = []
        reader = threading.Thread(target=lambda: answers.append(request(server.url, "/")[2]))
        reader.start()
        time.sleep(0.3)
        assert answers == []  # held while the build runs
        # the reload channel stays responsive meanwhile
        assert request(server.url, "/__cvgen/live.js")[0] == 200
        gate.set()
        builder.join(10)
        reader.join(10)
        assert len(answers) == 1 and b"Principal Platform Engineer" in answers[0]


def test_shutdown_does_not_wait_for_open_event_streams(example_site: Path) -> None:
    with contextlib.ExitStack() as streams:
        with running(example_site) as server:
            for _ in range(3):
                read_event(streams.enter_context(event_stream(server.url)))
            started = time.monotonic()
        # the server is down while the three streams are still open
        assert time.monotonic() - started < 2


def test_request_target_forms(example_site: Path) -> None:
    with running(example_site) as server:
        assert request(server.url, "/?utm=1#top")[0] == 200
        assert request(server.url, f"{server.url}index.html")[0] == 200  # absolute form
        status, headers, _ = request(server.url, "//evil.example/index.html")
        assert status == 404 and "location" not in headers
        status, _, body = request(server.url, "/__cvgen/state")
        assert json.loads(body)["build"].endswith("-1")


def test_a_failed_write_keeps_the_last_good_site(example_site: Path) -> None:
    from cvgen.bundle.write import write_site

    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        calls = []

        def write(pages: Mapping[str, bytes], dest: Path) -> object:
            calls.append(dest)
            if len(calls) == 2:
                raise CvgenError(f"cannot write {dest}: disk full")
            return write_site(pages, dest)

        live = LiveSite(example_site, site_dir, render_pages, write)
        first = live.rebuild().state
        edit(example_site / "content" / "cv.yaml", "Senior Platform", "Chief Platform")
        report = live.rebuild(["content/cv.yaml"])
        assert report.kind == "failed"
        assert report.state.issues == (f"Error: cannot write {site_dir}: disk full",)
        assert report.state.build == first.build
        assert b"Senior Platform Engineer" in (site_dir / "index.html").read_bytes()
        report = live.rebuild(["content/cv.yaml"])  # the next save retries
        assert report.kind == "full" and report.state.issues == ()
        assert b"Chief Platform Engineer" in (site_dir / "index.html").read_bytes()


def test_a_rebuild_that_changes_nothing_writes_nothing(example_site: Path) -> None:
    from cvgen.bundle.write import write_site

    with tempfile.TemporaryDirectory() as tmp:
        writes: list[Path] = []

        def write(pages: Mapping[str, bytes], dest: Path) -> object:
            writes.append(dest)
            return write_site(pages, dest)

        live = LiveSite(example_site, Path(tmp) / "site", render_pages, write)
        first = live.rebuild().state
        (example_site / "content" / "notes.txt").write_text("not a source the site uses")
        report = live.rebuild(["content/notes.txt"])
        assert (report.kind, report.state.build, len(writes)) == ("none", first.build, 1)
        assert report.state.seq == first.seq + 1  # pages still hear that the build finished


@pytest.mark.parametrize("value", ["²", "٣", "+5", "1e3", "-1", "0x10", "5, 5"])
def test_a_content_length_that_is_no_ascii_number_is_a_400(
    example_site: Path, tmp_path: Path, value: str
) -> None:
    """`Content-Length: ²` was a traceback in the serve log (str.isdigit says yes, int no)."""
    counter = LocalCounter(tmp_path / "state" / "counter.sqlite3")
    try:
        with running(example_site, api=counter.handle) as server:
            port = int(server.url.rsplit(":", 1)[1].strip("/"))
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(
                    f"POST /api/views HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()
                    + f"User-Agent: {BROWSER_UA}\r\nContent-Length: ".encode()
                    # as a client sends it: one byte a character where Latin-1 can (the
                    # server reads headers as Latin-1), else UTF-8
                    + (value.encode("latin-1") if max(map(ord, value)) < 256 else value.encode())
                    + b"\r\n\r\n"
                )
                answer = b""
                while chunk := conn.recv(65536):
                    answer += chunk
            assert answer.startswith(b"HTTP/1.0 400") or answer.startswith(b"HTTP/1.1 400")
            assert answer.endswith(b'{"error": "bad Content-Length"}')
    finally:
        counter.close()
