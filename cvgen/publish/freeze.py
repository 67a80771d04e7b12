"""Frozen applications: once published, an application's files stay as they were sent.

Pure. `freeze_applications(local, current, ...)` turns the build output into the publish
target: each application folder (`a/<slug>-<token>/`) the latest release record lists is
replaced by the files that release recorded for it, so no later publish changes or
deletes them, however the CV has moved on. On purpose only:

- `--refresh SLUG`: the application is published from today's build (and frozen again);
  its files the build no longer has are deleted.
- `--prune-applications`: an application whose file is gone from content/applications/ is
  deleted from the bucket (without it, it stays published and a line says so).

The release record keeps `applications: {folder: the day it was first published}`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from cvgen.content.applications import URL_FOLDER
from cvgen.errors import CvgenError
from cvgen.publish.local import LocalFile
from cvgen.publish.plan import RemoteFile
from cvgen.publish.release import Release
from cvgen.suggestions import did_you_mean


@dataclass(frozen=True)
class Frozen:
    target: dict[str, LocalFile]  # what the bucket is to hold
    applications: dict[str, str]  # folder -> since (for the new release record)
    frozen: frozenset[str] = frozenset()  # folders nothing may upload into or delete from
    replaced: frozenset[str] = frozenset()  # folders whose old files go, even without --delete
    notes: tuple[str, ...] = field(default=())


def application_folder(path: str) -> str | None:
    """`a/acme-<token>/cv.pdf` -> `a/acme-<token>/`; None for a path outside `a/`."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != URL_FOLDER or not parts[1]:
        return None
    return f"{parts[0]}/{parts[1]}/"


def application_slug(folder: str) -> str:
    """`a/acme-2-<token>/` -> `acme-2` (the token is the last hyphenated part)."""
    return folder.split("/")[1].rsplit("-", 1)[0]


def freeze_applications(
    local: Mapping[str, LocalFile],
    current: Release | None,
    remote: Mapping[str, RemoteFile],
    *,
    today: str,
    refresh: Collection[str] = (),
    prune: bool = False,
) -> Frozen:
    """The publish target with published applications frozen (see the module docstring).

    `refresh`: slugs to publish afresh; `today`: the date a new application is frozen on."""
    recorded = dict(current.applications) if current else {}
    files = current.files if current else {}
    built: dict[str, list[str]] = {}
    for path in local:
        folder = application_folder(path)
        if folder is not None:
            built.setdefault(folder, []).append(path)
    target = {p: f for p, f in local.items() if application_folder(p) not in recorded}
    applications = {folder: today for folder in built if folder not in recorded}
    frozen: set[str] = set()
    replaced: set[str] = set()
    notes: list[str] = []
    for folder, since in sorted(recorded.items()):
        slug = application_slug(folder)
        if folder in built and slug in refresh:
            target.update({p: local[p] for p in built[folder]})
            applications[folder] = today
            replaced.add(folder)
            notes.append(f"application {slug}: published afresh (--refresh); frozen from {today}")
            continue
        if folder not in built and prune:
            replaced.add(folder)
            notes.append(f"application {slug}: unpublished (--prune-applications)")
            continue
        frozen.add(folder)
        applications[folder] = since
        kept = {p: e for p, e in files.items() if application_folder(p) == folder}
        for path, entry in sorted(kept.items()):
            there = remote.get(path)
            if there is None or there.sha256 != entry.sha256:
                notes.append(
                    f"application {slug}: {path} is not in the bucket as published; left as it "
                    f"is (`cvgen publish --refresh {slug}` publishes today's build)"
                )
                continue
            target[path] = LocalFile(path, entry.size, entry.sha256, entry.headers)
        if folder not in built:
            notes.append(
                f"application {slug}: its file is gone from content/applications/; still "
                f"published (frozen since {since}); `--prune-applications` removes it"
            )
        elif {p: (local[p].sha256, local[p].headers.digest()) for p in built[folder]} != {
            p: (e.sha256, e.headers_sha256) for p, e in kept.items()
        }:
            notes.append(
                f"application {slug}: frozen since {since}; the CV changed since "
                f"(`cvgen publish --refresh {slug}` replaces it)"
            )
    known = {application_slug(f) for f in [*recorded, *built]}
    unknown = sorted(set(refresh) - known)
    if unknown:
        raise CvgenError(
            f"--refresh {unknown[0]}: no application of that name is built or published"
            f"{did_you_mean(unknown[0], sorted(known))}; nothing was changed"
        )
    return Frozen(
        dict(sorted(target.items())),
        dict(sorted(applications.items())),
        frozenset(frozen),
        frozenset(replaced),
        tuple(notes),
    )
