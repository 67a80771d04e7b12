"""What a new site's CI installs: read from the installed distribution's own record (PEP 610
`direct_url.json`), or `--cvgen-source`; a local path or file is never written as if CI could
reach it."""

from __future__ import annotations

import json
from importlib.metadata import PathDistribution
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cvgen import __version__
from cvgen.cli import cli
from cvgen.errors import CvgenError
from cvgen.site_repo.files import (
    WORKFLOW,
    install_line_number,
    pinned_install,
    pinned_version,
    with_pin,
    workflow,
)
from cvgen.site_repo.source import (
    InstallSource,
    installed_source,
    source_from_direct_url,
    source_from_option,
)

COMMIT = "7921be1537eac1e97bc40179a57f0349c2aabfcc"
SHA = "2dc6b5a470a1bde68946f263f1af1515a2574a150a30d6ce02c6ff742fcc0db8"

# PEP 610's own examples, as pip writes them, one per way of installing.
RECORDS: list[tuple[str, dict[str, Any] | None, InstallSource]] = [
    ("from an index", None, InstallSource("index", "cvgen-site==0.3.0", "a package index")),
    (
        "git URL at a commit",
        {
            "url": "https://github.com/ada/cvgen.git",
            "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": COMMIT},
        },
        InstallSource(
            "vcs",
            f"cvgen-site @ git+https://github.com/ada/cvgen.git@{COMMIT}",
            f"https://github.com/ada/cvgen.git@{COMMIT}",
        ),
    ),
    (
        "a release's wheel by URL",
        {
            "url": "https://github.com/ada/cvgen/releases/download/v0.3.0/cvgen_site-0.3.0-py3-none-any.whl",
            "archive_info": {"hashes": {"sha256": SHA}},
        },
        InstallSource(
            "archive",
            "cvgen-site @ https://github.com/ada/cvgen/releases/download/v0.3.0/"
            f"cvgen_site-0.3.0-py3-none-any.whl#sha256={SHA}",
            "https://github.com/ada/cvgen/releases/download/v0.3.0/cvgen_site-0.3.0-py3-none-any.whl",
        ),
    ),
    (
        "a clone, editable",
        {"url": "file:///home/ada/cvgen", "dir_info": {"editable": True}},
        InstallSource("local", "", "/home/ada/cvgen"),
    ),
    (
        "a clone, not editable",
        {"url": "file:///home/ada/cvgen", "dir_info": {}},
        InstallSource("local", "", "/home/ada/cvgen"),
    ),
    (
        "a wheel file",
        {
            "url": "file:///home/ada/dist/cvgen_site-0.3.0-py3-none-any.whl",
            "archive_info": {"hashes": {"sha256": SHA}},
        },
        InstallSource("local", "", "/home/ada/dist/cvgen_site-0.3.0-py3-none-any.whl"),
    ),
    (
        "a git clone on this machine",
        {"url": "file:///home/ada/cvgen", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
        InstallSource("local", "", "/home/ada/cvgen"),
    ),
]


def installed(tmp_path: Path, record: dict[str, Any] | None) -> PathDistribution:
    """A real installed distribution's metadata folder, as pip leaves it."""
    info = tmp_path / "cvgen_site-0.3.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cvgen-site\nVersion: 0.3.0\n")
    if record is not None:
        (info / "direct_url.json").write_text(json.dumps(record))
    return PathDistribution(info)


@pytest.mark.parametrize(
    ("record", "expected"), [r[1:] for r in RECORDS], ids=[r[0] for r in RECORDS]
)
def test_each_way_of_installing(
    tmp_path: Path, record: dict[str, Any] | None, expected: InstallSource
) -> None:
    assert source_from_direct_url(record, "0.3.0") == expected
    assert installed_source("0.3.0", installed(tmp_path, record)) == expected


@pytest.mark.parametrize(
    ("record", "expected"), [r[1:] for r in RECORDS], ids=[r[0] for r in RECORDS]
)
def test_the_workflow_installs_it_and_a_local_one_is_left_to_fill_in(
    record: dict[str, Any] | None, expected: InstallSource
) -> None:
    text = workflow("0.3.0", source_from_direct_url(record, "0.3.0"))
    data = yaml.safe_load(text)
    assert data["env"]["CVGEN_VERSION"] == "0.3.0"
    assert data["env"]["CVGEN_INSTALL"] == expected.requirement == pinned_install(text)
    note = [line for line in text.splitlines() if line.startswith("  # (!) ")]
    if expected.kind == "local":
        assert f"cvgen was installed from {expected.origin}, on that machine only" in note[0]
        assert text.splitlines()[(install_line_number(text) or 0) - 1].startswith(
            '  CVGEN_INSTALL: "" # what CI installs: empty'
        )
    else:
        assert note == []


