"""Layout details a new user saw at 1280 px, measured in real headless Chromium on the built
pages: the language switch of the `sidebar` theme sits at the top (it fell below the
sidebar, at the very bottom), and tag chips in `default` start on the text column (an
entry's list padding indented them 19 px)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cvgen.build import build
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}


def built(tmp_path: Path, theme: str) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "languages" / "site", site)
    config = site / "cvgen.yaml"
    config.write_text(f"theme: {theme}\n" + config.read_text())
    build(site)
    return site / "output" / "index.html"


def test_the_sidebar_language_switch_is_at_the_top(tmp_path: Path, page: Any) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(built(tmp_path, "sidebar").as_uri())
    nav = page.evaluate(
        "() => document.querySelector('nav.languages').getBoundingClientRect().toJSON()"
    )
    masthead = page.evaluate(
        "() => document.querySelector('.masthead').getBoundingClientRect().toJSON()"
    )
    side = page.evaluate(
        "() => document.querySelector('aside.side').getBoundingClientRect().toJSON()"
    )
    assert nav["top"] == 0 and nav["bottom"] <= masthead["top"] + 1
    assert nav["bottom"] < side["top"] and nav["bottom"] < DESKTOP["height"] / 4
    assert page.console_errors == []


@pytest.mark.parametrize("theme", ["default", "sidebar", "classic"])
def test_tag_chips_start_on_the_text_column(tmp_path: Path, page: Any, theme: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(built(tmp_path, theme).as_uri())
    offsets = page.evaluate(
        """() => [...document.querySelectorAll('.entry ul.tags')].map(ul => {
          const entry = ul.closest('.entry').getBoundingClientRect().left;
          return ul.querySelector('li').getBoundingClientRect().left - entry;
        })"""
    )
    assert offsets and all(abs(offset) < 1 for offset in offsets), offsets
