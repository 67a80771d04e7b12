"""A variant's page in real headless Chromium: its stylesheet, shared with the main page
at the site's root (`cvgen.bundle.folders`), applies under `cvgen serve` and from disk."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cvgen.build import build
from tests.conftest import wait_for_http

from .conftest import ServeProcess
from .test_browser import open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SITE = Path(__file__).parent.parent / "variants" / "site"
# what the default theme's stylesheet sets, where Chromium's own default differs
STYLED = "() => { const s = getComputedStyle(document.body); return [s.margin, s.color]; }"
THEME = ["0px", "rgb(24, 32, 43)"]
UNSTYLED = ["8px", "rgb(0, 0, 0)"]


def failed_requests(page: Any) -> list[str]:
    """URLs the page asked for and did not get (the live-reload channel's own left out)."""
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "/__cvgen/" not in r.url else None,
    )
    return failed


def test_a_variant_page_has_its_css_under_serve_and_from_disk(
    tmp_path: Path, page: Any, serve_process: Callable[..., ServeProcess]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    failed = failed_requests(page)
    proc = serve_process(site)
    wait_for_http(proc.url)
    open_page(page, proc.url + "backend/")
    assert page.evaluate(STYLED) == THEME
    sheet = page.evaluate("() => document.styleSheets[0].href")
    assert sheet.startswith(proc.url + "assets/style.")  # the root's copy, not /backend/assets/
    assert "Backend Engineer" in page.inner_text(".masthead")
    assert failed == []

    out = build(site).output
    page.goto((out / "frontend" / "index.html").as_uri())
    assert page.evaluate(STYLED) == THEME
    assert page.evaluate("() => document.styleSheets[0].href").startswith(
        (out / "assets").as_uri() + "/style."
    )
    # without the shared stylesheet the page would be unstyled: the check can fail
    for css in (out / "assets").glob("style.*.css"):
        css.unlink()
    page.reload()
    assert page.evaluate(STYLED) == UNSTYLED
