"""HTTP for `cvgen smoke`: one request at a time over urllib, never following redirects.

A redirect is reported as what it is (a 301 is not a 200), and an HTTP error status is a
normal `Response`, so checks judge statuses instead of catching exceptions. Only failures
to get any answer at all (DNS, TLS, refused, timeout) raise `FetchError`.

`timeout` is each request's total deadline, not the socket's per-read one: a server that
sends its answer a byte at a time never lets a read time out, so a timer shuts the
connection's socket when the deadline passes and the request fails as timed out.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cvgen import __version__

USER_AGENT = f"cvgen-smoke/{__version__}"
MAX_BODY = 20 * 1024 * 1024  # a CV page or asset is far smaller; guards against runaway bodies


class Signer(Protocol):
    """Returns the headers to send, e.g. with a SigV4 signature added."""

    def __call__(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]: ...


class FetchError(Exception):
    """No HTTP answer at all; the message says why (DNS, TLS, refused, timeout)."""

    def __init__(self, message: str, *, dns: bool = False) -> None:
        super().__init__(message)
        self.dns = dns  # the host name did not resolve


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # hand the 3xx back as an HTTPError, i.e. as the answer itself


class _Connections:
    """The sockets a request opens, so its deadline can shut them (urllib lets go of the
    connection's socket once the headers are in; the answer's body still reads from it)."""

    def __init__(self) -> None:
        self.open: list[http.client.HTTPConnection] = []
        self.sockets: list[socket.socket] = []
        self.expired = threading.Event()

    def made(self, kind: type[http.client.HTTPConnection]) -> Any:
        sockets = self.sockets

        class Tracked(kind):  # type: ignore[valid-type, misc]
            def connect(self) -> None:
                super().connect()
                sockets.append(self.sock)

        def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            connection: http.client.HTTPConnection = Tracked(*args, **kwargs)
            self.open.append(connection)
            return connection

        return make

    def expire(self) -> None:
        self.expired.set()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connections: _Connections) -> None:
        super().__init__()
        self.connections = connections

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connections.made(http.client.HTTPConnection), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connections: _Connections, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self.connections = connections
        self.context = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        made = self.connections.made(http.client.HTTPSConnection)
        return self.do_open(made, req, context=self.context)


class Client:
    """Sends requests one at a time, with one TLS context and a total deadline each."""

    def __init__(self, timeout: float = 10.0, ca_bundle: Path | None = None) -> None:
        self.timeout = timeout
        self._context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        signer: Signer | None = None,
    ) -> Response:
        sent = {"User-Agent": USER_AGENT, "Cache-Control": "no-cache", **(headers or {})}
        if signer is not None:
            sent = signer(method, url, sent, body)
        request = urllib.request.Request(url, data=body, method=method, headers=sent)
        connections = _Connections()
        opener = urllib.request.build_opener(
            _NoRedirect(), _HTTPHandler(connections), _HTTPSHandler(connections, self._context)
        )
        deadline = threading.Timer(self.timeout, connections.expire)
        deadline.start()
        late = FetchError(
            f"{method} {url}: no whole answer within {self.timeout:g} s (--timeout); check"
            " that the host answers, or raise --timeout"
        )
        try:
            answer = self._send(opener, request, method, url)
        except (OSError, http.client.HTTPException) as error:
            if connections.expired.is_set():
                raise late from None
            raise FetchError(f"{method} {url}: {_reason(error)}") from None
        finally:
            deadline.cancel()
            for connection in connections.open:
                connection.close()
        if connections.expired.is_set():  # cut short: what arrived is not the answer
            raise late
        return answer

    def _send(
        self,
        opener: urllib.request.OpenerDirector,
        request: urllib.request.Request,
        method: str,
        url: str,
    ) -> Response:
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, _headers(answer.headers), answer.read(MAX_BODY))
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, _headers(error.headers), error.read(MAX_BODY))
        except urllib.error.URLError as error:
            if isinstance(error.reason, socket.gaierror):
                raise FetchError(f"{method} {url}: {_reason(error.reason)}", dns=True) from None
            if isinstance(error.reason, OSError):  # judged by the caller: timed out or not
                raise error.reason from None
            raise FetchError(f"{method} {url}: {_reason(error.reason)}") from None


def _headers(message: Any) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in message.items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def _reason(reason: object) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (
            f"TLS certificate not trusted ({reason.verify_message}); check the domain's "
            "certificate, or pass --ca-bundle for a private CA"
        )
    if isinstance(reason, TimeoutError):
        return "timed out; raise --timeout or check that the host answers"
    if isinstance(reason, socket.gaierror):
        return f"the host name does not resolve (DNS: {reason.strerror or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused; is the site up at that address?"
    return str(reason) or type(reason).__name__
