"""Every built-in theme's stylesheet: WCAG AA contrast in both colour schemes, nothing external."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

THEMES = REPO / "theme"
BASE = (THEMES / "default" / "templates" / "css" / "base.css").read_text(encoding="utf-8")
NAMES = sorted(
    p.name for p in THEMES.iterdir() if (p / "templates" / "css" / "theme.css").is_file()
)
# (text, background) pairs the themes draw text with
PAIRS = [("fg", "bg"), ("muted", "bg"), ("accent", "bg"), ("tag-fg", "tag"), ("muted", "tag")]
# the sidebar's column has its own background
SIDE_PAIRS = [("fg", "side"), ("muted", "side"), ("accent", "side"), ("tag-fg", "tag")]


def theme_css(name: str) -> str:
    return (THEMES / name / "templates" / "css" / "theme.css").read_text(encoding="utf-8")


def palette(block: str) -> dict[str, str]:
    found = re.findall(r"--([\w-]+):\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", block)
    return {name: "#" + (h if len(h) == 6 else "".join(c * 2 for c in h)) for name, h in found}


def schemes(name: str) -> dict[str, dict[str, str]]:
    """The colours in effect: base.css's, then the theme's own (its first block, and its dark one)."""
    light: dict[str, str] = {}
    dark: dict[str, str] = {}
    for css in (BASE, theme_css(name)):
        light.update(palette(css.split("@media")[0]))
        block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{(.*?)\}\s*\}", css, re.S)
        if block:
            dark.update(palette(block.group(1)))
    return {"light": light, "dark": {**light, **dark}}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa(name: str, scheme: str) -> None:
    colours = schemes(name)[scheme]
    pairs = PAIRS + (SIDE_PAIRS if "side" in colours else [])
    for text, background in pairs:
        ratio = contrast(colours[text], colours[background])
        assert ratio >= 4.5, f"{name} {scheme}: --{text} on --{background} is {ratio:.2f}:1"


def test_three_themes_are_built_in() -> None:
    assert NAMES == ["classic", "default", "sidebar"]


def test_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


@pytest.mark.parametrize("name", NAMES)
def test_no_external_resources_and_a_print_stylesheet(name: str) -> None:
    for css in (BASE, theme_css(name)):
        assert not re.search(r"@import|url\(|https?://", css)
        assert "@media print" in css
    assert "prefers-color-scheme: dark" in BASE
