"""Random damage to the lease and release records cvgen keeps in the bucket: every result is
a record or is named as damaged, never a traceback (issue 28: `1e400`, `Infinity` and deep
nesting in these records were tracebacks in every publish and in `--force-unlock`)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvgen.errors import CvgenError
from cvgen.publish.lease import Holder, LeaseRecord, held_message, observe
from cvgen.publish.release import Release, ReleaseEntry, parse_release

LEASE = LeaseRecord("0123abcd", Holder("3c3ec1f3", "GitHub Actions run 7", 42), "x", 60).to_json()
RELEASE = Release(
    3,
    "2026-01-01T00:00:00+00:00",
    {
        "index.html": ReleaseEntry("a" * 64, "b" * 64, 120, "e1", "text/html", "no-cache"),
        "cv.pdf": ReleaseEntry("c" * 64, "d" * 64, 9000, "e2", "application/pdf", "max-age=60"),
    },
    2,
    ("/",),
).to_json()
TOKENS = [b"1e400", b"-1e400", b"Infinity", b"NaN", b"[" * 2000, b"{", b"null", b'"', b"\\"]

edits = st.lists(
    st.tuples(
        st.floats(0, 1, exclude_max=True),
        st.one_of(
            st.none(), st.integers(0, 255).map(lambda b: bytes([b])), st.sampled_from(TOKENS)
        ),
        st.booleans(),  # insert rather than replace
    ),
    min_size=1,
    max_size=4,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)


def damaged(data: bytes, changes: list[tuple[float, bytes | None, bool]]) -> bytes:
    out = bytearray(data)
    for where, chunk, insert in changes:
        at = int(where * len(out))
        if chunk is None:
            del out[at : at + 1]
        elif insert:
            out[at:at] = chunk
        else:
            out[at : at + len(chunk)] = chunk
    return bytes(out)


def lease_is_handled(data: bytes) -> None:
    seen = observe(data, '"etag"', 5.0)
    assert seen.damage or seen.record.seconds > 0
    assert held_message("s3://bucket/", seen, 0.0)  # what a second publish prints
    assert seen.describe()  # what --force-unlock prints


def release_is_handled(data: bytes) -> None:
    try:
        parse_release(data, "s3://bucket/_cvgen/releases/00000003.json")
    except CvgenError as exc:
        assert "damaged release record" in str(exc) or "unreadable" in str(exc)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(changes=edits)
def test_damaged_lease_bytes_never_give_a_traceback(
    changes: list[tuple[float, bytes | None, bool]],
) -> None:
    lease_is_handled(damaged(LEASE, changes))


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(changes=edits)
def test_damaged_release_bytes_never_give_a_traceback(
    changes: list[tuple[float, bytes | None, bool]],
) -> None:
    release_is_handled(damaged(RELEASE, changes))


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(
    field=st.sampled_from(["token", "holder", "acquired", "seconds", "renewal"]), value=json_values
)
def test_any_json_in_a_lease_field_is_a_lease_or_damaged(field: str, value: object) -> None:
    raw = json.loads(LEASE)
    raw[field] = value
    lease_is_handled(json.dumps(raw).encode())


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(
    field=st.sampled_from(["number", "created", "files", "rollback_of", "pending_invalidation"]),
    entry_field=st.sampled_from(["sha256", "size", "etag", "content_type", "version_id"]),
    value=json_values,
)
def test_any_json_in_a_release_field_is_a_release_or_damaged(
    field: str, entry_field: str, value: object
) -> None:
    raw = json.loads(RELEASE)
    raw[field] = value
    release_is_handled(json.dumps(raw).encode())
    raw = json.loads(RELEASE)
    raw["files"]["index.html"][entry_field] = value
    release_is_handled(json.dumps(raw).encode())
