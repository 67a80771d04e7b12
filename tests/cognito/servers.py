"""Loopback servers for the Cognito-mode counter tests.

- `SignedCounter`: answers like the counter API (`POST /api/views`, `GET /api/views?page=`),
  but only for requests whose SigV4 signature botocore reproduces with the same credentials
  and the same canonical request; everything else gets `403 {"error": ...}`, as API Gateway
  with IAM authorization would. CORS for one page origin; preflights are not signed.
- `CognitoProxy`: forwards Cognito Identity JSON calls and STS AssumeRoleWithWebIdentity form
  calls to moto, records each call, and keeps the credentials STS handed out (access key ->
  secret, token) so `SignedCounter` can check signatures made with them. It can shorten
  credential lifetimes and "delete" identities.
- `StaticSite`: serves a folder (the built or hand-written page).

Each is a context manager binding 127.0.0.1 on a free port and shutting down on exit.
"""

from __future__ import annotations

import datetime
import functools
import hmac
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SERVICE = "execute-api"
REQUIRED_SIGNED = ("host", "x-amz-date", "x-amz-security-token")
MAX_SKEW = datetime.timedelta(minutes=5)  # what AWS allows between x-amz-date and its clock
_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<scope>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass
class IssuedCredentials:
    secret_key: str
    session_token: str


def check_signature(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    issued: dict[str, IssuedCredentials],
    region: str,
    now: datetime.datetime,
) -> str | None:
    """Why the request's SigV4 signature is not acceptable, or None when it is.

    `headers` have lower-case names. The expected signature comes from botocore's own
    SigV4Auth over a request rebuilt from the signed headers, the URL and the body.
    """
    match = _AUTH.match(headers.get("authorization", ""))
    if not match:
        return "Missing Authentication Token"
    key, scope, signed = match["key"], match["scope"], match["signed"].split(";")
    if key not in issued:
        return "The security token included in the request is invalid."
    amz_date = headers.get("x-amz-date", "")
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    except ValueError:
        return "x-amz-date is missing or malformed"
    if abs(now - when) > MAX_SKEW:
        return "Signature expired"
    if scope != f"{amz_date[:8]}/{region}/{SERVICE}/aws4_request":
        return f"Credential should be scoped to {amz_date[:8]}/{region}/{SERVICE}/aws4_request"
    missing = [name for name in REQUIRED_SIGNED if name not in signed]
    if missing or signed != sorted(signed) or any(name not in headers for name in signed):
        return "Signed headers must be sorted, present, and include " + ", ".join(REQUIRED_SIGNED)
    credentials = issued[key]
    if headers["x-amz-security-token"] != credentials.session_token:
        return "The security token included in the request is invalid."
    request = AWSRequest(
        method=method, url=url, headers={name: headers[name] for name in signed}, data=body
    )
    request.context["timestamp"] = amz_date
    auth = SigV4Auth(
        Credentials(key, credentials.secret_key, credentials.session_token), SERVICE, region
    )
    expected = auth.signature(
        auth.string_to_sign(request, auth.canonical_request(request)), request
    )
    if not hmac.compare_digest(expected, match["signature"]):
        return "The request signature we calculated does not match the signature you provided."
    return None


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def owner(self) -> Any:
        return self.server.owner  # type: ignore[attr-defined]

    def cors(self) -> dict[str, str]:
        """CORS headers allowing the owner's page origin (and no other)."""
        headers = {"Vary": "Origin"}
        if self.headers.get("Origin") == self.owner.page_origin:
            headers["Access-Control-Allow-Origin"] = self.owner.page_origin
        return headers

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    error: str | None


class SignedCounter(_Server):
    """The counter API behind IAM authorization, verifying SigV4 with botocore."""

    def __init__(self, issued: dict[str, IssuedCredentials], region: str, page_origin: str) -> None:
        super().__init__(_SignedCounterHandler)
        self.issued = issued
        self.region = region
        self.page_origin = page_origin
        self.views: dict[str, int] = {}
        self.received: list[Received] = []
        self.lock = threading.Lock()

    @property
    def api(self) -> str:
        return f"{self.origin}/api/views"

    def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, Any]]:
        """Send a raw request (e.g. a replayed or tampered one) and return status and JSON."""
        request = urllib.request.Request(
            self.origin + path, data=body or None, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())


