"""Table-driven tests of the pure publish plan (no I/O)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pytest

from cvgen.bundle.headers import Headers, headers_for
from cvgen.publish.local import LocalFile
from cvgen.publish.plan import (
    PlanOptions,
    RemoteFile,
    cdn_paths,
    collapse_paths,
    default_max_deletes,
    object_key,
    plan_publish,
    relative_key,
)
from cvgen.settings.config import CacheRule

CSS = "assets/site.0123456789.css"
JS = "assets/app.abcdef0123.js"
NEW_CSS = "assets/site.9876543210.css"


def local(path: str, content: bytes = b"same", rules: tuple[CacheRule, ...] = ()) -> LocalFile:
    return LocalFile(
        path, len(content), hashlib.sha256(content).hexdigest(), headers_for(path, rules)
    )


def remote(
    path: str, content: bytes = b"same", headers: Headers | None = None, known: bool = True
) -> RemoteFile:
    headers = headers or headers_for(path)
    sha = hashlib.sha256(content).hexdigest() if known else None
    return RemoteFile(path, len(content), "etag", sha, headers.digest() if known else None)


@dataclass
class Case:
    id: str
    local: list[LocalFile]
    remote: list[RemoteFile]
    options: PlanOptions = field(default_factory=PlanOptions)
    uploads: list[tuple[str, str]] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    invalidations: list[str] = field(default_factory=list)
    refused: bool = False
    kept: list[str] = field(default_factory=list)


CASES = [
    Case("new file", [local("index.html")], [], uploads=[("index.html", "new")]),
    Case("unchanged", [local("index.html"), local(CSS)], [remote("index.html"), remote(CSS)]),
    Case(
        "content changed, same length",
        [local("cv/index.html", b"abc")],
        [remote("cv/index.html", b"abd")],
        uploads=[("cv/index.html", "content")],
        invalidations=["/cv/", "/cv/index.html"],
    ),
    Case(
        "header-only change",
        [local("robots.txt", rules=(CacheRule("robots.txt", "no-cache"),))],
        [remote("robots.txt")],
        uploads=[("robots.txt", "headers")],
        invalidations=["/robots.txt"],
    ),
    Case(
        "remote without recorded hashes counts as changed",
        [local("index.html")],
        [remote("index.html", known=False)],
        uploads=[("index.html", "content")],
        invalidations=["/", "/index.html"],
    ),
    Case(
        "gone file kept without --delete",
        [local("index.html")],
        [remote("index.html"), remote("old.html")],
        kept=["old.html"],
    ),
    Case(
        "gone file deleted with --delete, and invalidated",
        [local("index.html"), local("a.html"), local("b.html")],
        [remote("index.html"), remote("a.html"), remote("b.html"), remote("old/index.html")],
        PlanOptions(delete=True),
        deletes=["old/index.html"],
        invalidations=["/old/", "/old/index.html"],
    ),
    Case(
        "deletes above the 25% cap are refused",
        [local("index.html")],
        [remote("index.html"), remote("a.html"), remote("b.html")],
        PlanOptions(delete=True),
        deletes=["a.html", "b.html"],
        invalidations=["/a.html", "/b.html"],
        refused=True,
    ),
    Case(
        "--yes lifts the cap",
        [local("index.html")],
        [remote("index.html"), remote("a.html"), remote("b.html")],
        PlanOptions(delete=True, yes=True),
        deletes=["a.html", "b.html"],
        invalidations=["/a.html", "/b.html"],
    ),
    Case(
        "--max-deletes raises the cap",
        [local("index.html")],
        [remote("index.html"), remote("a.html"), remote("b.html")],
        PlanOptions(delete=True, max_deletes=2),
        deletes=["a.html", "b.html"],
        invalidations=["/a.html", "/b.html"],
    ),
    Case(
        "--max-deletes 0 refuses any delete",
        [local("index.html")],
        [remote("index.html"), remote("a.html")],
        PlanOptions(delete=True, max_deletes=0),
        deletes=["a.html"],
        invalidations=["/a.html"],
        refused=True,
    ),
    Case(
        "reserved paths are never deleted",
        [local("index.html")],
        [remote("index.html"), remote("_cvgen/releases/00000001.json")],
        PlanOptions(delete=True),
    ),
    Case(
        "order: fingerprinted assets, other files, HTML last",
        [local("index.html"), local("b/index.html"), local(CSS), local(JS), local("robots.txt")],
        [],
        uploads=[
            (JS, "new"),
            (CSS, "new"),
            ("robots.txt", "new"),
            ("b/index.html", "new"),
            ("index.html", "new"),
        ],
    ),
    Case(
        "new files are not invalidated, changed ones are, root maps to /",
        [local("index.html", b"v2"), local("new.html")],
        [remote("index.html", b"v1")],
        uploads=[("index.html", "content"), ("new.html", "new")],
        invalidations=["/", "/index.html"],
    ),
    Case(
        "fingerprinted assets are never invalidated",
        [local(CSS, b"v2"), local("index.html")],
        [remote(CSS, b"v1"), remote("index.html"), remote(JS)],
        PlanOptions(delete=True, yes=True),
        uploads=[(CSS, "content")],
        deletes=[JS],
    ),
    Case(
        "assets of the last releases are protected from deletes",
        [local(NEW_CSS), local("index.html", b"v2")],
        [remote(CSS), remote(JS), remote("index.html", b"v1")],
        PlanOptions(delete=True, yes=True, protected=frozenset({CSS})),
        uploads=[(NEW_CSS, "new"), ("index.html", "content")],
        deletes=[JS],
        invalidations=["/", "/index.html"],
        kept=[CSS],
    ),
    Case(
        "--no-invalidate",
        [local("index.html", b"v2")],
        [remote("index.html", b"v1")],
        PlanOptions(invalidate=False),
        uploads=[("index.html", "content")],
    ),
    Case(
        "a pending invalidation from a failed run is retried",
        [local("index.html")],
        [remote("index.html")],
        PlanOptions(pending_invalidation=("/cv/",)),
        invalidations=["/cv/"],
    ),
    Case(
        "many changed pages collapse to a wildcard above the threshold",
        [local(f"blog/p{i:02d}/index.html", b"v2") for i in range(10)] + [local("index.html")],
        [remote(f"blog/p{i:02d}/index.html", b"v1") for i in range(10)] + [remote("index.html")],
        uploads=[(f"blog/p{i:02d}/index.html", "content") for i in range(10)],
        invalidations=[f"/blog/p{i:02d}/*" for i in range(10)],
    ),
    Case(
        "when one level is not enough the next level up collapses",
        [local(f"blog/p{i:02d}/index.html", b"v2") for i in range(20)] + [local("index.html")],
        [remote(f"blog/p{i:02d}/index.html", b"v1") for i in range(20)] + [remote("index.html")],
        uploads=[(f"blog/p{i:02d}/index.html", "content") for i in range(20)],
        invalidations=["/blog/*"],
    ),
    Case(
        "a custom threshold keeps exact paths",
        [local(f"p{i}.html", b"v2") for i in range(4)],
        [remote(f"p{i}.html", b"v1") for i in range(4)],
        PlanOptions(invalidation_threshold=4),
        uploads=[(f"p{i}.html", "content") for i in range(4)],
        invalidations=[f"/p{i}.html" for i in range(4)],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_plan_publish(case: Case) -> None:
    plan = plan_publish(
        {f.path: f for f in case.local}, {f.path: f for f in case.remote}, case.options
    )
    assert [(u.path, u.reason) for u in plan.uploads] == case.uploads
    assert list(plan.deletes) == case.deletes
    assert list(plan.invalidations) == sorted(case.invalidations)
    assert (plan.refusal is not None) == case.refused
    assert list(plan.kept) == case.kept
    assert plan.unchanged == len(case.local) - len(case.uploads)
    assert plan.empty == (not case.uploads and not case.deletes and not case.invalidations)


def test_refusal_says_what_to_do() -> None:
    plan = plan_publish(
        {"index.html": local("index.html")},
        {p: remote(p) for p in ["index.html", "a.html", "b.html", "c.html", "d.html", "e.html"]},
        PlanOptions(delete=True),
    )
    assert plan.refusal is not None
    assert "refusing to delete 5 files: the limit is 2" in plan.refusal
    assert "--yes" in plan.refusal and "--max-deletes" in plan.refusal


def test_upload_carries_size_and_headers() -> None:
    plan = plan_publish({CSS: local(CSS, b"body{}")}, {}, PlanOptions())
    (upload,) = plan.uploads
    assert upload.size == 6 and plan.upload_bytes == 6
    assert upload.headers.cache_control == "public, max-age=31536000, immutable"
    assert upload.headers.content_type == "text/css; charset=utf-8"


@pytest.mark.parametrize(
    ("remote_count", "limit"), [(0, 1), (1, 1), (4, 1), (5, 2), (8, 2), (9, 3), (300, 75)]
)
def test_default_max_deletes(remote_count: int, limit: int) -> None:
    assert default_max_deletes(remote_count) == limit


@pytest.mark.parametrize(
    ("key", "prefix", "path"),
    [
        ("index.html", "", "index.html"),
        ("site/index.html", "site", "index.html"),
        ("site/a/b.css", "site/", "a/b.css"),
        ("site2/index.html", "site", None),  # a sibling prefix is not ours
        ("site/", "site", None),
        ("index.html", "site", None),
        ("a/b/site/x", "a/b", "site/x"),
    ],
)
def test_relative_key(key: str, prefix: str, path: str | None) -> None:
    assert relative_key(key, prefix) == path
    if path is not None:
        assert object_key(path, prefix) == key


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", ["/index.html", "/"]),
        ("cv/index.html", ["/cv/index.html", "/cv/"]),
        ("a/b/index.html", ["/a/b/index.html", "/a/b/"]),
        ("about.html", ["/about.html"]),
        ("robots.txt", ["/robots.txt"]),
        ("xindex.html", ["/xindex.html"]),
        ("my cv/index.html", ["/my%20cv/index.html", "/my%20cv/"]),
        ("café.html", ["/caf%C3%A9.html"]),
        ("a*b.html", ["/a%2Ab.html"]),
    ],
)
def test_cdn_paths(path: str, expected: list[str]) -> None:
    assert cdn_paths(path) == expected


@pytest.mark.parametrize(
    ("paths", "threshold", "expected"),
    [
        ({"/a.html", "/b.html"}, 15, ("/a.html", "/b.html")),
        ({f"/p{i}.html" for i in range(15)}, 15, tuple(sorted(f"/p{i}.html" for i in range(15)))),
        ({f"/p{i}.html" for i in range(16)}, 15, ("/*",)),
        # the busy directory collapses; the lone root page stays exact
        (
            {f"/blog/{i}/" for i in range(20)}
            | {f"/blog/{i}/index.html" for i in range(20)}
            | {"/", "/index.html"},
            15,
            ("/", "/blog/*", "/index.html"),
        ),
        # deepest level first: two busy sub-folders become two wildcards, /docs/c stays exact
        (
            {f"/docs/a/{i}.html" for i in range(6)}
            | {f"/docs/b/{i}.html" for i in range(6)}
            | {"/docs/c.html"},
            5,
            ("/docs/a/*", "/docs/b/*", "/docs/c.html"),
        ),
        ({"/a/1", "/a/2", "/b/1", "/b/2"}, 1, ("/*",)),
        ({"/a/1", "/a/2", "/b/1", "/b/2", "/c"}, 3, ("/a/*", "/b/*", "/c")),
        (set(), 15, ()),
    ],
)
def test_collapse_paths(paths: set[str], threshold: int, expected: tuple[str, ...]) -> None:
    result = collapse_paths(paths, threshold)
    assert result == expected
    assert len(result) <= max(threshold, 1) or not paths
    for path in paths:  # every path is still covered
        assert path in result or any(w.endswith("*") and path.startswith(w[:-1]) for w in result), (
            path
        )


def _recorded(*files: LocalFile) -> dict[str, tuple[str, str]]:
    return {f.path: (f.sha256, f.headers.digest()) for f in files}


@pytest.mark.parametrize(
    ("id", "local_files", "remote_files", "recorded", "invalidations", "record"),
    [
        (
            "in step with its record",
            [local("index.html")],
            [remote("index.html")],
            _recorded(local("index.html")),
            [],
            False,
        ),
        (
            "uploaded by an interrupted run, never invalidated or recorded",
            [local("index.html", b"v2"), local(CSS, b"v2")],
            [remote("index.html", b"v2"), remote(CSS, b"v2")],
            _recorded(local("index.html", b"v1"), local(CSS, b"v1")),
            ["/", "/index.html"],
            True,
        ),
        (
            "deleted by an interrupted run",
            [local("index.html")],
            [remote("index.html")],
            _recorded(local("index.html"), local("old.html")),
            ["/old.html"],
            True,
        ),
        ("no record yet: one is written", [local("a.html")], [remote("a.html")], {}, [], True),
        ("record not compared", [local("a.html")], [remote("a.html")], None, [], False),
    ],
)
def test_plan_catches_up_with_the_release_record(
    id: str,
    local_files: list[LocalFile],
    remote_files: list[RemoteFile],
    recorded: dict[str, tuple[str, str]] | None,
    invalidations: list[str],
    record: bool,
) -> None:
    plan = plan_publish(
        {f.path: f for f in local_files},
        {f.path: f for f in remote_files},
        PlanOptions(recorded=recorded),
    )
    assert plan.uploads == ()
    assert list(plan.invalidations) == invalidations
    assert plan.record is record
    assert plan.empty is not (record or invalidations)
