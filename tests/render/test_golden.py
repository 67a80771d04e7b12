"""Golden pages: the default theme's exact HTML for a CV using every section.

After an intended template or stylesheet change, review the diff and refresh the files with
`CVGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cvgen.content.model import CV, Section
from cvgen.render.site import render_site
from cvgen.render.theme import Theme
from tests.render.conftest import make_config, make_cv

GOLDEN = Path(__file__).resolve().parent / "golden"


def full_cv() -> CV:
    return make_cv(
        sections=(
            Section("about", "About", 5, "<p>Hello <em>there</em>.</p>", "content/about.md"),
        ),
        basics__phone="+44 20 7946 0000",
        volunteer=[{"organization": "Code Club", "position": "Mentor", "startDate": "2019"}],
        awards=[{"title": "Award", "date": "2023-12", "awarder": "Acme", "summary": "Nice."}],
        certificates=[{"name": "CKA", "date": "2020-11", "issuer": "CNCF"}],
        publications=[{"name": "Paper", "publisher": "ACM", "releaseDate": "2021-05-03"}],
        skills=[{"name": "Cloud", "level": "Expert", "keywords": ["AWS", "GCP"]}],
        languages=[{"language": "English", "fluency": "Native"}],
        interests=[{"name": "Outdoors", "keywords": ["Kayaking"]}],
        references=[{"name": "Grace", "reference": "Ada is *great*."}],
        projects=[
            {
                "name": "tfcheck",
                "url": "https://t.example.org/",
                "description": "A linter.",
                "keywords": ["Go"],
                "roles": ["Author"],
                "startDate": "2020-04",
            }
        ],
    )


@pytest.mark.parametrize("page", ["index.html", "404.html"])
def test_golden_page(theme: Theme, tmp_path: Path, page: str) -> None:
    rendered = render_site(full_cv(), theme, make_config(tmp_path))[page].decode("utf-8")
    golden = GOLDEN / page
    if os.environ.get("CVGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
