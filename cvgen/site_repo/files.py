"""The files of a new site repository, rendered for one cvgen version (pure)."""

from __future__ import annotations

import re
from importlib.resources import files as package_files

WORKFLOW = ".github/workflows/deploy.yml"
_MARK = "@CVGEN_VERSION@"
# The one line of the workflow that pins cvgen: `  CVGEN_VERSION: "0.1.0" # ...`
PIN = re.compile(r'^(?P<head>\s*CVGEN_VERSION:\s*)"(?P<version>[^"\s]*)"', re.MULTILINE)


def template(name: str) -> str:
    return (package_files("cvgen.site_repo") / "templates" / name).read_text(encoding="utf-8")


def workflow(version: str) -> str:
    """The deploy workflow as cvgen `version` writes it."""
    return template("deploy.yml").replace(_MARK, version)


def site_files(version: str, *, ci: bool = True) -> dict[str, str]:
    """Path (relative to the site) -> text, for every file besides content/."""
    made = {
        "cvgen.yaml": template("cvgen.yaml"),
        ".gitignore": template("gitignore"),
        "README.md": template("README.md"),
    }
    if ci:
        made[WORKFLOW] = workflow(version)
    return made


def pinned_version(text: str) -> str | None:
    """The cvgen version a workflow installs (its CVGEN_VERSION line), if it has one."""
    found = PIN.search(text)
    return found["version"] if found else None


def with_pin(text: str, version: str) -> str:
    """`text` with its CVGEN_VERSION line set to `version` (everything else as it was)."""
    return PIN.sub(lambda m: f'{m["head"]}"{version}"', text, count=1)
