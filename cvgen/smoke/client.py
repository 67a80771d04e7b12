"""HTTP for `cvgen smoke`: one request at a time over urllib, never following redirects.

A redirect is reported as what it is (a 301 is not a 200), and an HTTP error status is a
normal `Response`, so checks judge statuses instead of catching exceptions. Only failures
to get any answer at all (DNS, TLS, refused, timeout) raise `FetchError`.
"""

from __future__ import annotations

import socket
import ssl
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


class Client:
    """Sends requests with one TLS context and timeout."""

    def __init__(self, timeout: float = 10.0, ca_bundle: Path | None = None) -> None:
        self.timeout = timeout
        context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
        self._opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPSHandler(context=context)
        )

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
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, _headers(answer.headers), answer.read(MAX_BODY))
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, _headers(error.headers), error.read(MAX_BODY))
        except urllib.error.URLError as error:
            dns = isinstance(error.reason, socket.gaierror)
            raise FetchError(f"{method} {url}: {_reason(error.reason)}", dns=dns) from None
        except (TimeoutError, ConnectionError, ssl.SSLError) as error:
            raise FetchError(f"{method} {url}: {_reason(error)}") from None


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
