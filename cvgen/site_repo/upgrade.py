"""`cvgen upgrade-site`: move a site's deploy workflow to this cvgen, and say what changed.

The workflow pins cvgen on two lines (`CVGEN_VERSION: "0.1.0"`, and `CVGEN_INSTALL:`, what
pip installs: that release, or a repository at a commit, the way this cvgen was installed;
workflows of cvgen 0.1.0 lack it and install `cvgen-site==$CVGEN_VERSION`). Upgrading sets
them and leaves the rest of the file, which its owner may have edited, as it is; then compares
the result with the workflow this cvgen would write, and shows the difference: changes in
cvgen's template (a new step, newer actions) or the owner's own edits. `replace` takes
cvgen's template as it is instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from cvgen.errors import CvgenError
from cvgen.settings.write import replace_atomically
from cvgen.site_repo.files import WORKFLOW, pinned_install, pinned_version, with_pin, workflow
from cvgen.site_repo.source import EXAMPLE_SOURCE, InstallSource


@dataclass(frozen=True)
class Upgrade:
    path: Path  # the workflow file
    old: str | None  # the version it pinned (None: no CVGEN_VERSION line, replaced)
    new: str  # the version it pins now
    written: bool  # the file changed
    template_diff: str  # unified diff: the (re-pinned) file -> this cvgen's template; "" if same
    replaced: bool  # the file was replaced by this cvgen's template
    install: str  # what the workflow's CVGEN_INSTALL now installs ("" without the line)


def version_key(version: str) -> tuple[int, ...] | None:
    """`0.10.2` -> (0, 10, 2); None for anything that is not dotted numbers."""
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def upgrade_site(
    root: Path,
    version: str,
    source: InstallSource,
    *,
    replace: bool = False,
    allow_downgrade: bool = False,
) -> Upgrade:
    """Pin the workflow to `version`, installed from `source`; nothing written on an error."""
    path = root / WORKFLOW
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CvgenError(
            f"{path} does not exist (was the site made with `cvgen new --no-ci`?);"
            " there is nothing to upgrade. To add it, make a site with `cvgen new` elsewhere"
            f" and copy its {WORKFLOW}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CvgenError(f"{path}: cannot read it ({error})") from None
    if not source.requirement:
        raise CvgenError(
            f"this cvgen was installed from {source.origin}, which CI cannot reach, so"
            f" {path} cannot install it; say what CI should install with --cvgen-source"
            f" (a version on PyPI such as {version}, or {EXAMPLE_SOURCE})"
        )
    old = pinned_version(text)
    if old is None and not replace:
        raise CvgenError(
            f'{path}: no `CVGEN_VERSION: "X.Y.Z"` line, so cvgen cannot tell which version it'
            " installs; add it under `env:` (see `cvgen new`'s workflow) or use --replace"
        )
    if pinned_install(text) is None and source.kind != "index" and not replace:
        raise CvgenError(
            f"{path} installs cvgen-site==$CVGEN_VERSION from PyPI and has no CVGEN_INSTALL"
            f" line for {source.requirement}; use --replace (or add the line under `env:` as"
            " `cvgen new`'s workflow has it)"
        )
    older, newer = version_key(old or ""), version_key(version)
    if older and newer and older > newer and not allow_downgrade:
        raise CvgenError(
            f"{path} pins cvgen {old}, newer than this cvgen {version}: upgrade cvgen first"
            " (`pipx upgrade cvgen-site`), or pass --allow-downgrade"
        )
    template = workflow(version, source)
    updated = template if replace else with_pin(text, version, source)
    diff = "".join(
        difflib.unified_diff(
            updated.splitlines(keepends=True),
            template.splitlines(keepends=True),
            f"{WORKFLOW} (yours, pinned to {version})",
            f"{WORKFLOW} (cvgen {version}'s template)",
        )
    )
    changed = updated != text
    if changed:
        replace_atomically(path, updated.encode("utf-8"))
    install = pinned_install(updated) or ""
    return Upgrade(path, old, version, changed, diff, replace and changed, install)
