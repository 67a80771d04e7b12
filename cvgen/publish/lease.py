"""One publish at a time per bucket and prefix: a lease object written with S3 conditional writes.

`_cvgen/lease.json` under the prefix (next to the release records) says who is publishing,
no more than a person needs to recognise it (the CI run, or a fingerprint of the machine:
never a user name, host name or address, since the bucket may serve it publicly), since
when, and how long the lease lives without renewal. Taking it is a PUT with `If-None-Match: *`: of two runs only one can
create it. Renewing and releasing are a PUT and a DELETE with `If-Match: <ETag>`: only the
holder knows the current ETag, and every write changes the bytes (a renewal counter), so
the ETag. A lease not renewed in time has expired and is taken over with `If-Match` on the
ETag just read, so of two runs taking over the same expired lease only one wins. Age is
measured on S3's clock (the answer's `Date` minus the object's `Last-Modified`), so the
machines' clocks do not matter.

The holder renews from a background thread every third of the lease time, and also right
before every step that changes what the site serves (each batch of pages, the deletes, the
release record), so a publish whose lease was removed or taken over stops there. It counts
the lease as its own only until `seconds` after it *sent* its last successful write: S3
stamps the write later than that, so this never outlasts the lease on S3's clock, whatever
the machines' clocks say; a publish paused past it renews (or learns it lost the lease)
before its next upload.

Every conditional write recognises its own earlier write: when S3 applied a PUT but its
answer was lost, the retry meets `412`; the lease then holds exactly the bytes this run
wrote (its token is this run's alone), so the run carries on holding it instead of waiting
for itself or reporting it lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from cvgen.errors import CvgenError
from cvgen.publish.execute import Bucket, error_code, is_aws_error
from cvgen.publish.local import LEASE_KEY
from cvgen.publish.records import DamagedRecord, read_record, record_field

log = logging.getLogger(__name__)
Notify = Callable[[str], None]

FORMAT = 1
DEFAULT_SECONDS = 60  # a crashed run blocks others for at most this long
MAX_SECONDS = 86_400  # a longer lease in the bucket is damaged: it would block for days
SECONDS_ENV = "CVGEN_LEASE_SECONDS"
DEFAULT_TIMEOUT = 600.0  # how long a second publish waits by default (--lease-timeout)
POLL_SECONDS = 2.0
NOTE_EVERY = 30.0  # seconds between "still waiting" lines


@dataclass(frozen=True)
class Holder:
    """Who publishes, for the message a second publish prints: the CI run, or a fingerprint
    of the machine (its user and host name hashed) that its owner's own runs recognise."""

    machine: str | None = None
    ci: str | None = None  # the CI run, e.g. "GitHub Actions run 123"
    pid: int | None = None

    def describe(self) -> str:
        if self.machine is None:
            who = "a publish"
        elif self.machine == machine_here():
            who = "a publish on this machine"
        else:
            who = f"a publish on another machine ({self.machine})"
        if self.pid:
            who += f" (process {self.pid})"
        return f"{who}, {self.ci}" if self.ci else who


