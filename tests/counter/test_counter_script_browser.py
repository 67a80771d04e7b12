"""Both counter scripts treat an answer that is not JSON as "no count".

Behind CloudFront, the distribution-wide custom error response puts the site's HTML 404 page
(status 404, cached for a minute) in place of any 404 under /api/*; a misrouted /api/* can
also answer the site's HTML with 200. Either way the page must stay quiet: count hidden, no
uncaught error.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser

STATIC = REPO / "theme" / "default" / "static"
HTML_404 = b"<!doctype html><html><body><h1>Not found</h1></body></html>"


class _Site(BaseHTTPRequestHandler):
    folder: Path
    api_status = 200
    api_body = HTML_404
    api_type = "text/html"
    calls: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        name = "index.html" if self.path == "/" else self.path.lstrip("/")
        kind = "text/html" if name.endswith(".html") else "text/javascript"
        self._reply(200, (self.folder / name).read_bytes(), kind)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.calls.append(self.path)
        self._reply(self.api_status, self.api_body, self.api_type)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, type[_Site]]]:
    shutil.copy2(STATIC / "counter.js", tmp_path / "counter.js")
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CV</title>'
        '<link rel="icon" href="data:,">'
        '<script src="/counter.js" defer data-api="/api/views" data-page="/" data-local></script>'
        "</head><body><p data-counter hidden>Views: <span data-counter-value></span></p>"
        "</body></html>",
        encoding="utf-8",
    )
    handler = type("Site", (_Site,), {"folder": tmp_path, "calls": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (404, HTML_404, "text/html"),  # CloudFront's custom error response
        (200, HTML_404, "text/html"),  # /api/* answered by the site itself
        (200, b'{"page":"/","views":7}', "text/html"),  # JSON text, but not served as JSON
    ],
    ids=["html-404", "html-200", "json-as-html"],
)
def test_public_counter_stays_hidden_without_json(
    page: Any, site: tuple[str, type[_Site]], status: int, body: bytes, kind: str
) -> None:
    url, handler = site
    handler.api_status, handler.api_body, handler.api_type = status, body, kind
    with page.expect_response(lambda r: r.url.endswith("/api/views")):
        page.goto(url)
    page.wait_for_timeout(300)
    assert handler.calls == ["/api/views"]
    assert page.is_hidden("[data-counter]")
    assert page.console_errors == [] or all("404" in e for e in page.console_errors)


def test_public_counter_shows_a_json_answer(page: Any, site: tuple[str, type[_Site]]) -> None:
    url, handler = site
    handler.api_body, handler.api_type = b'{"page":"/","views":7}', "application/json"
    page.goto(url)
    page.wait_for_selector("[data-counter]:not([hidden])", timeout=10_000)
    assert page.text_content("[data-counter-value]") == "7"
