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
