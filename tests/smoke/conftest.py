"""Fixtures for the `cvgen smoke` tests: a built site and a stand-in deployment serving it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.smoke.standin import Deployment, Standin, serve

SITE_YAML = """\
site:
  url: "https://cv.example.com/"
counter:
  enabled: true
  api: /api/views
"""

INDEX_HTML = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ada Lovelace</title>
<link rel="stylesheet" href="assets/site.3f9a1c2b.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="canonical" href="https://cv.example.com/">
<script defer src="assets/counter.77aa01be.js"></script>
</head>
<body>
<main>
<h1>Ada Lovelace</h1>
<img src="assets/portrait.png" srcset="assets/portrait.png 1x, assets/portrait@2x.png 2x" alt="">
<p><a href="https://example.org/ada">Notes</a> <a href="#top">Top</a></p>
<p>Views: <span data-counter hidden></span></p>
</main>
</body>
</html>
"""

# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def write_site(root: Path) -> Path:
    """A site project whose output/ holds a small built page with every kind of asset."""
    (root / "content").mkdir(parents=True)
    (root / "cvgen.yaml").write_text(SITE_YAML, encoding="utf-8")
    output = root / "output"
    (output / "assets").mkdir(parents=True)
    (output / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    (output / "assets" / "site.3f9a1c2b.css").write_text("body{margin:0}\n", encoding="utf-8")
    (output / "assets" / "counter.77aa01be.js").write_text("void 0;\n", encoding="utf-8")
    (output / "assets" / "portrait.png").write_bytes(PNG)
    (output / "assets" / "portrait@2x.png").write_bytes(PNG)
    (output / "favicon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n', encoding="utf-8"
    )
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


@pytest.fixture
def deployment(site: Path, tmp_path: Path) -> Deployment:
    """What the stand-in serves: a copy of the local build, so tests can break one side."""
    served = tmp_path / "served"
    shutil.copytree(site / "output", served)
    records = served / "_cvgen" / "releases"  # what a published bucket holds beside the site
    records.mkdir(parents=True)
    (records / "00000001.json").write_text('{"number": 1}', encoding="utf-8")
    (served / "_cvgen" / "lease.json").write_text('{"holder": "me"}', encoding="utf-8")
    return Deployment(site_dir=served)


@pytest.fixture
def standin(deployment: Deployment, tmp_path: Path) -> Iterator[Standin]:
    tls = tmp_path / "tls"
    tls.mkdir()
    with serve(deployment, tls) as running:
        yield running
