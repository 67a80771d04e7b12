"""`cvgen publish` end to end against the moto server, through a recording proxy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from cvgen.bundle.fingerprint import is_fingerprinted
from cvgen.bundle.headers import IMMUTABLE, REVALIDATE
from cvgen.bundle.write import MARKER
from tests.conftest import MotoServer
from tests.publish.conftest import BASE_FILES, CSS, JS, Site, create_distribution
from tests.publish.recording_proxy import RecordingProxy, Request

pytestmark = pytest.mark.aws


def release(site: Site, number: int) -> dict:
    return json.loads(site.read(f"_cvgen/releases/{number:08d}.json"))


def test_first_publish_uploads_everything_with_headers_and_metadata(site: Site) -> None:
    result = site.publish()
    assert result.output.startswith(f"uploaded {len(BASE_FILES)} files (")
    assert ", deleted 0, invalidated 0 paths in " in result.output
    assert sorted(site.site_puts()) == sorted(BASE_FILES)
    assert site.object_keys() == sorted([*BASE_FILES, "_cvgen/releases/00000001.json"])
    assert site.proxy.invalidations() == []  # nothing was cached before the first publish

    head = site.s3.head_object(Bucket=site.bucket, Key=CSS)
    assert head["ContentType"] == "text/css; charset=utf-8"
    assert head["CacheControl"] == IMMUTABLE
    assert set(head["Metadata"]) == {"cvgen-sha256", "cvgen-headers-sha256"}
    page = site.s3.head_object(Bucket=site.bucket, Key="index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == REVALIDATE
    files = release(site, 1)["files"]
    assert sorted(files) == sorted(BASE_FILES)
    assert files["index.html"]["etag"] == page["ETag"].strip('"')


def test_assets_are_put_before_other_files_and_html_last(site: Site) -> None:
    site.publish()
    order = site.site_puts()
    assets = [order.index(p) for p in (CSS, JS)]
    html = [order.index(p) for p in ("index.html", "cv/index.html")]
    others = [order.index(p) for p in ("robots.txt", "sitemap.xml", "resume.json", "photo.png")]
    assert max(assets) < min(others) and max(others) < min(html), order
    # the release record is written only after every file
    assert site.proxy.puts()[-1].path.endswith("_cvgen/releases/00000001.json")


def test_second_publish_changes_nothing(site: Site) -> None:
    site.publish()
    site.proxy.clear()
    result = site.publish()
    assert "uploaded 0 files (0 B), deleted 0, invalidated 0 paths in" in result.output
    assert site.proxy.count("PUT") == 0
    assert site.proxy.count("DELETE") == 0
    assert site.proxy.count("HEAD") == 0  # the release manifest describes every object
    assert site.proxy.invalidations() == []
    # one listing and one read of the latest release manifest, inside the lease: taken
    # with one PUT, released with one DELETE
    methods = [("lease " if r.is_lease else "") + r.method for r in site.proxy.snapshot()]
    assert methods == ["lease PUT", "GET", "GET", "lease DELETE"]


def test_identical_rebuild_changes_nothing(site: Site) -> None:
    site.publish()
    later = time.time() + 3600
    for path, content in BASE_FILES.items():  # a full rebuild: same bytes, new mtimes
        site.write(path, content)
        os.utime(site.output / path, (later, later))
    site.proxy.clear()
    site.publish()
    assert site.proxy.count("PUT") == 0
    assert site.proxy.invalidations() == []


def test_one_edit_puts_one_file_and_invalidates_its_page_paths(site: Site) -> None:
    site.publish()
    site.proxy.clear()
    site.write("cv/index.html", BASE_FILES["cv/index.html"].replace("v1", "v2"))  # same length
    result = site.publish()
    assert "uploaded 1 file (" in result.output and "invalidated 2 paths" in result.output
    assert site.site_puts() == ["cv/index.html"]
    assert site.proxy.invalidations() == [["/cv/", "/cv/index.html"]]
    assert site.read("cv/index.html").endswith(b"cv v2")
    # the superseded bytes were kept for a rollback (unversioned bucket)
    copies = site.proxy.puts(copies=True)
    assert len(copies) == 1 and "/_cvgen/objects/" in copies[0].path
    assert (
        release(site, 2)["files"]["cv/index.html"]["sha256"]
        != (release(site, 1)["files"]["cv/index.html"]["sha256"])
    )


def test_cache_rule_change_reuploads_only_affected_files(site: Site) -> None:
    site.publish()
    site.proxy.clear()
    site.config('  cache:\n    - pattern: "*.txt"\n      cache_control: "no-cache"\n')
    dry = site.publish("--dry-run")
    assert "robots.txt  headers" in dry.output
    assert site.proxy.count("PUT") == 0
    site.publish()
    assert site.site_puts() == ["robots.txt"]
    head = site.s3.head_object(Bucket=site.bucket, Key="robots.txt")
    assert head["CacheControl"] == "no-cache"
    assert site.proxy.invalidations() == [["/robots.txt"]]


def test_delete_only_with_flag_and_exactly_one(site: Site) -> None:
    site.publish()
    (site.output / "photo.png").unlink()
    site.proxy.clear()
    result = site.publish()
    assert site.proxy.count("DELETE") == 0
    assert "photo.png" in site.object_keys()
    site.proxy.clear()
    result = site.publish("--delete")
    assert site.site_deletes() == ["photo.png"] and site.proxy.count("DELETE") == 1
    assert "deleted 1," in result.output
    assert "photo.png" not in site.object_keys()
    assert site.proxy.invalidations() == [["/photo.png"]]


def test_too_many_deletes_are_refused_unless_yes(site: Site) -> None:
    site.publish()
    for path in ("photo.png", "resume.json", "sitemap.xml"):  # 3 of 8 > 25%
        (site.output / path).unlink()
    site.proxy.clear()
    result = site.publish("--delete", code=1)
    assert "refusing to delete 3 files: the limit is 2" in result.output
    assert "Traceback" not in result.output
    assert site.proxy.count("DELETE") == 0 and site.proxy.count("PUT") == 0
    site.publish("--delete", "--max-deletes", "3")
    assert sorted(site.site_deletes()) == ["photo.png", "resume.json", "sitemap.xml"]


def test_assets_of_recent_releases_are_never_deleted(site: Site) -> None:
    site.publish()
    new_css = "assets/site.fedcba9876.css"
    (site.output / CSS).unlink()
    site.write(new_css, "body{color:#222}")
    site.write("index.html", BASE_FILES["index.html"].replace(CSS, new_css))
    site.write("cv/index.html", BASE_FILES["cv/index.html"].replace(CSS, new_css))
    site.publish("--delete", "--yes")
    assert CSS in site.object_keys()  # release 1 still references it
    site.write("robots.txt", "User-agent: *\nDisallow: /x\n")
    site.publish("--delete", "--yes")
    assert CSS in site.object_keys()  # releases 2 and 1 are the last two
    site.write("robots.txt", "User-agent: *\nDisallow: /y\n")
    site.proxy.clear()
    site.publish("--delete", "--yes")
    assert CSS not in site.object_keys()  # only releases 3 and 2 are protected now
    assert site.site_deletes() == [CSS]


def test_dry_run_prints_the_plan_and_changes_nothing(site: Site) -> None:
    site.publish()
    site.write("index.html", BASE_FILES["index.html"] + "!")
    (site.output / "photo.png").unlink()
    site.proxy.clear()
    result = site.publish("--dry-run", "--delete")
    assert "index.html" in result.output and "content" in result.output
    assert "photo.png" in result.output and "delete" in result.output
    assert "total: 1 upload (" in result.output
    assert "invalidate (3): / /index.html /photo.png" in result.output
    assert result.output.rstrip().endswith("dry run: nothing was changed")
    assert {r.method for r in site.proxy.snapshot()} == {"GET"}
    assert "_cvgen/releases/00000002.json" not in site.object_keys()


def test_prefix_keeps_everything_under_it(site: Site) -> None:
    site.s3.put_object(Bucket=site.bucket, Key="elsewhere.html", Body=b"not ours")
    site.s3.put_object(Bucket=site.bucket, Key="site2/index.html", Body=b"not ours")
    site.publish("--prefix", "site")
    assert f"site/{CSS}" in site.object_keys()
    assert "site/_cvgen/releases/00000001.json" in site.object_keys()
    (site.output / "photo.png").unlink()
    site.publish("--prefix", "site", "--delete")
    assert "elsewhere.html" in site.object_keys() and "site2/index.html" in site.object_keys()
    assert "site/photo.png" not in site.object_keys()


def test_failed_uploads_are_all_reported_and_html_is_not_touched(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    new_css, new_js = "assets/site.1111111111.css", "assets/app.2222222222.js"
    site.write(new_css, "body{}")
    site.write(new_js, "x()")
    site.write("index.html", f'<link href="{new_css}"><script src="{new_js}"></script>')
    site.proxy.fail = lambda r: 500 if r.method == "PUT" and "/assets/" in r.path else None
    site.proxy.clear()
    result = site.publish(code=1)
    assert "2 of 3 uploads failed" in result.output
    assert new_css in result.output and new_js in result.output
    assert "Traceback" not in result.output
    assert site.site_puts() == [new_css, new_js] or sorted(site.site_puts()) == [new_js, new_css]
    assert site.read("index.html").endswith(b"home v1")  # HTML was never uploaded
    assert "_cvgen/releases/00000002.json" not in site.object_keys()
    site.proxy.fail = lambda r: None
    site.publish()
    assert site.read("index.html").startswith(b'<link href="assets/site.1111111111.css">')


def run_until_held(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a publish in a subprocess and kill it once the proxy holds a request.

    The killed run's lease lives 2 s, so the next publish takes it over after a short wait.
    """
    monkeypatch.setenv("CVGEN_LEASE_SECONDS", "2")
    process = subprocess.Popen(
        [sys.executable, "-m", "cvgen", "publish", "--no-build", "--root", str(site.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert site.proxy.held.wait(60), "the publish never reached the held request"
    finally:
        process.kill()
        process.wait(30)
    # whatever was held must not land after the kill
    site.proxy.fail = lambda r: 503
    site.proxy.release.set()
    site.proxy.hold = lambda r: False
    time.sleep(0.2)
    site.proxy.fail = lambda r: None


def test_killed_before_invalidating_a_rerun_invalidates_and_records(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    site.write("cv/index.html", "cv v2")
    site.proxy.hold = lambda r: r.method == "POST" and r.path.endswith("/invalidation")
    run_until_held(site, monkeypatch)
    assert site.read("cv/index.html") == b"cv v2"  # uploaded, but not invalidated
    assert "_cvgen/releases/00000002.json" not in site.object_keys()
    site.proxy.clear()
    result = site.publish()
    assert site.site_puts() == []  # nothing left to upload...
    assert site.proxy.invalidations() == [["/cv/", "/cv/index.html"]]  # ...but this was owed
    assert "_cvgen/releases/00000002.json" in site.object_keys()
    assert "invalidated 2 paths" in result.output
    site.proxy.clear()
    site.publish()
    assert site.proxy.count("PUT") == 0 and site.proxy.invalidations() == []


def test_killed_publish_leaves_a_working_site_and_a_rerun_finishes(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.publish()
    new_css = "assets/site.3333333333.css"
    site.write(new_css, "body{color:red}")
    site.write("index.html", f'<link rel="stylesheet" href="{new_css}">home v2')
    site.write("cv/index.html", f'<link rel="stylesheet" href="../{new_css}">cv v2')
    site.proxy.hold = lambda r: r.method == "PUT" and r.path.endswith(".html")
    site.proxy.clear()
    run_until_held(site, monkeypatch)

    keys = set(site.object_keys())
    assert new_css in keys  # the assets went first
    for page in ("index.html", "cv/index.html"):  # every page still refers to existing assets
        body = site.read(page).decode()
        assert body.endswith("v1"), body
        assert CSS in keys and JS in keys
    assert "_cvgen/releases/00000002.json" not in keys

    site.proxy.fail = lambda r: None
    site.proxy.clear()
    result = site.publish()
    assert sorted(site.site_puts()) == ["cv/index.html", "index.html"]  # the asset is done
    assert site.proxy.count("HEAD") == 1  # only the object the old release does not describe
    assert "uploaded 2 files" in result.output
    assert site.read("index.html").endswith(b"home v2")
    assert site.proxy.invalidations() == [["/", "/cv/", "/cv/index.html", "/index.html"]]


def test_rollback_restores_the_previous_bytes_and_invalidates(site: Site) -> None:
    site.publish()
    site.write("index.html", BASE_FILES["index.html"].replace("home v1", "home v2"))
    site.write("robots.txt", "User-agent: *\nDisallow: /\n")
    site.publish()
    assert site.read("index.html").endswith(b"home v2")
    site.proxy.clear()
    result = site.publish("--rollback")
    assert "rolling back to release 1" in result.output
    assert "restored 2 files" in result.output
    assert site.read("index.html").endswith(b"home v1")
    assert site.read("robots.txt") == BASE_FILES["robots.txt"].encode()
    assert site.site_puts() == []  # no upload: server-side copies only
    head = site.s3.head_object(Bucket=site.bucket, Key="index.html")
    assert head["CacheControl"] == REVALIDATE
    assert site.proxy.invalidations() == [["/", "/index.html", "/robots.txt"]]
    assert release(site, 3)["rollback_of"] == 1
    # and the rolled-back state is what the next publish compares against
    site.write("index.html", BASE_FILES["index.html"])
    site.write("robots.txt", BASE_FILES["robots.txt"])
    site.proxy.clear()
    site.publish()
    assert site.proxy.count("PUT") == 0


def test_rollback_on_a_versioned_bucket_copies_old_versions(site: Site) -> None:
    site.s3.put_bucket_versioning(Bucket=site.bucket, VersioningConfiguration={"Status": "Enabled"})
    site.publish()
    assert release(site, 1)["files"]["index.html"]["version_id"]
    site.write("index.html", BASE_FILES["index.html"].replace("home v1", "home v2"))
    site.proxy.clear()
    site.publish()
    assert site.proxy.puts(copies=True) == []  # S3 keeps the old version; no kept copy
    site.proxy.clear()
    site.publish("--rollback")
    (copy,) = site.proxy.puts(copies=True)
    assert "versionId=" in (copy.copy_source or "")
    assert site.read("index.html").endswith(b"home v1")


def test_rollback_needs_two_releases(site: Site) -> None:
    site.publish()
    result = site.publish("--rollback", code=1)
    assert "nothing to roll back to" in result.output


# -- clear errors -------------------------------------------------------------------------


def test_missing_bucket(site: Site) -> None:
    result = site.publish("--bucket", "cvgen-no-such-bucket-4242", code=1)
    assert "bucket `cvgen-no-such-bucket-4242` does not exist" in result.output
    assert "cvgen infra deploy" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("https://cv.example.com/", "is an example address (cv.example.com is reserved"),
        ("http://127.0.0.1:8000/", "is a local address (127.0.0.1)"),
        ("https://ada.cv.test/", "is not a public address (.test is a reserved name)"),
        ("https://d111111abcdef8.cloudfront.net/", None),
        (None, None),
    ],
)
def test_a_placeholder_site_url_is_flagged_before_it_goes_live(
    site: Site, url: str | None, warned: str | None
) -> None:
    site.config()
    if url:
        config = site.root / "cvgen.yaml"
        config.write_text(f"site:\n  url: {url}\n" + config.read_text(encoding="utf-8"))
    result = site.publish()
    assert "uploaded" in result.stdout
    if warned:
        assert result.stderr.startswith(f"warning: site.url {url} {warned}"), result.stderr
        assert "Set site.url in cvgen.yaml to your site's address" in result.stderr
    else:
        assert result.stderr == ""


def test_missing_bucket_setting(site: Site) -> None:
    (site.root / "cvgen.yaml").write_text('site:\n  url: "https://cv.example.com/"\n')
    result = site.publish(code=1)
    assert "set publish.bucket in cvgen.yaml or pass --bucket" in result.output
    assert "cvgen infra deploy" in result.output


def test_unreachable_endpoint(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import free_port

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    url = f"http://127.0.0.1:{free_port()}"
    result = site.publish("--endpoint-url", url, code=1)
    assert f"cannot reach {url}" in result.output
    assert "--endpoint-url" in result.output and "Traceback" not in result.output


def test_no_credentials(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = site.publish(code=1)
    assert "no AWS credentials found" in result.output and "--profile" in result.output
    assert site.proxy.snapshot() == []


def test_unknown_profile(site: Site) -> None:
    result = site.publish("--profile", "nobody", code=1)
    assert "AWS profile `nobody` not found" in result.output


def test_distribution_not_found_keeps_invalidation_pending(site: Site) -> None:
    site.publish()
    site.write("index.html", "home v2")
    result = site.publish("--distribution-id", "E000NOTTHERE", code=1)
    assert "CloudFront distribution `E000NOTTHERE` not found" in result.output
    assert "--no-invalidate" in result.output
    assert release(site, 2)["pending_invalidation"] == ["/", "/index.html"]
    site.proxy.clear()
    site.publish()  # nothing to upload, but the invalidation is retried
    assert site.proxy.count("PUT", f"/{site.bucket}/index.html") == 0
    assert site.proxy.invalidations() == [["/", "/index.html"]]


def test_no_invalidate_and_wait(site: Site) -> None:
    site.publish()
    site.write("index.html", "home v2")
    site.proxy.clear()
    site.publish("--no-invalidate")
    assert site.proxy.invalidations() == []
    site.write("index.html", "home v3")
    result = site.publish("--wait")
    assert "invalidated 2 paths" in result.output
    assert any(r.method == "GET" and "/invalidation/" in r.path for r in site.proxy.snapshot())


def test_missing_output_is_refused(site: Site) -> None:
    import shutil

    shutil.rmtree(site.output)
    result = site.publish(code=1)
    assert "no build output to publish" in result.output
    assert site.proxy.snapshot() == []


def test_access_denied_message() -> None:
    from botocore.exceptions import ClientError

    from cvgen.publish.execute import Target, describe_error

    error = ClientError(
        {
            "Error": {"Code": "AccessDenied", "Message": "Access Denied"},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        },
        "ListObjectsV2",
    )
    message = describe_error(error, Target("my-bucket", "cv", profile="work"))
    assert message == (
        "S3 refused s3:ListBucket for profile `work` (Access Denied); allow s3:ListBucket in "
        "the IAM policy of profile `work` (s3://my-bucket/cv/)"
    )
    # a CloudFront refusal names CloudFront and its action, not the bucket's permissions
    refused = ClientError(
        {
            "Error": {"Code": "AccessDenied", "Message": "User is not authorized"},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        },
        "CreateInvalidation",
    )
    message = describe_error(refused, Target("my-bucket", distribution_id="E1"), "invalidating")
    assert message == (
        "invalidating: CloudFront refused cloudfront:CreateInvalidation for the credentials in "
        "use (User is not authorized); allow cloudfront:CreateInvalidation in the IAM policy "
        "of the credentials in use (distribution E1)"
    )


def test_invalidation_retries_too_many_in_progress_with_backoff(site: Site) -> None:
    from cvgen.errors import CvgenError
    from cvgen.publish.execute import Bucket, Target, invalidate

    calls = []

    def busy_twice(request: Request) -> tuple[int, str] | None:
        if request.method == "POST" and request.path.endswith("/invalidation"):
            calls.append(request)
            return (400, "TooManyInvalidationsInProgress") if len(calls) <= 2 else None
        return None

    site.proxy.fail = busy_twice
    sleeps: list[float] = []
    bucket = Bucket(Target(site.bucket, distribution_id=site.distribution_id))
    invalidate(bucket, ["/"], "ref-1", wait=True, sleep=sleeps.append)
    assert len(calls) == 3 and sleeps == [1.0, 2.0]
    assert site.proxy.invalidations()[-1] == ["/"]

    # anything else is not retried, and comes out as a clean error
    site.proxy.fail = lambda r: (400, "InvalidArgument") if r.method == "POST" else None
    with pytest.raises(CvgenError, match="invalidating: InvalidArgument"):
        invalidate(bucket, ["/"], "ref-2", sleep=sleeps.append)
    assert sleeps == [1.0, 2.0]


def test_publish_builds_the_example_site_first(
    example_site: Path, aws_env: MotoServer, proxy: RecordingProxy
) -> None:
    from click.testing import CliRunner

    from cvgen.cli import cli
    from cvgen.settings.write import write_settings

    bucket = f"cvgen-test-{uuid.uuid4().hex[:16]}"
    aws_env.client("s3").create_bucket(Bucket=bucket)
    distribution = create_distribution(aws_env.client("cloudfront"), bucket)
    written = write_settings(
        example_site, {"publish": {"bucket": bucket, "distribution_id": distribution}}
    )
    assert written.to_paste == {}

    def publish() -> str:
        result = CliRunner().invoke(cli, ["publish", "--root", str(example_site)])
        assert result.exit_code == 0, result.output
        # the example's site.url is a documentation address: publishing it is flagged
        assert result.stderr.startswith("warning: site.url https://cv.example.com/ is an example")
        return result.stdout

    output = publish()
    built = sorted(
        p.relative_to(example_site / "output").as_posix()
        for p in (example_site / "output").rglob("*")
        if p.is_file() and p.name != MARKER
    )
    assert built and "index.html" in built
    assert (example_site / "output" / MARKER).is_file()  # the build's own, never published
    s3 = aws_env.client("s3")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert sorted(k for k in keys if not k.startswith("_cvgen/")) == built
    assert output.startswith(f"uploaded {len(built)} files (")
    assets = [p for p in built if is_fingerprinted(p)]
    assert assets, built
    head = s3.head_object(Bucket=bucket, Key=assets[0])
    assert head["CacheControl"] == IMMUTABLE
    assert s3.head_object(Bucket=bucket, Key="index.html")["CacheControl"] == REVALIDATE

    proxy.clear()
    publish()  # a rebuild of the same sources is byte-identical: nothing to do
    assert proxy.count("PUT") == 0 and proxy.invalidations() == []


def test_rollback_copies_are_pruned_once_no_recent_release_needs_them(site: Site) -> None:
    import hashlib

    versions = [BASE_FILES["index.html"].replace("v1", f"v{n}") for n in (1, 2, 3, 4)]
    for body in versions:
        site.write("index.html", body)
        site.publish()
    kept = {k.split("/")[-1] for k in site.object_keys() if k.startswith("_cvgen/objects/")}
    sha = [hashlib.sha256(v.encode()).hexdigest() for v in versions]
    # v1 was only needed while release 1 was one of the last three
    assert kept == {sha[1], sha[2]}


def test_a_concurrent_release_record_is_not_overwritten(site: Site) -> None:
    site.publish()
    site.write("index.html", "home v2")
    site.proxy.fail = lambda r: (
        (412, "PreconditionFailed") if r.method == "PUT" and "/_cvgen/releases/" in r.path else None
    )
    result = site.publish(code=1)
    assert "another publish recorded release 2 at the same time" in result.output
    site.proxy.fail = lambda r: None
    site.publish()
    assert "_cvgen/releases/00000002.json" in site.object_keys()


def test_progress_bar_only_on_a_terminal(site: Site) -> None:
    import pty

    def run(terminal: bool) -> tuple[str, str]:
        primary, secondary = pty.openpty()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "cvgen", "publish", "--no-build", "--root", str(site.root)],
                stdout=subprocess.PIPE,
                stderr=secondary if terminal else subprocess.PIPE,
                timeout=120,
            )
            os.close(secondary)
            screen = b""
            if terminal:
                while True:
                    try:
                        chunk = os.read(primary, 4096)
                    except OSError:  # EIO: the terminal has no writer left
                        break
                    if not chunk:
                        break
                    screen += chunk
            else:
                screen = done.stderr
        finally:
            os.close(primary)
        assert done.returncode == 0
        return done.stdout.decode(), screen.decode()

    out, err = run(terminal=True)
    assert "publishing" in err and "100%" in err
    assert out.startswith(f"uploaded {len(BASE_FILES)} files")  # the summary stays on stdout
    site.write("index.html", "home v2")
    out, err = run(terminal=False)
    assert err == "" and out.startswith("uploaded 1 file")


def test_listing_follows_every_page(site: Site) -> None:
    from cvgen.publish.execute import Bucket, Target

    site.publish()
    bucket = Bucket(Target(site.bucket))
    bucket.page_size = 2
    site.proxy.clear()
    listed = bucket.list_objects()
    assert sorted(listed) == sorted([*BASE_FILES, "_cvgen/releases/00000001.json"])
    pages = [r for r in site.proxy.snapshot() if "list-type=2" in r.query]
    assert len(pages) == 5  # 9 objects, 2 a page
    assert all("continuation-token" in r.query for r in pages[1:])


def test_access_denied(site: Site) -> None:
    site.proxy.fail = lambda r: (403, "AccessDenied") if r.method == "GET" else None
    result = site.publish(code=1)
    assert "S3 refused s3:ListBucket for the credentials in use" in result.output
    assert f"(s3://{site.bucket}/" in result.output
    assert "s3:ListBucket" in result.output and "Traceback" not in result.output


def test_rollback_with_an_expired_version_says_so_and_changes_nothing(site: Site) -> None:
    site.s3.put_bucket_versioning(Bucket=site.bucket, VersioningConfiguration={"Status": "Enabled"})
    site.publish()
    old_version = release(site, 1)["files"]["index.html"]["version_id"]
    site.write("index.html", "home v2")
    site.publish()
    # what a NoncurrentVersionExpiration lifecycle rule does after its delay
    site.s3.delete_object(Bucket=site.bucket, Key="index.html", VersionId=old_version)
    site.proxy.clear()
    result = site.publish("--rollback", code=1)
    assert "cannot roll back to release 1: the bucket no longer holds index.html" in result.output
    assert site.proxy.count("PUT") == 0
    assert site.read("index.html") == b"home v2"


def test_a_bucket_without_release_records_gets_one_and_then_needs_no_head(site: Site) -> None:
    site.publish()
    site.s3.delete_object(Bucket=site.bucket, Key="_cvgen/releases/00000001.json")
    site.proxy.clear()
    site.publish()
    assert site.site_puts() == []  # the object metadata says everything is up to date
    assert site.proxy.count("HEAD") == len(BASE_FILES)
    assert "_cvgen/releases/00000001.json" in site.object_keys()
    site.proxy.clear()
    site.publish()
    assert site.proxy.count("HEAD") == 0 and site.proxy.count("PUT") == 0
