"""Reading the JSON records cvgen keeps in the bucket (the lease, the release manifests).

Anyone with write access to the bucket, a broken upload or a hand edit can leave bytes
there that no cvgen wrote: numbers Python cannot hold (`1e400`, `Infinity`), nesting
100,000 deep, megabytes of text. `read_record` turns every such case into one
`DamagedRecord` saying what is wrong, so a publish names the record as damaged (with the
way out) instead of failing with a traceback.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_BYTES = 64 << 20  # a release of 100,000 files is about 40 MB
MAX_DEPTH = 32  # cvgen writes 4 levels


class DamagedRecord(ValueError):
    """A record that is not what cvgen writes; the message says what is wrong with it."""


def _no_constant(name: str) -> float:
    raise DamagedRecord(f"{name} where a number should be")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise DamagedRecord(f"the number {text[:20]} is too large")
    return value


def _depth(data: bytes) -> int:
    """The deepest nesting of brackets outside strings, without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        elif byte in b"]}":
            depth -= 1
    return deepest


def read_record(data: bytes) -> dict[str, Any]:
    """The JSON object in `data`, or DamagedRecord naming the damage."""
    if len(data) > MAX_BYTES:
        raise DamagedRecord(f"{len(data):,} bytes, more than any record cvgen writes")
    if _depth(data) > MAX_DEPTH:
        raise DamagedRecord(f"nested more than {MAX_DEPTH} levels deep")
    try:
        raw = json.loads(data, parse_constant=_no_constant, parse_float=_finite)
    except DamagedRecord:
        raise
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, a 5,000-digit number
        raise DamagedRecord(f"not JSON ({str(exc)[:120]})") from None
    if not isinstance(raw, dict):
        raise DamagedRecord(f"a JSON {type(raw).__name__}, not an object")
    return raw


def record_field(raw: dict[str, Any], name: str, kind: type, *, optional: bool = False) -> Any:
    """`raw[name]` if it is a `kind` (not a bool for int), else DamagedRecord."""
    value = raw.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DamagedRecord(f"`{name}` is {json.dumps(value)[:40]}, not a {kind.__name__}")
    return value
