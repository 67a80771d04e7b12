"""The counter's HTTP face: requests from API Gateway events or plain parts, JSON responses
(errors as `{"error": ...}`; the one 503 body), CORS headers, and the one log line per request.
Standard library only.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from counter_lambda.store import RETRY_AFTER_UNREACHABLE

ROUTE = "/api/views"

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")

ALLOW_HEADER = ", ".join(ALLOWED_METHODS)

MAX_BODY_BYTES = 1024


@dataclass(frozen=True)
class Request:
    """One HTTP request, whatever it came from. Header names are lower case."""

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    source_ip: str = ""

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    # for the log line only: never sent to the client
    counted: bool = False
    reason: str = ""
    page: str | None = None


class BadRequest(Exception):
    """The request cannot be served; `status` is 400, 404, 405, 413, 429 or 503."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def request_from_parts(
    method: str,
    path: str,
    query: str | Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    source_ip: str,
) -> Request:
    """A Request from plain parts (the dev server's view of a request)."""
    query_map = dict(parse_qsl(query, keep_blank_values=True)) if isinstance(query, str) else query
    return Request(
        method=method.upper(),
        path=path,
        query=dict(query_map),
        headers={str(k).lower(): str(v) for k, v in headers.items()},
        body=body,
        source_ip=source_ip,
    )


def request_from_event(event: object) -> Request:
    """A Request from an API Gateway event, payload 2.0 (HTTP API) or 1.0 (REST API proxy).

    Raises BadRequest(400) for anything that is not such an event, and 413 for a body over
    1 KB (checked before any base64 decoding).
    """
    if not isinstance(event, Mapping):
        raise BadRequest(400, "malformed request")
    context = event.get("requestContext")
    context = context if isinstance(context, Mapping) else {}
    http = context.get("http")
    if event.get("version") == "2.0" or isinstance(http, Mapping) or "rawPath" in event:
        http = http if isinstance(http, Mapping) else {}
        method = http.get("method")
        path = event.get("rawPath", http.get("path"))
        stage = context.get("stage")
        if isinstance(stage, str) and stage and stage != "$default" and isinstance(path, str):
            path = _strip_stage(path, stage)
        raw_query = event.get("rawQueryString")
        query: Mapping[str, str] = (
            dict(parse_qsl(raw_query, keep_blank_values=True))
            if isinstance(raw_query, str)
            else _str_map(event.get("queryStringParameters"))
        )
        source_ip = http.get("sourceIp")
    else:
        method = event.get("httpMethod")
        path = event.get("path")
        query = _str_map(event.get("queryStringParameters"))
        identity = context.get("identity")
        source_ip = identity.get("sourceIp") if isinstance(identity, Mapping) else None
    if not isinstance(method, str) or not method or not isinstance(path, str):
        raise BadRequest(400, "malformed request")
    headers = {k.lower(): v for k, v in _str_map(event.get("headers")).items()}
    body = _event_body(event.get("body"), event.get("isBase64Encoded") is True)
    return Request(
        method=method.upper(),
        path=path,
        query=query,
        headers=headers,
        body=body,
        source_ip=source_ip if isinstance(source_ip, str) else "",
    )


def _strip_stage(path: str, stage: str) -> str:
    prefix = f"/{stage}"
    if path == prefix:
        return "/"
    return path[len(prefix) :] if path.startswith(prefix + "/") else path


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _event_body(body: object, is_base64: bool) -> bytes:
    if body is None:
        return b""
    if not isinstance(body, str):
        raise BadRequest(400, "malformed request body")
    if is_base64:
        if len(body) > (MAX_BODY_BYTES + 2) // 3 * 4 + 4:
            raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(400, "request body is not valid base64") from None
    else:
        if len(body) > MAX_BODY_BYTES:
            raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest(400, "request body is not valid UTF-8") from None
    if len(data) > MAX_BODY_BYTES:
        raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
    return data


def parse_body(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
    if not body.strip():
        return {}
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest(400, 'request body must be JSON like {"page": "/"}') from None
    if not isinstance(payload, dict):
        raise BadRequest(400, 'request body must be a JSON object like {"page": "/"}')
    return payload


def json_body(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode()


def error_response(
    status: int, message: str, headers: Mapping[str, str], *, reason: str | None = None
) -> Response:
    return Response(
        status,
        dict(headers),
        json_body({"error": message}),
        counted=False,
        reason=reason or message,
    )


def unavailable_response(
    cors: Mapping[str, str], retry_after: int = RETRY_AFTER_UNREACHABLE, *, reason: str
) -> Response:
    """The one 503: the store (or the configuration) failed; the client may retry."""
    return error_response(
        503,
        "counter temporarily unavailable; retry later",
        {**cors, "Retry-After": str(retry_after)},
        reason=reason,
    )


def finish_headers(response: Response) -> dict[str, str]:
    """The headers every response carries, plus the response's own."""
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if response.body:
        headers["Content-Type"] = "application/json"
    headers.update(response.headers)
    return headers


def bad_request_response(exc: BadRequest, origin: str, allowed_origins: frozenset[str]) -> Response:
    """The response for a request that could not even be parsed (no store involved)."""
    cors = cors_headers(origin, allowed_origins)
    return error_response(exc.status, exc.message, {**cors, **exc.headers})


def log_record(request: Request | None, response: Response, latency_ms: float) -> dict[str, Any]:
    """The one log line per request: route, status, latency, counted and why. No IP, no UA."""
    route = "-"
    if request is not None:
        method = request.method if request.method in (*ALLOWED_METHODS, "HEAD") else "OTHER"
        path = request.path.rstrip("/") or "/"
        route = f"{method} {ROUTE if path == ROUTE else 'other'}"
    return {
        "route": route,
        "status": response.status,
        "latency_ms": round(latency_ms, 2),
        "counted": response.counted,
        "reason": response.reason,
        "page": response.page,
    }


def cors_headers(origin: str, allowed_origins: frozenset[str]) -> dict[str, str]:
    """`Vary: Origin`, and the origin itself when it is one of the site's."""
    headers = {"Vary": "Origin"}
    origin = origin.rstrip("/")
    if origin and origin in allowed_origins:
        headers["Access-Control-Allow-Origin"] = origin
    return headers
