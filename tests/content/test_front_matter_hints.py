"""A Markdown file without front matter is answered from the file itself: its unfenced fields,
its name, and for a translation a field a translation may hold (a name there must be the
original's, so "write `name: Acme`" would lead to a second error)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvgen.content.load import load_content
from cvgen.errors import ContentError
from cvgen.settings.config import load_config

SITE = Path(__file__).parents[1] / "languages" / "site"


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root))
    return [str(issue) for issue in caught.value.issues]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(SITE, tmp_path / "site")
    return tmp_path / "site"


def test_an_entry_without_front_matter_is_advised_from_its_file_name(site: Path) -> None:
    (site / "content" / "work" / "remington-rand.md").write_text("Led the team.\n")
    assert problems(site) == [
        "content/work/remington-rand.md:1:1: missing front matter; start the file with a `---`"
        " line, the entry's fields (such as `name: Remington Rand`), and another `---` line"
    ]


def test_a_translation_without_front_matter_is_advised_a_translatable_field(site: Path) -> None:
    (site / "content" / "work" / "remington.de.md").write_text("Leitete das Team.\n")
    [problem] = problems(site)
    assert problem == (
        "content/work/remington.de.md:1:1: missing front matter; start the file with a `---`"
        " line, the translated fields (such as `position:`), and another `---` line"
    )
    assert "name:" not in problem


def test_fields_written_without_their_dashes_are_named(site: Path) -> None:
    (site / "content" / "work" / "remington.de.md").write_text(
        "position: Direktorin\nsummary: Leitete das Team.\n\nMehr Text.\n"
    )
    assert problems(site) == [
        "content/work/remington.de.md:1:1: missing front matter: lines 1-2 look like its"
        " fields; put a `---` line before them and another after them"
    ]
