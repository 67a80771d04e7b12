"""`cvgen publish` and `cvgen publish --rollback`, one line per stage.

publish:  build -> scan output/ -> take the lease -> read remote state -> plan ->
          (dry run: print) -> keep superseded copies + upload assets, other files, HTML ->
          delete -> invalidate -> record the release -> release the lease
rollback: take the lease -> read remote state -> plan the previous release as the target ->
          copy its files back in place from the bucket -> delete (with --delete) ->
          invalidate -> record -> release the lease
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import click

from cvgen.bundle.fingerprint import is_fingerprinted
from cvgen.errors import CvgenError
from cvgen.publish.execute import (
    Bucket,
    Stored,
    Target,
    caller_reference,
    invalidate,
    is_aws_error,
)
from cvgen.publish.freeze import freeze_applications
from cvgen.publish.lease import (
    DEFAULT_TIMEOUT,
    Lease,
    force_unlock,
    holder_here,
    lease_seconds,
)
from cvgen.publish.local import LocalFile, scan_output
from cvgen.publish.plan import Plan, PlanOptions, RemoteFile, Upload, plan_publish, upload_phase
from cvgen.publish.release import (
    Listed,
    Release,
    ReleaseEntry,
    needs_keeping,
    newer_releases,
    paths_to_head,
    protected_assets,
    prunable_objects,
    release_number,
    remote_state,
    rollback_sources,
    unsafe_deletes,
)
from cvgen.publish.report import plan_table, summary_line
from cvgen.settings.config import Config, load_config
from cvgen.site_address import publish_warning
from cvgen.ui import Ui

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishOptions:
    root: Path
    dry_run: bool = False
    delete: bool = False
    max_deletes: int | None = None
    yes: bool = False
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    bucket: str | None = None
    prefix: str | None = None
    distribution_id: str | None = None
    invalidate: bool = True
    wait: bool = False
    build: bool = True
    rollback: bool = False
    lease_timeout: float = DEFAULT_TIMEOUT  # wait this long for another publish to finish
    force_unlock: bool = False
    refresh: tuple[str, ...] = ()  # applications to publish afresh (see publish/freeze.py)
    prune_applications: bool = False


@dataclass(frozen=True)
class RemoteView:
    """The bucket as the plan sees it, plus what the release record needs."""

    listed: Mapping[str, Listed]
    releases: tuple[Release, ...]  # latest first; at most the last two
    state: Mapping[str, RemoteFile]
    versions: Mapping[str, str | None]  # version ids learnt from HEAD
    next_number: int

    @property
    def current(self) -> Release | None:
        return self.releases[0] if self.releases else None


def publish(options: PublishOptions, ui: Ui) -> None:
    started = time.monotonic()
    config = load_config(options.root)
    target = resolve_target(config, options)
    if options.force_unlock:
        return force_unlock(Bucket(target), ui.echo)
    if options.rollback:
        return rollback(config, target, options, ui, started)
    if warning := publish_warning(config.site.url):
        ui.note(f"warning: {warning}")
    if options.build:
        build_site(options.root)
    local = scan_output(config.output_dir, config.publish.cache)
    bucket = Bucket(target)
    with held_lease(bucket, options, ui) as lease:
        remote = read_remote(bucket, local)
        today = datetime.now(UTC).date().isoformat()
        frozen = freeze_applications(
            local,
            remote.current,
            remote.state,
            today=today,
            refresh=options.refresh,
            prune=options.prune_applications,
        )
        for note in frozen.notes:
            ui.echo(note)
        choices = replace(
            plan_options(config, target, options, remote),
            frozen=frozen.frozen,
            replaced=frozen.replaced,
        )
        plan = plan_publish(frozen.target, remote.state, choices)
        if options.dry_run:
            return show_dry_run(plan, ui)
        source = config.output_dir
        stored = apply_plan(bucket, plan, remote, lambda u: bucket.put(u, source / u.path), lease)
        finish(
            bucket,
            plan,
            remote,
            frozen.target,
            stored,
            options,
            ui,
            started,
            "uploaded",
            lease,
            applications=frozen.applications,
        )


def rollback(
    config: Config, target: Target, options: PublishOptions, ui: Ui, started: float
) -> None:
    bucket = Bucket(target)
    with held_lease(bucket, options, ui) as lease:
        listed = bucket.list_objects()
        numbers = sorted((n for n in map(release_number, listed) if n is not None), reverse=True)
        if len(numbers) < 2:
            raise CvgenError(
                f"nothing to roll back to: {target.where} has {len(numbers)} release(s) "
                "recorded; a rollback needs a previous `cvgen publish`"
            )
        latest, previous = bucket.read_release(numbers[0]), bucket.read_release(numbers[1])
        wanted = previous.as_local()
        remote = read_remote(bucket, wanted, listed, numbers, (latest, previous))
        plan = plan_publish(wanted, remote.state, plan_options(config, target, options, remote))
        paths = [u.path for u in plan.uploads]
        sources, missing = rollback_sources(previous, remote.state, remote.listed, paths)
        versioned = [(p, s.version_id) for p, s in sources.items() if s.version_id]
        exists, failures = bucket.run(
            versioned, lambda v: bucket.version_exists(*v), lambda v: v[0], verb="checking"
        )
        if failures:
            raise CvgenError(
                "checking the old versions failed (nothing was changed; rerunning is safe):\n  "
                + "\n  ".join(failures)
            )
        gone = [path for path, ok in exists.items() if not ok]
        if gone:
            sources, missing = rollback_sources(previous, remote.state, remote.listed, paths, gone)
        if missing:
            raise CvgenError(
                f"cannot roll back to release {previous.number}: the bucket no longer holds "
                + ", ".join(missing)
                + " as they were (an expired old version?); rebuild that version and run "
                "`cvgen publish` instead"
            )
        ui.echo(f"rolling back to release {previous.number} ({previous.created})")
        if options.dry_run:
            return show_dry_run(plan, ui)
        stored = apply_plan(bucket, plan, remote, lambda u: bucket.copy(u, sources[u.path]), lease)
        finish(
            bucket,
            plan,
            remote,
            wanted,
            stored,
            options,
            ui,
            started,
            "restored",
            lease,
            previous.number,
            applications=previous.applications,
        )


@contextmanager
def held_lease(bucket: Bucket, options: PublishOptions, ui: Ui) -> Iterator[Lease | None]:
    """This run's lease on the bucket and prefix for the block (none for a dry run), released
    at the end whatever happens: an error, Ctrl-C, or SIGTERM (a cancelled CI job)."""
    if options.dry_run:
        yield None
        return
    lease = Lease(bucket, holder_here(os.environ), lease_seconds(os.environ), ui.note)
    with terminate_as_interrupt():
        lease.acquire(options.lease_timeout)
        try:
            yield lease
        finally:
            lease.release()


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt for the block, so `finally` releases the lease."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def resolve_target(config: Config, options: PublishOptions) -> Target:
    settings = config.publish
    bucket = options.bucket or settings.bucket
    if not bucket:
        raise CvgenError(
            f"{config.root / 'cvgen.yaml'}: no bucket to publish to; set publish.bucket in "
            "cvgen.yaml or pass --bucket, or run `cvgen infra deploy` to create one"
        )
    prefix = settings.prefix if options.prefix is None else options.prefix
    return Target(
        bucket=bucket,
        prefix=prefix.strip("/"),
        region=options.region or settings.region,
        profile=options.profile or settings.profile,
        endpoint_url=options.endpoint_url or settings.endpoint_url,
        distribution_id=options.distribution_id or settings.distribution_id,
    )


def build_site(root: Path) -> None:
    """`cvgen build` first, so what is published is what the sources say."""
    from cvgen.build import build

    build(root)


def read_remote(
    bucket: Bucket,
    wanted: Mapping[str, LocalFile],
    listed: Mapping[str, Listed] | None = None,
    numbers: list[int] | None = None,
    releases: tuple[Release, ...] | None = None,
) -> RemoteView:
    """List the prefix, read the last two releases, HEAD only what they do not describe."""
    if listed is None:
        listed = bucket.list_objects()
    if numbers is None:
        numbers = sorted((n for n in map(release_number, listed) if n is not None), reverse=True)
    if releases is None:
        releases = tuple(bucket.read_release(n) for n in numbers[:2])
    current = releases[0] if releases else None
    to_head = paths_to_head(listed, current, wanted)
    log.info("%d objects listed; %d need a HEAD", len(listed), len(to_head))
    heads, failures = bucket.run(to_head, bucket.head, str, verb="reading the metadata of")
    if failures:
        raise CvgenError(
            "reading object metadata failed (nothing was changed; rerunning is safe):\n  "
            + "\n  ".join(failures)
        )
    state = remote_state(listed, current, {p: (h[0], h[1]) for p, h in heads.items()})
    versions = {p: h[2] for p, h in heads.items()}
    number = (numbers[0] + 1) if numbers else 1
    return RemoteView(listed, releases, state, versions, number)


def plan_options(
    config: Config, target: Target, options: PublishOptions, remote: RemoteView
) -> PlanOptions:
    invalidating = options.invalidate and bool(target.distribution_id)
    protected = frozenset(p for p in protected_assets(remote.releases) if is_fingerprinted(p))
    return PlanOptions(
        delete=options.delete,
        max_deletes=options.max_deletes,
        yes=options.yes,
        invalidate=invalidating,
        invalidation_threshold=config.publish.invalidation_threshold,
        protected=protected,
        pending_invalidation=remote.current.pending_invalidation
        if invalidating and remote.current
        else (),
        # no release yet: record one, so later runs need no HEAD requests
        recorded={p: (e.sha256, e.headers_sha256) for p, e in remote.current.files.items()}
        if remote.current
        else {},
    )


def show_dry_run(plan: Plan, ui: Ui) -> None:
    ui.echo(plan_table(plan))
    if plan.refusal:
        raise CvgenError(plan.refusal)
    ui.echo("dry run: nothing was changed")


@contextmanager
def progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal; nothing otherwise (logs and CI stay clean)."""
    if total == 0 or not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=total, label="publishing", file=sys.stderr) as bar:
        yield lambda: bar.update(1)


