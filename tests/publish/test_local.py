from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cvgen.errors import CvgenError
from cvgen.publish.local import scan_output
from cvgen.settings.config import CacheRule


def test_scan_hashes_content_and_sets_headers(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_bytes(b"<p>hi</p>")
    (tmp_path / "assets" / "site.0123456789.css").write_bytes(b"body{}")
    files = scan_output(tmp_path, [CacheRule("*.html", "no-cache")])
    assert sorted(files) == ["assets/site.0123456789.css", "index.html"]
    page = files["index.html"]
    assert page.size == 9 and page.sha256 == hashlib.sha256(b"<p>hi</p>").hexdigest()
    assert page.headers.cache_control == "no-cache"


def test_same_bytes_with_new_mtime_scan_the_same(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_bytes(b"x")
    before = scan_output(tmp_path)
    os.utime(tmp_path / "index.html", (1, 1))
    assert scan_output(tmp_path) == before


def test_missing_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CvgenError, match="no build output to publish; run `cvgen build`"):
        scan_output(tmp_path / "output")


def test_empty_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(CvgenError, match="is empty; refusing to publish an empty site"):
        scan_output(tmp_path)


def test_reserved_prefix_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_cvgen").mkdir()
    (tmp_path / "_cvgen" / "x.json").write_text("{}")
    with pytest.raises(CvgenError, match="reserved"):
        scan_output(tmp_path)


def test_the_builds_marker_is_not_published(tmp_path: Path) -> None:
    from cvgen.bundle.write import MARKER, write_site

    out = write_site({"index.html": b"x", "de/index.html": b"y"}, tmp_path / "out")
    write_site({"index.html": b"v"}, out / "backend")  # a partial build's own marker
    assert sorted(scan_output(out)) == ["backend/index.html", "de/index.html", "index.html"]
    assert (out / MARKER).is_file() and (out / "backend" / MARKER).is_file()
