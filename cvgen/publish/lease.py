"""One publish at a time per bucket and prefix: a lease object written with S3 conditional writes.

`_cvgen/lease.json` under the prefix (next to the release records) says who is publishing
(host, user, CI run; never an IP address), since when, and how long the lease lives
without renewal. Taking it is a PUT with `If-None-Match: *`: of two runs only one can
create it. Renewing and releasing are a PUT and a DELETE with `If-Match: <ETag>`: only the
holder knows the current ETag, and every write changes the bytes (a renewal counter), so
the ETag. A lease not renewed in time has expired and is taken over with `If-Match` on the
ETag just read, so of two runs taking over the same expired lease only one wins. Age is
measured on S3's clock (the answer's `Date` minus the object's `Last-Modified`), so the
machines' clocks do not matter.

The holder renews from a background thread every third of the lease time, and also right
before the steps where a lost lease would do harm (deleting, recording the release). An
uncontended publish pays two requests: one PUT to take the lease, one DELETE to release it.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from cvgen.errors import CvgenError
from cvgen.publish.execute import Bucket, error_code, is_aws_error
from cvgen.publish.local import LEASE_KEY

log = logging.getLogger(__name__)
Notify = Callable[[str], None]

FORMAT = 1
DEFAULT_SECONDS = 60  # a crashed run blocks others for at most this long
SECONDS_ENV = "CVGEN_LEASE_SECONDS"
DEFAULT_TIMEOUT = 600.0  # how long a second publish waits by default (--lease-timeout)
POLL_SECONDS = 2.0
NOTE_EVERY = 30.0  # seconds between "still waiting" lines

# An IP address in any usual spelling: 10.0.0.7, ip-10-0-0-7 (EC2 host names), IPv6.
_IP = re.compile(
    r"\d{1,3}[.-]\d{1,3}[.-]\d{1,3}[.-]\d{1,3}|[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,}", re.I
)


@dataclass(frozen=True)
class Holder:
    """Who publishes: for the message a second publish prints. Never an IP address."""

    host: str | None = None
    user: str | None = None
    ci: str | None = None  # the CI run, e.g. its URL
    pid: int | None = None

    def describe(self) -> str:
        who = self.user or "someone"
        if self.host:
            who += f" on {self.host}"
        if self.pid:
            who += f" (process {self.pid})"
        return f"{who}, {self.ci}" if self.ci else who


def without_ip(host: str | None) -> str | None:
    """The host name, or None when it spells an IP address (`ip-10-0-0-7.ec2.internal`)."""
    if not host or _IP.search(host):
        return None
    return host


def ci_run(environ: Mapping[str, str]) -> str | None:
    """The CI run this process belongs to, as its URL where the CI says it."""
    if environ.get("GITHUB_RUN_ID"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com")
        repo = environ.get("GITHUB_REPOSITORY", "")
        run = environ["GITHUB_RUN_ID"]
        url = f"{server}/{repo}/actions/runs/{run}" if repo else f"run {run}"
        attempt = environ.get("GITHUB_RUN_ATTEMPT", "")
        return f"GitHub Actions {url}" + (
            f" (attempt {attempt})" if attempt and attempt != "1" else ""
        )
    if environ.get("CI_JOB_URL"):
        return f"GitLab CI {environ['CI_JOB_URL']}"
    if environ.get("BUILD_URL"):  # Jenkins and others
        return f"CI {environ['BUILD_URL']}"
    if environ.get("CI", "").lower() in ("true", "1"):
        return "a CI job"
    return None


def holder_here(environ: Mapping[str, str]) -> Holder:
    import getpass
    import os
    import socket

    try:
        user: str | None = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        user = None
    return Holder(without_ip(socket.gethostname()), user, ci_run(environ), os.getpid())


@dataclass(frozen=True)
class LeaseRecord:
    """The lease object's body."""

    token: str  # this run's, so each holder writes different bytes
    holder: Holder
    acquired: str  # ISO 8601, UTC, the holder's clock: for people to read
    seconds: int  # the lease expires this long after its last write
    renewal: int = 0  # bumped on each renewal: new bytes, new ETag

    def to_json(self) -> bytes:
        data = {"format": FORMAT, **asdict(self)}
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def new_record(holder: Holder, seconds: int) -> LeaseRecord:
    acquired = datetime.now(UTC).isoformat(timespec="seconds")
    return LeaseRecord(uuid.uuid4().hex, holder, acquired, seconds)