def apply_plan(
    bucket: Bucket,
    plan: Plan,
    remote: RemoteView,
    transfer: Callable[[Upload], Stored],
    lease: Lease | None = None,
) -> dict[str, Stored]:
    """Uploads phase by phase (assets, other files, HTML), then deletes; stop on failure."""
    if plan.refusal:
        raise CvgenError(plan.refusal)
    keep: dict[str, str] = {}  # path -> sha256 to copy to _cvgen/objects/ first
    for path in [u.path for u in plan.uploads if u.reason == "content"] + list(plan.deletes):
        sha = needs_keeping(path, remote.current, remote.state, remote.listed)
        if sha is not None and sha not in keep.values():
            keep[path] = sha

    def upload(item: Upload) -> Stored:
        if lease is not None:
            lease.stop_if_lost(f"uploading {item.path}")
        if item.path in keep:
            bucket.keep(item.path, keep[item.path])
        try:
            return transfer(item)
        except Exception as exc:
            # the answer may have been lost after the object landed: look before failing
            landed = bucket.landed(item) if is_aws_error(exc) else None
            if landed is None:
                raise
            log.info("%s: the upload landed though its answer was lost (%s)", item.path, exc)
            return landed

    def delete(path: str) -> None:
        if path in keep:
            bucket.keep(path, keep[path])
        bucket.delete(path)

    stored: dict[str, Stored] = {}
    with progress(len(plan.uploads) + len(plan.deletes)) as tick:
        for phase in (0, 1, 2):
            batch = [u for u in plan.uploads if upload_phase(u.path) == phase]
            # new fingerprinted assets change nothing served; the rest goes a pool's worth at
            # a time, each after a lease check, so a lost lease stops it within one batch
            size = len(batch) if phase == 0 or lease is None else bucket.workers
            for start in range(0, len(batch), max(size, 1)):
                chunk = batch[start : start + size]
                if lease is not None and phase:
                    lease.renew_or_stop(f"uploading {chunk[0].path}")
                done, failures = bucket.run(chunk, upload, lambda u: u.path, tick, "uploading")
                stored.update(done)
                if failures:
                    what = f"{len(failures)} of {len(plan.uploads)} uploads failed"
                    fail(what, failures, stored)
        if plan.deletes:
            if lease is not None:
                lease.renew_or_stop("deleting")
            deletes = safe_deletes(bucket, plan, remote)
            _, failures = bucket.run(deletes, delete, str, tick, "deleting")
            if failures:
                fail(f"{len(failures)} of {len(deletes)} deletes failed", failures, stored)
    return stored


