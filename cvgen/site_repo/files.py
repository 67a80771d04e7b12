"""The files of a new site repository, rendered for one cvgen version (pure)."""

from __future__ import annotations

import re
from importlib.resources import files as package_files

from cvgen.site_repo.source import EXAMPLE_SOURCE, InstallSource, index_source

WORKFLOW = ".github/workflows/deploy.yml"
_MARK = "@CVGEN_VERSION@"
_INSTALL_MARK = "@CVGEN_INSTALL_LINES@\n"
# The one line of the workflow that pins cvgen: `  CVGEN_VERSION: "0.1.0" # ...`
PIN = re.compile(r'^(?P<head>\s*CVGEN_VERSION:\s*)"(?P<version>[^"\s]*)"', re.MULTILINE)
# The line that says what pip installs: `  CVGEN_INSTALL: "cvgen-site==0.1.0" # ...`
INSTALL = re.compile(r'^(?P<indent>[ \t]*)CVGEN_INSTALL:[ \t]*"(?P<requirement>[^"\n]*)".*$', re.M)
# The note above an empty CVGEN_INSTALL (cvgen came from a local path); gone once it is set.
_NOTE = re.compile(r"^[ \t]*# \(!\) .*\n", re.MULTILINE)
_ABOUT = {
    "index": "that release, from PyPI",
    "vcs": "cvgen's repository at that commit",
    "archive": "that wheel or sdist",
    "local": "empty: CI cannot reach where cvgen came from (see above)",
}


def template(name: str) -> str:
    return (package_files("cvgen.site_repo") / "templates" / name).read_text(encoding="utf-8")


def install_lines(source: InstallSource) -> str:
    """The workflow's CVGEN_INSTALL line (and, for a local install, the note above it)."""
    line = f'  CVGEN_INSTALL: "{source.requirement}" # what CI installs: {_ABOUT[source.kind]}\n'
    if source.requirement:
        return line
    origin = " ".join(source.origin.split())
    return (
        f"  # (!) cvgen was installed from {origin}, on that machine only: CI cannot\n"
        "  # (!) reach it. Write what pip should install in CVGEN_INSTALL, e.g.\n"
        f'  # (!) "cvgen-site==0.2.0" (PyPI) or "{EXAMPLE_SOURCE}",\n'
        "  # (!) or run `cvgen upgrade-site --cvgen-source ...` to write it.\n" + line
    )


def workflow(version: str, source: InstallSource | None = None) -> str:
    """The deploy workflow as cvgen `version` writes it (installing `source`; default: PyPI)."""
    lines = install_lines(source or index_source(version))
    return template("deploy.yml").replace(_MARK, version).replace(_INSTALL_MARK, lines)


def install_line_number(text: str) -> int | None:
    """The 1-based line of the workflow's CVGEN_INSTALL, if it has one."""
    found = INSTALL.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def site_files(
    version: str, *, ci: bool = True, source: InstallSource | None = None
) -> dict[str, str]:
    """Path (relative to the site) -> text, for every file besides content/."""
    made = {
        "cvgen.yaml": template("cvgen.yaml"),
        ".gitignore": template("gitignore"),
        "README.md": template("README.md"),
    }
    if ci:
        made[WORKFLOW] = workflow(version, source)
    return made


def pinned_version(text: str) -> str | None:
    """The cvgen version a workflow installs (its CVGEN_VERSION line), if it has one."""
    found = PIN.search(text)
    return found["version"] if found else None


def pinned_install(text: str) -> str | None:
    """What a workflow's CVGEN_INSTALL line installs ("" if empty), None without the line."""
    found = INSTALL.search(text)
    return found["requirement"] if found else None


def with_pin(text: str, version: str, source: InstallSource | None = None) -> str:
    """`text` with its CVGEN_VERSION (and CVGEN_INSTALL, if it has one) set; the rest kept."""
    pinned = PIN.sub(lambda m: f'{m["head"]}"{version}"', text, count=1)
    if INSTALL.search(pinned) is None:
        return pinned
    line = install_lines(source or index_source(version)).splitlines()[-1].strip()
    return INSTALL.sub(lambda m: m["indent"] + line, _NOTE.sub("", pinned), count=1)
