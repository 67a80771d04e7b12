"""The theme's own words from its translation files; dates, countries and languages from CLDR."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from cvgen.cldr import check_language, country_name, format_date, language_name
from cvgen.errors import CvgenError
from cvgen.render.labels import labels_for
from cvgen.render.site import render_site
from cvgen.render.theme import Theme, load_theme
from cvgen.settings.config import Config
from tests.conftest import REPO
from tests.render.conftest import make_config, make_cv

TRANSLATIONS = REPO / "theme" / "default" / "translations"
REFERENCE = yaml.safe_load((TRANSLATIONS / "en.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(TRANSLATIONS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_translation_file_has_every_word(path: Path) -> None:
    words = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(words) == set(REFERENCE), path.name
    assert all(isinstance(v, str) and v.strip() == v and v for v in words.values())


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
def test_labels_for_a_language_tag(theme: Theme, tag: str, expected: str) -> None:
    assert labels_for(tag, theme.translations)["work"] == expected


def test_a_regional_file_overrides_its_language(theme: Theme) -> None:
    translations = {**theme.translations, "de-AT": {"present": "heuer"}}
    labels = labels_for("de-AT", translations)
    assert labels["present"] == "heuer" and labels["work"] == "Berufserfahrung"
    assert labels_for("de", translations)["present"] == "heute"


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("2020-01-15", "en", "Jan 2020"),
        ("2020-09", "en", "Sep 2020"),
        ("2020-09", "de", "Sept. 2020"),
        ("2020-09", "fr", "sept. 2020"),
        ("2020-09", "sv", "sep. 2020"),
        ("2020-09", "ja", "2020年9月"),
        ("2020", "de", "2020"),
        (2020, "en", "2020"),
        ("2020-13", "en", "2020"),
        ("soon", "en", "soon"),
    ],
)
def test_dates_follow_cldr(value: object, language: str, expected: str) -> None:
    assert format_date(value, language) == expected


def test_country_and_language_names_in_the_page_language() -> None:
    assert country_name("SE", "en") == "Sweden"
    assert country_name("SE", "de") == "Schweden"
    assert country_name("se", "fr") == "Suède"
    assert country_name("XX", "en") == "XX"
    assert language_name("sv", "en") == "Swedish"
    assert language_name("sv", "de") == "Schwedisch"
    assert language_name("sv", "fr") == "Suédois"  # CLDR's `suédois`, starting a list item
    assert language_name("pt-BR", "en") == "Brazilian Portuguese"
    assert language_name("English", "de") == "English"  # a name stays as written


def test_site_language_must_be_one_cldr_knows() -> None:
    assert check_language("de-AT") is None and check_language("pt_BR") is None
    assert "not a language CLDR knows" in str(check_language("xx"))
    assert "not a language CLDR knows" in str(check_language("!!"))


def test_a_swedish_page(theme: Theme, tmp_path: Path) -> None:
    config = make_config(tmp_path)
    config = dataclasses.replace(config, site=dataclasses.replace(config.site, language="sv"))
    cv = make_cv(languages=[{"language": "de", "fluency": "Flytande"}])
    pages = render_site(cv, theme, config)
    page = pages["index.html"].decode("utf-8")
    assert '<html lang="sv">' in page
    assert '<h2 id="work-title">Erfarenhet</h2>' in page and ">Utbildning</h2>" in page
    assert '<time datetime="2020-01">jan. 2020</time> – nu' in page
    assert "<li>London, Storbritannien</li>" in page
    assert '<span class="name">Tyska</span>' in page
    assert "<span data-counter-value></span> visningar</p>" in page
    assert "<h1>Sidan hittades inte</h1>" in pages["404.html"].decode("utf-8")


def test_a_site_adds_a_language_with_one_file(tmp_path: Path) -> None:
    words = tmp_path / "theme" / "default" / "translations"
    words.mkdir(parents=True)
    (words / "fi.yaml").write_text("work: Työkokemus\n", encoding="utf-8")
    theme = load_theme(Config(root=tmp_path))
    config = make_config(tmp_path)
    config = dataclasses.replace(config, site=dataclasses.replace(config.site, language="fi"))
    page = render_site(make_cv(), theme, config)["index.html"].decode("utf-8")
    assert ">Työkokemus</h2>" in page and ">Education</h2>" in page  # English where missing
    assert "tammi 2020" in page  # the date still from CLDR


def test_a_broken_translation_file_is_named(tmp_path: Path) -> None:
    words = tmp_path / "theme" / "default" / "translations"
    words.mkdir(parents=True)
    (words / "fi.yaml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(CvgenError, match=r"theme/default/translations/fi\.yaml: expected"):
        load_theme(Config(root=tmp_path))


def test_a_site_word_adds_to_the_built_in_language_rather_than_replacing_it(
    tmp_path: Path,
) -> None:
    words = tmp_path / "theme" / "default" / "translations"
    words.mkdir(parents=True)
    (words / "de.yaml").write_text("work: Werdegang\n", encoding="utf-8")
    german = load_theme(Config(root=tmp_path)).translations["de"]
    built_in = yaml.safe_load((TRANSLATIONS / "de.yaml").read_text(encoding="utf-8"))
    assert german == {**built_in, "work": "Werdegang"}
    assert german["education"] == built_in["education"] != REFERENCE["education"]


def test_a_site_s_theme_yaml_goes_through_the_strict_reader(tmp_path: Path) -> None:
    from cvgen.errors import ContentError

    words = tmp_path / "theme" / "default" / "translations"
    words.mkdir(parents=True)
    (words / "de.yaml").write_text("work: Werdegang\nwork: Erfahrung\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_theme(Config(root=tmp_path))
    [issue] = caught.value.issues
    assert str(issue).startswith("theme/default/translations/de.yaml:2:1: work: duplicate key")
    (words / "de.yaml").unlink()
    (tmp_path / "theme" / "default" / "theme.yaml").write_text(
        "description: Mine\ndescription: Yours\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match="duplicate key"):
        load_theme(Config(root=tmp_path))
