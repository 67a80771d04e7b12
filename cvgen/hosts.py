"""Hosts and origins, one answer each: which host names stay on this machine (`cvgen serve`,
`cvgen smoke`), and a URL's origin as a browser names it (`cvgen smoke`, `cvgen infra`)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str | None) -> bool:
    """`localhost`, `127.x.y.z`, `::1` (bracketed or not); not `0.0.0.0` or other names."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    """`scheme://host[:port]` as a browser sends it in the Origin header: lower case, without
    user info, path or query; an IPv6 host in brackets."""
    parts = urlsplit(url)  # lower-cases the scheme; `hostname` lower-cases the host
    scheme = parts.scheme
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port that is no number: keep what was written
        return f"{scheme}://{parts.netloc.lower()}"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")
