"""Translation files tried as a user would write them, mistakes included: every problem
is located, and none is dropped on the way to the build (see also tests/test_languages.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvgen.build import build
from cvgen.config import load_config
from cvgen.content.load import load_content
from cvgen.errors import ContentError

SITE = Path(__file__).parents[1] / "languages" / "site"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root))
    return [str(issue) for issue in caught.value.issues]


def test_what_the_yaml_reader_refuses_in_an_overlay_stops_the_build(site: Path) -> None:
    # a duplicate key and a YAML tag are errors in cv.yaml; an overlay once dropped them
    # and built with whichever value YAML kept
    (site / "content" / "cv.de.yaml").write_text(
        "basics:\n  label: Entwicklerin\n  label: Programmiererin\n"
        "  summary: !!python/object:os.system x\n"
    )
    assert problems(site) == [
        "content/cv.de.yaml:3:3: basics.label: duplicate key `label` (first defined on line 2);"
        " remove one of them",
        "content/cv.de.yaml:4:12: basics.summary: YAML tags such as `!!python/object:os.system`"
        " are not supported; remove the tag",
    ]
    with pytest.raises(ContentError):
        build(site)
    assert not (site / "output").exists()


def test_a_translation_file_for_a_language_not_built_is_named(site: Path) -> None:
    content = site / "content"
    (content / "cv.fr.yaml").write_text("basics:\n  label: Développeuse\n")
    (content / "resume.it.json").write_text('{"basics": {"label": "Sviluppatrice"}}\n')
    (content / "cv.en.yaml").write_text("basics:\n  label: Developer\n")
    (content / "cv.backup.yaml").write_text("basics: {}\n")  # not a language: none of ours
    warnings = [str(w) for w in load_content(load_config(site)).warnings]
    assert [w for w in warnings if "not read" in w] == [
        "content/cv.en.yaml: `en` is the default language, whose text is in the file without"
        " a language; this file is not read",
        "content/cv.fr.yaml: a translation into `fr`, which is not in `languages:` in"
        " cvgen.yaml (`[en, de]`), so it is not read; add `fr` there to build it",
        "content/resume.it.json: a translation into `it`, which is not in `languages:` in"
        " cvgen.yaml (`[en, de]`), so it is not read; add `it` there to build it",
    ]
    # a one-language site says so too, and `--strict` makes it an error
    (site / "cvgen.yaml").write_text("site:\n  language: en\n")
    (content / "about.de.md").unlink()
    (content / "work" / "remington.de.md").unlink()
    (content / "cv.en.yaml").unlink()
    (content / "resume.it.json").unlink()
    warnings = [str(w) for w in load_content(load_config(site)).warnings]
    assert [w for w in warnings if "not read" in w] == [
        "content/cv.de.yaml: a translation into `de`, which is not in `languages:` in"
        " cvgen.yaml (`[en]`), so it is not read; add `de` there to build it",
        "content/cv.fr.yaml: a translation into `fr`, which is not in `languages:` in"
        " cvgen.yaml (`[en]`), so it is not read; add `fr` there to build it",
    ]
    with pytest.raises(ContentError):
        build(site, strict=True)
    assert not (site / "output").exists()
