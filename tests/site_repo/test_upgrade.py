"""`cvgen upgrade-site`: the pinned version moves, the owner's edits stay, template changes show."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cvgen import __version__
from cvgen.cli import cli
from cvgen.site_repo.create import create_site
from cvgen.site_repo.files import WORKFLOW, pinned_install, pinned_version, with_pin, workflow
from cvgen.site_repo.source import source_from_option

OLD = "0.0.9"


def upgrade(site: Path, *args: str, source: str = __version__) -> Result:
    """`cvgen upgrade-site`, told to install this version from PyPI (the test venv's cvgen is
    an editable install, which CI cannot reach: test_a_local_cvgen_is_refused)."""
    return CliRunner().invoke(
        cli, ["upgrade-site", "--root", str(site), "--cvgen-source", source, *args]
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site made by an older cvgen whose workflow template was the same as today's."""
    create_site(tmp_path / "site", version=OLD)
    return tmp_path / "site"


def test_pin_helpers() -> None:
    text = workflow("1.2.3")
    assert pinned_version(text) == "1.2.3"
    assert 'CVGEN_VERSION: "1.2.3" # the cvgen release' in text
    assert with_pin(text, "2.0.0") == workflow("2.0.0").replace(
        "Made by `cvgen new` with cvgen 2.0.0", "Made by `cvgen new` with cvgen 1.2.3"
    )
    assert pinned_version("name: x\n") is None


def test_upgrade_moves_the_pin(site: Path) -> None:
    result = upgrade(site)
    assert result.exit_code == 0, result.output
    path = site / WORKFLOW
    assert result.output.splitlines()[0] == f"{path}: cvgen {OLD} -> {__version__}"
    text = path.read_text()
    assert pinned_version(text) == __version__
    # only the pin line changed; the header still says which cvgen made the site
    assert text == with_pin(workflow(OLD), __version__)
    assert "next: commit it" in result.output and "cvgen infra deploy" in result.output
    again = upgrade(site)
    assert again.output.splitlines()[0] == f"{path}: already installs cvgen {__version__}"
    assert "next:" not in again.output


def test_the_owners_edits_stay_and_the_difference_is_shown(site: Path) -> None:
    path = site / WORKFLOW
    edited = path.read_text().replace(
        "      - name: Smoke-test the live site\n",
        "      - name: Tell the team\n        run: echo deployed\n\n"
        "      - name: Smoke-test the live site\n",
    )
    path.write_text(edited)
    result = upgrade(site)
    assert result.exit_code == 0, result.output
    assert path.read_text() == with_pin(edited, __version__)
    assert "differs from cvgen" in result.output
    assert "-      - name: Tell the team\n-        run: echo deployed\n" in result.output


def test_changes_in_cvgens_template_are_reported_and_replace_takes_them(site: Path) -> None:
    # the site was made when the template pinned an older checkout action
    path = site / WORKFLOW
    current = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
    older = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
    assert current in path.read_text()
    path.write_text(path.read_text().replace(current, older))

    result = upgrade(site)
    assert f"-        uses: {older}\n+        uses: {current}\n" in result.output
    assert older in path.read_text()  # nothing but the pin is changed without --replace
    assert "cvgen upgrade-site --replace" in result.output

    replaced = upgrade(site, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "replaced with this cvgen's template" in replaced.output
    assert path.read_text() == workflow(__version__)


def test_a_newer_pin_is_not_downgraded(site: Path) -> None:
    path = site / WORKFLOW
    path.write_text(with_pin(path.read_text(), "99.0.0"))
    before = path.read_bytes()
    result = upgrade(site)
    assert result.exit_code == 1
    assert f"pins cvgen 99.0.0, newer than this cvgen {__version__}" in result.output
    assert path.read_bytes() == before
    assert upgrade(site, "--allow-downgrade").exit_code == 0
    assert pinned_version(path.read_text()) == __version__


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.unlink(), "does not exist (was the site made with `cvgen new --no-ci`?)"),
        (lambda p: p.write_text("name: Deploy\n"), 'no `CVGEN_VERSION: "X.Y.Z"` line'),
    ],
    ids=["no workflow", "no pin"],
)
def test_a_workflow_it_cannot_upgrade_is_a_clear_error(site: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    setup(site / WORKFLOW)
    result = upgrade(site)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_upgrade_finds_the_site_from_a_subfolder(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site / "content")
    result = CliRunner().invoke(cli, ["upgrade-site", "--cvgen-source", __version__])
    assert result.exit_code == 0, result.output
    assert pinned_version((site / WORKFLOW).read_text()) == __version__


def test_replace_mends_a_workflow_without_a_pin(site: Path) -> None:
    # the error for a workflow without CVGEN_VERSION advises --replace: --replace must work
    path = site / WORKFLOW
    path.write_text("name: Deploy\n")
    result = upgrade(site, "--replace")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"{path}: cvgen (no CVGEN_VERSION line) -> {__version__}"
    )
    assert path.read_text() == workflow(__version__)


