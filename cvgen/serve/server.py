"""The dev server: static files from the live site, the reload channel and the counter API.

A `ThreadingHTTPServer` (standard library) whose request threads are daemons, so open
event streams never hold up shutdown. Every response carries `Cache-Control: no-store`;
HTML responses get the live-reload script; unknown paths get the site's `404.html`.
Requests whose `Host` header names another host are refused (DNS rebinding) unless the
server listens on every interface.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from cvgen.bundle.headers import content_type_for
from cvgen.errors import CvgenError
from cvgen.serve.banner import application_slug, with_banner
from cvgen.serve.paths import locate, url_segments
from cvgen.serve.reload import (
    CLIENT_JS,
    EVENTS_PATH,
    SCRIPT_PATH,
    STATE_PATH,
    error_page,
    inject_script,
)
from cvgen.serve.site import LiveSite

log = logging.getLogger(__name__)

# (method, path, query, headers, body, source ip) -> (status, headers, body)
ApiHandler = Callable[
    [str, str, str, Mapping[str, str], bytes, str], tuple[int, Mapping[str, str], bytes]
]

API_PREFIX = "/api/"
MAX_BODY = 64 * 1024
MAX_DRAIN = 1024 * 1024  # a larger body is not read at all
# Seconds between keep-alive comments on an idle event stream (finds closed tabs).
HEARTBEAT = 10.0

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json"


def content_type(path: Path | str) -> str:
    """The Content-Type `cvgen publish` gives the file on S3, so dev and production agree."""
    return content_type_for(str(path))


def allowed_hosts(bound_host: str) -> frozenset[str] | None:
    """Host header names accepted for a server bound to `bound_host` (None: accept any)."""
    if bound_host in ("", "0.0.0.0", "::"):
        return None
    return frozenset({"localhost", "127.0.0.1", "::1", bound_host.lower().strip("[]")})


def host_name(header: str) -> str:
    """The host part of a Host header: `[::1]:8000` -> `::1`, `Localhost:80` -> `localhost`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class DevServer(ThreadingHTTPServer):
    daemon_threads = True
    # listen() backlog: a page load opens several connections at once, and a full backlog
    # makes the kernel drop or reset new ones (the standard library's default is 5)
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], live: LiveSite, api: ApiHandler | None = None
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.live = live
        self.api = api
        self.hosts = allowed_hosts(address[0])
        super().__init__(address, RequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = str(host)
        if shown in ("0.0.0.0", "::"):
            shown = "127.0.0.1"
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("error while answering %s", client_address)


def bind(host: str, port: int, live: LiveSite, api: ApiHandler | None = None) -> DevServer:
    """Listen on host:port, or raise a CvgenError that says what to do instead."""
    try:
        return DevServer((host, port), live, api)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CvgenError(
                f"port {port} on {host} is already in use (another `cvgen serve`?); "
                "pass --port N to use another port, or --port 0 for any free one"
            ) from None
        if exc.errno == errno.EACCES:
            raise CvgenError(
                f"not allowed to listen on port {port}; pass --port with a number "
                "above 1023, or --port 0 for any free one"
            ) from None
        if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            raise CvgenError(
                f"cannot listen on --host {host}: {exc.strerror or exc}; "
                "use 127.0.0.1 (the default) or an address of this machine"
            ) from None
        raise


class RequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    server_version = "cvgen-serve"
    timeout = 60  # idle keep-alive connections give their thread back
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for
    # the browser's delayed ACK (~40 ms per response), which would double reload times.
    disable_nagle_algorithm = True

    # --- plumbing -----------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError):  # the browser went away
            super().handle()

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = TEXT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            if name.lower() not in ("content-length", "cache-control", "connection"):
                self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _host_ok(self) -> bool:
        hosts = self.server.hosts
        values = self.headers.get_all("Host") or []
        if hosts is None or all(host_name(value) in hosts for value in values):
            return True
        self._send(HTTPStatus.FORBIDDEN, b"Forbidden: unexpected Host header\n")
        return False

    # --- routing ------------------------------------------------------------------------

    def _route(self) -> None:
        if not self._host_ok():
            return
        if self.path.startswith("/"):  # origin form; urlsplit would read `//x/y` as a host
            path, _, query = self.path.partition("#")[0].partition("?")
        else:  # absolute form (`GET http://host/path`), as proxies send it
            url = urlsplit(self.path)
            path, query = url.path or "/", url.query
        if path == API_PREFIX.rstrip("/") or path.startswith(API_PREFIX):
            self._api(path, query)
        elif self.command not in ("GET", "HEAD"):
            self._send(
                HTTPStatus.METHOD_NOT_ALLOWED,
                b"Method not allowed\n",
                headers={"Allow": "GET, HEAD"},
            )
        elif path == EVENTS_PATH:
            self._events()
        elif path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, CLIENT_JS, "text/javascript; charset=utf-8")
        elif path == STATE_PATH:
            self._send(HTTPStatus.OK, self.server.live.state.to_json().encode(), JSON)
        else:
            self._static(path)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _route

    def _static(self, path: str) -> None:
        status, body, ctype, headers = self._read_static(path)
        self._send(status, body, ctype, headers)

    def _read_static(self, path: str) -> tuple[int, bytes, str, dict[str, str]]:
        """The response for a site path, read while no swap can happen (sent afterwards)."""
        live = self.server.live
        with live.reading() as state:
            if not state.build:  # no build has ever succeeded
                body = inject_script(error_page(state.issues), state.build)
                return HTTPStatus.INTERNAL_SERVER_ERROR, body, HTML, {}
            found = locate(live.site_dir, path)
            if found is None:
                return HTTPStatus.BAD_REQUEST, b"Bad request path\n", TEXT, {}
            if found.redirect is not None:
                return (
                    HTTPStatus.MOVED_PERMANENTLY,
                    b"",
                    TEXT,
                    {"Location": found.redirect},
                )
            status, file = HTTPStatus.OK, found.file
            if file is None:
                deferred = self._read_deferred(path)
                if deferred is not None:
                    return deferred
            if file is None:
                status, file = HTTPStatus.NOT_FOUND, live.site_dir / "404.html"
                if not file.is_file():
                    return status, b"Not found\n", TEXT, {}
            body = file.read_bytes()
        ctype = content_type(file)
        if ctype.startswith("text/html"):
            body = inject_script(body, state.build)
            slug = application_slug(PurePosixPath(file.relative_to(live.site_dir).as_posix()))
            if slug is not None and status == HTTPStatus.OK:
                body = with_banner(body, slug)
        return status, body, ctype, {}

    def _read_deferred(self, path: str) -> tuple[int, bytes, str, dict[str, str]] | None:
        """A file the build makes on first request (the PDF), or None if `path` is none."""
        segments = url_segments(path)
        if not segments:
            return None
        name = "/".join(segments)
        try:
            body = self.server.live.deferred_file(name)
        except CvgenError as exc:
            log.error("%s: %s", name, exc.format_message())
            message = f"{name} could not be made:\n{exc.format_message()}\n"
            return HTTPStatus.INTERNAL_SERVER_ERROR, message.encode(), TEXT, {}
        return None if body is None else (HTTPStatus.OK, body, content_type(name), {})

    def _api(self, path: str, query: str) -> None:
        api = self.server.api
        raw_length = self.headers.get("Content-Length") or "0"
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raw_length = "-1"  # browsers send a length for fetch() bodies; refuse the rest
        # ASCII digits only: "²" and "٣" are digits to str.isdigit (and "٣" to int)
        length = int(raw_length) if raw_length.isascii() and raw_length.isdigit() else -1
        if length < 0:
            self.close_connection = True  # the body's end is unknown
            self._send(HTTPStatus.BAD_REQUEST, b'{"error": "bad Content-Length"}', JSON)
            return
        if length > MAX_BODY:
            self.close_connection = True
            # read it anyway: closing with unread data resets the connection before the
            # client reads the answer
            remaining = length if length <= MAX_DRAIN else 0
            while remaining > 0 and (chunk := self.rfile.read(min(MAX_BODY, remaining))):
                remaining -= len(chunk)
            self._send(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                b'{"error": "request body too large"}',
                JSON,
            )
            return
        body = self.rfile.read(length) if length > 0 else b""
        if api is None:
            self._send(HTTPStatus.NOT_FOUND, b'{"error": "no API here"}', JSON)
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, out_headers, out = api(
            self.command, path, query, headers, body, self.client_address[0]
        )
        ctype = next((v for k, v in out_headers.items() if k.lower() == "content-type"), JSON)
        rest = {k: v for k, v in out_headers.items() if k.lower() != "content-type"}
        self._send(status, out, ctype, rest)

    def _events(self) -> None:
        """Server-Sent Events: the current state at once, then every change."""
        live = self.server.live
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        seen = -1
        while True:
            state = live.wait_for_state(seen, timeout=0 if seen < 0 else HEARTBEAT)
            if state is None:
                return  # shutting down
            if state.seq != seen:
                self.wfile.write(state.sse_message())
                seen = state.seq
            else:
                self.wfile.write(b": ping\n\n")
            self.wfile.flush()
