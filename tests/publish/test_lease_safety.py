"""A publish that lost its lease stops before its next step; the lease never fights itself;
damaged records are named as damaged. Real `cvgen publish` processes against the moto server
behind the fault-injecting proxy."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable

import pytest

from tests.publish.conftest import BASE_FILES, Site
from tests.publish.recording_proxy import Request
from tests.publish.test_lease_e2e import (
    LEASE,
    assert_whole_site,
    full_site,
    is_html_put,
    latest_release,
    second_root,
    small_site,
    start,
    wait_until,
)

pytestmark = pytest.mark.aws


def lose_nth_lease_put(n: int) -> Callable[[Request], bool]:
    """Lose the answer of the n-th PUT of the lease (1-based): it lands, the client never
    hears so and retries."""
    lock, seen = threading.Lock(), [0]

    def lose(request: Request) -> bool:
        if not (request.is_lease and request.method == "PUT"):
            return False
        with lock:
            seen[0] += 1
            return seen[0] == n

    return lose


def write_site(site: Site, files: dict[str, str]) -> None:
    for path, content in files.items():
        site.write(path, content)


def site_puts_since(site: Site, count: int) -> list[str]:
    return site.site_puts()[count:]


@pytest.mark.parametrize("how", ["force-unlock", "deleted", "paused past its lease"])
def test_a_publish_that_lost_its_lease_stops_before_its_next_batch_of_pages(
    site: Site, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publishes 22 pages (3 batches of 8); its lease goes away while its first batch is
    under way; B publishes its small site. A uploads nothing after that batch, records no
    release, exits 1 saying why; B's site is whole."""
    site.publish()
    monkeypatch.setenv("CVGEN_LEASE_SECONDS", "3")
    write_site(site, full_site())
    site.proxy.hold = lambda r: is_html_put(r) and "/posts/p1/" in r.path
    first = start(site.root)
    assert site.proxy.held.wait(60), "A never reached its pages"
    if how == "force-unlock":
        assert "removed the live publish lease" in site.publish("--force-unlock").output
    elif how == "deleted":
        site.s3.delete_object(Bucket=site.bucket, Key=LEASE)
    else:  # paused between steps: its first batch sent, one page of it still under way
        wait_until(lambda: sum(p.endswith(".html") for p in site.site_puts()) >= 8, "8 pages")
        time.sleep(0.5)
        first.send_signal(signal.SIGSTOP)
        time.sleep(4)  # past A's 3 s lease: B takes it over
    other = second_root(site, small_site())
    second = start(other, "--lease-timeout", "30")
    _, second_err = second.communicate(timeout=120)
    assert second.returncode == 0, second_err
    b_done = len(site.site_puts())
    if how == "paused past its lease":
        first.send_signal(signal.SIGCONT)
    site.proxy.hold = lambda r: False
    site.proxy.release.set()
    _, err = first.communicate(timeout=120)
    assert first.returncode == 1, err
    assert "Traceback" not in err
    assert "this publish lost its lease on" in err and "; stopped before " in err
    # nothing after the batch under way (its held page); B's release is the latest
    assert [p for p in site_puts_since(site, b_done)] in ([], ["posts/p1/index.html"])
    assert latest_release(site)[0] == 2
    pages = [k for k in site.object_keys() if k.startswith("posts/")]
    assert len(pages) <= 8  # one batch of A's pages at most, and B's site serves whole
    assert_whole_site_of_b(site)


def assert_whole_site_of_b(site: Site) -> None:
    _, record = latest_release(site)
    expected = small_site()
    assert sorted(record["files"]) == sorted(expected)
    for path, content in expected.items():
        if path != "photo.png":
            assert site.read(path) == content.encode("utf-8"), path


def test_a_lost_answer_to_taking_the_lease_is_recognised_as_its_own(site: Site) -> None:
    """S3 applied the lease PUT but the answer was lost: the retry meets 412, and the
    publish sees its own bytes instead of waiting for itself."""
    site.proxy.lose = lose_nth_lease_put(1)
    began = time.monotonic()
    result = site.publish("--lease-timeout", "0")
    assert time.monotonic() - began < 20
    assert "another publish" not in result.output
    assert LEASE not in site.object_keys()  # released at the end
    assert_whole_site(site, BASE_FILES)


def test_a_lost_answer_to_a_renewal_is_recognised_as_its_own(site: Site) -> None:
    site.publish()
    write_site(site, full_site())
    site.proxy.clear()
    site.proxy.lose = lose_nth_lease_put(2)  # the renewal before the first batch of pages
    result = site.publish()
    assert "lost its lease" not in result.output
    assert LEASE not in site.object_keys()
    bodies = site.proxy.lease_bodies()
    assert bodies[1] == bodies[2]  # the retry of the lost renewal: the same bytes, landed
    assert_whole_site(site, {**BASE_FILES, **full_site()})


def test_every_renewal_changes_the_leases_bytes(site: Site) -> None:
    """S3's ETag is the MD5 of the bytes: a renewal writing the same bytes would keep the
    ETag, and a racing takeover's If-Match on it would win."""
    site.publish()
    write_site(site, full_site())
    site.publish()
    bodies = site.proxy.lease_bodies()
    assert len(bodies) >= 4  # take, a renewal before each batch of pages, before the release
    assert len(set(bodies)) == len(bodies)
    renewals = [json.loads(body)["renewal"] for body in bodies[-4:]]
    assert renewals == sorted(renewals) and len(set(renewals)) == 4


DAMAGED_LEASES = {
    "1e400": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", "seconds": 1e400}',
    "Infinity": b'{"format": 1, "token": "t", "holder": {}, "acquired": "x", '
    b'"seconds": Infinity, "renewal": 0}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(DAMAGED_LEASES))
def test_a_damaged_lease_is_named_with_the_way_out(site: Site, name: str) -> None:
    site.s3.put_object(Bucket=site.bucket, Key=LEASE, Body=DAMAGED_LEASES[name])
    first = start(site.root, "--lease-timeout", "0")
    _, err = first.communicate(timeout=60)
    assert first.returncode == 1 and "Traceback" not in err, err
    assert "is damaged (" in err and "`cvgen publish --force-unlock`" in err
    assert site.site_puts() == []
    unlock = start(site.root, "--force-unlock")
    out, err = unlock.communicate(timeout=60)
    assert unlock.returncode == 0 and "Traceback" not in err, err
    assert "removed the damaged publish lease" in out + err
    site.publish()
    assert_whole_site(site, BASE_FILES)


@pytest.mark.parametrize("body", [b'{"format": 1, "number": 1e400}', b"[" * 100_000])
def test_a_damaged_release_record_is_named_with_the_way_out(site: Site, body: bytes) -> None:
    site.publish()
    key = "_cvgen/releases/00000001.json"
    site.s3.put_object(Bucket=site.bucket, Key=key, Body=body)
    first = start(site.root)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 1 and "Traceback" not in err, err
    assert f"{key}: damaged release record" in err and "Delete that object" in err
    assert LEASE not in site.object_keys()
