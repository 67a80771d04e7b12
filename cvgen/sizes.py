"""Byte counts as people read them; every command prints sizes through `human_size`."""

from __future__ import annotations


def human_size(size: int) -> str:
    """`1234` -> `1.2 KB`: powers of 1000 (1 KB = 1000 bytes), as S3 and disks count."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")
