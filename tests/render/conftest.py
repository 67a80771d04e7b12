"""Hand-built CVs and configs for the pure rendering tests (no disk but the built-in theme)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cvgen.content.model import CV, RESUME_SECTIONS, Section
from cvgen.render.theme import Theme, load_theme
from cvgen.settings.config import Config, CounterConfig, SiteConfig

BASE_RESUME: dict[str, Any] = {
    "basics": {
        "name": "Ada Lovelace",
        "label": "Analytical Engineer",
        "email": "ada@example.com",
        "url": "https://ada.example.com/",
        "summary": "Writes *programs* for engines.",
        "location": {"city": "London", "countryCode": "GB"},
        "profiles": [
            {"network": "GitHub", "username": "ada", "url": "https://github.example.com/ada"}
        ],
    },
    **{key: [] for key in RESUME_SECTIONS},
    "work": [
        {
            "name": "Engines Ltd",
            "position": "Lead Programmer",
            "url": "https://engines.example.com/",
            "startDate": "2020-01",
            "highlights": ["Computed *Bernoulli numbers*"],
        },
        {
            "name": "Babbage & Co",
            "position": "Engineer",
            "startDate": "2018-03",
            "endDate": "2019-12",
        },
    ],
    "education": [
        {"institution": "University of London", "area": "Mathematics", "studyType": "BSc"}
    ],
}


def make_cv(sections: tuple[Section, ...] = (), **changes: Any) -> CV:
    """The base CV with top-level resume keys replaced, or basics keys via `basics__x=`."""
    resume = copy.deepcopy(BASE_RESUME)
    for key, value in changes.items():
        if key.startswith("basics__"):
            resume["basics"][key.removeprefix("basics__")] = value
        else:
            resume[key] = value
    return CV(resume=resume, sections=sections, source="content/cv.yaml")


def full_cv() -> CV:
    """A CV using every section (and a Markdown one), for golden pages and coverage."""
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


def make_config(root: Path, url: str | None = "https://cv.example.com/", **counter: Any) -> Config:
    return Config(root=root, site=SiteConfig(url=url), counter=CounterConfig(**counter))


@pytest.fixture
def theme(tmp_path: Path) -> Theme:
    """The built-in default theme (the temp site has no theme/ of its own)."""
    return load_theme(Config(root=tmp_path))
