"""The pure freezing of published applications (no I/O): table-driven."""

from __future__ import annotations

import pytest

from cvgen.errors import CvgenError
from cvgen.publish.freeze import application_folder, application_slug, freeze_applications
from cvgen.publish.local import LocalFile
from cvgen.publish.plan import PlanOptions, plan_publish
from cvgen.publish.release import Release, ReleaseEntry
from tests.publish.test_plan import local, remote

ACME = "a/acme-2-0123456789abcdef0123456789abcdef/"


def release(files: dict[str, bytes], applications: dict[str, str]) -> Release:
    entries = {}
    for path, content in files.items():
        made = local(path, content)
        headers = made.headers
        entries[path] = ReleaseEntry(
            made.sha256,
            headers.digest(),
            made.size,
            "etag",
            headers.content_type,
            headers.cache_control,
            headers.content_encoding,
        )
    return Release(1, "2026-12-07T10:00:00+00:00", entries, applications=applications)


SENT = {
    "index.html": b"cv v1",
    ACME + "index.html": b"cv v1",
    ACME + "assets/s.0123456789.css": b"a",
}
PUBLISHED = release(SENT, {ACME: "2026-12-07"})
IN_BUCKET = {path: remote(path, content) for path, content in SENT.items()}
# the CV moved on: new page, new stylesheet name
TODAY = {
    "index.html": local("index.html", b"cv v2"),
    ACME + "index.html": local(ACME + "index.html", b"cv v2"),
    ACME + "assets/s.9876543210.css": local(ACME + "assets/s.9876543210.css", b"b"),
}


def test_folders_and_slugs() -> None:
    assert application_folder(ACME + "cv.pdf") == ACME
    assert application_folder("a/x.html") is None and application_folder("about/a/b") is None
    assert application_slug(ACME) == "acme-2"


def test_a_published_application_is_what_was_sent_whatever_the_build_holds() -> None:
    frozen = freeze_applications(TODAY, PUBLISHED, IN_BUCKET, today="2026-12-09")
    assert frozen.frozen == {ACME} and frozen.replaced == frozenset()
    assert frozen.target[ACME + "index.html"].sha256 == local("x", b"cv v1").sha256
    assert ACME + "assets/s.9876543210.css" not in frozen.target
    assert frozen.target["index.html"] is TODAY["index.html"]
    assert frozen.applications == {ACME: "2026-12-07"}
    assert frozen.notes == (
        "application acme-2: frozen since 2026-12-07; the CV changed since "
        "(`cvgen publish --refresh acme-2` replaces it)",
    )
    plan = plan_publish(frozen.target, IN_BUCKET, PlanOptions(delete=True, yes=True))
    assert [u.path for u in plan.uploads] == ["index.html"] and plan.deletes == ()


def test_the_plan_itself_never_touches_a_frozen_folder() -> None:
    # even handed today's files for it (a bug upstream), with --delete
    options = PlanOptions(delete=True, yes=True, frozen=frozenset({ACME}))
    plan = plan_publish(TODAY, IN_BUCKET, options)
    assert [u.path for u in plan.uploads] == ["index.html"]
    assert plan.deletes == ()


@pytest.mark.parametrize(
    ("refresh", "prune", "build", "uploads", "deletes", "note"),
    [
        (
            ("acme-2",),
            False,
            TODAY,
            [ACME + "assets/s.9876543210.css", ACME + "index.html", "index.html"],
            [ACME + "assets/s.0123456789.css"],
            "application acme-2: published afresh (--refresh); frozen from 2026-12-09",
        ),
        (
            (),
            True,
            {"index.html": TODAY["index.html"]},
            ["index.html"],
            [ACME + "assets/s.0123456789.css", ACME + "index.html"],
            "application acme-2: unpublished (--prune-applications)",
        ),
        (
            (),
            False,
            {"index.html": TODAY["index.html"]},
            ["index.html"],
            [],
            "application acme-2: its file is gone from content/applications/; still published "
            "(frozen since 2026-12-07); `--prune-applications` removes it",
        ),
    ],
)
def test_on_purpose_only_without_delete(
    refresh: tuple[str, ...],
    prune: bool,
    build: dict[str, LocalFile],
    uploads: list[str],
    deletes: list[str],
    note: str,
) -> None:
    frozen = freeze_applications(
        build,
        PUBLISHED,
        IN_BUCKET,
        today="2026-12-09",
        refresh=refresh,
        prune=prune,  # type: ignore[arg-type]
    )
    options = PlanOptions(frozen=frozen.frozen, replaced=frozen.replaced)
    plan = plan_publish(frozen.target, IN_BUCKET, options)
    assert [u.path for u in plan.uploads] == uploads
    assert list(plan.deletes) == deletes
    assert frozen.notes == (note,)


def test_a_new_application_is_frozen_from_today_and_a_wrong_refresh_is_an_error() -> None:
    frozen = freeze_applications(TODAY, None, {}, today="2026-12-09")
    assert frozen.applications == {ACME: "2026-12-09"} and frozen.target == TODAY
    with pytest.raises(CvgenError, match=r"--refresh acme: .*did you mean `acme-2`\?"):
        freeze_applications(TODAY, PUBLISHED, IN_BUCKET, today="2026-12-09", refresh=("acme",))


def test_a_frozen_file_changed_in_the_bucket_by_hand_is_left_alone() -> None:
    tampered = {**IN_BUCKET, ACME + "index.html": remote(ACME + "index.html", b"edited")}
    frozen = freeze_applications(TODAY, PUBLISHED, tampered, today="2026-12-09")
    assert ACME + "index.html" not in frozen.target
    assert "is not in the bucket as published; left as it is" in frozen.notes[0]
    options = PlanOptions(delete=True, yes=True, frozen=frozen.frozen, replaced=frozen.replaced)
    plan = plan_publish(frozen.target, tampered, options)
    assert ACME + "index.html" not in [u.path for u in plan.uploads] + list(plan.deletes)
