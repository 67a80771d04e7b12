"""Release manifests: what each publish put in the bucket, and the remote state they give.

Every publish that changes something writes `_cvgen/releases/<number>.json` under the
prefix: for each site path its content SHA-256, headers SHA-256, size, the ETag S3
returned and (on a versioned bucket) the VersionId, plus the headers themselves. The
latest manifest is the remote state: a listed object whose ETag and size match its entry
is described without a request; only the others are read with HEAD (their hashes are in
the object metadata). A rollback copies the previous release's files back into place,
from their recorded VersionId or from content-addressed copies kept under
`_cvgen/objects/<sha256>` when the bucket is not versioned.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from cvgen.bundle.headers import Headers
from cvgen.errors import CvgenError
from cvgen.publish.local import RESERVED, LocalFile
from cvgen.publish.plan import RemoteFile
from cvgen.publish.records import DamagedRecord, read_record, record_field

RELEASES = f"{RESERVED}releases/"
OBJECTS = f"{RESERVED}objects/"
META_SHA = "cvgen-sha256"  # x-amz-meta-cvgen-sha256: SHA-256 of the bytes
META_HEADERS = "cvgen-headers-sha256"  # x-amz-meta-cvgen-headers-sha256: SHA-256 of the headers
FORMAT = 1


@dataclass(frozen=True)
class ReleaseEntry:
    sha256: str
    headers_sha256: str
    size: int
    etag: str
    content_type: str
    cache_control: str
    content_encoding: str | None = None
    version_id: str | None = None

    @property
    def headers(self) -> Headers:
        return Headers(self.content_type, self.cache_control, self.content_encoding)


@dataclass(frozen=True)
class Release:
    number: int
    created: str
    files: Mapping[str, ReleaseEntry]
    rollback_of: int | None = None  # the release this one restored, for a rollback
    pending_invalidation: tuple[str, ...] = field(default=())
    # published applications: folder (`a/acme-<token>/`) -> the day it was first published
    # (`cvgen.publish.freeze`); their files in `files` are frozen
    applications: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data: dict[str, Any] = {
            "format": FORMAT,
            "number": self.number,
            "created": self.created,
            "rollback_of": self.rollback_of,
            "pending_invalidation": list(self.pending_invalidation),
            "applications": dict(sorted(self.applications.items())),
            "files": {path: asdict(entry) for path, entry in sorted(self.files.items())},
        }
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")

    def as_local(self) -> dict[str, LocalFile]:
        """The release's files as a publish target (what a rollback re-publishes)."""
        return {
            path: LocalFile(path, entry.size, entry.sha256, entry.headers)
            for path, entry in self.files.items()
        }


def release_key(number: int) -> str:
    return f"{RELEASES}{number:08d}.json"


def release_number(path: str) -> int | None:
    """The number in `_cvgen/releases/00000012.json`, or None for anything else."""
    if not (path.startswith(RELEASES) and path.endswith(".json")):
        return None
    stem = path[len(RELEASES) : -len(".json")]
    return int(stem) if stem.isdigit() else None


