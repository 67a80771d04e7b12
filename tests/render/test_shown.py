"""The CV as shown: one model per page that every output renders from (pure)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cvgen.errors import ContentError
from cvgen.render.pdfdata import pdf_data
from cvgen.render.shown import show, without_fields
from cvgen.render.site import render_site
from cvgen.render.theme import Theme
from cvgen.settings.sections import SectionsConfig
from tests.render.conftest import full_cv, make_config

PRIVATE = ("phone", "location.city", "email")


def test_without_fields_drops_top_and_nested_fields_and_keeps_the_original() -> None:
    basics = {"phone": "1", "location": {"city": "X", "countryCode": "GB"}, "name": "A"}
    assert without_fields(basics, ["phone", "location.city", "nothing.here"]) == {
        "location": {"countryCode": "GB"},
        "name": "A",
    }
    assert basics["phone"] == "1" and basics["location"]["city"] == "X"  # type: ignore[index]


def test_hidden_fields_reach_no_output(tmp_path: Path, theme: Theme) -> None:
    cv, config = full_cv(), make_config(tmp_path)
    public = show(cv, config, theme, hide=PRIVATE)
    files = render_site(cv, theme, config, shown=public)
    pdf = json.dumps(pdf_data(public, config), ensure_ascii=False)
    page = files["index.html"].decode()
    export = files["resume.json"].decode()
    for text in ("+44 20 7946 0000", "ada@example.com"):
        assert text not in page and text not in pdf and text not in export
    assert "London, United Kingdom" not in page + pdf and '"city"' not in export
    assert "addressLocality" not in page  # the JSON-LD
    assert "GitHub" in page and "Lead Programmer" in pdf  # the rest stays
    # the same CV without the switch (an application's page) keeps them all
    private = show(cv, config, theme)
    page = render_site(cv, theme, config, shown=private)["index.html"].decode()
    assert "+44 20 7946 0000" in page and "ada@example.com" in page
    assert "London, United Kingdom" in page and "addressLocality" in page
    assert cv.resume["basics"]["phone"] == "+44 20 7946 0000"  # the loaded CV is untouched


def test_page_pdf_and_model_agree_on_sections_and_titles(tmp_path: Path, theme: Theme) -> None:
    config = make_config(tmp_path)
    config = config.__class__(
        **{
            **config.__dict__,
            "sections": SectionsConfig(order=("skills",), titles={"work": "Jobs"}),
        }
    )
    shown = show(full_cv(), config, theme)
    titles = [section.title for section in shown.sections]
    assert titles[0] == "Skills" and "Jobs" in titles
    page = render_site(full_cv(), theme, config, shown=shown)["index.html"].decode()
    assert re.findall(r'<h2 id="[^"]+-title">([^<]+)</h2>', page) == titles
    assert [s["title"] for s in pdf_data(shown, config)["sections"]] == titles
    assert shown.title in page and shown.description in page


def test_an_unknown_section_name_stops_the_select_stage(tmp_path: Path, theme: Theme) -> None:
    config = make_config(tmp_path)
    config = config.__class__(
        **{
            **config.__dict__,
            "sections": SectionsConfig(hide=("wrok",), spots=(("wrok", 3, 5, "sections.hide[0]"),)),
        }
    )
    with pytest.raises(ContentError, match="did you mean `work`"):
        show(full_cv(), config, theme)


def test_dates_places_and_contact_are_localised(tmp_path: Path, theme: Theme) -> None:
    config = make_config(tmp_path)
    config = config.__class__(
        **{**config.__dict__, "site": config.site.__class__(url=None, language="de")}
    )
    shown = show(full_cv(), config, theme)
    work = next(s for s in shown.sections if s.key == "work")
    assert work.title == "Berufserfahrung"
    assert work.entries[0]["date"] == "Jan. 2020 – heute"
    assert shown.contact[0] == {
        "kind": "location",
        "text": "London, Vereinigtes Königreich",
        "url": None,
    }
