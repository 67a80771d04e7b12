"""`cvgen upgrade-site`: move a site's deploy workflow to this cvgen, and say what changed.

The workflow pins cvgen on one line (`CVGEN_VERSION: "0.1.0"`). Upgrading sets that line
and leaves the rest of the file, which its owner may have edited, as it is; then compares
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
from cvgen.site_repo.files import WORKFLOW, pinned_version, with_pin, workflow


@dataclass(frozen=True)
class Upgrade:
    path: Path  # the workflow file
    old: str  # the version it pinned
    new: str  # the version it pins now
    written: bool  # the file changed
    template_diff: str  # unified diff: the (re-pinned) file -> this cvgen's template; "" if same
    replaced: bool  # the file was replaced by this cvgen's template


def version_key(version: str) -> tuple[int, ...] | None:
    """`0.10.2` -> (0, 10, 2); None for anything that is not dotted numbers."""
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def upgrade_site(
    root: Path, version: str, *, replace: bool = False, allow_downgrade: bool = False
) -> Upgrade:
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
    old = pinned_version(text)
    if old is None:
        raise CvgenError(
            f'{path}: no `CVGEN_VERSION: "X.Y.Z"` line, so cvgen cannot tell which version it'
            " installs; add it under `env:` (see `cvgen new`'s workflow) or use --replace"
        )
    older, newer = version_key(old), version_key(version)
    if older and newer and older > newer and not allow_downgrade:
        raise CvgenError(
            f"{path} pins cvgen {old}, newer than this cvgen {version}: upgrade cvgen first"
            " (`pipx upgrade cvgen-site`), or pass --allow-downgrade"
        )
    template = workflow(version)
    updated = template if replace else with_pin(text, version)
    diff = "".join(
        difflib.unified_diff(
            updated.splitlines(keepends=True),
            template.splitlines(keepends=True),
            f"{WORKFLOW} (yours, pinned to {version})",
            f"{WORKFLOW} (cvgen {version}'s template)",
        )
    )
    if updated != text:
        replace_atomically(path, updated.encode("utf-8"))
    return Upgrade(path, old, version, updated != text, diff, replace and updated != text)
