"""The lease's pure parts: who holds it (never an IP address), its body, its messages."""

from __future__ import annotations

import pytest

from cvgen.publish.lease import (
    Holder,
    LeaseRecord,
    Observed,
    ci_run,
    held_message,
    lease_seconds,
    parse_record,
    without_ip,
)


@pytest.mark.parametrize(
    ("host", "kept"),
    [
        ("ada-laptop", "ada-laptop"),
        ("runner-42.example.org", "runner-42.example.org"),
        ("fv-az123-456", "fv-az123-456"),  # GitHub's hosted runners
        ("ip-10-0-1-7.ec2.internal", None),  # EC2 names spell the private address
        ("ip-172-31-20-3", None),
        ("10.0.0.7", None),
        ("fe80::1ff:fe23:4567:890a", None),
        ("", None),
    ],
)
def test_host_names_that_spell_an_ip_address_are_left_out(host: str, kept: str | None) -> None:
    assert without_ip(host) == kept


def test_ci_run_names_the_run() -> None:
    github = {
        "GITHUB_RUN_ID": "123",
        "GITHUB_REPOSITORY": "ada/cv",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ATTEMPT": "2",
    }
    assert ci_run(github) == "GitHub Actions https://github.com/ada/cv/actions/runs/123 (attempt 2)"
    assert ci_run({**github, "GITHUB_RUN_ATTEMPT": "1"}).endswith("/runs/123")  # type: ignore[union-attr]
    assert ci_run({"CI_JOB_URL": "https://gitlab.com/a/b/-/jobs/9"}) == (
        "GitLab CI https://gitlab.com/a/b/-/jobs/9"
    )
    assert ci_run({"CI": "true"}) == "a CI job"
    assert ci_run({}) is None


def test_record_round_trip_and_unreadable_leases() -> None:
    record = LeaseRecord("t1", Holder("laptop", "ada", None, 42), "2026-01-01T10:00:00+00:00", 60)
    assert parse_record(record.to_json()) == record
    junk = parse_record(b"{not json")
    assert junk.holder == Holder() and junk.seconds == 60
    # an IP address written by hand or by an old client is not shown
    assert parse_record(record.to_json().replace(b"laptop", b"10.1.2.3")).holder.host is None


def test_renewals_change_the_bytes() -> None:
    """S3's ETag is the MD5 of the bytes: a renewal that rewrote the same bytes would keep
    the ETag, and a stale holder's If-Match would still succeed."""
    from dataclasses import replace

    record = LeaseRecord("t1", Holder("laptop"), "2026-01-01T10:00:00+00:00", 60)
    assert replace(record, renewal=1).to_json() != record.to_json()


def test_expiry_is_judged_by_age_on_s3s_clock() -> None:
    record = LeaseRecord("t1", Holder("laptop", "ada"), "2026-01-01T10:00:00+00:00", 60)
    assert not Observed(record, '"e"', 59.0).expired
    assert Observed(record, '"e"', 61.0).expired
    assert Observed(record, '"e"', 20.0).expires_in == 40.0


def test_held_message_names_the_holder_and_the_way_out() -> None:
    holder = Holder("ci-runner", "runner", "GitHub Actions https://github.com/a/b/actions/runs/1")
    record = LeaseRecord("t1", holder, "2026-01-01T10:00:00+00:00", 60)
    message = held_message("s3://bucket/cv/", Observed(record, '"e"', 5.0), 0.0)
    assert message.startswith("another publish to s3://bucket/cv/ is running: runner on ")
    assert "ci-runner, GitHub Actions https://github.com/a/b/actions/runs/1" in message
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
