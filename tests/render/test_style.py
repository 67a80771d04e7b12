"""The default stylesheet: WCAG AA contrast in both colour schemes, nothing external."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

CSS = (REPO / "theme" / "default" / "static" / "style.css").read_text(encoding="utf-8")
# (text, background) pairs the theme draws text with
PAIRS = [("fg", "bg"), ("muted", "bg"), ("accent", "bg"), ("tag-fg", "tag"), ("muted", "tag")]


def palette(block: str) -> dict[str, str]:
    found = re.findall(r"--([\w-]+):\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", block)
    return {name: "#" + (h if len(h) == 6 else "".join(c * 2 for c in h)) for name, h in found}


def schemes() -> dict[str, dict[str, str]]:
    light = palette(CSS.split("@media")[0])
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{(.*?)\}\s*\}", CSS, re.S)
    assert dark_block is not None
    return {"light": light, "dark": {**light, **palette(dark_block.group(1))}}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_contrast_meets_wcag_aa(scheme: str, text: str, background: str) -> None:
    colours = schemes()[scheme]
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{scheme}: --{text} on --{background} is {ratio:.2f}:1"


def test_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


def test_no_external_resources_and_a_print_stylesheet() -> None:
    assert not re.search(r"@import|url\(|https?://", CSS)
    assert "@media print" in CSS and "prefers-color-scheme: dark" in CSS
