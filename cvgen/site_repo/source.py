"""Where a site's CI gets cvgen from: the way this cvgen was installed, or `--cvgen-source`.

pip records how it installed a distribution in the distribution's own `direct_url.json`
(PEP 610): no file means it came from an index (PyPI), so CI pins that version; `vcs_info`
means a VCS URL, so CI pins that URL at the very commit; `archive_info` is a wheel or sdist
by URL; `dir_info` is a local folder (a clone, editable or not). A local folder or file is
on this machine only: CI cannot reach it, so the workflow gets an empty install line to fill
in and `cvgen new` says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from typing import Any, Literal
from urllib.parse import urlsplit

from cvgen import DISTRIBUTION
from cvgen.errors import CvgenError

Kind = Literal["index", "vcs", "archive", "local"]
# Schemes CI can reach; file: (and a bare path) is this machine only.
_REMOTE_SCHEMES = {"https", "http", "ssh", "git"}
_VERSION = re.compile(r"^\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?(\.dev\d+)?$")
EXAMPLE_SOURCE = f"{DISTRIBUTION} @ git+https://github.com/OWNER/cvgen@COMMIT"


@dataclass(frozen=True)
class InstallSource:
    kind: Kind
    # What `pip install` takes in CI; "" when CI cannot reach where cvgen came from.
    requirement: str
    # Where it came from, in words, for messages: "PyPI", the URL, the local path.
    origin: str


def index_source(version: str) -> InstallSource:
    """`version` of cvgen-site from PyPI (or whatever index pip is pointed at)."""
    return InstallSource("index", f"{DISTRIBUTION}=={version}", "a package index")


def source_from_direct_url(record: dict[str, Any] | None, version: str) -> InstallSource:
    """The install source that a PEP 610 `direct_url.json` record (None: no record) describes."""
    if record is None:
        return index_source(version)
    url = str(record.get("url", ""))
    reachable = urlsplit(url).scheme in _REMOTE_SCHEMES
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and reachable:
        commit = vcs.get("commit_id") or vcs.get("requested_revision") or ""
        at = f"@{commit}" if commit else ""
        return InstallSource(
            "vcs", f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}{at}", f"{url}{at}"
        )
    archive = record.get("archive_info")
    if isinstance(archive, dict) and reachable:
        hashes = archive.get("hashes") or {}
        sha = hashes.get("sha256") if isinstance(hashes, dict) else None
        fragment = f"#sha256={sha}" if sha and "#" not in url else ""
        return InstallSource("archive", f"{DISTRIBUTION} @ {url}{fragment}", url)
    return InstallSource("local", "", _local_path(url))


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path if parts.scheme == "file" else url or "an unknown place"


def installed_source(version: str, dist: Distribution | None = None) -> InstallSource:
    """How this cvgen was installed, read from its distribution's `direct_url.json`."""
    try:
        found = dist or distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return InstallSource("local", "", "a source folder (cvgen is not installed)")
    text = found.read_text("direct_url.json")
    if text is None:
        return source_from_direct_url(None, version)
    try:
        record = json.loads(text)
    except ValueError:
        record = {}
    return source_from_direct_url(record if isinstance(record, dict) else {}, version)


def source_from_option(value: str) -> InstallSource:
    """`--cvgen-source`: a version (`0.2.0`), a requirement (`cvgen-site @ URL`), or a URL.

    A local path is refused: CI checks out the site repository only and cannot reach it.
    """
    text = value.strip()
    unsafe = sorted(set(re.findall(r"[^\w .:/@+#=<>!~%?&,;()\[\]*'-]", text)))
    if unsafe or not text:
        shown = " ".join(repr(c) for c in unsafe) or "nothing"
        raise CvgenError(
            f"--cvgen-source {value!r}: {shown} cannot be part of what pip installs in the"
            f" workflow; give a version (0.2.0) or a URL, e.g. {EXAMPLE_SOURCE}"
        )
    if _VERSION.match(text):
        return InstallSource("index", f"{DISTRIBUTION}=={text}", "a package index")
    name, at, rest = text.partition("@")
    if at and name.strip() == DISTRIBUTION:
        text = rest.strip()
    elif text.startswith(DISTRIBUTION) and re.match(r"^[=<>~!]=", text[len(DISTRIBUTION) :]):
        return InstallSource("index", text.replace(" ", ""), "a package index")
    scheme = urlsplit(text).scheme
    vcs, plus, _ = scheme.partition("+")
    if plus and urlsplit(text[len(vcs) + 1 :]).scheme in _REMOTE_SCHEMES:
        return InstallSource("vcs", f"{DISTRIBUTION} @ {text}", text[len(vcs) + 1 :])
    if scheme in _REMOTE_SCHEMES:
        return InstallSource("archive", f"{DISTRIBUTION} @ {text}", text)
    raise CvgenError(
        f"--cvgen-source {value!r}: CI cannot install cvgen from that (a local path or file"
        " is on this machine only); give a version on PyPI (0.2.0), a VCS URL at a commit"
        f" ({EXAMPLE_SOURCE}) or a wheel's https:// URL (a GitHub release asset)"
    )
