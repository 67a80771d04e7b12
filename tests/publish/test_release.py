from __future__ import annotations

import pytest

from cvgen.errors import CvgenError
from cvgen.publish.plan import RemoteFile
from cvgen.publish.release import (
    CopySource,
    Listed,
    Release,
    ReleaseEntry,
    needs_keeping,
    paths_to_head,
    release_key,
    release_number,
    remote_state,
    rollback_sources,
)


def entry(sha: str, etag: str = "e1", size: int = 3, version: str | None = None) -> ReleaseEntry:
    return ReleaseEntry(
        sha, "h" + sha, size, etag, "text/html; charset=utf-8", "no-cache", None, version
    )


def release(number: int, **files: ReleaseEntry) -> Release:
    return Release(
        number, "2026-01-01T00:00:00+00:00", {k.replace("_", "."): v for k, v in files.items()}
    )


def test_release_json_round_trip() -> None:
    from cvgen.publish.release import parse_release

    original = Release(7, "now", {"index.html": entry("a", version="v1")}, 6, ("/",))
    assert parse_release(original.to_json(), "x") == original


GOOD_ENTRY = (
    b'{"sha256": "a", "headers_sha256": "h", "size": 3, "etag": "e", '
    b'"content_type": "text/html", "cache_control": "no-cache"}'
)


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b'{"format": 99}',
        b'{"format": 1, "files": {}}',
        b'{"format": 1, "number": 1e400, "created": "x", "files": {}}',
        b'{"format": 1, "number": Infinity, "created": "x", "files": {}}',
        b'{"format": 1, "number": 1, "created": "x", "files": {"a": NaN}}',
        b'{"format": 1, "number": 1, "created": "x", "files": {"a": '
        + GOOD_ENTRY[:-1]
        + b', "size": 1e400}}}',
        b'{"format": 1, "number": 1, "created": "x", "files": {"a": 1}}',
        b'{"format": 1, "number": "1", "created": "x", "files": {}}',
        b'{"format": 1, "number": 1, "created": "x", "files": {}, "rollback_of": []}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 100_000 + b"1" + b"}" * 100_000,
        b"\xff\xfe",
    ],
    ids=lambda data: repr(data[:24]),
)
def test_damaged_release_is_a_clear_error(data: bytes) -> None:
    from cvgen.publish.release import parse_release

    where = "s3://b/_cvgen/releases/00000001.json"
    with pytest.raises(CvgenError, match=f"^{where}: damaged release record ") as caught:
        parse_release(data, where)
    assert "Delete that object to publish afresh" in str(caught.value)
    good = b'{"format": 1, "number": 1, "created": "x", "files": {"a": ' + GOOD_ENTRY + b"}}"
    assert parse_release(good, where).files["a"].size == 3


def test_release_keys_sort_by_number() -> None:
    assert release_key(12) == "_cvgen/releases/00000012.json"
    assert release_number(release_key(12)) == 12
    assert release_number("_cvgen/releases/latest.json") is None
    assert release_number("_cvgen/objects/abc") is None
    assert release_key(9) < release_key(10)


LISTED = {
    "index.html": Listed(3, "e1"),
    "about.html": Listed(3, "e-other"),  # overwritten by someone else since the release
    "new.html": Listed(3, "e3"),  # not in the release
    "extra.html": Listed(3, "e4"),  # remote only, not wanted
    "_cvgen/releases/00000001.json": Listed(10, "r"),
}
CURRENT = release(1, index_html=entry("a"), about_html=entry("b"))


def test_only_undescribed_wanted_objects_need_a_head() -> None:
    wanted = ["index.html", "about.html", "new.html", "missing.html"]
    assert paths_to_head(LISTED, CURRENT, wanted) == ["about.html", "new.html"]
    assert paths_to_head(LISTED, None, wanted) == ["about.html", "index.html", "new.html"]
    assert paths_to_head(LISTED, CURRENT, ["index.html"]) == []


