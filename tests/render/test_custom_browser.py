"""Custom sections and extra fields as a reader sees them, in Debian's Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cvgen.build import build

EXTRAS = Path(__file__).resolve().parent / "extras" / "content"


@pytest.mark.browser
def test_custom_sections_and_extra_fields_are_shown(page: Any, tmp_path: Path) -> None:
    shutil.copytree(EXTRAS, tmp_path / "content")
    (tmp_path / "cvgen.yaml").write_text('site:\n  url: "https://cv.example.com/"\n', "utf-8")
    report = build(tmp_path)
    assert len(report.warnings) == 9  # v0 names, "Present", a timestamp, a country name ...
    page.goto((tmp_path / "output" / "index.html").as_uri())
    titles = [t.strip() for t in page.locator("main h2").all_text_contents()]
    # the custom sections come after the standard ones, in the order of the file
    assert titles == [
        "Experience",
        "Projects",
        "Education",
        "Volunteering",
        "Talks",
        "Personal statement",
        "Extra links",
        "Achievements",
        "Press",
    ]
    talk = page.locator("#talks article").first
    assert talk.is_visible()
    link = talk.locator("h3 a")
    assert link.inner_text() == "The Analytical Engine"
    assert link.get_attribute("href") == "https://talks.example.com/engine"  # no scheme given
    assert talk.locator("time").inner_text() == "Jun 1843"
    assert talk.locator(".tags li").all_inner_texts() == ["engines", "music"]
    # v0 names shown as their v1 fields; extra fields where a reader expects them
    job = page.locator("#work article").first
    assert job.locator(".org a").inner_text() == "Analytical Engines Ltd"  # `company`
    assert job.locator(".when").inner_text() == "Jan 2019 – Present"  # a timestamp, "Present"
    assert job.locator(".tags li").all_inner_texts() == [
        "algorithms",
        "Punched cards",
        "Difference engine",
    ]
    assert "London, UK" in page.locator("#education .org").inner_text()
    assert "Grade: 3.9" in page.locator("#education .org").inner_text()  # `gpa`
    assert page.locator("#achievements li").all_inner_texts() == [
        "First program",
        "Bernoulli numbers by machine",
    ]
    # an entry with no title: its text, and its source linked
    press = page.locator("#press .entry")
    assert press.locator("p").first.inner_text() == 'Called "the Enchantress of Numbers"'
    assert press.locator("a").get_attribute("href") == "https://letters.example.org/babbage"
    assert page.console_errors == []
