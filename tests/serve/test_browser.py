"""The live preview in real headless Chromium, driven only by edits to the site's files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cvgen.build import render_pages
from cvgen.errors import ContentError
from cvgen.serve.reload import WARNINGS_ID

from ..conftest import wait_for_http
from .conftest import ServeProcess, edit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 10_000  # ms; edits normally show within a few hundred


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    # the reload channel is connected once the page has seen the server's first state
    page.wait_for_function("() => window.cvgenLive && window.cvgenLive.seq >= 0", timeout=TIMEOUT)


def test_edits_show_up_by_themselves_and_errors_get_an_overlay(
    served: tuple[Path, ServeProcess], page: Any
) -> None:
    site, proc = served
    cv = site / "content" / "cv.yaml"
    open_page(page, proc.url)
    label = page.locator(".masthead .label")
    assert label.inner_text() == "Senior Platform Engineer"

    edit(cv, "label: Senior Platform Engineer", "label: Principal Reliability Engineer")
    page.wait_for_function(
        "() => document.querySelector('.masthead .label').textContent"
        " === 'Principal Reliability Engineer'",
        timeout=TIMEOUT,
    )

    # break the YAML: the overlay lists the same lines as the CLI, the last good page stays
    edit(cv, "label: Principal Reliability Engineer", "label: Principal: Reliability Engineer")
    with pytest.raises(ContentError) as caught:
        render_pages(site)
    cli_lines = [str(issue) for issue in caught.value.issues]
    assert cli_lines[0].startswith("content/cv.yaml:7:")
    overlay = page.get_by_role("alert")
    overlay.wait_for(timeout=TIMEOUT)
    text = overlay.inner_text()
    for line in cli_lines:
        assert line in text
    assert label.inner_text() == "Principal Reliability Engineer"

    # fix it: the overlay goes and the new content shows
    edit(cv, "label: Principal: Reliability Engineer", "label: Staff Reliability Engineer")
    page.wait_for_function(
        "() => !document.getElementById('cvgen-overlay') && "
        "document.querySelector('.masthead .label').textContent === 'Staff Reliability Engineer'",
        timeout=TIMEOUT,
    )
    assert page.console_errors == []


def test_build_warnings_show_in_a_dismissible_panel_until_fixed(
    served: tuple[Path, ServeProcess], page: Any
) -> None:
    site, proc = served
    cv = site / "content" / "cv.yaml"
    open_page(page, proc.url)
    panel = page.locator(f"#{WARNINGS_ID}")
    assert panel.count() == 0  # the example site has no warnings

    edit(cv, "  url: https://ada.example.com/", "  website: https://ada.example.com/")
    panel.wait_for(timeout=TIMEOUT)
    # the very lines the terminal prints (one formatter for both)
    lines = [w.describe("warning") for w in render_pages(site).warnings]
    assert lines and lines[0].startswith("content/cv.yaml:10:3: warning: basics.website: ")
    assert panel.inner_text().splitlines()[-len(lines) :] == lines
    assert page.get_by_role("alert").count() == 0  # not the error overlay
    assert page.locator(".masthead h1").is_visible()  # the page stays readable

    page.get_by_role("button", name="Dismiss warnings").click()
    assert panel.count() == 0
    page.reload()
    page.wait_for_function("() => window.cvgenLive.seq >= 0", timeout=TIMEOUT)
    assert panel.count() == 0  # dismissed stays dismissed while the warnings are the same

    edit(cv, "  url: https://northwind.example.com/", "  website: https://northwind.example.com/")
    page.wait_for_function(
        f"() => document.getElementById('{WARNINGS_ID}')?.textContent.includes('2 warnings')",
        timeout=TIMEOUT,
    )
    edit(cv, "  website: https://ada.example.com/", "  url: https://ada.example.com/")
    edit(cv, "  website: https://northwind.example.com/", "  url: https://northwind.example.com/")
    page.wait_for_function(f"() => !document.getElementById('{WARNINGS_ID}')", timeout=TIMEOUT)
    assert page.console_errors == []


def test_a_site_broken_from_the_start_recovers(
    example_site: Path, serve_process: Callable[..., ServeProcess], page: Any
) -> None:
    cv = example_site / "content" / "cv.yaml"
    edit(cv, "label: Senior Platform Engineer", "label: Senior: Platform Engineer")
    proc = serve_process(example_site)
    wait_for_http(proc.url)
    response = page.goto(proc.url)
    assert response.status == 500
    overlay = page.get_by_role("alert")
    overlay.wait_for(timeout=TIMEOUT)
    assert "content/cv.yaml:7:" in overlay.inner_text()
    assert "no good version to show yet" in overlay.inner_text()
    assert "last good version" not in overlay.inner_text()
    edit(cv, "label: Senior: Platform Engineer", "label: Senior Platform Engineer")
    page.wait_for_function(
        "() => document.querySelector('.masthead .label')?.textContent"
        " === 'Senior Platform Engineer' && !document.getElementById('cvgen-overlay')",
        timeout=TIMEOUT,
    )


def test_a_css_only_change_applies_without_a_reload(
    served: tuple[Path, ServeProcess], page: Any
) -> None:
    site, proc = served
    open_page(page, proc.url)
    page.evaluate("() => { window.__cvgenTestMarker = 'still here'; }")
    before = page.evaluate("() => getComputedStyle(document.querySelector('h1')).color")
    assert before != "rgb(1, 2, 3)"
    css = site / "theme" / "default" / "templates" / "css" / "theme.css"
    css.write_text(css.read_text() + "\n.masthead h1 { color: rgb(1, 2, 3); }\n")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('h1')).color === 'rgb(1, 2, 3)'",
        timeout=TIMEOUT,
    )
    assert page.evaluate("() => window.__cvgenTestMarker") == "still here"
    href = page.evaluate("() => document.querySelector('link[rel=stylesheet]').href")
    assert "/assets/style." in href


def test_the_visitor_count_shows_and_rises_by_one_per_page_load(
    served: tuple[Path, ServeProcess], page: Any
) -> None:
    _, proc = served
    counts = []
    for _ in range(3):
        page.goto(proc.url)
        box = page.locator("[data-counter]")
        box.wait_for(state="visible", timeout=TIMEOUT)
        counts.append(int(page.locator("[data-counter-value]").inner_text().replace(",", "")))
    assert counts == [counts[0], counts[0] + 1, counts[0] + 2]
    assert counts[0] == 1  # a fresh site starts from zero