def safe_deletes(bucket: Bucket, plan: Plan, remote: RemoteView) -> list[str]:
    """The plan's deletes minus what changed since this run's listing: list again, keep what
    was uploaded after it or belongs to a release recorded after it (another publish)."""
    advice = "the uploads are done, nothing was deleted; rerunning `cvgen publish` finishes"
    listed = bucket.list_objects(advice)
    known = remote.current.number if remote.current else 0
    newer = [bucket.read_release(n) for n in newer_releases(listed, known)]
    keep = unsafe_deletes(plan.deletes, remote.listed, listed, newer)
    for path, why in sorted(keep.items()):
        log.warning("not deleting %s: %s", path, why)
    return [path for path in plan.deletes if path not in keep]


def fail(what: str, failures: list[str], stored: Mapping[str, Stored]) -> None:
    raise CvgenError(
        f"{what} ({len(stored)} files were uploaded); nothing was invalidated and no release "
        "was recorded, and the site still serves HTML whose assets exist; fix the cause and "
        "run the publish again to finish:\n  " + "\n  ".join(failures)
    )


def finish(
    bucket: Bucket,
    plan: Plan,
    remote: RemoteView,
    wanted: Mapping[str, LocalFile],
    stored: Mapping[str, Stored],
    options: PublishOptions,
    ui: Ui,
    started: float,
    verb: str,
    lease: Lease | None = None,
    rollback_of: int | None = None,
    *,
    applications: Mapping[str, str] | None = None,
) -> None:
    """Invalidate, record the release (only when something changed), print the summary.
    `applications`: the published applications' folders and since when (the release record's)."""
    if plan.empty:
        ui.echo(summary_line(0, 0, 0, 0, time.monotonic() - started, verb))
        return
    files = release_files(wanted, stored, remote)
    number = remote.next_number
    pending: tuple[str, ...] = ()
    error: CvgenError | None = None
    if plan.invalidations:
        state = {p: e.sha256 + e.headers_sha256 for p, e in files.items()}
        reference = caller_reference(number, plan.invalidations, state)
        try:
            invalidate(bucket, plan.invalidations, reference, wait=options.wait)
        except CvgenError as exc:
            pending, error = plan.invalidations, exc
    created = datetime.now(UTC).isoformat(timespec="seconds")
    new = Release(number, created, files, rollback_of, pending, dict(applications or {}))
    if lease is not None:
        lease.renew_or_stop("recording release " + str(number))
    bucket.write_release(new)
    prune_kept_objects(bucket, remote, new)
    ui.echo(
        summary_line(
            len(stored),
            sum(u.size for u in plan.uploads if u.path in stored),
            len(plan.deletes),
            0 if error else len(plan.invalidations),
            time.monotonic() - started,
            verb,
        )
    )
    if error is not None:
        raise CvgenError(
            f"{error.format_message()}\nthe files are published; the next `cvgen publish` "
            "retries the invalidation"
        )


