"""Writing a rendered site to disk, atomically.

The pages are written into a fresh sibling folder (`.output.new-XXXX` next to `output/`),
then swapped in with two renames: the old folder is moved aside, the new one takes its
name, and only then is the old one removed. Any error before the swap leaves the previous
output whole (the half-written folder is removed); files from an older build cannot leak
into the new one.

Guards: every page path must stay inside the destination (checked on resolved paths with
`Path.is_relative_to`, not string prefixes), and since the swap replaces the destination
wholesale, it may only be a folder cvgen made itself (it holds `MARKER`, which every write
leaves), a new or empty one, or one inside the site's own `output/`; never one holding or
inside the site's sources. Anything else (`--output .git`, `--output ~`) is refused before
anything is touched.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from cvgen.errors import CvgenError

log = logging.getLogger(__name__)

# A folder holding any of these is somebody's project, not a build output: never replace it,
# even with the marker in it.
_NOT_AN_OUTPUT = ("cvgen.yaml", "content", ".git", "pyproject.toml")

# Written into every folder cvgen writes: its proof that the folder is a build output that a
# later build may replace. Not part of the site (publish and serve leave it out).
MARKER = ".cvgen-output"
_MARKER_TEXT = b"Written by cvgen: the next build replaces this folder whole.\n"


def check_page_path(name: str) -> PurePosixPath:
    """A page key as a safe relative path, or CvgenError (absolute, `..`, empty parts)."""
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise CvgenError(f"refusing to write {name!r}: page paths must be relative, without `..`")
    return path


def check_destination(dest: Path, protect: Iterable[Path] = (), own: Path | None = None) -> Path:
    """`dest` resolved, or CvgenError if replacing it could destroy anything but a build.

    `own` is the site's own output folder (`output/`): a folder inside it was built by cvgen
    even before the marker existed, so it may be replaced without one.
    """
    if dest.is_symlink():
        raise CvgenError(f"{dest} is a symbolic link; choose a real folder for the output")
    resolved = dest.resolve()
    if resolved.exists() and not resolved.is_dir():
        raise CvgenError(f"{dest} exists and is not a folder; remove it or choose another output")
    if resolved == Path(resolved.anchor):
        raise CvgenError(f"refusing to use {dest} as the output folder")
    for source in protect:
        if source.resolve().is_relative_to(resolved):
            raise CvgenError(
                f"refusing to use {dest} as the output folder: it holds the site's sources "
                f"({source}); choose a folder of its own, such as output/"
            )
        if source.is_dir() and resolved.is_relative_to(source.resolve()):
            raise CvgenError(
                f"refusing to use {dest} as the output folder: it is inside the site's sources "
                f"({source}); choose a folder of its own, such as output/"
            )
    if not resolved.is_dir() or not any(resolved.iterdir()):
        return resolved
    found = [name for name in _NOT_AN_OUTPUT if (resolved / name).exists()]
    if found:
        raise CvgenError(
            f"refusing to replace {dest}: it holds {found[0]}, so it is not a build output; "
            "choose an empty or new folder"
        )
    if not _made_by_cvgen(resolved, own):
        raise CvgenError(
            f"refusing to replace {dest}: it is not empty and cvgen did not make it (no "
            f"{MARKER} in it), so the build would delete whatever it holds; choose a new or "
            "empty folder (or empty this one yourself if nothing in it matters)"
        )
    return resolved


def _made_by_cvgen(folder: Path, own: Path | None) -> bool:
    """`folder` (resolved, not empty) or a folder above it holds the marker, or it is inside
    the site's own output folder."""
    if own is not None and folder.is_relative_to(own.resolve()):
        return True
    return any((above / MARKER).is_file() for above in (folder, *folder.parents))


def _write_tree(pages: Mapping[str, bytes], folder: Path) -> None:
    for name in sorted(pages):
        target = folder.joinpath(*check_page_path(name).parts)
        if not target.resolve().is_relative_to(folder):
            raise CvgenError(f"refusing to write {name!r}: it leads outside {folder}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pages[name])


def write_site(
    pages: Mapping[str, bytes],
    dest: Path,
    *,
    protect: Iterable[Path] = (),
    own: Path | None = None,
) -> Path:
    """Replace `dest` with exactly `pages` ({relative path: bytes}) and the marker, atomically.

    `protect` lists source paths (cvgen.yaml, content/, theme/) that `dest` must not contain;
    `own` is the site's output folder (see `check_destination`). Returns the resolved
    destination.
    """
    for name in pages:
        if check_page_path(name).name == MARKER:
            raise CvgenError(f"refusing to write {name!r}: {MARKER} is cvgen's own marker")
    target = check_destination(dest, protect, own)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    except OSError as exc:
        raise _unwritable(dest, exc) from exc
    try:
        staging.chmod(0o755)  # mkdtemp makes it 0700; the output should read like any folder
        _write_tree(pages, staging)
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        _swap(staging, target)
    except OSError as exc:  # a full disk, a quota, a name too long, no permission
        shutil.rmtree(staging, ignore_errors=True)
        raise _unwritable(dest, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("wrote %d files into %s", len(pages), target)
    return target


def _unwritable(dest: Path, exc: OSError) -> CvgenError:
    errno = f" (errno {exc.errno})" if exc.errno else ""
    return CvgenError(
        f"could not write the site to {dest}: {exc.strerror or exc}{errno}; {dest} was left"
        " as it was. Free some space (or fix the cause) and build again"
    )


def _swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target`; the old `target` is removed only once `new` is in."""
    if not target.exists():
        new.rename(target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old = target.rename(aside / target.name)
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)  # put the previous output back
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)
