"""A local stand-in for a deployment: HTTPS on 127.0.0.1 serving a built output/ with the
CloudFront response headers and a `/api/views` counter, each part breakable on purpose.
"""

from __future__ import annotations

import json
import mimetypes
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.tls import self_signed

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert.pem, key.pem)."""
    made = self_signed(["127.0.0.1", "localhost"], days=1)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(made.cert_pem)
    key_path.write_bytes(made.key_pem)
    return cert_path, key_path


@dataclass
class Deployment:
    """What the stand-in serves; tests change fields to break one thing at a time."""

    site_dir: Path
    headers: dict[str, str] = field(default_factory=lambda: dict(SECURITY_HEADERS))
    allowed_origins: set[str] = field(default_factory=set)  # filled with the server's origin
    cors_wildcard: bool = False  # answer every origin with `*`
    increment: int = 1  # how much a POST adds
    counts: dict[str, int] = field(default_factory=dict)
    # `cvgen smoke`'s own count (POST `"smoke": true`, GET `smoke=1`), as the real counter
    # keeps it; `knows_smoke=False` plays a counter deployed before that, counting it publicly
    smoke_counts: dict[str, int] = field(default_factory=dict)
    knows_smoke: bool = True
    # the real counter rules (cvgen.counter.LocalCounter) instead of the toy counter below
    real_counter: Any = None
    # like the site stack's CloudFront function: 404 for cvgen's own records under _cvgen/
    hides_records: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {**self.server.deployment.headers, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _cors(self) -> dict[str, str]:
        deployment = self.server.deployment
        origin = self.headers.get("Origin")
        if deployment.cors_wildcard:
            return {"Access-Control-Allow-Origin": "*"}
        if origin and origin in deployment.allowed_origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    def _json(self, status: int, data: object) -> None:
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store", **self._cors()}
        self._send(status, json.dumps(data).encode(), headers)

    def _real_counter(self) -> bool:
        """Answer /api/views with the real counter rules, when the deployment uses them."""
        counter = self.server.deployment.real_counter
        parts = urlsplit(self.path)
        if counter is None or parts.path != "/api/views":
            return False
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, answer = counter.handle(
            self.command, parts.path, parts.query, dict(self.headers.items()), body, "127.0.0.1"
        )
        self._send(status, answer, headers)
        return True

    def do_OPTIONS(self) -> None:
        self.server.deployment.requests.append(f"OPTIONS {self.path}")
        if self._real_counter():
            return
        headers = self._cors()
        if headers:
            headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "content-type"
        self._send(204, b"", headers)

    def do_POST(self) -> None:
        deployment = self.server.deployment
        deployment.requests.append(f"POST {self.path}")
        if self._real_counter():
            return
        if urlsplit(self.path).path != "/api/views":
            self._json(405, {"error": "method not allowed"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        data = json.loads(self.rfile.read(length) or b"{}")
        page = data.get("page", "/")
        apart = deployment.knows_smoke and data.get("smoke") is True
        counts = deployment.smoke_counts if apart else deployment.counts
        with deployment.lock:
            counts[page] = counts.get(page, 0) + deployment.increment
            views = counts[page]
        self._json(200, {"page": page, "views": views, **({"smoke": True} if apart else {})})

    def do_GET(self) -> None:
        deployment = self.server.deployment
        deployment.requests.append(f"GET {self.path}")
        if self._real_counter():
            return
        parts = urlsplit(self.path)
        if parts.path == "/api/views":
            query = parse_qs(parts.query)
            page = query.get("page", ["/"])[0]
            apart = deployment.knows_smoke and query.get("smoke") == ["1"]
            counts = deployment.smoke_counts if apart else deployment.counts
            with deployment.lock:
                views = counts.get(page, 0)
            self._json(200, {"page": page, "views": views, **({"smoke": True} if apart else {})})
            return
        relative = parts.path.lstrip("/")
        if deployment.hides_records and "_cvgen" in unquote(parts.path).split("/"):
            self._send(404, b"", {})
            return
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        target = (deployment.site_dir / relative).resolve()
        if not target.is_relative_to(deployment.site_dir.resolve()) or not target.is_file():
            # what CloudFront + a private bucket answer for a missing object
            self._send(
                403,
                b"<Error><Code>AccessDenied</Code></Error>",
                {"Content-Type": "application/xml"},
            )
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type == "application/javascript":
            content_type += "; charset=utf-8"
        self._send(200, target.read_bytes(), {"Content-Type": content_type})

    do_HEAD = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    deployment: Deployment


@dataclass
class Standin:
    url: str
    origin: str
    deployment: Deployment
    ca_bundle: Path | None


@contextmanager
def serve(deployment: Deployment, tls_folder: Path | None) -> Iterator[Standin]:
    """Serve `deployment` on 127.0.0.1 (HTTPS when `tls_folder` is given) until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.deployment = deployment
    port = server.server_address[1]
    ca_bundle = None
    if tls_folder is not None:
        cert, key = make_certificate(tls_folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        ca_bundle = cert
    scheme = "https" if tls_folder is not None else "http"
    origin = f"{scheme}://127.0.0.1:{port}"
    deployment.allowed_origins.add(origin)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Standin(f"{origin}/", origin, deployment, ca_bundle)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
