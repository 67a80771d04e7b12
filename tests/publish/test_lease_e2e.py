"""One publish at a time per bucket and prefix, against the moto server behind the proxy.

Two real `cvgen publish` processes run at once; the proxy holds the first one's HTML upload
until the second has met the lease, so they overlap every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from posixpath import dirname, normpath

import pytest

from tests.publish.conftest import BASE_FILES, Site
from tests.publish.recording_proxy import Request

pytestmark = pytest.mark.aws

LEASE = "_cvgen/lease.json"
CSS_A = "assets/site.aaaaaaaaaa.css"
CSS_B = "assets/site.bbbbbbbbbb.css"


def full_site() -> dict[str, str]:
    """A: a new stylesheet and 20 posts, every page linking it."""
    files = {p: c for p, c in BASE_FILES.items() if not p.endswith((".css", ".html"))}
    files[CSS_A] = "body{color:#a00}"
    files["index.html"] = f'<link rel="stylesheet" href="{CSS_A}">home A'
    files["cv/index.html"] = f'<link rel="stylesheet" href="../{CSS_A}">cv A'
    for n in range(20):
        files[f"posts/p{n}/index.html"] = f'<link rel="stylesheet" href="../../{CSS_A}">post {n}'
    return files


def small_site() -> dict[str, str]:
    """B: two pages and another stylesheet."""
    return {
        CSS_B: "body{color:#0b0}",
        "index.html": f'<link rel="stylesheet" href="{CSS_B}"><img src="photo.png">home B',
        "cv/index.html": f'<link rel="stylesheet" href="../{CSS_B}">cv B',
        "photo.png": "\x89PNG B",
    }


def write_output(root: Path, files: dict[str, str]) -> None:
    (root / "output").mkdir(parents=True)
    for path, content in files.items():
        target = root / "output" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))


def second_root(site: Site, files: dict[str, str]) -> Path:
    """Another site folder publishing to the same bucket (another repo, another runner)."""
    root = site.root.parent / "other"
    root.mkdir()
    (root / "cvgen.yaml").write_text((site.root / "cvgen.yaml").read_text())
    write_output(root, files)
    return root


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cvgen", "publish", "--no-build", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def hold_first(predicate: Callable[[Request], bool]) -> Callable[[Request], bool]:
    """Hold only the first request matching `predicate`."""
    lock, taken = threading.Lock(), []

    def hold(request: Request) -> bool:
        with lock:
            if taken or not predicate(request):
                return False
            taken.append(request)
            return True

    return hold


def is_html_put(request: Request) -> bool:
    return request.method == "PUT" and request.path.endswith(".html")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def lease_contested(site: Site) -> bool:
    """The holder's PUT, then a second run's PUT (refused) and its GET of the lease."""
    methods = [m for m, _ in site.proxy.lease_requests()]
    return methods.count("PUT") >= 2 and "GET" in methods


def latest_release(site: Site) -> tuple[int, dict]:
    numbers = [
        int(k.rsplit("/", 1)[1].split(".")[0])
        for k in site.object_keys()
        if k.startswith("_cvgen/releases/")
    ]
    number = max(numbers)
    return number, json.loads(site.read(f"_cvgen/releases/{number:08d}.json"))


def assert_whole_site(site: Site, expected: dict[str, str]) -> None:
    """The bucket serves `expected` exactly as its latest release records it, and every
    reference of every page in the bucket resolves to an object."""
    _, record = latest_release(site)
    assert sorted(record["files"]) == sorted(expected)
    keys = set(site.object_keys())
    for path, content in expected.items():
        body = site.read(path)
        assert body == content.encode("utf-8"), path
        entry = record["files"][path]
        assert entry["sha256"] == hashlib.sha256(body).hexdigest(), path
        head = site.s3.head_object(Bucket=site.bucket, Key=path)
        assert head["ETag"].strip('"') == entry["etag"], path
    for page in (k for k in keys if k.endswith(".html")):
        for ref in re.findall(r'(?:href|src)="([^"]+)"', site.read(page).decode()):
            target = normpath(f"{dirname(page)}/{ref}".lstrip("/"))
            assert target in keys, f"{page} refers to {ref}, which is not in the bucket"
    assert LEASE not in keys  # released


def test_moto_honours_conditional_writes(site: Site) -> None:
    """What the lease relies on, as moto answers it (S3 answers the same, documented in
    the user guide's "conditional writes" and "conditional deletes" pages)."""
    from botocore.exceptions import ClientError

    s3 = site.s3
    first = s3.put_object(Bucket=site.bucket, Key=LEASE, Body=b"1", IfNoneMatch="*")["ETag"]
    attempts = [
        lambda: s3.put_object(Bucket=site.bucket, Key=LEASE, Body=b"2", IfNoneMatch="*"),
        lambda: s3.put_object(Bucket=site.bucket, Key=LEASE, Body=b"2", IfMatch='"stale"'),
    ]
    for attempt in attempts:
        with pytest.raises(ClientError) as refused:
            attempt()
        assert refused.value.response["Error"]["Code"] == "PreconditionFailed"
    second = s3.put_object(Bucket=site.bucket, Key=LEASE, Body=b"2", IfMatch=first)["ETag"]
    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket=site.bucket, Key=LEASE, IfMatch=first)
    assert refused.value.response["Error"]["Code"] == "PreconditionFailed"
    s3.delete_object(Bucket=site.bucket, Key=LEASE, IfMatch=second)
    assert LEASE not in site.object_keys()


