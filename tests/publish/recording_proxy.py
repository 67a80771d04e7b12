"""A small HTTP proxy that records every request it forwards (to moto, in tests and bench).

Put it between a client and an S3/CloudFront endpoint to count requests and check their
order: `RecordingProxy(upstream).start()`, point the client at `proxy.endpoint`, read
`proxy.requests`. `fail` answers matching requests with an error instead of forwarding
them; `hold` keeps matching requests waiting (a publish that is about to be killed);
`lose` forwards matching requests and then drops the connection without an answer (the
request landed, its answer was lost). `count` and `puts` leave out the requests for the
publish lease (`lease_requests` has them), so figures about the site stay what they were.

Requests for the lease are forwarded one at a time. moto evaluates `If-None-Match` /
`If-Match` and then writes without a lock (moto/s3/responses.py `put_object`), so two
conditional writes arriving together could both pass there; S3 documents the check and
the write as one atomic step (one wins, the other gets 412, or 409
ConditionalRequestConflict to retry). Serialising them here gives moto S3's behaviour.
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LEASE = "/_cvgen/lease.json"
_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # unquoted, without the query string
    query: str
    copy_source: str | None  # set for a server-side CopyObject (an HTTP PUT)
    size: int  # request body bytes
    body: bytes = b""  # kept for POST requests (invalidation batches) and the lease's

    @property
    def is_copy(self) -> bool:
        return self.copy_source is not None

    @property
    def is_lease(self) -> bool:
        return self.path.endswith(LEASE)


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream_host = parsed.hostname or "127.0.0.1"
        self.upstream_port = parsed.port or 80
        self.requests: list[Request] = []
        # answer with (status) or (status, error code) instead of forwarding; None forwards
        self.fail: Callable[[Request], int | tuple[int, str] | None] = lambda request: None
        self.hold: Callable[[Request], bool] = lambda request: False
        self.lose: Callable[[Request], bool] = lambda request: False
        self._lease_lock = threading.Lock()
        self.held = threading.Event()  # set when a request is being held
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                        if size == 0:
                            while self.rfile.readline().strip():
                                pass
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _handle(self) -> None:
                body = self._body()
                split = urllib.parse.urlsplit(self.path)
                request = Request(
                    self.command,
                    urllib.parse.unquote(split.path),
                    split.query,
                    self.headers.get("x-amz-copy-source"),
                    len(body),
                    body if self.command == "POST" or split.path.endswith(LEASE) else b"",
                )
                with proxy._lock:
                    proxy.requests.append(request)
                if proxy.hold(request):
                    proxy.held.set()
                    proxy.release.wait()
                failure = proxy.fail(request)
                if failure is not None:
                    status, code = failure if isinstance(failure, tuple) else (failure, "")
                    payload = (
                        "<?xml version='1.0'?><ErrorResponse><Error>"
                        f"<Code>{code or 'InternalError'}</Code>"
                        "<Message>injected by the recording proxy</Message></Error></ErrorResponse>"
                    ).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                headers["Content-Length"] = str(len(body))
                if request.is_lease:
                    with proxy._lease_lock:
                        forwarded = proxy._forward(self.command, self.path, body, headers)
                else:
                    forwarded = proxy._forward(self.command, self.path, body, headers)
                status, reason, answer_headers, answer = forwarded
                if proxy.lose(request):
                    self.close_connection = True  # it landed; the client never hears so
                    return
                self.send_response(status, reason)
                for key, value in answer_headers:
                    if key.lower() not in _HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                length = answer_headers_length(answer_headers, answer, self.command)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _forward(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        for attempt in range(2):
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection(
                    self.upstream_host, self.upstream_port, timeout=60
                )
                self._local.connection = connection
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                return response.status, response.reason, response.getheaders(), data
            except (http.client.HTTPException, OSError):
                connection.close()
                self._local.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def start(self) -> RecordingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> RecordingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def snapshot(self) -> list[Request]:
        with self._lock:
            return list(self.requests)

    def puts(self, under: str = "", copies: bool = False) -> list[Request]:
        """PUT requests whose path starts with `under` (uploads; CopyObject with copies=True)."""
        return [
            r
            for r in self.snapshot()
            if r.method == "PUT"
            and r.path.startswith(under)
            and r.is_copy == copies
            and not r.is_lease
        ]

    def lease_bodies(self) -> list[bytes]:
        """The body of each PUT of the publish lease, in order."""
        return [r.body for r in self.snapshot() if r.is_lease and r.method == "PUT"]

    def lease_requests(self) -> list[tuple[str, str]]:
        """(method, query) of each request for the publish lease, in order."""
        return [(r.method, r.query) for r in self.snapshot() if r.is_lease]

    def invalidations(self) -> list[list[str]]:
        """The paths of each CreateInvalidation request forwarded, in order."""
        return [
            sorted(re.findall(r"<Path>([^<]*)</Path>", r.body.decode("utf-8")))
            for r in self.snapshot()
            if r.method == "POST" and r.path.endswith("/invalidation")
        ]

    def count(self, method: str, under: str = "") -> int:
        """Requests with `method` under a path, the lease's left out."""
        return sum(
            1
            for r in self.snapshot()
            if r.method == method and r.path.startswith(under) and not r.is_lease
        )


def answer_headers_length(headers: list[tuple[str, str]], body: bytes, method: str) -> int:
    """The Content-Length to send: the upstream's for HEAD (no body), else the body's."""
    if method == "HEAD":
        for key, value in headers:
            if key.lower() == "content-length":
                return int(value)
        return 0
    return len(body)
