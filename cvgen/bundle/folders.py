"""Where a page folder's files go in the site: one copy of the assets for every folder.

The main page sits at the site's root, each variant in `<name>/`, each other language in
`<lang>/` and its variants in `<lang>/<name>/`. Their assets are fingerprinted, so the same
name always holds the same bytes: every folder's assets go to one `assets/` (the root's, or
the folder a partial build writes), written and uploaded once however many pages use them,
and each page links them through `to_root`.
"""

from __future__ import annotations

from collections.abc import Mapping

from cvgen.bundle.fingerprint import ASSETS


def to_root(folder: str, root: str = "") -> str:
    """The relative way from a page in `folder` to `root` (the folder holding the shared
    `assets/`): `""` -> `""`, `"backend/"` -> `"../"`, `"de/backend/"` -> `"../../"`;
    `"de/backend/"` with root `"de/"` -> `"../"`. Relative, so a page works at any base
    path, under `cvgen serve` and opened from disk. A folder outside `root` (not written
    with it) keeps its own: `""`."""
    if not folder.startswith(root):
        return ""
    return "../" * folder.removeprefix(root).count("/")


def place(folder: str, files: Mapping[str, bytes], root: str = "") -> dict[str, bytes]:
    """A page folder's files (paths inside it) as site paths: its assets in `root`'s
    `assets/`, everything else under `folder` (all of it when `folder` is outside `root`)."""
    shared = folder.startswith(root)
    return {
        root + path if shared and path.startswith(ASSETS + "/") else folder + path: data
        for path, data in files.items()
    }
