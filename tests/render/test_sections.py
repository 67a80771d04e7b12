"""`sections:` in cvgen.yaml: the owner's order, titles and hidden sections, checked by name."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from cvgen.content.model import CustomSection, Section
from cvgen.errors import ContentError
from cvgen.render.sections import section_blocks
from cvgen.render.site import render_site
from cvgen.render.theme import Theme
from cvgen.settings.config import Config, load_config
from tests.render.conftest import full_cv, make_config, make_cv

ABOUT = Section("about", "About", 5, "<p>Hi.</p>", "content/about.md")
TALKS = Section("talks", "Talks", 100, "<p>Many.</p>", "content/talks.md")


def config_with(tmp_path: Path, sections: str) -> Config:
    (tmp_path / "cvgen.yaml").write_text(
        "site:\n  url: https://cv.example.com/\nsections:\n" + sections, encoding="utf-8"
    )
    return load_config(tmp_path)


def h2_titles(page: str) -> list[str]:
    return re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", page)


def test_default_order_puts_markdown_sections_at_their_front_matter_order(
    theme: Theme, tmp_path: Path
) -> None:
    cv = dataclasses.replace(full_cv(), sections=(ABOUT, TALKS))
    keys = [block["key"] for block in section_blocks(cv)]
    assert keys[0] == "about" and keys[-1] == "talks" and keys[1] == "work"


def test_order_titles_and_hide_apply_to_every_kind_of_section(theme: Theme, tmp_path: Path) -> None:
    config = config_with(
        tmp_path,
        "  order: [skills, talks, work]\n"
        "  titles: {work: Career, talks: Conference talks, education: Schooling}\n"
        "  hide: [references, about]\n",
    )
    config = dataclasses.replace(config, counter=make_config(tmp_path).counter)
    cv = dataclasses.replace(full_cv(), sections=(ABOUT, TALKS))
    page = render_site(cv, theme, config)["index.html"].decode("utf-8")
    titles = h2_titles(page)
    assert titles[:3] == ["Skills", "Conference talks", "Career"]
    assert "Schooling" in titles and "Education" not in titles
    assert "References" not in titles and "About" not in titles and 'id="about"' not in page
    # the rest keep their default order after the named ones
    assert titles.index("Projects") < titles.index("Schooling") < titles.index("Volunteering")


def test_an_unknown_name_gets_did_you_mean_with_its_position(theme: Theme, tmp_path: Path) -> None:
    config = config_with(
        tmp_path,
        "  order: [skils, work]\n  titles:\n    abuot: Me\n  hide: [nothing]\n",
    )
    cv = dataclasses.replace(full_cv(), sections=(ABOUT,))
    with pytest.raises(ContentError) as caught:
        render_site(cv, theme, config)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:4:11: sections.order[0]: no section `skils`; did you mean `skills`?",
        "cvgen.yaml:6:5: sections.titles.abuot: no section `abuot`; did you mean `about`?",
        "cvgen.yaml:7:10: sections.hide[0]: no section `nothing`; expected one of: `about`, "
        "`awards`, `certificates`, `education`, `interests`, `languages`, `projects`, "
        "`publications`, `references`, `skills`, `volunteer`, `work`",
    ]


def test_a_known_section_this_cv_lacks_is_no_error(theme: Theme, tmp_path: Path) -> None:
    config = config_with(tmp_path, "  order: [publications]\n  hide: [awards]\n")
    render_site(make_cv(), theme, config)  # neither section has entries: nothing to do


def test_shape_problems_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "cvgen.yaml").write_text(
        "sections:\n"
        "  order: work\n"
        "  hide: [work, 3, work]\n"
        "  titles: {skills: ''}\n"
        "  colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_config(tmp_path)
    assert [str(issue) for issue in caught.value.issues] == [
        "cvgen.yaml:2:10: sections.order: expected a list, got 'work'",
        "cvgen.yaml:3:16: sections.hide[1]: expected a section name like `work` or `about`, got 3",
        "cvgen.yaml:3:19: sections.hide[2]: `work` is listed twice",
        "cvgen.yaml:4:20: sections.titles.skills: expected the title as text, or text per"
        " language like `{en: ..., de: ...}`, got ''",
        "cvgen.yaml:5:3: sections.colour: unknown setting; expected one of: `hide`, `order`, `titles`",
    ]


def test_a_section_both_ordered_and_hidden_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "cvgen.yaml").write_text(
        "sections:\n  order: [work]\n  hide: [work]\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"`work` is both in `order` and in `hide`"):
        load_config(tmp_path)


def test_custom_json_resume_sections_are_named_by_their_key(theme: Theme, tmp_path: Path) -> None:
    talks = CustomSection(key="conference-talks", title="Conference talks", items=("KubeCon 2024",))
    cv = dataclasses.replace(full_cv(), custom=(talks,), sections=(ABOUT,))
    config = config_with(
        tmp_path,
        "  order: [conference-talks]\n  titles: {conference-talks: Talks given}\n",
    )
    page = render_site(cv, theme, config)["index.html"].decode("utf-8")
    assert h2_titles(page)[0] == "Talks given"
    assert '<section id="conference-talks"' in page
    hidden = config_with(tmp_path, "  hide: [conference-talks]\n")
    assert "KubeCon" not in render_site(cv, theme, hidden)["index.html"].decode("utf-8")
    typo = config_with(tmp_path, "  order: [conference-talk]\n")
    with pytest.raises(ContentError, match=r"did you mean `conference-talks`\?"):
        render_site(cv, theme, typo)
