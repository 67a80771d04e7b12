"""Messages after faults, injected by the recording proxy in front of moto."""

from __future__ import annotations

import pytest

from tests.publish.conftest import BASE_FILES, Site

pytestmark = pytest.mark.aws


def test_a_throttled_listing_names_the_operation_the_bucket_and_says_rerunning_is_safe(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    site.write("index.html", "home v2")
    site.proxy.fail = lambda r: (503, "SlowDown") if "list-type=2" in r.query else None
    site.proxy.clear()
    result = site.publish(code=1)
    assert result.output.startswith(f"Error: listing s3://{site.bucket}/: SlowDown: ")
    assert "S3 is throttling or busy and still said so after 2 attempts" in result.output
    assert "nothing was changed; rerunning `cvgen publish` is safe" in result.output
    assert "Traceback" not in result.output
    assert site.site_puts() == [] and "_cvgen/lease.json" not in site.object_keys()
    site.proxy.fail = lambda r: None
    site.publish()
    assert site.read("index.html") == b"home v2"


def test_a_failed_metadata_read_names_the_object(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    site.s3.delete_object(Bucket=site.bucket, Key="_cvgen/releases/00000001.json")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    site.proxy.fail = lambda r: (
        500 if r.method == "HEAD" and r.path.endswith("robots.txt") else None
    )
    result = site.publish(code=1)
    assert "reading object metadata failed (nothing was changed; rerunning is safe)" in (
        result.output
    )
    assert "reading the metadata of robots.txt: " in result.output


def test_an_upload_whose_answer_was_lost_after_it_landed_is_not_a_failure(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # no retry: the first answer is the only one
    new_css = "assets/site.4444444444.css"
    site.write(new_css, "body{color:blue}")
    site.write("index.html", f'<link rel="stylesheet" href="{new_css}">home v2')
    site.proxy.lose = lambda r: r.method == "PUT" and r.path.endswith(new_css)
    site.proxy.clear()
    result = site.publish()
    assert result.output.startswith("uploaded 2 files (")
    heads = [r.path for r in site.proxy.snapshot() if r.method == "HEAD"]
    assert heads == [f"/{site.bucket}/{new_css}"]  # looked, found it whole
    record = site.read("_cvgen/releases/00000002.json").decode()
    assert new_css in record
    site.proxy.clear()
    site.proxy.lose = lambda r: False
    site.publish()
    assert site.proxy.count("PUT") == 0  # the record describes what landed


def test_an_upload_that_did_not_land_is_still_a_failure_that_names_the_operation(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    site.write("robots.txt", "User-agent: *\nDisallow: /\n")
    site.proxy.fail = lambda r: (
        (503, "SlowDown") if r.method == "PUT" and r.path.endswith("robots.txt") else None
    )
    result = site.publish(code=1)
    assert "1 of 1 uploads failed" in result.output
    assert "uploading robots.txt: SlowDown: " in result.output
    assert "run the publish again to finish" in result.output
    assert site.read("robots.txt") == BASE_FILES["robots.txt"].encode()
    assert "_cvgen/lease.json" not in site.object_keys()  # released after the failure