def prune_kept_objects(bucket: Bucket, remote: RemoteView, new: Release) -> None:
    """Drop kept copies no rollback can need any more; a failure here is only a warning."""
    stale = prunable_objects(remote.listed, (new, *remote.releases))
    _, failures = bucket.run(stale, bucket.delete, str, verb="deleting")
    for failure in failures:
        log.warning("could not remove an old rollback copy: %s", failure)


def release_files(
    wanted: Mapping[str, LocalFile], stored: Mapping[str, Stored], remote: RemoteView
) -> dict[str, ReleaseEntry]:
    """The new release: every published path with its hashes, ETag and version id."""
    current = remote.current.files if remote.current else {}
    files = {}
    for path, file in wanted.items():
        if path in stored:
            etag, version = stored[path].etag, stored[path].version_id
        else:
            etag = remote.listed[path].etag
            previous = current.get(path)
            version = remote.versions.get(path) or (
                previous.version_id if previous and previous.etag == etag else None
            )
        headers = file.headers
        files[path] = ReleaseEntry(
            sha256=file.sha256,
            headers_sha256=headers.digest(),
            size=file.size,
            etag=etag,
            content_type=headers.content_type,
            cache_control=headers.cache_control,
            content_encoding=headers.content_encoding,
            version_id=version,
        )
    return files
