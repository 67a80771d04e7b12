"""The cover letter as a PDF in each built-in theme: the CV's header, the date in the
application's language, the recipient block, the letter and the signature, read back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cvgen.build import render_pages
from cvgen.render.letter import letter_document
from tests.applications.test_build import ACME, GLOBEX, SITE

pytestmark = pytest.mark.slow


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.mark.parametrize("theme", ["default", "classic", "sidebar"])
def test_each_theme_typesets_the_letter_below_its_header(theme: str, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    config = (root / "cvgen.yaml").read_text(encoding="utf-8")
    config = config.replace("pdf:\n  enabled: false\n", "") + f"theme: {theme}\n"
    (root / "cvgen.yaml").write_text(config, encoding="utf-8")
    pages = render_pages(root).pages
    german = pdf_text(pages[GLOBEX + "letter.pdf"], tmp_path)
    for words in ("Grace Hopper", "Softwareentwicklerin", "8. Dezember 2026", "Globex"):
        assert words in german
    assert german.index("8. Dezember 2026") < german.index("Sehr geehrte Damen und Herren")
    assert "ich bewerbe mich als Frontend-Entwicklerin." in german
    english = pdf_text(pages[ACME + "letter.pdf"], tmp_path)
    assert "Backend Engineer" in english  # the variant's label, as on its CV
    assert english.index("Jane Doe") < english.index("Main Street 1") < english.index("Dear Jane")
    assert "Kind regards, Grace Hopper" in english
    assert "Compilers" not in english  # no CV sections in the letter
    assert "Compilers" in pdf_text(pages[ACME + "cv.pdf"], tmp_path)
    assert GLOBEX + "cv.pdf" in pages and not any(
        p.endswith("letter.pdf") for p in pages if p.startswith("a/initech-")
    )


def test_the_letter_document_is_data_only() -> None:
    from cvgen.build import application_page, outputs
    from cvgen.content.applications import load_applications
    from cvgen.content.load import load_content
    from cvgen.render.shown import show
    from cvgen.render.theme import load_theme
    from cvgen.settings.config import load_config

    config = load_config(SITE)
    cv = load_content(config)
    acme = load_applications(config)[0]
    page = application_page(outputs((cv, *cv.translations), config), acme)
    shown = show(page.cv, page.config, load_theme(config))
    data = letter_document(acme, shown, page.config)
    assert data["sections"] == [] and data["basics"]["summary"] == []
    assert data["letter"]["recipient"] == ["Jane Doe", "Acme", "Main Street 1", "10115 Berlin"]
    assert data["meta"]["title"] == "Cover letter – Backend engineer"
