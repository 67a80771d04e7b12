"""The publish plan: a pure function of the local files and the remote state.

`plan_publish(local, remote, options)` decides, without any I/O, which files to upload
(each with a reason: new, content or headers), which to delete, and which CloudFront
paths to invalidate. Uploads are ordered so a half-finished publish never serves HTML
that points at a missing asset: fingerprinted assets, then other files, HTML last.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from cvgen.bundle.fingerprint import is_fingerprinted
from cvgen.bundle.headers import Headers, is_html
from cvgen.publish.local import RESERVED, LocalFile

Reason = Literal["new", "content", "headers"]
DEFAULT_DELETE_SHARE = 0.25


@dataclass(frozen=True)
class RemoteFile:
    """An object under the prefix. Hashes are None when nobody recorded them (another tool)."""

    path: str
    size: int
    etag: str = ""
    sha256: str | None = None
    headers_sha256: str | None = None


@dataclass(frozen=True)
class PlanOptions:
    delete: bool = False
    max_deletes: int | None = None  # None: 25% of the remote files, rounded up
    yes: bool = False
    invalidate: bool = True
    invalidation_threshold: int = 15
    protected: frozenset[str] = frozenset()  # assets referenced by the last releases
    pending_invalidation: tuple[str, ...] = ()  # left over from a failed invalidation
    # the latest release record: path -> (content sha256, headers sha256); {} when the
    # bucket has none yet; None: do not compare (a plan only about the files)
    recorded: Mapping[str, tuple[str, str]] | None = None
    # published applications' folders (`a/acme-<token>/`): nothing uploaded into them or
    # deleted from them; and folders whose remote-only files go even without --delete
    # (an application refreshed or pruned on purpose). See `cvgen.publish.freeze`.
    frozen: frozenset[str] = frozenset()
    replaced: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Upload:
    path: str
    reason: Reason
    size: int
    sha256: str
    headers: Headers


@dataclass(frozen=True)
class Plan:
    uploads: tuple[Upload, ...] = ()
    deletes: tuple[str, ...] = ()
    invalidations: tuple[str, ...] = ()
    unchanged: int = 0
    kept: tuple[str, ...] = ()  # remote-only files left in place (no --delete, or protected)
    refusal: str | None = None  # why the plan must not run (too many deletes)
    record: bool = False  # the bucket differs from its latest release record: write a new one

    @property
    def empty(self) -> bool:
        """Nothing to send at all: no upload, delete, invalidation or release record."""
        return not (self.uploads or self.deletes or self.invalidations or self.record)

    @property
    def upload_bytes(self) -> int:
        return sum(upload.size for upload in self.uploads)


def upload_phase(path: str) -> int:
    """0: fingerprinted assets, 1: everything else but HTML, 2: HTML."""
    if is_fingerprinted(path):
        return 0
    return 2 if is_html(path) else 1


def relative_key(key: str, prefix: str) -> str | None:
    """The site path of an S3 key, or None when the key is outside the prefix."""
    if not prefix:
        return key
    head = prefix.strip("/") + "/"
    return key[len(head) :] if key.startswith(head) and len(key) > len(head) else None


def object_key(path: str, prefix: str) -> str:
    return f"{prefix.strip('/')}/{path}" if prefix.strip("/") else path


def upload_reason(local: LocalFile, remote: RemoteFile | None) -> Reason | None:
    if remote is None:
        return "new"
    if remote.sha256 is None or remote.sha256 != local.sha256 or remote.size != local.size:
        return "content"
    if remote.headers_sha256 != local.headers.digest():
        return "headers"
    return None


def default_max_deletes(remote_count: int) -> int:
    return max(1, math.ceil(remote_count * DEFAULT_DELETE_SHARE))


def plan_publish(
    local: Mapping[str, LocalFile], remote: Mapping[str, RemoteFile], options: PlanOptions
) -> Plan:
    uploads: list[Upload] = []
    for path, file in local.items():
        reason = upload_reason(file, remote.get(path))
        if reason is not None and not _under(path, options.frozen):
            uploads.append(Upload(path, reason, file.size, file.sha256, file.headers))
    uploads.sort(key=lambda u: (upload_phase(u.path), u.path))

    gone = sorted(path for path in remote if path not in local and not path.startswith(RESERVED))
    # a refreshed or pruned application's old files go with it (assets too: its HTML goes)
    deletes = [
        p
        for p in gone
        if not _under(p, options.frozen)
        and ((options.delete and p not in options.protected) or _under(p, options.replaced))
    ]
    kept = [p for p in gone if p not in deletes]

    refusal = None
    remote_count = sum(1 for p in remote if not p.startswith(RESERVED))
    limit = (
        options.max_deletes
        if options.max_deletes is not None
        else default_max_deletes(remote_count)
    )
    if len(deletes) > limit and not options.yes:
        refusal = (
            f"refusing to delete {len(deletes)} files: the limit is {limit} "
            f"(--max-deletes, default 25% of the {remote_count} remote files); check the "
            "build output, then pass --yes or a higher --max-deletes"
        )

    # What differs from the latest release record, though already in the bucket: the
    # work of an interrupted publish that uploaded but never invalidated or recorded.
    recorded = options.recorded or {}
    target = {p: (f.sha256, f.headers.digest()) for p, f in local.items()}
    unrecorded = [p for p, state in target.items() if p in recorded and recorded[p] != state]
    unrecorded += [p for p in recorded if p not in local and p not in remote]
    record = options.recorded is not None and dict(recorded) != target

    invalidations: tuple[str, ...] = ()
    if options.invalidate:
        changed = [u.path for u in uploads if u.reason != "new"] + deletes + unrecorded
        paths = {p for path in changed if not is_fingerprinted(path) for p in cdn_paths(path)}
        paths.update(options.pending_invalidation)
        invalidations = collapse_paths(paths, options.invalidation_threshold)
    return Plan(
        uploads=tuple(uploads),
        deletes=tuple(deletes),
        invalidations=invalidations,
        unchanged=len(local) - len(uploads),
        kept=tuple(kept),
        refusal=refusal,
        record=record or bool(uploads or deletes),
    )


def _under(path: str, folders: frozenset[str]) -> bool:
    return any(path.startswith(folder) for folder in folders)


def cdn_paths(path: str) -> list[str]:
    """The URL paths that serve a file: `dir/index.html` is also `dir/`, and `/` for the root.

    URL-encoded as CloudFront wants them (a space is `%20`); `*` is escaped too, since an
    unescaped one would be a wildcard.
    """
    url = "/" + quote(path, safe="/~!$&'()+,;=:@")
    paths = [url]
    if path == "index.html":
        paths.append("/")
    elif path.endswith("/index.html"):
        paths.append(url[: -len("index.html")])
    return paths


def _parents(path: str) -> list[str]:
    """Directory wildcards that cover `path`, deepest first: /a/b/x -> /a/b/*, /a/*, /*."""
    wildcard = path.endswith("/*")
    body = path[1:-2] if wildcard else path[1 : path.rfind("/")]
    dirs = body.split("/") if body else []
    start = len(dirs) - 1 if wildcard else len(dirs)
    return ["/" + "".join(f"{d}/" for d in dirs[:depth]) + "*" for depth in range(start, -1, -1)]


def collapse_paths(paths: set[str] | frozenset[str], threshold: int) -> tuple[str, ...]:
    """At most `threshold` invalidation paths covering `paths`, as narrow as possible.

    Within the threshold the exact paths are kept. Above it, directories are collapsed
    level by level from the deepest: every directory at that level holding two or more
    entries becomes one wildcard (`/blog/post/*`), then the next level up, until the list
    fits. The result is the fewest wildcards at the deepest level that fits, never a
    ragged mix, and `/*` only when nothing narrower does.
    """
    entries = set(paths)
    while len(entries) > max(threshold, 1):
        counts: dict[str, int] = {}
        for entry in entries:
            for wildcard in _parents(entry):
                counts[wildcard] = counts.get(wildcard, 0) + 1
        shared = [w for w, n in counts.items() if n >= 2]
        level = max(w.count("/") for w in shared)
        chosen = {w for w in shared if w.count("/") == level}
        entries = {e for e in entries if chosen.isdisjoint(_parents(e))} | chosen
    return tuple(sorted(entries))
