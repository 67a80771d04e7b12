"""Golden pages: the default theme's exact HTML for a CV using every section.

After an intended template or stylesheet change, review the diff and refresh the files with
`CVGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cvgen.render.site import render_site
from cvgen.render.theme import Theme
from tests.render.conftest import full_cv, make_config

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("page", ["index.html", "404.html"])
def test_golden_page(theme: Theme, tmp_path: Path, page: str) -> None:
    rendered = render_site(full_cv(), theme, make_config(tmp_path))[page].decode("utf-8")
    golden = GOLDEN / page
    if os.environ.get("CVGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
