"""Print each run-time dependency's lower bound (pyproject.toml) beside the version installed,
and exit 1 unless every one is installed at exactly its bound.

`make test-lowest` runs it after `uv pip install --resolution lowest-direct`, so the fast
suite that follows provably ran against the lowest versions cvgen claims to support (a test
tool that pulled one higher would otherwise hide it). Usage: python tests/ci/lowest_bounds.py
"""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def lower_bound(requirement: Requirement) -> str | None:
    for spec in requirement.specifier:
        if spec.operator in (">=", "=="):
            return spec.version
    return None


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    problems = 0
    for line in project["dependencies"]:
        requirement = Requirement(line)
        bound = lower_bound(requirement)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            installed = "missing"
        same = bound is not None and installed != "missing" and Version(installed) == Version(bound)
        problems += not same
        print(
            f"{'ok  ' if same else 'FAIL'} {requirement.name}: lower bound {bound}, installed {installed}"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
