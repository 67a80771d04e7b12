"""Start-up: each command imports only what it needs, when it needs it (see README, "Fast").

Each case runs `cvgen` in a fresh interpreter and lists which heavy modules it imported:
Typst only when a PDF is typeset (not when it comes from `.cvgen/pdf/`), the AWS and
file-watching libraries never for a build, and nothing but Click for `--version`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Costly to import, each needed by some commands only.
HEAVY = (
    "boto3",
    "botocore",
    "watchdog",
    "typst",
    "jinja2",
    "markdown",
    "yaml",
    "babel",
    "importlib.metadata",  # a scan of every installed package's metadata
)

_LIST_IMPORTS = """
import json, sys
from cvgen.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps([code, [m for m in {heavy!r} if m in sys.modules]]))
"""


def imported(*args: str, cwd: Path | None = None) -> set[str]:
    """The heavy modules `cvgen ARGS` imported (it must succeed)."""
    code = _LIST_IMPORTS.format(heavy=HEAVY)
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, check=True
    )
    status, modules = json.loads(run.stdout.splitlines()[-1])
    assert status in (0, None), run.stderr
    return set(modules)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["build", "--help"]], ids=" ".join)
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    assert imported(*args) == set()


def test_a_build_imports_typst_only_to_typeset(example_site: Path) -> None:
    root = ["build", "--root", str(example_site)]
    first = imported(*root)  # nothing to reuse: the PDF is typeset
    assert "typst" in first
    assert {"jinja2", "markdown", "yaml"} <= first  # it does build the pages
    again = imported(*root)  # the PDF comes from .cvgen/pdf/
    assert "typst" not in again
    assert (example_site / "output" / "cv.pdf").read_bytes().startswith(b"%PDF-")
    for modules in (first, again):
        assert not modules & {"boto3", "botocore", "watchdog", "importlib.metadata"}


def test_a_site_without_a_pdf_never_imports_typst(example_site: Path) -> None:
    config = example_site / "cvgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "pdf:\n  enabled: false\n")
    assert "typst" not in imported("build", "--root", str(example_site))
    assert not (example_site / "output" / "cv.pdf").exists()
