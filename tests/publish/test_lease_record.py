"""The lease's pure parts: who holds it (never an IP address), its body, its messages."""

from __future__ import annotations

import pytest

from cvgen.publish.lease import (
    Holder,
    LeaseRecord,
    Observed,
    ci_run,
    held_message,
    holder_here,
    lease_seconds,
    machine_here,
    observe,
    parse_record,
)
from cvgen.publish.records import DamagedRecord


def test_the_holder_is_recognisable_and_tells_nothing_about_the_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lease may be publicly readable: no user name, host name or address in it."""
    import getpass
    import socket

    monkeypatch.setattr(getpass, "getuser", lambda: "ada")
    monkeypatch.setattr(socket, "gethostname", lambda: "ip-10-0-1-7.ec2.internal")
    holder = holder_here({"GITHUB_RUN_ID": "123", "GITHUB_REPOSITORY": "ada/private-cv"})
    body = LeaseRecord("t1", holder, "2026-01-01T10:00:00+00:00", 60).to_json()
    for secret in (b"ada", b"10-0-1-7", b"ec2", b"private-cv", b"github.com"):
        assert secret not in body
    assert holder.machine == machine_here() and len(holder.machine) == 8
    assert holder.describe().startswith(f"a publish on this machine (process {holder.pid})")
    assert holder.describe().endswith(", GitHub Actions run 123")
    monkeypatch.setattr(socket, "gethostname", lambda: "another-laptop")
    assert holder.describe().startswith(f"a publish on another machine ({holder.machine})")
    assert Holder().describe() == "a publish"


def test_ci_run_names_the_run() -> None:
    github = {
        "GITHUB_RUN_ID": "123",
        "GITHUB_REPOSITORY": "ada/cv",
        "GITHUB_SERVER_URL": "https://github.example.com",
        "GITHUB_RUN_ATTEMPT": "2",
    }
    assert ci_run(github) == "GitHub Actions run 123 (attempt 2)"
    assert ci_run({**github, "GITHUB_RUN_ATTEMPT": "1"}) == "GitHub Actions run 123"
    assert ci_run({"CI_JOB_ID": "9", "CI_JOB_URL": "https://gitlab.corp/a/-/jobs/9"}) == (
        "GitLab CI job 9"
    )
    assert ci_run({"BUILD_NUMBER": "77", "BUILD_URL": "http://jenkins.corp:8080/"}) == (
        "CI build 77"
    )
    assert ci_run({"CI": "true"}) == "a CI job"
    assert ci_run({}) is None


def test_record_round_trip() -> None:
    record = LeaseRecord("t1", Holder("0a1b2c3d", None, 42), "2026-01-01T10:00:00+00:00", 60)
    assert parse_record(record.to_json()) == record
    # a lease written by an older cvgen (user and host name) reads without them
    old = b'{"format": 1, "token": "t", "acquired": "x", "seconds": 60, "renewal": 0, '
    old += b'"holder": {"host": "laptop", "user": "ada", "ci": null, "pid": 7}}'
    assert parse_record(old).holder == Holder(None, None, 7)


DAMAGED = {
    "1e400": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", "seconds": 1e400}',
    "Infinity": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", "seconds": Infinity}',
    "NaN renewal": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", "seconds": 60, '
    b'"renewal": NaN}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "deep object": b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    "a day and more": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", '
    b'"seconds": 999999999, "renewal": 0}',
    "not json": b"{not json",
    "not utf-8": b"\xff\xfe",
    "a list": b"[1, 2]",
    "huge number": b'{"seconds": ' + b"9" * 5000 + b"}",
    "string seconds": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", '
    b'"seconds": "60", "renewal": 0}',
    "holder not a mapping": b'{"format": 1, "token": "t", "holder": [], "acquired": "x", '
    b'"seconds": 60, "renewal": 0}',
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_lease_is_named_damaged_with_the_way_out(name: str) -> None:
    with pytest.raises(DamagedRecord):
        parse_record(DAMAGED[name])
    seen = observe(DAMAGED[name], '"e"', 5.0)
    assert seen.damage and seen.record.seconds == 60 and not seen.expired
    message = held_message("s3://bucket/", seen, 0.0)
    assert message.startswith("the publish lease on s3://bucket/ is damaged (")
    assert "not one cvgen wrote" in message and "Nothing was changed" in message
    assert "remove it with `cvgen publish --force-unlock`" in message
    assert observe(DAMAGED[name], '"e"', 61.0).expired  # like a crashed run's, it expires


def test_renewals_change_the_bytes() -> None:
    """S3's ETag is the MD5 of the bytes: a renewal that rewrote the same bytes would keep
    the ETag, and a stale holder's If-Match would still succeed."""
    from dataclasses import replace

    record = LeaseRecord("t1", Holder("0a1b2c3d"), "2026-01-01T10:00:00+00:00", 60)
    assert replace(record, renewal=1).to_json() != record.to_json()


def test_expiry_is_judged_by_age_on_s3s_clock() -> None:
    record = LeaseRecord("t1", Holder("0a1b2c3d"), "2026-01-01T10:00:00+00:00", 60)
    assert not Observed(record, '"e"', 59.0).expired
    assert Observed(record, '"e"', 61.0).expired
    assert Observed(record, '"e"', 20.0).expires_in == 40.0


def test_held_message_names_the_holder_and_the_way_out() -> None:
    holder = Holder("0a1b2c3d", "GitHub Actions run 1", 7)
    record = LeaseRecord("t1", holder, "2026-01-01T10:00:00+00:00", 60)
    message = held_message("s3://bucket/cv/", Observed(record, '"e"', 5.0), 0.0)
    assert message.startswith(
        "another publish to s3://bucket/cv/ is running: a publish on another machine "
        "(0a1b2c3d) (process 7), GitHub Actions run 1, since"
    )
    assert "since 2026-01-01 10:00:00 UTC" in message
    assert "renewed 5 s ago, expires in 55 s" in message
    assert "not waiting (--lease-timeout 0)" in message and "Nothing was changed" in message
    assert "`cvgen publish --force-unlock`" in message
    waited = held_message("s3://bucket/", Observed(record, '"e"', 5.0), 30.0)
    assert "gave up after waiting 30 s (--lease-timeout)" in waited


def test_lease_seconds_from_the_environment() -> None:
    assert lease_seconds({}) == 60
    assert lease_seconds({"CVGEN_LEASE_SECONDS": "5"}) == 5
    assert lease_seconds({"CVGEN_LEASE_SECONDS": "0"}) == 60
    assert lease_seconds({"CVGEN_LEASE_SECONDS": "soon"}) == 60
    assert lease_seconds({"CVGEN_LEASE_SECONDS": "99999999"}) == 60
