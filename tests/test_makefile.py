"""The contributor's two commands: `make run` installs only what cvgen needs at run time and
says what it does; `make test` adds the development tools. Checked with `make -n` (what make
would run) in an empty copy, so nothing is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO


def dry_run(tmp_path: Path, target: str) -> str:
    for name in ("Makefile", "pyproject.toml", "requirements-dev.lock"):
        shutil.copy2(REPO / name, tmp_path / name)
    # not as a sub-make of `make test` (whose MAKEFLAGS would print directories)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", target, "PYTHON=python3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout


def test_make_run_installs_the_runtime_only_and_says_so(tmp_path: Path) -> None:
    commands = dry_run(tmp_path, "run")
    assert "python3 -m venv .venv" in commands
    assert "install --progress-bar off -c requirements-dev.lock -e ." in commands
    assert "[dev]" not in commands and "pytest" not in commands
    assert 'echo "==> installing cvgen (editable) and its run-time dependencies' in commands
    assert 'echo "==> serving the example site on http://127.0.0.1:8000/' in commands
    assert commands.rstrip().endswith(".venv/bin/cvgen serve --host 127.0.0.1 --port 8000")


@pytest.mark.parametrize("target", ["lint", "typecheck"])
def test_make_test_installs_the_dev_tools(tmp_path: Path, target: str) -> None:
    commands = dry_run(tmp_path, target)
    # the toolchain comes pinned from the lock file, never the newest release of the day
    assert "install --quiet -c requirements-dev.lock -e '.[dev]'" in commands


def test_the_lock_pins_every_tool_and_leaves_out_the_moto_that_denies_what_aws_allows() -> None:
    lines = (REPO / "requirements-dev.lock").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==", 1) for line in lines if line and not line.startswith("#"))
    assert all(version[0].isdigit() for version in pins.values()), pins
    for tool in ("moto", "pytest", "ruff", "mypy", "cfn-lint", "checkov", "boto3", "playwright"):
        assert tool in pins, tool
    assert pins["moto"] != "5.2.6"


def test_make_test_lowest_runs_the_fast_suite_on_the_lowest_allowed_versions(
    tmp_path: Path,
) -> None:
    commands = dry_run(tmp_path, "test-lowest")
    assert "--resolution lowest-direct -e ." in commands
    assert '"uv==' in commands  # uv itself pinned, into .tools/
    assert "tests/ci/lowest_bounds.py" in commands  # installed == lower bound, or it stops
    assert "--override .tools/lowest/runtime.txt" in commands  # the tools cannot raise them
    assert commands.rstrip().endswith(
        '.tools/lowest/bin/python -m pytest -q -m "not slow" -p no:randomly'
    )


def test_make_test_installs_the_emoji_font_the_pdf_test_needs(tmp_path: Path) -> None:
    # the PDF test of text the theme's font lacks relies on a system emoji font (Typst falls
    # back to it): `make test` runs `browser` before pytest, which installs it when missing
    commands = dry_run(tmp_path, "pytest")
    assert "dpkg -s fonts-noto-color-emoji" in commands
    install = commands[commands.index("apt-get install") :].split(">/dev/null")[0].split()
    assert "fonts-noto-color-emoji" in install and "chromium" in install
    assert commands.index("fonts-noto-color-emoji") < commands.index(".venv/bin/pytest")