def parse_release(data: bytes, where: str) -> Release:
    try:
        raw = read_record(data)
        if raw.get("format") != FORMAT:
            raise DamagedRecord(f"unknown format {raw.get('format')!r}")
        files = {path: _entry(entry) for path, entry in record_field(raw, "files", dict).items()}
        pending = record_field(raw, "pending_invalidation", list, optional=True) or []
        return Release(
            number=record_field(raw, "number", int),
            created=record_field(raw, "created", str),
            files=files,
            rollback_of=record_field(raw, "rollback_of", int, optional=True),
            pending_invalidation=tuple(str(path) for path in pending),
            applications={
                str(k): str(v)
                for k, v in (record_field(raw, "applications", dict, optional=True) or {}).items()
            },
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CvgenError(
            f"{where}: damaged release record ({exc}), not one cvgen wrote; nothing was "
            "changed. Delete that object to publish afresh (the next publish then compares "
            "each file by its metadata)"
        ) from None


def _entry(raw: Any) -> ReleaseEntry:
    if not isinstance(raw, dict):
        raise DamagedRecord(f"a file entry is {type(raw).__name__}, not an object")
    return ReleaseEntry(
        sha256=record_field(raw, "sha256", str),
        headers_sha256=record_field(raw, "headers_sha256", str),
        size=record_field(raw, "size", int),
        etag=record_field(raw, "etag", str),
        content_type=record_field(raw, "content_type", str),
        cache_control=record_field(raw, "cache_control", str),
        content_encoding=record_field(raw, "content_encoding", str, optional=True),
        version_id=record_field(raw, "version_id", str, optional=True),
    )


def clean_etag(etag: str) -> str:
    return etag.strip().strip('"')


@dataclass(frozen=True)
class Listed:
    """One object from ListObjectsV2, by its site path."""

    size: int
    etag: str
    modified: float | None = None  # LastModified as a Unix time, on S3's clock


def paths_to_head(
    listed: Mapping[str, Listed], release: Release | None, wanted: Iterable[str]
) -> list[str]:
    """Listed objects among `wanted` that the latest release does not describe."""
    files = release.files if release else {}
    out = []
    for path in sorted(wanted):
        seen = listed.get(path)
        if seen is None:
            continue
        entry = files.get(path)
        if entry is None or entry.etag != seen.etag or entry.size != seen.size:
            out.append(path)
    return out


def remote_state(
    listed: Mapping[str, Listed],
    release: Release | None,
    heads: Mapping[str, tuple[str | None, str | None]],
) -> dict[str, RemoteFile]:
    """{path: RemoteFile} from the listing, the latest release and the HEADs made."""
    files = release.files if release else {}
    state = {}
    for path, seen in listed.items():
        if path.startswith(RESERVED):
            continue
        entry = files.get(path)
        if path in heads:
            sha, headers_sha = heads[path]
        elif entry is not None and entry.etag == seen.etag and entry.size == seen.size:
            sha, headers_sha = entry.sha256, entry.headers_sha256
        else:
            sha = headers_sha = None  # unknown: treated as changed if we publish this path
        state[path] = RemoteFile(path, seen.size, seen.etag, sha, headers_sha)
    return state


def protected_assets(releases: Iterable[Release]) -> frozenset[str]:
    """Paths referenced by the given (latest) releases; never deleted."""
    return frozenset(path for release in releases for path in release.files)


@dataclass(frozen=True)
class CopySource:
    key_path: str  # site path or reserved path of the object to copy from
    version_id: str | None = None


def rollback_sources(
    target: Release,
    remote: Mapping[str, RemoteFile],
    listed: Mapping[str, Listed],
    paths: Iterable[str],
    gone_versions: Iterable[str] = (),
) -> tuple[dict[str, CopySource], list[str]]:
    """Where each of `paths` can be copied from to restore `target`; and what cannot.

    `gone_versions`: paths whose recorded VersionId no longer exists (expired).
    """
    gone = frozenset(gone_versions)
    by_sha: dict[str, str] = {}
    for path, file in sorted(remote.items()):
        if file.sha256:
            by_sha.setdefault(file.sha256, path)
    sources: dict[str, CopySource] = {}
    missing: list[str] = []
    for path in sorted(paths):
        entry = target.files[path]
        kept = f"{OBJECTS}{entry.sha256}"
        if entry.version_id and path not in gone:
            sources[path] = CopySource(path, entry.version_id)
        elif kept in listed:
            sources[path] = CopySource(kept)
        elif entry.sha256 in by_sha:
            sources[path] = CopySource(by_sha[entry.sha256])
        else:
            missing.append(path)
    return sources, missing


def needs_keeping(
    path: str,
    current: Release | None,
    remote: Mapping[str, RemoteFile],
    listed: Mapping[str, Listed],
) -> str | None:
    """The sha256 to keep under `_cvgen/objects/` before overwriting or deleting `path`.

    Only content the latest release references (the release a rollback returns to) and
    only when S3 does not keep it for us (no VersionId recorded) and no copy exists yet.
    """
    if current is None or path not in current.files:
        return None
    entry = current.files[path]
    file = remote.get(path)
    if entry.version_id or file is None or file.sha256 != entry.sha256:
        return None
    if f"{OBJECTS}{entry.sha256}" in listed:
        return None
    return entry.sha256


def prunable_objects(listed: Mapping[str, Listed], releases: Iterable[Release]) -> list[str]:
    """Kept copies under `_cvgen/objects/` that none of `releases` refers to any more.

    Given the new release and the two before it, what remains is content no rollback
    (which goes one release back, or undoes a rollback) can ask for.
    """
    wanted = {entry.sha256 for release in releases for entry in release.files.values()}
    return sorted(
        path for path in listed if path.startswith(OBJECTS) and path[len(OBJECTS) :] not in wanted
    )


def newer_releases(listed: Iterable[str], known: int) -> list[int]:
    """Numbers of the releases recorded after release `known` (by another publish)."""
    return sorted(n for n in map(release_number, listed) if n is not None and n > known)


def unsafe_deletes(
    deletes: Iterable[str],
    before: Mapping[str, Listed],
    after: Mapping[str, Listed],
    newer: Iterable[Release],
) -> dict[str, str]:
    """Which planned deletes must not happen, and why, from a second listing taken just
    before deleting: an object written since the first listing (its ETag, size or
    LastModified changed), or one a release recorded since then lists, belongs to another
    publish's site. Objects already gone need no delete.

    Not caught: the same bytes written again within the same second as the write the first
    listing saw (S3 counts LastModified in whole seconds). The lease is what keeps a second
    publish from writing at all; this is the guard for when there is none.
    """
    recorded = {path: release.number for release in newer for path in release.files}
    unsafe: dict[str, str] = {}
    for path in deletes:
        now, then = after.get(path), before.get(path)
        if now is None:
            unsafe[path] = "already gone"
        elif path in recorded:
            unsafe[path] = f"release {recorded[path]}, recorded since this publish began, has it"
        elif then is None or (now.size, now.etag, now.modified) != (
            then.size,
            then.etag,
            then.modified,
        ):
            unsafe[path] = "written since this publish listed the bucket"
    return unsafe