def machine_here() -> str:
    """This machine's fingerprint: the same on every run here, telling nothing about it."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        user = ""
    return hashlib.sha256(f"cvgen lease {user}@{socket.gethostname()}".encode()).hexdigest()[:8]


def ci_run(environ: Mapping[str, str]) -> str | None:
    """The CI run this process belongs to, by the number its CI shows (no URL: the
    repository's name and the CI server's address are nobody else's business)."""
    if environ.get("GITHUB_RUN_ID"):
        attempt = environ.get("GITHUB_RUN_ATTEMPT", "")
        return f"GitHub Actions run {environ['GITHUB_RUN_ID']}" + (
            f" (attempt {attempt})" if attempt and attempt != "1" else ""
        )
    if environ.get("CI_JOB_ID"):
        return f"GitLab CI job {environ['CI_JOB_ID']}"
    if environ.get("BUILD_NUMBER"):  # Jenkins and others
        return f"CI build {environ['BUILD_NUMBER']}"
    if environ.get("CI", "").lower() in ("true", "1"):
        return "a CI job"
    return None


def holder_here(environ: Mapping[str, str]) -> Holder:
    import os

    return Holder(machine_here(), ci_run(environ), os.getpid())


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
    """The lease as written, or DamagedRecord saying why it is not one cvgen wrote."""
    raw = read_record(data)
    holder = record_field(raw, "holder", dict)
    seconds = record_field(raw, "seconds", int)
    if not 0 < seconds <= MAX_SECONDS:
        raise DamagedRecord(f"`seconds` is {seconds}, not between 1 and {MAX_SECONDS}")
    return LeaseRecord(
        token=record_field(raw, "token", str),
        holder=Holder(
            record_field(holder, "machine", str, optional=True),
            record_field(holder, "ci", str, optional=True),
            record_field(holder, "pid", int, optional=True),
        ),
        acquired=record_field(raw, "acquired", str),
        seconds=seconds,
        renewal=record_field(raw, "renewal", int),
    )


def observe(data: bytes, etag: str, age: float) -> Observed:
    """A lease as read; a damaged one counts as held for DEFAULT_SECONDS after its last
    write, like a crashed run's, and says it is damaged."""
    try:
        return Observed(parse_record(data), etag, age)
    except DamagedRecord as exc:
        placeholder = LeaseRecord("damaged", Holder(), "an unknown time", DEFAULT_SECONDS)
        return Observed(placeholder, etag, age, damage=str(exc))


@dataclass(frozen=True)
class Observed:
    """Someone's lease as read from the bucket."""

    record: LeaseRecord
    etag: str
    age: float  # seconds since it was last written, on S3's clock
    damage: str | None = None  # why it is not a lease cvgen wrote

    @property
    def expired(self) -> bool:
        return self.age > self.record.seconds

    @property
    def expires_in(self) -> float:
        return max(0.0, self.record.seconds - self.age)

    def describe(self) -> str:
        if self.damage is not None:
            return (
                f"a damaged lease object ({self.damage}; not one cvgen wrote), last written "
                f"{self.age:.0f} s ago; it counts as held until {self.record.seconds} s after "
                "that"
            )
        acquired = self.record.acquired.replace("T", " ").replace("+00:00", " UTC")
        return (
            f"{self.record.holder.describe()}, since {acquired} "
            f"(lease renewed {self.age:.0f} s ago, expires in {self.expires_in:.0f} s "
            "unless renewed again)"
        )


def lease_seconds(environ: Mapping[str, str]) -> int:
    value = environ.get(SECONDS_ENV, "")
    if value.isdigit() and 0 < int(value) <= MAX_SECONDS:
        return int(value)
    return DEFAULT_SECONDS


def held_message(where: str, other: Observed, timeout: float) -> str:
    """What a publish that could not take the lease says, and what to do."""
    waiting = (
        f"gave up after waiting {timeout:.0f} s (--lease-timeout)"
        if timeout
        else "not waiting (--lease-timeout 0)"
    )
    if other.damage is not None:
        return (
            f"the publish lease on {where} is damaged ({other.damage}; not one cvgen wrote); "
            f"{waiting}. Nothing was changed. It counts as held until {other.record.seconds} "
            "s after its last write; if no publish is running, remove it with "
            "`cvgen publish --force-unlock` and publish again"
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
        self.valid_until = 0.0  # on `clock`: the lease is surely ours until then
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
                    self.bucket.before_change = self.stop_if_lost
                return
            if started is None:
                started = self.clock()
            waited = self.clock() - started
            left = timeout - waited
            if left <= 0:
                raise CvgenError(held_message(self.where, other, timeout))
            if announced != other.etag:
                self.notify(
                    f"another publish to {self.where} is running: {other.describe()}; "
                    f"waiting up to {left:.0f} s for it to finish (--lease-timeout)"
                )
                announced, noted = other.etag, self.clock()
            elif self.clock() - noted >= NOTE_EVERY:
                self.notify(f"still waiting for the other publish to finish ({left:.0f} s left)")
                noted = self.clock()
            self.sleep(min(POLL_SECONDS, left))

    def _try_take(self) -> Observed | None:
        """None when the lease is ours now; else the live lease of someone else."""
        for _ in range(10):  # the lease changes hands between our requests: look again
            code = self._put(self.record, if_none_match=True)
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
            code = self._put(self.record, if_match=other.etag)
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

    def _put(
        self, record: LeaseRecord, if_none_match: bool = False, if_match: str | None = None
    ) -> str | None:
        """Write `record` (it becomes ours); None on success, else the S3 error code of a
        failed condition. A write whose answer was lost but which landed is a success."""
        body = record.to_json()
        sent = self.clock()
        try:
            self.etag = self.bucket.put_lease(body, if_none_match=if_none_match, if_match=if_match)
        except Exception as exc:
            if not is_aws_error(exc):
                raise
            code = error_code(exc)
            if code == "NotImplemented":
                self.unsupported = True
                log.warning(
                    "%s does not support S3 conditional writes: publishing without a lease, "
                    "so nothing keeps a second publish from running at the same time",
                    self.where,
                )
                return None
            if self._landed(body):  # our earlier attempt landed; its answer was lost
                log.info("the publish lease write landed though its answer was lost (%s)", exc)
            elif code in ("PreconditionFailed", "NoSuchKey", "ConditionalRequestConflict"):
                return code
            else:
                raise CvgenError(
                    self.bucket.explain(exc, f"writing the publish lease {self.key}")
                    + "; nothing was changed, rerunning is safe"
                ) from exc
        self.record, self.valid_until = record, sent + record.seconds
        return None

    def _landed(self, body: bytes) -> bool:
        """The lease holds exactly `body` (this run's token): then it is ours, at its ETag."""
        try:
            found = self.bucket.read_lease()
        except Exception as exc:
            if not is_aws_error(exc):
                raise
            return False
        if found is None or found[0] != body:
            return False
        self.etag = found[1]
        return True

    def read(self) -> Observed | None:
        """The lease as it is in the bucket, or None when there is none."""
        found = self.bucket.call(
            f"reading the publish lease {self.key}", lambda: self.bucket.read_lease()
        )
        if found is None:
            return None
        return observe(*found)

    def _start_renewing(self) -> None:
        self._renewer = threading.Thread(target=self._renew_loop, name="lease", daemon=True)
        self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.record.seconds / 3):
            try:
                self.renew()
            except CvgenError as exc:  # retried next time; stop_if_lost() stops in time
                log.warning("could not renew the publish lease: %s", exc)

    def renew(self) -> None:
        """Write the lease again (If-Match our ETag); a failed condition means it is lost."""
        with self._lock:
            if self.lost or self.etag is None or self.unsupported:
                return
            renewed = replace(self.record, renewal=self.record.renewal + 1)
            code = self._put(renewed, if_match=self.etag)
            if code == "ConditionalRequestConflict":  # a write at the same time: look again
                log.warning("renewing the publish lease met a concurrent write; retrying soon")
            elif code is not None:
                self.lost = (
                    f"this publish lost its lease on {self.where}: it was removed "
                    "(`cvgen publish --force-unlock`) or, after it expired, taken over by "
                    "another publish"
                )

    def renew_or_stop(self, before: str) -> None:
        """Renew now and stop unless the lease is still ours (before a step that changes
        what the site serves)."""
        try:
            self.renew()
        except CvgenError as exc:
            log.warning("could not renew the publish lease: %s", exc)
        self.stop_if_lost(before)

    def stop_if_lost(self, before: str) -> None:
        """Stop if the lease is lost, or may have run out on S3's clock and cannot be
        renewed (a publish paused past its lease). Cheap before every upload: a request only
        when the last renewal is older than two thirds of the lease."""
        due = self.valid_until - self.record.seconds / 3
        if not (self.lost or self.unsupported or self.etag is None) and self.clock() > due:
            with contextlib.suppress(CvgenError):
                self.renew()
            if not self.lost and self.clock() > self.valid_until:
                self.lost = (
                    f"this publish could not renew its lease on {self.where} in time "
                    f"({self.record.seconds} s), so another publish may have taken it"
                )
        if self.lost:
            raise CvgenError(
                f"{self.lost}; stopped before {before}. Whatever was uploaded stays (the "
                "site still serves pages whose files exist); run `cvgen publish` again to "
                "finish"
            )

    def release(self) -> None:
        """Stop renewing and delete the lease if it is still ours."""
        self._stop.set()
        self.bucket.before_change = None
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
    if found.damage is not None:
        notify(
            f"removed the damaged publish lease on {bucket.target.where} ({found.damage}; "
            "not one cvgen wrote); the next `cvgen publish` takes a new one"
        )
        return
    state = "expired" if found.expired else "live"
    notify(
        f"removed the {state} publish lease on {bucket.target.where} held by "
        f"{found.describe()}. If that publish is still running, it stops before its next "
        "batch of pages, its deletes or its release record, and says so"
    )
