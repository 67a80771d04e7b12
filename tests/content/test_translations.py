"""Translation files tried as a user would write them, mistakes included: every problem
is located, and none is dropped on the way to the build (see also tests/test_languages.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvgen.build import build
from cvgen.content.load import load_content
from cvgen.errors import ContentError
from cvgen.settings.config import load_config

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


def test_a_v0_name_in_a_translation_is_read_as_in_the_original(site: Path) -> None:
    # a v0 file (`company`, `website`, a project's `summary`) translated in its own words
    content = site / "content"
    for name in ("cv.yaml", "cv.de.yaml", "about.md", "about.de.md"):
        (content / name).unlink()
    shutil.rmtree(content / "work")
    (content / "resume.json").write_text(
        '{"basics": {"name": "Ada", "label": "Engineer"},\n'
        ' "work": [{"company": "Acme", "website": "https://acme.example.org/",'
        ' "position": "Engineer"}],\n'
        ' "projects": [{"name": "kit", "summary": "A kit."}]}\n'
    )
    (content / "resume.de.json").write_text(
        '{"basics": {"label": "Ingenieurin"},\n'
        ' "work": [{"company": "Acme", "website": "https://acme.example.org/",'
        ' "position": "Ingenieurin"}],\n'
        ' "projects": [{"summary": "Ein Baukasten."}]}\n'
    )
    german = load_content(load_config(site)).translations[0]
    assert german.resume["work"][0]["position"] == "Ingenieurin"
    assert german.resume["work"][0]["name"] == "Acme"
    assert german.resume["projects"][0]["description"] == "Ein Baukasten."
    assert [str(w) for w in german.warnings if "v0" in str(w)] == [
        "content/resume.de.json:2:12: work[0].company: old JSON Resume (v0) name;"
        " read as `name`: rename it to `name`",
        "content/resume.de.json:2:31: work[0].website: old JSON Resume (v0) name;"
        " read as `url`: rename it to `url`",
        "content/resume.de.json:3:16: projects[0].summary: old JSON Resume (v0) name;"
        " read as `description`: rename it to `description`",
    ]
    # repeated, a v0 name is held to the original's value like its v1 name
    (content / "resume.de.json").write_text(
        '{"work": [{"company": "Acme Corp", "position": "Ingenieurin"}]}\n'
    )
    assert problems(site) == [
        "content/resume.de.json:1:12: work[0].company: `company` is the same in every language"
        ' (names, URLs, dates and tags are not translated); the original has "Acme": write'
        " that, or leave `company` out here",
    ]


def test_a_shorter_translated_list_keeps_the_original_rest_with_a_warning(site: Path) -> None:
    # two of cv.yaml's highlights, one translated: the other once vanished from the page
    german = (site / "content" / "cv.de.yaml").read_text()
    (site / "content" / "cv.de.yaml").write_text(
        german.replace("      - Zeichnete die erste Oberfläche\n", "")
    )
    (site / "content" / "work" / "remington.de.md").write_text(
        "---\nposition: Direktorin\n---\nLeitet die automatische Programmierung.\n\n"
        "- Baute das Compiler-Team auf\n"
    )
    german_cv = load_content(load_config(site)).translations[0]
    navy, remington = sorted(german_cv.resume["work"], key=lambda e: e["name"])
    assert navy["highlights"] == [
        "Schrieb den Vorfahren von COBOL #backend",
        "Drew the first UI #frontend",
    ]
    assert remington["highlights"] == [
        "Baute das Compiler-Team auf #backend",
        "Designed the console #frontend",
    ]
    assert [str(w) for w in german_cv.warnings if "highlights" in str(w)] == [
        "content/cv.de.yaml:10:7: work[0].highlights[1]: no German translation (Navy);"
        " the English text is used",
        "content/work/remington.de.md:6:1: highlights[1]: no German translation"
        " (Remington Rand); the English text is used",
    ]
    with pytest.raises(ContentError):
        build(site, strict=True)


def test_skill_keywords_translate_as_interest_keywords_do(site: Path) -> None:
    german = (site / "content" / "cv.de.yaml").read_text()
    (site / "content" / "cv.de.yaml").write_text(
        german.replace(
            "skills:\n  - name: Compilerbau\n",
            "skills:\n  - name: Compilerbau\n    keywords: [COBOL, Ablaufsteuerung]\n",
        )
    )
    german_cv = load_content(load_config(site)).translations[0]
    assert german_cv.resume["skills"][0] == {
        "name": "Compilerbau",
        "keywords": ["COBOL", "Ablaufsteuerung"],
    }
    english = load_content(load_config(site)).resume["skills"][0]
    assert english["keywords"] == ["COBOL", "FLOW-MATIC"]


def test_untranslated_skill_keywords_are_no_gap(site: Path) -> None:
    # mostly names (COBOL), the same in every language: no fallback warning for them
    german_cv = load_content(load_config(site)).translations[0]
    assert german_cv.resume["skills"][0]["keywords"] == ["COBOL", "FLOW-MATIC"]
    assert not [w for w in german_cv.warnings if "keywords" in str(w)]


def test_a_translated_highlight_with_its_own_tags_keeps_only_its_own(site: Path) -> None:
    german = (site / "content" / "cv.de.yaml").read_text()
    (site / "content" / "cv.de.yaml").write_text(
        german.replace(
            # quoted: unquoted, ` #cloud` would be a YAML comment
            "- Schrieb den Vorfahren von COBOL\n",
            '- "Schrieb den Vorfahren von COBOL #cloud"\n',
        )
    )
    navy = next(
        entry
        for entry in load_content(load_config(site)).translations[0].resume["work"]
        if entry["name"] == "Navy"
    )
    assert navy["highlights"] == [
        "Schrieb den Vorfahren von COBOL #cloud",  # not also the original's #backend
        "Zeichnete die erste Oberfläche #frontend",  # no tags of its own: the original's
    ]