class _SignedCounterHandler(_Handler):
    def answer(self, status: int, data: dict[str, Any], body: bytes, error: str | None) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.owner.lock:
            self.owner.received.append(
                Received(self.command, self.path, headers, body, status, error)
            )
        self.reply(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **self.cors()},
        )

    def do_OPTIONS(self) -> None:
        # API Gateway answers CORS preflights itself, without authorization.
        self.reply(
            204,
            b"",
            {
                **self.cors(),
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": (
                    "authorization, content-type, x-amz-date, x-amz-security-token"
                ),
                "Access-Control-Max-Age": "600",
            },
        )

    def handle_counter(self, body: bytes) -> None:
        path, _, query = self.path.partition("?")
        if path != "/api/views":
            self.answer(404, {"error": "not found"}, body, None)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        url = f"http://{headers.get('host', '')}{self.path}"
        now = datetime.datetime.now(datetime.UTC)
        error = check_signature(
            self.command, url, headers, body, self.owner.issued, self.owner.region, now
        )
        if error:
            self.answer(403, {"error": error}, body, error)
            return
        if self.command == "POST":
            try:
                page = json.loads(body or b"{}").get("page", "/")
            except (ValueError, AttributeError):
                self.answer(400, {"error": 'expected JSON like {"page": "/"}'}, body, None)
                return
            with self.owner.lock:
                views = self.owner.views[page] = self.owner.views.get(page, 0) + 1
        else:
            page = dict(p.partition("=")[::2] for p in query.split("&") if p).get("page", "/")
            with self.owner.lock:
                views = self.owner.views.get(page, 0)
        self.answer(200, {"page": page, "views": views}, body, None)

    def do_POST(self) -> None:
        self.handle_counter(self.read_body())

    def do_GET(self) -> None:
        self.handle_counter(b"")


@dataclass
class CognitoCall:
    target: str  # e.g. "GetId"
    request: dict[str, Any]
    status: int
    response: dict[str, Any]


class CognitoProxy(_Server):
    """Records Cognito Identity calls on their way to moto; adds CORS for the page origin."""

    def __init__(self, upstream: str, page_origin: str) -> None:
        super().__init__(_CognitoProxyHandler)
        self.upstream = upstream
        self.page_origin = page_origin
        self.issued: dict[str, IssuedCredentials] = {}
        self.calls: list[CognitoCall] = []
        # seconds from now for the Expiration of handed-out credentials (None: as moto says)
        self.expires_in: float | None = None
        # identities GetCredentialsForIdentity refuses, as if deleted with their pool
        self.deleted: set[str] = set()
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return self.origin + "/"

    def targets(self) -> list[str]:
        return [call.target for call in self.calls]


class _CognitoProxyHandler(_Handler):
    def do_OPTIONS(self) -> None:
        self.reply(
            204,
            b"",
            {
                **self.cors(),
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "content-type, x-amz-target, x-amz-user-agent",
            },
        )

    def forward(self, body: bytes, target: str) -> tuple[int, bytes]:
        headers = {"Content-Type": self.headers.get("Content-Type", "")}
        if target:
            headers["X-Amz-Target"] = target
        forward = urllib.request.Request(
            self.owner.upstream, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(forward, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def do_POST(self) -> None:
        proxy: CognitoProxy = self.owner
        body = self.read_body()
        target = self.headers.get("X-Amz-Target", "")
        if not target:  # STS: a form-encoded query call, answered in XML
            self.sts(body)
            return
        request = json.loads(body or b"{}")
        operation = target.rpartition(".")[2]
        if operation in ("GetCredentialsForIdentity", "GetOpenIdToken") and (
            request.get("IdentityId") in proxy.deleted
        ):
            status, data = (
                400,
                {
                    "__type": "ResourceNotFoundException",
                    "message": "Identity not found.",
                },
            )
        else:
            status, raw = self.forward(body, target)
            try:
                data = json.loads(raw)
            except ValueError:
                data = {"message": raw.decode(errors="replace")}
        with proxy.lock:
            proxy.calls.append(CognitoCall(operation, request, status, data))
        self.reply(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/x-amz-json-1.1", **self.cors()},
        )

    def sts(self, body: bytes) -> None:
        proxy: CognitoProxy = self.owner
        request = dict(urllib.parse.parse_qsl(body.decode()))
        status, raw = self.forward(body, "")
        text = raw.decode()
        if status == 200 and proxy.expires_in is not None:
            expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
                seconds=proxy.expires_in
            )
            text = re.sub(
                r"<Expiration>[^<]*</Expiration>",
                f"<Expiration>{expires.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration>",
                text,
            )
        found = dict(re.findall(r"<(AccessKeyId|SecretAccessKey|SessionToken|Arn)>([^<]*)<", text))
        if status == 200 and found.get("AccessKeyId"):
            with proxy.lock:
                proxy.issued[found["AccessKeyId"]] = IssuedCredentials(
                    found["SecretAccessKey"], found["SessionToken"]
                )
        with proxy.lock:
            proxy.calls.append(CognitoCall(request.get("Action", "?"), request, status, found))
        self.reply(status, text.encode(), {"Content-Type": "text/xml", **self.cors()})


class _QuietStaticHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticSite(_Server):
    def __init__(self, folder: Path) -> None:
        super().__init__(functools.partial(_QuietStaticHandler, directory=str(folder)))  # type: ignore[arg-type]
