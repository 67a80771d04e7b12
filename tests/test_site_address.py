"""Which site.url values are stand-ins that must not go live, and what build/publish say."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.site_address import placeholder_reason, publish_warning


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (None, "is not set"),
        ("https://cv.example.com/", "is an example address (cv.example.com is reserved"),
        ("https://example.org/cv/", "is an example address (example.org is reserved"),
        ("https://EXAMPLE.NET./", "is an example address (example.net is reserved"),
        ("https://ada.test/", "is not a public address (.test is a reserved name)"),
        ("https://cv.example/", "is not a public address (.example is a reserved name)"),
        ("http://localhost:8000/", "is not a public address (.localhost"),
        ("http://127.0.0.1:8000/", "is a local address (127.0.0.1)"),
        ("http://192.168.1.20/", "is a local address (192.168.1.20)"),
        ("http://[::1]:8000/", "is a local address (::1)"),
        ("https://d111111abcdef8.cloudfront.net/", None),
        ("https://ada.dev/", None),
        ("https://myexample.com/", None),  # only example.com itself and its subdomains
        ("https://example.com.au/", None),
        ("https://93.184.215.14/", None),
    ],
)
def test_placeholder_reason(url: str | None, reason: str | None) -> None:
    found = placeholder_reason(url)
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found


def test_an_unset_url_is_no_publish_warning() -> None:
    # a new site has no address yet: its pages name none, which is not a mistake
    assert publish_warning(None) is None
    assert publish_warning("https://ada.dev/") is None
    warning = publish_warning("https://cv.example.com/")
    assert warning is not None and warning.startswith("site.url https://cv.example.com/ is an")


def site_with(tmp_path: Path, site_yaml: str) -> Path:
    CliRunner().invoke(cli, ["new", "--no-ci", str(tmp_path / "s")], catch_exceptions=False)
    (tmp_path / "s" / "cvgen.yaml").write_text(site_yaml, encoding="utf-8")
    return tmp_path / "s"


@pytest.mark.parametrize(
    ("site_yaml", "warned"),
    [
        ("site:\n  url: https://cv.example.com/\n", True),
        ("site:\n  url: http://127.0.0.1:8000/\n", True),
        ("site:\n  url: https://ada.dev/\n", False),
        ("site:\n  url: null\n", False),
        ("theme: default\n", False),
    ],
)
def test_build_warns_about_a_stand_in_address(tmp_path: Path, site_yaml: str, warned: bool) -> None:
    site = site_with(tmp_path, site_yaml)
    result = CliRunner().invoke(cli, ["build", "--root", str(site)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("built ")
    if warned:
        assert result.stderr.startswith("warning: site.url http")
        assert "Set site.url in cvgen.yaml to your site's address" in result.stderr
    else:
        assert result.stderr == ""
    assert (site / "output" / "index.html").is_file()
