"""In Chromium under `cvgen serve`: an application's page counts a view, a click on its PDF
counts a download (not a view), the preview banner shows, no count is shown to its reader,
and `cvgen stats --local` reports them on the application's row."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from tests.applications.test_build import ACME, SITE
from tests.conftest import wait_for_http
from tests.serve.conftest import ServeProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 20_000


def test_a_view_and_a_download_of_an_application_are_counted_apart(
    tmp_path: Path, serve_process: Callable[..., ServeProcess], page: Any
) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    config = (root / "cvgen.yaml").read_text(encoding="utf-8")
    config = config.replace("pdf:\n  enabled: false\n", "").replace(
        "counter:\n  enabled: false\n", ""
    )
    (root / "cvgen.yaml").write_text(config, encoding="utf-8")
    proc = serve_process(root)
    wait_for_http(proc.url)
    with page.expect_response(lambda r: "/api/views" in r.url, timeout=TIMEOUT):
        page.goto(proc.url + ACME)
    banner = page.locator("[data-cvgen-preview]")
    assert "Preview of application acme" in banner.inner_text()
    assert page.locator("[data-counter]").count() == 0  # its reader sees no count
    with (
        page.expect_response(
            lambda r: (
                "/api/views" in r.url and b'"download"' in (r.request.post_data_buffer or b"")
            ),
            timeout=TIMEOUT,
        ),
        page.expect_download(timeout=TIMEOUT),
    ):
        page.locator("a[data-count-download]").first.click()
    result = CliRunner().invoke(cli, ["stats", "--local", "--json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)["rows"]}
    assert (rows["acme"]["views"], rows["acme"]["downloads"]) == (1, 1)
    assert rows["main"]["views"] == 0