def test_this_checkout_is_a_local_install() -> None:
    # the test venv installs cvgen editable from this checkout (make .venv/.installed-stamp)
    found = installed_source(__version__)
    assert (found.kind, found.requirement) == ("local", "")
    assert Path(found.origin) == Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "requirement"),
    [
        ("0.2.0", "cvgen-site==0.2.0"),
        ("cvgen-site==0.2.0", "cvgen-site==0.2.0"),
        (
            f"git+https://github.com/ada/cvgen@{COMMIT}",
            f"cvgen-site @ git+https://github.com/ada/cvgen@{COMMIT}",
        ),
        (
            f"cvgen-site @ git+https://github.com/ada/cvgen@{COMMIT}",
            f"cvgen-site @ git+https://github.com/ada/cvgen@{COMMIT}",
        ),
        (
            "git+ssh://git@github.com/ada/cvgen@v0.2.0",
            "cvgen-site @ git+ssh://git@github.com/ada/cvgen@v0.2.0",
        ),
        (
            "https://example.org/cvgen_site-0.2.0-py3-none-any.whl",
            "cvgen-site @ https://example.org/cvgen_site-0.2.0-py3-none-any.whl",
        ),
    ],
)
def test_cvgen_source_option(value: str, requirement: str) -> None:
    assert source_from_option(value).requirement == requirement


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/home/ada/cvgen", "CI cannot install cvgen from that"),
        ("./dist/cvgen_site-0.2.0-py3-none-any.whl", "CI cannot install cvgen from that"),
        ("file:///home/ada/cvgen", "CI cannot install cvgen from that"),
        ("git+file:///home/ada/cvgen", "CI cannot install cvgen from that"),
        ('0.2.0" && curl evil', "'\"' cannot be part of what pip installs"),
        ("${{ secrets.X }}", "'$' '{' '}' cannot be part of what pip installs"),
        ("", "nothing cannot be part"),
    ],
)
def test_cvgen_source_ci_cannot_reach_is_refused(value: str, message: str) -> None:
    with pytest.raises(CvgenError, match="--cvgen-source") as caught:
        source_from_option(value)
    assert message in str(caught.value)


def test_new_from_this_checkout_says_ci_cannot_reach_it(tmp_path: Path) -> None:
    site = tmp_path / "s"
    result = CliRunner().invoke(cli, ["new", str(site)])
    assert result.exit_code == 0, result.output
    text = (site / WORKFLOW).read_text()
    line = install_line_number(text)
    assert f"warning: this cvgen was installed from {Path(__file__).resolve().parents[2]}" in (
        " ".join(result.output.split())
    )
    assert f"{site / WORKFLOW}:{line} (CVGEN_INSTALL)" in result.output
    assert pinned_install(text) == "" and pinned_version(text) == __version__


@pytest.mark.parametrize(
    ("value", "requirement"),
    [
        ("0.2.0", "cvgen-site==0.2.0"),
        (
            f"git+https://github.com/ada/cvgen@{COMMIT}",
            f"cvgen-site @ git+https://github.com/ada/cvgen@{COMMIT}",
        ),
    ],
)
def test_new_with_cvgen_source(tmp_path: Path, value: str, requirement: str) -> None:
    site = tmp_path / "s"
    result = CliRunner().invoke(cli, ["new", "--cvgen-source", value, str(site)])
    assert result.exit_code == 0, result.output
    assert f"the deploy workflow installs {requirement} (cvgen {__version__};" in result.output
    assert "warning" not in result.output
    assert yaml.safe_load((site / WORKFLOW).read_text())["env"]["CVGEN_INSTALL"] == requirement


def test_new_with_a_local_cvgen_source_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "--cvgen-source", str(tmp_path), str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "CI cannot install cvgen from that" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "s").exists()


def test_with_pin_fills_in_a_local_workflow_and_drops_the_note() -> None:
    local = workflow("0.3.0", source_from_direct_url({"url": "file:///x", "dir_info": {}}, "0.3.0"))
    vcs = source_from_option(f"git+https://github.com/ada/cvgen@{COMMIT}")
    assert with_pin(local, "0.3.0", vcs) == workflow("0.3.0", vcs)
