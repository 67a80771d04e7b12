"""Golden pages: the default theme's exact HTML for a CV using every section, and for a CV
written the way real JSON Resume files are (v0 names, extra fields, custom sections).

After an intended template or stylesheet change, review the diff and refresh the files with
`.venv/bin/pytest tests/render/test_golden.py --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.content.load import load_content
from cvgen.render.site import render_site
from cvgen.render.theme import Theme
from cvgen.settings.config import Config
from tests.render.conftest import full_cv, make_config

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("page", ["index.html", "404.html"])
def test_golden_page(theme: Theme, tmp_path: Path, page: str, update_golden: bool) -> None:
    rendered = render_site(full_cv(), theme, make_config(tmp_path))[page].decode("utf-8")
    golden = GOLDEN / page
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_golden_page_of_real_world_content(
    theme: Theme, tmp_path: Path, update_golden: bool
) -> None:
    """v0 names shown under their v1 fields, extra fields where a reader expects them
    (tags, a location, an education's summary), custom sections after the standard ones."""
    cv = load_content(Config(root=Path(__file__).resolve().parent / "extras"))
    assert [custom.key for custom in cv.custom] == [
        "talks",
        "personal-statement",
        "extra-links",
        "achievements",
        "press",
    ]
    rendered = render_site(cv, theme, make_config(tmp_path))["index.html"].decode("utf-8")
    golden = GOLDEN / "extras.html"
    if update_golden:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_golden_page_and_export_of_markdown_entries(
    theme: Theme, tmp_path: Path, update_golden: bool
) -> None:
    """Entries from content/work/*.md, projects/, education/, skills/ merged with cv.yaml's:
    the page and the exported resume.json."""
    cv = load_content(Config(root=Path(__file__).resolve().parents[1] / "content" / "entries"))
    pages = render_site(cv, theme, make_config(tmp_path))
    for page, golden in (
        ("index.html", GOLDEN / "entries.html"),
        ("resume.json", GOLDEN / "entries.resume.json"),
    ):
        rendered = pages[page].decode("utf-8")
        if update_golden:
            golden.write_text(rendered, encoding="utf-8")
        assert rendered == golden.read_text(encoding="utf-8")
