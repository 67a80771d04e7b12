"""Which host names stay on this machine: one answer for `cvgen serve` and `cvgen smoke`."""

from __future__ import annotations

import ipaddress


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