def test_a_local_cvgen_is_refused_and_nothing_written(site: Path) -> None:
    path = site / WORKFLOW
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["upgrade-site", "--root", str(site)])
    assert result.exit_code == 1
    assert "this cvgen was installed from" in result.output
    assert "which CI cannot reach" in result.output and "--cvgen-source" in result.output
    assert path.read_bytes() == before


def test_upgrade_pins_a_commit(site: Path) -> None:
    url = "git+https://github.com/ada/cvgen@7921be1537eac1e97bc40179a57f0349c2aabfcc"
    result = upgrade(site, source=url)
    assert result.exit_code == 0, result.output
    assert f"  CI installs cvgen-site @ {url}" in result.output
    text = (site / WORKFLOW).read_text()
    assert pinned_install(text) == f"cvgen-site @ {url}"
    assert text == with_pin(workflow(OLD), __version__, source_from_option(url))


def test_a_workflow_of_cvgen_0_1_0_without_an_install_line(site: Path) -> None:
    """cvgen 0.1.0's workflow installs `cvgen-site==$CVGEN_VERSION`: a version from PyPI
    still upgrades by its pin; a commit needs the new line, so --replace is asked for."""
    path = site / WORKFLOW
    text = path.read_text()
    lines = [line for line in text.splitlines(keepends=True) if "CVGEN_INSTALL:" not in line]
    path.write_text("".join(lines))
    url = "git+https://github.com/ada/cvgen@7921be1537eac1e97bc40179a57f0349c2aabfcc"
    refused = upgrade(site, source=url)
    assert refused.exit_code == 1
    assert "has no CVGEN_INSTALL line" in refused.output and "--replace" in refused.output
    assert upgrade(site).exit_code == 0
    assert pinned_version(path.read_text()) == __version__
    assert pinned_install(path.read_text()) is None
    assert upgrade(site, "--replace", source=url).exit_code == 0
    assert pinned_install(path.read_text()) == f"cvgen-site @ {url}"


def test_versions_compare_as_numbers_not_text(tmp_path: Path) -> None:
    from cvgen.errors import CvgenError
    from cvgen.site_repo.source import index_source
    from cvgen.site_repo.upgrade import upgrade_site, version_key

    assert version_key("0.10.2") == (0, 10, 2)
    assert version_key("1.0rc1") is None
    create_site(tmp_path / "a", version="0.9.0")
    assert upgrade_site(
        tmp_path / "a", "0.10.0", index_source("0.10.0")
    ).written  # 0.9.0 < 0.10.0: an upgrade
    create_site(tmp_path / "b", version="0.10.0")
    with pytest.raises(CvgenError, match="pins cvgen 0.10.0, newer than this cvgen 0.9.0"):
        upgrade_site(tmp_path / "b", "0.9.0", index_source("0.9.0"))