@pytest.mark.parametrize("a_first", [True, False])
def test_two_publishes_at_once_the_second_waits_then_publishes(site: Site, a_first: bool) -> None:
    site.publish()  # release 1: the fixture's site
    for path in BASE_FILES:
        (site.output / path).unlink()
    for path, content in full_site().items():
        site.write(path, content)
    other = second_root(site, small_site())
    roots = {"A": site.root, "B": other}
    sites = {"A": full_site(), "B": small_site()}
    site.proxy.hold = hold_first(is_html_put)
    site.proxy.clear()
    order = ["A", "B"] if a_first else ["B", "A"]
    runs = {}
    runs[order[0]] = start(roots[order[0]], "--delete", "--yes")
    assert site.proxy.held.wait(60), "the first publish never reached its HTML"
    runs[order[1]] = start(roots[order[1]], "--delete", "--yes")
    wait_until(
        lambda: lease_contested(site) or runs[order[1]].poll() is not None,
        "the second publish met the lease (or, without one, finished)",
    )
    site.proxy.release.set()
    outputs = {name: run.communicate(timeout=120) for name, run in runs.items()}

    first, second = order
    assert runs[first].returncode == 0, outputs[first]
    assert runs[second].returncode == 0, outputs[second]
    waited = outputs[second][1]
    assert f"another publish to s3://{site.bucket}/ is running: " in waited
    assert f"(process {runs[first].pid})" in waited and "waiting up to 600 s" in waited
    assert "waiting" not in outputs[first][1]
    # the run that finished last is the one whose files are live, and the record says so
    assert_whole_site(site, sites[second])
    number, _ = latest_release(site)
    assert number == 3
    assert outputs[second][0].startswith("uploaded ")


def test_two_publishes_at_once_without_waiting_the_second_stops_and_says_why(
    site: Site,
) -> None:
    site.publish()
    other = second_root(site, small_site())
    site.proxy.hold = hold_first(is_html_put)
    site.write("index.html", BASE_FILES["index.html"].replace("v1", "v2"))
    first = start(site.root, "--delete")
    assert site.proxy.held.wait(60), "the first publish never reached its HTML"
    second = start(other, "--delete", "--yes", "--lease-timeout", "0")
    out, err = second.communicate(timeout=60)
    site.proxy.release.set()
    first_out, first_err = first.communicate(timeout=60)

    assert first.returncode == 0, first_err
    assert second.returncode == 1, err
    assert out == ""
    assert err.startswith(f"Error: another publish to s3://{site.bucket}/ is running: ")
    assert f"(process {first.pid}), since " in err
    assert "not waiting (--lease-timeout 0). Nothing was changed." in err
    assert "--force-unlock" in err and "Traceback" not in err
    expected = dict(BASE_FILES, **{"index.html": BASE_FILES["index.html"].replace("v1", "v2")})
    assert_whole_site(site, expected)
    assert CSS_B not in site.object_keys()
    assert latest_release(site)[0] == 2


def test_a_second_publish_gives_up_after_its_timeout(site: Site) -> None:
    from cvgen.publish.execute import Bucket, Target
    from cvgen.publish.lease import Holder, Lease

    holder = Holder("0a1b2c3d", "GitHub Actions run 99", 4242)
    other = Lease(Bucket(Target(site.bucket)), holder)
    other.acquire(0)
    try:
        site.proxy.clear()
        result = site.publish("--lease-timeout", "1", code=1)
    finally:
        other.release()
    assert "waiting up to 1 s for it to finish (--lease-timeout)" in result.output
    assert "on another machine (0a1b2c3d) (process 4242), GitHub Actions run 99" in (result.output)
    assert "gave up after waiting 1 s (--lease-timeout). Nothing was changed." in result.output
    assert site.site_puts() == [] and site.proxy.count("DELETE") == 0
    assert LEASE not in site.object_keys()
    site.publish()  # released: the next one goes ahead


