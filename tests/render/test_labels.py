"""The theme's own words in the page's language."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cvgen.render.labels import ENGLISH, LABELS, labels_for
from cvgen.render.site import render_site
from cvgen.render.theme import Theme
from tests.render.conftest import make_config, make_cv


@pytest.mark.parametrize("language", sorted(LABELS))
def test_every_language_has_every_label(language: str) -> None:
    labels = LABELS[language]
    assert set(labels) == set(ENGLISH)
    assert len(labels["months"]) == 12 and len(set(labels["months"])) == 12
    assert all(
        isinstance(v, str) and v.strip() == v and v for k, v in labels.items() if k != "months"
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "Experience"),
        ("sv", "Erfarenhet"),
        ("de-AT", "Berufserfahrung"),
        ("pt_BR", "Experiência"),
        ("ja", "Experience"),
        ("", "Experience"),
    ],
)
def test_labels_for_a_language_tag(tag: str, expected: str) -> None:
    assert labels_for(tag)["work"] == expected


def test_a_swedish_page(theme: Theme, tmp_path: Path) -> None:
    config = make_config(tmp_path)
    config = dataclasses.replace(config, site=dataclasses.replace(config.site, language="sv"))
    pages = render_site(make_cv(), theme, config)
    page = pages["index.html"].decode("utf-8")
    assert '<html lang="sv">' in page
    assert '<h2 id="work-title">Erfarenhet</h2>' in page and ">Utbildning</h2>" in page
    assert '<time datetime="2020-01">jan. 2020</time> – nu' in page
    assert "Sidvisningar: <span data-counter-value>" in page
    assert "<h1>Sidan hittades inte</h1>" in pages["404.html"].decode("utf-8")
