"""The three themes in real headless Chromium, switched, reordered and given a photo by
editing the site's files while `cvgen serve` runs; and the error overlay over each layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.content.test_photo import png

from ..conftest import wait_for_http
from .conftest import ServeProcess, edit
from .test_browser import TIMEOUT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}


def box(page: Any, selector: str) -> dict[str, float]:
    return dict(
        page.evaluate(
            f"() => document.querySelector('{selector}').getBoundingClientRect().toJSON()"
        )
    )


def switch_theme(site: Path, page: Any, old: str, new: str) -> None:
    edit(site / "cvgen.yaml", f"theme: {old}", f"theme: {new}")
    page.wait_for_function(
        f"() => document.body.classList.contains('theme-{new}')", timeout=TIMEOUT
    )


def test_switching_themes_changes_the_layout(served: tuple[Path, ServeProcess], page: Any) -> None:
    site, proc = served
    page.set_viewport_size(DESKTOP)
    open_page(page, proc.url)
    assert page.evaluate("() => document.body.className") == "theme-default"
    # default: one column, skills far below the fold
    assert box(page, "#skills")["top"] > 2 * DESKTOP["height"]

    switch_theme(site, page, "default", "sidebar")
    side, main = box(page, "aside.side"), box(page, "main")
    assert side["right"] <= main["left"] and side["left"] == 0
    # the one-page summary: skills and the first job both start on the first screen
    assert box(page, "#skills")["top"] < DESKTOP["height"]
    assert box(page, "#work .entry")["top"] < DESKTOP["height"]

    switch_theme(site, page, "sidebar", "classic")
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "serif" in font and "sans-serif" not in font
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('h1')).textAlign") == "center"
    )
    assert page.console_errors == []


def test_sections_follow_the_order_in_cvgen_yaml(
    served: tuple[Path, ServeProcess], page: Any
) -> None:
    site, proc = served
    open_page(page, proc.url)
    first = "() => document.querySelector('main > section').id"
    assert page.evaluate(first) == "about"
    config = site / "cvgen.yaml"
    config.write_text(
        config.read_text()
        + "\nsections:\n  order: [skills, work]\n  titles: {skills: Toolbox}\n  hide: [about]\n"
    )
    page.wait_for_function(f"() => ({first})() === 'skills'", timeout=TIMEOUT)
    ids = page.evaluate("() => [...document.querySelectorAll('main > section')].map(s => s.id)")
    assert ids[:2] == ["skills", "work"] and "about" not in ids
    assert page.inner_text("#skills h2").lower() == "toolbox"
    # a typo: the overlay names the line and suggests the name
    edit(config, "order: [skills, work]", "order: [skils, work]")
    overlay = page.get_by_role("alert")
    overlay.wait_for(timeout=TIMEOUT)
    assert "sections.order[0]: no section `skils`; did you mean `skills`?" in overlay.inner_text()


@pytest.mark.parametrize("theme", ["default", "sidebar", "classic"])
def test_the_photo_shows_square_and_sized_in_every_theme(
    example_site: Path, serve_process: Callable[..., ServeProcess], page: Any, theme: str
) -> None:
    (example_site / "content" / "me.png").write_bytes(png(300, 400, (30, 90, 160)))
    edit(
        example_site / "content" / "cv.yaml", "  label: Senior", "  image: me.png\n  label: Senior"
    )
    edit(example_site / "cvgen.yaml", "theme: default", f"theme: {theme}")
    proc = serve_process(example_site)
    wait_for_http(proc.url)
    page.set_viewport_size(DESKTOP)
    open_page(page, proc.url)
    img = page.locator("img.photo")
    img.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelector('img.photo').complete", timeout=TIMEOUT)
    assert img.get_attribute("alt") == "Ada Lindqvist"
    src = img.get_attribute("src")
    assert src is not None and src.startswith("assets/photo.") and src.endswith(".png")
    natural = page.evaluate(
        "() => [document.querySelector('img.photo').naturalWidth, document.querySelector('img.photo').naturalHeight]"
    )
    assert natural == [300, 400]  # the file itself, copied
    shown = box(page, "img.photo")
    assert shown["width"] == shown["height"] and 64 <= shown["width"] <= 160  # cropped square
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('img.photo')).objectFit")
        == "cover"
    )
    # in the masthead, above the fold
    assert shown["top"] < DESKTOP["height"] / 2
    assert page.console_errors == []


@pytest.mark.parametrize("theme", ["default", "sidebar", "classic"])
def test_the_error_overlay_covers_each_layout_at_1280(
    example_site: Path, serve_process: Callable[..., ServeProcess], page: Any, theme: str
) -> None:
    edit(example_site / "cvgen.yaml", "theme: default", f"theme: {theme}")
    proc = serve_process(example_site)
    wait_for_http(proc.url)
    page.set_viewport_size(DESKTOP)
    open_page(page, proc.url)
    edit(example_site / "content" / "cv.yaml", "label: Senior Platform", "label: Senior: Platform")
    overlay = page.get_by_role("alert")
    overlay.wait_for(timeout=TIMEOUT)
    shown = box(page, "#cvgen-overlay")
    assert shown["left"] == 0 and shown["top"] == 0 and shown["width"] == DESKTOP["width"]
    # nothing of the page is drawn over it: the topmost element there is the overlay
    for x in (20, 640, 1260):
        on_top = page.evaluate(
            f"() => !!document.elementFromPoint({x}, 12).closest('#cvgen-overlay')"
        )
        assert on_top, f"x={x}"
    assert "still showing the last good version" in overlay.inner_text()
