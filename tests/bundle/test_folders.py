"""Where a page folder's files go: assets once at the root, the rest in the folder."""

from __future__ import annotations

import pytest

from cvgen.bundle.folders import place, to_root


@pytest.mark.parametrize(
    ("folder", "root", "way"),
    [
        ("", "", ""),
        ("backend/", "", "../"),
        ("de/backend/", "", "../../"),
        ("de/backend/", "de/", "../"),
        ("de/", "de/", ""),
        ("backend/", "de/", ""),  # outside the folder built: its own assets
    ],
)
def test_to_root(folder: str, root: str, way: str) -> None:
    assert to_root(folder, root) == way


def test_place_puts_assets_in_the_roots_folder() -> None:
    files = {"index.html": b"p", "assets/style.0123456789.css": b"c", "cv.pdf": b"d"}
    assert place("de/backend/", files) == {
        "de/backend/index.html": b"p",
        "assets/style.0123456789.css": b"c",
        "de/backend/cv.pdf": b"d",
    }
    assert place("de/backend/", files, "de/") == {
        "de/backend/index.html": b"p",
        "de/assets/style.0123456789.css": b"c",
        "de/backend/cv.pdf": b"d",
    }
    assert place("", files) == files
    # a folder outside the root (not written with it) keeps its own
    assert place("backend/", files, "de/")["backend/assets/style.0123456789.css"] == b"c"
    # only the assets folder itself, not a file whose name starts like it
    assert place("x/", {"assets.json": b"j"}) == {"x/assets.json": b"j"}
