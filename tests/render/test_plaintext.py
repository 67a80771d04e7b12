"""cv.txt: the CV as shown, as plain text for application forms (pure)."""

from __future__ import annotations

import re
from pathlib import Path

from cvgen.render.plaintext import render_text
from cvgen.render.shown import show
from cvgen.render.theme import Theme
from tests.render.conftest import full_cv, make_config, make_cv
from tests.render.model_texts import model_texts


def test_sections_in_order_entries_as_blocks_dates_on_the_title_line(
    tmp_path: Path, theme: Theme
) -> None:
    shown = show(full_cv(), make_config(tmp_path), theme)
    text = render_text(shown).decode("utf-8")
    headings = [s.title.upper() for s in shown.sections]
    found = [line for line in text.splitlines() if line in headings]
    assert found == headings
    assert "Lead Programmer, Engines Ltd (Jan 2020 – Present)\n" in text
    assert "\n\nEngineer, Babbage & Co (Mar 2018 – Dec 2019)\n" in text  # its own block
    assert text.startswith("Ada Lovelace\nAnalytical Engineer\n")
    assert text.endswith("\n") and not text.endswith("\n\n") and "\n\n\n" not in text


def test_links_are_written_out_and_no_markdown_is_left(tmp_path: Path, theme: Theme) -> None:
    cv = make_cv(
        basics__summary="I **build** [platforms](https://p.example.com/) with `kubectl`.\n\n"
        "- one *item*\n- two\n\n> a quote",
        work=[
            {
                "name": "Engines Ltd",
                "position": "Lead",
                "url": "https://engines.example.com/",
                "startDate": "2020-01",
                "highlights": ["Wrote [the handbook](https://h.example.com/x) in __bold__"],
            }
        ],
    )
    text = render_text(show(cv, make_config(tmp_path), theme)).decode("utf-8")
    assert "I build platforms (https://p.example.com/) with kubectl." in text
    assert "• one item\n• two" in text and "  a quote" in text
    assert "• Wrote the handbook (https://h.example.com/x) in bold" in text
    assert "https://engines.example.com/\n" in text  # the organisation's link, on its own line
    assert "https://ada.example.com/\n" in text and "ada@example.com\n" in text
    assert "GitHub: ada (https://github.example.com/ada)" in text
    assert not re.search(r"\*\*|__|\]\(|`|^#|^> |^- ", text, re.MULTILINE)


def test_nothing_of_the_model_is_lost(tmp_path: Path, theme: Theme) -> None:
    shown = show(full_cv(), make_config(tmp_path), theme)
    text = " ".join(render_text(shown).decode("utf-8").split()).casefold()  # titles in capitals
    missing = [t for t in model_texts(shown) if t.casefold() not in text]
    assert not missing