def test_force_unlock_names_the_holder_and_the_holder_stops(site: Site) -> None:
    site.publish()
    site.write("index.html", BASE_FILES["index.html"].replace("v1", "v2"))
    site.proxy.hold = hold_first(is_html_put)
    running = start(site.root, env={"CI": "true"})  # a runner without a run URL
    assert site.proxy.held.wait(60)
    result = site.publish("--force-unlock")
    assert result.output.startswith(
        f"removed the live publish lease on s3://{site.bucket}/ held by "
    )
    assert f"(process {running.pid}), a CI job, since " in result.output
    assert LEASE not in site.object_keys()
    site.proxy.release.set()
    out, err = running.communicate(timeout=60)
    assert running.returncode == 1
    assert "this publish lost its lease on" in err and "--force-unlock" in err
    assert "stopped before recording release 2" in err
    assert "_cvgen/releases/00000002.json" not in site.object_keys()
    # nothing to unlock now; and a rerun finishes the job
    assert "nothing to unlock" in site.publish("--force-unlock").output
    site.publish()
    assert_whole_site(
        site, {**BASE_FILES, "index.html": BASE_FILES["index.html"].replace("v1", "v2")}
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_publish_releases_its_lease(site: Site, signum: int) -> None:
    site.publish()
    site.write("index.html", BASE_FILES["index.html"].replace("v1", "v2"))
    site.proxy.hold = hold_first(is_html_put)
    running = start(site.root)
    assert site.proxy.held.wait(60)
    assert LEASE in site.object_keys()
    running.send_signal(signum)
    time.sleep(0.5)
    site.proxy.fail = lambda r: 503 if r.method == "PUT" and not r.is_lease else None
    site.proxy.release.set()
    running.communicate(timeout=60)
    assert running.returncode != 0
    assert LEASE not in site.object_keys()
    assert "_cvgen/releases/00000002.json" not in site.object_keys()


def test_without_a_lease_deletes_spare_what_another_publish_recorded(site: Site) -> None:
    """An endpoint without conditional writes gets no lease; two publishes then overlap, and
    the one that deletes lists again first, keeping what the other's release needs."""
    site.publish()  # release 1 has photo.png
    (site.output / "photo.png").unlink()  # A drops it (and deletes it, with --delete)
    site.write("index.html", BASE_FILES["index.html"].replace("v1", "v2"))
    talk = '<img src="../photo.png">talk'  # B adds a page that shows it
    other = second_root(site, {**BASE_FILES, "talks/index.html": talk})
    site.proxy.fail = lambda r: (501, "NotImplemented") if r.is_lease else None
    site.proxy.hold = hold_first(is_html_put)
    first = start(site.root, "--delete")
    assert site.proxy.held.wait(60), "A never reached its HTML"
    from click.testing import CliRunner

    from cvgen.cli import cli

    second = CliRunner().invoke(cli, ["publish", "--no-build", "--root", str(other)])
    assert second.exit_code == 0, second.output  # B recorded release 2
    site.proxy.release.set()
    out, err = first.communicate(timeout=60)
    assert "does not support S3 conditional writes: publishing without a lease" in err
    assert "not deleting photo.png: release 2, recorded since this publish began, has it" in err
    # without a lease the late run cannot record over release 2, and says so truthfully
    assert first.returncode == 1
    assert "another publish recorded release 2 at the same time; the files are uploaded" in err
    assert "photo.png" in site.object_keys()  # B's talk page still shows it
    site.publish("--delete")  # A again: records release 3
    expected = {p: c for p, c in BASE_FILES.items() if p != "photo.png"}
    expected["index.html"] = BASE_FILES["index.html"].replace("v1", "v2")
    assert_whole_site(site, expected)  # and every page in the bucket, talk included, resolves


def test_a_long_publish_keeps_its_lease_renewed(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lease of 2 s held for 5 s: only renewals keep a second publish from taking it."""
    site.publish()
    monkeypatch.setenv("CVGEN_LEASE_SECONDS", "2")
    site.write("index.html", BASE_FILES["index.html"].replace("v1", "v2"))
    site.proxy.hold = hold_first(is_html_put)
    first = start(site.root)
    assert site.proxy.held.wait(60)
    time.sleep(5)
    other = second_root(site, small_site())
    second = start(other, "--lease-timeout", "0")
    _, err = second.communicate(timeout=60)
    site.proxy.release.set()
    _, first_err = first.communicate(timeout=60)
    assert second.returncode == 1 and "another publish to" in err, err
    assert first.returncode == 0, first_err
    renewals = [m for m, _ in site.proxy.lease_requests()].count("PUT") - 2  # take; refused
    assert renewals >= 3  # every 2/3 s while held, and before recording the release
    assert_whole_site(
        site, {**BASE_FILES, "index.html": BASE_FILES["index.html"].replace("v1", "v2")}
    )
