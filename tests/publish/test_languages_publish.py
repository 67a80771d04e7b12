"""`cvgen publish` of a site in two languages with variants, against the moto server: a
translation's edit uploads and invalidates only that language's pages that show it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.publish.conftest import Site
from tests.publish.test_variants_publish import invalidated, published, republish

pytestmark = pytest.mark.aws

LANGUAGES_SITE = Path(__file__).parent.parent / "languages" / "site"


@pytest.fixture
def language_site(site: Site) -> Site:
    """The languages fixture site: en + de, two variants."""
    return published(site, LANGUAGES_SITE)


def test_a_translation_edit_touches_only_that_languages_pages_that_show_it(
    language_site: Site,
) -> None:
    site = language_site
    assert {"de/index.html", "de/backend/cv.pdf", "de/frontend/resume.json"} <= set(
        site.object_keys()
    )
    puts = republish(site, "content/cv.de.yaml", "Programmiererin", "Informatikerin")
    # the Navy job is tagged backend: the German main page and German backend page show it
    assert puts == [
        "de/backend/cv.docx",
        "de/backend/cv.pdf",
        "de/backend/cv.txt",
        "de/backend/index.html",
        "de/backend/resume.json",
        "de/cv.docx",
        "de/cv.pdf",
        "de/cv.txt",
        "de/index.html",
        "de/resume.json",
    ]
    assert invalidated(site) == [
        [
            "/de/",
            "/de/backend/",
            "/de/backend/cv.docx",
            "/de/backend/cv.pdf",
            "/de/backend/cv.txt",
            "/de/backend/index.html",
            "/de/backend/resume.json",
            "/de/cv.docx",
            "/de/cv.pdf",
            "/de/cv.txt",
            "/de/index.html",
            "/de/resume.json",
        ]
    ]
    assert b"Informatikerin" in site.read("de/index.html")
    assert b"Programmer" in site.read("index.html")