def test_remote_state_from_release_heads_and_listing() -> None:
    state = remote_state(LISTED, CURRENT, {"about.html": ("b2", "hb2"), "new.html": (None, None)})
    assert state["index.html"] == RemoteFile("index.html", 3, "e1", "a", "ha")
    assert state["about.html"].sha256 == "b2"
    assert state["new.html"].sha256 is None
    assert state["extra.html"].sha256 is None
    assert "_cvgen/releases/00000001.json" not in state


def test_rollback_sources_prefer_versions_then_kept_copies() -> None:
    previous = release(
        1,
        a_html=entry("sha-a", version="v-a"),
        b_html=entry("sha-b"),
        c_html=entry("sha-c"),
        d_html=entry("sha-d"),
    )
    remote = {"c2.html": RemoteFile("c2.html", 3, "x", "sha-c", "h")}
    listed = {"_cvgen/objects/sha-b": Listed(3, "k")}
    sources, missing = rollback_sources(
        previous, remote, listed, ["a.html", "b.html", "c.html", "d.html"]
    )
    assert sources == {
        "a.html": CopySource("a.html", "v-a"),
        "b.html": CopySource("_cvgen/objects/sha-b"),
        "c.html": CopySource("c2.html"),
    }
    assert missing == ["d.html"]


def test_needs_keeping_only_unversioned_content_of_the_current_release() -> None:
    current = release(2, index_html=entry("a"), v_html=entry("v", version="1"))
    remote = {
        "index.html": RemoteFile("index.html", 3, "e1", "a", "ha"),
        "v.html": RemoteFile("v.html", 3, "e1", "v", "hv"),
        "other.html": RemoteFile("other.html", 3, "e1", "o", "ho"),
    }
    assert needs_keeping("index.html", current, remote, {}) == "a"
    assert needs_keeping("index.html", current, remote, {"_cvgen/objects/a": Listed(3, "")}) is None
    assert needs_keeping("v.html", current, remote, {}) is None  # S3 keeps the old version
    assert needs_keeping("other.html", current, remote, {}) is None  # not in the release
    assert needs_keeping("index.html", None, remote, {}) is None


def test_prunable_objects_are_those_no_recent_release_refers_to() -> None:
    from cvgen.publish.release import prunable_objects

    listed = {
        "_cvgen/objects/old": Listed(1, ""),
        "_cvgen/objects/a": Listed(1, ""),
        "_cvgen/objects/b": Listed(1, ""),
        "_cvgen/releases/00000001.json": Listed(1, ""),
        "index.html": Listed(1, ""),
    }
    recent = [release(3, index_html=entry("a")), release(2, index_html=entry("b"))]
    assert prunable_objects(listed, recent) == ["_cvgen/objects/old"]
    assert prunable_objects(listed, []) == [
        "_cvgen/objects/a",
        "_cvgen/objects/b",
        "_cvgen/objects/old",
    ]


# -- deletes stay safe without the lease ---------------------------------------------------


@pytest.mark.parametrize(
    ("after", "newer", "why"),
    [
        (Listed(3, "e1", 900.0), [], None),  # untouched since the listing: delete
        (None, [], "already gone"),
        (Listed(4, "e2", 1003.0), [], "written since this publish listed the bucket"),
        # the same bytes uploaded again by another publish after the listing
        (Listed(3, "e1", 1003.0), [], "written since this publish listed the bucket"),
        (
            Listed(3, "e1", 900.0),
            [release(2, photo_png=entry("a"))],
            "release 2, recorded since this publish began, has it",
        ),
        (Listed(3, "e1", 900.0), [release(2, other_png=entry("a"))], None),
    ],
)
def test_unsafe_deletes(after: Listed | None, newer: list[Release], why: str | None) -> None:
    from cvgen.publish.release import unsafe_deletes

    before = {"photo.png": Listed(3, "e1", 900.0)}
    now = {"photo.png": after} if after is not None else {}
    got = unsafe_deletes(["photo.png"], before, now, newer)
    assert got == ({} if why is None else {"photo.png": why})


def test_newer_releases() -> None:
    from cvgen.publish.release import newer_releases

    listed = ["_cvgen/releases/00000003.json", "_cvgen/releases/00000004.json", "index.html"]
    assert newer_releases(listed, 3) == [4]
    assert newer_releases(listed, 0) == [3, 4]