def parse_record(data: bytes) -> LeaseRecord:
    """The lease as written; an unreadable one is held by an unknown publisher."""
    try:
        raw = json.loads(data)
        holder = raw["holder"]
        return LeaseRecord(
            token=str(raw["token"]),
            holder=Holder(
                without_ip(holder.get("host")),
                holder.get("user"),
                holder.get("ci"),
                holder.get("pid"),
            ),
            acquired=str(raw["acquired"]),
            seconds=max(1, int(raw["seconds"])),
            renewal=int(raw.get("renewal", 0)),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return LeaseRecord("unreadable", Holder(), "an unknown time", DEFAULT_SECONDS)


@dataclass(frozen=True)
class Observed:
    """Someone's lease as read from the bucket."""

    record: LeaseRecord
    etag: str
    age: float  # seconds since it was last written, on S3's clock

    @property
    def expired(self) -> bool:
        return self.age > self.record.seconds

    @property
    def expires_in(self) -> float:
        return max(0.0, self.record.seconds - self.age)

    def describe(self) -> str:
        acquired = self.record.acquired.replace("T", " ").replace("+00:00", " UTC")
        return (
            f"{self.record.holder.describe()}, since {acquired} "
            f"(lease renewed {self.age:.0f} s ago, expires in {self.expires_in:.0f} s "
            "unless renewed again)"
        )


def lease_seconds(environ: Mapping[str, str]) -> int:
    value = environ.get(SECONDS_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_SECONDS


def held_message(where: str, other: Observed, timeout: float) -> str:
    """What a publish that could not take the lease says, and what to do."""
    waiting = (
        f"gave up after waiting {timeout:.0f} s (--lease-timeout)"
        if timeout
        else "not waiting (--lease-timeout 0)"
    )
    return (
        f"another publish to {where} is running: {other.describe()}; {waiting}. "
        "Nothing was changed. Run `cvgen publish` again once it has finished (a crashed "
        f"run's lease expires {other.record.seconds} s after its last renewal); only if "
        "you are sure that publish is gone, remove its lease with "
        "`cvgen publish --force-unlock`"
    )


class Lease:
    """This run's hold on the lease: take it, keep it renewed, release it."""

    def __init__(
        self,
        bucket: Bucket,
        holder: Holder,
        seconds: int = DEFAULT_SECONDS,
        notify: Notify = log.warning,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bucket = bucket
        self.record = new_record(holder, seconds)
        self.notify = notify
        self.sleep = sleep
        self.clock = clock
        self.etag: str | None = None
        self.lost: str | None = None  # why the lease is no longer ours
        self.unsupported = False  # the endpoint has no conditional writes
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    @property
    def where(self) -> str:
        return self.bucket.target.where

    @property
    def key(self) -> str:
        return self.bucket.key(LEASE_KEY)

    def acquire(self, timeout: float) -> None:
        """Take the lease, waiting up to `timeout` seconds (from the first refusal) for
        another holder to finish."""
        started: float | None = None
        announced: str | None = None
        noted = 0.0
        while True:
            other = self._try_take()
            if other is None:
                if not self.unsupported:
                    self._start_renewing()
                return
            if started is None:
                started = self.clock()
            waited = self.clock() - started
            left = timeout - waited
            if left <= 0:
                raise CvgenError(held_message(self.where, other, timeout))
            if announced != other.record.token:
                self.notify(
                    f"another publish to {self.where} is running: {other.describe()}; "
                    f"waiting up to {left:.0f} s for it to finish (--lease-timeout)"
                )
                announced, noted = other.record.token, self.clock()
            elif self.clock() - noted >= NOTE_EVERY:
                self.notify(f"still waiting for the other publish to finish ({left:.0f} s left)")
                noted = self.clock()
            self.sleep(min(POLL_SECONDS, left))

    def _try_take(self) -> Observed | None:
        """None when the lease is ours now; else the live lease of someone else."""
        for _ in range(10):  # the lease changes hands between our requests: look again
            code = self._put(if_none_match=True)
            if code is None:
                return None
            if code == "ConditionalRequestConflict":  # 409: a concurrent write; retry
                self.sleep(0.2)
                continue
            other = self.read()
            if other is None:
                continue  # released in between
            if not other.expired:
                return other
            code = self._put(if_match=other.etag)
            if code is None:
                self.notify(
                    f"took over the expired publish lease on {self.where} "
                    f"({other.record.holder.describe()}, not renewed for {other.age:.0f} s)"
                )
                return None
        raise CvgenError(
            f"the publish lease {self.key} on {self.where} keeps changing hands; another "
            "publish is starting at the same time. Nothing was changed; rerunning is safe"
        )

    def _put(self, if_none_match: bool = False, if_match: str | None = None) -> str | None:
        """Write our record; None on success, else the S3 error code of a failed condition."""
        try:
            self.etag = self.bucket.put_lease(
                self.record.to_json(), if_none_match=if_none_match, if_match=if_match
            )
            return None
        except Exception as exc:
            if not is_aws_error(exc):
                raise
            code = error_code(exc)
            if code in ("PreconditionFailed", "NoSuchKey", "ConditionalRequestConflict"):
                return code
            if code == "NotImplemented":
                self.unsupported = True
                log.warning(
                    "%s does not support S3 conditional writes: publishing without a lease, "
                    "so nothing keeps a second publish from running at the same time",
                    self.where,
                )
                return None
            raise CvgenError(
                self.bucket.explain(exc, f"taking the publish lease {self.key}")
                + "; nothing was changed, rerunning is safe"
            ) from exc

    def read(self) -> Observed | None:
        """The lease as it is in the bucket, or None when there is none."""
        found = self.bucket.call(
            f"reading the publish lease {self.key}", lambda: self.bucket.read_lease()
        )
        if found is None:
            return None
        data, etag, age = found
        return Observed(parse_record(data), etag, age)

    def _start_renewing(self) -> None:
        self._renewer = threading.Thread(target=self._renew_loop, name="lease", daemon=True)
        self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.record.seconds / 3):
            self.renew()

    def renew(self) -> None:
        """Write the lease again (If-Match our ETag); a failed condition means it is lost."""
        with self._lock:
            if self.lost or self.etag is None or self.unsupported:
                return
            renewed = replace(self.record, renewal=self.record.renewal + 1)
            try:
                etag = self.bucket.put_lease(renewed.to_json(), if_match=self.etag)
            except Exception as exc:
                if not is_aws_error(exc):
                    raise
                if error_code(exc) in ("PreconditionFailed", "NoSuchKey"):
                    self.lost = (
                        f"this publish lost its lease on {self.where}: it was removed "
                        "(`cvgen publish --force-unlock`) or, after it expired, taken over by "
                        "another publish"
                    )
                else:  # the next renewal tries again; the ETag still says it is ours
                    log.warning("could not renew the publish lease: %s", exc)
                return
            self.record, self.etag = renewed, etag

    def renew_or_stop(self, before: str) -> None:
        """Renew now (a request) and stop unless the lease is still ours: before a step that
        could harm (deleting, recording a release)."""
        self.renew()
        self.stop_if_lost(before)

    def stop_if_lost(self, before: str) -> None:
        """Stop if the renewer found the lease lost (no request: cheap before every upload)."""
        if self.lost:
            raise CvgenError(
                f"{self.lost}; stopped before {before}. Whatever was uploaded stays (the "
                "site still serves pages whose files exist); run `cvgen publish` again to "
                "finish"
            )

    def release(self) -> None:
        """Stop renewing and delete the lease if it is still ours."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        with self._lock:
            if self.lost or self.etag is None or self.unsupported:
                return
            try:
                self.bucket.delete_lease(self.etag)
            except Exception as exc:
                if not is_aws_error(exc):
                    raise
                if error_code(exc) not in ("PreconditionFailed", "NoSuchKey"):
                    log.warning(
                        "could not release the publish lease %s (%s); it expires by itself "
                        "%d s after its last renewal",
                        self.key,
                        exc,
                        self.record.seconds,
                    )
            self.etag = None


def force_unlock(bucket: Bucket, notify: Notify) -> None:
    """Remove whoever's lease is in the bucket (If-Match its ETag), saying whose it was."""
    lease = Lease(bucket, Holder())
    found = lease.read()
    if found is None:
        notify(f"no publish lease on {bucket.target.where}: nothing to unlock")
        return
    try:
        bucket.delete_lease(found.etag)
    except Exception as exc:
        if not is_aws_error(exc):
            raise
        if error_code(exc) in ("PreconditionFailed", "NoSuchKey"):
            raise CvgenError(
                f"the publish lease on {bucket.target.where} changed while unlocking (its "
                "holder renewed or released it, so it is alive); nothing was removed"
            ) from exc
        raise CvgenError(bucket.explain(exc, f"removing the publish lease {lease.key}")) from exc
    state = "expired" if found.expired else "live"
    notify(
        f"removed the {state} publish lease on {bucket.target.where} held by "
        f"{found.describe()}. If that publish is still running, it stops before its next "
        "delete or release record and says so"
    )
